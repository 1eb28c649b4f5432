"""Content negotiation: one function, and a table of formats per kind of response.

``RESULTS`` are the SPARQL query-result formats (SELECT, ASK), ``GRAPHS`` the RDF formats
(CONSTRUCT, DESCRIBE, graphs of the Graph Store, resource descriptions). ``HTML`` may be added
to either table by routes that have a page. ``negotiate`` honours q-values and wildcards; a
``format`` parameter (a key, an extension or a media type) overrides the Accept header.

>>> negotiate("text/csv;q=0.5, application/sparql-results+xml", RESULTS).key
'xml'
>>> negotiate("*/*", GRAPHS).key
'turtle'
>>> negotiate(None, RESULTS, format_param="tsv").media_type
'text/tab-separated-values'
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Format:
    key: str  # the name the store functions use (kg.store.query)
    media_type: str  # what we send
    extension: str
    aliases: tuple[str, ...] = ()  # other media types and names accepted for it
    label: str = ""
    charset: bool = True  # whether to add "; charset=utf-8"

    @property
    def content_type(self) -> str:
        return f"{self.media_type}; charset=utf-8" if self.charset else self.media_type

    def names(self) -> tuple[str, ...]:
        return (self.key, self.extension, self.media_type, *self.aliases)


JSON = Format("json", "application/sparql-results+json", "srj",
              ("application/json", "json", "srj"), "SPARQL JSON")
XML = Format("xml", "application/sparql-results+xml", "srx",
             ("application/xml", "text/xml", "xml"), "SPARQL XML")
CSV = Format("csv", "text/csv", "csv", (), "CSV")
TSV = Format("tsv", "text/tab-separated-values", "tsv", (), "TSV")
RESULTS: tuple[Format, ...] = (JSON, XML, CSV, TSV)

TURTLE = Format("turtle", "text/turtle", "ttl", ("application/x-turtle", "ttl"), "Turtle")
NTRIPLES = Format("ntriples", "application/n-triples", "nt", ("text/plain",), "N-Triples")
# "json" and "xml" name JSON-LD and RDF/XML for graphs, so one format= fits any query form
JSONLD = Format("jsonld", "application/ld+json", "jsonld", ("json-ld", "json", "application/json"),
                "JSON-LD")
RDFXML = Format("rdfxml", "application/rdf+xml", "rdf", ("rdf+xml", "owl", "xml", "application/xml"),
                "RDF/XML")
TRIG = Format("trig", "application/trig", "trig", (), "TriG")
NQUADS = Format("nquads", "application/n-quads", "nq", ("text/x-nquads",), "N-Quads")
GRAPHS: tuple[Format, ...] = (TURTLE, NTRIPLES, JSONLD, RDFXML, TRIG, NQUADS)

HTML = Format("html", "text/html", "html", ("application/xhtml+xml",), "HTML")


class NotAcceptable(Exception):
    """No format of the table fits; ``acceptable`` lists the media types that would."""

    def __init__(self, acceptable: list[str]):
        super().__init__(acceptable)
        self.acceptable = acceptable


def parse_accept(header: str | None) -> list[tuple[str, float, int]]:
    """``(media range, q, position)`` for each entry of an Accept header (parameters dropped).

    >>> parse_accept("text/html;level=1;q=0.5, */*")
    [('text/html', 0.5, 0), ('*/*', 1.0, 1)]
    """
    out = []
    for pos, part in enumerate((header or "").split(",")):
        fields = [f.strip() for f in part.split(";")]
        media = fields[0].lower()
        if not media:
            continue
        q = 1.0
        for param in fields[1:]:
            name, _, value = param.partition("=")
            if name.strip().lower() == "q":
                try:
                    q = max(0.0, min(1.0, float(value)))
                except ValueError:
                    q = 0.0
        out.append((media, q, pos))
    return out


def _match(media_range: str, fmt: Format) -> int:
    """How specifically a media range matches a format: 3 exact, 2 type/*, 1 */*, 0 none."""
    types = (fmt.media_type, *(a for a in fmt.aliases if "/" in a))
    if media_range in types:
        return 3
    if media_range == "*/*" or media_range == "*":
        return 1
    main, _, sub = media_range.partition("/")
    if sub == "*" and fmt.media_type.split("/")[0] == main:  # aliases only match exactly
        return 2
    return 0


def by_name(name: str, table: tuple[Format, ...]) -> Format | None:
    name = name.strip().lower()
    for fmt in table:
        if name in fmt.names():
            return fmt
    return None


def negotiate(accept: str | None, table: tuple[Format, ...], *,
              format_param: str | None = None) -> Format:
    """The best format of ``table`` for a request; raises ``NotAcceptable``.

    With no Accept header the first format of the table is chosen. Among equal q-values the
    more specific match wins, then the order of the table.
    """
    if format_param:
        fmt = by_name(format_param, table)
        if fmt is None:
            raise NotAcceptable([f.media_type for f in table])
        return fmt
    entries = parse_accept(accept)
    if not entries:
        return table[0]
    best: tuple[float, int, int] | None = None
    chosen = None
    for index, fmt in enumerate(table):
        # the most specific range that matches this format decides its q
        matches = [(_match(m, fmt), q) for m, q, _ in entries]
        matches = [(s, q) for s, q in matches if s]
        if not matches:
            continue
        specificity, q = max(matches)
        if q <= 0:
            continue
        rank = (q, specificity, -index)
        if best is None or rank > best:
            best, chosen = rank, fmt
    if chosen is None:
        raise NotAcceptable([f.media_type for f in table])
    return chosen


def try_negotiate(accept: str | None, table: tuple[Format, ...], *,
                  format_param: str | None = None) -> Format | None:
    try:
        return negotiate(accept, table, format_param=format_param)
    except NotAcceptable:
        return None


def prefers_html(accept: str | None) -> bool:
    """Whether a client (a browser) ranks HTML above JSON, e.g. for error pages."""
    if not accept:
        return False
    fmt = try_negotiate(accept, (HTML, Format("json", "application/json", "json")))
    return fmt is HTML and any(_match(m, HTML) == 3 for m, q, _ in parse_accept(accept) if q > 0)
