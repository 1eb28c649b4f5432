"""``kg export publiccode PROJECT``: a publiccode.yml written from the graph, checked by our
own validator before it is written.

The export reads the built graph the way the import writes it, through the ontology's
``bh:publiccodeKey`` annotations: each annotated property of the project gives the values of
its key. What the graph lacks (or holds in a form the standard refuses) is reported with the
key it belongs to, and nothing is written.
"""

from __future__ import annotations

import json
from collections import defaultdict
from dataclasses import dataclass, field
from io import StringIO
from typing import Any

from kg import iris
from kg.config import Settings
from kg.errors import UserError
from kg.publiccode import formats
from kg.publiccode.findings import Finding, Report
from kg.publiccode.mapping import normalise_key
from kg.publiccode.validator import validate_bytes

QUERY = """
SELECT ?project ?p ?key ?o ?name ?see ?repo WHERE {
  ?project ?p ?o .
  ?p bh:publiccodeKey ?key .
  OPTIONAL { ?o bh:name ?name }
  OPTIONAL { ?o bh:seeAlso ?see }
  OPTIONAL { ?o bh:repository ?repo }
}
"""
EXISTS = "ASK { ?project a bh:SoftwareProject }"

# The standard's key order, for a file that reads like the examples.
ORDER = (
    "publiccodeYmlVersion",
    "name",
    "applicationSuite",
    "url",
    "landingURL",
    "isBasedOn",
    "softwareVersion",
    "releaseDate",
    "organisation",
    "platforms",
    "categories",
    "usedBy",
    "fundedBy",
    "roadmap",
    "developmentStatus",
    "softwareType",
    "intendedAudience",
    "description",
    "legal",
    "maintenance",
    "localisation",
    "dependsOn",
)
DESCRIPTION_ORDER = (
    "localisedName",
    "shortDescription",
    "longDescription",
    "documentation",
    "apiDocumentation",
    "features",
    "videos",
    "awards",
)
SOURCE_LANGUAGE = "fr"  # a description without a language tag is taken as French


class ProjectNotFound(UserError):
    pass


@dataclass
class Term:
    value: str
    kind: str  # iri | literal
    lang: str | None = None
    datatype: str | None = None
    name: str | None = None  # for entities: their bh:name
    link: str | None = None  # for entities: their bh:seeAlso or bh:repository


@dataclass
class Exported:
    project: str  # IRI
    text: str  # the YAML
    report: Report  # our validator's verdict on it
    values: dict[str, list[Term]] = field(default_factory=dict)

    @property
    def ok(self) -> bool:
        return self.report.ok

    def problems(self) -> list[str]:
        """What keeps the file from being valid, one line per key."""
        return [_explain(f) for f in self.report.errors]


def _explain(f: Finding) -> str:
    if "required" in f.message or "more than 0 items" in f.message:
        return f"missing: {f.key} ({f.message})"
    return f"not valid: {f.key}: {f.message}"


def project_iri(settings: Settings, project: str) -> str:
    if project.startswith(("http://", "https://")):
        return project
    return iris.entity(settings.base_iri, "project", project)


def read_values(settings: Settings, iri: str) -> dict[str, list[Term]]:
    """The project's values of every annotated property, by publiccode.yml key."""
    from kg.namespaces import data_prefixes
    from kg.store import NamedNode, StoreMissing, current_build, open_read_only
    from kg.store.sparql import execute

    build = current_build(settings.var_dir)
    if build is None:
        raise UserError(f"nothing built yet in {settings.var_dir}: run `kg build` first")
    try:
        store = open_read_only(build / "store")
    except StoreMissing as exc:
        raise UserError(str(exc)) from exc
    prefixes = data_prefixes(settings.base_iri)
    subs = {"project": NamedNode(iri)}
    found = json.loads(execute(store, EXISTS, "json", substitutions=subs, prefixes=prefixes).body)
    if not found.get("boolean"):
        raise ProjectNotFound(f"no software project {iri} in the graph")
    result = json.loads(execute(store, QUERY, "json", substitutions=subs, prefixes=prefixes).body)
    values: dict[str, list[Term]] = defaultdict(list)
    seen = set()
    for row in result["results"]["bindings"]:
        o = row["o"]
        term = Term(
            o["value"],
            "iri" if o["type"] == "uri" else "literal",
            lang=o.get("xml:lang"),
            datatype=o.get("datatype"),
            name=row.get("name", {}).get("value"),
            link=(row.get("see") or row.get("repo") or {}).get("value"),
        )
        key = normalise_key(row["key"]["value"])
        marker = (key, term.value, term.lang, term.kind)
        if marker in seen:
            continue
        seen.add(marker)
        values[key].append(term)
    for terms in values.values():
        terms.sort(key=lambda t: (t.lang or "", t.value))
    return dict(values)


