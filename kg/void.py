"""The dataset's own description: VoID and DCAT triples made from a build's manifest.

What the dataset is (title, description, licence) is stated here once; what it holds (triples,
entities, classes, graphs, dumps) comes from ``manifest.json``; where it is served (SPARQL
endpoint, dump URLs) is given by the server, which knows its own address.

No licence is claimed here: the garagethon report the curated data comes from states none, the
BlueHats pages of code.gouv.fr are under the Licence Ouverte 2.0, and each publiccode.yml file
carries its project's own terms. The licence the dataset is offered under is a server setting
(``dataset_licence``, docs/server.md); left empty, the description says that none is declared
(``dct:rights``) rather than name one.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass

from kg import iris
from kg.namespaces import DCTERMS, PREFIXES, RDF, RDFS, XSD
from kg.store.describe import Term, iri, literal

VOID = "http://rdfs.org/ns/void#"
DCAT = "http://www.w3.org/ns/dcat#"
FOAF = "http://xmlns.com/foaf/0.1/"

TITLE = {"fr": "Graphe de connaissances BlueHats",
         "en": "BlueHats knowledge graph"}
DESCRIPTION = {
    "fr": "La communauté BlueHats du logiciel libre dans le secteur public français : "
          "événements, sessions, projets, personnes, organisations, thématiques et réalisations, "
          "chaque fait citant le document source et la section dont il vient.",
    "en": "The BlueHats community of free software in the French public sector: events, "
          "sessions, projects, people, organisations, topics and outcomes, every fact citing the "
          "source document and section it comes from.",
}
# names shown for licences a publisher is likely to choose; any other IRI is shown as it is
LICENCE_NAMES = {
    "https://spdx.org/licenses/etalab-2.0": "Licence Ouverte / Open Licence 2.0 (etalab-2.0)",
    "https://spdx.org/licenses/CC-BY-4.0": "Creative Commons Attribution 4.0 (CC-BY-4.0)",
    "https://spdx.org/licenses/CC0-1.0": "CC0 1.0 (CC0-1.0)",
    "https://spdx.org/licenses/ODbL-1.0": "Open Database License 1.0 (ODbL-1.0)",
}
NO_LICENCE = {
    "fr": "Aucune licence n'est déclarée pour ce jeu de données : le compte rendu dont viennent "
          "les données éditées n'en indique pas ; les pages BlueHats de code.gouv.fr sont sous "
          "Licence Ouverte 2.0 ; chaque fichier publiccode.yml relève des conditions de son projet.",
    "en": "No licence is declared for this dataset: the report the curated data comes from states "
          "none; the BlueHats pages of code.gouv.fr are under the Licence Ouverte 2.0; each "
          "publiccode.yml file carries its project's own terms.",
}


def licence_name(licence: str) -> str:
    """What a page shows for the licence IRI ``licence``.

    >>> licence_name("https://spdx.org/licenses/etalab-2.0")
    'Licence Ouverte / Open Licence 2.0 (etalab-2.0)'
    """
    return LICENCE_NAMES.get(licence, licence)
KEYWORDS = ("BlueHats", "logiciel libre", "free software", "secteur public", "public sector")

MEDIA_TYPES = {"ttl": "text/turtle", "nt": "application/n-triples",
               "jsonld": "application/ld+json", "trig": "application/trig",
               "nq": "application/n-quads"}


@dataclass(frozen=True)
class Endpoints:
    """Absolute URLs of the running server (the dataset description names them)."""

    sparql: str
    dumps: dict[str, str]  # format -> absolute download URL
    home: str
    void: str


def _xsd(value: int) -> Term:
    return literal(str(value), datatype=XSD + "integer")


def triples(manifest: dict, sources: list[str], where: Endpoints,
            licence: str = "") -> list[tuple[Term, Term, Term]]:
    """VoID and DCAT statements about ``{base}dataset`` (``sources``: source-document IRIs;
    ``licence``: the IRI of the licence it is offered under, or "" for none declared)."""
    base = manifest["base_iri"]
    ds = iri(iris.dataset(base))
    out: list[tuple[Term, Term, Term]] = []

    def add(s: Term, p: str, o: Term) -> None:
        out.append((s, iri(p), o))

    add(ds, RDF + "type", iri(VOID + "Dataset"))
    add(ds, RDF + "type", iri(DCAT + "Dataset"))
    for lang, text in TITLE.items():
        add(ds, DCTERMS + "title", literal(text, lang=lang))
        add(ds, RDFS + "label", literal(text, lang=lang))
    for lang, text in DESCRIPTION.items():
        add(ds, DCTERMS + "description", literal(text, lang=lang))
    for word in KEYWORDS:
        add(ds, DCAT + "keyword", literal(word))
    if licence:
        add(ds, DCTERMS + "license", iri(licence))
    else:
        for lang, text in NO_LICENCE.items():
            add(ds, DCTERMS + "rights", literal(text, lang=lang))
    for source in sources:
        add(ds, DCTERMS + "source", iri(source))
    add(ds, FOAF + "homepage", iri(where.home))
    add(ds, DCAT + "landingPage", iri(where.home))
    add(ds, VOID + "sparqlEndpoint", iri(where.sparql))
    add(ds, VOID + "uriSpace", literal(base))
    add(ds, VOID + "triples", _xsd(manifest.get("triples", 0)))
    add(ds, VOID + "entities", _xsd(manifest.get("entities", 0)))
    add(ds, VOID + "properties", _xsd(manifest.get("properties", 0)))
    add(ds, VOID + "distinctObjects", _xsd(manifest.get("distinct_objects", 0)))
    add(ds, VOID + "classes", _xsd(len(manifest.get("classes", {}))))
    if manifest.get("content_hash"):
        add(ds, DCTERMS + "identifier", literal(manifest["content_hash"]))
    add(ds, VOID + "vocabulary", iri("https://w3id.org/bluehats-kg/ontology/"))
    for cls, count in sorted(manifest.get("classes", {}).items()):
        part = iri(f"{iris.dataset(base)}#class-{_fragment(cls)}")
        add(ds, VOID + "classPartition", part)
        add(part, VOID + "class", iri(cls))
        add(part, VOID + "entities", _xsd(count))
    for graph, count in sorted(manifest.get("graphs", {}).items()):
        part = iri(graph)
        add(ds, VOID + "subset", part)
        add(part, RDF + "type", iri(VOID + "Dataset"))
        add(part, VOID + "triples", _xsd(count))
    for fmt, url in sorted(where.dumps.items()):
        add(ds, VOID + "dataDump", iri(url))
        dist = iri(f"{iris.dataset(base)}#dump-{fmt}")
        add(ds, DCAT + "distribution", dist)
        add(dist, RDF + "type", iri(DCAT + "Distribution"))
        add(dist, DCAT + "downloadURL", iri(url))
        add(dist, DCAT + "accessURL", iri(url))
        if fmt in MEDIA_TYPES:
            add(dist, DCAT + "mediaType",
                iri("https://www.iana.org/assignments/media-types/" + MEDIA_TYPES[fmt]))
        if licence:
            add(dist, DCTERMS + "license", iri(licence))
        add(dist, DCTERMS + "title", literal(f"{TITLE['en']} ({fmt})", lang="en"))
    service = iri(f"{iris.dataset(base)}#sparql")
    add(ds, DCAT + "distribution", service)
    add(service, RDF + "type", iri(DCAT + "Distribution"))
    add(service, DCAT + "accessURL", iri(where.sparql))
    add(service, DCTERMS + "title", literal("SPARQL 1.1 endpoint", lang="en"))
    return out


def _fragment(class_iri: str) -> str:
    """A readable, unique fragment for a class partition: ``bh-Event``, ``schema-Person``…"""
    best = max((ns for ns in PREFIXES.values() if class_iri.startswith(ns)), key=len, default=None)
    local = class_iri[len(best):] if best else ""
    if best and local and all(c.isalnum() or c in "-_" for c in local):
        prefix = next(p for p, ns in PREFIXES.items() if ns == best)
        return f"{prefix}-{local}"
    return "c-" + hashlib.sha1(class_iri.encode()).hexdigest()[:12]
