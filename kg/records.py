"""The record kinds of ``data/*.yaml``: their keys, value types and the property each key maps to.

This table is the contract between the curated YAML (``data/``), the ontology (``ontology/``)
and the mapping (``kg/mapping.py``): a key listed here is valid in a record of that kind, its
value is checked against ``type``, and it becomes triples with predicate ``bh:<prop>``.

A data file is a YAML mapping whose top-level keys are kind names (``events``, ``sessions``…),
each holding a list of records, plus an optional ``document:`` (the default source document id
for the file's records)::

    document: garagethon-2024-report
    projects:
      - id: kubic
        name: Kubic
        section: "Projets représentés > Kubic"
        repository: https://github.com/openfun/kubic

Value types (``Field.type``):

- ``text``: a plain string (no language tag), e.g. a name or a code.
- ``langtext``: either a string (taken as French, the source's language) or a mapping
  ``{fr: "...", en: "..."}``; becomes language-tagged literals.
- ``date``: ``YYYY-MM-DD`` → ``xsd:date``.
- ``datetime``: ``YYYY-MM-DDTHH:MM:SS+01:00`` (offset required) → ``xsd:dateTime``.
- ``decimal``: a number → ``xsd:decimal``; ``integer`` → ``xsd:integer``.
- ``url``: an absolute http(s) URL → an IRI.
- ``wikidata``: a Wikidata item IRI ``http://www.wikidata.org/entity/Q…``; only IDs listed in
  ``../shared/reference/wikidata-ids.md`` (or accepted through reconciliation) may appear.
- ``ref``: the ``id`` of another record, of one of ``Field.targets`` kinds → that record's IRI.
- ``concept``: the local name of a SKOS concept of the scheme ``Field.scheme`` defined in
  ``ontology/kinds.ttl`` (e.g. ``garagethon``) → its IRI.
- ``figure``: a nested mapping ``{id, measure, value, qualifier?, label}`` (an event's figures).

``many=True`` means the value is a list (a single value is accepted and read as a list of one).

Every record also accepts the common keys of ``COMMON`` (id, section, document, notes, …).
"""

from __future__ import annotations

from dataclasses import dataclass, field

ALL_KINDS_REFS = (
    "event",
    "session",
    "project",
    "organisation",
    "person",
    "place",
    "topic",
    "outcome",
    "source",
)


@dataclass(frozen=True)
class Field:
    key: str
    type: str
    prop: str | None  # local name in the bh: namespace; None = handled by the mapping itself
    many: bool = False
    required: bool = False
    targets: tuple[str, ...] = ()  # for type "ref"
    scheme: str | None = None  # for type "concept"


@dataclass(frozen=True)
class Kind:
    name: str  # singular, used in IRIs: {base}{name}/{id}
    plural: str  # top-level YAML key
    cls: str  # bh: class local name
    label_key: str  # the key that gives the record's rdfs:label
    fields: tuple[Field, ...] = field(default=())
    in_scheme: str | None = None  # bh: SKOS concept scheme every record of the kind belongs to


def f(key, type, prop=None, *, many=False, required=False, targets=(), scheme=None) -> Field:
    if isinstance(targets, str):
        targets = (targets,)
    return Field(key, type, prop, many, required, tuple(targets), scheme)


# Keys every record accepts.
COMMON: tuple[Field, ...] = (
    f("id", "text", None, required=True),  # slug: [a-z0-9][a-z0-9-]*, unique within its kind
    f("section", "text", "sourceSection", many=True, required=True),  # where in the document
    f("document", "ref", "source", targets="source"),  # default: the file's `document:`
    f("alt_names", "langtext", "altName", many=True),  # other spellings, acronyms
    f("notes", "langtext", "editorialNote", many=True),  # inconsistencies, identity decisions
    f("same_as", "wikidata", "sameAs", many=True),
    f("see_also", "url", "seeAlso", many=True),  # other pages about it
)

AGENTS = ("person", "organisation")

