"""One scorer for both directions of reconciliation.

A query (a name, maybe types and property values) is compared with candidate entities (ours
for ``/reconcile``, Wikidata's for ``kg reconcile wikidata``). The score, from 0 to 100, is:

- the best similarity between the query's name and the candidate's names and aliases, both
  folded (case, accents, punctuation; ``kg.reconcile.text.fold``), by rapidfuzz;
- adjusted by type compatibility: with ``type_strict`` ``any`` (the default) or ``all`` an
  incompatible candidate is dropped, with ``should`` its score is multiplied by
  ``TYPE_PENALTY``;
- adjusted by property agreement: each condition the candidate also has a value for either
  agrees (bonus) or disagrees (penalty). URLs are compared by ``url_key``, identifiers by their
  digits, organisations by name similarity or identifier.

``match`` is true for the best candidate only, when its score is at least ``MATCH_SCORE``, it
disagrees on no property, and it is at least ``MATCH_GAP`` points ahead of the next one.

>>> a = Entity("project/kubic", "Kubic", ("Kubic",), frozenset({"SoftwareProject"}))
>>> b = Entity("project/cubix", "Cubix", ("Cubix",), frozenset({"SoftwareProject"}))
>>> best, other = rank(Query("kubik"), [a, b])
>>> best.entity.id, best.match, other.match
('project/kubic', False, False)
>>> rank(Query("Kubic"), [a, b])[0].match
True
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from rapidfuzz import fuzz, process

from kg.reconcile.text import acronym, fold, url_key

_QID = re.compile(r"^Q[0-9]+$")

MATCH_SCORE = 85.0
MATCH_GAP = 10.0
TYPE_PENALTY = 0.7

# How each comparable property is compared, and what agreeing or disagreeing is worth.
URL_PROPS = frozenset({"website", "repository"})
ID_PROPS = frozenset({"siren"})
AGENT_PROPS = frozenset({"organisation"})
BONUS = {"url": 15.0, "id": 20.0, "agent": 10.0, "text": 5.0}
PENALTY = {"url": 10.0, "id": 30.0, "agent": 5.0, "text": 0.0}


@dataclass(frozen=True)
class Entity:
    """A candidate: ``id`` in its own identifier space, names and aliases in any language,
    type identifiers (superclasses included), and comparable property values."""

    id: str
    name: str
    labels: tuple[str, ...]
    types: frozenset[str] = frozenset()
    props: dict[str, tuple[str, ...]] = field(default_factory=dict, hash=False, compare=False)
    description: str = ""


@dataclass(frozen=True)
class Condition:
    """A property the query gives a value for: ``prop`` is one of the comparable properties
    (``website``, ``repository``, ``siren``, ``organisation``) or any other name (compared as
    folded text)."""

    prop: str
    values: tuple[str, ...]


@dataclass(frozen=True)
class Query:
    text: str
    types: tuple[str, ...] = ()
    type_strict: str = "any"  # any | all | should
    conditions: tuple[Condition, ...] = ()
    limit: int | None = None
    aliases: tuple[str, ...] = ()  # other names of the same thing, compared like ``text``


@dataclass(frozen=True)
class Agreement:
    prop: str
    ours: str  # the query's value
    theirs: tuple[str, ...]  # the candidate's values for that property
    agrees: bool


@dataclass
class Scored:
    entity: Entity
    score: float
    name_score: float
    matched_label: str
    type_ok: bool | None  # None: the query gave no type
    agreements: list[Agreement]
    match: bool = False

    def features(self) -> list[dict]:
        out: list[dict] = [{"id": "name", "value": round(self.name_score, 1)}]
        if self.type_ok is not None:
            out.append({"id": "type", "value": self.type_ok})
        for a in self.agreements:
            out.append({"id": f"property:{a.prop}", "value": a.agrees})
        return out


def name_similarity(query: str, label: str) -> float:
    """0–100: how alike two names are once folded.

    >>> name_similarity("Ministere de l economie", "Ministère de l'Économie")
    100.0
    >>> name_similarity("INSEE", "Institut national de la statistique et des études économiques")
    90.0
    >>> name_similarity("Paris", "Paris Jackson") < 85
    True
    """
    a, b = fold(query), fold(label)
    if not a or not b:
        return 0.0
    if a == b:
        return 100.0
    score = max(fuzz.ratio(a, b), fuzz.token_sort_ratio(a, b))
    # a name that is all of the other's words plus more: related, rarely the same thing
    score = max(score, 0.75 * fuzz.token_set_ratio(a, b))
    squeezed_a, squeezed_b = a.replace(" ", ""), b.replace(" ", "")
    if squeezed_a == squeezed_b:
        score = max(score, 98.0)
    if len(squeezed_a) >= 3 and squeezed_a == acronym(label):
        score = max(score, 90.0)
    if len(squeezed_b) >= 3 and squeezed_b == acronym(query):
        score = max(score, 90.0)
    return float(round(score, 1))


def _kind(prop: str) -> str:
    if prop in URL_PROPS:
        return "url"
    if prop in ID_PROPS:
        return "id"
    if prop in AGENT_PROPS:
        return "agent"
    return "text"


def _same(kind: str, ours: str, theirs: str) -> bool:
    if kind == "url":
        return url_key(ours) == url_key(theirs)
    if kind == "id":
        digits = "".join(c for c in ours if c.isdigit())
        return bool(digits) and digits == "".join(c for c in theirs if c.isdigit())
    if kind == "agent":
        if ours == theirs:
            return True
        if _QID.match(ours) or _QID.match(theirs):  # identifiers: equal or different
            return False
        return name_similarity(ours, theirs) >= 90
    return fold(ours) == fold(theirs)


def agreements(query: Query, entity: Entity) -> list[Agreement]:
    out = []
    for cond in query.conditions:
        theirs = entity.props.get(cond.prop, ())
        if not theirs:
            continue
        kind = _kind(cond.prop)
        for ours in cond.values:
            agrees = any(_same(kind, ours, t) for t in theirs)
            out.append(Agreement(cond.prop, ours, theirs, agrees))
    return out


def type_compatible(query: Query, entity: Entity) -> bool | None:
    if not query.types:
        return None
    wanted = set(query.types)
    if query.type_strict == "all":
        return wanted <= entity.types
    return bool(wanted & entity.types)


def score(query: Query, entity: Entity, name: tuple[float, str] | None = None) -> Scored | None:
    """The candidate's score, or None when its type rules it out. ``name``: its name
    similarity and best label when already known (``NameTable``)."""
    type_ok = type_compatible(query, entity)
    if type_ok is False and query.type_strict != "should":
        return None
    if name is None:
        name = (0.0, entity.name)
        for text in (query.text, *query.aliases):
            for label in (entity.name, *entity.labels):
                s = name_similarity(text, label) if text else 0.0
                if s > name[0]:
                    name = (s, label)
    best, best_label = name
    total = best
    if type_ok is False:
        total *= TYPE_PENALTY
    agreed = agreements(query, entity)
    for a in agreed:
        kind = _kind(a.prop)
        total += BONUS[kind] if a.agrees else -PENALTY[kind]
    total = max(0.0, min(100.0, total))
    return Scored(entity, round(total, 1), best, best_label, type_ok, agreed)


class NameTable:
    """The names of many entities, folded once, for ranking many queries against them: each
    query costs three batch calls of rapidfuzz (``process.extract``) instead of three calls
    per name. ``best`` gives the same figures as ``name_similarity`` for every name at least
    ``CUTOFF`` alike; names less alike than that are left out."""

    CUTOFF = 40.0
    SCORERS = ((fuzz.ratio, 1.0), (fuzz.token_sort_ratio, 1.0), (fuzz.token_set_ratio, 0.75))

    def __init__(self, entities):
        self.entities = list(entities)
        self.folded: list[str] = []
        self.owners: list[int] = []
        self.originals: list[str] = []
        self.squeezed: dict[str, list[int]] = {}
        self.acronyms: dict[str, list[int]] = {}
        for i, e in enumerate(self.entities):
            for label in dict.fromkeys((e.name, *e.labels)):
                folded = fold(label)
                if not folded:
                    continue
                j = len(self.folded)
                self.folded.append(folded)
                self.owners.append(i)
                self.originals.append(label)
                self.squeezed.setdefault(folded.replace(" ", ""), []).append(j)
                if len(acr := acronym(label)) >= 3:
                    self.acronyms.setdefault(acr, []).append(j)

    def best(self, texts) -> dict[int, tuple[float, str]]:
        """entity position -> (its best name similarity to any of ``texts``, that label)."""
        scores: dict[int, float] = {}

        def keep(j: int, value: float) -> None:
            if value > scores.get(j, 0.0):
                scores[j] = value

        for text in texts:
            a = fold(text) if text else ""
            if not a:
                continue
            for scorer, weight in self.SCORERS:
                for _, value, j in process.extract(a, self.folded, scorer=scorer, processor=None,
                                                   limit=None, score_cutoff=self.CUTOFF / weight):
                    keep(j, weight * value)
            squeezed = a.replace(" ", "")
            for j in self.squeezed.get(squeezed, ()):
                keep(j, 100.0 if self.folded[j] == a else 98.0)
            if len(squeezed) >= 3:
                for j in self.acronyms.get(squeezed, ()):
                    keep(j, 90.0)
            if len(acr := acronym(text)) >= 3:
                for j in self.squeezed.get(acr, ()):
                    keep(j, 90.0)
        out: dict[int, tuple[float, str]] = {}
        for j in sorted(scores):
            i, value = self.owners[j], float(round(scores[j], 1))
            if i not in out or value > out[i][0]:
                out[i] = (value, self.originals[j])
        return out


def rank(query: Query, entities, *, floor: float = 0.0) -> list[Scored]:
    """Candidates scored and sorted best first (ties by name), ``match`` set as described
    above, cut to ``query.limit``; candidates scoring below ``floor`` are left out.
    ``entities``: a list, or a ``NameTable`` (then entities whose names are less alike than its
    cutoff are only scored when the query has property conditions)."""
    if isinstance(entities, NameTable):
        names = entities.best((query.text, *query.aliases))
        pairs = [(e, names.get(i)) for i, e in enumerate(entities.entities)
                 if i in names or query.conditions]
    else:
        pairs = [(e, None) for e in entities]
    scored = [s for e, name in pairs
              if (s := score(query, e, name)) is not None and s.score > floor]
    scored.sort(key=lambda s: (-s.score, fold(s.entity.name), s.entity.id))
    if scored:
        best = scored[0]
        runner_up = scored[1].score if len(scored) > 1 else 0.0
        best.match = (
            best.score >= MATCH_SCORE
            and best.score - runner_up >= MATCH_GAP
            and not any(not a.agrees for a in best.agreements)
        )
    if query.limit is not None:
        scored = scored[: max(0, query.limit)]
    return scored
