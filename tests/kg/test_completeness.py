"""Completeness and faithfulness of the curated garagethon data against its source document.

The curated YAML (``data/garagethon-2024/*.yaml``) is checked against the record contract
(``kg.records``) and against the report itself (``<shared>/sources/000_9fdf5dc43e37c0bf.txt``,
read at test time through ``kg.config.Settings().shared_dir``): the 19 session reports with
their times, the 15 project panels, every organisation the report names, provenance on every
record, no invented URL, no personal e-mail address or phone number.
"""

from __future__ import annotations

import re
from collections import Counter
from datetime import datetime
from pathlib import Path

import pytest
import yaml

from kg import iris
from kg.config import Settings
from kg.namespaces import KIND
from kg.records import FIGURE_KEYS, FIGURE_QUALIFIERS, KINDS_BY_NAME, KINDS_BY_PLURAL, fields_of

DATA_DIR = Path(__file__).resolve().parents[2] / "data" / "garagethon-2024"
DOCUMENT = "garagethon-2024-report"
SOURCE = "sources/000_9fdf5dc43e37c0bf.txt"

# Organisations the report names, as written there (first spelling met) -> record id.
NAMED_ORGANISATIONS = {
    "la Dinum": "dinum",
    "La Dérivation": "la-derivation",
    "l'Établi Numérique": "etabli-numerique",
    "communauté BlueHats": "communaute-bluehats",
    "BlueHats Semester of Code": "bluehats-semester-of-code",
    "DRANE Lyon": "drane-lyon",
    "FUN": "france-universite-numerique",
    "France Université Numérique": "france-universite-numerique",
    "École d'archi Nancy": "ecole-architecture-nancy",
    "Ministère de la Culture": "ministere-culture",
    "Ministère de l'Education Nationale et de la Jeunesse": "menj",
    "MENJ": "menj",
    "DNE": "dne",
    "INSEE": "insee",
    "Service de Statistique Public": "service-statistique-public",
    "OVH": "ovh",
    "Scaleway": "scaleway",
    "université de Toulouse": "universite-de-toulouse",
    "INRIA": "inria",
    "LIUM": "lium",
    "L'Université du Mans": "universite-du-mans",
    "IUT de LAVAL": "iut-laval",
    "CREN": "cren",
    "CUREJ": "curej",
    "Institut national supérieur du professorat et de l'éducation": "inspe",
    "INSPÉ de Nantes": "inspe-nantes",
    "INSPÉ de Reims": "inspe-reims",
    "Pays de la loire": "rectorat-pays-de-la-loire",
    "Bretagne": "rectorat-bretagne",
    "réseau Canopé": "reseau-canope",
    "mission Laïque Française": "mission-laique-francaise",
    "OSI": "osi",
    "Open Source Initiative": "osi",
    "Watura": "watura",
    "OpenAI": "openai",
    "CMA": "cma",
    "Armée": "armees",
    "Éducation nationale": "menj",
    "animafac": "animafac",
    "renater": "renater",
    "adullact": "adullact",
    "polymny": "polymny-studio",
    "redhat": "red-hat",
    "Google": "google",
    "ANCT": "anct",
    "Agence Nationale de la Cohésion des Territoires": "anct",
    "incubateur de services numériques": "incubateur-anct",
    "gristlabs": "grist-labs",
    "IUT de Blagnac": "iut-blagnac",
    "AEIF": "aeif",
    "UNESCO": "unesco",
    "Nouvelle-Aquitaine": "region-nouvelle-aquitaine",
    "NGI": "ngi",
    "Next Generation Internet": "ngi",
    "NLnet": "nlnet",
    "OW2": "ow2",
}

