"""The writable working copy that ``kg serve --writable`` modifies (never the published build).

It lives in ``<writable_dir>/store``. On first use it is a copy of the published build's store
(or an empty store when nothing was built), so local experiments start from the real graph and
cannot damage what is published.
"""

from __future__ import annotations

import shutil
from pathlib import Path

from kg.store import open_writable


def prepare(writable_dir: Path, published_store: Path | None) -> Path:
    """Make sure the working copy exists; return its store path."""
    target = writable_dir / "store"
    if target.is_dir():
        return target
    writable_dir.mkdir(parents=True, exist_ok=True)
    tmp = writable_dir / ".store.tmp"
    shutil.rmtree(tmp, ignore_errors=True)
    if published_store is not None and published_store.is_dir():
        # a finished build is never written again, so a file copy is a consistent snapshot
        shutil.copytree(published_store, tmp, ignore=shutil.ignore_patterns("LOCK"))
    else:
        store = open_writable(tmp)
        store.flush()
        del store
    tmp.rename(target)
    return target
