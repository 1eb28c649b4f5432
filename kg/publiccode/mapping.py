"""A publiccode.yml to quads: one file, one named graph, one software project.

Pure: the validator's decoded file (``Report.data``) and its provenance in, rdflib quads out.
Which of our properties a key becomes is not decided here but by the ontology: a property
annotated ``bh:publiccodeKey "<key>"`` (crosswalk notation, e.g. ``legal.license`` or
``description.<lang>.features``) receives that key's values; the build's alignment step then
materialises the schema.org and Wikidata triples. This module only knows how to *read* each
key (``READERS``): as plain text, language-tagged text, an IRI, a date, a boolean, or an entity
of its own (a project, a person, an organisation) described in the same graph.

Identity: the software is the project of the curated data whose repository has the same
normalised URL (``repository_key``), or else ``{base}project/<id>`` where ``id`` is the
import list's id for the file. Everything goes into ``{base}graph/publiccode/<id>``, with
``bh:source`` → the file as a ``bh:SourceDocument`` (path, repository, commit, date read) and
the validator's findings as ``bh:editorialNote`` of that document.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlsplit

from rdflib import Literal, URIRef

from kg import iris
from kg.namespaces import DCTERMS, PROV, RDF, XSD
from kg.publiccode import formats
from kg.publiccode.findings import ERROR, Finding

Quad = tuple[URIRef, URIRef, object, URIRef]

TYPE = URIRef(RDF + "type")
DERIVED_FROM = URIRef(PROV + "wasDerivedFrom")
ANNOTATION = URIRef(iris.term("publiccodeKey"))
SECTION = "publiccode.yml"


def bh(local: str) -> URIRef:
    return URIRef(iris.term(local))


# --- identity ---------------------------------------------------------------------------------


def repository_key(url: str) -> str | None:
    """A repository URL reduced to what identifies it: no scheme, host in lower case, no
    ``www.``, no trailing slash or ``.git``.

    >>> repository_key("HTTPS://GitHub.com/InseeFrLab/onyxia.git/")
    'github.com/InseeFrLab/onyxia'
    """
    parts = urlsplit(url.strip())
    if not parts.netloc:
        return None
    host = parts.netloc.lower().removeprefix("www.")
    path = parts.path.rstrip("/").removesuffix(".git").rstrip("/")
    return host + path


def slug(text: str) -> str:
    """``Découpage administratif`` → ``decoupage-administratif``."""
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    out = re.sub(r"[^a-z0-9]+", "-", ascii_text.lower()).strip("-")
    return out or "x"


def name_key(name: str) -> str:
    """A name reduced for matching: ``Direction interministérielle du numérique`` and
    ``direction interministerielle du numerique`` meet."""
    return slug(name).replace("-", "")


def name_variants(name: str) -> list[str]:
    """The name, then for ``Full Name (ACRONYM)`` the full name and the acronym.

    >>> name_variants("Institut National de Recherche (INRIA)")
    ['Institut National de Recherche (INRIA)', 'Institut National de Recherche', 'INRIA']
    """
    found = [name]
    m = re.match(r"^(.*\S)\s*\(([^()]+)\)\s*$", name)
    if m:
        found += [m.group(1), m.group(2)]
    return found


def repository_slug(url: str) -> str | None:
    """The id a repository gets: its path (``gristlabs/grist-core`` → ``gristlabs-grist-core``)."""
    key = repository_key(url)
    if key is None:
        return None
    host, _, path = key.partition("/")
    return slug(path) if path else slug(host)


# --- the context a build gives ----------------------------------------------------------------


@dataclass
class Context:
    base: str
    properties: dict[str, list[URIRef]]  # normalised publiccode key → our properties
    curated_projects: dict[str, URIRef] = field(default_factory=dict)  # repository key → IRI
    curated: set[URIRef] = field(default_factory=set)  # every curated entity
    curated_values: dict[URIRef, set[URIRef]] = field(default_factory=dict)  # props it has
    # (kind, name_key(name)) → IRI, for names (or short or other names) only one record has
    curated_names: dict[tuple[str, str], URIRef] = field(default_factory=dict)

    def by_name(self, kind: str, name: str) -> URIRef | None:
        """The curated record of that name; ``Full Name (ACRONYM)`` also tries each part, so
        a file's "Institut National de Recherche en Informatique et en Automatique (INRIA)"
        is the curated "Inria"."""
        for candidate in name_variants(name):
            found = self.curated_names.get((kind, name_key(candidate)))
            if found is not None:
                return found
        return None


SINGLE_VALUED = {"licence", "projectKind"}  # at most one value (the shapes say so)


def normalise_key(key: str) -> str:
    """Crosswalk notation to ours: ``maintenance.contacts[]`` → ``maintenance.contacts``."""
    return key.strip().removesuffix("[]")


def properties_from(ontology) -> dict[str, list[URIRef]]:
    """The ``bh:publiccodeKey`` annotations of an ontology graph: key → properties."""
    found: dict[str, list[URIRef]] = {}
    for prop, key in ontology.subject_objects(ANNOTATION):
        found.setdefault(normalise_key(str(key)), []).append(URIRef(prop))
    return {k: sorted(v) for k, v in found.items()}


@dataclass(frozen=True)
class Provenance:
    """Where a file comes from: the import list's entry for it."""

    id: str  # slug, unique in the import list
    path: str  # as the import list names it
    repository: str | None = None
    commit: str | None = None
    read: str | None = None  # YYYY-MM-DD, when it was imported

    def file_url(self) -> str | None:
        """The file at its commit on GitHub or GitLab, when both are known."""
        if not (self.repository and self.commit):
            return None
        repo = self.repository.rstrip("/").removesuffix(".git")
        host = urlsplit(repo).netloc.lower()
        if host.endswith("github.com"):
            return f"{repo}/blob/{self.commit}/publiccode.yml"
        if "gitlab" in host:
            return f"{repo}/-/blob/{self.commit}/publiccode.yml"
        return None