# People the report names (one spelling each) -> record id; identity decisions are in the
# records' notes.
NAMED_PEOPLE = {
    "Cédric Eyssette": "cedric-eyssette",
    "Jean-Baptiste": "jean-baptiste",
    "Antoine L.": "antoine-lebaud",
    "Antoine Lebaud": "antoine-lebaud",
    "Jean-Marc Hasenfratz": "jean-marc-hasenfratz",
    "JEan-Marc INRIA": "jean-marc-hasenfratz",
    "Benoit Rospars": "benoit-rospars",
    "Pablo": "pablo",
    "milovann (Écolmilovann)": "milovann-yanatchkov",
    "Milovann YANATCHKOV": "milovann-yanatchkov",
    "Thierry Forest": "thierry-forest",
    "Julien B": "julien-b",
    "Manuel Raynaud": "manuel-raynaud",
    "Olivier Levitt": "olivier-levitt",
    "Sam Pacoud": "sam-pacoud",
    "Julien Maupetit": "julien-maupetit",
    "Sylvain Boissel": "sylvain-boissel",
    "François Paupier": "francois-paupier",
    "Bastien Guerry": "bastien-guerry",
    "Bastien Guerri": "bastien-guerry",
    "Gauthier": "gauthier",
    "Alexis Kauffmann": "alexis-kauffmann",
    "Charles POULMAIRE": "charles-poulmaire",
    "Vincent Xavier JUMEL": "vincent-xavier-jumel",
    "Matthieu GUERIN": "matthieu-guerin",
    "Bertand MARNE": "bertrand-marne",
    "Bertrand Marne": "bertrand-marne",
    "Colin de la Higuera": "colin-de-la-higuera",
    "Timnit Gebru": "timnit-gebru",
    "Chelsea Manning": "chelsea-manning",
    "Susy Thunder": "susy-thunder",
    "Margaret Hamilton": "margaret-hamilton",
    "Grace Hopper": "grace-hopper",
    "Ada Lovelace": "ada-lovelace",
    "Leonardo Da Vinci": "leonardo-da-vinci",
}

# Tools named outside the panels that the report presents or discusses -> record id.
NAMED_TOOLS = {
    "Sloyd": "sloyd",
    "Grist": "grist",
    "Observatoire de l'accessibilité du web": "observatoire-accessibilite-web",
    "chatMD": "chatmd",
    "Django-DSFR": "django-dsfr",
    "Potsie": "potsie",
    "Asqatasun": "asqatasun",
    "Wagtail": "wagtail",
    "DuckDB": "duckdb",
    "Parquet": "parquet",
    "Minikube": "minikube",
    "k3s": "k3s",
    "kubespray": "kubespray",
    "Openshift": "openshift",
    "Helm": "helm",
    "Terraform": "terraform",
    "Django": "django",
    "React": "react",
    "vue.js": "vuejs",
    "PostgreSQL": "postgresql",
    "Forgego": "forgejo",
    "forgejo": "forgejo",
    "Gitea": "gitea",
    "Gitlab": "gitlab",
    "Wikidata": "wikidata",
    "WikiBase": "wikibase",
    "BlazeGraph": "blazegraph",
    "Big blue button": "bigbluebutton",
    "capytale": "capytale",
    "Grafana": "grafana",
    "Elasticsearch": "elasticsearch",
    "Qdrant": "qdrant",
    "ChromaDB": "chromadb",
    "Milvus": "milvus",
    "Llama Index": "llamaindex",
    "LangChain": "langchain",
    "llama2": "llama2",
    "mistral": "mistral",
    "Perplexity": "perplexity",
    "Copilot": "copilot",
    "ChatGPT": "chatgpt",
    "awesome-codegouvfr": "awesome-codegouvfr",
    "publiccode.yml": "publiccode-yml",
    "Kubernetes": "kubernetes",
    "FastAPI": "fastapi",
    "NocoDB": "nocodb",
    "Baserow": "baserow",
    "Peertube": "peertube",
    "SPARQL": "sparql",
    "RDF": "rdf",
    "xAPI": "xapi",
    "Tchap": "tchap",
    "Mattermost": "mattermost",
}

FUNCTIONAL_MAILBOXES = {"innovation@insee.fr", "ill-epoc-contact@inria.fr"}

DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
DATETIME = re.compile(r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}[+-]\d{2}:\d{2}$")
URL = re.compile(r"^https?://[^\s<>\"]+$")
WIKIDATA = re.compile(r"^http://www\.wikidata\.org/entity/(Q\d+)$")
EMAIL = re.compile(r"[A-Za-z0-9._%+-]+@[A-Za-z0-9.-]+\.[A-Za-z]{2,}")
PHONE = re.compile(r"(?<!\d)(?:\+33\s?|0)[1-9](?:[\s.-]?\d{2}){4}(?!\d)")


