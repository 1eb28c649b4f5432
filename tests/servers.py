"""Real servers for tests, on free loopback ports: ``oxigraph serve`` (a remote SPARQL endpoint)
and uvicorn (our app over HTTP). Both are context managers; session fixtures wrap them.

    with oxigraph_server(tmp_path / "store", [fixture_ttl]) as endpoint:
        endpoint.query_url   # http://127.0.0.1:PORT/query
"""

from __future__ import annotations

import contextlib
import os
import shutil
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.parse
import urllib.request
from dataclasses import dataclass
from pathlib import Path

STARTUP_TIMEOUT = 30.0


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def oxigraph_cli() -> str:
    """The ``oxigraph`` command of the PyPI package ``oxigraph`` (beside this Python, or on PATH)."""
    beside = Path(sys.executable).parent / "oxigraph"
    if beside.is_file():
        return str(beside)
    found = shutil.which("oxigraph")
    if found is None:
        raise RuntimeError("the `oxigraph` command is missing: pip install 'oxigraph>=0.5,<0.6'")
    return found


def _wait_until_up(url: str, process: subprocess.Popen, log: Path) -> None:
    deadline = time.monotonic() + STARTUP_TIMEOUT
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"server exited with {process.returncode}:\n{log.read_text()}")
        try:
            with urllib.request.urlopen(url, timeout=2) as response:
                if response.status < 500:
                    return
        except urllib.error.HTTPError as e:
            if e.code < 500:
                return
        except OSError:
            pass
        time.sleep(0.1)
    raise RuntimeError(f"server not up after {STARTUP_TIMEOUT}s at {url}:\n{log.read_text()}")


def _stop(process: subprocess.Popen) -> None:
    process.terminate()
    try:
        process.wait(timeout=10)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait()


@dataclass(frozen=True)
class Endpoint:
    base_url: str  # http://127.0.0.1:PORT

    @property
    def query_url(self) -> str:
        return self.base_url + "/query"

    @property
    def update_url(self) -> str:
        return self.base_url + "/update"

    @property
    def store_url(self) -> str:
        return self.base_url + "/store"


@contextlib.contextmanager
def oxigraph_server(location: Path, files: list[Path] = (), *, union_default_graph: bool = True,
                    read_only: bool = False):
    """Load ``files`` into a fresh on-disk store at ``location`` with ``oxigraph load``, then
    run ``oxigraph serve`` on it until the ``with`` block ends."""
    cli = oxigraph_cli()
    location.mkdir(parents=True, exist_ok=True)
    log = location.parent / f"{location.name}.log"
    if files:
        subprocess.run([cli, "load", "--location", str(location), "--file", *map(str, files)],
                       check=True, capture_output=True)
    port = free_port()
    args = [cli, "serve-read-only" if read_only else "serve", "--location", str(location),
            "--bind", f"127.0.0.1:{port}"]
    if union_default_graph:
        args.append("--union-default-graph")
    with open(log, "wb") as out:
        process = subprocess.Popen(args, stdout=out, stderr=subprocess.STDOUT)
    endpoint = Endpoint(f"http://127.0.0.1:{port}")
    try:
        ask = urllib.parse.urlencode({"query": "ASK {}"})
        _wait_until_up(f"{endpoint.query_url}?{ask}", process, log)
        yield endpoint
    finally:
        _stop(process)


@contextlib.contextmanager
def uvicorn_server(app: str, *, env: dict[str, str] | None = None, factory: bool = True,
                   cwd: Path | None = None, ready_path: str = "/", log_dir: Path | None = None):
    """Run ``uvicorn app`` (``module:callable``, a factory by default) in a child process with
    ``env`` added to the environment; yields the base URL ``http://127.0.0.1:PORT``."""
    port = free_port()
    root = Path(__file__).resolve().parent.parent
    args = [sys.executable, "-m", "uvicorn", app, "--host", "127.0.0.1", "--port", str(port),
            "--log-level", "warning"]
    if factory:
        args.append("--factory")
    full_env = {**os.environ, **(env or {})}
    full_env["PYTHONPATH"] = os.pathsep.join(
        p for p in (str(root), os.environ.get("PYTHONPATH", "")) if p
    )
    log = (log_dir or Path(os.environ.get("TMPDIR", "/tmp"))) / f"uvicorn-{port}.log"
    with open(log, "wb") as out:
        process = subprocess.Popen(args, cwd=cwd or root, env=full_env, stdout=out,
                                   stderr=subprocess.STDOUT)
    base = f"http://127.0.0.1:{port}"
    try:
        _wait_until_up(base + ready_path, process, log)
        yield base
    finally:
        _stop(process)
