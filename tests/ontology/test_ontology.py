"""The ontology (ontology/bluehats.ttl) and kind schemes (ontology/kinds.ttl).

Checked against the record contract (kg/records.py), the Wikidata reference list and the
publiccode.yml crosswalk of ../shared/reference/ (read at test time).
"""

from __future__ import annotations

import csv
import re

import pytest
from rdflib import OWL, RDF, RDFS, SKOS, Graph, Literal, Namespace, URIRef
from rdflib.collection import Collection

from kg import iris, records
from kg import namespaces as ns
from kg.config import Settings
from kg.namespaces import BH, KIND, SCHEMA, WD

BHNS = Namespace(BH)
SDO = Namespace(SCHEMA)
WDNS = Namespace(WD)
PROV = Namespace(ns.PROV)
DCTERMS = Namespace(ns.DCTERMS)
SH = Namespace(ns.PREFIXES["sh"])
# A plain Namespace: pytest's collection probes module globals, and rdflib's closed XSD
# namespace warns on every unknown attribute.
XSD = Namespace(ns.XSD)

SETTINGS = Settings()
ONTOLOGY_FILES = ("bluehats.ttl", "kinds.ttl", "shapes.ttl")

# The kind schemes and their concepts: the curated data uses exactly these.
SCHEMES = {
    "event-kinds": {"garagethon", "hackathon", "workshop", "webinar", "conference", "meetup"},
    "session-kinds": {
        "presentation",
        "workshop",
        "hands-on",
        "discussion",
        "flash-demos",
        "plenary",
    },
    "project-kinds": {
        "software",
        "library",
        "framework",
        "platform",
        "dataset",
        "standard",
        "programming-language",
        "design-system",
        "research-project",
    },
    "organisation-kinds": {
        "ministry",
        "directorate",
        "public-agency",
        "university",
        "research-institute",
        "research-lab",
        "school",
        "regional-authority",
        "association",
        "company",
        "cooperative",
        "network",
        "programme",
        "foundation",
    },
    "place-kinds": {"city", "venue", "room"},
    "outcome-kinds": {"issue", "merge-request", "pull-request", "prototype", "contribution"},
}

OBJECT_TYPES = {"ref", "url", "wikidata", "concept", "figure"}
DATATYPE_RANGES = {
    "text": {XSD.string, RDFS.Literal},
    "langtext": {RDF.langString, RDFS.Literal},
    "date": {XSD.date},
    "datetime": {XSD.dateTime},
    "decimal": {XSD.decimal},
    "integer": {XSD.integer},
}
MATCHES = (SKOS.exactMatch, SKOS.closeMatch, SKOS.relatedMatch, SKOS.broadMatch, SKOS.narrowMatch)


def _parse(name: str) -> Graph:
    return Graph().parse(SETTINGS.ontology_dir / name, format="turtle")


@pytest.fixture(scope="module")
def onto() -> Graph:
    return _parse("bluehats.ttl")


@pytest.fixture(scope="module")
def kinds() -> Graph:
    return _parse("kinds.ttl")


def classes(g: Graph) -> set[URIRef]:
    return {s for s in g.subjects(RDF.type, OWL.Class) if isinstance(s, URIRef)}


def properties(g: Graph) -> set[URIRef]:
    found = set()
    for t in (OWL.ObjectProperty, OWL.DatatypeProperty, OWL.AnnotationProperty):
        found |= {s for s in g.subjects(RDF.type, t) if isinstance(s, URIRef)}
    return found


def members(g: Graph, node) -> set:
    """A class or datatype expression as a set: an IRI, or the members of its owl:unionOf."""
    union = g.value(node, OWL.unionOf)
    return set(Collection(g, union)) if union is not None else {node}


def superclasses(g: Graph, cls: URIRef) -> set[URIRef]:
    found, todo = {cls}, [cls]
    while todo:
        for sup in g.objects(todo.pop(), RDFS.subClassOf):
            if sup not in found:
                found.add(sup)
                todo.append(sup)
    return found


def record_fields() -> list[tuple[records.Kind | None, records.Field]]:
    out: list[tuple[records.Kind | None, records.Field]] = [(None, fl) for fl in records.COMMON]
    out += [(kind, fl) for kind in records.KINDS for fl in kind.fields]
    return [(kind, fl) for kind, fl in out if fl.prop]


