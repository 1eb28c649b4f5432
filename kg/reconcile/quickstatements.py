"""``kg export quickstatements``: what our graph can give back to Wikidata, as QuickStatements
v1 (tab-separated; https://www.wikidata.org/wiki/Help:QuickStatements).

- For each entity linked to an item (``bh:sameAs`` in the graph, or accepted in the review
  file): the statements our graph holds and the item lacks — official website (P856), source
  code repository (P1324), SIREN (P1616), developer (P178), programmed in (P277), parent
  organization (P749), organizer (P664); item values only when our value is itself linked.
- For each entity marked ``create: true`` in the review file and linked to nothing: a CREATE
  block with French and English labels and descriptions, aliases, P31 and the same statements.
- Every statement carries two references: reference URL (S854) = the entity's page in our
  graph, retrieved (S813) = the export date.
- People are left out: we give no personal data to Wikidata.

The dry run prints, under each line, why it is there.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from kg.reconcile.candidates import EntityIndex, Record
from kg.reconcile.review import Review
from kg.reconcile.text import url_key
from kg.reconcile.wikidata import PROPERTY_LABELS, Item, WikidataClient, qid
from kg.records import KINDS_BY_NAME

# (our property, Wikidata property, value type, kinds)
STATEMENTS = (
    ("website", "P856", "url", ("project", "organisation", "event")),
    ("repository", "P1324", "url", ("project",)),
    ("siren", "P1616", "id", ("organisation",)),
    ("developer", "P178", "item", ("project",)),
    ("programmingLanguage", "P277", "item", ("project",)),
    ("subOrganisationOf", "P749", "item", ("organisation",)),
    ("organiser", "P664", "item", ("event",)),
)
EXPORTED_KINDS = ("project", "organisation", "event")

# P31 of a created item, by kind (IDs from shared/reference/wikidata-ids.md)
INSTANCE_OF = {
    "project": ("Q7397", "software"),
    "free-project": ("Q341", "free software"),
    "organisation": ("Q43229", "organization"),
    "event": ("Q1656682", "event"),
}


@dataclass
class Line:
    text: str
    why: str


@dataclass
class Block:
    entity: str  # kind/id
    title: str
    lines: list[Line] = field(default_factory=list)


def _string(text: str) -> str:
    """A QuickStatements string: one line, in double quotes (which it cannot escape)."""
    return '"' + " ".join(text.replace('"', "'").split()) + '"'


def _time(day: str) -> str:
    return f"+{day}T00:00:00Z/11"


class Exporter:
    def __init__(self, index: EntityIndex, review: Review, today: str):
        self.index = index
        self.review = review
        self.today = today

    def link_of(self, rec: Record) -> str | None:
        linked = [qid(w) for w in rec.wikidata()]
        return linked[0] if linked else self.review.accepted_qid(rec.id)

    def references(self, rec: Record) -> str:
        return f"\tS854\t{_string(rec.iri)}\tS813\t{_time(self.today)}"

    def our_values(self, rec: Record, prop: str, kind: str) -> list[tuple[str, str]]:
        """(QuickStatements value, our value as read) for one property of ours."""
        out = []
        for value, _ in rec.values.get(prop, []):
            if kind == "item":
                other = self.index.get(value)
                q = self.link_of(other) if other is not None else None
                if q is not None:
                    out.append((q, f"{other.id} = {q}"))
            else:
                out.append((_string(value), value))
        return out

    def statements(self, rec: Record, subject: str, item: Item | None) -> list[Line]:
        lines = []
        for prop, pid, kind, kinds in STATEMENTS:
            if rec.kind not in kinds:
                continue
            theirs = item.values.get(pid, set()) if item is not None else set()
            for value, shown in self.our_values(rec, prop, kind):
                if kind == "url" and any(url_key(v) == url_key(shown) for v in theirs):
                    continue
                if kind == "id" and any(_digits(v) == _digits(shown) for v in theirs):
                    continue
                if kind == "item" and value in theirs:
                    continue
                label = PROPERTY_LABELS.get(pid, pid)
                if subject == "LAST":
                    lacks = f"{label} ({pid}) of the new item"
                elif not theirs:
                    lacks = f"Wikidata has no {label} ({pid}) for {subject}"
                else:
                    lacks = f"Wikidata's {label} ({pid}) of {subject} is {', '.join(sorted(theirs))}"
                lines.append(Line(
                    f"{subject}\t{pid}\t{value}{self.references(rec)}",
                    f"{lacks}; our graph has {shown} (bh:{prop} of {rec.iri}); "
                    f"referenced by our page (S854) retrieved {self.today} (S813)",
                ))
        return lines

    def create_block(self, rec: Record) -> Block:
        block = Block(rec.id, f"{rec.id}: absent from Wikidata, create: true in the review file")
        block.lines.append(Line("CREATE", "a new item for " + rec.id))
        fr = rec.name(("fr", "", "en"))
        en = rec.name(("en", "", "fr"))
        block.lines.append(Line(f"LAST\tLfr\t{_string(fr)}", "French label: our name"))
        block.lines.append(Line(f"LAST\tLen\t{_string(en)}",
                                "English label: our English name, else the name as given"))
        d_fr, d_en = self.descriptions(rec)
        block.lines.append(Line(f"LAST\tDfr\t{_string(d_fr)}", "French description, from kind and links"))
        block.lines.append(Line(f"LAST\tDen\t{_string(d_en)}", "English description, from kind and links"))
        for alias in rec.labels():
            if alias not in (fr, en):
                block.lines.append(Line(f"LAST\tAfr\t{_string(alias)}", "alias: another name we hold"))
        cls, cls_label = self.instance_of(rec)
        block.lines.append(Line(
            f"LAST\tP31\t{cls}{self.references(rec)}",
            f"instance of (P31) {cls} {cls_label}: the class of our {rec.kind}s"
            + (" with a licence" if cls == INSTANCE_OF["free-project"][0] else ""),
        ))
        block.lines += self.statements(rec, "LAST", None)
        return block

    def instance_of(self, rec: Record) -> tuple[str, str]:
        if rec.kind == "project" and rec.values.get("licence"):
            return INSTANCE_OF["free-project"]
        return INSTANCE_OF[rec.kind]

    def descriptions(self, rec: Record) -> tuple[str, str]:
        def first_name(prop: str) -> tuple[str, str] | None:
            for iri, _ in rec.values.get(prop, []):
                other = self.index.get(iri)
                if other is not None:
                    return other.name(("fr", "", "en")), other.name(("en", "", "fr"))
            return None

        if rec.kind == "project":
            dev = first_name("developer")
            free = bool(rec.values.get("licence"))
            if dev:
                return (f"logiciel{' libre' if free else ''} développé par {dev[0]}",
                        f"{'free ' if free else ''}software developed by {dev[1]}")
            return ("projet de logiciel libre", "free software project") if free else (
                "projet logiciel", "software project")
        if rec.kind == "organisation":
            parent = first_name("subOrganisationOf")
            if parent:
                return f"service de {parent[0]}", f"part of {parent[1]}"
            return "organisation", "organisation"
        day = next((v for v, _ in rec.values.get("startDate", [])), "")
        org = first_name("organiser")
        fr = "événement de la communauté BlueHats" + (f" du {day}" if day else "")
        en = "BlueHats community event" + (f" on {day}" if day else "")
        if org:
            fr, en = f"{fr}, organisé par {org[0]}", f"{en}, organised by {org[1]}"
        return fr, en

    def blocks(self, client: WikidataClient) -> tuple[list[Block], list[str]]:
        """The blocks to export, and notes on the entities left out (for the dry run)."""
        linked: dict[str, str] = {}
        notes = []
        for rec in sorted(self.index.records.values(), key=lambda r: r.id):
            q = self.link_of(rec)
            if q is None:
                continue
            if rec.kind == "person":
                notes.append(f"{rec.id} = {q}: left out, we give no personal data to Wikidata")
            elif rec.kind in EXPORTED_KINDS:
                linked[rec.id] = q
        items = client.describe(sorted(set(linked.values())), ()) if linked else {}
        out = []
        for rid, q in linked.items():
            rec = self.index.get(rid)
            lines = self.statements(rec, q, items.get(q))
            if lines:
                out.append(Block(rid, f"{rid} = {q} ({items[q].label() if q in items else q})", lines))
            else:
                notes.append(f"{rid} = {q}: nothing to add (Wikidata has every statement we hold)")
        for rid, entry in self.review.entries().items():
            rec = self.index.get(rid)
            if rec is None or self.link_of(rec) is not None:
                continue
            if self.review.wants_creation(rid):
                if rec.kind in EXPORTED_KINDS:
                    out.append(self.create_block(rec))
                else:
                    plural = KINDS_BY_NAME[rec.kind].plural
                    notes.append(f"{rid}: create: true ignored, we create no items for {plural}")
            elif not any(c.get("decision") in (None, "") for c in entry.get("candidates") or []):
                notes.append(f"{rid}: no Wikidata item accepted; set `create: true` in the review "
                             "file to get a CREATE block")
        return out, notes


def _digits(text: str) -> str:
    return "".join(c for c in text if c.isdigit())


def render(blocks: list[Block], notes: list[str], dry_run: bool) -> str:
    if not dry_run:
        return "".join(line.text + "\n" for b in blocks for line in b.lines)
    out = ["# QuickStatements v1, dry run: every line is followed by why it is there.",
           "# Paste the output of `kg export quickstatements` (without --dry-run) into",
           "# https://quickstatements.toolforge.org/ (\"Import commands\", version 1 format).", ""]
    for b in blocks:
        out.append(f"## {b.title}")
        for line in b.lines:
            out.append(line.text)
            out.append(f"    ↳ {line.why}")
        out.append("")
    if notes:
        out.append("## left out")
        out += [f"- {n}" for n in notes]
    statements = sum(1 for b in blocks for line in b.lines if "\tP" in line.text)
    creates = sum(1 for b in blocks for line in b.lines if line.text == "CREATE")
    out.append(f"# {statements} statements, {creates} new items")
    return "\n".join(out) + "\n"
