"""Reading the YAML: every value keeps its place, scalars stay as written."""

from __future__ import annotations

import pytest

from kg.sources import Mapping, Scalar, Sequence, parse_text, read

TEXT = """\
document: report
projects:
  - id: kubic
    name: "Kubic"
    keywords: [yes, on, 2024-01-09, 1.50, "null"]
    description: null
    notes: ~
    empty:
"""


def test_values_keep_file_line_and_column():
    doc = parse_text(TEXT, "data/x.yaml")
    record = doc["projects"][0]
    assert isinstance(doc, Mapping) and isinstance(doc["projects"], Sequence)
    assert str(record["name"].loc) == "data/x.yaml:4:11"
    assert str(record.key_locs["keywords"]) == "data/x.yaml:5:5"
    assert str(record.loc) == "data/x.yaml:3:5"


def test_scalars_stay_strings_as_written():
    record = parse_text(TEXT, "x.yaml")["projects"][0]
    assert record["keywords"] == ["yes", "on", "2024-01-09", "1.50", "null"]
    assert all(type(k) is Scalar for k in record["keywords"])
    assert record["description"] is None and record["notes"] is None and record["empty"] is None


def test_syntax_errors_are_collected_with_their_place():
    problems = []
    assert parse_text("a: [1, 2\nb: 3\n", "bad.yaml", problems) is None
    (p,) = problems
    assert p.loc.file == "bad.yaml" and p.loc.line >= 1
    assert p.message.startswith("not valid YAML:")
    with pytest.raises(ValueError, match="bad.yaml"):
        parse_text("a: [1, 2\n", "bad.yaml")


def test_duplicate_keys_are_problems():
    problems = []
    doc = parse_text("a: 1\nb: 2\na: 3\n", "d.yaml", problems)
    assert doc == {"a": "1", "b": "2"}
    assert [str(p.loc) + " " + p.message for p in problems] == [
        "d.yaml:3:1 duplicate key 'a' (first at line 1)"
    ]


def test_read_walks_sub_folders_in_order(tmp_path):
    (tmp_path / "b").mkdir()
    (tmp_path / "b" / "z.yaml").write_text("x: 1\n")
    (tmp_path / "a.yml").write_text("y: 2\n")
    (tmp_path / "notes.txt").write_text("not data")
    (tmp_path / "latin1.yaml").write_bytes("x: caf\xe9\n".encode("latin-1"))
    documents, problems = read(tmp_path)
    assert [d.path.name for d in documents] == ["a.yml", "z.yaml"]
    assert len(problems) == 1 and "not UTF-8" in problems[0].message
