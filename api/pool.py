"""A pool of warm query worker processes, each killed and replaced when a job overruns.

pyoxigraph cannot cancel a query (``../shared/reference/pyoxigraph-facts.md``): a thread that
gives up waiting leaves the core busy. So every user-supplied query runs in a worker process
(``kg/store/worker.py``); past its time limit the worker gets SIGKILL, the caller gets
``JobTimeout``, and a fresh worker takes its place while the other workers keep serving.

Each uvicorn worker process has its own pool, driven by its event loop with no thread and no
task per job: a job is written to the worker's socket, and the answer arrives through an
``asyncio.Protocol`` that completes a future; the time limit is one timer of the loop. Waiting
for a free worker is a future too, and does *not* count against the job's own limit: a query
gets its whole time limit once a worker runs it. The wait has its own bound (``wait``: by
default the job's limit plus ``SPAWN``, the time a killed worker's replacement takes to
start); past it the job is refused (``PoolBusy``, 503 to the client).

Jobs name the store they need by path (the resolved ``current`` build), so a worker switches
to a newly published build on its next job. The wire format is ``kg/store/worker.py``'s
(a 4-byte big-endian length, then a pickle, each way).
"""

from __future__ import annotations

import asyncio
import collections
import logging
import os
import pickle
import socket
import subprocess
import sys
import threading
from pathlib import Path

import anyio.from_thread

import kg
from kg.store.worker import HEADER, decode_reply

log = logging.getLogger("kg.pool")
# workers are started as ``python -m kg.store.worker`` (not multiprocessing's spawn, which
# re-imports the parent's __main__): they import only the store, never the web app
_PYTHONPATH = str(Path(kg.__file__).resolve().parent.parent)
GRACE = 5.0  # seconds to receive an answer whose first bytes arrived before the deadline
SPAWN = 5.0  # seconds allowed for a fresh worker to start, on top of a busy one's limit
_DUMPS = pickle.dumps
_PROTOCOL = pickle.HIGHEST_PROTOCOL


class JobTimeout(Exception):
    """The job ran past its limit; its worker was killed ``elapsed`` seconds after the call."""

    def __init__(self, limit: float, elapsed: float | None = None, pid: int | None = None):
        super().__init__(limit, elapsed, pid)
        self.limit, self.elapsed, self.pid = limit, elapsed, pid


class PoolBusy(Exception):
    """No worker became free within the pool's wait bound (``limit`` seconds)."""

    def __init__(self, limit: float):
        super().__init__(limit)
        self.limit = limit


class WorkerLost(Exception):
    """The worker died during the job (killed from outside, out of memory…)."""


_OVERRUN = object()  # what a job's future holds when its deadline passed with no answer


class _Channel(asyncio.Protocol):
    """The parent's end of one worker's socket: frames in, one awaited answer at a time."""

    def __init__(self):
        self.transport: asyncio.Transport | None = None
        self.buffer = bytearray()
        self.waiter: asyncio.Future | None = None
        self.lost = False

    def connection_made(self, transport) -> None:
        self.transport = transport

    def data_received(self, data: bytes) -> None:
        if not self.buffer and len(data) >= 4 and HEADER.unpack_from(data)[0] == len(data) - 4:
            self._deliver(data[4:])  # the usual case: one whole answer in one read
            return
        self.buffer += data
        while len(self.buffer) >= 4:
            (size,) = HEADER.unpack_from(self.buffer)
            if len(self.buffer) < 4 + size:
                return
            frame = bytes(self.buffer[4:4 + size])
            del self.buffer[:4 + size]
            self._deliver(frame)

    def _deliver(self, frame: bytes) -> None:
        waiter, self.waiter = self.waiter, None
        if waiter is not None and not waiter.done():
            waiter.set_result(frame)

    def connection_lost(self, exc) -> None:
        self.lost = True
        waiter, self.waiter = self.waiter, None
        if waiter is not None and not waiter.done():
            waiter.set_exception(WorkerLost())


class _Worker:
    __slots__ = ("process", "sock", "channel")

    def __init__(self, process: subprocess.Popen, sock: socket.socket):
        self.process = process
        self.sock = sock
        self.channel: _Channel | None = None

    def kill(self) -> None:
        try:
            self.process.kill()  # SIGKILL: the only way to stop a native evaluation
        except ProcessLookupError:
            pass
        if self.channel is not None and self.channel.transport is not None:
            self.channel.transport.abort()
        self.sock.close()
        threading.Thread(target=self.process.wait, daemon=True).start()


