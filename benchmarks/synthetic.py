"""Synthetic inputs shaped like the real graph, at any size, for the benchmarks.

- ``write_data(data_dir, records)``: YAML records (``data/*.yaml``: a source document, its
  events, organisations, people, sessions and projects, linked as in the garagethon report)
  that ``kg build`` reads, validates, maps, aligns and checks like the real ones;
- ``entity_pages.generate`` (beside this file) writes N-Quads of the same shape directly, for
  the endpoint benchmarks that need millions of triples quickly.

About 18 triples per record after mapping and alignment; ``records_for(triples)`` inverts it.
"""

from __future__ import annotations

import random
from pathlib import Path

TRIPLES_PER_RECORD = 18  # measured: 1,000 records gave 19,345 triples with the ontology


def records_for(triples: int) -> int:
    return max(triples // TRIPLES_PER_RECORD, 60)


def write_data(data_dir: Path, records: int, seed: int = 1) -> dict[str, int]:
    """Write about ``records`` records under ``data_dir``; returns counts per kind."""
    rnd = random.Random(seed)
    data_dir.mkdir(parents=True, exist_ok=True)
    counts = {"organisations": max(records // 50, 3), "people": max(records // 5, 10),
              "sessions": max(records // 10, 5), "events": max(records // 2000, 1)}
    counts["projects"] = max(records - sum(counts.values()), 10)
    with (data_dir / "source.yaml").open("w", encoding="utf-8") as out:
        out.write("document: synthetic\nsources:\n  - id: synthetic\n"
                  "    title: Synthetic report\n    section: Document\n    language: fr\n")
        out.write("events:\n")
        for i in range(counts["events"]):
            out.write(f"  - id: ev-{i}\n    name: {{fr: \"Garagethon {i}\", en: \"Garagethon {i}\"}}\n"
                      f"    kind: garagethon\n    section: En bref\n    start_date: 2024-01-09\n"
                      f"    end_date: \"2024-01-10\"\n    organisers: [org-0]\n")
        out.write("organisations:\n")
        for i in range(counts["organisations"]):
            out.write(f"  - id: org-{i}\n    name: Organisation numéro {i}\n"
                      f"    short_name: ORG{i}\n    section: En bref\n")
    with (data_dir / "people.yaml").open("w", encoding="utf-8") as out:
        out.write("document: synthetic\npeople:\n")
        for i in range(counts["people"]):
            org = rnd.randrange(counts["organisations"])
            out.write(f"  - id: per-{i}\n    name: Personne {i}\n    section: Participants\n"
                      f"    affiliations: [org-{org}]\n")
    with (data_dir / "projects.yaml").open("w", encoding="utf-8") as out:
        out.write("document: synthetic\nprojects:\n")
        for i in range(counts["projects"]):
            out.write(f"  - id: pro-{i}\n    name: Projet {i}\n    section: Projets représentés\n"
                      f"    repository: https://git.example.org/p/{i}\n"
                      f"    keywords: [kw{i % 50}, {{fr: \"nuage {i % 7}\", en: \"cloud {i % 7}\"}}]\n")
    with (data_dir / "sessions.yaml").open("w", encoding="utf-8") as out:
        out.write("document: synthetic\nsessions:\n")
        for i in range(counts["sessions"]):
            ev = rnd.randrange(counts["events"])
            out.write(f"  - id: ses-{i}\n    title: Atelier {i}\n    event: ev-{ev}\n"
                      f"    kind: workshop\n    section: Sessions\n"
                      f"    start: 2024-01-09T{9 + i % 8:02d}:00:00+01:00\n"
                      f"    end: 2024-01-09T{10 + i % 8:02d}:00:00+01:00\n"
                      f"    speakers: [per-{rnd.randrange(counts['people'])}]\n"
                      f"    projects: [pro-{rnd.randrange(counts['projects'])}]\n")
    return counts