# --------------------------------------------------------------------------- fixtures


@pytest.fixture(scope="module")
def source_text() -> str:
    path = Settings().shared_dir / SOURCE
    if not path.is_file():
        pytest.fail(f"source document not found: {path} (set KG_SHARED_DIR to the shared dir)")
    return path.read_text(encoding="utf-8")


@pytest.fixture(scope="module")
def source_lines(source_text) -> set[str]:
    return {line.strip() for line in source_text.splitlines() if line.strip()}


@pytest.fixture(scope="module")
def files() -> dict[str, dict]:
    found = sorted(DATA_DIR.glob("*.yaml"))
    assert found, f"no data files in {DATA_DIR}"
    return {p.name: yaml.safe_load(p.read_text(encoding="utf-8")) for p in found}


@pytest.fixture(scope="module")
def records(files) -> dict[str, list[dict]]:
    """Records by kind name (singular), in file order."""
    by_kind: dict[str, list[dict]] = {k: [] for k in KINDS_BY_NAME}
    for content in files.values():
        for key, value in content.items():
            if key in KINDS_BY_PLURAL:
                by_kind[KINDS_BY_PLURAL[key].name].extend(value)
    return by_kind


@pytest.fixture(scope="module")
def index(records) -> dict[str, dict[str, dict]]:
    return {kind: {r["id"]: r for r in recs} for kind, recs in records.items()}


def as_list(value) -> list:
    return value if isinstance(value, list) else [value]


def texts(value) -> list[str]:
    """The strings of a langtext value (a string or {fr, en})."""
    return list(value.values()) if isinstance(value, dict) else [value]


def heading(record) -> str:
    """The last part of a record's first section: its own heading in the document."""
    return as_list(record["section"])[0].split(" > ")[-1]


def all_records(records):
    for kind, recs in records.items():
        for rec in recs:
            yield kind, rec


# --------------------------------------------------------------------------- the contract


def test_every_file_is_a_mapping_of_kinds_with_the_report_as_document(files):
    for name, content in files.items():
        assert isinstance(content, dict), name
        assert content.get("document") == DOCUMENT, f"{name}: document"
        unknown = set(content) - set(KINDS_BY_PLURAL) - {"document"}
        assert not unknown, f"{name}: unknown top-level keys {unknown}"


def check_value(field, value, where, wikidata_ids):
    if field.type == "text":
        assert isinstance(value, str) and value.strip(), where
    elif field.type == "langtext":
        if isinstance(value, dict):
            assert value and set(value) <= {"fr", "en"}, where
            assert all(isinstance(v, str) and v.strip() for v in value.values()), where
        else:
            assert isinstance(value, str) and value.strip(), where
    elif field.type == "date":
        assert isinstance(value, str) and DATE.match(value), f"{where}: quoted YYYY-MM-DD"
        datetime.fromisoformat(value)
    elif field.type == "datetime":
        assert isinstance(value, str) and DATETIME.match(value), f"{where}: {value!r}"
        assert datetime.fromisoformat(value).utcoffset() is not None, where
    elif field.type == "url":
        assert isinstance(value, str) and URL.match(value), f"{where}: {value!r}"
    elif field.type == "wikidata":
        match = WIKIDATA.match(value)
        assert match and match.group(1) in wikidata_ids, f"{where}: unverified {value}"
    elif field.type in ("ref", "concept"):
        assert isinstance(value, str) and iris.SLUG.match(value), f"{where}: {value!r}"
    elif field.type == "figure":
        assert set(value) <= set(FIGURE_KEYS), where
        assert {"id", "measure", "value", "label"} <= set(value), where
        assert isinstance(value["value"], (int, float)), where
        assert value.get("qualifier", "exact") in FIGURE_QUALIFIERS, where
    else:
        assert isinstance(value, (int, float)), where


@pytest.fixture(scope="module")
def wikidata_ids() -> set[str]:
    text = (Settings().shared_dir / "reference" / "wikidata-ids.md").read_text(encoding="utf-8")
    verified = text.split("## Not verified")[0]
    return set(re.findall(r"\bQ\d+\b", verified))


