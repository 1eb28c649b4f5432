"""The pages in headless Chromium: a crawl from the home page over the built graph (no broken
internal link; every session, project, person and organisation reached, with a way back home),
accessibility checks on every page, keyboard use, the language switch, search without
JavaScript, and screenshots kept under ``artifacts/browser/``."""

from __future__ import annotations

import itertools
import json
import re
import struct
from collections import deque
from html.parser import HTMLParser
from urllib.parse import urldefrag, urljoin, urlsplit

import httpx
import pytest

from kg.namespaces import BH

pytestmark = pytest.mark.browser

BROWSER_ACCEPT = "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8"
CRAWLED_KINDS = ("Session", "SoftwareProject", "Person", "Organisation")
BROWSED_KINDS = ("session", "project", "person", "organisation", "event")
NOT_PAGES = ("/api/", "/-/", "/sparql", "/docs", "/openapi.json", "/.well-known/", "/store")
RDF_SUFFIX = re.compile(r"\.(ttl|jsonld|nt|rdf|html)$")

# what each page is checked for, in one round trip to the browser
PAGE_FACTS = """
const heads = Array.from(document.querySelectorAll('h1,h2,h3,h4,h5,h6'), h => +h.tagName[1]);
const controls = Array.from(document.querySelectorAll('input:not([type=hidden]),select,textarea'));
const unlabelled = controls.filter(c => !(c.id && document.querySelector(`label[for="${c.id}"]`))
                                      && !c.getAttribute('aria-label')).map(c => c.outerHTML);
return {
  lang: document.documentElement.lang,
  title: document.title,
  h1: document.querySelectorAll('h1').length,
  heads: heads,
  unlabelled: unlabelled,
  images_without_alt: document.querySelectorAll('img:not([alt])').length,
  empty_links: Array.from(document.querySelectorAll('a[href]'))
      .filter(a => !a.textContent.trim() && !a.getAttribute('aria-label')).map(a => a.href),
  overflow: document.documentElement.scrollWidth - window.innerWidth,
  links: Array.from(document.querySelectorAll('a[href]'), a => a.href),
  home_link: !!document.querySelector('header a[href="/"]'),
};
"""


def expected_paths(built) -> set[str]:
    from kg.store import open_read_only
    from kg.store.describe import Graph

    graph = Graph(open_read_only(built.path / "store"), built.settings.base_iri)
    base = built.settings.base_iri
    paths = {"/" + iri[len(base):] for cls in CRAWLED_KINDS for iri in graph.instances(BH + cls)
             if iri.startswith(base)}
    del graph
    return paths


def page_to_visit(url: str, site: str) -> bool:
    """Pages the crawl walks through (every other internal link is only checked)."""
    parts = urlsplit(url)
    if not url.startswith(site):
        return False
    if any(parts.path.startswith(p) for p in NOT_PAGES) or RDF_SUFFIX.search(parts.path):
        return False
    return "lang=" not in parts.query  # the other language of a page: checked, not walked


def variant_to_check(url: str, counts: dict[str, int], per_family: int = 3) -> bool:
    """Other formats (``.ttl``…) and the other language of a page come from the same code for
    every page of a template: those of the first pages of each template are fetched (the RDF of
    every entity is read in ``tests/api/test_pages_server.py``)."""
    parts = urlsplit(url)
    suffix = RDF_SUFFIX.search(parts.path)
    if not suffix and "lang=" not in parts.query:
        return True
    key = family(parts.path) + (suffix.group(0) if suffix else "?lang")
    counts[key] = counts.get(key, 0) + 1
    return counts[key] <= per_family


class Links(HTMLParser):
    def __init__(self, base: str, text: str):
        super().__init__()
        self.base, self.found = base, []
        self.feed(text)

    def handle_starttag(self, tag, attrs):
        href = dict(attrs).get("href")
        if tag == "a" and href:
            self.found.append(urljoin(self.base, href))


def family(path: str) -> str:
    """Pages of one template: ``/project/*``, ``/ontology/*``, ``/graph/*/*``…"""
    parts = path.strip("/").split("/")
    return f"{parts[0]}/{len(parts)}"


