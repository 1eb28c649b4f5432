"""Pages to quads: a pure function from a parsed page (and what is known of the graph) to the
quads of the page's own named graph ``{base}graph/bluehats-pages/<path-slug>``.

- ``rencontres/`` and ``webinaires/`` pages become events (``bh:Event``), ``gazettes/`` pages
  newsletter issues (``bh:NewsletterIssue``, a kind of source document), ``bsoc/<year>/
  contributions/`` pages software projects put forward for the BlueHats Semester of Code;
  other pages describe the event their rule names (``kg/bluehats_pages/rules.py``).
- Every page is also a ``bh:SourceDocument`` (``{base}source/bluehats-pages-<path-slug>``)
  with its path in the corpus, the corpus commit, its URL on code.gouv.fr when the site's
  layout gives it, its publication date, its links and its licence; what a page gives has
  ``bh:source``/``prov:wasDerivedFrom`` that page, as curated records have their report.
- A page about a curated entity (by its rule, or a project page whose name is exactly a
  curated project's name or alias) adds its facts under the curated IRI; name, kind, dates and
  description are only added where the curated record has none.
- ``bh:mentions`` links the event, issue or project to the graph's projects, organisations
  and people named on the page (``kg/bluehats_pages/names.py``: exact names after folding).

Descriptions are the page's own words (Licence Ouverte 2.0), shortened, in French.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterator
from dataclasses import dataclass, field

from rdflib import Literal, URIRef

from kg import iris
from kg.bluehats_pages import french_dates
from kg.bluehats_pages.curated import Curated
from kg.bluehats_pages.names import NameIndex, fold
from kg.bluehats_pages.page import SITE, Page, slugify
from kg.bluehats_pages.rules import PageRule
from kg.namespaces import PROV, RDF, RDFS, XSD

Quad = tuple[URIRef, URIRef, object, URIRef]

TYPE = URIRef(RDF + "type")
LABEL = URIRef(RDFS + "label")
DERIVED_FROM = URIRef(PROV + "wasDerivedFrom")
LICENCE = "https://spdx.org/licenses/etalab-2.0"  # the Licence Ouverte 2.0
LANG = "fr"
DESCRIPTION_MAX = 300  # characters: a short excerpt, the page has the rest
DATE_WINDOW = dt.timedelta(days=60)  # a date in the prose farther than this from the page's is not its own

EVENT_FOLDERS = ("rencontres", "webinaires")
NEWSLETTER_FOLDERS = ("gazettes",)
PROJECT_PAGE = re.compile(r"^bsoc/\d{4}/contributions/[^/]+\.md$")
BSOC_TITLE = re.compile(r"^BSOC\s+\d{4}\s*:\s*", re.IGNORECASE)

# Where the site publishes a page, from its place in the corpus (the links between pages of
# the corpus show these patterns); ``permalink:`` in the front matter wins. Gazettes are left
# out: no page of the corpus links to one, so their address is not known.
URL_PATTERNS = {
    "rencontres": "/fr/bluehats/{stem}/",
    "webinaires": "/fr/bluehats/{stem}/",
}
URL_PATTERNS_RE = ((re.compile(r"^bsoc/(\d{4})/contributions/"), "/fr/bluehats/bsoc-contributions-{0}/{stem}/"),)


def bh(local: str) -> URIRef:
    return URIRef(iris.term(local))


def graph_name(page: Page) -> str:
    """The page's named graph, for ``kg.iris.graph``: ``bluehats-pages/<path-slug>``."""
    return f"bluehats-pages/{page.slug}"


def source_id(page: Page) -> str:
    return f"bluehats-pages-{page.slug}"


def page_url(page: Page) -> str | None:
    if page.permalink:
        return SITE + page.permalink
    if page.folder in URL_PATTERNS:
        return SITE + URL_PATTERNS[page.folder].format(stem=page.stem)
    for rx, pattern in URL_PATTERNS_RE:
        if m := rx.match(page.path):
            return SITE + pattern.format(*m.groups(), stem=page.stem)
    return None


