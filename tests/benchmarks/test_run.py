"""``python benchmarks/run.py --quick``: the benchmark command works end to end (no speed is
asserted: figures are read by people, in the tables)."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def test_quick_benchmark_prints_the_tables(tmp_path):
    out = tmp_path / "bench.md"
    run = subprocess.run([sys.executable, "benchmarks/run.py", "--quick", "--out", str(out)],
                         cwd=ROOT, capture_output=True, text=True, timeout=300)
    assert run.returncode == 0, run.stderr[-3000:]
    text = out.read_text()
    assert text in run.stdout
    assert "### Build" in text and "### Endpoint" in text and "load average" in text
    for load in ("cheap lookup", "aggregate", "entity page"):
        rows = [r for r in text.splitlines() if r.startswith(f"| {load}")]
        assert any("| oxigraph serve | " in r and "| 1.00× |" in r for r in rows), load
        ours = [r for r in rows if "| ours, 1 worker |" in r]
        assert ours and re.search(r"\| [\d.]+× \|", ours[0]), load  # a ratio to oxigraph
        assert ours[0].rstrip().endswith("| 0 |"), ours[0]  # no failed request
    build = next(r for r in text.splitlines() if re.match(r"\| [\d,]+ \| [\d,]+ \| ", r))
    assert build.endswith("× |")
