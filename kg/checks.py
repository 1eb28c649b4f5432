"""SHACL checks of the mapped graph, with a report people can read.

The data graph is the union of every named graph (aligned triples included, so class and
property hierarchies are already materialised) and of the ontology, so that ``sh:class``
sees ``rdfs:subClassOf`` statements (what pyshacl's "ontology graph" does: it mixes the
ontology into the data before validating).

Two engines give the same results on our shapes (``tests/kg/test_checks.py`` compares them
on every broken fixture of ``tests/ontology/test_shapes.py`` and on the real build):

- ``pyshacl-turbo`` (the default): a Rust engine with pySHACL's API and report graph. The
  build gives it the N-Triples of the union graph (``kg.store.serializer.Sorted.ntriples``,
  made once for the dumps too), which it parses itself: no rdflib copy of the graph.
- ``pyshacl``: the reference, kept to check the other against it.

One documented difference: for ``sh:lessThan``/``sh:lessThanOrEquals`` pyshacl reports
nothing when the two values cannot be compared (a date and a date-time), pyshacl-turbo
reports them as the SHACL specification says. With our shapes such values already break
``sh:datatype`` on the same focus node and path, so the verdict and the (focus, path,
severity) of every result are the same.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass

from rdflib import Graph, Literal, URIRef
from rdflib.namespace import RDF, RDFS, SH
from rdflib.paths import AlternativePath, InvPath, MulPath, SequencePath
from rdflib.plugins.sparql import prepareQuery, processor
from rdflib.plugins.sparql.parserutils import CompValue

from kg.namespaces import PREFIXES

ENGINES = ("pyshacl-turbo", "pyshacl")

# The SHACL predicates of shapes whose results depend only on the triples of the predicates
# they name (paths, targets, classes, SPARQL patterns): any other (sh:closed, sh:rule,
# sh:target, SHACL-JS…) makes ``needed_predicates`` answer "all of them".
_LOCAL = {SH[name] for name in (
    "targetClass", "targetNode", "targetSubjectsOf", "targetObjectsOf", "property", "path",
    "inversePath", "alternativePath", "zeroOrMorePath", "oneOrMorePath", "zeroOrOnePath",
    "class", "datatype", "nodeKind", "minCount", "maxCount", "minExclusive", "minInclusive",
    "maxExclusive", "maxInclusive", "minLength", "maxLength", "pattern", "flags", "languageIn",
    "uniqueLang", "equals", "disjoint", "lessThan", "lessThanOrEquals", "not", "and", "or",
    "xone", "node", "qualifiedValueShape", "qualifiedMinCount", "qualifiedMaxCount",
    "qualifiedValueShapesDisjoint", "hasValue", "in", "message", "severity", "name",
    "description", "order", "group", "defaultValue", "deactivated", "sparql", "select", "ask",
    "prefixes", "declare", "prefix", "namespace",
)}


@dataclass(frozen=True, order=True)
class Violation:
    severity: str  # Violation | Warning | Info
    focus: str
    path: str
    message: str
    value: str
    shape: str
    where: str = ""  # the file and line of the record the focus node comes from

    def __str__(self) -> str:
        line = f"{self.where}: " if self.where else ""
        line += f"{self.severity}: {self.focus}"
        if self.path:
            line += f" {self.path}"
        line += f": {self.message}"
        if self.value:
            line += f" (value: {self.value})"
        return line


@dataclass
class Report:
    conforms: bool  # no result of severity sh:Violation
    results: list[Violation]
    shapes_count: int  # shapes with a target: 0 means nothing was checked

    def text(self) -> str:
        if not self.shapes_count:
            return "No SHACL shapes found: nothing was checked."
        lines = [str(v) for v in self.results]
        n_viol = sum(1 for v in self.results if v.severity == "Violation")
        if self.conforms:
            notes = f" ({len(self.results)} warning(s) or note(s))" if self.results else ""
            lines.append(f"The graph conforms to the SHACL shapes{notes}.")
        else:
            lines.append(f"The graph does not conform: {n_viol} violation(s).")
        return "\n".join(lines)


def short(node, prefixes: dict[str, str] = PREFIXES) -> str:
    """A term as a person reads it: a prefixed name when a known prefix fits."""
    if isinstance(node, URIRef):
        s = str(node)
        best = max((ns for ns in prefixes.values() if s.startswith(ns)), key=len, default=None)
        if best is not None:
            prefix = next(p for p, ns in prefixes.items() if ns == best)
            local = s[len(best) :]
            if local and all(c.isalnum() or c in "-_" for c in local):
                return f"{prefix}:{local}"
        return f"<{s}>"
    if isinstance(node, Literal):
        return f'"{node}"' + (f"@{node.language}" if node.language else "")
    return "" if node is None else str(node)


def _path(graph: Graph, node, prefixes) -> str:
    if node is None:
        return ""
    if isinstance(node, URIRef):
        return short(node, prefixes)
    inverse = graph.value(node, SH.inversePath)
    if inverse is not None:
        return "^" + short(inverse, prefixes)
    return "(complex path)"


@contextmanager
def _prepared_queries() -> Iterator[None]:
    """Parse each SPARQL text once while pyshacl runs.

    pyshacl evaluates a SHACL-SPARQL constraint once per focus node, handing rdflib the same
    query text each time; rdflib would parse it again every time (a quarter of a second each,
    most of a build's time once imported events are many). A translated query is what rdflib's
    own ``prepareQuery`` gives for reuse with other bindings, so the result is the same.
    """
    original = processor.SPARQLProcessor.query
    cache: dict = {}

    def query(self, str_or_query, initBindings=None, initNs=None, base=None, DEBUG=False):
        if isinstance(str_or_query, str):
            key = (str_or_query, base, tuple(sorted((initNs or {}).items())))
            if key not in cache:
                parsed = processor.parseQuery(str_or_query)
                cache[key] = processor.translateQuery(parsed, base, initNs)
            str_or_query = cache[key]
        return original(self, str_or_query, initBindings, initNs, base, DEBUG)

    processor.SPARQLProcessor.query = query
    try:
        yield
    finally:
        processor.SPARQLProcessor.query = original


def _path_iris(path, found: set) -> bool:
    """Add the predicates of a SPARQL property path; False if it may use any predicate."""
    if isinstance(path, URIRef):
        found.add(path)
        return True
    if isinstance(path, (AlternativePath, SequencePath)):
        return all(_path_iris(p, found) for p in path.args)
    if isinstance(path, InvPath):
        return _path_iris(path.arg, found)
    if isinstance(path, MulPath):
        return _path_iris(path.path, found)
    return False  # a variable, a negated property set


def _sparql_predicates(text: str, namespaces: dict) -> set | None:
    """The predicates of a SPARQL query's patterns; None if it may use any predicate."""
    try:
        query = prepareQuery(text, initNs=namespaces)
    except Exception:  # noqa: BLE001  (the engine reports the bad query)
        return None
    found: set = set()
    todo = [query.algebra]
    while todo:
        node = todo.pop()
        if isinstance(node, CompValue):
            if node.name == "BGP" and not all(_path_iris(p, found) for _s, p, _o in node.triples):
                return None
            todo.extend(node.values())
        elif isinstance(node, dict):
            todo.extend(node.values())
        elif isinstance(node, (list, tuple, set, frozenset)):
            todo.extend(node)
    return found


def needed_predicates(shapes: Graph) -> frozenset[str] | None:
    """The predicates whose triples can change a result of ``shapes``: every IRI the shapes
    and their SPARQL queries name, ``rdf:type`` and ``rdfs:subClassOf`` (targets and
    ``sh:class``). None when it cannot be told: a SHACL feature outside ``_LOCAL`` or a SPARQL
    pattern whose predicate is a variable."""
    needed = {RDF.type, RDFS.subClassOf}
    for triple in shapes:
        if str(triple[1]).startswith(str(SH)) and triple[1] not in _LOCAL:
            return None
        needed.update(t for t in triple if isinstance(t, URIRef))
    namespaces = {
        str(shapes.value(d, SH.prefix)): URIRef(str(shapes.value(d, SH.namespace)))
        for d in shapes.subjects(SH.prefix, None)
    }
    for text in shapes.objects(None, SH.select):
        found = _sparql_predicates(str(text), namespaces)
        if found is None:
            return None
        needed |= found
    for text in shapes.objects(None, SH.ask):
        found = _sparql_predicates(str(text), namespaces)
        if found is None:
            return None
        needed |= found
    return frozenset(str(p) for p in needed)


def reduced(ntriples: bytes, predicates: frozenset[str]) -> bytes:
    """The lines of ``ntriples`` whose predicate is one of ``predicates`` (a line not read as
    ``<s> <p> …`` is kept)."""
    keep = {f"<{p}>".encode() for p in predicates}
    out = []
    for line in ntriples.splitlines(keepends=True):
        parts = line.split(b" ", 2)
        if len(parts) < 3 or parts[1] in keep or not parts[1].startswith(b"<"):
            out.append(line)
    return b"".join(out)


def run(
    data,
    shapes: Graph,
    ontology: Graph | None = None,
    *,
    prefixes: dict[str, str] = PREFIXES,
    locations: dict[str, str] | None = None,
    engine: str = ENGINES[0],
    reduce: bool = True,
) -> Report:
    """Validate ``data`` (an rdflib graph, or N-Triples bytes) and ``ontology`` together;
    ``locations`` maps a focus node's IRI to where it was written. With ``reduce``, the
    engine sees only the triples whose predicate the shapes can look at
    (``needed_predicates``): the aligned vocabularies (schema.org, Wikidata…) are about half
    of the graph, and the results cannot change."""
    targets = (SH.targetClass, SH.targetNode, SH.targetSubjectsOf, SH.targetObjectsOf)
    shapes_count = len({s for t in targets for s in shapes.subjects(t, None)})
    if shapes_count == 0:
        return Report(True, [], 0)
    if engine not in ENGINES:
        raise ValueError(f"unknown SHACL engine {engine!r} (known: {', '.join(ENGINES)})")
    text = data.serialize(format="nt", encoding="utf-8") if isinstance(data, Graph) else data
    if ontology is not None:
        text += b"\n" + ontology.serialize(format="nt", encoding="utf-8")
    needed = needed_predicates(shapes) if reduce else None
    if needed is not None:
        text = reduced(text, needed)
    results = _turbo(text, shapes) if engine == "pyshacl-turbo" else _pyshacl(text, shapes)
    found = []
    for result in results.subjects(SH.resultSeverity, None):
        severity = results.value(result, SH.resultSeverity)
        focus = results.value(result, SH.focusNode)
        found.append(
            Violation(
                severity=str(severity).rsplit("#", 1)[-1],
                focus=short(focus, prefixes),
                path=_path(results, results.value(result, SH.resultPath), prefixes),
                message=str(results.value(result, SH.resultMessage) or "constraint not met"),
                value=short(results.value(result, SH.value), prefixes),
                shape=short(results.value(result, SH.sourceShape), prefixes),
                where=(locations or {}).get(str(focus), ""),
            )
        )
    # The build fails on violations only; warnings and notes are reported (SHACL's own
    # sh:conforms is false for any result, whatever its severity).
    violations = any(v.severity == "Violation" for v in found)
    return Report(not violations, sorted(set(found)), shapes_count)


def _turbo(ntriples: bytes, shapes: Graph) -> Graph:
    import pyshacl_turbo
    # The engine's own parser reads the N-Triples (no rdflib copy of the graph, literals as
    # written: an Oxigraph store would give them back in canonical form, and its plain
    # strings as typed ones, which pyshacl-turbo tells apart from the shapes' plain ones).
    from pyshacl_turbo.rdf import Input

    program = pyshacl_turbo.compile_shapes(shapes, advanced=True)
    _conforms, results, _text = program.validate(Input(ntriples.decode("utf-8"), "nt", None, {}))
    return results


def _pyshacl(ntriples: bytes, shapes: Graph) -> Graph:
    from pyshacl import validate

    with _prepared_queries():
        _conforms, results, _text = validate(
            Graph().parse(data=ntriples, format="nt"),
            shacl_graph=shapes,
            inference="none",
            abort_on_first=False,
            advanced=True,
        )
    return results
