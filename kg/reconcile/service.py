"""The documents of the Reconciliation Service API 0.2 over our graph, with no web framework:
``api/routes/reconcile.py`` only reads the HTTP parameters and sends what these functions give.

Identifiers: an entity is ``kind/id`` (``identifierSpace`` + it = its IRI), a type is a class
local name (``schemaSpace`` + it = the class IRI), a property a ``bh:`` local name.
"""

from __future__ import annotations

import html
import json
import math
from dataclasses import dataclass

from kg import __version__
from kg.namespaces import BH, RDFS, XSD
from kg.reconcile.candidates import CONDITION_ALIASES, EntityIndex
from kg.reconcile.scoring import Condition, Query, Scored
from kg.reconcile.text import fold
from kg.records import COMMON, KINDS, fields_of
from kg.store import NamedNode

SERVICE_NAME = "BlueHats knowledge graph"
DEFAULT_TYPES = ("SoftwareProject", "Organisation", "Person", "Event")
DEFAULT_LIMIT = 10
MAX_LIMIT = 100
# Scoring is fuzzy matching in the server process, without the worker pool's time limit: its
# cost grows with the number of queries and the length of their text (a 10,000-character
# query took 11 s, a batch of 1,000 queries a minute). Both are bounded.
MAX_QUERIES = 100  # per batch (OpenRefine sends 10 by default)
MAX_TEXT = 200  # characters of a query, a property value or a suggest prefix (as /search)
PREVIEW_SIZE = (400, 140)


class BadRequest(ValueError):
    """A parameter the client sent cannot be read; the message says which and why."""


# ---------------------------------------------------------------------------- manifest
def manifest(index: EntityIndex, root: str) -> dict:
    """The service manifest; ``root`` is the server's URL without trailing slash (the service
    is at ``{root}/reconcile``, entity pages at ``{root}/{id}``)."""
    return {
        "versions": ["0.2"],
        "name": SERVICE_NAME,
        "identifierSpace": index.base,
        "schemaSpace": BH,
        "serviceVersion": __version__,
        "defaultTypes": [
            {"id": t, "name": index.type_name(t)} for t in DEFAULT_TYPES
        ],
        "view": {"url": root + "/{{id}}"},
        "preview": {
            "url": root + "/reconcile/preview?id={{id}}",
            "width": PREVIEW_SIZE[0],
            "height": PREVIEW_SIZE[1],
        },
        "suggest": {
            "entity": {
                "service_url": root,
                "service_path": "/reconcile/suggest/entity",
                "flyout_service_path": "/reconcile/flyout/entity?id=${id}",
            },
            "type": {"service_url": root, "service_path": "/reconcile/suggest/type"},
            "property": {"service_url": root, "service_path": "/reconcile/suggest/property"},
        },
        "extend": {
            "propose_properties": {"service_url": root, "service_path": "/reconcile/properties"},
            "property_settings": [
                {
                    "name": "limit",
                    "label": "Limit",
                    "type": "number",
                    "default": 0,
                    "help_text": "Maximum number of values per entity (0 for no limit)",
                }
            ],
        },
    }


# ---------------------------------------------------------------------------- queries
def _load_json(text: str, param: str):
    try:
        return json.loads(text)
    except json.JSONDecodeError as e:
        raise BadRequest(f"{param}: not JSON ({e.msg} at line {e.lineno}, column {e.colno})")


def bounded(text: str, where: str) -> str:
    """``text`` when it is short enough to score, else a ``BadRequest`` naming ``where``."""
    if len(text) > MAX_TEXT:
        raise BadRequest(f"{where}: longer than {MAX_TEXT} characters ({len(text)})")
    return text


def _value_strings(v, key: str) -> list[str]:
    items = v if isinstance(v, list) else [v]
    out = []
    for item in items:
        if isinstance(item, dict):
            if not isinstance(item.get("id"), str):
                raise BadRequest(f"{key}: an entity value needs a string 'id'")
            out.append(item["id"])
        elif isinstance(item, bool):
            out.append("true" if item else "false")
        elif isinstance(item, (str, int, float)):
            out.append(bounded(str(item), key))
        else:
            raise BadRequest(f"{key}: unsupported value {item!r}")
    return out