def in_browser(path: str, families: set[str]) -> bool:
    """Opened in Chromium: every page of the kinds people walk to (and their class pages), the
    home, and the first page of every other template."""
    parts = path.split("?")[0].strip("/").split("/")
    if parts[0] in BROWSED_KINDS and len(parts) <= 2:
        return True
    key = family(path.split("?")[0])
    if key in families:
        return False
    families.add(key)
    return True


def crawl(driver, site: str):
    """Breadth-first from the home page over every internal link (status, links); the pages
    chosen by ``in_browser`` are also opened in Chromium, which reads their facts."""
    client = httpx.Client(timeout=30)
    start = site + "/"
    queue = deque([(start, None)])
    seen = {start}
    visited: dict[str, dict] = {}
    broken: list[dict] = []
    families: set[str] = set()
    checked = walked = 0
    variants: dict[str, int] = {}
    while queue:
        url, referrer = queue.popleft()
        if not variant_to_check(url, variants):
            continue
        checked += 1
        response = client.get(url, headers={"accept": BROWSER_ACCEPT, "accept-language": "fr"})
        client.cookies.clear()  # a language switch checked must not change the next pages
        if response.status_code >= 400:
            broken.append({"url": url, "status": response.status_code, "from": referrer})
            continue
        if not page_to_visit(url, site) or "text/html" not in response.headers.get("content-type", ""):
            continue
        walked += 1
        links = Links(url, response.text).found
        parts = urlsplit(url)
        path = parts.path + (f"?{parts.query}" if parts.query else "")
        if in_browser(path, families):
            driver.get(url)
            facts = driver.execute_script(PAGE_FACTS)
            internal = lambda found: {x for x in found if x.startswith(site)}
            assert internal(facts.pop("links")) == internal(links), path  # as the browser sees
            visited[path] = facts
        for link in links:
            link = urldefrag(link)[0]
            if link.startswith(site) and link not in seen:
                seen.add(link)
                queue.append((link, url))
    client.close()
    return visited, broken, checked, walked


@pytest.fixture(scope="module")
def crawled(chromium, site, artifacts, built):
    visited, broken, checked, walked = crawl(chromium, site)
    report = {"pages_walked": walked, "pages_opened_in_chromium": len(visited),
              "links_checked": checked, "broken": broken, "real_graph": built.real,
              "opened": sorted(visited)}
    (artifacts / "crawl.json").write_text(json.dumps(report, indent=1), encoding="utf-8")
    print(f"\ncrawl: {walked} pages walked, {len(visited)} opened in Chromium, {checked} internal "
          f"links checked, {len(broken)} broken")
    return visited, broken


def test_crawl_finds_no_broken_link(crawled):
    visited, broken = crawled
    assert broken == []
    assert len(visited) > 10


def test_crawl_reaches_every_session_project_person_and_organisation(crawled, built):
    visited, _ = crawled
    missing = sorted(expected_paths(built) - set(visited))
    assert missing == []
    # … and each of them leads back home
    assert all(visited[p]["home_link"] for p in expected_paths(built))


def test_every_page_is_accessible(crawled):
    visited, _ = crawled
    problems = []
    for path, f in visited.items():
        if f["lang"] not in ("fr", "en"):
            problems.append((path, "lang", f["lang"]))
        if f["h1"] != 1:
            problems.append((path, "h1 count", f["h1"]))
        heads = f["heads"]
        if any(b > a + 1 for a, b in itertools.pairwise(heads)):
            problems.append((path, "heading levels skip", heads))
        if not f["title"]:
            problems.append((path, "no title", ""))
        for key in ("unlabelled", "empty_links"):
            if f[key]:
                problems.append((path, key, f[key][:3]))
        if f["images_without_alt"]:
            problems.append((path, "images without alt", f["images_without_alt"]))
        if f["overflow"] > 0:
            problems.append((path, "wider than the window by px", f["overflow"]))
    assert problems == []


def _luminance(rgb: tuple[float, float, float]) -> float:
    def channel(c: float) -> float:
        c /= 255
        return c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4
    r, g, b = (channel(c) for c in rgb)
    return 0.2126 * r + 0.7152 * g + 0.0722 * b


def _rgb(css: str) -> tuple[float, float, float]:
    return tuple(float(x) for x in re.findall(r"[\d.]+", css)[:3])


