"""A client of a Wikidata SPARQL endpoint: find the items that may be our entities.

Default endpoint: the Wikidata Query Service, asked with a User-Agent that follows Wikimedia's
policy (tool name/version, a contact URL, the library). Any endpoint in Wikidata's RDF shape can
be given instead (the tests use ``oxigraph serve`` loaded with a Wikidata-shaped fixture).

Candidates are found, for every entity at once:

1. by exact identifiers: official website (P856), source code repository (P1324), SIREN
   (P1616) — URL spelling variants (scheme, ``www.``, trailing slash, ``.git``) included;
2. by label or alias (``rdfs:label``/``skos:altLabel`` in French, English or ``mul``) restricted
   by type (``wdt:P31/wdt:P279*`` one of the kind's classes), exact names first; then, on the
   Wikidata Query Service, its full-text entity search, and on any other endpoint a scan of the
   labels of items of that type (small endpoints only), compared in Python.

Each candidate is then described (labels, aliases, descriptions, types, identifiers) and scored
with ``kg.reconcile.scoring`` against the entity; the evidence says why it was proposed.
"""

from __future__ import annotations

import json
import urllib.error
from collections import defaultdict
from dataclasses import dataclass, field

import SPARQLWrapper as _sw
from SPARQLWrapper import JSON, POST, SPARQLWrapper
from SPARQLWrapper.SPARQLExceptions import SPARQLWrapperException

from kg import __version__
from kg.errors import UserError
from kg.namespaces import RDFS, SKOS, WD, WDT
from kg.reconcile.scoring import Entity
from kg.reconcile.text import url_parts

WDQS = "https://query.wikidata.org/sparql"
CONTACT_URL = "https://w3id.org/bluehats-kg/"
SCHEMA_HTTP = "http://schema.org/"  # Wikidata's RDF uses the http: schema.org namespace
LANGS = ("fr", "en", "mul")
CHUNK = 150  # values per query: keeps each request small
SCAN_LIMIT = 20000

# The Wikidata classes (by kind of our records) an item must be an instance of, directly or
# through P279 "subclass of". IDs from shared/reference/wikidata-ids.md only.
KIND_CLASSES: dict[str, tuple[str, ...]] = {
    "project": ("Q7397", "Q9143"),  # software; programming language (our technologies)
    "organisation": ("Q43229",),  # organization
    "person": ("Q5",),  # human
    "event": ("Q1656682",),  # event
}

# Our comparable properties and Wikidata's: (scoring property, Wikidata property, label).
IDENTIFIERS = (
    ("website", "P856", "official website"),
    ("repository", "P1324", "source code repository URL"),
    ("siren", "P1616", "SIREN number"),
)
# The property that links an item of each kind to an organisation.
ORGANISATION_PROPS = {"project": "P178", "organisation": "P749", "person": "P108", "event": "P664"}
PROPERTY_LABELS = {p: label for _, p, label in IDENTIFIERS} | {
    "P178": "developer", "P749": "parent organization", "P108": "employer", "P664": "organizer",
    "P31": "instance of", "P277": "programmed in",
}


class EndpointError(UserError):
    """The SPARQL endpoint could not be reached or did not answer a query."""


def user_agent(contact: str = CONTACT_URL) -> str:
    """``bluehats-kg/0.1.0 (https://…; reconciliation) SPARQLWrapper/2.0.0``, as
    https://meta.wikimedia.org/wiki/User-Agent_policy asks."""
    return f"bluehats-kg/{__version__} ({contact}; Wikidata reconciliation) SPARQLWrapper/{_sw.__version__}"


def qid(iri: str) -> str:
    return iri.removeprefix(WD)


def _lit(text: str, lang: str | None = None) -> str:
    escaped = (text.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n")
               .replace("\r", "\\r"))
    return f'"{escaped}"' + (f"@{lang}" if lang else "")


