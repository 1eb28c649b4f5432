"""A pool of warm query worker processes, each killed and replaced when a job overruns.

pyoxigraph cannot cancel a query (``../shared/reference/pyoxigraph-facts.md``): a thread that
gives up waiting leaves the core busy. So every user-supplied query runs in a worker process
(``kg/store/worker.py``); past its time limit the worker gets SIGKILL, the caller gets
``JobTimeout``, and a fresh worker takes its place while the other workers keep serving.

Each uvicorn worker process has its own pool. Jobs name the store they need by path (the
resolved ``current`` build), so a worker switches to a newly published build on its next job.
"""

from __future__ import annotations

import asyncio
import logging
import os
import queue
import socket
import subprocess
import sys
import threading
import time
from dataclasses import dataclass
from multiprocessing.connection import Connection
from pathlib import Path

import anyio

import kg

log = logging.getLogger("kg.pool")
# workers are started as ``python -m kg.store.worker`` (not multiprocessing's spawn, which
# re-imports the parent's __main__): they import only the store, never the web app
_PYTHONPATH = str(Path(kg.__file__).resolve().parent.parent)


class JobTimeout(Exception):
    """The job ran past its limit; its worker was killed."""

    def __init__(self, limit: float):
        super().__init__(limit)
        self.limit = limit


class PoolBusy(Exception):
    """No worker became free before the job's limit."""

    def __init__(self, limit: float):
        super().__init__(limit)
        self.limit = limit


class WorkerLost(Exception):
    """The worker died during the job (killed from outside, out of memory…)."""


@dataclass(eq=False)
class _Worker:
    process: subprocess.Popen
    conn: Connection

    def kill(self) -> None:
        try:
            self.process.kill()  # SIGKILL: the only way to stop a native evaluation
        except ProcessLookupError:
            pass
        try:
            self.conn.close()
        except OSError:
            pass
        threading.Thread(target=self.process.wait, daemon=True).start()


class Pool:
    """``size`` worker processes; ``writable`` workers open their store read-write."""

    def __init__(self, size: int, *, writable: bool = False, warm_path: str | None = None):
        self.size = size
        self.writable = writable
        self.warm_path = warm_path
        self._idle: queue.SimpleQueue[_Worker] = queue.SimpleQueue()
        self._all: set[_Worker] = set()
        self._lock = threading.Lock()
        self._closed = False
        self._slots: asyncio.Semaphore | None = None
        self.killed = 0  # workers killed for overrunning (exposed on /-/health)

    # --- life cycle -----------------------------------------------------------------------

    def start(self) -> None:
        for _ in range(self.size):
            self._idle.put(self._spawn())

    def close(self) -> None:
        self._closed = True
        with self._lock:
            workers = list(self._all)
        for w in workers:
            try:
                w.conn.close()
            except OSError:
                pass
        deadline = time.monotonic() + 2
        for w in workers:
            try:
                w.process.wait(max(0.0, deadline - time.monotonic()))
            except subprocess.TimeoutExpired:
                w.kill()

    def _spawn(self) -> _Worker:
        parent, child = socket.socketpair()
        args = [sys.executable, "-m", "kg.store.worker", str(child.fileno())]
        if self.writable:
            args.append("--writable")
        if self.warm_path:
            args.append(self.warm_path)
        env = dict(os.environ)
        env["PYTHONPATH"] = os.pathsep.join(p for p in (_PYTHONPATH, env.get("PYTHONPATH")) if p)
        process = subprocess.Popen(args, pass_fds=(child.fileno(),), env=env,
                                   stdin=subprocess.DEVNULL)
        child.close()
        w = _Worker(process, Connection(parent.detach()))
        with self._lock:
            self._all.add(w)
        return w

    def _replace(self, w: _Worker) -> None:
        w.kill()
        with self._lock:
            self._all.discard(w)
        if self._closed:
            return
        # spawn in the background: the caller answers its client at once
        threading.Thread(target=lambda: self._idle.put(self._spawn()), daemon=True).start()

    @property
    def pids(self) -> list[int]:
        with self._lock:
            return [w.process.pid for w in self._all]

    # --- running jobs ---------------------------------------------------------------------

    def run_sync(self, op: str, path: str | None, kwargs: dict, timeout: float):
        """Run a job on a free worker, waiting at most ``timeout`` seconds in all."""
        deadline = time.monotonic() + timeout
        try:
            w = self._idle.get(timeout=max(0.001, timeout))
        except queue.Empty:
            raise PoolBusy(timeout) from None
        try:
            w.conn.send((op, path, kwargs))
            remaining = deadline - time.monotonic()
            if not w.conn.poll(max(0.0, remaining)):
                log.warning("job %s past its %.1f s limit: worker %s killed", op, timeout, w.process.pid)
                self.killed += 1
                self._replace(w)
                raise JobTimeout(timeout)
            status, value = w.conn.recv()
        except (EOFError, OSError, BrokenPipeError):
            self._replace(w)
            raise WorkerLost() from None
        self._idle.put(w)
        if status == "error":
            raise value
        return value

    async def run(self, op: str, path: str | None, kwargs: dict, timeout: float):
        """The async form: waits for a free slot without holding a thread."""
        if self._slots is None:
            self._slots = asyncio.Semaphore(self.size)
        start = time.monotonic()
        try:
            await asyncio.wait_for(self._slots.acquire(), timeout)
        except (TimeoutError, asyncio.TimeoutError):
            raise PoolBusy(timeout) from None
        try:
            left = timeout - (time.monotonic() - start)
            return await anyio.to_thread.run_sync(self.run_sync, op, path, kwargs, left)
        except JobTimeout:
            raise JobTimeout(timeout) from None
        except PoolBusy:
            raise PoolBusy(timeout) from None
        finally:
            self._slots.release()
