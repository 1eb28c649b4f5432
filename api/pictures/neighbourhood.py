"""The neighbourhood of an entity: the entity and the entities one step away, grouped by
relation, drawn by Graphviz.

Neighbours are our own entities (people, organisations, projects, sessions, events, places,
topics, outcomes) linked to the entity by one of our properties, in either direction; source
documents, kind concepts and literal values are left to the page's lists. The drawing puts
the entity in the middle and the groups around it (Graphviz ``neato``), the groups that point at
the entity in another colour than those it points at. Each group is one box listing its members, each member a link; past
``per_group`` members a group shows how many more there are, and when the entity has more than
``budget`` neighbours in all, every group is cut shorter so that the picture stays readable.

``model`` is computed from the graph; ``text`` (in the template) and ``draw`` (the SVG) are
two views of the same model.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import graphviz

from api.descriptions import Presenter, Value, kind_of
from api.pictures import svg, wording  # noqa: F401  (wording: the words it uses)
from kg.namespaces import BH, RDF
from kg.records import KINDS_BY_NAME
from kg.store.describe import Graph

PER_GROUP = 8  # members listed in one group before "and N more"
BUDGET = 40  # members drawn in all: past it, groups are cut shorter
MIN_PER_GROUP = 3
LEFT_OUT = {BH + "source", RDF + "type"}
NEIGHBOUR_KINDS = set(KINDS_BY_NAME) - {"source"}
COLOURS = {  # header colours of the groups (dark enough for white text: WCAG AA)
    "out": "#000091",
    "in": "#6a3d9a",
}


@dataclass
class Group:
    property: str  # the property's IRI
    label: str  # the property's label for the reader
    direction: str  # "out": the entity → members; "in": members → the entity
    members: list[Value] = field(default_factory=list)  # all of them, sorted
    shown: int = 0  # how many the picture lists

    @property
    def hidden(self) -> int:
        return len(self.members) - self.shown


@dataclass
class Neighbourhood:
    centre: Value
    kind: str | None
    groups: list[Group]

    @property
    def count(self) -> int:
        return sum(len(g.members) for g in self.groups)


def _budget(groups: list[Group], per_group: int, budget: int) -> None:
    """Set how many members each group shows: ``per_group`` at most, less when the whole
    would pass ``budget`` (never fewer than ``MIN_PER_GROUP`` though)."""
    limit = per_group
    while limit > MIN_PER_GROUP and sum(min(len(g.members), limit) for g in groups) > budget:
        limit -= 1
    for g in groups:
        g.shown = min(len(g.members), limit)


def _merged(groups: list[Group]) -> list[Group]:
    """Groups of the same direction with the same members drawn once, their labels joined
    (e.g. a property and its super-property, both stated)."""
    out: dict[tuple, Group] = {}
    for g in sorted(groups, key=lambda g: g.label.casefold()):
        key = (g.direction, tuple(v.iri or v.text for v in g.members))
        if key in out:
            out[key].label += " · " + g.label
        else:
            out[key] = g
    return list(out.values())


def model(graph: Graph, iri: str, lang: str, *, per_group: int = PER_GROUP,
          budget: int = BUDGET) -> Neighbourhood:
    show = Presenter(graph, lang)
    base = graph.base

    def neighbour(other: str) -> bool:
        return other != iri and kind_of(other, base) in NEIGHBOUR_KINDS

    groups: dict[tuple[str, str], Group] = {}

    def add(direction: str, prop: str, other: str) -> None:
        group = groups.get((direction, prop))
        if group is None:
            group = groups[(direction, prop)] = Group(prop, show.property(prop).label, direction)
        group.members.append(show.iri_value(other))

    for st in graph.statements(iri):
        if (st.object.is_iri and st.predicate.startswith(BH) and st.predicate not in LEFT_OUT
                and neighbour(st.object.value)):
            add("out", st.predicate, st.object.value)
    incoming = graph.incoming(iri, 0, 100_000, namespace=BH)
    for prop, subject in incoming.links:
        if prop not in LEFT_OUT and neighbour(subject):
            add("in", prop, subject)
    for g in groups.values():
        g.members.sort(key=lambda v: v.text.casefold())
    ordered = sorted(_merged(list(groups.values())),
                     key=lambda g: (g.direction != "in", g.label.casefold()))
    _budget(ordered, per_group, budget)
    return Neighbourhood(show.iri_value(iri), kind_of(iri, base), ordered)


def summary(hood: Neighbourhood, words) -> str:
    """The picture in one sentence (its text alternative); ``words(key, **values)`` translates."""
    parts = [f"{g.label} ({len(g.members)})" if g.direction == "out"
             else words("neighbourhood.incoming", property=g.label, name=hood.centre.text)
             + f" ({len(g.members)})" for g in hood.groups]
    return words("neighbourhood.alt", name=hood.centre.text, groups="; ".join(parts))


def _group_label(g: Group, more: str, anchor: str) -> str:
    colour = COLOURS[g.direction]
    rows = [(f'<TR><TD BGCOLOR="{colour}" ALIGN="LEFT"><FONT COLOR="white"><B>'
            f'{svg.label(g.label)}</B>&#160;({len(g.members)})</FONT></TD></TR>')]
    for v in g.members[:g.shown]:
        href = f' HREF="{svg.label(v.href)}" TITLE="{svg.label(v.text)}"' if v.href else ""
        rows.append(f'<TR><TD ALIGN="LEFT"{href}><FONT COLOR="#000091">'
                    f'{svg.label(_short(v.text))}</FONT></TD></TR>')
    if g.hidden:
        rows.append(f'<TR><TD ALIGN="LEFT" HREF="{svg.label(anchor)}"><I>{svg.label(more)}</I>'
                    '</TD></TR>')
    return ('<<TABLE BORDER="0" CELLBORDER="1" CELLSPACING="0" CELLPADDING="4" COLOR="#929292">'
            + "".join(rows) + "</TABLE>>")


def _short(text: str, limit: int = 48) -> str:
    return text if len(text) <= limit else text[:limit - 1].rstrip() + "…"


def draw(hood: Neighbourhood, words, kind_label: str | None = None) -> str:
    """The SVG of the neighbourhood (Graphviz ``neato``: the entity amid its groups)."""
    # neato with short edges and no overlap: the groups packed around the entity, which keeps
    # the picture near the page's width (so its text is not shrunk much)
    g = graphviz.Digraph(engine="neato",
                         graph_attr={"fontname": svg.FONT, "bgcolor": "white", "pad": "0.1",
                                     "overlap": "false", "sep": "+8"},
                         node_attr={"fontname": svg.FONT, "fontsize": "11", "shape": "plain"},
                         edge_attr={"color": "#53565a", "arrowsize": "0.7", "len": "0.25"})
    centre = svg.label(_short(hood.centre.text, 60))
    kind = f'<BR/><FONT POINT-SIZE="9">{svg.label(kind_label)}</FONT>' if kind_label else ""
    g.node("centre", f'<<TABLE BORDER="2" CELLPADDING="8" COLOR="#000091" BGCOLOR="#eef0fb">'
                     f'<TR><TD><FONT POINT-SIZE="13"><B>{centre}</B></FONT>{kind}</TD></TR></TABLE>>',
           href=svg.attribute(hood.centre.href or ""), tooltip=svg.attribute(hood.centre.text))
    for i, group in enumerate(hood.groups):
        name = f"g{i}"
        more = words("neighbourhood.more", n=group.hidden)
        # "and N more" leads to the page's full lists (outgoing: properties; else incoming)
        anchor = "#properties" if group.direction == "out" else "#incoming"
        g.node(name, _group_label(group, more, anchor))
        if group.direction == "out":
            g.edge("centre", name)
        else:
            g.edge(name, "centre")
    return svg.render(g)