def assemble(values: dict[str, list[Term]]) -> dict[str, Any]:
    """A publiccode.yml mapping from the values of each key."""
    doc: dict[str, Any] = {"publiccodeYmlVersion": "0"}

    def texts(key: str) -> list[str]:
        return [t.value for t in values.get(key, [])]

    def first(key: str) -> str | None:
        found = texts(key)
        return found[0] if found else None

    def put(path: str, value) -> None:
        if value in (None, [], ""):
            return
        *parents, last = path.split(".")
        node = doc
        for p in parents:
            node = node.setdefault(p, {})
        node[last] = value

    names = values.get("name", [])
    plain = [t.value for t in names if not t.lang] + [t.value for t in names if t.lang == "fr"]
    put("name", plain[0] if plain else first("name"))
    put("url", first("url"))
    put("landingURL", first("landingURL"))
    put(
        "applicationSuite",
        next((t.name for t in values.get("applicationSuite", []) if t.name), None),
    )
    based = [t.link for t in values.get("isBasedOn", []) if t.link]
    put("isBasedOn", based[0] if len(based) == 1 else based)
    put("softwareVersion", first("softwareVersion"))
    put("releaseDate", first("releaseDate"))
    orgs = values.get("organisation.uri", [])
    if orgs and orgs[0].link:
        put(
            "organisation",
            {"name": orgs[0].name, "uri": orgs[0].link} if orgs[0].name else {"uri": orgs[0].link},
        )
    put("platforms", texts("platforms"))
    put("categories", texts("categories"))
    put("usedBy", texts("usedBy"))
    # a funder the graph knows without its URI (required by the standard) is left out
    put(
        "fundedBy",
        [{"name": t.name, "uri": t.link} for t in values.get("fundedBy", []) if t.name and t.link],
    )
    put("developmentStatus", first("developmentStatus"))
    put("softwareType", first("softwareType"))
    put("intendedAudience.countries", texts("intendedAudience.countries"))
    put("intendedAudience.scope", texts("intendedAudience.scope"))
    description = _descriptions(values)
    if description:
        doc["description"] = description
    put("legal.license", first("legal.license"))
    put("legal.mainCopyrightOwner", first("legal.mainCopyrightOwner"))
    put("maintenance.type", first("maintenance.type"))
    put(
        "maintenance.contacts",
        [{"name": t.name} for t in values.get("maintenance.contacts", []) if t.name],
    )
    put(
        "maintenance.contractors",
        [{"name": t.name} for t in values.get("maintenance.contractors", []) if t.name],
    )
    ready = values.get("localisation.localisationReady", [])
    if ready:
        put("localisation.localisationReady", ready[0].value in ("true", "1"))
    put("localisation.availableLanguages", texts("localisation.availableLanguages"))
    put(
        "dependsOn.open",
        [{"name": t.name} for t in values.get("dependsOn.open/proprietary/hardware", []) if t.name],
    )
    return {k: doc[k] for k in ORDER if k in doc}