def reference_wikidata_ids() -> set[str]:
    """IDs of the reference list: the first cell of every table row before "Not verified"."""
    text = (SETTINGS.shared_dir / "reference/wikidata-ids.md").read_text(encoding="utf-8")
    checked = text.split("## Not verified")[0]
    ids = set()
    for line in checked.splitlines():
        if line.startswith("|"):
            first_cell = line.split("|")[1]
            ids |= set(re.findall(r"\b[PQ][0-9]+\b", first_cell))
    return ids


def crosswalk_keys() -> set[str]:
    path = SETTINGS.shared_dir / "reference/publiccode-crosswalk.csv"
    with path.open(encoding="utf-8", newline="") as fh:
        return {row["publiccode_key"] for row in csv.DictReader(fh)}


# --- the files -------------------------------------------------------------------------------


@pytest.mark.parametrize("name", ONTOLOGY_FILES)
def test_file_parses(name):
    assert len(_parse(name)) > 50


def test_ontology_header(onto):
    header = BHNS[""]
    assert (header, RDF.type, OWL.Ontology) in onto
    for prop in (DCTERMS.title, DCTERMS.description):
        langs = {o.language for o in onto.objects(header, prop)}
        assert {"fr", "en"} <= langs, prop
    assert onto.value(header, OWL.versionInfo) is not None
    assert onto.value(header, DCTERMS.license) is not None
    assert onto.value(header, DCTERMS.creator) == Literal("bluehats-kg")


def test_every_term_has_french_and_english_label_and_comment(onto):
    terms = {t for t in classes(onto) | properties(onto) if str(t).startswith(BH)}
    assert len(terms) > 80
    missing = []
    for term in sorted(terms):
        for prop in (RDFS.label, RDFS.comment):
            langs = {o.language for o in onto.objects(term, prop) if isinstance(o, Literal)}
            for lang in ("fr", "en"):
                if lang not in langs:
                    missing.append(f"{term} {prop} @{lang}")
    assert not missing, missing


def test_every_term_is_defined_by_the_ontology(onto):
    terms = {t for t in classes(onto) | properties(onto) if str(t).startswith(BH)}
    assert all((t, RDFS.isDefinedBy, BHNS[""]) in onto for t in terms)


def test_every_bh_term_used_is_declared(onto, kinds):
    """A typo in a bh: IRI (bh:Sesion) would silently mint a new term: catch it."""
    declared = classes(onto) | properties(onto) | {BHNS[""], BHNS.topics}
    shapes = _parse("shapes.ttl")
    shape_names = set(shapes.subjects(RDF.type, SH.NodeShape))
    used = set()
    for g in (onto, kinds, shapes):
        for triple in g:
            used |= {t for t in triple if isinstance(t, URIRef)}
    used = {t for t in used if str(t).startswith(BH) and not str(t).startswith(KIND)}
    assert not (used - declared - shape_names)


def test_guide_names_every_term(onto):
    guide = (SETTINGS.ontology_dir.parent / "docs" / "ontology.md").read_text(encoding="utf-8")
    terms = {t for t in classes(onto) | properties(onto) if str(t).startswith(BH)}
    missing = sorted(
        f"bh:{str(t)[len(BH) :]}" for t in terms if f"`bh:{str(t)[len(BH) :]}`" not in guide
    )
    assert not missing, f"docs/ontology.md does not describe {missing}"


def test_guide_tables_agree_with_the_ontology(onto):
    """Each row of the guide's class and property tables names the term's alignments."""
    guide = (SETTINGS.ontology_dir.parent / "docs" / "ontology.md").read_text(encoding="utf-8")
    rows = {}
    for line in guide.splitlines():
        m = re.match(r"\| `bh:(\w+)`", line)
        if m:
            rows[m.group(1)] = line
    assert len(rows) > 80
    aligned = (
        OWL.equivalentClass,
        RDFS.subClassOf,
        OWL.equivalentProperty,
        RDFS.subPropertyOf,
        OWL.inverseOf,
    )
    for local, row in rows.items():
        term = BHNS[local]
        schema_terms = {
            "schema:" + str(o)[len(SCHEMA) :]
            for p in aligned
            for o in onto.objects(term, p)
            if str(o).startswith(SCHEMA)
        }
        wd_terms = {
            "wd:" + str(o)[len(WD) :]
            for p in MATCHES
            for o in onto.objects(term, p)
            if str(o).startswith(WD)
        }
        assert set(re.findall(r"schema:\w+", row)) == schema_terms, row
        assert set(re.findall(r"wd:[PQ]\d+", row)) == wd_terms, row
        key = onto.value(term, BHNS.publiccodeKey)
        if key is not None:
            assert f"`{key}`" in row, row