def contrast(fg: str, bg: str) -> float:
    a, b = sorted((_luminance(_rgb(fg)), _luminance(_rgb(bg))), reverse=True)
    return (a + 0.05) / (b + 0.05)


def test_text_contrast(chromium, site):
    chromium.get(site + "/project/")
    pairs = chromium.execute_script("""
      const bg = getComputedStyle(document.body).backgroundColor;
      return Array.from(document.querySelectorAll('main a, main p, main li, main small, header a, button'))
        .slice(0, 200).map(e => [e.tagName, getComputedStyle(e).color,
            e.tagName === 'BUTTON' ? getComputedStyle(e).backgroundColor : bg]);
    """)
    assert pairs
    low = [(tag, fg, bg, round(contrast(fg, bg), 2)) for tag, fg, bg in pairs
           if contrast(fg, bg) < 4.5]
    assert low == []


def test_keyboard_skip_link_and_focus(chromium, site):
    from selenium.webdriver.common.action_chains import ActionChains
    from selenium.webdriver.common.keys import Keys

    chromium.get(site + "/")
    ActionChains(chromium).send_keys(Keys.TAB).perform()
    first = chromium.switch_to.active_element
    assert first.get_attribute("class") == "skip" and first.is_displayed()
    ActionChains(chromium).send_keys(Keys.ENTER).perform()
    ActionChains(chromium).send_keys(Keys.TAB).perform()
    inside_main = chromium.execute_script(
        "return document.querySelector('main').contains(document.activeElement)")
    assert inside_main
    outline = chromium.execute_script("return getComputedStyle(document.activeElement).outlineStyle")
    assert outline not in ("", "none")  # the focused element is visibly marked


def test_language_switch_sticks(chromium, site):
    chromium.get(site + "/event/" + _first_event(site))
    assert chromium.execute_script("return document.documentElement.lang") == "fr"
    chromium.find_element("css selector", 'nav.languages a[hreflang="en"]').click()
    assert chromium.execute_script("return document.documentElement.lang") == "en"
    chromium.get(site + "/ontology/")
    assert chromium.execute_script("return document.documentElement.lang") == "en"
    chromium.find_element("css selector", 'nav.languages a[hreflang="fr"]').click()
    assert chromium.execute_script("return document.documentElement.lang") == "fr"


def _first_event(site: str) -> str:
    """The garagethon when the graph has it (the event of the source report), else any."""
    items = httpx.get(site + "/api/events", params={"keyword": "garagethon"}).json()["items"]
    items = items or httpx.get(site + "/api/events").json()["items"]
    return items[0]["id"]


def test_search_works_without_javascript(chromium_without_js, site):
    from selenium.webdriver.common.keys import Keys

    driver = chromium_without_js
    event = httpx.get(site + "/api/events").json()["items"][0]
    word = event["label"].split()[-1].strip("«»“”()!") or event["id"]
    driver.get(site + "/")
    box = driver.find_element("id", "home-q")
    box.send_keys(word.upper() + Keys.ENTER)
    assert "/search?q=" in driver.current_url
    driver.find_element("css selector", f'main a[href="{event["href"]}"]').click()
    assert urlsplit(driver.current_url).path == event["href"]


def _png_size(path) -> tuple[int, int]:
    head = path.read_bytes()[:24]
    assert head[:8] == b"\x89PNG\r\n\x1a\n"
    return struct.unpack(">II", head[16:24])


@pytest.mark.parametrize("name, path", [
    ("home", "/"),
    ("project", "/project/"),
    ("event", "EVENT"),
    ("ontology", "/ontology/"),
    ("search", "/search?q=data"),
])
def test_screenshots(chromium, site, artifacts, name, path):
    if path == "EVENT":
        path = "/event/" + _first_event(site)
    chromium.get(site + path)
    height = chromium.execute_script("return document.documentElement.scrollHeight")
    chromium.set_window_size(1280, min(max(height + 200, 800), 8000))  # the whole page
    target = artifacts / f"{name}.png"
    assert chromium.save_screenshot(str(target))
    width, _ = _png_size(target)
    assert width >= 1000 and target.stat().st_size > 10_000
    chromium.set_window_size(1280, 1600)
