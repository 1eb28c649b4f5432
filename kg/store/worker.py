"""The loop of a query worker process: receive a job, run it on its store, send the answer.

A worker holds one store (read-only, or read-write for a server's writable working copy) and
runs one job at a time. The parent (``api/pool.py``) kills it when a job runs past its time
limit; pyoxigraph offers no other way to stop a query.

A job is ``(op, store_path, kwargs)``. When ``store_path`` changes (a new build was published),
the worker opens the new store before running the job, so no request fails during a switch.

Wire format, each way: a 4-byte big-endian length (``HEADER``), then a pickle. A job is the
pickled tuple; a reply is ``("answer", kind, format, body, rows, truncated, extra)`` for an
``Answer`` (a plain tuple unpickles several times faster than a dataclass), ``("ok", value)``
for anything else, or ``("error", exception)``; ``decode_reply`` turns it back into the value
or raises the exception.
"""

from __future__ import annotations

import pickle
import signal
import socket
import struct
import sys
from pathlib import Path

from kg.store import StoreMissing, open_read_only, open_writable
from kg.store import graph_store
from kg.store.query import (
    Answer,
    QueryFailed,
    QuerySyntaxError,
    ResultNotAcceptable,
    run_query,
    run_update,
)

HEADER = struct.Struct("!i")

EXPECTED = (QuerySyntaxError, ResultNotAcceptable, QueryFailed, StoreMissing,
            graph_store.GraphNotFound)


class _Worker:
    def __init__(self, writable: bool):
        self.writable = writable
        self.path: str | None = None
        self.store = None

    def store_for(self, path: str):
        if path != self.path:
            self.store, self.path = None, None  # release the old store before opening the new one
            try:
                opened = open_writable(Path(path)) if self.writable else open_read_only(Path(path))
            except (OSError, RuntimeError) as exc:  # a corrupt or half-deleted store
                raise StoreMissing(f"cannot open the store {path}: {exc}") from None
            self.store, self.path = opened, path
        return self.store

    def run(self, op: str, path: str, kwargs: dict):
        if op == "ping":
            return "pong"
        store = self.store_for(path)
        if op == "query":
            return run_query(store, **kwargs)
        if op == "update":
            return run_update(store, **kwargs)
        if op == "graph_names":
            return sorted(g.value for g in store.named_graphs() if hasattr(g, "value"))
        if op == "graph_get":
            return graph_store.get(store, **kwargs)
        if op == "graph_put":
            return graph_store.put(store, **kwargs)
        if op == "graph_post":
            return graph_store.post(store, **kwargs)
        if op == "graph_delete":
            return graph_store.delete(store, **kwargs)
        raise ValueError(f"unknown job {op!r}")


def encode_reply(status: str, value) -> bytes:
    """A framed reply (header included)."""
    if status == "ok" and value.__class__ is Answer:
        message = ("answer", value.kind, value.format, value.body, value.rows, value.truncated,
                   value.extra)
    else:
        message = (status, value)
    data = pickle.dumps(message, protocol=pickle.HIGHEST_PROTOCOL)
    return HEADER.pack(len(data)) + data


def decode_reply(frame: bytes):
    """The value of a reply frame (header excluded), or raise the exception it carries."""
    message = pickle.loads(frame)
    status = message[0]
    if status == "answer":
        return Answer(*message[1:])
    if status == "error":
        raise message[1]
    return message[1]


def _receive(sock: socket.socket) -> bytes:
    """The next job's pickle (usually one ``recv``: a job is a few hundred bytes)."""
    data = sock.recv(65536)
    while len(data) < 4:
        more = sock.recv(65536)
        if not more:
            raise EOFError
        data += more
    (size,) = HEADER.unpack_from(data)
    while len(data) < 4 + size:
        more = sock.recv(max(65536, 4 + size - len(data)))
        if not more:
            raise EOFError
        data += more
    return data[4:]


def main(sock: socket.socket, writable: bool = False, path: str | None = None) -> None:
    """Serve jobs from ``sock`` until the parent closes it."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C goes to the server, which stops us
    worker = _Worker(writable)
    if path:
        try:
            worker.store_for(path)  # warm up before the first job
        except Exception:  # noqa: BLE001 - reported again when a job needs the store
            pass
    while True:
        try:
            op, job_path, kwargs = pickle.loads(_receive(sock))
        except (EOFError, OSError):
            return
        try:
            reply = encode_reply("ok", worker.run(op, job_path, kwargs))
        except EXPECTED as exc:
            reply = encode_reply("error", exc)
        except Exception as exc:  # noqa: BLE001 - any other failure becomes a 500, not a dead worker
            reply = encode_reply("error", RuntimeError(f"{type(exc).__name__}: {exc}"))
        try:
            sock.sendall(reply)
        except OSError:
            return


if __name__ == "__main__":
    # python -m kg.store.worker FD [--writable] [STORE_PATH]   (started by api/pool.py)
    argv = sys.argv[1:]
    writable = "--writable" in argv
    rest = [a for a in argv if a != "--writable"]
    main(socket.socket(fileno=int(rest[0])), writable, rest[1] if len(rest) > 1 else None)
