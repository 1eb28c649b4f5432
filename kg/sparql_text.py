"""Lexical facts about SPARQL text, found without a full parser.

pyoxigraph parses a query only when it runs it, and offers no hook for three things the server
needs beforehand: whether a query or update calls ``SERVICE`` (federated queries make the server
fetch URLs, so they are refused unless enabled), whether an update already names its dataset
(``USING``/``WITH``, which conflicts with the protocol's ``using-graph-uri``), and where to put
the protocol's ``USING`` clauses into an update (pyoxigraph's ``Store.update`` takes no dataset).

The scanner skips IRIs, strings, comments, variables and prefixed names, so a keyword is only
found where it is a keyword.

>>> keywords("PREFIX s: <http://x/SERVICE> SELECT * { ?service s:SERVICE 'SERVICE' } # SERVICE")
['PREFIX', 'SELECT']
>>> calls_service("SELECT * { SERVICE <http://127.0.0.1:1/> { ?s ?p ?o } }")
True
"""

from __future__ import annotations

import re
from functools import lru_cache
from typing import NamedTuple

# One alternative per token kind; only WORD and the braces matter to callers.
_TOKEN = re.compile(
    r"""
      (?P<comment>\#[^\n]*)
    | (?P<string>'''(?:[^'\\]|\\.|'(?!''))*'''|\"\"\"(?:[^"\\]|\\.|"(?!""))*\"\"\"
                 |'(?:[^'\\\n]|\\.)*'|"(?:[^"\\\n]|\\.)*")
    | (?P<iri><(?:[^<>"{}|^`\\\s]|\\u[0-9A-Fa-f]{4}|\\U[0-9A-Fa-f]{8})*>)
    | (?P<var>[?$][\w\u00b7\u0300-\u036f\u203f-\u2040]+)
    | (?P<pname>[\w.-]*:(?:[\w.:%-]|\\.)*)
    | (?P<blank>_:[\w.-]+)
    | (?P<word>[A-Za-z_][\w-]*)
    | (?P<number>\d+)
    | (?P<open>\{)
    | (?P<close>\})
    | (?P<space>\s+)
    | (?P<other>.)
    """,
    re.VERBOSE | re.DOTALL,
)


class Token(NamedTuple):
    kind: str
    text: str
    start: int
    depth: int  # brace depth before the token


def tokens(text: str) -> list[Token]:
    return list(_tokens(text))


@lru_cache(maxsize=256)  # the same queries come back (dashboards, pages, benchmarks)
def _tokens(text: str) -> tuple[Token, ...]:
    out = []
    depth = 0
    for m in _TOKEN.finditer(text):
        kind = m.lastgroup or "other"
        if kind == "space" or kind == "comment":
            continue
        out.append(Token(kind, m.group(), m.start(), depth))
        if kind == "open":
            depth += 1
        elif kind == "close" and depth:
            depth -= 1
    return tuple(out)


def keywords(text: str) -> list[str]:
    """The bare words of a query, upper-cased, in order (keywords and function names)."""
    return [t.text.upper() for t in tokens(text) if t.kind == "word"]


def calls_service(text: str) -> bool:
    return "service" in text.lower() and "SERVICE" in keywords(text)


def fetches_url(text: str) -> bool:
    """Whether a query or update would make the store fetch a URL (``SERVICE`` or ``LOAD``).

    >>> fetches_url("LOAD SILENT <http://127.0.0.1:1/data.ttl>")
    True
    """
    return any(word in ("SERVICE", "LOAD") for word in keywords(text))


def query_form(text: str) -> str | None:
    """SELECT, ASK, CONSTRUCT or DESCRIBE: the first of them in the text, if any.

    >>> query_form("PREFIX a: <http://ask/> # CONSTRUCT\\nDESCRIBE a:x")
    'DESCRIBE'
    """
    for word in keywords(text):
        if word in ("SELECT", "ASK", "CONSTRUCT", "DESCRIBE"):
            return word
    return None


