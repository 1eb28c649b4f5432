"""The review file ``data/reconciliation/wikidata.yaml``: the Wikidata candidates proposed for
our entities, and a person's decision on each.

::

    entities:
      organisation/insee:
        name: Institut national de la statistique et des études économiques
        candidates:
          - qid: Q156616
            label: INSEE
            score: 100.0
            match: true
            evidence:
              - found by SIREN number (P1616) = 120027016
            decision: accept        # accept | reject | empty (undecided)
        create: false             # true: ask `kg export quickstatements` for a CREATE block

- ``accept``: the build adds ``bh:sameAs``/``owl:sameAs``/``schema:sameAs`` to the item, and
  the entity is no longer reconciled;
- ``reject``: the candidate stays in the file, so that it is never proposed again;
- re-running ``kg reconcile wikidata`` keeps every decision and comment, refreshes the
  scores and evidence of undecided candidates and adds new ones.

The file is read and written with ruamel.yaml's round trip, so a person's comments survive.
"""

from __future__ import annotations

import io
import re
from dataclasses import dataclass
from pathlib import Path

from ruamel.yaml import YAML
from ruamel.yaml.comments import CommentedMap, CommentedSeq
from ruamel.yaml.error import YAMLError

from kg import iris
from kg.errors import UserError
from kg.namespaces import BH, OWL, SCHEMA, WD

RELATIVE_PATH = Path("reconciliation") / "wikidata.yaml"
GRAPH_NAME = "wikidata-reconciliation"
SAME_AS = (BH + "sameAs", OWL + "sameAs", SCHEMA + "sameAs")
DECISIONS = ("accept", "reject")
_QID = re.compile(r"^Q[1-9][0-9]*$")
_ENTITY = re.compile(r"^[a-z]+/[a-z0-9][a-z0-9-]*$")

HEADER = """\
Wikidata links of the entities of our graph, proposed by `kg reconcile wikidata`.
For each candidate, set `decision:` to `accept` (the build then links the entity to the item)
or `reject` (never proposed again); leave it empty to decide later. `create: true` on an
entity with no accepted candidate asks `kg export quickstatements` for a CREATE block.
Re-running `kg reconcile wikidata` keeps decisions and comments.
"""


class ReviewError(UserError):
    """The review file is not as described in ``kg.reconcile.review``; names file, line, key."""


def path_in(data_dir: Path) -> Path:
    return data_dir / RELATIVE_PATH


def _yaml() -> YAML:
    y = YAML()  # round trip
    y.indent(mapping=2, sequence=4, offset=2)
    y.width = 4096  # one line per evidence
    y.preserve_quotes = True
    return y


@dataclass(frozen=True)
class Link:
    entity: str  # kind/id
    qid: str
    line: int


