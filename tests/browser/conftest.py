"""Headless Chromium (Debian's ``chromium`` and ``chromium-driver``) driven by Selenium, on a
real uvicorn server serving the built graph. ``.ci/run`` installs Chromium; with ``CI=true`` a
missing browser fails the tests instead of skipping them.

Screenshots and the crawl report go to ``artifacts/browser/`` (git-ignored; CI keeps them).
"""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

from tests.servers import uvicorn_server

ROOT = Path(__file__).resolve().parents[2]
ARTIFACTS = ROOT / "artifacts" / "browser"
FLAGS = ("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
         "--disable-component-update", "--disable-sync", "--no-first-run",
         "--disable-dev-shm-usage", "--window-size=1280,1600")


def find_chromium() -> tuple[str, str]:
    """Paths of the browser and its WebDriver; fails under CI, skips elsewhere, when absent."""
    browser = shutil.which("chromium") or "/usr/bin/chromium"
    driver = shutil.which("chromedriver") or "/usr/bin/chromedriver"
    missing = [p for p in (browser, driver) if not os.path.isfile(p)]
    if missing:
        message = (f"headless Chromium is needed: {', '.join(missing)} missing "
                   "(apt-get install -y chromium chromium-driver)")
        if os.environ.get("CI", "").lower() == "true":
            pytest.fail(message)
        pytest.skip(message)
    return browser, driver


def open_browser(tmp: Path, *, language: str = "fr-FR,fr", javascript: bool = True):
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    browser, driver = find_chromium()
    options = webdriver.ChromeOptions()
    options.binary_location = browser
    for flag in FLAGS:
        options.add_argument(flag)
    options.add_argument(f"--user-data-dir={tmp}")
    options.add_argument(f"--lang={language.split(',')[0]}")
    prefs = {"intl.accept_languages": language}
    if not javascript:
        prefs["profile.managed_default_content_settings.javascript"] = 2
    options.add_experimental_option("prefs", prefs)
    return webdriver.Chrome(service=Service(executable_path=driver), options=options)


@pytest.fixture(scope="session")
def artifacts() -> Path:
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    return ARTIFACTS


@pytest.fixture(scope="session")
def site(built, tmp_path_factory):
    """The base URL of a real server on the built graph."""
    env = {**built.env(), "KG_QUERY_WORKERS": "1"}
    with uvicorn_server("api.main:create_app_from_env", env=env, ready_path="/-/health",
                        log_dir=tmp_path_factory.mktemp("uvicorn-logs")) as url:
        yield url


@pytest.fixture(scope="session")
def chromium(tmp_path_factory):
    """A headless Chromium reading French (JavaScript on: tests read the DOM through it)."""
    driver = open_browser(tmp_path_factory.mktemp("chromium-profile"))
    driver.set_page_load_timeout(30)
    yield driver
    driver.quit()


@pytest.fixture
def chromium_without_js(tmp_path):
    driver = open_browser(tmp_path / "profile", javascript=False)
    yield driver
    driver.quit()