def parse_query(key: str, q) -> Query:
    if not isinstance(q, dict):
        raise BadRequest(f"queries.{key}: expected an object")
    unknown = set(q) - {"query", "type", "limit", "properties", "type_strict"}
    if unknown:
        raise BadRequest(f"queries.{key}: unknown key(s) {', '.join(sorted(unknown))}")
    text = q.get("query", "")
    if not isinstance(text, str):
        raise BadRequest(f"queries.{key}.query: expected a string")
    bounded(text, f"queries.{key}.query")
    types = q.get("type", [])
    if isinstance(types, str):
        types = [types]
    if not isinstance(types, list) or not all(isinstance(t, str) for t in types):
        raise BadRequest(f"queries.{key}.type: expected a string or a list of strings")
    strict = q.get("type_strict", "any")
    if strict not in ("any", "should", "all"):
        raise BadRequest(f"queries.{key}.type_strict: expected any, should or all")
    limit = q.get("limit", DEFAULT_LIMIT)
    if isinstance(limit, bool) or not isinstance(limit, (int, float)) or limit < 0:
        raise BadRequest(f"queries.{key}.limit: expected a non-negative number")
    props = q.get("properties", [])
    if not isinstance(props, list):
        raise BadRequest(f"queries.{key}.properties: expected a list")
    conditions = []
    for i, p in enumerate(props):
        where = f"queries.{key}.properties[{i}]"
        if not isinstance(p, dict) or "pid" not in p or "v" not in p:
            raise BadRequest(f"{where}: expected an object with 'pid' and 'v'")
        pid = str(p["pid"])
        prop = CONDITION_ALIASES.get(pid, pid)
        conditions.append(Condition(prop, tuple(_value_strings(p["v"], where))))
    if not text and not conditions:
        raise BadRequest(f"queries.{key}: needs a 'query' or 'properties'")
    return Query(text, tuple(types), strict, tuple(conditions), min(int(limit), MAX_LIMIT))


def parse_queries(text: str) -> dict[str, Query]:
    batch = _load_json(text, "queries")
    if not isinstance(batch, dict):
        raise BadRequest("queries: expected an object whose keys name the queries")
    if len(batch) > MAX_QUERIES:
        raise BadRequest(f"queries: at most {MAX_QUERIES} queries per batch, not {len(batch)}")
    return {key: parse_query(key, q) for key, q in batch.items()}


def candidate(index: EntityIndex, s: Scored) -> dict:
    rec = index.get(s.entity.id)
    types = index.types_of(rec) if rec else sorted(s.entity.types)
    out = {
        "id": s.entity.id,
        "name": s.entity.name,
        "score": s.score,
        "match": s.match,
        "type": [{"id": t, "name": index.type_name(t)} for t in types],
        "features": s.features(),
    }
    if s.entity.description:
        out["description"] = _short(s.entity.description)
    return out


def reconcile(index: EntityIndex, queries: dict[str, Query]) -> dict:
    return {
        key: {"result": [candidate(index, s) for s in index.search(q)]}
        for key, q in queries.items()
    }


def _short(text: str, n: int = 200) -> str:
    text = " ".join(text.split())
    return text if len(text) <= n else text[: n - 1].rstrip() + "…"


# ---------------------------------------------------------------------------- suggest
def _prefix_rank(prefix: str, names: list[str]) -> int | None:
    """0: a name starts with the prefix, 1: a word of a name does, 2: contains it; None: no."""
    p = fold(prefix)
    best = None
    for n in names:
        f = fold(n)
        rank = 0 if f.startswith(p) else 1 if (" " + p) in (" " + f) else 2 if p in f else None
        if rank is not None and (best is None or rank < best):
            best = rank
    return best


