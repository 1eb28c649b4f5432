"""Prefixes used across the project (ontology, dumps, queries, pages).

The ontology namespace is fixed: it names our terms whatever base IRI a deployment uses for
its data (``kg.config.Settings.base_iri``).
"""

ONTOLOGY = "https://w3id.org/bluehats-kg/ontology/"
KIND = ONTOLOGY + "kind/"  # SKOS concepts of the kind schemes (ontology/kinds.ttl)

PREFIXES: dict[str, str] = {
    "bh": ONTOLOGY,
    "bhk": KIND,
    "rdf": "http://www.w3.org/1999/02/22-rdf-syntax-ns#",
    "rdfs": "http://www.w3.org/2000/01/rdf-schema#",
    "owl": "http://www.w3.org/2002/07/owl#",
    "xsd": "http://www.w3.org/2001/XMLSchema#",
    "skos": "http://www.w3.org/2004/02/skos/core#",
    "schema": "https://schema.org/",
    "wd": "http://www.wikidata.org/entity/",
    "wdt": "http://www.wikidata.org/prop/direct/",
    "prov": "http://www.w3.org/ns/prov#",
    "dcterms": "http://purl.org/dc/terms/",
    "dcat": "http://www.w3.org/ns/dcat#",
    "void": "http://rdfs.org/ns/void#",
    "sh": "http://www.w3.org/ns/shacl#",
    "foaf": "http://xmlns.com/foaf/0.1/",
}

BH = ONTOLOGY
RDF = PREFIXES["rdf"]
RDFS = PREFIXES["rdfs"]
OWL = PREFIXES["owl"]
XSD = PREFIXES["xsd"]
SKOS = PREFIXES["skos"]
SCHEMA = PREFIXES["schema"]
WD = PREFIXES["wd"]
WDT = PREFIXES["wdt"]
PROV = PREFIXES["prov"]
DCTERMS = PREFIXES["dcterms"]


def sparql_prologue() -> str:
    """``PREFIX`` lines for every known prefix, for queries typed by people."""
    return "".join(f"PREFIX {p}: <{iri}>\n" for p, iri in PREFIXES.items())


def data_prefixes(base: str) -> dict[str, str]:
    """Every known prefix plus one per record kind for the data IRIs (``project:`` …)."""
    from kg import iris
    from kg.records import KINDS

    prefixes = dict(PREFIXES)
    for kind in KINDS:
        prefixes.setdefault(kind.name, iris.entity(base, kind.name, ""))
    return prefixes