def url_variants(url: str) -> list[str]:
    """The spellings of a URL Wikidata may hold: http/https, with or without ``www.``, with or
    without a trailing slash (and ``.git`` for repositories)."""
    host, path = url_parts(url)
    forms = set()
    for scheme in ("https://", "http://"):
        for www in ("", "www."):
            stem = f"{scheme}{www}{host}" + (f"/{path}" if path else "")
            forms |= {stem, stem + "/"}
            if path:
                forms.add(stem + ".git")
    forms.add(url)
    return sorted(forms)


def _iri(text: str) -> str | None:
    if any(c in text for c in '<>"{}|^`\\ \n\t'):
        return None
    return f"<{text}>"


@dataclass
class Item:
    """What the endpoint says about one item."""

    qid: str
    labels: dict[str, str] = field(default_factory=dict)  # lang -> label
    aliases: list[str] = field(default_factory=list)
    descriptions: dict[str, str] = field(default_factory=dict)
    instance_of: set[str] = field(default_factory=set)  # QIDs
    classes: set[str] = field(default_factory=set)  # wanted classes it falls under (P31/P279*)
    values: dict[str, set[str]] = field(default_factory=lambda: defaultdict(set))  # PID -> values

    def label(self, langs=LANGS) -> str:
        return next((self.labels[lang] for lang in langs if lang in self.labels),
                    next(iter(self.labels.values()), self.qid))

    def description(self, langs=LANGS) -> str:
        return next((self.descriptions[lang] for lang in langs if lang in self.descriptions), "")

    def entity(self, kind: str) -> Entity:
        props = {ours: tuple(sorted(self.values.get(pid, ()))) for ours, pid, _ in IDENTIFIERS}
        org_pid = ORGANISATION_PROPS.get(kind)
        if org_pid:
            props["organisation"] = tuple(sorted(self.values.get(org_pid, ())))
        return Entity(
            self.qid,
            self.label(),
            (*self.labels.values(), *self.aliases),
            frozenset(self.classes | self.instance_of),
            {k: v for k, v in props.items() if v},
            self.description(),
        )


