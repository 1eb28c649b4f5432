"""Faults, against a real uvicorn server: a rebuild while serving, a query worker killed."""

import os
import signal
import threading
import time
from pathlib import Path

import httpx

from tests.api.conftest import make_var_dir

NEW = ("https://w3id.org/bluehats-kg/project/", "brand-new")
ASK_NEW = "ASK { project:brand-new a bh:Project }"


def _publish(var_dir, trig: bytes) -> None:
    make_var_dir(var_dir, trig)  # one more build, published over the current one


def test_a_rebuild_switches_stores_without_a_failed_request(fresh_var, serve):
    server = serve(fresh_var, query_workers=2)
    statuses, answers, stop = [], [], threading.Event()

    def hammer():
        with httpx.Client(base_url=server.url, timeout=10) as http:
            while not stop.is_set():
                sent = time.monotonic()
                r = http.get("/sparql", params={"query": ASK_NEW})
                statuses.append(r.status_code)
                if r.status_code == 200:
                    answers.append((sent, time.monotonic(), r.json()["boolean"]))

    threads = [threading.Thread(target=hammer) for _ in range(3)]
    for t in threads:
        t.start()
    time.sleep(0.5)
    trig = (f"<https://w3id.org/bluehats-kg/graph/new> {{ <{NEW[0]}{NEW[1]}> a "
            "<https://w3id.org/bluehats-kg/ontology/Project> }").encode()
    _publish(fresh_var, trig)
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline and not (answers and answers[-1][2]):
        time.sleep(0.1)
    time.sleep(0.5)
    stop.set()
    for t in threads:
        t.join()
    assert set(statuses) == {200}, f"failed requests during the switch: {statuses}"
    assert answers[0][2] is False and answers[-1][2] is True  # the old build, then the new one
    # once a client has seen the new build, every request sent afterwards sees it too
    first_new = min(received for _, received, new in answers if new)
    assert all(new for sent, _, new in answers if sent > first_new)


def busy_for(pid: int, seconds: float, timeout: float = 20) -> None:
    """Wait until process ``pid`` has used ``seconds`` of CPU more than now."""
    def cpu() -> float:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")

    start, deadline = cpu(), time.monotonic() + timeout
    while cpu() - start < seconds:
        assert time.monotonic() < deadline, "the worker never started the query"
        time.sleep(0.05)


def test_a_killed_worker_gives_a_clean_error_and_is_replaced(var_dir, serve):
    server = serve(var_dir, query_workers=1, query_timeout=20)
    [pid] = httpx.get(server.url + "/-/health").json()["query_worker_pids"]
    runaway = ("SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i . ?j ?k ?l . "
               "?m ?n1 ?o . ?p ?q ?r }")
    result = {}
    thread = threading.Thread(target=lambda: result.update(
        r=httpx.get(server.url + "/sparql", params={"query": runaway}, timeout=30)))
    thread.start()
    busy_for(pid, 0.2)  # the worker is running the query (a sleep is not enough on a busy machine)
    os.kill(pid, signal.SIGKILL)  # e.g. the kernel's out-of-memory killer
    thread.join(30)
    r = result["r"]
    assert r.status_code == 503 and r.json()["error"]["code"] == "worker_lost"
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline:
        again = httpx.get(server.url + "/sparql", params={"query": "ASK {}"}, timeout=10)
        if again.status_code == 200:
            break
        time.sleep(0.2)
    assert again.status_code == 200 and again.json()["boolean"] is True
    assert httpx.get(server.url + "/-/health").json()["query_worker_pids"] != [pid]


def test_several_server_processes_serve_the_same_store(var_dir, serve):
    server = serve(var_dir, workers=2, query_workers=1)
    seen, stop = set(), threading.Event()

    def client():
        # fresh connections, several at once: sequential ones may all land on the process
        # that accepted the previous one (the kernel wakes the last one waiting)
        with httpx.Client(base_url=server.url, timeout=10, headers={"connection": "close"}) as http:
            for _ in range(40):
                if stop.is_set():
                    return
                r = http.get("/sparql", params={"query": "ASK { project:kubic a bh:Project }"})
                assert r.status_code == 200 and r.json()["boolean"] is True
                seen.add(http.get("/-/health").json()["pid"])
                if len(seen) == 2:
                    stop.set()

    threads = [threading.Thread(target=client) for _ in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(60)
    assert len(seen) == 2