def test_every_record_follows_the_contract(records, wikidata_ids):
    for kind, rec in all_records(records):
        fields = fields_of(KINDS_BY_NAME[kind])
        where = f"{kind}/{rec.get('id')}"
        unknown = set(rec) - set(fields)
        assert not unknown, f"{where}: unknown keys {unknown}"
        for key, field in fields.items():
            if field.required:
                assert key in rec, f"{where}: missing {key}"
            if key not in rec:
                continue
            if not field.many:
                assert not isinstance(rec[key], list), f"{where}.{key}: a single value"
            for value in as_list(rec[key]):
                check_value(field, value, f"{where}.{key}", wikidata_ids)


def test_ids_are_unique_slugs_within_each_kind(records):
    for kind, recs in records.items():
        ids = [r["id"] for r in recs]
        assert all(iris.SLUG.match(i) for i in ids), kind
        dupes = [i for i, n in Counter(ids).items() if n > 1]
        assert not dupes, f"duplicate {kind} ids: {dupes}"
    for event in records["event"]:
        figure_ids = [f["id"] for f in event.get("figures", [])]
        assert len(figure_ids) == len(set(figure_ids)), event["id"]


def test_every_reference_resolves_to_a_record_of_an_allowed_kind(records, index):
    for kind, rec in all_records(records):
        for key, field in fields_of(KINDS_BY_NAME[kind]).items():
            if field.type != "ref" or key not in rec:
                continue
            for target in as_list(rec[key]):
                assert any(target in index[t] for t in field.targets), (
                    f"{kind}/{rec['id']}.{key}: no {'/'.join(field.targets)} {target!r}"
                )


def kind_concepts() -> dict[str, set[str]]:
    """The concepts of ontology/kinds.ttl by scheme (the data may use only these)."""
    path = Settings().ontology_dir / "kinds.ttl"
    assert path.is_file(), f"{path} is missing"
    import rdflib

    graph = rdflib.Graph().parse(path, format="turtle")
    found: dict[str, set[str]] = {}
    prefix = KIND
    for subject in set(graph.subjects()):
        s = str(subject)
        if s.startswith(prefix) and "/" in s[len(prefix) :]:
            scheme, local = s[len(prefix) :].split("/", 1)
            found.setdefault(scheme, set()).add(local)
    return found


def test_concept_values_belong_to_their_scheme(records):
    concepts = kind_concepts()
    for kind, rec in all_records(records):
        for key, field in fields_of(KINDS_BY_NAME[kind]).items():
            if field.type == "concept" and key in rec:
                assert rec[key] in concepts.get(field.scheme, set()), (
                    f"{kind}/{rec['id']}.{key}: {rec[key]!r} not in {field.scheme}"
                )


# --------------------------------------------------------------------------- provenance


def test_every_record_has_a_section_whose_headings_are_in_the_source(records, source_lines):
    for kind, rec in all_records(records):
        for section in as_list(rec["section"]):
            for part in section.split(" > "):
                assert part in source_lines, f"{kind}/{rec['id']}: heading {part!r} not found"


def test_the_report_is_recorded_as_a_source(index):
    source = index["source"][DOCUMENT]
    assert source["path"] == SOURCE
    assert source["language"] == "fr"
    assert as_list(source["about"]) == ["garagethon-2024"]


# URLs the report links with an empty target, rebuilt from a URL it gives: URL -> that URL.
DERIVED_URLS = {
    # issue #56, linked "(#)", in the repository whose merge request !55 is given in full
    "https://gitlab.adullact.net/dinum/noms-de-domaine-organismes-secteur-public/-/issues/56": (
        "https://gitlab.adullact.net/dinum/noms-de-domaine-organismes-secteur-public/-/merge_requests/55"
    ),
}


def test_no_url_is_invented(records, source_text):
    """Every URL, without its scheme, occurs in the report (the report often omits it)."""
    haystack = source_text.casefold()
    for kind, rec in all_records(records):
        for key, field in fields_of(KINDS_BY_NAME[kind]).items():
            if field.type != "url" or key not in rec:
                continue
            for url in as_list(rec[key]):
                if url in DERIVED_URLS:
                    assert DERIVED_URLS[url] in source_text, url
                    assert "déduite" in notes_text(rec), f"{kind}/{rec['id']}: derivation unnoted"
                    continue
                bare = re.sub(r"^https?://", "", url).rstrip("/").casefold()
                assert bare in haystack, f"{kind}/{rec['id']}.{key}: {url} not in the source"


