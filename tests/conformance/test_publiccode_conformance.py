"""Our publiccode.yml validator against the reference validator's own test files.

Corpus: ``{shared}/corpora/publiccode-conformance`` (italia/publiccode-parser-go's ``testdata``
and ``derived/expected_results_v0.json``). Expectations are compared on the verdict (valid /
valid with warnings / invalid) and on the multiset of (kind, key) findings; line and column
agreement is reported too. Some expectations cannot be reproduced offline and are set apart,
each with its reason, in the printed table:

- *network*: findings the reference made by fetching URLs (reachability, code repository,
  remote files);
- *iPA registry*: Italian administration codes checked against a 234 kB list not in the corpus;
- *corpus lacks files*: files the test names (screenshots) that were left out of the copy.
"""

from __future__ import annotations

import json
import os
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

import pytest

from kg.config import Settings
from kg.publiccode.findings import INVALID, VALID, VALID_WITH_WARNINGS
from kg.publiccode.validator import validate_file

CORPUS = Settings().shared_dir / "corpora" / "publiccode-conformance"
NETWORK = ("not reachable", "is not a valid code repository", "HTTP GET failed", "raw URL")
IPA = "Italian Public Administration Code"


@dataclass
class Case:
    path: Path
    expected: list[dict]  # {kind, key, message, line, col}
    set_apart: str = ""  # why the verdict cannot be compared offline, if it cannot
    got: list = field(default_factory=list)
    verdict: str = ""


def _offline(findings: list[dict]) -> list[dict]:
    return [f for f in findings if not any(n in f["message"] for n in NETWORK)]


def _verdict(findings: list[dict]) -> str:
    if any(f["kind"] == "error" for f in findings):
        return INVALID
    return VALID_WITH_WARNINGS if findings else VALID


def load_cases() -> list[Case]:
    if not CORPUS.is_dir():
        if os.environ.get("CI") == "true":
            pytest.fail(f"conformance corpus missing: {CORPUS}")
        pytest.skip(f"conformance corpus missing: {CORPUS}")
    expected = json.loads((CORPUS / "derived" / "expected_results_v0.json").read_text())
    cases: dict[Path, Case] = {}
    for group, files in expected.items():
        folder = group.split("(", 1)[1].rstrip(")")
        if folder == "?":  # the test that parses from a stream reads the same invalid file
            folder = "testdata/v0/invalid/"
        for name, findings in files.items():
            cases[CORPUS / folder / name] = Case(CORPUS / folder / name, findings)
    for sub in ("valid", "valid/no-network"):
        for path in sorted((CORPUS / "testdata" / "v0" / sub).glob("*.yml")):
            cases.setdefault(path, Case(path, []))
    unsupported = {
        "kind": "error",
        "key": "publiccodeYmlVersion",
        "message": "unsupported version: '1'",
        "line": 0,
        "col": 0,
    }
    for path in sorted((CORPUS / "testdata" / "v1").rglob("*.yml")):
        cases[path] = Case(path, [unsupported])
    return list(cases.values())


@pytest.fixture(scope="module")
def results(report_table) -> list[Case]:
    cases = load_cases()
    for case in cases:
        report = validate_file(case.path, check_files=True)
        case.got, case.verdict = report.findings, report.verdict
        offline = _offline(case.expected)
        if len(offline) < len(case.expected) and _verdict(offline) != _verdict(case.expected):
            case.set_apart = "network"
        elif any(IPA in f["message"] for f in case.expected):
            case.set_apart = "iPA registry"
        elif (
            not case.expected
            and case.got
            and all("no such file" in f.message and not _exists(f.message) for f in case.got)
        ):
            case.set_apart = "corpus lacks files"
    report_table(_table(cases))
    return cases


def _exists(message: str) -> bool:
    path = message.rsplit("no such file: ", 1)[-1]
    return Path(path).exists()


def _agreement(cases: list[Case]) -> dict[str, tuple[int, int]]:
    keys = pos = total = verdicts = compared = extra = 0
    for c in cases:
        want = _offline(c.expected)
        got_keys = Counter((f.kind, f.key) for f in c.got)
        got_pos = Counter((f.kind, f.key, f.line, f.column) for f in c.got)
        want_keys = Counter((f["kind"], f["key"]) for f in want)
        want_pos = Counter((f["kind"], f["key"], f["line"], f["col"]) for f in want)
        total += sum(want_keys.values())
        keys += sum((want_keys & got_keys).values())
        pos += sum((want_pos & got_pos).values())
        extra += sum((got_keys - want_keys).values())
        if not c.set_apart:
            compared += 1
            verdicts += c.verdict == _verdict(_offline(c.expected))
    return {
        "verdicts": (verdicts, compared),
        "findings (kind, key)": (keys, total),
        "positions (line, column)": (pos, total),
        "extra findings": (extra, total),
    }


def _table(cases: list[Case]) -> str:
    rows = _agreement(cases)
    lines = ["", "publiccode.yml conformance (reference: italia/publiccode-parser-go)", ""]
    lines += ["| measure | agreed | of | % |", "|---|---:|---:|---:|"]
    for name, (n, of) in rows.items():
        lines.append(f"| {name} | {n} | {of} | {100 * n / of if of else 0:.1f} |")
    apart = Counter(c.set_apart for c in cases if c.set_apart)
    lines.append("")
    lines.append(
        f"files: {len(cases)}; set apart: "
        + (", ".join(f"{k} {v}" for k, v in sorted(apart.items())) or "none")
    )
    for c in cases:
        if c.set_apart:
            lines.append(
                f"  set apart ({c.set_apart}): {c.path.relative_to(CORPUS)} -> ours: {c.verdict}"
            )
    return "\n".join(lines) + "\n"


def test_verdicts_agree_on_every_offline_case(results):
    wrong = [
        f"{c.path.relative_to(CORPUS)}: expected {_verdict(_offline(c.expected))}, got {c.verdict}"
        + "".join(f"\n    {f}" for f in c.got)
        for c in results
        if not c.set_apart and c.verdict != _verdict(_offline(c.expected))
    ]
    assert not wrong, "\n".join(wrong)


def test_findings_agree_at_least_95_percent(results):
    agreed, total = _agreement(results)["findings (kind, key)"]
    assert total > 150  # the corpus was read whole
    assert agreed / total >= 0.95, f"{agreed}/{total}"


def test_every_version_1_file_is_rejected(results):
    v1 = [c for c in results if "/v1/" in str(c.path)]
    assert len(v1) == 160
    for c in v1:
        assert [(f.kind, f.key) for f in c.got] == [("error", "publiccodeYmlVersion")], c.path
        assert c.got[0].message.startswith("unsupported version: '1'")


def test_set_apart_cases_are_few(results):
    # network-only expectations, the iPA registry and the 3 screenshots left out of the copy
    assert sum(1 for c in results if c.set_apart) <= 6