# --- against the record contract -------------------------------------------------------------


def test_every_record_class_is_declared(onto):
    for kind in records.KINDS:
        assert (BHNS[kind.cls], RDF.type, OWL.Class) in onto, kind.cls
    for extra in ("Agent", "Figure", "Topic"):
        assert (BHNS[extra], RDF.type, OWL.Class) in onto


@pytest.mark.parametrize(
    "kind,fl", record_fields(), ids=lambda v: getattr(v, "name", None) or getattr(v, "key", "*")
)
def test_every_record_property_is_declared_with_its_type(onto, kind, fl):
    prop = BHNS[fl.prop]
    expected = OWL.ObjectProperty if fl.type in OBJECT_TYPES else OWL.DatatypeProperty
    assert (prop, RDF.type, expected) in onto, f"bh:{fl.prop} should be an {expected}"


@pytest.mark.parametrize("local", ["measure", "quantity", "qualifier"])
def test_figure_properties_are_declared(onto, local):
    assert (BHNS[local], RDF.type, OWL.DatatypeProperty) in onto
    assert onto.value(BHNS[local], RDFS.domain) == BHNS.Figure
    assert (BHNS.quantity, RDFS.range, XSD.decimal) in onto


@pytest.mark.parametrize(
    "kind,fl",
    [(k, fl) for k, fl in record_fields() if k is not None],
    ids=lambda v: getattr(v, "name", None) or getattr(v, "key", "*"),
)
def test_domain_and_range_agree_with_records(onto, kind, fl):
    prop = BHNS[fl.prop]
    domain = onto.value(prop, RDFS.domain)
    if domain is not None:
        assert members(onto, domain) & superclasses(onto, BHNS[kind.cls]), (
            f"bh:{fl.prop} is used on {kind.cls}, outside its domain"
        )
    rng = onto.value(prop, RDFS.range)
    if rng is None:
        return
    allowed = members(onto, rng)
    if fl.type == "ref":
        for target in fl.targets:
            cls = BHNS[records.KINDS_BY_NAME[target].cls]
            assert allowed & superclasses(onto, cls), f"bh:{fl.prop} → {target} outside range"
    elif fl.type == "concept":
        assert allowed == {SKOS.Concept}
    elif fl.type in DATATYPE_RANGES:
        assert allowed & DATATYPE_RANGES[fl.type], f"bh:{fl.prop}: range {allowed}"


# --- alignment -------------------------------------------------------------------------------


def test_every_class_but_agent_names_a_schema_org_class(onto):
    for cls in classes(onto):
        if not str(cls).startswith(BH) or cls == BHNS.Agent:
            continue
        targets = set(onto.objects(cls, OWL.equivalentClass)) | set(
            onto.objects(cls, RDFS.subClassOf)
        )
        assert any(str(t).startswith(SCHEMA) for t in targets), cls