def test_keywords_and_contact_points_are_as_written(index, source_text):
    for project in index["project"].values():
        for keyword in project.get("keywords", []):
            for text in texts(keyword):
                assert text in source_text, f"{project['id']}: keyword {text!r}"
        for point in project.get("contact_points", []):
            assert point in source_text, f"{project['id']}: contact point {point!r}"


def test_no_personal_email_address_or_phone_number_is_published(files):
    for path in sorted(DATA_DIR.glob("*.yaml")):
        text = path.read_text(encoding="utf-8")
        for address in EMAIL.findall(text):
            assert address in FUNCTIONAL_MAILBOXES, f"{path.name}: personal address {address}"
        assert not PHONE.search(text), f"{path.name}: phone number"
        assert "maupetit@" not in text.casefold(), path.name


# --------------------------------------------------------------------------- the event


def test_the_event_is_as_the_report_gives_it(index):
    event = index["event"]["garagethon-2024"]
    assert event["kind"] == "garagethon"
    assert (event["start_date"], event["end_date"]) == ("2024-01-09", "2024-01-10")
    assert as_list(event["organisers"]) == ["dinum"]
    assert set(event["facilitators"]) == {"la-derivation", "etabli-numerique"}
    venue = index["place"][event["venue"]]
    assert venue["name"]["fr"] == "Lieu de la Transformation Publique"
    assert venue["address"].startswith("77 avenue de Ségur")
    assert index["place"][venue["part_of"]]["same_as"] == ["http://www.wikidata.org/entity/Q90"]
    before = index["event"][event["follows"]]
    assert before["start_date"] == "2022-07-01"
    assert "Mutualisons" in before["name"]["fr"]


def test_the_six_rooms_are_named_after_the_computer_scientists(index, source_text):
    rooms = [p for p in index["place"].values() if p["kind"] == "room"]
    names = {r["named_after"] for r in rooms}
    assert names == {
        "Chelsea Manning",
        "Susy Thunder",
        "Margaret Hamilton",
        "Grace Hopper",
        "Timnit Gebru",
        "Ada Lovelace",
    }
    assert all(f"[{n}]" in source_text for n in names)
    assert all(r["part_of"] == "lieu-de-la-transformation-publique" for r in rooms)


def test_every_en_bref_figure_is_recorded(index):
    figures = {f["measure"]: f for f in index["event"]["garagethon-2024"]["figures"]}
    expected = {
        "participants-present-at-once": (25, "up-to"),
        "participants": (40, "about"),
        "organisations": (10, "more-than"),
        "projects": (18, "exact"),
        "sessions": (16, "exact"),
        "working-hours": (7, "exact"),
        "flash-demos": (6, "exact"),
        "issues-created-or-resolved": (10, "about"),
        "prototypes": (1, "exact"),
        "blue-hats-distributed": (15, "about"),
    }
    for measure, (value, qualifier) in expected.items():
        assert (figures[measure]["value"], figures[measure]["qualifier"]) == (value, qualifier)


def notes_text(record) -> str:
    return " ".join(t for note in record.get("notes", []) for t in texts(note))


def test_the_counts_that_disagree_with_the_document_are_noted(index):
    notes = notes_text(index["event"]["garagethon-2024"])
    for fact in ("16", "19", "18", "15", "6 démos", "dizaine"):
        assert fact in notes, fact


# --------------------------------------------------------------------------- sessions

SESSION_TIME = re.compile(r"^(Mardi|Mercredi) (\d+)h(\d*) ?(?:- ?(?:(\d+)h(\d*))?)?$")
DAYS = {"Mardi": "2024-01-09", "Mercredi": "2024-01-10"}


def body_session_headings(source_text) -> list[str]:
    """Session headings in the body (the table of contents lines end with a page number)."""
    return [
        line.strip()
        for line in source_text.splitlines()
        if re.match(r"^(Mardi|Mercredi) ", line) and "\t" not in line
    ]


