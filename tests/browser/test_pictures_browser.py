"""The pictures in headless Chromium, on a real server over the built graph: the programme
grid, the neighbourhood and ontology diagrams and the charts are present, not empty, within
the page's width (on a desktop and on a phone-sized window), with text alternatives; each is
also kept as a screenshot under ``artifacts/browser/pictures-*.png``.

Uses the fixtures of ``tests/browser/conftest.py`` (``site``, ``chromium``, ``artifacts``).
"""

from __future__ import annotations

import base64
import struct

import pytest

pytestmark = pytest.mark.browser

# every picture of the page with its size, place and text alternative, in one round trip
PICTURES = """
const pictures = document.querySelectorAll(
    'main img, main svg.diagram-svg, main table.programme-grid');
return {
  viewport: document.documentElement.clientWidth,
  overflow: document.documentElement.scrollWidth - document.documentElement.clientWidth,
  items: Array.from(pictures, el => {
    const tag = el.tagName.toLowerCase();
    const r = el.getBoundingClientRect();
    // a wide picture may scroll inside its frame: the frame must fit the page
    const frame = (el.closest('.programme-scroll, .diagram-scroll') || el).getBoundingClientRect();
    let alt = '';
    if (tag === 'img') alt = el.getAttribute('alt') || '';
    else if (tag === 'svg') {
      const id = el.getAttribute('aria-labelledby');
      alt = (id && document.getElementById(id) || {}).textContent || '';
    } else alt = (el.querySelector('caption') || {}).textContent || '';
    return {
      tag: tag, width: r.width, height: r.height, left: frame.left, right: frame.right,
      alt: alt.trim(), role: el.getAttribute('role'),
      loaded: tag !== 'img' || (el.complete && el.naturalWidth > 0),
      marks: tag === 'svg' ? el.querySelectorAll('text').length
           : tag === 'table' ? el.querySelectorAll('td.session').length : null,
    };
  }),
};
"""

PAGES = {
    # name: (path, {tag: how many at least})
    "event": ("/event/garagethon-2024", {"table": 2, "svg": 1}),
    "programme": ("/event/garagethon-2024/programme", {"table": 2}),
    "project": ("/project/onyxia", {"svg": 1}),
    "figures": ("/-/figures", {"img": 4}),
    "ontology": ("/ontology/", {"svg": 1}),
}


def png_size(data: bytes) -> tuple[int, int]:
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    return struct.unpack(">II", data[16:24])


def facts_of(driver, url: str) -> dict:
    driver.get(url)
    driver.execute_script("return document.fonts.ready")
    # wait until every chart has loaded (at most 10 s)
    for _ in range(100):
        if driver.execute_script(
                "return Array.from(document.images).every(i => i.complete)"):
            break
        driver.execute_script("return new Promise(r => setTimeout(r, 100))")
    return driver.execute_script(PICTURES)


def check(facts: dict, expected: dict[str, int], where: str) -> None:
    items = facts["items"]
    for tag, least in expected.items():
        assert len([i for i in items if i["tag"] == tag]) >= least, (where, tag, items)
    for item in items:
        label = (where, item["tag"], item["alt"][:60])
        assert item["width"] > 100 and item["height"] > 60, label  # present, not empty
        assert item["loaded"], label
        assert item["left"] >= -1 and item["right"] <= facts["viewport"] + 1, label
        assert len(item["alt"]) > 10, label  # a text alternative worth the name
        if item["tag"] == "svg":
            assert item["role"] == "img" and item["marks"] > 3, label
        if item["tag"] == "table":
            assert item["marks"] > 0, label
    assert facts["overflow"] <= 1, (where, "the page is wider than the window")


@pytest.fixture(scope="module")
def desktop(chromium, site):
    chromium.set_window_size(1280, 1600)
    return {name: facts_of(chromium, site + path + "?lang=fr")
            for name, (path, _) in PAGES.items()}


@pytest.mark.parametrize("name", sorted(PAGES))
def test_pictures_fit_a_desktop_window(desktop, name, built):
    if not built.real and name in ("event", "programme"):
        pytest.skip("needs the curated data of data/")
    check(desktop[name], PAGES[name][1], name)


def test_pictures_fit_a_phone_window(chromium, site, built):
    if not built.real:
        pytest.skip("needs the curated data of data/")
    chromium.set_window_size(420, 900)
    try:
        for name, (path, expected) in PAGES.items():
            check(facts_of(chromium, site + path + "?lang=en"), expected, f"{name} (phone)")
    finally:
        chromium.set_window_size(1280, 1600)


def element_shot(driver, css: str, target) -> tuple[int, int]:
    """A screenshot of the first element matching ``css`` (scrolled into view)."""
    from selenium.webdriver.common.by import By

    element = driver.find_element(By.CSS_SELECTOR, css)
    driver.execute_script("arguments[0].scrollIntoView()", element)
    data = base64.b64decode(element.screenshot_as_base64)
    target.write_bytes(data)
    return png_size(data)


SHOTS = [
    # (file name, page, element)
    ("pictures-programme-day1", "/event/garagethon-2024?lang=fr", "table.programme-grid"),
    ("pictures-neighbourhood-onyxia", "/project/onyxia?lang=fr", "svg.diagram-svg"),
    ("pictures-neighbourhood-garagethon", "/event/garagethon-2024?lang=en", "svg.diagram-svg"),
    ("pictures-ontology", "/ontology/?lang=en", "svg.diagram-svg"),
    ("pictures-figures-organisations", "/-/figures?lang=fr", "#projects-by-organisation + figure img"),
    ("pictures-figures-technologies", "/-/figures?lang=en", "#projects-by-technology + figure img"),
    ("pictures-figures-years", "/-/figures?lang=fr", "#events-per-year + figure img"),
]


@pytest.mark.parametrize("name, path, css", SHOTS, ids=[s[0] for s in SHOTS])
def test_picture_screenshots(chromium, site, artifacts, built, name, path, css):
    if not built.real:
        pytest.skip("needs the curated data of data/")
    chromium.set_window_size(1280, 1600)
    facts_of(chromium, site + path)
    width, height = element_shot(chromium, css, artifacts / f"{name}.png")
    assert width > 200 and height > 100
