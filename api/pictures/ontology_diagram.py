"""The ontology as a diagram: our classes, the object properties between them (from their
domain and range, ``owl:unionOf`` lists unfolded) and the sub-class links, each class and
property with its schema.org and Wikidata alignments, drawn by Graphviz ``dot``.

Each class is a box listing the object properties it is the domain of (``organiser → Agent``,
with the property's alignments in small type), an arrow from each row to the class it points to
(none for a class pointing to itself: the row says it). Literal-valued properties are left to
the documentation page's tables.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import graphviz

from api import urls
from api.descriptions import short_name
from api.pictures import svg
from api.pictures.results import Rows
from kg.namespaces import BH, ONTOLOGY
from kg.store.describe import Term, pick

PREFIXES = """PREFIX bh: <https://w3id.org/bluehats-kg/ontology/>
PREFIX owl: <http://www.w3.org/2002/07/owl#>
PREFIX rdf: <http://www.w3.org/1999/02/22-rdf-syntax-ns#>
PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
"""
assert BH == ONTOLOGY == "https://w3id.org/bluehats-kg/ontology/"

CLASSES = PREFIXES + """
SELECT ?class ?label ?relation ?match WHERE {
  ?class a owl:Class .
  FILTER(isIRI(?class) && STRSTARTS(STR(?class), STR(bh:)))
  OPTIONAL { ?class rdfs:label ?label }
  OPTIONAL {
    VALUES ?relation { owl:equivalentClass rdfs:subClassOf skos:exactMatch skos:closeMatch
                       skos:relatedMatch skos:broadMatch skos:narrowMatch }
    ?class ?relation ?match FILTER(isIRI(?match))
  }
}"""

PROPERTIES = PREFIXES + """
SELECT ?property ?label ?domain ?range ?match WHERE {
  ?property a owl:ObjectProperty ; rdfs:domain ?d ; rdfs:range ?r .
  ?d (owl:unionOf/rdf:rest*/rdf:first)? ?domain .
  ?r (owl:unionOf/rdf:rest*/rdf:first)? ?range .
  FILTER(isIRI(?domain) && isIRI(?range) && STRSTARTS(STR(?property), STR(bh:))
         && STRSTARTS(STR(?domain), STR(bh:)) && STRSTARTS(STR(?range), STR(bh:)))
  OPTIONAL { ?property rdfs:label ?label }
  OPTIONAL {
    VALUES ?relation { owl:equivalentProperty rdfs:subPropertyOf skos:exactMatch
                       skos:closeMatch skos:relatedMatch }
    ?property ?relation ?match
    FILTER(isIRI(?match) && !STRSTARTS(STR(?match), STR(bh:)))
  }
}"""

# how an alignment is written in the diagram (the documentation page names the relation)
SIGNS = {"owl:equivalentClass": "≡", "rdfs:subClassOf": "⊂", "skos:exactMatch": "=",
         "skos:closeMatch": "≈", "skos:relatedMatch": "~", "skos:broadMatch": "⊂",
         "skos:narrowMatch": "⊃"}
SHOWN_NAMESPACES = ("schema:", "wd:", "wdt:")


@dataclass
class ClassBox:
    iri: str
    label: str
    href: str
    alignments: list[tuple[str, str]] = field(default_factory=list)  # (sign, schema:Event)
    supers: list[str] = field(default_factory=list)  # our classes it is a sub-class of


@dataclass
class PropertyLine:
    iri: str
    label: str
    href: str
    alignments: list[str] = field(default_factory=list)  # schema:organizer, wd:P664


@dataclass
class Link:
    domain: str
    range: str
    properties: list[PropertyLine] = field(default_factory=list)


@dataclass
class Diagram:
    classes: list[ClassBox]
    links: list[Link]

    @property
    def property_count(self) -> int:
        return len({p.iri for link in self.links for p in link.properties})


def _label(cells: list, lang: str, iri: str) -> str:
    best = pick([Term("literal", c.value, lang=c.lang) for c in cells], lang)
    return best.value if best else (short_name(iri) or iri)


def _shown(iri: str) -> str | None:
    """``schema:Event``, ``wd:Q5``: the alignments worth showing (schema.org, Wikidata)."""
    name = short_name(iri)
    return name if name and name.startswith(SHOWN_NAMESPACES) else None


def model(classes: Rows, properties: Rows, lang: str, base: str) -> Diagram:
    labels: dict[str, list] = {}
    boxes: dict[str, ClassBox] = {}
    for row in classes.rows:
        iri = row["class"].value
        box = boxes.setdefault(iri, ClassBox(iri, "", urls.link(iri, base)))
        if "label" in row and row["label"] not in labels.setdefault(iri, []):
            labels[iri].append(row["label"])
        if "match" in row:
            relation, target = short_name(row["relation"].value), row["match"].value
            if target.startswith(BH) and relation == "rdfs:subClassOf":
                if target not in box.supers:
                    box.supers.append(target)
            elif _shown(target) and (SIGNS.get(relation, "~"), _shown(target)) not in box.alignments:
                box.alignments.append((SIGNS.get(relation, "~"), _shown(target)))
    for iri, box in boxes.items():
        box.label = _label(labels.get(iri, []), lang, iri)
        box.alignments.sort(key=lambda a: (not a[1].startswith("schema:"), a[1]))
    lines: dict[str, PropertyLine] = {}
    pairs: dict[tuple[str, str], set[str]] = {}
    plabels: dict[str, list] = {}
    for row in properties.rows:
        iri = row["property"].value
        line = lines.setdefault(iri, PropertyLine(iri, "", urls.link(iri, base)))
        if "label" in row and row["label"] not in plabels.setdefault(iri, []):
            plabels[iri].append(row["label"])
        if "match" in row and _shown(row["match"].value) not in (None, *line.alignments):
            line.alignments.append(_shown(row["match"].value))
        d, r = row["domain"].value, row["range"].value
        if d in boxes and r in boxes:
            pairs.setdefault((d, r), set()).add(iri)
    for iri, line in lines.items():
        line.label = _label(plabels.get(iri, []), lang, iri)
        line.alignments.sort(key=lambda a: (not a.startswith("schema:"), a))
    links = [Link(d, r, sorted((lines[p] for p in props), key=lambda p: p.label.casefold()))
             for (d, r), props in sorted(pairs.items())]
    return Diagram(sorted(boxes.values(), key=lambda b: b.label.casefold()), links)


def _outgoing(diagram: Diagram, box: ClassBox) -> list[tuple[PropertyLine, str]]:
    """The object properties of a class, each with its range (one row per pair)."""
    names = {b.iri: b.label for b in diagram.classes}
    rows = [(p, link.range) for link in diagram.links if link.domain == box.iri
            for p in link.properties]
    return sorted(rows, key=lambda r: (r[0].label.casefold(), names[r[1]].casefold()))


def _class_label(diagram: Diagram, box: ClassBox) -> str:
    """A class as a box: its name, its alignments, then one row per property it is the
    domain of (``organiser → Agent``, with the property's alignments in small type)."""
    names = {b.iri: b.label for b in diagram.classes}
    rows = [(f'<TR><TD BGCOLOR="#000091" HREF="{svg.label(box.href)}" TITLE="{svg.label(box.label)}">'
            f'<FONT COLOR="white" POINT-SIZE="12"><B>{svg.label(box.label)}</B></FONT></TD></TR>')]
    if box.alignments:
        text = "   ".join(f"{sign} {name}" for sign, name in box.alignments)
        rows.append(f'<TR><TD BGCOLOR="#f0f0f6"><FONT POINT-SIZE="9" COLOR="#3a3a3a">'
                    f'{svg.label(text)}</FONT></TD></TR>')
    for i, (p, target) in enumerate(_outgoing(diagram, box)):
        also = (f'<BR/><FONT POINT-SIZE="8" COLOR="#53565a">{svg.label(" · ".join(p.alignments))}'
                '</FONT>' if p.alignments else "")
        rows.append(f'<TR><TD ALIGN="LEFT" BALIGN="LEFT" PORT="p{i}" HREF="{svg.label(p.href)}" '
                    f'TITLE="{svg.label(p.label)}"><FONT COLOR="#000091">{svg.label(p.label)}'
                    f'</FONT>&#160;→&#160;{svg.label(names[target])}{also}</TD></TR>')
    return ('<<TABLE BORDER="0" CELLBORDER="1" CELLSPACING="0" CELLPADDING="4" COLOR="#929292" '
            'BGCOLOR="white">' + "".join(rows) + "</TABLE>>")


def draw(diagram: Diagram, rankdir: str = "TB") -> str:
    """The SVG of the diagram (Graphviz ``dot``): an arrow from each property's row to the
    class it points to; dashed arrows for sub-classes."""
    g = graphviz.Digraph(engine="dot",
                         graph_attr={"fontname": svg.FONT, "bgcolor": "white", "rankdir": rankdir,
                                     "nodesep": "0.3", "ranksep": "0.5", "pad": "0.1"},
                         node_attr={"fontname": svg.FONT, "fontsize": "10", "shape": "plain"},
                         edge_attr={"color": "#7a7a7a", "arrowsize": "0.6", "penwidth": "0.8"})
    ids = {box.iri: f"c{i}" for i, box in enumerate(diagram.classes)}
    for box in diagram.classes:
        g.node(ids[box.iri], _class_label(diagram, box))
    for box in diagram.classes:
        for sup in box.supers:
            if sup in ids:
                g.edge(ids[box.iri], ids[sup], style="dashed", arrowhead="empty")
        for i, (_, target) in enumerate(_outgoing(diagram, box)):
            if target != box.iri:  # a loop would only repeat the row's "→ itself"
                g.edge(f"{ids[box.iri]}:p{i}", ids[target])
    return svg.render(g)
