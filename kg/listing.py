"""Lists of entities of one kind, filtered the way people ask: by organisation, event, day,
project, topic, kind or keyword (the REST layer's ``/api/<kinds>?organisation=dinum``).

Each filter is a graph pattern per record kind, evaluated on the published store with the
filter's value bound as an RDF term (``?x``), never pasted into the text. A filter that makes
no sense for a kind (``day`` for a person) is refused with the list of those that do.

>>> sorted(FILTERS["session"])
['day', 'event', 'keyword', 'kind', 'organisation', 'person', 'project', 'topic']
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date

from kg import iris
from kg.errors import UserError
from kg.namespaces import BH, PREFIXES
from kg.reconcile.text import fold
from kg.records import KINDS_BY_NAME, Kind
from kg.store.describe import Graph, Term, iri, literal

AGENT_ROLES = "bh:organiser|bh:facilitator|bh:participant"
SESSION_ROLES = "bh:speaker|bh:facilitator|bh:participant"

# filter name -> record kind -> the pattern linking ?e (the listed entity) to ?x (the value)
PATTERNS: dict[str, dict[str, str]] = {
    "organisation": {
        "project": "{ ?e bh:developer ?x } UNION { ?e (bh:developer|bh:contact)/bh:affiliation ?x }",
        "session": "{ ?e bh:aboutOrganisation|bh:speaker|bh:facilitator ?x } UNION "
                   "{ ?e (bh:speaker|bh:facilitator)/bh:affiliation ?x }",
        "person": "?e bh:affiliation ?x",
        "event": f"?e {AGENT_ROLES} ?x",
        "organisation": "?e bh:subOrganisationOf+ ?x",
        "outcome": "?e bh:outcomeOf/bh:developer ?x",
    },
    "event": {
        "session": "?e bh:partOfEvent ?x",
        "project": "{ ?e bh:presentedAt ?x } UNION { ?e bh:presentedAt/bh:partOfEvent ?x } UNION "
                   "{ ?s bh:partOfEvent ?x ; bh:aboutProject ?e }",
        "person": f"{{ ?x {AGENT_ROLES} ?e }} UNION {{ ?s bh:partOfEvent ?x ; {SESSION_ROLES} ?e }}",
        "organisation": f"{{ ?x {AGENT_ROLES} ?e }} UNION "
                        f"{{ ?s bh:partOfEvent ?x ; {SESSION_ROLES}|bh:aboutOrganisation ?e }}",
        "event": "?e bh:partOfEvent|bh:follows ?x",
        "outcome": "{ ?e bh:producedAt ?x } UNION { ?e bh:producedAt/bh:partOfEvent ?x }",
    },
    "project": {
        "session": "?e bh:aboutProject ?x",
        "person": "{ ?x bh:developer|bh:contact ?e } UNION { ?s bh:aboutProject ?x ; bh:speaker ?e }",
        "organisation": "?x bh:developer ?e",
        "event": "{ ?x bh:presentedAt ?e } UNION { ?s bh:aboutProject ?x ; bh:partOfEvent ?e }",
        "project": "?e bh:basedOn|bh:uses|bh:usesTechnology|bh:relatedTo|bh:partOfProject ?x",
        "outcome": "?e bh:outcomeOf ?x",
    },
    "person": {
        "session": f"?e {SESSION_ROLES} ?x",
        "project": "?e bh:developer|bh:contact ?x",
        "event": f"{{ ?e {AGENT_ROLES} ?x }} UNION {{ ?s bh:partOfEvent ?e ; {SESSION_ROLES} ?x }}",
        "organisation": "?x bh:affiliation ?e",
    },
    "topic": {kind: "?e bh:topic ?x" for kind in ("event", "session", "project")},
    "day": {
        "session": "?e bh:startDate ?start . FILTER(STRSTARTS(STR(?start), STR(?x)))",
        "event": "?e bh:startDate ?start . OPTIONAL { ?e bh:endDate ?end } "
                 "FILTER(STR(?start) <= STR(?x) && STR(?x) <= STR(COALESCE(?end, ?start)))",
    },
}

# what kind of entity each filter's value names (``organisation=dinum`` → organisation/dinum)
VALUE_KINDS = {"organisation": "organisation", "event": "event", "project": "project",
               "person": "person", "topic": "topic"}
KEYWORD_PREDICATES = ("http://www.w3.org/2000/01/rdf-schema#label", BH + "altName",
                      BH + "shortName", BH + "keyword", BH + "name")


class BadFilter(UserError):
    pass


def _kind_filter(kind: Kind) -> bool:
    return any(f.key == "kind" and f.type == "concept" for f in kind.fields)


FILTERS: dict[str, tuple[str, ...]] = {
    k.name: tuple(sorted(
        [name for name, by_kind in PATTERNS.items() if k.name in by_kind]
        + ["keyword"] + (["kind"] if _kind_filter(k) else [])))
    for k in KINDS_BY_NAME.values()
}


@dataclass
class Item:
    iri: str
    label: str | None


def value_term(graph: Graph, name: str, value: str) -> Term:
    """The RDF term a filter value stands for: an entity (id or IRI) or a date."""
    if name == "day":
        if not re.match(r"^\d{4}-\d{2}-\d{2}$", value):
            raise BadFilter(f"day: '{value}' is not a date (YYYY-MM-DD)")
        try:
            date.fromisoformat(value)
        except ValueError:
            raise BadFilter(f"day: '{value}' is not a date (YYYY-MM-DD)") from None
        return literal(value)
    kind = VALUE_KINDS[name]
    target = value if "://" in value else iris.entity(graph.base, kind, value)
    if not graph.exists(target):
        raise BadFilter(f"{name}: no {kind} '{value}' in the graph")
    return iri(target)


def kind_term(graph: Graph, kind: Kind, value: str) -> tuple[str, Term]:
    field = next(f for f in kind.fields if f.key == "kind")
    concept = value if "://" in value else iris.concept(field.scheme, value)
    if not graph.exists(concept):
        raise BadFilter(f"kind: no {kind.name} kind '{value}' (a concept of {field.scheme})")
    return BH + field.prop, iri(concept)


def matching(graph: Graph, kind: Kind, filters: dict[str, str]) -> set[str] | None:
    """The IRIs that pass every filter (None when no filter is given)."""
    allowed = FILTERS[kind.name]
    unknown = sorted(set(filters) - set(allowed))
    if unknown:
        raise BadFilter(f"{kind.plural} cannot be filtered by {', '.join(unknown)} "
                        f"(filters: {', '.join(allowed)})")
    result: set[str] | None = None
    for name, value in sorted(filters.items()):
        if name == "keyword":
            found = keyword_matches(graph, value)
        elif name == "kind":
            prop, concept = kind_term(graph, kind, value)
            found = set(graph.subjects(prop, concept.value))
        else:
            x = value_term(graph, name, value)
            query = f"SELECT DISTINCT ?e ?x WHERE {{ {PATTERNS[name][kind.name]} }}"
            found = {row["e"].value for row in graph.select(query, {"x": x}, PREFIXES)
                     if row["e"] is not None and row["e"].is_iri}
        result = found if result is None else result & found
    return result


def keyword_matches(graph: Graph, text: str) -> set[str]:
    """Entities with a name, other name or keyword containing ``text`` (case and accents
    ignored), and those about a topic whose label contains it."""
    wanted = fold(text)
    if not wanted:
        raise BadFilter("keyword: give at least one letter or digit")
    found: set[str] = set()
    for predicate in KEYWORD_PREDICATES:
        for subject, obj in graph.with_predicate(predicate):
            if obj.kind == "literal" and wanted in fold(obj.value):
                found.add(subject)
    topics = {s for s in found if s.startswith(iris.entity(graph.base, "topic", ""))}
    for topic in topics:
        found |= set(graph.subjects(BH + "topic", topic))
    return found


def entities(graph: Graph, kind: Kind, lang: str, filters: dict[str, str] | None = None) -> list[Item]:
    """The entities of ``kind`` passing ``filters``, sorted by label (case and accents ignored)."""
    keep = matching(graph, kind, filters or {})
    prefix = iris.entity(graph.base, kind.name, "")
    items = [Item(i, label) for i, label in graph.labelled_instances(BH + kind.cls, lang)
             if i.startswith(prefix) and (keep is None or i in keep)]
    items.sort(key=lambda it: (fold(it.label or ""), it.iri))
    return items