# --- reading keys -----------------------------------------------------------------------------


@dataclass(frozen=True)
class Value:
    """One value read from a key, with the path it was read at (to check it was sound)."""

    kind: str  # text | lang | iri | date | bool | project | person | organisation
    text: str
    path: str
    lang: str | None = None
    url: str | None = None  # for entities: their web address (repository, website, URI)


def _get(d: Any, *keys: str) -> Any:
    for k in keys:
        if not isinstance(d, dict):
            return None
        d = d.get(k)
    return d


def _items(v: Any) -> list:
    return v if isinstance(v, list) else []


def lang_path(lang: str) -> str:
    return f"description.{lang}" if lang.isalpha() else f"description[{lang}]"


def _descriptions(d: dict, key: str, kind: str) -> Iterator[Value]:
    for lang, desc in (d.get("description") or {}).items():
        v = _get(desc, key)
        path = f"{lang_path(lang)}.{key}"
        if kind == "lang" and isinstance(v, str):
            yield Value("lang", v.strip(), path, lang=lang)
        elif kind == "langs":
            for i, item in enumerate(_items(v)):
                if isinstance(item, str):
                    yield Value("lang", item.strip(), f"{path}[{i}]", lang=lang)
        elif kind == "iri" and isinstance(v, str):
            yield Value("iri", v.strip(), path)
        elif kind == "iris":
            for i, item in enumerate(_items(v)):
                if isinstance(item, str):
                    yield Value("iri", item.strip(), f"{path}[{i}]")


def _scalar(kind: str, *keys: str) -> Callable[[dict], Iterator[Value]]:
    def read(d: dict) -> Iterator[Value]:
        v = _get(d, *keys)
        if isinstance(v, bool) and kind == "bool":
            yield Value("bool", "true" if v else "false", ".".join(keys))
        elif isinstance(v, str) and v.strip():
            yield Value(kind, v.strip(), ".".join(keys))

    return read


def _list(kind: str, *keys: str, upper: bool = False) -> Callable[[dict], Iterator[Value]]:
    def read(d: dict) -> Iterator[Value]:
        for i, v in enumerate(_items(_get(d, *keys))):
            if isinstance(v, str) and v.strip():
                text = v.strip().upper() if upper else v.strip()
                yield Value(kind, text, f"{'.'.join(keys)}[{i}]")

    return read


