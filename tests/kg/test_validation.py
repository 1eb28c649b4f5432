"""Each class of data error, with the message, file, line and key it reports."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from kg.build import assemble
from kg.config import Settings
from kg.validation import ValidationFailed
from tests.builds import FIXTURES, MINI

ERRORS = FIXTURES / "errors"

# file, line, record kind, record id, key, words the message must hold
CASES = [
    ("unknown_key.yaml", 6, "project", "kubic", "licence_url", "unknown key 'licence_url'"),
    ("wrong_type.yaml", 5, "person", "bob", "name", "wrong type: expected a string, got a mapping"),
    ("bad_date.yaml", 7, "event", "mutualisons", "start_date", "bad date '1er juillet 2022'"),
    ("bad_datetime.yaml", 8, "session", "atelier-kubernetes", "start", "offset required"),
    ("bad_url.yaml", 6, "project", "kubic", "website", "bad URL 'www.example.org'"),
    ("bad_slug.yaml", 3, "project", "Kubic_Project", "id", "bad id 'Kubic_Project'"),
    ("project_duplicate_id.yaml", 3, "project", "onyxia", "id", "duplicate id"),
    (
        "unknown_reference.yaml",
        9,
        "session",
        "atelier-kubernetes",
        "speakers",
        "unknown reference 'bob'",
    ),
    (
        "wrong_kind_reference.yaml",
        9,
        "session",
        "atelier-kubernetes",
        "speakers",
        "'onyxia' is a project, expected a person or an organisation",
    ),
    (
        "unknown_concept.yaml",
        6,
        "session",
        "atelier-kubernetes",
        "kind",
        "unknown concept 'keynote' in scheme 'session-kinds' (known: workshop)",
    ),
    (
        "missing_required.yaml",
        3,
        "session",
        "atelier-kubernetes",
        "start",
        "missing required key 'start'",
    ),
    (
        "unknown_wikidata.yaml",
        6,
        "project",
        "kubic",
        "same_as",
        "Q999999999 is not in reference/wikidata-ids.md",
    ),
    ("unknown_kind.yaml", 2, None, None, None, "unknown record kind 'projets'"),
    ("duplicate_key.yaml", 6, None, None, None, "duplicate key 'name' (first at line 4)"),
    ("bad_yaml.yaml", 6, None, None, None, "not valid YAML"),
    (
        "bad_figure.yaml",
        12,
        "event",
        "mutualisons",
        "figures",
        "unknown figure qualifier 'roughly'",
    ),
    ("empty_value.yaml", 6, "project", "kubic", "description", "empty value"),
    ("unknown_document.yaml", 1, None, None, "document", "unknown source document 'minutes'"),
]


def data_with(tmp_path: Path, *names: str) -> Settings:
    data = tmp_path / "data"
    shutil.copytree(MINI / "data", data)
    for name in names:
        shutil.copy(ERRORS / name, data / name)
    return Settings(data_dir=data, ontology_dir=MINI / "ontology", var_dir=tmp_path / "var")


def problems(settings: Settings):
    with pytest.raises(ValidationFailed) as caught:
        assemble(settings)
    return caught.value.problems


def test_every_error_file_has_a_case():
    assert sorted(p.name for p in ERRORS.glob("*.yaml")) == sorted(c[0] for c in CASES)


@pytest.mark.parametrize("name,line,kind,ident,key,words", CASES, ids=[c[0] for c in CASES])
def test_error_names_file_line_record_and_key(tmp_path, name, line, kind, ident, key, words):
    found = problems(data_with(tmp_path, name))
    assert len(found) == 1, [str(p) for p in found]
    p = found[0]
    assert Path(p.loc.file).name == name
    assert p.loc.line == line
    assert (p.kind, p.id, p.key) == (kind, ident, key)
    assert words in p.message
    text = str(p)
    assert text.startswith(f"{p.loc.file}:{line}:")
    if key:
        assert f"key '{key}'" in text


def test_all_errors_are_reported_at_once(tmp_path):
    names = [c[0] for c in CASES if c[0] != "bad_yaml.yaml"]
    found = problems(data_with(tmp_path, *names))
    assert {Path(p.loc.file).name for p in found} == set(names)
    report = ValidationFailed(found).report()
    assert report.endswith(f"{len(found)} problems found; nothing was built.")


def test_duplicate_id_names_the_first_definition(tmp_path):
    (p,) = problems(data_with(tmp_path, "project_duplicate_id.yaml"))
    assert "programme.yaml:" in p.message


def test_mini_data_is_valid(tmp_path):
    graphs = assemble(data_with(tmp_path))
    assert graphs.records == 8
