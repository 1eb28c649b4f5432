"""The IRI policy: every IRI the graph mints is made here.

Entities: ``{base}{kind}/{id}`` (e.g. ``…/project/kubic``); a figure of an event:
``{base}event/{event-id}/figure/{figure-id}``; named graphs: ``{base}graph/{name}``;
the dataset itself: ``{base}dataset``. Ontology terms live in the fixed namespace
``kg.namespaces.ONTOLOGY``; kind concepts in ``kg.namespaces.KIND``.
See docs/decisions/0001-iri-policy.md.

>>> entity("https://w3id.org/bluehats-kg/", "project", "kubic")
'https://w3id.org/bluehats-kg/project/kubic'
"""

from __future__ import annotations

import re

from kg.namespaces import BH, KIND

SLUG = re.compile(r"^[a-z0-9][a-z0-9-]*$")


def entity(base: str, kind: str, ident: str) -> str:
    return f"{base}{kind}/{ident}"


def figure(base: str, event_id: str, figure_id: str) -> str:
    return f"{base}event/{event_id}/figure/{figure_id}"


def graph(base: str, name: str) -> str:
    return f"{base}graph/{name}"


def dataset(base: str) -> str:
    return f"{base}dataset"


def term(local: str) -> str:
    """An ontology term: ``bh:<local>``."""
    return BH + local


def concept(scheme: str, local: str) -> str:
    """A SKOS concept of one of the kind schemes (``ontology/kinds.ttl``)."""
    return f"{KIND}{scheme}/{local}"