def _based_on(d: dict) -> Iterator[Value]:
    for i, url in enumerate(_items(d.get("isBasedOn"))):
        if isinstance(url, str) and url.strip():
            key = repository_key(url)
            name = key.split("/", 1)[-1] if key else url.strip()
            yield Value("project", name, f"isBasedOn[{i}]", url=url.strip())


def _organisation(d: dict) -> Iterator[Value]:
    org = d.get("organisation")
    if isinstance(org, dict) and isinstance(org.get("uri"), str):
        uri = org["uri"].strip()
        yield Value("organisation", _organisation_name(d, org, uri), "organisation.uri", url=uri)


def _organisation_name(d: dict, org: dict, uri: str) -> str:
    """The organisation's name as the file gives it: ``organisation.name``, else
    ``legal.repoOwner`` (its deprecated synonym), else a name in the file that holds the URI's
    domain (the contact "OpenFisca Association" for ``https://openfisca.org/en/association``),
    else the URI's host: never the whole URI (kept as the organisation's ``bh:seeAlso``: an
    ``organisation.uri`` identifies, it is not always a website, e.g. an annuaire entry).

    >>> _organisation_name({"maintenance": {"contacts": [{"name": "OpenFisca Association"}]}},
    ...                    {}, "https://openfisca.org/en/association")
    'OpenFisca Association'
    """
    for name in (org.get("name"), _get(d, "legal", "repoOwner")):
        if isinstance(name, str) and name.strip():
            return name.strip()
    host = urlsplit(uri).hostname or ""
    label = host.removeprefix("www.").split(".")[0].lower()
    for key in ("contacts", "contractors"):
        for item in _items(_get(d, "maintenance", key)):
            name = item.get("name") if isinstance(item, dict) else None
            if isinstance(name, str) and label and label in name.lower():
                return name.strip()
    return host or uri


def _funders(d: dict) -> Iterator[Value]:
    for i, org in enumerate(_items(d.get("fundedBy"))):
        if isinstance(org, dict) and isinstance(org.get("name"), str):
            uri = org.get("uri") if isinstance(org.get("uri"), str) else None
            yield Value("organisation", org["name"].strip(), f"fundedBy[{i}]", url=uri)


def _people(*keys: str, kind: str) -> Callable[[dict], Iterator[Value]]:
    def read(d: dict) -> Iterator[Value]:
        for i, item in enumerate(_items(_get(d, *keys))):
            if isinstance(item, dict) and isinstance(item.get("name"), str):
                # e-mail addresses and phone numbers are never published
                website = item.get("website") if isinstance(item.get("website"), str) else None
                yield Value(kind, item["name"].strip(), f"{'.'.join(keys)}[{i}]", url=website)

    return read


def _dependencies(d: dict) -> Iterator[Value]:
    for section in ("open", "proprietary", "hardware"):
        for i, dep in enumerate(_items(_get(d, "dependsOn", section))):
            if isinstance(dep, dict) and isinstance(dep.get("name"), str) and dep["name"].strip():
                yield Value("project", dep["name"].strip(), f"dependsOn.{section}[{i}]")


def _suite(d: dict) -> Iterator[Value]:
    v = d.get("applicationSuite")
    if isinstance(v, str) and v.strip():
        yield Value("project", v.strip(), "applicationSuite")


def _description(key: str, kind: str) -> Callable[[dict], Iterator[Value]]:
    return lambda d: _descriptions(d, key, kind)