def names_dataset(update: str) -> bool:
    """Whether an update has a ``USING`` or ``WITH`` clause of its own."""
    return any(t.depth == 0 and t.kind == "word" and t.text.upper() in ("USING", "WITH")
               for t in tokens(update))


def add_using(update: str, graphs: list[str], named_graphs: list[str]) -> str:
    """Give every ``DELETE``/``INSERT … WHERE`` operation the protocol's dataset.

    Inserts ``USING <g>`` and ``USING NAMED <g>`` before each top-level ``WHERE`` that ends a
    modify operation (not the ``DELETE WHERE`` shorthand, which takes no ``USING``).

    >>> add_using("INSERT { ?s a ?t } WHERE { ?s a ?t }", ["http://g"], [])
    'INSERT { ?s a ?t } USING <http://g> WHERE { ?s a ?t }'
    """
    clause = "".join(f"USING <{g}> " for g in graphs) + "".join(
        f"USING NAMED <{g}> " for g in named_graphs
    )
    if not clause:
        return update
    out, last, previous = [], 0, None
    for tok in tokens(update):
        if (tok.depth == 0 and tok.kind == "word" and tok.text.upper() == "WHERE"
                and not (previous is not None and previous.kind == "word"
                         and previous.text.upper() == "DELETE")):
            out.append(update[last:tok.start])
            out.append(clause)
            last = tok.start
        previous = tok
    out.append(update[last:])
    return "".join(out)


def with_limit(query: str, limit: int) -> tuple[str, bool] | None:
    r"""A SELECT query that returns at most ``limit`` rows, and whether it could return more
    rows than ``limit`` before (when False, the query already had a smaller LIMIT).

    Returns None when the text is not a SELECT query this function understands.

    >>> with_limit("SELECT * { ?s ?p ?o } # done", 11)
    ('SELECT * { ?s ?p ?o } # done\nLIMIT 11\n', True)
    >>> with_limit("SELECT * { { SELECT * { ?s ?p ?o } LIMIT 50 } } LIMIT 5 OFFSET 2", 11)
    ('SELECT * { { SELECT * { ?s ?p ?o } LIMIT 50 } } LIMIT 5 OFFSET 2', False)
    >>> with_limit("SELECT * { ?s ?p ?o } LIMIT 500", 11)
    ('SELECT * { ?s ?p ?o } LIMIT 11', True)
    >>> with_limit("SELECT ?x { ?x ?p ?o } VALUES ?x { <a> }", 11)
    ('SELECT ?x { ?x ?p ?o } LIMIT 11 VALUES ?x { <a> }', True)
    """
    toks = _tokens(query)
    if query_form(query) != "SELECT":
        return None
    top = [(i, t) for i, t in enumerate(toks) if t.depth == 0 and t.kind == "word"]
    for i, t in top:
        if t.text.upper() == "LIMIT":
            if i + 1 >= len(toks) or toks[i + 1].kind != "number":
                return None
            number = toks[i + 1]
            if int(number.text) <= limit:
                return query, False
            end = number.start + len(number.text)
            return query[:number.start] + str(limit) + query[end:], True
    for _, t in top:
        if t.text.upper() == "VALUES":  # the trailing ValuesClause: LIMIT goes before it
            return query[:t.start] + f"LIMIT {limit} " + query[t.start:], True
    return query + f"\nLIMIT {limit}\n", True


_VARIABLE = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")


