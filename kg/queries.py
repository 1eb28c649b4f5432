"""The named queries of ``queries/*.rq``: their header, and their parameters bound as terms.

A named query file starts with a comment header (see docs/architecture.md)::

    # title: Sessions per day
    # title@fr: Sessions par jour
    # description: The programme: every session with its day, times, room and speakers.
    # param: day date optional - only this day (YYYY-MM-DD)
    PREFIX …

Parameter types: ``iri``, ``string``, ``date``, ``integer``, ``decimal``, ``boolean``. A value is
checked against its type and bound to the query variable of the same name with pyoxigraph
``substitutions`` (as an RDF term), never pasted into the text; an optional parameter left out
stays unbound.

>>> q = parse("# title: T\\n# param: day date optional - a day\\nSELECT ?day {}", "t", "t.rq")
>>> q.title["en"], q.params[0].name, q.params[0].type, q.params[0].optional
('T', 'day', 'date', True)
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

from kg.errors import UserError
from kg.namespaces import XSD
from kg.store import Literal, NamedNode

TYPES = ("iri", "string", "date", "integer", "decimal", "boolean")
HEADER = re.compile(r"^#\s*([a-z]+)(?:@([a-z]{2,3}))?\s*:\s*(.*?)\s*$")
PARAM = re.compile(
    r"^(?P<name>[A-Za-z_][A-Za-z0-9_]*)\s+(?P<type>[a-z]+)(?P<optional>\s+optional)?"
    r"(?:\s+-\s*(?P<description>.*))?$"
)
NAME = re.compile(r"^[a-z0-9][a-z0-9_-]*$")
DEFAULT_LANGUAGE = "en"


class QueryNotFound(UserError):
    pass


class HeaderError(UserError):
    pass


class ParamError(UserError):
    exit_code = 2


@dataclass(frozen=True)
class Param:
    name: str
    type: str
    optional: bool = False
    description: str = ""


@dataclass
class NamedQuery:
    name: str
    path: Path | str
    text: str
    title: dict[str, str] = field(default_factory=dict)
    description: dict[str, str] = field(default_factory=dict)
    params: list[Param] = field(default_factory=list)

    def bind(self, values: dict[str, str], prefixes: dict[str, str] | None = None) -> dict:
        """Check ``values`` (strings, as typed) and return {variable name: RDF term}."""
        known = {p.name: p for p in self.params}
        unknown = sorted(set(values) - set(known))
        if unknown:
            names = ", ".join(known) or "none"
            raise ParamError(
                f"query '{self.name}' has no parameter {', '.join(unknown)} (parameters: {names})"
            )
        bound = {}
        for p in self.params:
            if p.name not in values:
                if not p.optional:
                    raise ParamError(
                        f"query '{self.name}' needs the parameter '{p.name}' ({p.type})"
                    )
                continue
            bound[p.name] = term(p, values[p.name], prefixes or {})
        return bound


def term(param: Param, value: str, prefixes: dict[str, str]):
    """The RDF term for one parameter value, or ParamError naming the parameter."""
    bad = lambda what: ParamError(f"parameter '{param.name}': {what}")
    t = param.type
    if t == "iri":
        prefix, _, local = value.partition(":")
        if prefix in prefixes and not local.startswith("//"):
            value = prefixes[prefix] + local
        if not re.match(r"^[A-Za-z][A-Za-z0-9+.-]*:[^\s<>\"{}|\\^`]+$", value):
            raise bad(f"'{value}' is not an absolute IRI (or a known prefixed name)")
        return NamedNode(value)
    if t == "string":
        return Literal(value)
    if t == "date":
        try:
            if not re.match(r"^\d{4}-\d{2}-\d{2}$", value):
                raise ValueError
            date.fromisoformat(value)
        except ValueError:
            raise bad(f"'{value}' is not a date (YYYY-MM-DD)") from None
        return Literal(value, datatype=NamedNode(XSD + "date"))
    if t == "integer":
        if not re.match(r"^[+-]?\d+$", value):
            raise bad(f"'{value}' is not an integer")
        return Literal(value, datatype=NamedNode(XSD + "integer"))
    if t == "decimal":
        if not re.match(r"^[+-]?(\d+(\.\d*)?|\.\d+)$", value):
            raise bad(f"'{value}' is not a decimal number")
        return Literal(value, datatype=NamedNode(XSD + "decimal"))
    if t == "boolean":
        if value not in ("true", "false"):
            raise bad(f"'{value}' is not a boolean (true or false)")
        return Literal(value, datatype=NamedNode(XSD + "boolean"))
    raise bad(f"unknown type {t}")  # pragma: no cover (checked when parsing)


def parse(text: str, name: str, shown: str) -> NamedQuery:
    """Read the header of one query file (``shown`` is its path as messages give it)."""
    query = NamedQuery(name, shown, text)
    for number, line in enumerate(text.splitlines(), start=1):
        stripped = line.strip()
        if not stripped:
            continue
        if not stripped.startswith("#"):
            break
        m = HEADER.match(stripped)
        if not m:
            continue  # an ordinary comment
        key, lang, value = m.group(1), m.group(2) or DEFAULT_LANGUAGE, m.group(3)
        if key in ("title", "description"):
            getattr(query, key)[lang] = value
        elif key == "param":
            p = PARAM.match(value)
            if not p or p.group("type") not in TYPES:
                raise HeaderError(
                    f"{shown}:{number}: bad parameter line '{value}': expected "
                    f"'NAME TYPE [optional] [- description]', TYPE one of {', '.join(TYPES)}"
                )
            if any(x.name == p.group("name") for x in query.params):
                raise HeaderError(f"{shown}:{number}: parameter '{p.group('name')}' given twice")
            query.params.append(
                Param(
                    p.group("name"),
                    p.group("type"),
                    bool(p.group("optional")),
                    p.group("description") or "",
                )
            )
    if not query.title:
        raise HeaderError(f"{shown}:1: a named query needs a '# title: …' header line")
    return query


def registry(queries_dir: Path) -> dict[str, NamedQuery]:
    """Every named query of ``queries_dir``, by name (the file name without ``.rq``), each one
    checked (``problems``): a query that does not parse, or whose parameter it could not bind,
    is refused with ``HeaderError`` naming the file and the parameter. Read again only when a
    file changes (the server asks on every request)."""
    if not queries_dir.is_dir():
        return {}
    paths = sorted(queries_dir.glob("*.rq"))
    key = (str(queries_dir), tuple((p.name, *_stamp(p)) for p in paths))
    if _LOADED.get(str(queries_dir), (None,))[0] != key:
        _LOADED[str(queries_dir)] = (key, _load(paths))
    return dict(_LOADED[str(queries_dir)][1])


_LOADED: dict[str, tuple[tuple, dict[str, NamedQuery]]] = {}


def _stamp(path: Path) -> tuple[int, int]:
    stat = path.stat()
    return stat.st_mtime_ns, stat.st_size


def _load(paths: list[Path]) -> dict[str, NamedQuery]:
    found: dict[str, NamedQuery] = {}
    for path in paths:
        name = path.stem
        if not NAME.match(name):
            raise HeaderError(f"{path}: a query name uses lower-case letters, digits, '-' or '_'")
        query = parse(path.read_text(encoding="utf-8"), name, str(path))
        wrong = problems(query)
        if wrong:
            raise HeaderError("; ".join(wrong))
        found[name] = query
    return found


def get(queries_dir: Path, name: str) -> NamedQuery:
    queries = registry(queries_dir)
    if name not in queries:
        names = ", ".join(queries) or "none yet"
        raise QueryNotFound(f"no named query '{name}' in {queries_dir} (known: {names})")
    return queries[name]


SAMPLE_VALUES = {
    "iri": "http://example.org/x",
    "string": "x",
    "date": "2024-01-09",
    "integer": "1",
    "decimal": "1.5",
    "boolean": "true",
}


def problems(query: NamedQuery) -> list[str]:
    """What is wrong with a named query that its header alone cannot tell: it must parse, and
    take every parameter (pyoxigraph binds only variables the query projects: a SELECT must
    select each parameter's variable). Each problem names the file, and the parameter. The
    prefixes a query may use undeclared (``bh:``, ``rdfs:``, ``project:``…) are known, as when
    it runs."""
    from kg.namespaces import data_prefixes
    from kg.store.sparql import QueryError, check

    prefixes = data_prefixes(SAMPLE_VALUES["iri"])
    found = []
    try:
        check(query.text, prefixes=prefixes)
    except QueryError as exc:
        return [f"{query.path}: {exc}"]
    for p in query.params:
        try:
            check(query.text, {p.name: term(p, SAMPLE_VALUES[p.type], {})}, prefixes=prefixes)
        except QueryError as exc:
            found.append(f"{query.path}: parameter '{p.name}': {exc}")
    return found