# How each key of the standard is read (crosswalk notation, ``[]`` dropped).
READERS: dict[str, Callable[[dict], Iterator[Value]]] = {
    "publiccodeYmlVersion": _scalar("text", "publiccodeYmlVersion"),
    "name": _scalar("text", "name"),
    "applicationSuite": _suite,
    "url": _scalar("iri", "url"),
    "landingURL": _scalar("iri", "landingURL"),
    "isBasedOn": _based_on,
    "softwareVersion": _scalar("text", "softwareVersion"),
    "releaseDate": _scalar("date", "releaseDate"),
    "logo": _scalar("text", "logo"),
    "platforms": _list("text", "platforms"),
    "categories": _list("text", "categories"),
    "usedBy": _list("text", "usedBy"),
    "fundedBy": _funders,
    "roadmap": _scalar("iri", "roadmap"),
    "developmentStatus": _scalar("text", "developmentStatus"),
    "softwareType": _scalar("text", "softwareType"),
    "organisation.uri": _organisation,
    "organisation.name": _scalar("text", "organisation", "name"),
    "intendedAudience.countries": _list("text", "intendedAudience", "countries", upper=True),
    "intendedAudience.unsupportedCountries": _list(
        "text", "intendedAudience", "unsupportedCountries", upper=True
    ),
    "intendedAudience.scope": _list("text", "intendedAudience", "scope"),
    "description.<lang>.localisedName": _description("localisedName", "lang"),
    "description.<lang>.shortDescription": _description("shortDescription", "lang"),
    "description.<lang>.longDescription": _description("longDescription", "lang"),
    "description.<lang>.documentation": _description("documentation", "iri"),
    "description.<lang>.apiDocumentation": _description("apiDocumentation", "iri"),
    "description.<lang>.features": _description("features", "langs"),
    "description.<lang>.videos": _description("videos", "iris"),
    "description.<lang>.awards": _description("awards", "langs"),
    "legal.license": _scalar("text", "legal", "license"),
    "legal.mainCopyrightOwner": _scalar("text", "legal", "mainCopyrightOwner"),
    "maintenance.type": _scalar("text", "maintenance", "type"),
    "maintenance.contractors": _people("maintenance", "contractors", kind="organisation"),
    "maintenance.contacts": _people("maintenance", "contacts", kind="person"),
    "localisation.localisationReady": _scalar("bool", "localisation", "localisationReady"),
    "localisation.availableLanguages": _list("text", "localisation", "availableLanguages"),
    "dependsOn.open/proprietary/hardware": _dependencies,
}


# --- writing quads ----------------------------------------------------------------------------

_IRI_UNSAFE = re.compile(r'[\s<>"{}|\\^`]')


def web_iri(url: str | None) -> URIRef | None:
    """An http(s) URL usable as an IRI, or None."""
    if not url or not formats.http_url(url) or _IRI_UNSAFE.search(url):
        return None
    return URIRef(url)


class _Unsound:
    """Paths a finding (error) makes unreliable: the key itself, what is under it, above it."""

    def __init__(self, findings: list[Finding]):
        self.keys = {f.key for f in findings if f.kind == ERROR and f.key}

    def __call__(self, path: str) -> bool:
        for key in self.keys:
            if path == key or path.startswith((key + ".", key + "[")):
                return True
            if key.startswith((path + ".", path + "[")):
                return True
        return False


