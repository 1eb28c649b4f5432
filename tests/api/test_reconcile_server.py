"""``/reconcile`` over real HTTP: the app (``api.main``) under uvicorn in a child process, an
OpenRefine-style client."""

import json

import httpx
import pytest

from tests.reconcile.schemas import assert_valid
from tests.servers import uvicorn_server


@pytest.fixture(scope="module")
def server(fixture_settings, tmp_path_factory):
    env = {"KG_VAR_DIR": str(fixture_settings.var_dir), "KG_BASE_IRI": fixture_settings.base_iri}
    with uvicorn_server("api.main:create_app_from_env", env=env, ready_path="/reconcile",
                        log_dir=tmp_path_factory.mktemp("uvicorn")) as base:
        yield base


def test_openrefine_session(server):
    with httpx.Client(base_url=server, timeout=10) as http:
        manifest = http.get("/reconcile").json()
        assert_valid("manifest", manifest)
        assert manifest["view"]["url"] == server + "/{{id}}"
        # OpenRefine posts the batch as a form field
        queries = {"q0": {"query": "Ministere de la culture", "type": "Organisation", "limit": 3},
                   "q1": {"query": "cuningham", "type": "SoftwareProject", "type_strict": "should"},
                   "q2": {"query": "Onyxia", "properties": [
                       {"pid": "P1324", "v": "https://github.com/InseeFrLab/onyxia"}]}}
        r = http.post("/reconcile", data={"queries": json.dumps(queries)},
                      headers={"Origin": "https://example.org"})
        assert r.status_code == 200 and r.headers["access-control-allow-origin"] == "*"
        body = r.json()
        assert_valid("reconciliation-result-batch", body)
        assert [body[k]["result"][0]["id"] for k in ("q0", "q1", "q2")] == [
            "organisation/ministere-culture", "project/cunningham", "project/onyxia"]
        assert all(body[k]["result"][0]["match"] for k in ("q0", "q1", "q2"))
        # the view URL of a candidate is the address of its page on this server
        view = manifest["view"]["url"].replace("{{id}}", body["q0"]["result"][0]["id"])
        assert view == server + "/organisation/ministere-culture"
        page = http.get(view, headers={"Accept": "text/html"})
        assert page.status_code == 200 and "Ministère de la Culture" in page.text
        preview = http.get(manifest["preview"]["url"].replace("{{id}}", "project/kubic"))
        assert preview.status_code == 200 and "Kubic" in preview.text
        bad = http.post("/reconcile", data={"queries": "{"})
        assert bad.status_code == 400 and "not JSON" in bad.json()["error"]["message"]
