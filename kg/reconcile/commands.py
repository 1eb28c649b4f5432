"""The work behind ``kg reconcile wikidata`` and ``kg export quickstatements`` (``kg/cli.py``
only parses their arguments)."""

from __future__ import annotations

import datetime as dt
import json
import sys

from kg.config import Settings
from kg.errors import UserError
from kg.reconcile import proposals as props
from kg.reconcile import quickstatements as qs
from kg.reconcile.candidates import EntityIndex, current_index
from kg.reconcile.review import Review, path_in
from kg.reconcile.wikidata import WikidataClient
from kg.store import StoreMissing


def _index(settings: Settings) -> EntityIndex:
    try:
        return current_index(settings)
    except StoreMissing as e:
        raise UserError(str(e)) from e


def today() -> str:
    return dt.date.today().isoformat()


def reconcile_wikidata(settings: Settings, endpoint: str, fmt: str = "text", *, write: bool = True,
                       contact: str | None = None, day: str | None = None) -> str:
    """Propose Wikidata items for our unlinked entities; record them in the review file
    (unless ``write`` is false); return the report (``text`` or ``json``)."""
    index = _index(settings)
    review = Review.load(path_in(settings.data_dir))
    client = WikidataClient(endpoint, **({"contact": contact} if contact else {}))
    found = props.propose(index, client, review)
    if write:
        props.record_in(review, found, endpoint, day or today())
        review.save()
    with_candidates = sum(1 for p in found if p.candidates)
    matches = sum(1 for p in found if p.candidates and p.candidates[0].match)
    print(f"{len(found)} entities without a Wikidata link: {with_candidates} with candidates, "
          f"{matches} clear matches; {client.queries} queries to {endpoint}"
          + (f"; review file {review.path}" if write else ""), file=sys.stderr)
    if fmt == "json":
        return json.dumps([p.as_dict() for p in found], ensure_ascii=False, indent=2) + "\n"
    return props.text_report(found)


def export_quickstatements(settings: Settings, endpoint: str, *, dry_run: bool = False,
                           contact: str | None = None, day: str | None = None) -> str:
    index = _index(settings)
    review = Review.load(path_in(settings.data_dir))
    client = WikidataClient(endpoint, **({"contact": contact} if contact else {}))
    blocks, notes = qs.Exporter(index, review, day or today()).blocks(client)
    return qs.render(blocks, notes, dry_run)
