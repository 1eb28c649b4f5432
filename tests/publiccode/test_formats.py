import pytest

from kg.publiccode import formats


@pytest.mark.parametrize(
    "expr, ok",
    [
        ("EUPL-1.2", True),
        ("EUPL-1.2 OR AGPL-3.0-or-later", True),
        ("GPL-2.0-only WITH Classpath-exception-2.0", True),
        ("MIT AND (Apache-2.0 OR BSD-3-Clause)", True),
        ("mit", True),  # SPDX ids match case-insensitively
        ("GPL-2.0+", True),
        ("LicenseRef-Etalab", True),
        ("Etalab-2.0", True),
        ("Licence Ouverte", False),
        ("MIT OR", False),
        ("", False),
    ],
)
def test_spdx_expression(expr, ok):
    assert formats.spdx_expression(expr) is ok


@pytest.mark.parametrize(
    "tag, ok",
    [
        ("fr", True),
        ("en-GB", True),
        ("zh-Hant-TW", True),
        ("en_GB", False),
        ("xxx", False),
        ("no such language", False),
        ("", False),
    ],
)
def test_bcp47(tag, ok):
    assert formats.bcp47(tag) is ok


@pytest.mark.parametrize(
    "code, ok", [("FR", True), ("fr", True), ("Fr", False), ("ZZ", False), ("FRA", False)]
)
def test_iso3166(code, ok):
    assert formats.iso3166_alpha2(code) is ok


@pytest.mark.parametrize(
    "text, ok",
    [
        ("2024-02-29", True),
        ("2023-02-29", False),
        ("2024-2-1", False),
        ("2024-01-01T00:00:00Z", False),
        ("", False),
    ],
)
def test_iso_date(text, ok):
    assert formats.iso_date(text) is ok


def test_urls():
    assert formats.url("https://github.com/x/y.git")
    assert formats.url("git@github.com:x/y.git") is False
    assert formats.url("foobar") is False
    assert formats.http_url("http://example.org/a")
    assert formats.http_url("ftp://example.org/a") is False
    assert formats.http_url("???") is False
    assert formats.uri("urn:x-italian-pa:pcm")
    assert formats.uri("https://lannuaire.service-public.fr/gouvernement/1234")
    assert formats.uri("1") is False


def test_graphemes_count_user_perceived_characters():
    assert formats.graphemes("e\u0301") == 1
    assert formats.graphemes("👍🏽") == 1
    assert formats.graphemes("🇫🇷 ok") == 4


def test_oembed_video():
    assert formats.oembed_video("https://www.youtube.com/watch?v=abc")
    assert formats.oembed_video("https://youtu.be/abc?si=x")
    assert formats.oembed_video("https://google.com") is False


def bluehats_page_links() -> list[str]:
    """Every address the BlueHats pages of code.gouv.fr give (front matter and body)."""
    import re

    from kg.config import Settings

    pages = Settings().shared_dir / "corpora" / "bluehats-pages" / "content"
    if not pages.is_dir():
        pytest.fail(f"the BlueHats pages corpus is missing at {pages} (KG_SHARED_DIR)")
    found = set()
    for page in pages.rglob("*.md"):
        found.update(re.findall(r"https://[^\s)\"'<>\]]+", page.read_text(encoding="utf-8")))
    return sorted(found)


def test_the_video_links_of_the_bluehats_pages_are_oembed_videos():
    """The public sector's PeerTube instances count as video hosts: every video or playlist
    page the corpus links to on one of them (or on YouTube) passes; channels do not."""
    from urllib.parse import urlsplit

    from kg.publiccode.vocabularies import PEERTUBE_HOSTS

    links = bluehats_page_links()
    hosts = {urlsplit(u).hostname for u in links}
    assert set(PEERTUBE_HOSTS) <= hosts  # each host is one the corpus links to
    videos = [u for u in links if urlsplit(u).hostname in PEERTUBE_HOSTS
              and urlsplit(u).path.startswith(("/w/", "/videos/watch/", "/videos/embed/"))]
    assert len(videos) > 60
    assert [u for u in videos if not formats.oembed_video(u)] == []
    for host in PEERTUBE_HOSTS:
        assert any(urlsplit(u).hostname == host for u in videos), host
    youtube = [u for u in links if urlsplit(u).path.startswith(("/watch", "/live/"))
               and urlsplit(u).hostname == "www.youtube.com"]
    assert youtube and [u for u in youtube if not formats.oembed_video(u)] == []
    assert not formats.oembed_video("https://tube.numerique.gouv.fr/c/bluehats")  # a channel
    assert not formats.oembed_video("https://videos.capitoledulibre.org/c/capitoledulibre/videos")
