"""``kg reconcile wikidata``: for each of our entities without a Wikidata link, the Wikidata
items that may be it, scored, with the evidence of each.

Entities: projects (technologies included), organisations, people and events of the published
build that have no ``bh:sameAs`` a Wikidata item and no accepted candidate in the review file.
Candidates rejected in the review file are never proposed again.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from kg.reconcile.candidates import AGENT_PROPS, EntityIndex, Record
from kg.reconcile.review import Review
from kg.reconcile.scoring import Condition, Entity, NameTable, Query, Scored, rank
from kg.reconcile.wikidata import (
    IDENTIFIERS,
    KIND_CLASSES,
    ORGANISATION_PROPS,
    PROPERTY_LABELS,
    Item,
    WikidataClient,
    qid,
)

SCAN_FLOOR = 75.0  # a scanned label at least this close to one of our names makes a candidate
MAX_CANDIDATES = 5


@dataclass
class Candidate:
    qid: str
    label: str
    description: str
    score: float
    match: bool
    evidence: list[str]

    def as_dict(self) -> dict:
        out = {"qid": self.qid, "label": self.label}
        if self.description:
            out["description"] = self.description
        out |= {"score": self.score, "match": self.match, "evidence": list(self.evidence)}
        return out


@dataclass
class Proposal:
    iri: str
    id: str
    kind: str
    name: str
    candidates: list[Candidate] = field(default_factory=list)

    def as_dict(self) -> dict:
        return {"entity": self.iri, "id": self.id, "kind": self.kind, "name": self.name,
                "candidates": [c.as_dict() for c in self.candidates]}


def to_reconcile(index: EntityIndex, review: Review) -> list[Record]:
    """Our entities of the reconciled kinds with no Wikidata link yet, in a stable order."""
    return sorted(
        (rec for rec in index.records.values()
         if rec.kind in KIND_CLASSES and not rec.wikidata() and review.accepted_qid(rec.id) is None),
        key=lambda r: r.id,
    )


def _names(rec: Record) -> list[str]:
    return list(dict.fromkeys([rec.name(), *rec.labels()]))


def _linked_organisations(index: EntityIndex, rec: Record, review: Review) -> tuple[str, ...]:
    """The QIDs of the organisations our entity is linked to (developer, affiliation…)."""
    out = []
    for prop in AGENT_PROPS:
        for iri, _ in rec.values.get(prop, []):
            other = index.get(iri)
            if other is None:
                continue
            out += [qid(w) for w in other.wikidata()]
            if (accepted := review.accepted_qid(other.id)) is not None:
                out.append(accepted)
    return tuple(dict.fromkeys(out))


def find(index: EntityIndex, client: WikidataClient, entities: list[Record]
         ) -> dict[str, dict[str, list[str]]]:
    """entity id -> QID -> how it was found."""
    found: dict[str, dict[str, list[str]]] = {rec.id: {} for rec in entities}

    def note(rec_id: str, q: str, how: str) -> None:
        found[rec_id].setdefault(q, [])
        if how not in found[rec_id][q]:
            found[rec_id][q].append(how)

    # 1. exact identifiers, every entity at once
    for ours, pid, label in IDENTIFIERS:
        owners: dict[str, list[str]] = {}
        for rec in entities:
            for v in rec.urls(ours):
                owners.setdefault(v, []).append(rec.id)
        if not owners:
            continue
        hits = client.by_identifiers(pid, sorted(owners), urls=ours != "siren")
        for value, qids in hits.items():
            for rec_id in owners[value]:
                for q in qids:
                    note(rec_id, q, f"found by {label} ({pid}) = {value}")
    # 2. labels and aliases, typed, kind by kind
    for kind, classes in KIND_CLASSES.items():
        recs = [r for r in entities if r.kind == kind]
        if not recs:
            continue
        by_name: dict[str, list[str]] = {}
        for rec in recs:
            for name in _names(rec):
                by_name.setdefault(name, []).append(rec.id)
        for name, qids in client.by_labels(sorted(by_name), classes).items():
            for rec_id in by_name[name]:
                for q in qids:
                    note(rec_id, q, f"found by label or alias “{name}”")
        if client.is_wdqs:
            for rec in recs:
                for q in client.search(rec.name(), classes):
                    note(rec.id, q, f"found by Wikidata search for “{rec.name()}”")
        else:
            labels: dict[str, list[str]] = {}
            for q, text in client.scan_labels(classes):
                labels.setdefault(q, []).append(text)
            table = NameTable([Entity(q, texts[0], tuple(texts)) for q, texts in labels.items()])
            for rec in recs:
                for i, (best, text) in table.best(_names(rec)).items():
                    q = table.entities[i].id
                    if best == 100:
                        note(rec.id, q, f"found by label or alias “{text}”")
                    elif best >= SCAN_FLOOR:
                        note(rec.id, q, f"found by a label like ours: “{text}” ({best:.0f})")
    return found


def _evidence(how: list[str], s: Scored, item: Item, kind: str) -> list[str]:
    lines = list(how)
    lines.append(f"name: “{s.matched_label}” ({s.name_score:.0f}/100)")
    wanted = set(KIND_CLASSES[kind])
    if item.classes & wanted:
        lines.append("type: instance of " + ", ".join(sorted(item.classes & wanted))
                     + " (P31/P279*)")
    elif item.instance_of:
        lines.append("type: not a " + kind + " (P31 " + ", ".join(sorted(item.instance_of)) + ")")
    for a in s.agreements:
        pid = next((p for ours, p, _ in IDENTIFIERS if ours == a.prop), ORGANISATION_PROPS.get(kind))
        label = PROPERTY_LABELS.get(pid, a.prop)
        if a.agrees:
            lines.append(f"agrees: {label} ({pid}) = {a.ours}")
        else:
            lines.append(f"disagrees: {label} ({pid}) ours {a.ours}, Wikidata "
                         + ", ".join(a.theirs))
    return lines


def propose(index: EntityIndex, client: WikidataClient, review: Review) -> list[Proposal]:
    entities = to_reconcile(index, review)
    found = find(index, client, entities)
    qids = sorted({q for per in found.values() for q in per})
    all_classes = tuple(sorted({c for cs in KIND_CLASSES.values() for c in cs}))
    items = client.describe(qids, all_classes) if qids else {}
    proposals = []
    for rec in entities:
        names = _names(rec)
        conditions = [Condition(ours, rec.urls(ours)) for ours, _, _ in IDENTIFIERS if rec.urls(ours)]
        orgs = _linked_organisations(index, rec, review)
        if orgs:
            conditions.append(Condition("organisation", orgs))
        query = Query(names[0], KIND_CLASSES[rec.kind], "should", tuple(conditions),
                      aliases=tuple(names[1:]))
        rejected = review.rejected(rec.id)
        candidates = [items[q].entity(rec.kind) for q in found[rec.id] if q not in rejected]
        proposal = Proposal(rec.iri, rec.id, rec.kind, rec.name())
        for s in rank(query, candidates)[:MAX_CANDIDATES]:
            item = items[s.entity.id]
            proposal.candidates.append(Candidate(
                item.qid, item.label(), item.description(), s.score, s.match,
                _evidence(found[rec.id][item.qid], s, item, rec.kind),
            ))
        proposals.append(proposal)
    return proposals


def record_in(review: Review, proposals: list[Proposal], endpoint: str, today: str) -> None:
    """Write the proposals into the review file (decisions kept). An entity without
    candidates gets an entry too, where a person can ask for its creation (``create: true``),
    except people: we create no items for them."""
    for p in proposals:
        if not p.candidates and p.kind == "person" and p.id not in review.entries():
            continue
        review.merge(p.id, p.name, [
            c.as_dict() | {"proposed": today, "endpoint": endpoint} for c in p.candidates
        ])


def text_report(proposals: list[Proposal]) -> str:
    lines = []
    for p in proposals:
        lines.append(f"{p.id}  {p.name}")
        if not p.candidates:
            lines.append("    no candidate")
        for c in p.candidates:
            flag = "MATCH " if c.match else ""
            lines.append(f"    {flag}{c.qid} {c.label} — score {c.score}"
                         + (f" — {c.description}" if c.description else ""))
            lines += [f"        {e}" for e in c.evidence]
    return "\n".join(lines) + ("\n" if lines else "")
