"""Limits that hold, against a real uvicorn server on loopback.

The runaway query is a cross product over all triples, counted (constant memory, all CPU):
pyoxigraph cannot cancel it, so the worker running it must be killed at its limit while the
other worker answers a cheap query.
"""

import threading
import time
from pathlib import Path

import httpx

RUNAWAY = ("SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i . ?j ?k ?l . "
           "?m ?n1 ?o . ?p ?q ?r . ?t ?u ?v }")
CHEAP = "SELECT ?l WHERE { <https://w3id.org/bluehats-kg/project/kubic> rdfs:label ?l }"
LIMIT = 2.0


def alive(pid: int) -> bool:
    """Whether a process exists and is not a zombie (a killed child not yet reaped)."""
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
    except FileNotFoundError:
        return False
    return stat.rsplit(")", 1)[1].split()[0] != "Z"


def test_runaway_query_is_stopped_while_others_are_served(var_dir, serve):
    server = serve(var_dir, query_timeout=LIMIT, query_workers=2)
    pids = httpx.get(server.url + "/-/health").json()["query_worker_pids"]
    runaway = {}

    def run_away():
        start = time.monotonic()
        r = httpx.get(server.url + "/sparql", params={"query": RUNAWAY}, timeout=30)
        runaway.update(status=r.status_code, body=r.json(), elapsed=time.monotonic() - start,
                       headers=r.headers)

    thread = threading.Thread(target=run_away)
    start = time.monotonic()
    thread.start()
    time.sleep(0.3)  # the runaway is now busy in one worker
    cheap = httpx.get(server.url + "/sparql", params={"query": CHEAP}, timeout=30)
    cheap_done = time.monotonic() - start
    thread.join(30)

    assert cheap.status_code == 200
    assert cheap.json()["results"]["bindings"][0]["l"]["value"] == "Kubic"
    assert cheap_done < LIMIT, "the cheap query waited for the runaway one"

    assert runaway["status"] == 503
    error = runaway["body"]["error"]
    assert error["code"] == "query_timeout" and error["limit"] == LIMIT
    # the server killed the worker within the limit + 1 s of starting the job…
    assert LIMIT <= error["stopped_after"] < LIMIT + 1, error
    # …and the work really stopped: the worker that ran it is gone
    assert not any(alive(pid) for pid in pids if pid not in
                   httpx.get(server.url + "/-/health").json()["query_worker_pids"])
    # seen from the client (includes HTTP and, on a loaded machine, scheduling delays)
    assert runaway["elapsed"] < LIMIT + 3, runaway["elapsed"]
    print(f"runaway stopped after {error['stopped_after']:.2f} s server-side, "
          f"{runaway['elapsed']:.2f} s client-side (limit {LIMIT} s); "
          f"cheap answered after {cheap_done:.2f} s")

    # the pool replaced the killed worker and serves again
    health = httpx.get(server.url + "/-/health").json()
    assert health["workers_killed"] == 1
    again = httpx.get(server.url + "/sparql", params={"query": CHEAP}, timeout=10)
    assert again.status_code == 200


def test_a_request_may_ask_for_a_shorter_limit(var_dir, serve):
    server = serve(var_dir, query_timeout=LIMIT)
    start = time.monotonic()
    r = httpx.get(server.url + "/sparql", params={"query": RUNAWAY, "timeout": "0.5"}, timeout=30)
    elapsed = time.monotonic() - start
    assert r.status_code == 503 and r.json()["error"]["limit"] == 0.5
    assert r.json()["error"]["stopped_after"] < 0.5 + 1
    assert elapsed < 0.5 + 3
    # and cannot ask for more than the setting
    r = httpx.get(server.url + "/sparql", params={"query": RUNAWAY, "timeout": "60"}, timeout=30)
    assert r.status_code == 503 and r.json()["error"]["limit"] == LIMIT


def test_timeout_page_for_browsers(var_dir, serve):
    server = serve(var_dir, query_timeout=0.5, query_workers=1)
    r = httpx.get(server.url + "/sparql", params={"query": RUNAWAY, "lang": "en"},
                  headers={"accept": "text/html"}, timeout=30)
    assert r.status_code == 503
    assert r.headers["content-type"].startswith("text/html")
    assert "Error 503" in r.text and "time limit" in r.text
