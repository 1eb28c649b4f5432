"""SELECT queries for the pictures, run like any query: in the killable worker pool, under the
server's time limit and row cap (``api.jobs``), the answer read back from SPARQL JSON.

A row is a mapping from variable name to ``Cell`` (its value, and its language or datatype);
unbound variables are absent.
"""

from __future__ import annotations

import json
from dataclasses import dataclass

from api import jobs


@dataclass(frozen=True)
class Cell:
    value: str
    kind: str  # "uri", "literal" or "bnode"
    lang: str | None = None
    datatype: str | None = None


@dataclass
class Rows:
    variables: list[str]
    rows: list[dict[str, Cell]]
    truncated: bool = False


def select(request, query: str) -> Rows:
    """The rows of a SELECT query over the published store."""
    settings = request.app.state.settings
    answer = jobs.run_sync(request, "query", {
        "query": query, "result_format": "json", "graph_format": None,
        "max_rows": settings.max_rows, "base_iri": settings.base_iri,
        "union_default_graph": settings.union_default_graph,
    }, jobs.time_limit(request))
    data = json.loads(answer.body)
    rows = [{name: Cell(t["value"], t["type"].replace("typed-literal", "literal"),
                        t.get("xml:lang"), t.get("datatype"))
             for name, t in binding.items()} for binding in data["results"]["bindings"]]
    return Rows(data["head"].get("vars", []), rows, answer.truncated)