class WikidataClient:
    def __init__(self, endpoint: str = WDQS, *, contact: str = CONTACT_URL, timeout: int = 60):
        self.endpoint = endpoint
        self.agent = user_agent(contact)
        self.timeout = timeout
        self.queries = 0  # how many requests were sent (reported by the command)

    @property
    def is_wdqs(self) -> bool:
        return self.endpoint.rstrip("/") == WDQS

    # ------------------------------------------------------------------ transport
    def select(self, query: str) -> list[dict[str, dict]]:
        """The bindings of a SELECT query (SPARQL 1.1 Query Results JSON)."""
        sparql = SPARQLWrapper(self.endpoint, agent=self.agent)
        # SPARQLWrapper guesses the query form from its words, comments included (a French
        # "construction" in a header made it a CONSTRUCT): send it without comment lines
        sparql.setQuery("\n".join(x for x in query.splitlines() if not x.lstrip().startswith("#")))
        sparql.setReturnFormat(JSON)
        sparql.setTimeout(self.timeout)
        if len(query) > 1500:  # long VALUES blocks: POST, as the Query Service recommends
            sparql.setMethod(POST)
        self.queries += 1
        try:
            result = sparql.queryAndConvert()
        except (TimeoutError, urllib.error.URLError, ConnectionError) as e:
            raise EndpointError(f"cannot query {self.endpoint}: {getattr(e, 'reason', e)}") from e
        except SPARQLWrapperException as e:
            raise EndpointError(f"{self.endpoint} refused a query: {e}") from e
        except json.JSONDecodeError as e:
            raise EndpointError(f"{self.endpoint} did not answer SPARQL JSON: {e}") from e
        if not isinstance(result, dict) or "results" not in result:
            raise EndpointError(f"{self.endpoint} did not answer SPARQL JSON results")
        return result["results"]["bindings"]

    def _chunks(self, values: list[str]):
        for i in range(0, len(values), CHUNK):
            yield values[i: i + CHUNK]

    # ------------------------------------------------------------------ finding
    def by_identifiers(self, pid: str, values: list[str], urls: bool) -> dict[str, set[str]]:
        """value as we wrote it -> QIDs whose ``pid`` has it (URL variants included)."""
        spelled: dict[str, str] = {}  # the term in the query -> our value
        for v in values:
            if urls:
                for form in url_variants(v):
                    if (term := _iri(form)) is not None:
                        spelled.setdefault(term, v)
            else:
                spelled.setdefault(_lit(v), v)
        found: dict[str, set[str]] = defaultdict(set)
        for chunk in self._chunks(sorted(spelled)):
            query = (
                f"PREFIX wdt: <{WDT}>\nSELECT ?item ?value WHERE {{\n"
                f"  VALUES ?value {{ {' '.join(chunk)} }}\n  ?item wdt:{pid} ?value .\n}}"
            )
            for row in self.select(query):
                value = row["value"]["value"]
                term = f"<{value}>" if row["value"]["type"] == "uri" else _lit(value)
                if term in spelled:
                    found[spelled[term]].add(qid(row["item"]["value"]))
        return found

    def _type_filter(self, classes: tuple[str, ...]) -> str:
        values = " ".join(f"wd:{c}" for c in classes)
        return f"  ?item wdt:P31/wdt:P279* ?class .\n  VALUES ?class {{ {values} }}\n"

    def by_labels(self, names: list[str], classes: tuple[str, ...]) -> dict[str, set[str]]:
        """name -> QIDs of items of one of ``classes`` with that exact label or alias (in
        French, English or ``mul``; as written, and in its usual capitalisations)."""
        spelled: dict[str, str] = {}
        for name in names:
            for form in {name, name.lower(), name.upper(), name.title(), name[:1].upper() + name[1:]}:
                for lang in LANGS:
                    spelled.setdefault(_lit(form, lang), name)
        found: dict[str, set[str]] = defaultdict(set)
        for chunk in self._chunks(sorted(spelled)):
            query = (
                f"PREFIX wd: <{WD}>\nPREFIX wdt: <{WDT}>\nPREFIX rdfs: <{RDFS}>\n"
                f"PREFIX skos: <{SKOS}>\nSELECT DISTINCT ?item ?text WHERE {{\n"
                f"  VALUES ?text {{ {' '.join(chunk)} }}\n"
                f"  {{ ?item rdfs:label ?text }} UNION {{ ?item skos:altLabel ?text }}\n"
                f"{self._type_filter(classes)}}}"
            )
            for row in self.select(query):
                text = row["text"]
                term = _lit(text["value"], text.get("xml:lang"))
                if term in spelled:
                    found[spelled[term]].add(qid(row["item"]["value"]))
        return found

    def scan_labels(self, classes: tuple[str, ...]) -> list[tuple[str, str]]:
        """(QID, label or alias) of every item of ``classes``: for small endpoints, where the
        names are then compared in Python (misspellings included)."""
        query = (
            f"PREFIX wd: <{WD}>\nPREFIX wdt: <{WDT}>\nPREFIX rdfs: <{RDFS}>\n"
            f"PREFIX skos: <{SKOS}>\nSELECT DISTINCT ?item ?text WHERE {{\n"
            f"{self._type_filter(classes)}"
            f"  {{ ?item rdfs:label ?text }} UNION {{ ?item skos:altLabel ?text }}\n"
            f"  FILTER(LANG(?text) IN ({', '.join(_lit(x) for x in LANGS)}))\n"
            f"}} LIMIT {SCAN_LIMIT}"
        )
        return [(qid(r["item"]["value"]), r["text"]["value"]) for r in self.select(query)]

    def search(self, name: str, classes: tuple[str, ...], lang: str = "fr") -> set[str]:
        """The Query Service's full-text entity search (``wikibase:mwapi``), typed."""
        return {qid(r["item"]["value"]) for r in self.select(search_query(name, classes, lang))}

    # ------------------------------------------------------------------ describing
    def describe(self, qids: list[str], kinds_classes: tuple[str, ...]) -> dict[str, Item]:
        items = {q: Item(q) for q in qids}
        pids = sorted({p for _, p, _ in IDENTIFIERS} | set(ORGANISATION_PROPS.values()) | {"P31", "P277"})
        for chunk in self._chunks(sorted(items)):
            values = " ".join(f"wd:{q}" for q in chunk)
            query = (
                f"PREFIX wd: <{WD}>\nPREFIX wdt: <{WDT}>\nPREFIX rdfs: <{RDFS}>\n"
                f"PREFIX skos: <{SKOS}>\nPREFIX schema: <{SCHEMA_HTTP}>\n"
                f"SELECT ?item ?p ?o WHERE {{\n  VALUES ?item {{ {values} }}\n"
                f"  VALUES ?p {{ rdfs:label skos:altLabel schema:description "
                f"{' '.join('wdt:' + p for p in pids)} }}\n"
                f"  ?item ?p ?o .\n"
                f"  FILTER(!isLiteral(?o) || LANG(?o) = \"\" || LANG(?o) IN "
                f"({', '.join(_lit(x) for x in LANGS)}))\n}}"
            )
            for row in self.select(query):
                item = items[qid(row["item"]["value"])]
                p, o = row["p"]["value"], row["o"]
                lang = o.get("xml:lang", "")
                if p == RDFS + "label":
                    item.labels.setdefault(lang, o["value"])
                elif p == SKOS + "altLabel":
                    item.aliases.append(o["value"])
                elif p == SCHEMA_HTTP + "description":
                    item.descriptions.setdefault(lang, o["value"])
                elif p.startswith(WDT):
                    pid = p[len(WDT):]
                    value = qid(o["value"]) if o["value"].startswith(WD) else o["value"]
                    if pid == "P31":
                        item.instance_of.add(value)
                    else:
                        item.values[pid].add(value)
            if kinds_classes:
                classes = " ".join(f"wd:{c}" for c in kinds_classes)
                query = (
                    f"PREFIX wd: <{WD}>\nPREFIX wdt: <{WDT}>\n"
                    f"SELECT DISTINCT ?item ?class WHERE {{\n  VALUES ?item {{ {values} }}\n"
                    f"  VALUES ?class {{ {classes} }}\n  ?item wdt:P31/wdt:P279* ?class .\n}}"
                )
                for row in self.select(query):
                    items[qid(row["item"]["value"])].classes.add(qid(row["class"]["value"]))
        return items


def search_query(name: str, classes: tuple[str, ...], lang: str = "fr") -> str:
    values = " ".join(f"wd:{c}" for c in classes)
    return (
        "PREFIX wikibase: <http://wikiba.se/ontology#>\n"
        "PREFIX bd: <http://www.bigdata.com/rdf#>\n"
        "PREFIX mwapi: <https://www.mediawiki.org/ontology#API/>\n"
        f"PREFIX wd: <{WD}>\nPREFIX wdt: <{WDT}>\n"
        "SELECT DISTINCT ?item WHERE {\n"
        "  SERVICE wikibase:mwapi {\n"
        '    bd:serviceParam wikibase:endpoint "www.wikidata.org" ;\n'
        '                    wikibase:api "EntitySearch" ;\n'
        f"                    mwapi:search {_lit(name)} ;\n"
        f"                    mwapi:language {_lit(lang)} .\n"
        "    ?item wikibase:apiOutputItem mwapi:item .\n"
        "  }\n"
        f"  ?item wdt:P31/wdt:P279* ?class .\n  VALUES ?class {{ {values} }}\n"
        "} LIMIT 20"
    )