def file_quads(data: dict, findings: list[Finding], prov: Provenance, ctx: Context) -> list[Quad]:
    """The quads of one decoded file. Values a finding marks as wrong are left out."""
    base = ctx.base
    g = URIRef(iris.graph(base, f"publiccode/{prov.id}"))
    source = URIRef(iris.entity(base, "source", f"publiccode-{prov.id}"))
    unsound = _Unsound(findings)
    out: dict[Quad, None] = {}

    def add(s, p, o) -> None:
        out.setdefault((s, p, o, g), None)

    # the file itself
    add(source, TYPE, bh("SourceDocument"))
    title = prov.repository or _get(data, "name") or prov.path
    add(source, bh("name"), Literal(f"publiccode.yml — {title}"))
    add(source, bh("sourceSection"), Literal(SECTION))
    add(source, bh("source"), source)  # as every source document of the graph cites itself
    add(source, DERIVED_FROM, source)
    add(source, bh("sourcePath"), Literal(prov.path))
    if web_iri(prov.file_url()):
        add(source, bh("url"), URIRef(prov.file_url()))
    if web_iri(prov.repository):
        add(source, URIRef(DCTERMS + "source"), URIRef(prov.repository))
    if prov.commit:
        add(source, URIRef(DCTERMS + "hasVersion"), Literal(prov.commit))
    if prov.read and formats.iso_date(prov.read):
        add(source, URIRef(DCTERMS + "date"), Literal(prov.read, datatype=URIRef(XSD + "date")))
    for f in findings:
        where = f"{f.line}:{f.column} " if f.line else ""
        note = f"{f.kind} {where}{f.key or '(file)'}: {f.message}"
        add(source, bh("editorialNote"), Literal(note, lang="en"))

    # the software
    url = data.get("url") if isinstance(data.get("url"), str) else None
    key = repository_key(url) if url and not unsound("url") else None
    project = ctx.curated_projects.get(key) if key else None
    merged = project is not None
    if project is None:
        project = URIRef(iris.entity(base, "project", prov.id))
    has = ctx.curated_values.get(project, set()) if merged else set()

    def describe(entity: URIRef, cls: str, section: str) -> None:
        add(entity, TYPE, bh(cls))
        add(entity, bh("source"), source)
        add(entity, DERIVED_FROM, source)
        add(entity, bh("sourceSection"), Literal(section))

    describe(project, "SoftwareProject", SECTION)
    names = [v for v in READERS["name"](data) if not unsound(v.path)]
    if not names and not merged:  # a name is required: fall back on the repository's
        add(project, bh("name"), Literal(_fallback_name(url, prov)))

    for annotated, props in sorted(ctx.properties.items()):
        reader = READERS.get(annotated)
        if reader is None:
            continue
        for value in reader(data):
            if unsound(value.path):
                continue
            obj = _object(value, ctx, prov, describe, add)
            if obj is None or obj == project:  # e.g. an applicationSuite named as the project
                continue
            for p in props:
                local = str(p)[len(iris.term("")) :]
                if merged and (p in has) and (local in SINGLE_VALUED or local == "name"):
                    continue  # the curated value stands
                add(project, p, obj)
    return list(out)


def _fallback_name(url: str | None, prov: Provenance) -> str:
    key = repository_key(url) if url else None
    return key.rsplit("/", 1)[-1] if key else prov.id


def _object(value: Value, ctx: Context, prov: Provenance, describe, add):
    if value.kind == "text":
        return Literal(value.text)
    if value.kind == "lang":
        if not formats.bcp47(value.lang or "") or not value.text:
            return None
        return Literal(value.text, lang=value.lang)
    if value.kind == "iri":
        return web_iri(value.text)
    if value.kind == "date":
        if not formats.iso_date(value.text):
            return None
        return Literal(value.text, datatype=URIRef(XSD + "date"))
    if value.kind == "bool":
        return Literal(value.text, datatype=URIRef(XSD + "boolean"))
    return _entity(value, ctx, prov, describe, add)


def _entity(value: Value, ctx: Context, prov: Provenance, describe, add) -> URIRef | None:
    base = ctx.base
    section = f"{SECTION} > {value.path}"
    if value.kind == "project":
        key = repository_key(value.url) if value.url else None
        if key and key in ctx.curated_projects:
            return ctx.curated_projects[key]
        if not value.url and ctx.by_name("project", value.text):
            return ctx.by_name("project", value.text)
        ident = repository_slug(value.url) if value.url else slug(value.text)
        entity = URIRef(iris.entity(base, "project", ident or slug(value.text)))
        if entity in ctx.curated:
            return entity
        describe(entity, "SoftwareProject", section)
        add(entity, bh("name"), Literal(value.text))
        if web_iri(value.url):
            add(entity, bh("repository"), URIRef(value.url))
        return entity
    if value.kind == "organisation":
        if ctx.by_name("organisation", value.text):
            return ctx.by_name("organisation", value.text)
        entity = URIRef(iris.entity(base, "organisation", slug(value.text)))
        if entity in ctx.curated:
            return entity
        describe(entity, "Organisation", section)
        add(entity, bh("name"), Literal(value.text))
        if web_iri(value.url):
            add(entity, bh("seeAlso"), URIRef(value.url))
        return entity
    if value.kind == "person":
        entity = URIRef(iris.entity(base, "person", f"{prov.id}-{slug(value.text)}"))
        describe(entity, "Person", section)
        add(entity, bh("name"), Literal(value.text))
        return entity
    raise AssertionError(value.kind)