def short(text: str, limit: int = DESCRIPTION_MAX) -> str:
    """``text`` cut at the last sentence end (or else word) before ``limit`` characters.

    >>> short("Une phrase. Une autre phrase bien plus longue.", 30)
    'Une phrase.'
    >>> short("Un seul long morceau de texte sans point final", 20)
    'Un seul long…'
    """
    text = " ".join(text.split())
    if len(text) <= limit:
        return text
    cut = text[:limit]
    end = max(cut.rfind(". "), cut.rfind("! "), cut.rfind("? "))
    if end >= limit // 3:
        return cut[: end + 1]
    return cut[: cut.rfind(" ")].rstrip(" ,;:") + "…"


def event_kind(page: Page) -> str:
    """The event-kinds concept of an event page, from its folder, title and tags."""
    if page.folder == "webinaires":
        return "webinar"
    words = fold(" ".join([page.title or "", *page.tags]))
    if "garagethon" in words:
        return "garagethon"
    if "hackathon" in words or "sprint" in words:
        return "hackathon"
    if "osxp" in words or "open source experience" in words or "open source summit" in words:
        return "conference"
    return "meetup"


def event_dates(page: Page) -> tuple[dt.date | None, dt.date | None]:
    """The event's day(s): written in the title or description when close to the page's date,
    else the page's date."""
    date = page.date
    year = date.year if date else None
    for text in (page.title, page.description):
        found = french_dates.span(text, year) if text else None
        if found and (date is None or abs(found[0] - date) <= DATE_WINDOW):
            return found
    return date, None


@dataclass
class Context:
    """What mapping a page needs besides the page."""

    base: str
    curated: Curated
    names: NameIndex  # the graph's projects, organisations and people (curated and imported)
    commit: str | None = None
    path_prefix: str = ""  # shown before the page's path in bh:sourcePath
    ignored: frozenset[tuple[str, str]] = frozenset()  # never taken as named on a page


@dataclass
class PageGraph:
    page: Page
    graph: URIRef
    subject: tuple[str, str]  # (kind, id) of what the page became
    merged: bool  # True when the subject is a curated entity
    quads: list[Quad] = field(default_factory=list)
    mentions: list[tuple[str, str]] = field(default_factory=list)


def project_identity(page: Page, ctx: Context) -> tuple[str, str, bool]:
    """(id, name, merged) of a Semester-of-Code project page."""
    name = BSOC_TITLE.sub("", page.title or "").strip()
    owner = ctx.names.owner(name)
    if owner and owner[0] == "project" and ctx.curated.has("project", owner[1]):
        return owner[1], name, True
    ident = slugify(name)
    if ctx.curated.has("project", ident):
        raise ValueError(
            f"{page.path}: project id '{ident}' is a curated project whose names differ from "
            f"'{name}'; give the page a rule in data/imports/bluehats-pages.yaml"
        )
    return ident, name, False


def subject_of(page: Page, rule: PageRule, ctx: Context) -> tuple[str, str, str, bool]:
    """(kind, id, name, merged) of the entity a page becomes."""
    if rule.event:
        return "event", rule.event, rule.name or page.title or "", ctx.curated.has("event", rule.event)
    if page.folder in EVENT_FOLDERS:
        ident = slugify(page.stem)
        if ctx.curated.has("event", ident):
            raise ValueError(
                f"{page.path}: event id '{ident}' is already a curated event; say in "
                f"data/imports/bluehats-pages.yaml whether the page describes it (event: {ident})"
            )
        return "event", ident, page.title or "", False
    if PROJECT_PAGE.match(page.path):
        ident, name, merged = project_identity(page, ctx)
        return "project", ident, name, merged
    if page.folder in NEWSLETTER_FOLDERS:
        return "source", source_id(page), page.title or "", False
    raise ValueError(f"{page.path}: no rule says what this page describes")


