"""``kg export quickstatements``: statements Wikidata lacks and CREATE blocks, in valid
QuickStatements v1, explained line by line by ``--dry-run``."""

import dataclasses
import datetime as dt
import re
import subprocess
import sys

import pytest

from kg.config import ROOT
from kg.reconcile.review import path_in
from tests.builds import settings_env

BASE = "https://w3id.org/bluehats-kg/"
STRING = r'"[^"\t\n]*"'
TIME = r"[+-]\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ/\d{1,2}"
VALUE = rf"(?:Q\d+|{STRING}|{TIME})"
TERM = re.compile(rf"^(?:[LDA][a-z]{{2,3}}\t{STRING}|P\d+\t{VALUE}(?:\tS\d+\t{VALUE})*)$")


def check_syntax(text: str) -> list[str]:
    """QuickStatements v1: CREATE, or ``Q…|LAST<TAB>command``; LAST only after a CREATE."""
    errors, created = [], False
    for n, line in enumerate(text.splitlines(), 1):
        if line == "CREATE":
            created = True
            continue
        subject, _, rest = line.partition("\t")
        if not (re.fullmatch(r"Q\d+", subject) or (subject == "LAST" and created)):
            errors.append(f"{n}: bad subject {subject!r}")
        elif not TERM.match(rest):
            errors.append(f"{n}: bad command {rest!r}")
    return errors


def test_syntax_checker_can_fail():
    assert check_syntax('CREATE\nLAST\tLfr\t"x"\nQ1\tP31\tQ5\tS854\t"u"\tS813\t+2024-01-01T00:00:00Z/11') == []
    assert check_syntax('LAST\tLfr\t"x"')  # LAST before CREATE
    assert check_syntax('Q1\tP31\tQ5\tS854')  # a reference without value
    assert check_syntax('Q1\tP856\t"a "quoted" b"')  # quotes inside a string
    assert check_syntax("Q1 P31 Q5")  # spaces, not tabs


REVIEW = """\
entities:
  organisation/insee:
    name: INSEE
    candidates:
      - qid: Q156616
        decision: accept
  organisation/inria:
    candidates:
      - qid: Q1146208
        decision: accept
  project/kubernetes:
    candidates:
      - {qid: Q22661306, decision: accept}
  project/onyxia:
    candidates: []
    create: true
  project/epoc:
    create: true
  person/thierry-forest:
    create: true
  project/kubic:
    candidates:
      - {qid: Q7397, decision: reject}
"""


@pytest.fixture
def settings(fixture_settings, tmp_path):
    settings = dataclasses.replace(fixture_settings, data_dir=tmp_path / "data")
    path = path_in(settings.data_dir)
    path.parent.mkdir(parents=True)
    path.write_text(REVIEW, encoding="utf-8")
    return settings


def export(settings, endpoint, *flags):
    done = subprocess.run([sys.executable, "-m", "kg", "export", "quickstatements", "--endpoint",
                           endpoint, *flags], cwd=ROOT, env=settings_env(settings),
                          capture_output=True, text=True, timeout=120, check=False)
    assert done.returncode == 0, done.stderr
    return done.stdout


def test_export(settings, wikidata_endpoint):
    out = export(settings, wikidata_endpoint)
    assert check_syntax(out) == []
    today = dt.date.today().isoformat()
    ref = lambda ident: f'\tS854\t"{BASE}{ident}"\tS813\t+{today}T00:00:00Z/11'
    lines = out.splitlines()
    # an accepted match: what the item lacks, referenced by our page
    assert f'Q22661306\tP1324\t"https://github.com/kubernetes/kubernetes"{ref("project/kubernetes")}' in lines
    # what Wikidata already has (INSEE's website and SIREN) is not repeated
    assert not any(line.startswith("Q156616\t") for line in lines)
    # two CREATE blocks: Onyxia and ePoc; none for a person
    assert lines.count("CREATE") == 2
    onyxia = lines[lines.index('LAST\tLfr\t"Onyxia"') - 1:]
    assert onyxia[0] == "CREATE"
    block = onyxia[: onyxia.index("CREATE", 1)] if "CREATE" in onyxia[1:] else onyxia
    assert 'LAST\tLen\t"Onyxia"' in block
    assert ('LAST\tDfr\t"logiciel développé par Institut national de la statistique et des '
            'études économiques"') in block
    assert any(line.startswith('LAST\tDen\t"software developed by ') for line in block)
    assert 'LAST\tAfr\t"ONYXIA"' in block
    assert f"LAST\tP31\tQ7397{ref('project/onyxia')}" in block
    assert f'LAST\tP1324\t"https://github.com/inseefrlab/onyxia"{ref("project/onyxia")}' in block
    assert f'LAST\tP856\t"https://www.onyxia.sh/"{ref("project/onyxia")}' in block
    # its developer is linked (INSEE accepted): an item value
    assert f"LAST\tP178\tQ156616{ref('project/onyxia')}" in block
    assert f"LAST\tP178\tQ1146208{ref('project/epoc')}" in lines
    assert "Thierry" not in out


def test_dry_run_explains_each_line(settings, wikidata_endpoint):
    plain = export(settings, wikidata_endpoint)
    dry = export(settings, wikidata_endpoint, "--dry-run")
    lines = dry.splitlines()
    statements = [line for line in lines if line and not line.startswith(("#", " ", "-"))]
    assert statements == plain.splitlines()
    for i, line in enumerate(lines):
        if line in statements:
            assert lines[i + 1].startswith("    ↳ "), line
    why = lines[lines.index(next(s for s in statements if s.startswith("Q22661306\tP1324"))) + 1]
    assert "Wikidata has no source code repository URL (P1324) for Q22661306" in why
    assert "bh:repository" in why
    assert "person/thierry-forest: create: true ignored" in dry
    assert "organisation/insee = Q156616: nothing to add" in dry
    assert "project/kubic: no Wikidata item accepted; set `create: true`" in dry
    assert dry.rstrip().endswith("new items")


def test_bad_review_file_names_the_line(settings, wikidata_endpoint):
    path = path_in(settings.data_dir)
    path.write_text(REVIEW.replace("decision: accept\n  organisation/inria",
                                   "decision: maybe\n  organisation/inria"), encoding="utf-8")
    done = subprocess.run([sys.executable, "-m", "kg", "export", "quickstatements", "--endpoint",
                           wikidata_endpoint], cwd=ROOT, env=settings_env(settings),
                          capture_output=True, text=True, timeout=120, check=False)
    assert done.returncode == 1
    assert f"{path}:6: organisation/insee.candidates[0].decision: `maybe`" in done.stderr
