"""Fixtures of the security tests: the API tests' published fixture graph and servers, and a
loopback listener that counts the connections it receives (to prove the server made none)."""

from __future__ import annotations

import socket
import threading

import pytest

from tests.api.conftest import (  # noqa: F401  (fixtures shared with the API tests)
    app_for,
    fresh_var,
    serve,
    var_dir,
)


class Listener:
    """A TCP listener on a free loopback port, recording every connection made to it."""

    def __init__(self):
        self.sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        self.sock.bind(("127.0.0.1", 0))
        self.sock.listen(16)
        self.sock.settimeout(0.2)
        self.port = self.sock.getsockname()[1]
        self.url = f"http://127.0.0.1:{self.port}/sparql"
        self.connections = 0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._accept, daemon=True)
        self._thread.start()

    def _accept(self):
        while not self._stop.is_set():
            try:
                conn, _ = self.sock.accept()
            except OSError:  # timeout: look at the stop flag again
                continue
            self.connections += 1
            conn.close()

    def close(self):
        self._stop.set()
        self._thread.join(2)
        self.sock.close()


@pytest.fixture
def listener():
    lis = Listener()
    yield lis
    lis.close()