def map_page(page: Page, rule: PageRule, ctx: Context) -> PageGraph:
    kind, ident, name, merged = subject_of(page, rule, ctx)
    g = URIRef(iris.graph(ctx.base, graph_name(page)))
    src = URIRef(iris.entity(ctx.base, "source", source_id(page)))
    subj = URIRef(iris.entity(ctx.base, kind, ident))
    out = PageGraph(page, g, (kind, ident), merged)
    quads = out.quads

    def add(s, p, o) -> None:
        quads.append((s, p, o, g))

    def fr(text: str) -> Literal:
        return Literal(text, lang=LANG)

    def date(d: dt.date) -> Literal:
        return Literal(d.isoformat(), datatype=URIRef(XSD + "date"))

    def provenance(s: URIRef) -> None:
        add(s, bh("source"), src)
        add(s, DERIVED_FROM, src)
        add(s, bh("sourceSection"), Literal(page.title or page.path))

    def missing(key: str) -> bool:
        return not (merged and ctx.curated.has(kind, ident, key))

    url = page_url(page)
    description = page.description or page.first_paragraph

    # the page itself
    add(src, TYPE, bh("SourceDocument"))
    add(src, LABEL, fr(page.title or page.path))
    add(src, bh("name"), fr(page.title or page.path))
    add(src, bh("sourcePath"), Literal(ctx.path_prefix + page.path))
    add(src, bh("language"), Literal(LANG))
    add(src, bh("contentLicence"), URIRef(LICENCE))
    if url:
        add(src, bh("url"), URIRef(url))
    if page.date:
        add(src, bh("datePublished"), date(page.date))
    if ctx.commit:
        add(src, bh("sourceCommit"), Literal(ctx.commit))
    for link in page.links:
        add(src, bh("linksTo"), URIRef(link))
    provenance(src)

    primary = not rule.event or merged or rule.name is not None
    if kind == "source":  # a newsletter issue: the page is the entity
        add(src, TYPE, bh("NewsletterIssue"))
        if m := re.search(r"n°\s*(\d+)", page.title or ""):
            add(src, bh("issueNumber"), Literal(m.group(1), datatype=URIRef(XSD + "integer")))
        if description:
            add(src, bh("description"), fr(short(description)))
    else:
        add(src, bh("about"), subj)
        if primary:
            if not merged:
                add(subj, TYPE, bh("Event" if kind == "event" else "SoftwareProject"))
            if missing("name") and name:
                add(subj, LABEL, fr(name))
                add(subj, bh("name"), fr(name))
            if missing("description") and description:
                add(subj, bh("description"), fr(short(description)))
            if kind == "event":
                _event_facts(page, rule, subj, add, date, missing, ctx)
        if rule.note:
            add(subj, bh("editorialNote"), Literal(rule.note, lang="en"))
        for tag in page.tags:
            add(subj, bh("tag"), Literal(tag))
        if url:
            add(subj, bh("seeAlso"), URIRef(url))
        for media in page.media:
            add(subj, bh("seeAlso"), URIRef(media))
        if kind == "project" and rule.presented_at:
            add(subj, bh("presentedAt"), URIRef(iris.entity(ctx.base, "event", rule.presented_at)))
        provenance(subj)

    for m_kind, m_id in sorted(ctx.names.find(page.text)):
        if (m_kind, m_id) == (kind, ident) or (m_kind, m_id) in ctx.ignored:
            continue
        out.mentions.append((m_kind, m_id))
        add(subj, bh("mentions"), URIRef(iris.entity(ctx.base, m_kind, m_id)))
    out.quads = list(dict.fromkeys(quads))
    return out


def _event_facts(page, rule, subj, add, date, missing, ctx) -> None:
    if missing("kind"):
        add(subj, bh("eventKind"), URIRef(iris.concept("event-kinds", rule.kind or event_kind(page))))
    if missing("start_date"):
        start, end = event_dates(page)
        start, end = rule.start_date or start, rule.end_date or end
        if start:
            add(subj, bh("startDate"), date(start))
        if end and end != start:
            add(subj, bh("endDate"), date(end))


def project_names(pages: list[Page], ctx: Context) -> Iterator[tuple[str, str]]:
    """(name, id) of the projects the Semester-of-Code pages create (not the curated ones)."""
    for page in pages:
        if PROJECT_PAGE.match(page.path):
            ident, name, merged = project_identity(page, ctx)
            if not merged:
                yield name, ident
