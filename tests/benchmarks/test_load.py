"""The short version of ``benchmarks/load.py``: a few clients for a few seconds against a real
uvicorn server on the built graph, runaway queries included. Only 2xx, 3xx, 4xx and 503
``query_timeout`` (for the runaways) may come back; the figures are printed, not asserted."""

from __future__ import annotations

import asyncio

from benchmarks.load import load
from tests.api.conftest import Server


def test_short_load_gives_no_unexpected_status(built):
    env = {**built.env(), "KG_QUERY_WORKERS": "2", "KG_QUERY_TIMEOUT": "2"}
    server = Server(env)
    try:
        report = asyncio.run(load(server.url, clients=6, duration=8, runaway_every=3,
                                  root_pid=server.process.pid, rest_after=1,
                                  base_iri=built.settings.base_iri))
    finally:
        server.stop()
    print(report.text())
    assert report.unexpected() == {}, report.text()
    assert report.by_kind["runaway"]["503 query_timeout"] >= 1  # the runaways did run
    assert report.by_kind["cheap"]["200"] > 10
    assert set(report.by_kind) >= {"cheap", "aggregate", "page", "turtle", "rest", "reconcile"}