def suggest_entities(index: EntityIndex, prefix: str, type_: str | None = None,
                     cursor: int = 0, limit: int = DEFAULT_LIMIT) -> dict:
    bounded(prefix, "prefix")
    wanted = index.type_id(type_) if type_ else None
    hits = []
    for rec in index.records.values():
        if wanted and wanted not in rec.classes:
            continue
        r = _prefix_rank(prefix, [rec.name(), *rec.labels()])
        if r is not None:
            hits.append((r, fold(rec.name()), rec))
    if not hits and prefix.strip():  # a misspelt prefix: fall back on fuzzy names
        for i, s in enumerate(index.search(Query(prefix, (wanted,) if wanted else ()))):
            hits.append((3, f"{i:06d}", index.get(s.entity.id)))  # best score first
    hits.sort(key=lambda h: (h[0], h[1]))
    result = []
    for _, _, rec in hits[cursor: cursor + limit]:
        item = {
            "id": rec.id,
            "name": rec.name(),
            "notable": [{"id": t, "name": index.type_name(t)} for t in index.types_of(rec)],
        }
        if rec.description():
            item["description"] = _short(rec.description(), 120)
        result.append(item)
    return {"result": result}


def _kind_of_type(index: EntityIndex, type_: str | None):
    if not type_:
        return None
    t = index.type_id(type_)
    return next((k for k in KINDS if k.cls == t), None)


def suggest_types(index: EntityIndex, prefix: str) -> dict:
    bounded(prefix, "prefix")
    result = []
    for k in KINDS:
        names = [k.cls, index.type_name(k.cls, "en"), index.type_name(k.cls, "fr"), k.name]
        if not prefix or _prefix_rank(prefix, names) is not None:
            result.append({"id": k.cls, "name": index.type_name(k.cls)})
    return {"result": result}


def properties_of(index: EntityIndex, type_: str | None = None) -> list[dict]:
    """Our properties (``bh:`` local names) of one type or of every type, with names."""
    kind = _kind_of_type(index, type_)
    kinds = [kind] if kind else list(KINDS)
    seen: dict[str, dict] = {"label": {"id": "label", "name": "label"}}
    for k in kinds:
        own = [fl for fl in fields_of(k).values() if fl not in COMMON]
        for fl in (*own, *COMMON):
            if fl.prop and fl.prop not in seen and fl.type != "figure":
                seen[fl.prop] = {"id": fl.prop, "name": index.type_name(fl.prop)}
    return list(seen.values())


def suggest_properties(index: EntityIndex, prefix: str, type_: str | None = None) -> dict:
    bounded(prefix, "prefix")
    props = properties_of(index, type_)
    if prefix:
        props = [p for p in props if _prefix_rank(prefix, [p["id"], p["name"]]) is not None]
    return {"result": props}


def propose_properties(index: EntityIndex, type_: str | None, limit: int | None) -> dict:
    if type_ and _kind_of_type(index, type_) is None:
        raise BadRequest(f"type: unknown type {type_!r}")
    props = properties_of(index, type_)
    if limit:
        props = props[:limit]
    out: dict = {"properties": props}
    if type_:
        out["type"] = index.type_id(type_)
    if limit:
        out["limit"] = limit
    return out


# ---------------------------------------------------------------------------- data extension
@dataclass(frozen=True)
class Extend:
    ids: tuple[str, ...]
    props: tuple[tuple[str, int], ...]  # (property id, limit or 0)


def parse_extend(index: EntityIndex, text: str) -> Extend:
    q = _load_json(text, "extend")
    if not isinstance(q, dict) or not isinstance(q.get("ids"), list) or not isinstance(
        q.get("properties"), list
    ):
        raise BadRequest("extend: expected an object with lists 'ids' and 'properties'")
    known = {p["id"] for p in properties_of(index)}
    props = []
    for i, p in enumerate(q["properties"]):
        if not isinstance(p, dict) or not isinstance(p.get("id"), str):
            raise BadRequest(f"extend.properties[{i}]: expected an object with a string 'id'")
        if p["id"] not in known:
            raise BadRequest(f"extend.properties[{i}]: unknown property {p['id']!r}")
        settings = p.get("settings") or {}
        try:
            limit = int(settings.get("limit", 0) or 0)
        except (TypeError, ValueError):
            raise BadRequest(f"extend.properties[{i}].settings.limit: expected a number")
        props.append((p["id"], max(0, limit)))
    if not all(isinstance(i, str) for i in q["ids"]):
        raise BadRequest("extend.ids: expected strings")
    return Extend(tuple(q["ids"]), tuple(props))