KINDS: tuple[Kind, ...] = (
    Kind("event", "events", "Event", "name", (
        f("name", "langtext", "name", required=True),
        f("kind", "concept", "eventKind", required=True, scheme="event-kinds"),
        f("description", "langtext", "description"),
        f("start_date", "date", "startDate", required=True),
        f("end_date", "date", "endDate"),
        f("venue", "ref", "venue", targets="place"),
        f("organisers", "ref", "organiser", many=True, targets=AGENTS),
        f("facilitators", "ref", "facilitator", many=True, targets=AGENTS),
        f("participants", "ref", "participant", many=True, targets=AGENTS),
        f("audience", "langtext", "audience"),
        f("themes", "ref", "topic", many=True, targets="topic"),
        f("follows", "ref", "follows", targets="event"),
        f("part_of", "ref", "partOfEvent", targets="event"),
        f("website", "url", "website", many=True),
        f("figures", "figure", "figure", many=True),
        f("outcomes", "ref", "outcome", many=True, targets="outcome"),
        f("conclusions", "langtext", "conclusion", many=True),
    )),
    Kind("session", "sessions", "Session", "title", (
        f("title", "langtext", "name", required=True),
        f("title_as_given", "text", "titleAsGiven"),  # the heading verbatim, e.g. "Démon flash"
        f("event", "ref", "partOfEvent", required=True, targets="event"),
        f("kind", "concept", "sessionKind", required=True, scheme="session-kinds"),
        f("start", "datetime", "startDate", required=True),
        f("end", "datetime", "endDate"),
        f("time_as_given", "text", "timeAsGiven"),  # e.g. "Mardi 14h - 15h"
        f("room", "ref", "room", targets="place"),
        f("summary", "langtext", "description"),
        f("speakers", "ref", "speaker", many=True, targets=AGENTS),
        f("facilitators", "ref", "facilitator", many=True, targets=AGENTS),
        f("participants", "ref", "participant", many=True, targets=AGENTS),
        f("projects", "ref", "aboutProject", many=True, targets="project"),
        f("organisations", "ref", "aboutOrganisation", many=True, targets="organisation"),
        f("topics", "ref", "topic", many=True, targets="topic"),
        f("outcomes", "ref", "outcome", many=True, targets="outcome"),
        f("links", "url", "link", many=True),
    )),
    Kind("project", "projects", "SoftwareProject", "name", (
        f("name", "langtext", "name", required=True),
        f("kind", "concept", "projectKind", scheme="project-kinds"),
        f("objective", "langtext", "objective", many=True),
        f("description", "langtext", "description"),
        f("keywords", "langtext", "keyword", many=True),  # as written on the panel
        f("topics", "ref", "topic", many=True, targets="topic"),
        f("website", "url", "website", many=True),
        f("repository", "url", "repository", many=True),
        f("documentation", "url", "documentation", many=True),
        f("licence", "text", "licence"),  # SPDX expression
        f("programming_languages", "ref", "programmingLanguage", many=True, targets="project"),
        f("technologies", "ref", "usesTechnology", many=True, targets="project"),
        f("based_on", "ref", "basedOn", many=True, targets="project"),
        f("uses", "ref", "uses", many=True, targets="project"),
        f("related_to", "ref", "relatedTo", many=True, targets="project"),
        f("part_of", "ref", "partOfProject", targets="project"),
        f("developers", "ref", "developer", many=True, targets=AGENTS),
        f("contacts", "ref", "contact", many=True, targets="person"),
        f("contact_points", "text", "contactPoint", many=True),  # functional mailbox, chat room
        f("needs", "langtext", "need", many=True),  # needs and next steps
        f("questions", "langtext", "participantQuestion", many=True),
        f("development_status", "text", "developmentStatus"),
        f("presented_at", "ref", "presentedAt", many=True, targets=("session", "event")),
    )),
    Kind("organisation", "organisations", "Organisation", "name", (
        f("name", "langtext", "name", required=True),
        f("short_name", "text", "shortName"),
        f("kind", "concept", "organisationKind", scheme="organisation-kinds"),
        f("description", "langtext", "description"),
        f("part_of", "ref", "subOrganisationOf", targets="organisation"),
        f("website", "url", "website", many=True),
        f("location", "ref", "location", targets="place"),
        f("siren", "text", "siren"),  # only when stated by a source
    )),
    Kind("person", "people", "Person", "name", (
        f("name", "text", "name", required=True),  # as the source gives it (may be a first name)
        f("affiliations", "ref", "affiliation", many=True, targets="organisation"),
        f("role", "langtext", "role", many=True),
        f("description", "langtext", "description"),
    )),
    Kind("place", "places", "Place", "name", (
        f("name", "langtext", "name", required=True),
        f("kind", "concept", "placeKind", required=True, scheme="place-kinds"),
        f("address", "text", "address"),
        f("part_of", "ref", "containedInPlace", targets="place"),
        f("named_after", "text", "namedAfter"),
        f("description", "langtext", "description"),
    )),
    Kind("topic", "topics", "Topic", "label", (
        f("label", "langtext", "prefLabel", required=True),
        f("broader", "ref", "broader", many=True, targets="topic"),
        f("description", "langtext", "description"),
    ), in_scheme="topics"),
    Kind("outcome", "outcomes", "Outcome", "title", (
        f("title", "langtext", "name", required=True),
        f("kind", "concept", "outcomeKind", required=True, scheme="outcome-kinds"),
        f("url", "url", "url"),
        f("status", "text", "outcomeStatus"),  # e.g. created, proposed, merged, alpha
        f("project", "ref", "outcomeOf", many=True, targets="project"),
        f("session", "ref", "producedAt", targets=("session", "event")),
        f("description", "langtext", "description"),
    )),
    Kind("source", "sources", "SourceDocument", "title", (
        f("title", "langtext", "name", required=True),
        f("path", "text", "sourcePath"),  # e.g. shared/sources/000_9fdf5dc43e37c0bf.txt
        f("url", "url", "url"),
        f("language", "text", "language"),
        f("about", "ref", "about", many=True, targets="event"),
        f("description", "langtext", "description"),
    )),
)

KINDS_BY_NAME = {k.name: k for k in KINDS}
KINDS_BY_PLURAL = {k.plural: k for k in KINDS}

# Nested keys of a `figure` value (an event's "En bref" figures).
FIGURE_KEYS = {
    "id": "text",  # slug, unique within the event
    "measure": "text",  # what is counted, e.g. participants, organisations, sessions
    "value": "decimal",
    "qualifier": "text",  # exact | about | at-least | more-than | up-to
    "label": "langtext",  # the figure in words
}
FIGURE_QUALIFIERS = ("exact", "about", "at-least", "more-than", "up-to")


def fields_of(kind: Kind) -> dict[str, Field]:
    """All keys a record of ``kind`` accepts, common ones included."""
    return {fl.key: fl for fl in (*COMMON, *kind.fields)}
