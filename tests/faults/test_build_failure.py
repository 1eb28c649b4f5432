"""A build that fails halfway (a full disk, a crash) leaves the previous store serving unchanged,
and the next good build is published as usual. The builds are real ``kg build`` processes on
the mini data, next to a real uvicorn server serving the same var dir."""

from __future__ import annotations

import resource
import signal
import subprocess
import sys
import time

import httpx
import pytest

from tests.faults.conftest import ROOT, kg

COUNT = "SELECT (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } }"


def state(url: str) -> dict:
    """What a client sees: the build served, a count, a page's ETag and body."""
    with httpx.Client(base_url=url, timeout=20) as http:
        health = http.get("/-/health").json()
        count = http.get("/sparql", params={"query": COUNT}).json()
        page = http.get("/project/onyxia", headers={"accept": "text/turtle"})
    assert page.status_code == 200
    return {"build": health["build_id"], "count": count["results"]["bindings"][0]["n"]["value"],
            "etag": page.headers.get("etag"), "page": page.text}


def full_disk():
    """In the build process: files cannot grow past 20 kB (as on a full disk: EFBIG)."""
    signal.signal(signal.SIGXFSZ, signal.SIG_IGN)
    resource.setrlimit(resource.RLIMIT_FSIZE, (20_000, 20_000))


def crashing_build(where: str) -> list[str]:
    """``kg build`` that kills itself (SIGKILL: no cleanup runs) when it reaches ``where``."""
    code = (f"import os, signal, kg.build as b\n"
            f"b.{where} = lambda *a, **k: os.kill(os.getpid(), signal.SIGKILL)\n"
            "from kg.cli import main\nmain(['build'])\n")
    return [sys.executable, "-c", code]


def failing_build(where: str) -> list[str]:
    """``kg build`` whose step ``where`` meets a full disk (ENOSPC)."""
    code = (f"import errno, os, kg.build as b\n"
            f"def full(*a, **k):\n    raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))\n"
            f"b.{where} = full\n"
            "from kg.cli import main\nraise SystemExit(main(['build']))\n")
    return [sys.executable, "-c", code]


@pytest.mark.parametrize("how", [
    "disk full while writing the store",
    "disk full while writing the dumps",
    "crash after writing the store",
    "crash just before publishing",
])
def test_a_failed_build_leaves_the_previous_store_serving(mini_var, serve, how):
    settings, env = mini_var
    var = settings.var_dir
    server = serve(var, query_workers=1)
    before = state(server.url)
    current = (var / "current").resolve()

    if how == "disk full while writing the store":
        done = subprocess.run([sys.executable, "-m", "kg", "build"], cwd=ROOT, env=env,
                              capture_output=True, text=True, timeout=120, preexec_fn=full_disk)
    elif how == "disk full while writing the dumps":
        done = subprocess.run(failing_build("dumps.write"), cwd=ROOT, env=env,
                              capture_output=True, text=True, timeout=120)
    elif how == "crash after writing the store":
        done = subprocess.run(crashing_build("dumps.write"), cwd=ROOT, env=env,
                              capture_output=True, text=True, timeout=120)
    else:
        done = subprocess.run(crashing_build("publish"), cwd=ROOT, env=env,
                              capture_output=True, text=True, timeout=120)

    assert done.returncode != 0
    if how.startswith("disk full"):
        assert "Traceback" not in done.stderr, done.stderr
        assert "kg build:" in done.stderr  # one line saying what went wrong
        # and the half-written build was removed
        assert sorted(p.name for p in (var / "builds").iterdir()) == [current.name]
    else:
        assert done.returncode == -signal.SIGKILL
    assert (var / "current").resolve() == current
    assert state(server.url) == before

    if how != "crash just before publishing":
        return
    # the next good build is published and served (the crashed one's leftovers in the way)
    good = kg("build", env=env)
    assert good.returncode == 0, good.stderr
    assert (var / "current").resolve() != current
    after = httpx.get(server.url + "/-/health", timeout=10).json()
    deadline = 50
    while after["build_id"] == before["build"] and deadline:
        time.sleep(0.1)
        deadline -= 1
        after = httpx.get(server.url + "/-/health", timeout=10).json()
    assert after["build_id"] == (var / "current").resolve().name
    assert state(server.url)["count"] == before["count"]  # same data, new build