# What the build must be able to materialise (issue 2, section 3), read from the ontology.
SCHEMA_ALIGNMENTS = [
    ("Event", "class", SDO.Event),
    ("Session", "class", SDO.Event),
    ("SoftwareProject", "class", SDO.SoftwareSourceCode),
    ("Person", "class", SDO.Person),
    ("Organisation", "class", SDO.Organization),
    ("Place", "class", SDO.Place),
    ("name", "property", SDO.name),
    ("name", "property", RDFS.label),
    ("description", "property", SDO.description),
    ("startDate", "property", SDO.startDate),
    ("endDate", "property", SDO.endDate),
    ("partOfEvent", "property", SDO.superEvent),
    ("partOfEvent", "inverse", SDO.subEvent),
    ("venue", "property", SDO.location),
    ("room", "property", SDO.location),
    ("address", "property", SDO.address),
    ("organiser", "property", SDO.organizer),
    ("speaker", "property", SDO.performer),
    ("facilitator", "property", SDO.contributor),
    ("participant", "property", SDO.attendee),
    ("website", "property", SDO.url),
    ("repository", "property", SDO.codeRepository),
    ("keyword", "property", SDO.keywords),
    ("topic", "property", SDO.about),
    ("aboutProject", "property", SDO.about),
    ("affiliation", "property", SDO.affiliation),
    ("affiliation", "property", SDO.memberOf),
    ("sameAs", "property", SDO.sameAs),
    ("sameAs", "property", OWL.sameAs),
    ("licence", "property", SDO.license),
    ("basedOn", "property", SDO.isBasedOn),
    ("programmingLanguage", "property", SDO.programmingLanguage),
    ("documentation", "property", SDO.softwareHelp),
    ("containedInPlace", "property", SDO.containedInPlace),
    ("prefLabel", "property", SKOS.prefLabel),
    ("broader", "property", SKOS.broader),
    ("altName", "property", SKOS.altLabel),
    ("editorialNote", "property", SKOS.editorialNote),
    ("source", "property", PROV.wasDerivedFrom),
]


@pytest.mark.parametrize("local,what,target", SCHEMA_ALIGNMENTS)
def test_schema_alignment(onto, local, what, target):
    term = BHNS[local]
    preds = {
        "class": (OWL.equivalentClass, RDFS.subClassOf),
        "property": (OWL.equivalentProperty, RDFS.subPropertyOf),
        "inverse": (OWL.inverseOf,),
    }[what]
    assert any((term, p, target) in onto for p in preds), f"bh:{local} → {target}"


# (term, Wikidata ID) pairs the build turns into wdt:/P31 triples (exactMatch or closeMatch).
WIKIDATA_ALIGNMENTS = [
    ("repository", "P1324"),
    ("website", "P856"),
    ("startDate", "P580"),
    ("endDate", "P582"),
    ("partOfEvent", "P361"),
    ("organiser", "P664"),
    ("participant", "P710"),
    ("affiliation", "P108"),
    ("affiliation", "P463"),
    ("programmingLanguage", "P277"),
    ("developer", "P178"),
    ("venue", "P276"),
    ("topic", "P921"),
    ("usesTechnology", "P1547"),
    ("subOrganisationOf", "P749"),
    ("shortName", "P1813"),
    ("siren", "P1616"),
    ("Person", "Q5"),
    ("Organisation", "Q43229"),
    ("Event", "Q1656682"),
]


@pytest.mark.parametrize("local,wid", WIKIDATA_ALIGNMENTS)
def test_wikidata_alignment(onto, local, wid):
    term = BHNS[local]
    assert any((term, p, WDNS[wid]) in onto for p in (SKOS.exactMatch, SKOS.closeMatch))


def test_wikidata_ids_come_from_the_reference_list(onto, kinds):
    allowed = reference_wikidata_ids()
    assert {"P1324", "Q5", "Q46855"} <= allowed  # the list was read
    used = {str(o)[len(WD) :] for g in (onto, kinds) for o in g.objects() if str(o).startswith(WD)}
    assert used, "no Wikidata alignment at all"
    assert not (used - allowed), f"IDs not in wikidata-ids.md: {sorted(used - allowed)}"


def test_wikidata_matches_have_the_right_shape(onto, kinds):
    """Properties match wd:P…, classes and kind concepts wd:Q…; wd: only in SKOS matches."""
    props, clss = properties(onto), classes(onto)
    for g in (onto, kinds):
        for s, p, o in g:
            if not str(o).startswith(WD):
                continue
            assert p in MATCHES, (s, p, o)
            local = str(o)[len(WD) :]
            if s in props:
                assert local.startswith("P"), (s, o)
            else:
                assert s in clss or (s, RDF.type, SKOS.Concept) in g, s
                assert local.startswith("Q"), (s, o)


