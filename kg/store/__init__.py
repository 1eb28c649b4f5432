"""The Oxigraph store: the only place that imports pyoxigraph.

Layout under ``Settings.var_dir``::

    builds/<build-id>/store/          an Oxigraph store, written once by a build
    builds/<build-id>/dumps/          graph.ttl, graph.nt, graph.jsonld, graph.trig
    builds/<build-id>/manifest.json   counts, content hash
    current -> builds/<build-id>      a symlink, switched atomically by ``publish``

A build writes a fresh directory and only then switches ``current``; a failed build never
touches the published one. Servers open ``current/store`` read-only and re-open it when the
symlink's target changes.

Other modules use the re-exported term classes (``NamedNode``, ``Literal``…) rather than
importing pyoxigraph themselves.
"""

from __future__ import annotations

import os
import shutil
import time
from pathlib import Path

from pyoxigraph import (  # noqa: F401  (re-exported)
    BlankNode,
    DefaultGraph,
    Literal,
    NamedNode,
    Quad,
    QueryBoolean,
    QueryResultsFormat,
    QuerySolutions,
    QueryTriples,
    RdfFormat,
    Store,
    Triple,
    Variable,
)

BUILDS = "builds"
CURRENT = "current"


class StoreMissing(RuntimeError):
    """No published build where one was expected."""


def new_build_dir(var_dir: Path) -> Path:
    """A fresh, empty directory for a build, named so that builds sort by time."""
    builds = var_dir / BUILDS
    builds.mkdir(parents=True, exist_ok=True)
    name = time.strftime("%Y%m%dT%H%M%S", time.gmtime()) + f"-{os.getpid()}-{time.monotonic_ns() % 10**6:06d}"
    path = builds / name
    path.mkdir()
    return path


def open_writable(path: Path) -> Store:
    return Store(str(path))


def open_read_only(path: Path) -> Store:
    """Open a finished store read-only (several processes may do so at once)."""
    if not path.is_dir():
        raise StoreMissing(f"no store at {path}")
    try:
        return Store.read_only(str(path))
    except (OSError, RuntimeError) as exc:  # a corrupt or half-copied store: say so, not a traceback
        raise StoreMissing(f"the store {path} cannot be opened: {exc}") from None


def current_build(var_dir: Path) -> Path | None:
    """The published build directory (resolved), or None when nothing was built yet."""
    link = var_dir / CURRENT
    if not link.exists():
        return None
    return link.resolve()


def publish(var_dir: Path, build_dir: Path, keep: int = 3) -> None:
    """Make ``build_dir`` the current build atomically, then prune old builds.

    The switch is a rename of a new symlink over ``current``: readers see either the old or
    the new build, never a missing one.
    """
    link = var_dir / CURRENT
    tmp = var_dir / f".{CURRENT}.{os.getpid()}"
    if tmp.is_symlink() or tmp.exists():
        tmp.unlink()
    tmp.symlink_to(Path(BUILDS) / build_dir.name)
    os.replace(tmp, link)
    prune(var_dir, keep=keep)


def prune(var_dir: Path, keep: int = 3) -> None:
    """Remove old builds, keeping the current one and the ``keep`` most recent others.

    Builds are kept a while after being replaced so that a server still reading one is not
    pulled from under it.
    """
    builds = var_dir / BUILDS
    if not builds.is_dir():
        return
    cur = current_build(var_dir)
    old = sorted((p for p in builds.iterdir() if p.is_dir() and p != cur), reverse=True)
    for path in old[keep:]:
        shutil.rmtree(path, ignore_errors=True)
