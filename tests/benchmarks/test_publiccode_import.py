"""The short version of ``benchmarks/publiccode_import.py``: ``kg import publiccode`` then
``kg build`` of a few generated files, against Oxigraph's bulk load of the same quads. The
figures are printed, not asserted; what is checked is that every step ran on the same quads."""

from __future__ import annotations

import json

from benchmarks.publiccode_import import main


def test_import_then_build_against_bulk_load(tmp_path, capsys):
    out = tmp_path / "figures.json"
    assert main(["--files", "30", "--seed", "1", "--json", str(out)]) == 0
    printed = capsys.readouterr().out
    print(printed)
    [row] = json.loads(out.read_text())
    assert row["files"] == 30 and row["imported"] == 30 - row["invalid"] > 0
    assert row["quads"] > row["imported"] * 20  # the curated data and the files' graphs
    assert row["import_s"] > 0 and row["build_s"] > 0 and row["reference_s"] > 0
    assert row["import_mb"] > 0 and row["build_self_mb"] > 0 and row["reference_mb"] > 0
    assert "bulk_load quads/s" in printed and "| 30 |" in printed
    assert row["steps"].startswith("steps: ") and "shacl" in row["steps"]
