"""Fixtures of the linked-data page and REST tests: apps serving the shared builds.

``mini_app`` serves the pipeline's small fixture build (known entities: ``project/onyxia``,
``person/alice``…); ``built_app`` serves the real graph when ``data/`` and ``ontology/`` exist
(else the same small build); ``crowd_app`` serves a generated graph with a long list of
incoming links and hostile labels. Import the fixtures into a test module to use them.
"""

from __future__ import annotations

from dataclasses import fields

import pytest
from fastapi.testclient import TestClient

from api.main import create_app
from api.settings import Settings
from kg.config import Settings as KgSettings
from tests.api.conftest import make_var_dir  # re-exported for the page tests

BASE = "https://w3id.org/bluehats-kg/"
BROWSER = "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8"
HOSTILE = '</script><script>alert("x")</script> & <b>bold</b>'
CROWD = 250  # people affiliated with one organisation: three pages of incoming links


def app_settings(kg_settings: KgSettings, **overrides) -> Settings:
    values = {f.name: getattr(kg_settings, f.name) for f in fields(KgSettings)}
    values.update(query_workers=1, **overrides)
    return Settings(**values)


def client_for(settings: Settings):
    return TestClient(create_app(settings), raise_server_exceptions=False)


@pytest.fixture(scope="session", params=("embedded", "remote"))
def mini_app(mini, remote_of, request):
    """The mini build served by each backend in turn (``tests/api/conftest.py``)."""
    from tests.api.conftest import on_backend

    with client_for(on_backend(app_settings(mini.settings), request.param, remote_of)) as c:
        yield c


@pytest.fixture(scope="session")
def built_app(built):
    with client_for(app_settings(built.settings)) as c:
        yield c


def crowd_trig() -> bytes:
    people = "\n".join(
        f'  person:p{i:03d} a bh:Person ; rdfs:label "Person {i:03d}" ; bh:affiliation org:crowd .'
        for i in range(CROWD))
    hostile = HOSTILE.replace("\\", "\\\\").replace('"', '\\"')
    return f"""
@prefix bh: <https://w3id.org/bluehats-kg/ontology/> .
@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
@prefix person: <{BASE}person/> .
@prefix org: <{BASE}organisation/> .
<{BASE}graph/crowd> {{
  org:crowd a bh:Organisation ; rdfs:label "Crowd" ; bh:name "{hostile}" .
  org:hostile a bh:Organisation ; rdfs:label "{hostile}" .
{people}
}}
<{BASE}graph/ontology> {{
  bh:affiliation rdfs:label "affiliation"@en , "affiliation"@fr .
  bh:name rdfs:label "name"@en , "nom"@fr .
}}
""".encode()


@pytest.fixture(scope="session", params=("embedded", "remote"))
def crowd_app(tmp_path_factory, remote_of, request):
    from tests.api.conftest import on_backend

    var_dir = make_var_dir(tmp_path_factory.mktemp("crowd-var"), crowd_trig())
    settings = Settings(var_dir=var_dir, base_iri=BASE, query_workers=1)
    with client_for(on_backend(settings, request.param, remote_of)) as c:
        yield c
