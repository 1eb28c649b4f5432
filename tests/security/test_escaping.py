"""Text from the graph is escaped on every page: a graph whose labels and literals hold markup,
script and template syntax, read page by page in headless Chromium (JavaScript on). No script
from the data may run, no link may be ``javascript:`` or ``data:``, and the text must be shown
as text. Chromium comes from ``.ci/run``; under ``CI=true`` a missing browser fails the test."""

from __future__ import annotations

from pathlib import Path
from urllib.parse import quote

import pytest

from tests.api.conftest import make_var_dir
from tests.browser.conftest import open_browser
from tests.servers import uvicorn_server

pytestmark = pytest.mark.browser
HOSTILE = Path(__file__).parent / "fixtures" / "hostile.trig"
PAGES = [
    "/project/xss", "/organisation/evil", "/project/", "/organisation/", "/",
    "/search?q=script", "/search?q=" + quote("<script>window.__pwned='search'</script>"),
    "/graph/hostile",
    "/sparql?query=" + quote("SELECT ?s ?l WHERE { ?s ?p ?l }") + "&format=html",
    "/sparql?query=" + quote("CONSTRUCT WHERE { ?s ?p ?o }") + "&format=html",
    "/sparql?query=" + quote("<script>window.__pwned='error'</script>"),
    "/project/" + quote("<script>window.__pwned='404'</script>"),
    "/project/" + quote("quote'and%22", safe=""),
    "/reconcile/preview?id=project/xss",
    "/api/projects/xss",
]


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    var = make_var_dir(tmp_path_factory.mktemp("hostile") / "var", HOSTILE.read_bytes())
    env = {"KG_VAR_DIR": str(var), "KG_QUERY_WORKERS": "1",
           "KG_BASE_IRI": "https://w3id.org/bluehats-kg/"}
    with uvicorn_server("api.main:create_app_from_env", env=env, ready_path="/-/health",
                        log_dir=tmp_path_factory.mktemp("uvicorn-logs")) as url:
        yield url


@pytest.fixture(scope="module")
def browser(tmp_path_factory):
    driver = open_browser(tmp_path_factory.mktemp("chromium-hostile"), language="en")
    driver.set_page_load_timeout(30)
    yield driver
    driver.quit()


FACTS = """
return {
  pwned: window.__pwned === undefined ? null : String(window.__pwned),
  bad_links: Array.from(document.querySelectorAll('[href],[src],[action]'))
      .map(e => e.getAttribute('href') || e.getAttribute('src') || e.getAttribute('action'))
      .filter(v => /^\\s*(javascript|data|vbscript):/i.test(v)),
  handlers: Array.from(document.querySelectorAll('*')).flatMap(e => Array.from(e.attributes))
      .filter(a => /^on/i.test(a.name)).map(a => a.name + '=' + a.value),
  text: document.body ? document.body.innerText : '',
  status: document.title,
};
"""


def test_no_script_from_the_graph_runs(site, browser):
    problems, shown = [], {}
    for path in PAGES:
        browser.get(site + path)
        facts = browser.execute_script(FACTS)
        for el in browser.find_elements("css selector", "a, button, input")[:50]:
            try:  # hovering and focusing fire the on* handlers an unescaped value would add
                browser.execute_script("arguments[0].dispatchEvent(new MouseEvent('mouseover'));"
                                       "arguments[0].focus && arguments[0].focus();", el)
            except Exception:  # noqa: BLE001 - an element gone stale does not matter here
                pass
        facts["pwned"] = facts["pwned"] or browser.execute_script(
            "return window.__pwned === undefined ? null : String(window.__pwned)")
        if facts["pwned"] or facts["bad_links"] or facts["handlers"]:
            problems.append((path, facts["pwned"], facts["bad_links"], facts["handlers"]))
        shown[path] = facts["text"]
    assert problems == []
    # the values are shown, as text
    assert "<script>window.__pwned='label'</script>" in shown["/project/xss"]
    assert "{{ 7*7 }}" in shown["/project/xss"] and "49" not in shown["/project/xss"]
    assert "</title><script>" in shown["/organisation/evil"] or "Evil" in shown["/organisation/evil"]