def bind_values(query: str, bindings: dict[str, str]) -> str | None:
    r"""``query`` with its variables bound by a ``VALUES`` block at the start of its WHERE
    group: the way to give a named query's parameters to a remote server, which takes no
    substitutions. ``bindings`` maps variable names to terms *already written as SPARQL
    terms* (``kg.store.remote.sparql_term`` escapes them); names are checked here.

    Returns None when the text has no WHERE group this function can find.

    >>> bind_values('SELECT ?x { ?x ?p "{" }', {"x": "<http://a>"})
    'SELECT ?x { VALUES (?x) { (<http://a>) } ?x ?p "{" }'
    >>> bind_values("CONSTRUCT { ?s ?p ?o } WHERE { ?s ?p ?o }", {"s": "<http://a>"})
    'CONSTRUCT { ?s ?p ?o } WHERE { VALUES (?s) { (<http://a>) } ?s ?p ?o }'
    """
    if not bindings:
        return query
    for name in bindings:
        if not _VARIABLE.fullmatch(name):
            raise ValueError(f"not a variable name: {name!r}")
    form, after_where, brace = None, False, None
    for tok in tokens(query):
        if tok.depth != 0:
            continue
        if tok.kind == "word":
            word = tok.text.upper()
            if form is None and word in ("SELECT", "ASK", "CONSTRUCT", "DESCRIBE"):
                form = word
            elif form is not None and word == "WHERE":
                after_where = True
        elif tok.kind == "open" and form is not None and (after_where or form != "CONSTRUCT"):
            brace = tok
            break
    if brace is None:
        return None
    names = " ".join("?" + n for n in bindings)
    row = " ".join(bindings.values())
    at = brace.start + 1
    return f"{query[:at]} VALUES ({names}) {{ ({row}) }}{query[at:]}"


def one_pattern(text: str) -> bool:
    """Whether ``text`` is a SELECT of one triple pattern and nothing else: a prologue, SELECT
    ``*`` or variables, an optional WHERE, ``{ s p o }`` with IRIs, prefixed names, distinct
    variables and literals, an optional LIMIT. Nothing that can make the engine work without
    giving solutions (FILTER, joins, paths, a variable repeated, DISTINCT, ORDER BY, OFFSET,
    aggregates, expressions): each solution is one step of an index scan, so the work is
    bounded by the number of rows asked for.

    >>> one_pattern("SELECT ?name WHERE { <http://x/p1> bh:name ?name }")
    True
    >>> one_pattern('PREFIX s: <http://s/> SELECT * { ?x a s:C ; s:name "A"@en } LIMIT 5')
    False
    >>> [one_pattern(q) for q in ('SELECT * { ?x ?x ?y }', 'SELECT DISTINCT ?p { ?s ?p ?o }',
    ...                           'SELECT * { ?s ?p "1"^^xsd:integer . }')]
    [False, False, True]
    """
    toks = _tokens(text)
    i, n = 0, len(toks)

    def at(k: int, kind: str, word: str | None = None) -> bool:
        return k < n and toks[k].kind == kind and (word is None or toks[k].text.upper() == word)

    while at(i, "word", "PREFIX") or at(i, "word", "BASE"):
        if at(i, "word", "PREFIX") and at(i + 1, "pname") and at(i + 2, "iri"):
            i += 3
        elif at(i, "word", "BASE") and at(i + 1, "iri"):
            i += 2
        else:
            return False
    if not at(i, "word", "SELECT"):
        return False
    i += 1
    if at(i, "other") and toks[i].text == "*":
        i += 1
    else:
        start = i
        while at(i, "var"):
            i += 1
        if i == start:
            return False
    if at(i, "word", "WHERE"):
        i += 1
    if not at(i, "open"):
        return False
    i += 1
    variables = []
    for position in range(3):
        t = toks[i] if i < n else None
        if t is None:
            return False
        if t.kind == "iri" or (t.kind == "pname" and not t.text.startswith("_:")):
            i += 1  # (``_:b`` is a blank node: a variable in disguise)
        elif t.kind == "var":
            variables.append(t.text[1:])
            i += 1
        elif position == 1 and t.kind == "word" and t.text == "a":
            i += 1
        elif position == 2 and t.kind == "string":
            i += 1
            if at(i, "other") and toks[i].text == "@" and at(i + 1, "word"):
                i += 2
            elif (at(i, "other") and toks[i].text == "^" and at(i + 1, "other")
                  and toks[i + 1].text == "^" and (at(i + 2, "iri") or at(i + 2, "pname"))):
                i += 3
        else:
            return False
    if len(set(variables)) != len(variables):
        return False
    if at(i, "other") and toks[i].text == ".":
        i += 1
    if not at(i, "close"):
        return False
    i += 1
    if at(i, "word", "LIMIT") and at(i + 1, "number"):
        i += 2
    return i == n
