"""One query, two endpoints: the named query ``wikidata-aligned-*`` runs unchanged on our built
graph (``kg query --name``) and on the Wikidata-shaped fixture served by ``oxigraph serve``,
and both give the same rows."""

import json
import subprocess
import sys

from kg.config import ROOT
from kg.queries import registry
from kg.reconcile.wikidata import WikidataClient
from tests.builds import settings_env

NAME = "wikidata-aligned-python-software"


def rows(bindings: list[dict]) -> list[tuple]:
    return sorted(tuple(sorted((k, v["type"], v["value"]) for k, v in b.items())) for b in bindings)


def test_one_query_two_endpoints(linked_build, wikidata_endpoint):
    query = registry(ROOT / "queries")[NAME]
    assert query.params == [] and query.title["fr"]
    done = subprocess.run([sys.executable, "-m", "kg", "query", "--name", NAME, "--format", "json"],
                          cwd=ROOT, env=settings_env(linked_build), capture_output=True,
                          text=True, timeout=120, check=False)
    assert done.returncode == 0, done.stderr
    ours = rows(json.loads(done.stdout)["results"]["bindings"])
    theirs = rows(WikidataClient(wikidata_endpoint).select(query.text))
    assert ours == theirs
    # Django, linked through the review file, with the repository our data gives it
    assert ours == [(("repository", "uri", "https://github.com/django/django"),
                     ("software", "uri", "http://www.wikidata.org/entity/Q842014"))]