def _cell(index: EntityIndex, term) -> dict | None:
    value = term.value
    if isinstance(term, NamedNode):
        rec = index.get(value)
        if rec is not None:
            return {"id": rec.id, "name": rec.name()}
        return {"str": value}
    dt = term.datatype.value if term.datatype is not None else ""
    if dt == XSD + "integer":
        return {"int": int(value)}
    if dt in (XSD + "decimal", XSD + "double", XSD + "float"):
        number = float(value)
        return {"float": number} if math.isfinite(number) else {"str": value}
    if dt == XSD + "date":
        return {"date": value[:10] + "T00:00:00Z"}
    if dt == XSD + "dateTime":
        return {"date": value}
    return {"str": value}


def extend(index: EntityIndex, query: Extend) -> dict:
    meta = [{"id": p, "name": index.type_name(p)} for p, _ in query.props]
    rows: dict[str, dict[str, list]] = {}
    for ident in query.ids:
        rec = index.get(ident)
        rows[ident] = {p: [] for p, _ in query.props}
        if rec is None:
            continue
        for prop, limit in query.props:
            pred = RDFS + "label" if prop == "label" else BH + prop
            cells = _values(index, rec.iri, pred)
            rows[ident][prop] = cells[:limit] if limit else cells
    return {"meta": meta, "rows": rows}


def _values(index: EntityIndex, iri: str, pred: str) -> list[dict]:
    """The entity's values for one predicate; of language-tagged texts, one language only."""
    text = f"SELECT ?o WHERE {{ {NamedNode(iri)} {NamedNode(pred)} ?o }}"
    terms = [row["o"] for row in index.store.query(text, use_default_graph_as_union=True)]
    langs = {getattr(t, "language", None) for t in terms} - {None}
    keep = next((lang for lang in ("fr", "en") if lang in langs), min(langs) if langs else None)
    terms = [t for t in terms if getattr(t, "language", None) in (None, keep)]
    cells = [c for t in terms if (c := _cell(index, t)) is not None]
    return sorted(cells, key=lambda c: json.dumps(c, sort_keys=True, ensure_ascii=False))


# ---------------------------------------------------------------------------- preview
def preview_html(index: EntityIndex, ident: str, root: str) -> str | None:
    rec = index.get(ident)
    if rec is None:
        return None
    esc = html.escape
    types = index.types_of(rec)
    type_line = " · ".join(
        f'<span lang="fr">{esc(index.type_name(t, "fr"))}</span> / '
        f'<span lang="en">{esc(index.type_name(t, "en"))}</span>'
        for t in types[:1]
    )
    parts = [
        '<div class="bh-preview" style="font: 13px sans-serif">',
        f'<a href="{esc(root)}/{esc(rec.id)}" target="_blank"><strong>{esc(rec.name())}</strong></a>',
        f'<div style="color:#555">{type_line}</div>',
    ]
    if rec.description():
        parts.append(f"<p>{esc(_short(rec.description(), 240))}</p>")
    for prop in ("website", "repository"):
        for url in rec.urls(prop):
            if url.lower().startswith(("http://", "https://")):
                parts.append(f'<div><a href="{esc(url)}" target="_blank">{esc(url)}</a></div>')
            else:  # a javascript: or data: URL from a source must not become a link
                parts.append(f"<div>{esc(url)}</div>")
    parts.append("</div>")
    return "\n".join(parts)


def flyout(index: EntityIndex, ident: str, root: str) -> dict | None:
    body = preview_html(index, ident, root)
    return None if body is None else {"id": index.local_id(ident), "html": body}

