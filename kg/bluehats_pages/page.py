"""One code.gouv.fr page: YAML front matter + Markdown body, parsed without touching the disk.

>>> p = parse_page("---\\ntitle: Présentation de X\\ndate: 2022-05-20\\n---\\n\\nX est un [logiciel](https://x.org).\\n", "webinaires/x.md")
>>> p.title, p.date.isoformat(), p.first_paragraph, p.links
('Présentation de X', '2022-05-20', 'X est un logiciel.', ('https://x.org',))
"""

from __future__ import annotations

import datetime as dt
import html
import re
import unicodedata
from dataclasses import dataclass
from typing import Any

import yaml

from kg.bluehats_pages.names import fold
from kg.store import NamedNode

try:  # the C loader is several times faster
    from yaml import CSafeLoader as _Loader
except ImportError:  # pragma: no cover
    from yaml import SafeLoader as _Loader

SITE = "https://code.gouv.fr"


class PageError(ValueError):
    """A page that cannot be read: names the file, the line and, where known, the key."""

    def __init__(self, path: str, line: int | None, message: str, key: str | None = None):
        self.path, self.line, self.key, self.message = path, line, key, message
        where = path + (f":{line}" if line else "") + (f" [{key}]" if key else "")
        super().__init__(f"{where}: {message}")


@dataclass(frozen=True)
class Page:
    path: str  # relative to the pages root, with "/" separators, e.g. "rencontres/codons-2024.md"
    front: dict[str, Any]
    body: str
    body_line: int  # line number (1-based) of the body's first line in the file

    @property
    def folder(self) -> str:
        return self.path.split("/", 1)[0] if "/" in self.path else ""

    @property
    def stem(self) -> str:
        return self.path.rsplit("/", 1)[-1].removesuffix(".md")

    @property
    def slug(self) -> str:
        """The path as one slug: ``bsoc/2022/contributions/ds.md`` → ``bsoc-2022-contributions-ds``."""
        return slugify(self.path.removesuffix(".md"))

    @property
    def is_navigation(self) -> bool:
        """Index pages of the site's menu (``permalink: false``, no title): no content of their own."""
        return self.front.get("permalink") is False and "title" not in self.front

    @property
    def title(self) -> str | None:
        value = self.front.get("title")
        return str(value).strip() if value is not None else None

    @property
    def date(self) -> dt.date | None:
        return _as_date(self.front.get("date"), self.path)

    @property
    def description(self) -> str | None:
        value = self.front.get("description")
        return plain_text(str(value)) if value else None

    @property
    def tags(self) -> tuple[str, ...]:
        value = self.front.get("tags")
        if value is None:
            return ()
        items = value if isinstance(value, list) else [value]
        return tuple(str(t).strip() for t in items if str(t).strip())

    @property
    def first_paragraph(self) -> str | None:
        """The first paragraph of prose: not a banner (⚠️ …) nor a pointer elsewhere
        ("Voir aussi …", "Cliquer sur ce lien …")."""
        for block in _blocks(self.body):
            text = plain_text(block)
            if not text or unicodedata.category(text[0]) == "So":
                continue
            if fold(text).startswith(_POINTERS):
                continue
            return text
        return None

    @property
    def media(self) -> tuple[str, ...]:
        """URLs of the front matter's ``video`` and ``slides`` (whichever field holds a URL)."""
        found = []
        for key in ("video", "slides"):
            value = self.front.get(key)
            if isinstance(value, dict):
                # one page has src and title swapped: keep whichever field is a URL
                for sub in ("src", "title"):
                    if isinstance(value.get(sub), str) and is_url(value[sub].strip()):
                        found.append(value[sub].strip())
                        break
        return tuple(dict.fromkeys(found))

    @property
    def links(self) -> tuple[str, ...]:
        """Every absolute link of the body, in order, once; site-relative links made absolute."""
        return tuple(dict.fromkeys(u for u in map(absolute_url, _raw_links(self.body)) if u))

    @property
    def permalink(self) -> str | None:
        value = self.front.get("permalink")
        return value if isinstance(value, str) and value.startswith("/") else None

    @property
    def text(self) -> str:
        """Title, description and body as plain text, links reduced to their text and addresses
        left out: what a page names."""
        parts = [self.title or "", self.description or "", plain_text(self.body)]
        return _BARE.sub(" ", "\n".join(p for p in parts if p))


def parse_page(text: str, path: str) -> Page:
    """Split ``text`` into front matter and body. Raises PageError on bad YAML or front matter."""
    lines = text.splitlines(keepends=True)
    if not lines or lines[0].strip() != "---":
        raise PageError(path, 1, "no YAML front matter (the page must start with '---')")
    end = next((i for i in range(1, len(lines)) if lines[i].strip() == "---"), None)
    if end is None:
        raise PageError(path, 1, "front matter not closed by '---'")
    try:
        front = yaml.load("".join(lines[1:end]), Loader=_Loader) or {}
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = mark.line + 2 if mark is not None else None
        raise PageError(path, line, f"bad YAML front matter: {exc.problem or exc}") from None
    if not isinstance(front, dict):
        raise PageError(path, 2, "front matter is not a mapping")
    page = Page(path, front, "".join(lines[end + 1 :]), end + 2)
    if not page.is_navigation:
        if not page.title:
            raise PageError(path, 2, "missing title", key="title")
        _ = page.date  # fail early on a bad date
    return page


