"""Benchmark: ``kg import publiccode DIR`` then ``kg build`` of a synthetic corpus, against
Oxigraph's own bulk load of the same quads, with peak memory.

    python benchmarks/publiccode_import.py [--files 1000 10000 100000] [--seed S]

For each size, in a temporary folder and in the same run:

1. generate N publiccode.yml files (``kg/publiccode/generator.py``, 10% with a real-world
   mistake);
2. ``kg import publiccode CORPUS`` (a child process) into a copy of ``data/`` (the curated
   records and the BlueHats pages' import list, without the real publiccode.yml list);
3. ``kg build`` (a child process): the curated data and the N files mapped, aligned,
   SHACL-checked, loaded into a fresh store, dumped;
4. the reference: pyoxigraph's ``Store.bulk_load`` of the published quads (the store's own
   N-Quads dump) into a fresh store (a child process), timed alone.

Peak memory is each child's maximum resident set (``wait4``; the build's includes the ``sort``
processes it waits for). Prints a Markdown table per size and one summary table, with the load
average when the run started and ended (the machine is shared: read figures next to it).
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from kg.publiccode.generator import write_corpus

BUILD = """
import resource, sys
from kg.cli import main
code = main(["build"])
print("PEAK_SELF_KB", resource.getrusage(resource.RUSAGE_SELF).ru_maxrss, file=sys.stderr)
sys.exit(code)
"""

REFERENCE = """
import sys, time
from pyoxigraph import RdfFormat, Store
store = Store(sys.argv[2])
t0 = time.perf_counter()
store.bulk_load(path=sys.argv[1], format=RdfFormat.N_QUADS)
store.flush()
print(time.perf_counter() - t0)
"""

DUMP = """
import sys
from pyoxigraph import RdfFormat, Store
Store.read_only(sys.argv[1]).dump(output=sys.argv[2], format=RdfFormat.N_QUADS)
"""


def load_average() -> str:
    return " ".join(f"{x:.2f}" for x in os.getloadavg())


def run_child(args: list[str], env: dict, stdout_file: Path | None = None):
    """Run a child process, reaped with ``wait4`` for its own peak memory: (seconds, peak
    resident MB, stderr). Its stdout goes to ``stdout_file``."""
    t0 = time.perf_counter()
    with open(stdout_file or os.devnull, "wb") as out, tempfile.TemporaryFile() as err:
        proc = subprocess.Popen(args, cwd=ROOT, env=env, stdout=out, stderr=err)
        _, status, usage = os.wait4(proc.pid, 0)
        proc.returncode = os.waitstatus_to_exitcode(status)
        seconds = time.perf_counter() - t0
        err.seek(0)
        text_err = err.read().decode(errors="replace")
    if proc.returncode not in (0, 1):  # 1: kg import found invalid files (expected)
        raise SystemExit(f"{' '.join(map(str, args[:5]))}… failed ({proc.returncode}):\n"
                         f"{text_err[-3000:]}")
    return seconds, usage.ru_maxrss / 1024, text_err


def data_copy(target: Path) -> None:
    shutil.copytree(ROOT / "data", target)
    (target / "imports" / "publiccode.yaml").unlink(missing_ok=True)


def one_size(n: int, seed: int, invalid_share: float, tmp: Path) -> dict:
    corpus, data, var = tmp / "corpus", tmp / "data", tmp / "var"
    t0 = time.perf_counter()
    invalid = write_corpus(corpus, n, seed=seed, invalid_share=invalid_share)
    generate = time.perf_counter() - t0
    data_copy(data)
    env = {**os.environ, "KG_DATA_DIR": str(data), "KG_VAR_DIR": str(var),
           "PYTHONPATH": str(ROOT)}
    py = sys.executable
    print(f"[{n} files] import…", file=sys.stderr, flush=True)
    imp_s, imp_mb, _ = run_child([py, "-m", "kg", "import", "publiccode", str(corpus)], env,
                                 tmp / "import.out")
    print(f"[{n} files] build…", file=sys.stderr, flush=True)
    build_s, build_mb, err = run_child([py, "-c", BUILD], env, tmp / "build.out")
    self_kb = [ln for ln in err.splitlines() if ln.startswith("PEAK_SELF_KB")]
    build_self_mb = int(self_kb[-1].split()[1]) / 1024 if self_kb else float("nan")
    out = (tmp / "build.out").read_text()
    steps = next((ln.strip() for ln in out.splitlines() if ln.strip().startswith("steps:")), "")
    current = (var / "current").resolve()
    manifest = json.loads((current / "manifest.json").read_text())
    quads = manifest["quads"]
    imported = sum(1 for g in manifest["graphs"] if "/graph/publiccode/" in g)

    print(f"[{n} files] reference bulk_load…", file=sys.stderr, flush=True)
    nq = tmp / "published.nq"
    run_child([py, "-c", DUMP, str(current / "store"), str(nq)], env)
    ref_s_file = tmp / "reference.out"
    _, ref_mb, _ = run_child([py, "-c", REFERENCE, str(nq), str(tmp / "ref-store")],
                                     env, ref_s_file)
    ref_s = float(ref_s_file.read_text().strip())
    return {
        "files": n, "invalid": invalid, "imported": imported, "quads": quads,
        "triples": manifest["triples"], "generate_s": generate,
        "import_s": imp_s, "import_mb": imp_mb,
        "build_s": build_s, "build_mb": build_mb, "build_self_mb": build_self_mb,
        "steps": steps, "reference_s": ref_s, "reference_mb": ref_mb,
    }


def table(rows: list[dict]) -> str:
    lines = [
        ("| files | imported | quads | `kg import` s | files/s | `kg build` s | files/s | "
         "quads/s | bulk_load s | bulk_load quads/s | build ÷ bulk_load | peak MB import | "
         "peak MB build (Python / with sort) | peak MB bulk_load |"),
        "|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for r in rows:
        lines.append(
            f"| {r['files']:,} | {r['imported']:,} | {r['quads']:,} | {r['import_s']:.1f} | "
            f"{r['files'] / r['import_s']:,.0f} | {r['build_s']:.1f} | "
            f"{r['files'] / r['build_s']:,.0f} | {r['quads'] / r['build_s']:,.0f} | "
            f"{r['reference_s']:.1f} | {r['quads'] / r['reference_s']:,.0f} | "
            f"{r['build_s'] / r['reference_s']:.0f}× | {r['import_mb']:,.0f} | "
            f"{r['build_self_mb']:,.0f} / {r['build_mb']:,.0f} | {r['reference_mb']:,.0f} |"
        )
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--files", type=int, nargs="+", default=[1000],
                        help="corpus sizes (default 1000; the issue's: 1000 10000 100000)")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--invalid-share", type=float, default=0.1,
                        help="share of files with a real-world mistake (default 0.1)")
    parser.add_argument("--json", type=Path, help="also write the raw figures here")
    args = parser.parse_args(argv)
    started = load_average()
    rows = []
    for n in args.files:
        with tempfile.TemporaryDirectory(prefix="publiccode-bench-") as tmp:
            row = one_size(n, args.seed, args.invalid_share, Path(tmp))
        row["load_average"] = load_average()
        rows.append(row)
        print(f"\n## {n:,} files (seed {args.seed}, {args.invalid_share:.0%} with a mistake; "
              f"load average at the end {row['load_average']})\n")
        print(table([row]))
        print(f"\n`kg build` {row['steps']}")
    print(f"\n## Summary (load average at start {started}, at end {load_average()}; "
          f"{os.cpu_count()} CPUs)\n")
    print(table(rows))
    if args.json:
        args.json.write_text(json.dumps(rows, indent=2) + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
