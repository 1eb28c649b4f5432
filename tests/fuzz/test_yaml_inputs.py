"""Hypothesis on the two YAML readers: the data loader (``kg/sources.py`` and the record checks
of ``kg/validation.py``) and the publiccode.yml parser (``kg/publiccode/``). Arbitrary bytes
and arbitrary YAML give findings, never an exception.

CI runs a few dozen examples per property; ``KG_FUZZ_EXAMPLES=2000 python -m pytest tests/fuzz``
runs a longer search.
"""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

import yaml
from hypothesis import HealthCheck, given, settings, strategies as st

from kg.publiccode.validator import validate_bytes
from kg.records import KINDS
from kg.sources import parse_text, read
from kg.validation import check

EXAMPLES = int(os.environ.get("KG_FUZZ_EXAMPLES", "40"))
FUZZ = settings(max_examples=EXAMPLES, deadline=None, derandomize=not os.environ.get("KG_FUZZ_EXAMPLES"),
                suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])

# words the readers know, so that generated documents reach past the first check
RECORD_KEYS = sorted({f.key for k in KINDS for f in k.fields} | {"id", "section", "document"})
SECTIONS = sorted({k.plural for k in KINDS} | {"document", "sources"})
PUBLICCODE_KEYS = ["publiccodeYmlVersion", "name", "url", "landingURL", "softwareVersion",
                   "releaseDate", "platforms", "categories", "developmentStatus", "softwareType",
                   "description", "legal", "maintenance", "localisation", "dependsOn", "it",
                   "intendedAudience", "logo", "en", "fr", "license", "contacts", "type",
                   "shortDescription", "longDescription", "features", "availableLanguages"]

scalars = st.one_of(st.none(), st.booleans(), st.integers(), st.floats(allow_nan=True),
                    st.text(max_size=30), st.dates().map(str),
                    st.sampled_from(["", "~", "null", "yes", "0x1F", "1e3", ".inf", "<script>",
                                     "2024-13-45", "Q42", "https://example.org/x", "{{ x }}"]))


def documents(keys: list[str]):
    key = st.one_of(st.sampled_from(keys), st.text(max_size=12))
    return st.recursive(scalars, lambda inner: st.one_of(
        st.lists(inner, max_size=4), st.dictionaries(key, inner, max_size=6)), max_leaves=25)


# hand-written YAML that generated data never contains: tags, anchors, merges, odd scalars
YAML_FRAGMENTS = [
    "a: &x [1, 2]\nb: *x\n", "a: &a [*a]\n", "<<: {a: 1}\n", "!!python/object:os.system {}\n",
    "? [a, b]\n: c\n", "a: !!binary aGVsbG8=\n", "--- a\n--- b\n", "a: 1\na: 2\n",
    "\ufeffa: 1\n", "a: |\n  x\n b: 2\n", "[" * 300, "{a: " * 300, "- - - - - -\n",
    "a: !custom x\n", "%YAML 1.1\n---\na: yes\n", "\t- a\n", "a: b: c\n", "'unterminated\n",
]
hostile_text = st.one_of(st.sampled_from(YAML_FRAGMENTS),
                         st.lists(st.sampled_from(YAML_FRAGMENTS), min_size=2, max_size=4).map("".join))


def load_data_dir(files: dict[str, bytes]):
    """The build's reading stage on a data folder holding ``files``: read, then check."""
    with tempfile.TemporaryDirectory() as tmp:
        data = Path(tmp) / "data"
        data.mkdir()
        for name, content in files.items():
            (data / name).write_bytes(content)
        documents_, syntax = read(data)
        records, problems = check(documents_, set(), None)
    for p in [*syntax, *problems]:
        assert p.loc.file and p.loc.line >= 1 and p.message
    return records, syntax + problems


@FUZZ
@given(st.binary(max_size=2000))
def test_data_loader_arbitrary_bytes(data):
    load_data_dir({"fuzz.yaml": data})


@FUZZ
@given(st.dictionaries(st.sampled_from(SECTIONS), documents(RECORD_KEYS), max_size=4))
def test_data_loader_arbitrary_yaml(doc):
    load_data_dir({"fuzz.yaml": yaml.safe_dump(doc, allow_unicode=True).encode()})


@FUZZ
@given(st.fixed_dictionaries({}, optional={s: st.lists(documents(RECORD_KEYS), max_size=3)
                                           for s in SECTIONS[:6]}))
def test_data_loader_records_of_every_section(doc):
    load_data_dir({"records.yaml": yaml.safe_dump(doc, allow_unicode=True).encode()})


@FUZZ
@given(hostile_text)
def test_data_loader_hostile_yaml(text):
    load_data_dir({"hostile.yaml": text.encode()})


def test_data_loader_alias_bomb_and_self_reference():
    """Regression: a 300-byte alias bomb took 70 s (millions of values); a self-referring
    alias raised RecursionError. Aliases are reported instead."""
    bomb = "a: &a [x,x,x,x,x,x,x,x,x]\n" + "".join(
        f"{c}: &{c} [" + ",".join([f"*{p}"] * 9) + "]\n" for p, c in zip("abcdef", "bcdefg"))
    for text in (bomb, "a: &a [*a]\n"):
        problems: list = []
        parse_text(text, "bomb.yaml", problems)
        assert any("aliases" in p.message for p in problems)


def check_report(report) -> None:
    for f in report.findings:
        assert f.kind in ("error", "warning") and isinstance(f.message, str) and f.message


@FUZZ
@given(st.binary(max_size=2000))
def test_publiccode_arbitrary_bytes(data):
    check_report(validate_bytes(data, "publiccode.yml"))


@FUZZ
@given(documents(PUBLICCODE_KEYS))
def test_publiccode_arbitrary_yaml(doc):
    check_report(validate_bytes(yaml.safe_dump(doc, allow_unicode=True).encode()))


@FUZZ
@given(st.dictionaries(st.sampled_from(PUBLICCODE_KEYS), documents(PUBLICCODE_KEYS), max_size=12))
def test_publiccode_arbitrary_top_level_keys(doc):
    doc.setdefault("publiccodeYmlVersion", "0.4")
    check_report(validate_bytes(yaml.safe_dump(doc, allow_unicode=True).encode()))


@FUZZ
@given(hostile_text)
def test_publiccode_hostile_yaml(text):
    check_report(validate_bytes(text.encode()))


def test_publiccode_deep_nesting_is_a_finding():
    """Regression: 3,000 nested mappings raised RecursionError out of the validator."""
    report = validate_bytes(("{a: " * 3000).encode())
    assert [f.kind for f in report.findings] == ["error"]
    assert "nested too deeply" in report.findings[0].message
