"""Which store the app serves, found again when a new build is published.

Read-only mode serves ``var/current/store``; ``current`` is a symlink that ``kg build`` switches
atomically, so the path is resolved again at most every ``RECHECK`` seconds and query jobs
carry the resolved path (workers then open the new build). Writable mode serves the working
copy (``kg/store/working_copy.py``).

``local()`` gives an in-process read-only store for the app's own cheap, trusted queries (the
linked-data pages); user SPARQL never runs there, only in the worker pool.
"""

from __future__ import annotations

import json
import threading
import time
from pathlib import Path

from kg.store import current_build, open_read_only
from kg.store.working_copy import prepare

RECHECK = 0.5  # seconds between two looks at the ``current`` symlink


class Stores:
    def __init__(self, settings):
        self.settings = settings
        self._lock = threading.Lock()
        self._checked = 0.0
        self._build: Path | None = None
        self._store_path: str | None = None
        self._local = None
        self._local_path: str | None = None
        self._manifest: tuple[Path, dict | None] | None = None
        self.writable_path: Path | None = None
        if settings.writable:
            build = current_build(settings.var_dir)
            self.writable_path = prepare(settings.writable_dir, build / "store" if build else None)

    def build_dir(self) -> Path | None:
        """The published build directory (resolved), or None when nothing was built."""
        now = time.monotonic()
        if now - self._checked > RECHECK:
            build = current_build(self.settings.var_dir)
            if build is not None and not (build / "store").is_dir():
                build = None
            self._build = build
            self._store_path = None if build is None else str(build / "store")
            self._checked = now
        return self._build

    def store_path(self) -> str | None:
        """The store query jobs should run on."""
        if self.writable_path is not None:
            return str(self.writable_path)
        self.build_dir()
        return self._store_path

    def manifest(self) -> dict | None:
        """The published build's ``manifest.json`` (counts, content hash), if any."""
        build = self.build_dir()
        if build is None:
            return None
        if self._manifest is None or self._manifest[0] != build:
            path = build / "manifest.json"
            data = json.loads(path.read_text(encoding="utf-8")) if path.is_file() else None
            self._manifest = (build, data)
        return self._manifest[1]

    def local(self):
        """An in-process read-only store of the published build (reopened after a rebuild).

        In writable mode it is a snapshot of the working copy as of its opening.
        """
        path = self.store_path()
        if path is None:
            return None
        with self._lock:
            if path != self._local_path:
                self._local = open_read_only(Path(path))
                self._local_path = path
            return self._local