def test_nineteen_sessions_nine_on_tuesday_ten_on_wednesday(records):
    sessions = records["session"]
    assert len(sessions) == 19
    days = Counter(s["start"][:10] for s in sessions)
    assert days == {"2024-01-09": 9, "2024-01-10": 10}
    assert all(s["event"] == "garagethon-2024" for s in sessions)


def test_every_session_report_of_the_document_is_recorded(records, source_text):
    body = body_session_headings(source_text)
    assert len(body) == 19
    recorded = [heading(s) for s in records["session"]]
    assert sorted(recorded) == sorted(body)
    for s in records["session"]:
        assert heading(s) == f"{s['time_as_given']} {s['title_as_given']}", s["id"]
    toc = [
        re.sub(r"\.+\t\d+$", "", line)
        for line in source_text.splitlines()
        if re.match(r"^(Mardi|Mercredi) ", line) and "\t" in line
    ]
    assert len(toc) == 19
    for entry in set(toc) - set(body):  # "Démon flash" in the contents, "Démonos flash" below
        session = next(s for s in records["session"] if entry.startswith(s["time_as_given"]))
        assert entry[len(session["time_as_given"]) + 1 :] in session.get("alt_names", [])


def test_session_times_match_the_times_as_given(records):
    for s in records["session"]:
        match = SESSION_TIME.match(s["time_as_given"])
        assert match, f"{s['id']}: {s['time_as_given']!r}"
        day, hour, minute, end_hour, end_minute = match.groups()
        start = datetime.fromisoformat(s["start"])
        assert start.date().isoformat() == DAYS[day], s["id"]
        assert (start.hour, start.minute) == (int(hour), int(minute or 0)), s["id"]
        assert start.utcoffset().total_seconds() == 3600, s["id"]  # Paris in January
        if end_hour:
            end = datetime.fromisoformat(s["end"])
            assert (end.hour, end.minute) == (int(end_hour), int(end_minute or 0)), s["id"]
        else:
            # no end given ("Mardi 16h -") or given elsewhere in the heading: a note says how
            assert s.get("notes"), f"{s['id']}: end time decided without a note"
        if "end" in s:
            assert s["end"] > s["start"], s["id"]


def test_session_facts_quoted_from_the_report(index):
    awesome = index["session"]["atelier-awesome-codegouvfr"]
    urls = {index["outcome"][o].get("url") for o in awesome["outcomes"]}
    assert urls == {
        *(f"https://github.com/codegouvfr/awesome-codegouvfr/issues/{n}" for n in range(21, 26)),
        "https://github.com/InseeFrLab/onyxia/pull/718",
    }
    for n in range(21, 26):
        assert index["outcome"][f"awesome-codegouvfr-issue-{n}"]["kind"] == "issue"
    ndd = index["session"]["ndd-listes-noires"]
    assert index["outcome"]["ndd-mr-55"]["kind"] == "merge-request"
    assert set(ndd["outcomes"]) == {"ndd-issue-56", "ndd-mr-55"}
    assert index["outcome"]["pad-pretty-printer-prototype"]["kind"] == "prototype"
    gtnum = index["session"]["presentation-gtnum-forges"]
    assert "end" not in gtnum  # "Mardi 16h -"
    demos = index["session"]["demos-flash"]
    assert demos["kind"] == "flash-demos" and "jeudi" in notes_text(demos)
    assert {"sloyd", "grist", "observatoire-accessibilite-web"} <= set(demos["projects"])
    assert not any("room" in s for s in index["session"].values())  # the report gives none


# --------------------------------------------------------------------------- projects


def panel_headings(source_text) -> list[str]:
    """The panel titles listed in the table of contents under "Projets représentés"."""
    toc = [re.sub(r"\.+\t\d+$", "", line) for line in source_text.splitlines() if "\t" in line]
    start, end = toc.index("Projets représentés") + 1, toc.index("Compte-rendus des sessions")
    return toc[start:end]


def test_fifteen_panels_each_recorded_once(records, source_text):
    headings = panel_headings(source_text)
    assert len(headings) == 15
    panels = [
        p
        for p in records["project"]
        if as_list(p["section"])[0].startswith("Projets représentés > ")
        and heading(p)
        in {*texts(p["name"]), *(t for a in p.get("alt_names", []) for t in texts(a))}
    ]
    assert sorted(heading(p) for p in panels) == sorted(headings)
    for p in panels:
        assert "garagethon-2024" in p["presented_at"], p["id"]
        assert p.get("description") or p.get("objective"), p["id"]