def _as_date(value: Any, path: str) -> dt.date | None:
    if value is None:
        return None
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    try:
        return dt.date.fromisoformat(str(value).strip()[:10])
    except ValueError:
        raise PageError(path, None, f"date {value!r} is not YYYY-MM-DD", key="date") from None


# --- Markdown, reduced to what the import needs -------------------------------------------

_MD_LINK = re.compile(r"!?\[((?:[^\[\]]|\[[^\]]*\])*)\]\(\s*<?([^)\s>]+)>?(?:\s+\"[^\"]*\")?\s*\)")
_AUTOLINK = re.compile(r"<(https?://[^>\s]+)>")
_HREF = re.compile(r"""href=["']([^"']+)["']""")
_BARE = re.compile(r"(?<![(<\"'=\[])\bhttps?://[^\s)<>\]\"'`]+")
_SHORTCODE = re.compile(r"\{%.*?%\}", re.DOTALL)
_ATTRS = re.compile(r"\{[.#][^}]*\}")  # {.fr-link .fr-icon} attribute lists
_TAG = re.compile(r"<[^>]+>")
_POINTERS = ("voir ", "cliquer ", "cliquez ", "retrouvez ", "telecharger ", "telechargez ")
_URL = re.compile(r"^https?://[^\s<>\"{}|\\^`]+$")


def is_url(value: str) -> bool:
    """An absolute http(s) URL that is also a valid IRI (as the store checks it)."""
    if not _URL.match(value):
        return False
    try:
        NamedNode(value)
    except ValueError:
        return False
    return True


def absolute_url(url: str) -> str | None:
    """An absolute http(s) URL, or None: site-relative paths are resolved against code.gouv.fr;
    anchors, mailto: and relative file names are left out. Characters an IRI forbids where
    they stand are percent-encoded (chat links such as ``https://matrix.to/#/#room:server``
    have a second ``#``).

    >>> absolute_url("https://matrix.to/#/#room:example.org"), absolute_url("/docs/a.pdf")
    ('https://matrix.to/#/%23room:example.org', 'https://code.gouv.fr/docs/a.pdf')
    """
    url = html.unescape(url.strip()).rstrip(".,;:")
    if url.startswith("/") and not url.startswith("//"):
        url = SITE + url
    head, hash_, fragment = url.partition("#")
    url = head + hash_ + fragment.replace("#", "%23")
    url = url.replace("[", "%5B").replace("]", "%5D")
    return url if is_url(url) else None


def _raw_links(body: str) -> list[str]:
    found: list[tuple[int, str]] = []
    for rx in (_MD_LINK, _AUTOLINK, _HREF):
        for m in rx.finditer(body):
            found.append((m.start(), m.group(m.lastindex or 1)))
    masked = _HREF.sub(" ", _AUTOLINK.sub(" ", _MD_LINK.sub(" ", body)))
    found.extend((m.start(), m.group(0)) for m in _BARE.finditer(masked))
    return [u for _, u in sorted(found, key=lambda t: t[0])]


def plain_text(markdown: str) -> str:
    """Markdown or HTML reduced to readable text: links keep their text, markup goes.

    >>> plain_text("Le **[lab 110 bis](https://x.fr)** et <a href='/y'>Y</a> `#BlueHats` *open source*")
    'Le lab 110 bis et Y #BlueHats open source'
    """
    text = _SHORTCODE.sub(" ", markdown)
    text = _ATTRS.sub("", text)
    text = _MD_LINK.sub(lambda m: "" if m.group(0).startswith("!") else m.group(1), text)
    text = _AUTOLINK.sub(r"\1", text)
    text = _TAG.sub("", text)
    text = re.sub(r"^\s{0,3}(#{1,6}|>|[-*+]|\d+\.)\s+", "", text, flags=re.MULTILINE)
    text = re.sub(r"(\*\*|__|\*|`+)", "", text)
    text = re.sub(r"(?<!\w)_(\S(?:.*?\S)?)_(?!\w)", r"\1", text)
    text = html.unescape(text)
    return re.sub(r"[ \t\r\f\v]+", " ", re.sub(r"\s*\n\s*", "\n", text)).strip()


def _blocks(body: str):
    """Paragraphs of the body that read as prose (no headings, tables, images, code, lists)."""
    for block in re.split(r"\n\s*\n", _SHORTCODE.sub("\n\n", body)):
        block = block.strip()
        if not block or block.startswith(("#", "|", "<h", "```", "---", "- ", "* ", "{%")):
            continue
        if block.startswith(("`>>`", "![")):
            continue  # download lines and images
        if re.match(r"^<(br|img|div|/)", block):
            continue
        yield block.replace("\n", " ")


def slugify(text: str) -> str:
    """A slug ``[a-z0-9][a-z0-9-]*``: accents dropped, other characters turned into dashes.

    >>> slugify("de-GCOS-a-gnucobol"), slugify("Démarches simplifiées"), slugify("Unitex/Gramlab")
    ('de-gcos-a-gnucobol', 'demarches-simplifiees', 'unitex-gramlab')
    """
    return re.sub(r"[^a-z0-9]+", "-", fold(text)).strip("-")

