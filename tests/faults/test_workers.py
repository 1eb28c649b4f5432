"""Query workers killed from outside (the out-of-memory killer, an operator), against a real
uvicorn server. ``tests/api/test_faults.py`` covers a worker killed mid-request; these are the
workers killed while idle."""

from __future__ import annotations

import os
import signal
import time

import httpx

from tests.api.conftest import var_dir  # noqa: F401  (the API tests' fixture graph)

ASK = {"query": "ASK { ?s ?p ?o }"}


def test_a_worker_killed_while_idle_costs_no_client_a_failure(var_dir, serve):
    """Regression: the next client got 503 worker_lost for a worker that died while idle."""
    server = serve(var_dir, query_workers=2)
    with httpx.Client(base_url=server.url, timeout=20) as http:
        assert http.get("/sparql", params=ASK).status_code == 200
        pids = http.get("/-/health").json()["query_worker_pids"]
        for pid in pids:  # every worker at once
            os.kill(pid, signal.SIGKILL)
        time.sleep(0.3)
        statuses = [http.get("/sparql", params=ASK).status_code for _ in range(6)]
        after = http.get("/-/health").json()["query_worker_pids"]
    assert statuses == [200] * 6
    assert len(after) == 2 and not set(after) & set(pids)