def _descriptions(values: dict[str, list[Term]]) -> dict[str, dict]:
    by_lang: dict[str, dict[str, Any]] = defaultdict(dict)
    parts = {
        "shortDescription": "description.<lang>.shortDescription",
        "longDescription": "description.<lang>.longDescription",
        "localisedName": "description.<lang>.localisedName",
        "documentation": "description.<lang>.documentation",
        "features": "description.<lang>.features",
    }
    for part, key in parts.items():
        for t in values.get(key, []):
            lang = t.lang or SOURCE_LANGUAGE
            if part == "features":
                by_lang[lang].setdefault("features", []).append(t.value)
            elif part == "documentation":
                # documentation is a URL, not language-tagged: every language gets it
                continue
            else:
                by_lang[lang].setdefault(part, []).append(t.value)
    docs = [t.value for t in values.get(parts["documentation"], [])]
    out: dict[str, dict] = {}
    for lang, d in sorted(by_lang.items()):
        entry: dict[str, Any] = {}
        if "localisedName" in d:
            entry["localisedName"] = d["localisedName"][0]
        entry["shortDescription"] = _pick(d.get("shortDescription", []), 1, 150)
        entry["longDescription"] = _pick(d.get("longDescription", []), 150, 10000)
        if docs:
            entry["documentation"] = docs[0]
        entry["features"] = d.get("features", [])
        out[lang] = {k: entry[k] for k in DESCRIPTION_ORDER if entry.get(k) not in (None, [])}
    complete = {
        lang: e
        for lang, e in out.items()
        if {"shortDescription", "longDescription", "features"} <= set(e)
    }
    return complete or out  # incomplete languages only when none is complete: they say what lacks


def _pick(candidates: list[str], low: int, high: int) -> str | None:
    """The longest candidate whose length (in graphemes) is within bounds, else the longest."""
    if not candidates:
        return None
    fitting = [c for c in candidates if low <= formats.graphemes(c) <= high]
    return max(fitting or candidates, key=formats.graphemes)


def to_yaml(doc: dict[str, Any]) -> str:
    from ruamel.yaml import YAML

    yaml = YAML()
    yaml.indent(mapping=2, sequence=4, offset=2)
    yaml.width = 100
    yaml.allow_unicode = True
    out = StringIO()
    yaml.dump(_literal_blocks(doc), out)
    return out.getvalue()


def _literal_blocks(value):
    """Multi-line texts as ``|`` blocks, as people write them."""
    from ruamel.yaml.scalarstring import LiteralScalarString

    if isinstance(value, dict):
        return {k: _literal_blocks(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_literal_blocks(v) for v in value]
    if isinstance(value, str) and "\n" in value.strip():
        lines = [line.rstrip() for line in value.strip().split("\n")]
        return LiteralScalarString("\n".join(lines) + "\n")
    return value


def export(settings: Settings, project: str) -> Exported:
    iri = project_iri(settings, project)
    values = read_values(settings, iri)
    text = to_yaml(assemble(values))
    report = validate_bytes(text.encode("utf-8"), "publiccode.yml")
    return Exported(iri, text, report, values)


# --- kg export publiccode ---------------------------------------------------------------------


def arguments(parser) -> None:
    parser.add_argument("project", help="the project's id (e.g. onyxia) or IRI")
    parser.add_argument(
        "--output", "-o", metavar="FILE", help="write the file here (default: standard output)"
    )


def run(args, settings: Settings) -> int:
    import sys
    from pathlib import Path

    exported = export(settings, args.project)
    if not exported.ok:
        print(
            f"{exported.project}: the graph lacks what a valid publiccode.yml needs; "
            "nothing written:",
            file=sys.stderr,
        )
        for line in exported.problems():
            print(f"  {line}", file=sys.stderr)
        return 1
    for f in exported.report.warnings:
        print(f"warning: {f.key}: {f.message}", file=sys.stderr)
    if args.output:
        Path(args.output).write_text(exported.text, encoding="utf-8")
        print(f"wrote {args.output} ({exported.project})", file=sys.stderr)
    else:
        sys.stdout.write(exported.text)
    return 0
