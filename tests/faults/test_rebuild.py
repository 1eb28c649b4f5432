"""Rebuilding while serving, with real ``kg build`` processes: pages, REST and SPARQL keep
answering from the old build and switch to the new one without a failed request (the
SPARQL-only case with a hand-made build is in ``tests/api/test_faults.py``)."""

from __future__ import annotations

import threading
import time

import httpx

from tests.faults.conftest import kg

REQUESTS = [
    ("/sparql", {"query": "SELECT (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } }"}, {}),
    ("/project/onyxia", {}, {"accept": "text/html"}),
    ("/project/onyxia", {}, {"accept": "text/turtle"}),
    ("/api/projects", {}, {}),
    ("/search", {"q": "onyxia", "format": "json"}, {}),
    ("/", {}, {"accept": "text/html"}),
]


def test_two_rebuilds_while_serving_fail_no_request(mini_var, serve):
    settings, env = mini_var
    server = serve(settings.var_dir, query_workers=2)
    first = httpx.get(server.url + "/-/health").json()["build_id"]
    failures, seen, stop = [], [0], threading.Event()

    def hammer(offset: int):
        with httpx.Client(base_url=server.url, timeout=30) as http:
            i = offset
            while not stop.is_set():
                path, params, headers = REQUESTS[i % len(REQUESTS)]
                r = http.get(path, params=params, headers=headers)
                seen[0] += 1
                if r.status_code != 200:
                    failures.append((path, r.status_code, r.text[:200]))
                i += 1

    threads = [threading.Thread(target=hammer, args=(k,)) for k in range(3)]
    for t in threads:
        t.start()
    try:
        for _ in range(2):
            done = kg("build", env=env)
            assert done.returncode == 0, done.stderr
            time.sleep(1.0)  # past the 0.5 s look at ``current``: requests now on the new build
    finally:
        stop.set()
        for t in threads:
            t.join(30)
    last = httpx.get(server.url + "/-/health").json()["build_id"]
    assert failures == []
    assert seen[0] > 20 and last != first and last == (settings.var_dir / "current").resolve().name