def test_publiccode_keys_are_crosswalk_keys_on_project_properties(onto):
    keys = crosswalk_keys()
    assert "legal.license" in keys  # the CSV was read
    project_props = {BHNS[fl.prop] for fl in records.KINDS_BY_NAME["project"].fields if fl.prop}
    found = list(onto.subject_objects(BHNS.publiccodeKey))
    assert len(found) >= 10
    for prop, key in found:
        assert isinstance(key, Literal) and str(key) in keys, (prop, key)
        assert prop in project_props, f"{prop} is not a project property"
    assert (BHNS.publiccodeKey, RDF.type, OWL.AnnotationProperty) in onto
    assert (BHNS.repository, BHNS.publiccodeKey, Literal("url")) in onto
    assert (BHNS.licence, BHNS.publiccodeKey, Literal("legal.license")) in onto


# --- kind schemes ----------------------------------------------------------------------------


def test_every_scheme_used_by_records_is_defined():
    used = {fl.scheme for _, fl in record_fields() if fl.scheme}
    assert used == set(SCHEMES)


@pytest.mark.parametrize("scheme", sorted(SCHEMES))
def test_scheme_has_exactly_its_concepts(kinds, scheme):
    scheme_iri = URIRef(KIND + scheme)
    assert (scheme_iri, RDF.type, SKOS.ConceptScheme) in kinds
    concepts = set(kinds.subjects(SKOS.inScheme, scheme_iri))
    assert concepts == {URIRef(iris.concept(scheme, local)) for local in SCHEMES[scheme]}
    for concept in concepts:
        assert (concept, RDF.type, SKOS.Concept) in kinds
        for prop in (SKOS.prefLabel, SKOS.definition):
            assert {o.language for o in kinds.objects(concept, prop)} >= {"fr", "en"}, (
                concept,
                prop,
            )
        for broader in kinds.objects(concept, SKOS.broader):
            assert broader in concepts, f"{concept} broader outside its scheme"
        # a top concept is one without a broader concept, declared both ways
        is_top = (concept, SKOS.topConceptOf, scheme_iri) in kinds
        assert is_top == ((scheme_iri, SKOS.hasTopConcept, concept) in kinds), concept
        assert is_top != any(True for _ in kinds.objects(concept, SKOS.broader)), concept


def test_topic_scheme(onto, kinds):
    assert (BHNS.topics, RDF.type, SKOS.ConceptScheme) in kinds
    assert {o.language for o in kinds.objects(BHNS.topics, SKOS.prefLabel)} >= {"fr", "en"}
    assert (BHNS.Topic, RDFS.subClassOf, SKOS.Concept) in onto


@pytest.mark.parametrize(
    "scheme,local,wid",
    [
        ("event-kinds", "hackathon", "Q46855"),
        ("event-kinds", "garagethon", "Q46855"),
        ("project-kinds", "software", "Q7397"),
        ("project-kinds", "library", "Q7397"),
        ("project-kinds", "framework", "Q7397"),
        ("project-kinds", "platform", "Q7397"),
        ("project-kinds", "design-system", "Q7397"),
        ("project-kinds", "programming-language", "Q9143"),
        ("organisation-kinds", "university", "Q3918"),
        ("place-kinds", "city", "Q515"),
    ],
)
def test_kind_wikidata_matches(kinds, scheme, local, wid):
    concept = URIRef(iris.concept(scheme, local))
    assert any((concept, p, WDNS[wid]) in kinds for p in (SKOS.exactMatch, SKOS.closeMatch))


@pytest.mark.parametrize(
    "local", ["programming-language", "standard", "dataset", "research-project"]
)
def test_kinds_that_are_not_software_do_not_match_software(kinds, onto, local):
    """A project is typed wd:Q7397 through its kind, never through its class alone."""
    concept = URIRef(iris.concept("project-kinds", local))
    for term in (concept, BHNS.SoftwareProject):
        for p in (SKOS.exactMatch, SKOS.closeMatch):
            assert (term, p, WDNS.Q7397) not in kinds + onto


def test_garagethon_is_a_narrower_hackathon(kinds):
    assert (
        URIRef(iris.concept("event-kinds", "garagethon")),
        SKOS.broader,
        URIRef(iris.concept("event-kinds", "hackathon")),
    ) in kinds