def test_warren_contact_is_kept_without_the_personal_address(index):
    warren = index["project"]["warren"]
    assert warren["contacts"] == ["julien-maupetit"]
    assert "contact_points" not in warren
    assert "innovation@insee.fr" in index["project"]["onyxia"]["contact_points"]
    assert "ill-epoc-contact@inria.fr" in index["project"]["epoc"]["contact_points"]


def test_tools_named_outside_the_panels_are_recorded(index, source_text):
    for written, ident in NAMED_TOOLS.items():
        assert written in source_text, f"{written!r} not in the source"
        assert ident in index["project"], f"{written!r}: no project {ident!r}"
    assert index["project"]["fordj"]["based_on"] == ["forgejo"]
    assert "Forgego" in index["project"]["forgejo"]["alt_names"]


# --------------------------------------------------------------------------- agents


def test_every_named_organisation_is_recorded(index, source_text):
    for written, ident in NAMED_ORGANISATIONS.items():
        assert written in source_text, f"{written!r} not in the source"
        assert ident in index["organisation"], f"{written!r}: no organisation {ident!r}"


def test_every_named_person_is_recorded_and_identity_decisions_are_noted(index, source_text):
    for written, ident in NAMED_PEOPLE.items():
        assert written in source_text, f"{written!r} not in the source"
        assert ident in index["person"], f"{written!r}: no person {ident!r}"
    for ident in (
        "bastien-guerry",
        "milovann-yanatchkov",
        "antoine-lebaud",
        "jean-marc-hasenfratz",
        "matthieu-ndd",
        "matthieu-financement",
        "bertrand-marne",
        "vincent-xavier-jumel",
    ):
        assert index["person"][ident].get("notes"), ident
    # "Matthieu" of the NDD panel is not merged with Matthieu GUERIN (DNE)
    assert index["project"]["ndd-secteur-public"]["contacts"] == ["matthieu-ndd"]
    assert "affiliations" not in index["person"]["matthieu-ndd"]


# --------------------------------------------------------------------------- inconsistencies

# (kind, record id, a fragment the record's notes must quote): the document's slips are kept
# as notes, not silently fixed.
NOTED_INCONSISTENCIES = [
    ("session", "demos-flash", "jeudi"),
    ("session", "demos-flash", "Démon flash"),
    ("project", "forgejo", "Forgego"),
    ("project", "fordj", "Forgego"),
    ("project", "clickhouse", "clickouse"),
    ("project", "ralph", "clickouse"),
    ("project", "helm", "Helen"),
    ("project", "onyxia", "Helen"),
    ("project", "pad-pretty-printer", "Pretty Pad Printer"),
    ("project", "site-facile", "numerique.gouv"),
    ("project", "ndd-secteur-public", "organisme-secteur-public"),
    ("session", "financement-ospo", "10h30 - 12h30"),
    ("session", "informal-forge", "15h 30"),
    ("session", "presentation-gtnum-forges", "Mardi 16h -"),
    ("person", "bastien-guerry", "Bastien Guerri"),
    ("person", "bertrand-marne", "Bertand"),
    ("source", "garagethon-2024-report", "jeudi"),
]


@pytest.mark.parametrize(("kind", "ident", "fragment"), NOTED_INCONSISTENCIES)
def test_the_document_inconsistencies_are_noted(index, source_text, kind, ident, fragment):
    assert fragment in source_text, f"{fragment!r} is not in the source"
    assert fragment in notes_text(index[kind][ident]), f"{kind}/{ident}: {fragment!r} not noted"


def test_kind_concepts_are_read_from_the_ontology():
    """Regression: the concepts were read with a wrong IRI prefix, found none, and the test
    silently fell back on a hand-written list."""
    concepts = kind_concepts()
    assert "garagethon" in concepts["event-kinds"]
    assert set(concepts) >= {"event-kinds", "session-kinds", "project-kinds", "organisation-kinds",
                             "place-kinds", "outcome-kinds"}
