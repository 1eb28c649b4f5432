"""Benchmark: importing publiccode.yml files at scale, against Oxigraph's own bulk load.

    python benchmarks/publiccode_import.py [--files N] [--seed S] [--invalid-share F]

Generates a synthetic corpus (kg/publiccode/generator.py) of N files in a temporary folder,
then, in the same run:

1. *validate*: every file through our validator (kg/publiccode/validator.py);
2. *import*: validate, map the sound files to quads through the ontology's bh:publiccodeKey
   annotations (kg/publiccode/mapping.py) and write them as N-Quads, one file at a time
   (memory stays flat whatever N);
3. *reference*: pyoxigraph's ``bulk_load`` of that same N-Quads file into a fresh on-disk
   store: the rate our import is compared with.

Prints a Markdown table: files/s and triples/s for each step, and the ratio.
"""

from __future__ import annotations

import argparse
import resource
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from kg.config import Settings
from kg.ontology import load as load_ontology
from kg.publiccode.generator import write_corpus
from kg.publiccode.importer import find
from kg.publiccode.mapping import Context, Provenance, file_quads, properties_from
from kg.publiccode.validator import validate_file
from kg.store.loader import write_from_file
from kg.store.serializer import nquads
from kg.store.terms import quads_to_oxigraph


def progress(total: int, label: str):
    from tqdm import tqdm

    return tqdm(total=total, unit="file", desc=label, file=sys.stderr, disable=None, leave=False)


def peak_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--files", type=int, default=1000, help="corpus size (default 1000)")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument(
        "--invalid-share",
        type=float,
        default=0.1,
        help="share of files with a real-world mistake (default 0.1)",
    )
    args = parser.parse_args(argv)
    settings = Settings()
    ctx = Context(settings.base_iri, properties_from(load_ontology(settings.ontology_dir).graph))
    rows = []

    with tempfile.TemporaryDirectory(prefix="publiccode-bench-") as tmp:
        corpus = Path(tmp) / "corpus"
        t0 = time.perf_counter()
        expected_invalid = write_corpus(
            corpus, args.files, seed=args.seed, invalid_share=args.invalid_share
        )
        rows.append(("generate the corpus", args.files, None, time.perf_counter() - t0))
        files = find([corpus])

        t0 = time.perf_counter()
        bar = progress(len(files), "validate")
        invalid = 0
        for path in files:
            invalid += not validate_file(path).ok
            bar.update()
        bar.close()
        rows.append(("validate", len(files), None, time.perf_counter() - t0))

        out = Path(tmp) / "import.nq"
        triples = imported = 0
        t0 = time.perf_counter()
        bar = progress(len(files), "import")
        with out.open("wb") as sink:
            for i, path in enumerate(files):
                report = validate_file(path)
                if report.ok:
                    prov = Provenance(f"f{i}", str(path.relative_to(corpus)), read="2026-01-01")
                    quads = file_quads(report.data, report.findings, prov, ctx)
                    sink.write(nquads(quads_to_oxigraph(quads)))
                    triples += len(quads)
                    imported += 1
                bar.update()
        bar.close()
        import_seconds = time.perf_counter() - t0
        rows.append(("import: validate, map, write N-Quads", len(files), triples, import_seconds))

        t0 = time.perf_counter()
        write_from_file(Path(tmp) / "store", out)
        load_seconds = time.perf_counter() - t0
        rows.append(
            ("reference: pyoxigraph bulk_load of the same N-Quads", None, triples, load_seconds)
        )

    print(
        f"\n## publiccode.yml import, {args.files} files (seed {args.seed}, "
        f"{args.invalid_share:.0%} with a mistake)\n"
    )
    print("| step | files | triples | seconds | files/s | triples/s |")
    print("|---|---:|---:|---:|---:|---:|")
    for name, n_files, n_triples, seconds in rows:
        fps = f"{n_files / seconds:,.0f}" if n_files else ""
        tps = f"{n_triples / seconds:,.0f}" if n_triples else ""
        print(f"| {name} | {n_files or ''} | {n_triples or ''} | {seconds:.2f} | {fps} | {tps} |")
    print(
        f"\nimported {imported} files ({invalid} invalid, {expected_invalid} expected); "
        f"our import runs at {import_seconds / load_seconds:.1f}× the time of Oxigraph's "
        f"bulk load of its output ({triples / import_seconds:,.0f} vs "
        f"{triples / load_seconds:,.0f} triples/s); peak memory {peak_mb():.0f} MB"
    )
    return 0 if invalid == expected_invalid else 1


if __name__ == "__main__":
    sys.exit(main())