class Pool:
    """``size`` worker processes; ``writable`` workers open their store read-write.

    ``wait`` bounds the time a job waits for a free worker (None: its own limit plus
    ``SPAWN``). A server passes its longest limit plus ``SPAWN``: within that time every
    busy worker has either answered or been killed and replaced.
    """

    def __init__(self, size: int, *, writable: bool = False, warm_path: str | None = None,
                 wait: float | None = None):
        self.size = size
        self.writable = writable
        self.warm_path = warm_path
        self.wait = wait
        self._all: set[_Worker] = set()
        self._lock = threading.Lock()
        self._idle: list[_Worker] = []  # last in, first out: the warmest worker goes first
        self._waiting: collections.deque[asyncio.Future] = collections.deque()
        self._loop: asyncio.AbstractEventLoop | None = None
        self._closed = False
        self.killed = 0  # workers killed for overrunning (shown on /-/health)

    # --- life cycle (start and close run in the event loop's thread) -----------------------

    def start(self) -> None:
        self._loop = asyncio.get_running_loop()
        for _ in range(self.size):
            self._idle.append(self._spawn())

    def close(self) -> None:
        self._closed = True
        with self._lock:
            workers = list(self._all)
        for w in workers:
            if w.channel is not None and w.channel.transport is not None:
                w.channel.transport.close()
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
        parent.setblocking(False)
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
            try:
                if self._closed:
                    raise RuntimeError("closed")
                self._loop.call_soon_threadsafe(self._release, fresh)
            except RuntimeError:  # the pool, or its event loop, closed meanwhile
                fresh.kill()
                with self._lock:
                    self._all.discard(fresh)

        threading.Thread(target=spawn, daemon=True).start()

    def _release(self, w: _Worker) -> None:
        """Give a free worker to the first job still waiting, else put it back."""
        waiting = self._waiting
        while waiting:
            fut = waiting.popleft()
            if not fut.done():
                fut.set_result(w)
                return
        self._idle.append(w)

    @property
    def pids(self) -> list[int]:
        with self._lock:
            return sorted(w.process.pid for w in self._all)

    # --- running jobs ---------------------------------------------------------------------

    async def _acquire(self, loop, timeout: float) -> _Worker:
        """A live worker, waiting at most ``timeout`` seconds for one (``PoolBusy``)."""
        while True:
            if self._idle:
                w = self._idle.pop()
            else:
                fut = loop.create_future()
                self._waiting.append(fut)
                timer = loop.call_later(timeout, _expire, fut)
                try:
                    w = await fut
                except BaseException:
                    if fut.done() and not fut.cancelled() and fut.exception() is None:
                        self._release(fut.result())  # got one just as we were cancelled
                    raise
                finally:
                    timer.cancel()
                if w is _OVERRUN:
                    raise PoolBusy(timeout)
            if w.channel is not None and w.channel.lost or w.process.poll() is not None:
                self._replace(w)  # died while idle (killed from outside): not this job's fault
                continue
            return w

    async def run(self, op: str, path: str | None, kwargs: dict, timeout: float):
        """Run a job on a free worker within ``timeout`` seconds of the job's start."""
        loop = self._loop or asyncio.get_running_loop()
        w = await self._acquire(loop, self.wait if self.wait is not None else timeout + SPAWN)
        try:
            channel = w.channel
            if channel is None:
                _, channel = await loop.create_unix_connection(_Channel, sock=w.sock)
                w.channel = channel
            if channel.lost:
                raise WorkerLost()
            data = _DUMPS((op, path, kwargs), protocol=_PROTOCOL)
            fut = channel.waiter = loop.create_future()
            started = loop.time()
            timer = loop.call_at(started + timeout, _deadline, fut, channel, loop)
            channel.transport.write(HEADER.pack(len(data)) + data)
            try:
                frame = await fut
            finally:
                timer.cancel()
        except WorkerLost:
            self._replace(w)
            raise
        except (ConnectionError, OSError):
            self._replace(w)
            raise WorkerLost() from None
        except BaseException:  # cancelled (client gone): the worker's state is unknown
            self._replace(w)
            raise
        if frame is _OVERRUN:
            self.killed += 1
            self._replace(w)
            elapsed = loop.time() - started
            log.warning("job %s past its %.1f s limit: worker %s killed after %.2f s", op,
                        timeout, w.process.pid, elapsed)
            raise JobTimeout(timeout, elapsed, w.process.pid)
        self._release(w)
        return decode_reply(frame)

    def run_sync(self, op: str, path: str | None, kwargs: dict, timeout: float):
        """The same, from a plain ``def`` route (a thread started by anyio)."""
        return anyio.from_thread.run(self.run, op, path, kwargs, timeout)


def _expire(fut: asyncio.Future) -> None:
    if not fut.done():
        fut.set_result(_OVERRUN)


def _deadline(fut: asyncio.Future, channel: _Channel, loop) -> None:
    """The job's limit has passed: give up, unless its answer is arriving (then wait GRACE)."""
    if fut.done():
        return
    if channel.buffer:
        loop.call_later(GRACE, _expire, fut)
        return
    fut.set_result(_OVERRUN)