class Review:
    def __init__(self, path: Path, doc: CommentedMap):
        self.path = path
        self.doc = doc
        self._check()

    # ------------------------------------------------------------------ reading
    @classmethod
    def load(cls, path: Path) -> Review:
        if not path.exists():
            doc = CommentedMap()
            doc["entities"] = CommentedMap()
            doc.yaml_set_start_comment(HEADER)
            return cls(path, doc)
        try:
            doc = _yaml().load(path.read_text(encoding="utf-8"))
        except YAMLError as e:
            mark = getattr(e, "problem_mark", None)
            where = f"{path}:{mark.line + 1}:{mark.column + 1}" if mark else str(path)
            raise ReviewError(f"{where}: not valid YAML: {getattr(e, 'problem', e)}") from e
        if doc is None:
            doc = CommentedMap()
        if not isinstance(doc, CommentedMap):
            raise ReviewError(f"{path}:1: expected a mapping with the key `entities`")
        doc.setdefault("entities", CommentedMap())
        return cls(path, doc)

    def _where(self, node, key=None) -> str:
        line = 0
        try:
            if key is not None:
                line = node.lc.key(key)[0] + 1
            else:
                line = node.lc.line + 1
        except (AttributeError, KeyError, TypeError):
            pass
        return f"{self.path}:{line}" if line else str(self.path)

    def _check(self) -> None:
        entities = self.doc["entities"]
        if not isinstance(entities, CommentedMap):
            raise ReviewError(f"{self._where(self.doc, 'entities')}: `entities` must be a mapping")
        unknown = set(self.doc) - {"entities"}
        if unknown:
            key = min(unknown)
            raise ReviewError(f"{self._where(self.doc, key)}: unknown key `{key}`")
        for ident, entry in entities.items():
            if not _ENTITY.match(str(ident)):
                raise ReviewError(f"{self._where(entities, ident)}: `{ident}` is not kind/id")
            if not isinstance(entry, CommentedMap):
                raise ReviewError(f"{self._where(entities, ident)}: {ident}: expected a mapping")
            extra = set(entry) - {"name", "candidates", "create"}
            if extra:
                key = min(extra)
                raise ReviewError(f"{self._where(entry, key)}: {ident}: unknown key `{key}`")
            if entry.get("create") not in (None, True, False):
                raise ReviewError(f"{self._where(entry, 'create')}: {ident}.create: true or false")
            candidates = entry.get("candidates") or []
            if not isinstance(candidates, list):
                raise ReviewError(f"{self._where(entry, 'candidates')}: {ident}.candidates: a list")
            accepted = []
            for i, cand in enumerate(candidates):
                where = f"{ident}.candidates[{i}]"
                if not isinstance(cand, dict) or not _QID.match(str(cand.get("qid", ""))):
                    at = self._where(cand, "qid") if isinstance(cand, dict) and "qid" in cand \
                        else self._where(candidates)
                    raise ReviewError(f"{at}: {where}: needs `qid: Q…`")
                decision = cand.get("decision")
                if decision not in (None, "", *DECISIONS):
                    raise ReviewError(
                        f"{self._where(cand, 'decision')}: {where}.decision: `{decision}` is "
                        f"not accept, reject or empty"
                    )
                if decision == "accept":
                    accepted.append(cand["qid"])
            if len(accepted) > 1:
                raise ReviewError(
                    f"{self._where(entities, ident)}: {ident}: more than one accepted candidate "
                    f"({', '.join(accepted)}); keep one"
                )

    def entries(self) -> CommentedMap:
        return self.doc["entities"]

    def accepted(self) -> list[Link]:
        out = []
        for ident, entry in self.entries().items():
            for cand in entry.get("candidates") or []:
                if cand.get("decision") == "accept":
                    out.append(Link(str(ident), str(cand["qid"]), cand.lc.line + 1))
        return out

    def accepted_qid(self, ident: str) -> str | None:
        return next((link.qid for link in self.accepted() if link.entity == ident), None)

    def rejected(self, ident: str) -> set[str]:
        entry = self.entries().get(ident) or {}
        return {str(c["qid"]) for c in entry.get("candidates") or [] if c.get("decision") == "reject"}

    def wants_creation(self, ident: str) -> bool:
        entry = self.entries().get(ident) or {}
        return entry.get("create") is True

    # ------------------------------------------------------------------ writing
    def merge(self, ident: str, name: str, candidates: list[dict]) -> None:
        """Add or refresh the proposals for one entity; decided candidates keep their
        decision (and the score and evidence they were decided on)."""
        entries = self.entries()
        entry = entries.get(ident)
        if entry is None:
            entry = entries[ident] = CommentedMap()
            entry["name"] = name
            entry["candidates"] = CommentedSeq()
            entry["create"] = False
        entry["name"] = name
        if entry.get("candidates") is None:
            entry["candidates"] = CommentedSeq()
        existing = {str(c["qid"]): c for c in entry["candidates"]}
        for cand in candidates:
            old = existing.get(cand["qid"])
            if old is None:
                new = CommentedMap(cand)
                new["decision"] = None
                entry["candidates"].append(new)
            elif old.get("decision") in (None, ""):
                for key, value in cand.items():
                    old[key] = value
        if "create" not in entry:
            entry["create"] = False

    def text(self) -> str:
        buf = io.StringIO()
        _yaml().dump(self.doc, buf)
        return buf.getvalue()

    def save(self) -> None:
        self.path.parent.mkdir(parents=True, exist_ok=True)
        tmp = self.path.with_suffix(".yaml.tmp")
        tmp.write_text(self.text(), encoding="utf-8")
        tmp.replace(self.path)


def accepted_links(data_dir: Path, base: str) -> list[tuple[str, str]]:
    """(entity IRI, Wikidata item IRI) for every accepted candidate of the review file under
    ``data_dir`` (none when there is no file): what the build turns into sameAs triples."""
    path = path_in(data_dir)
    if not path.exists():
        return []
    return [(iris.entity(base, *link.entity.split("/", 1)), WD + link.qid)
            for link in Review.load(path).accepted()]


def link_quads(data_dir: Path, base: str, known: set[str]) -> list[tuple]:
    """The build's hook: for each accepted link, ``bh:sameAs``, ``owl:sameAs`` and
    ``schema:sameAs`` from the entity to the Wikidata item (rdflib quads), in the named graph
    ``{base}graph/wikidata-reconciliation``. ``known`` holds the IRIs of the built entities: a
    link to an entity that no longer exists is an error naming the line."""
    from rdflib import URIRef

    path = path_in(data_dir)
    if not path.exists():
        return []
    graph = URIRef(iris.graph(base, GRAPH_NAME))
    out = []
    for link in Review.load(path).accepted():
        subject = iris.entity(base, *link.entity.split("/", 1))
        if subject not in known:
            raise ReviewError(f"{path}:{link.line}: {link.entity}: no such entity in data/")
        for p in SAME_AS:
            out.append((URIRef(subject), URIRef(p), URIRef(WD + link.qid), graph))
    return out
