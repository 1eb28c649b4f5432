"""A pool of warm query worker processes, each killed and replaced when a job overruns.

pyoxigraph cannot cancel a query (``../shared/reference/pyoxigraph-facts.md``): a thread that
gives up waiting leaves the core busy. So every user-supplied query runs in a worker process
(``kg/store/worker.py``); past its time limit the worker gets SIGKILL, the caller gets
``JobTimeout``, and a fresh worker takes its place while the other workers keep serving.

Each uvicorn worker process has its own pool, driven by its event loop: a job is written to the
worker's socket and its answer awaited with a deadline, with no thread in between (the
per-request cost is one pickled message each way). Jobs name the store they need by path (the
resolved ``current`` build), so a worker switches to a newly published build on its next job.

The wire format is that of ``multiprocessing.connection.Connection`` (a 4-byte big-endian
length, then a pickle), which the worker uses on its side.
"""

from __future__ import annotations

import asyncio
import logging
import os
import pickle
import socket
import struct
import subprocess
import sys
import threading
from dataclasses import dataclass, field
from pathlib import Path

import anyio.from_thread

import kg

log = logging.getLogger("kg.pool")
# workers are started as ``python -m kg.store.worker`` (not multiprocessing's spawn, which
# re-imports the parent's __main__): they import only the store, never the web app
_PYTHONPATH = str(Path(kg.__file__).resolve().parent.parent)
_HEADER = struct.Struct("!i")
GRACE = 5.0  # seconds to receive an answer whose first bytes arrived before the deadline


class JobTimeout(Exception):
    """The job ran past its limit; its worker was killed ``elapsed`` seconds after the call."""

    def __init__(self, limit: float, elapsed: float | None = None, pid: int | None = None):
        super().__init__(limit, elapsed, pid)
        self.limit, self.elapsed, self.pid = limit, elapsed, pid


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
    sock: socket.socket
    streams: tuple[asyncio.StreamReader, asyncio.StreamWriter] | None = field(default=None)

    def kill(self) -> None:
        try:
            self.process.kill()  # SIGKILL: the only way to stop a native evaluation
        except ProcessLookupError:
            pass
        if self.streams is not None:
            self.streams[1].close()
        self.sock.close()
        threading.Thread(target=self.process.wait, daemon=True).start()


class Pool:
    """``size`` worker processes; ``writable`` workers open their store read-write."""

    def __init__(self, size: int, *, writable: bool = False, warm_path: str | None = None):
        self.size = size
        self.writable = writable
        self.warm_path = warm_path
        self._all: set[_Worker] = set()
        self._lock = threading.Lock()
        self._idle: asyncio.Queue[_Worker] | None = None
        self._loop: asyncio.AbstractEventLoop | None = None
        self._closed = False
        self.killed = 0  # workers killed for overrunning (shown on /-/health)

    # --- life cycle (start and close run in the event loop's thread) -----------------------

    def start(self) -> None:
        self._loop = asyncio.get_running_loop()
        self._idle = asyncio.Queue()
        for _ in range(self.size):
            self._idle.put_nowait(self._spawn())

    def close(self) -> None:
        self._closed = True
        with self._lock:
            workers = list(self._all)
        for w in workers:
            w.sock.close()  # the worker sees end-of-file and exits
        for w in workers:
            try:
                w.process.wait(2)
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
        w = _Worker(process, parent)
        with self._lock:
            self._all.add(w)
        return w

    def _replace(self, w: _Worker) -> None:
        w.kill()
        with self._lock:
            self._all.discard(w)
        if self._closed:
            return

        def spawn():  # off the event loop: starting a process takes a few milliseconds
            fresh = self._spawn()
            self._loop.call_soon_threadsafe(self._idle.put_nowait, fresh)

        threading.Thread(target=spawn, daemon=True).start()

    @property
    def pids(self) -> list[int]:
        with self._lock:
            return sorted(w.process.pid for w in self._all)

    # --- running jobs ---------------------------------------------------------------------

    async def run(self, op: str, path: str | None, kwargs: dict, timeout: float):
        """Run a job on a free worker; waiting for a worker counts toward ``timeout``."""
        loop = asyncio.get_running_loop()
        deadline = loop.time() + timeout
        try:
            while True:
                w = await asyncio.wait_for(self._idle.get(), max(0.001, deadline - loop.time()))
                if w.process.poll() is None:
                    break
                self._replace(w)  # died while idle (killed from outside): not this job's fault
        except (TimeoutError, asyncio.TimeoutError):
            raise PoolBusy(timeout) from None
        try:
            if w.streams is None:
                w.streams = await asyncio.open_unix_connection(sock=w.sock)
            reader, writer = w.streams
            data = pickle.dumps((op, path, kwargs), protocol=pickle.HIGHEST_PROTOCOL)
            writer.write(_HEADER.pack(len(data)) + data)
            try:
                header = await asyncio.wait_for(reader.readexactly(4),
                                                max(0.0, deadline - loop.time()))
            except (TimeoutError, asyncio.TimeoutError):
                header = None
            if header is not None:
                (size,) = _HEADER.unpack(header)
                body = await asyncio.wait_for(reader.readexactly(size), GRACE)
        except (asyncio.IncompleteReadError, ConnectionError, OSError,
                TimeoutError, asyncio.TimeoutError):
            self._replace(w)
            raise WorkerLost() from None
        except BaseException:  # cancelled (client gone): the worker's state is unknown
            self._replace(w)
            raise
        if header is None:
            self.killed += 1
            self._replace(w)
            elapsed = timeout + loop.time() - deadline
            log.warning("job %s past its %.1f s limit: worker %s killed after %.2f s", op,
                        timeout, w.process.pid, elapsed)
            raise JobTimeout(timeout, elapsed, w.process.pid)
        self._idle.put_nowait(w)
        status, value = pickle.loads(body)
        if status == "error":
            raise value
        return value

    def run_sync(self, op: str, path: str | None, kwargs: dict, timeout: float):
        """The same, from a plain ``def`` route (a thread started by anyio)."""
        return anyio.from_thread.run(self.run, op, path, kwargs, timeout)
