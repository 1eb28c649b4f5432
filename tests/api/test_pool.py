"""The worker pool (``api/pool.py``) on its own: jobs, the time limit, the wait for a worker.

The runaway query is a cross product of seven copies of the graph: it never finishes within
a limit on any machine, so only the kill stops it.
"""

import asyncio
import time

import pytest

from api.pool import JobTimeout, Pool, PoolBusy
from kg.store import current_build

RUNAWAY = ("SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i . ?j ?k ?l . "
           "?m ?n1 ?o . ?p ?q ?r . ?t ?u ?v }")


def query(text: str) -> dict:
    return {"query": text, "result_format": "json", "graph_format": None, "max_rows": 10}


def run(coroutine_function):
    return asyncio.run(coroutine_function())


def test_jobs_run_and_answer(var_dir):
    path = str(current_build(var_dir) / "store")

    async def main():
        pool = Pool(2, warm_path=path)
        pool.start()
        try:
            answers = await asyncio.gather(*(pool.run("query", path, query("ASK { ?s ?p ?o }"), 10)
                                             for _ in range(20)))
            return answers, await pool.run("ping", None, {}, 5)
        finally:
            pool.close()

    answers, pong = run(main)
    assert pong == "pong"
    assert {a.body for a in answers} == {b'{"head":{},"boolean":true}'}


def test_waiting_for_a_worker_does_not_count_against_the_limit(var_dir):
    """With one worker busy on a runaway, the next job waits for the worker, then gets its
    whole limit (it was cut short when the wait counted)."""
    path = str(current_build(var_dir) / "store")
    limit = 1.0

    async def main():
        pool = Pool(1, warm_path=path)
        pool.start()
        try:
            start = time.monotonic()
            first, second = await asyncio.gather(
                pool.run("query", path, query(RUNAWAY), limit),
                pool.run("query", path, query(RUNAWAY), limit), return_exceptions=True)
            return first, second, time.monotonic() - start, pool.killed
        finally:
            pool.close()

    first, second, elapsed, killed = run(main)
    assert isinstance(first, JobTimeout) and isinstance(second, JobTimeout), (first, second)
    assert second.elapsed >= limit  # from the start of its own job, not of its wait
    assert elapsed >= 2 * limit and killed == 2


def test_a_job_that_finds_no_worker_in_time_is_refused(var_dir):
    path = str(current_build(var_dir) / "store")

    async def main():
        pool = Pool(1, warm_path=path, wait=0.5)
        pool.start()
        try:
            runaway = asyncio.ensure_future(pool.run("query", path, query(RUNAWAY), 3.0))
            await asyncio.sleep(0.2)
            with pytest.raises(PoolBusy):
                await pool.run("query", path, query("ASK {}"), 0.5)
            with pytest.raises(JobTimeout):
                await runaway
        finally:
            pool.close()

    run(main)
