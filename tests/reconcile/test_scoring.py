import pytest

from kg.reconcile.scoring import (
    MATCH_GAP,
    MATCH_SCORE,
    Condition,
    Entity,
    Query,
    name_similarity,
    rank,
    score,
)

KUBIC = Entity("project/kubic", "Kubic", ("Kubic",), frozenset({"SoftwareProject"}),
               {"repository": ("https://github.com/openfun/kubic",),
                "organisation": ("organisation/fun", "France Université Numérique")})
KUBIC_NAMESAKE = Entity("organisation/kubic", "Kubic", ("Kubic",), frozenset({"Organisation"}))
RALPH = Entity("project/ralph", "Ralph", ("Ralph",), frozenset({"SoftwareProject"}),
               {"repository": ("https://github.com/openfun/ralph",)})
INSEE = Entity("organisation/insee", "Institut national de la statistique et des études économiques",
               ("INSEE",), frozenset({"Organisation"}), {"siren": ("120027016",)})


@pytest.mark.parametrize("query, label, low, high", [
    ("Ministere de la culture", "Ministère de la Culture", 100, 100),
    ("Minstère de la Cultur", "Ministère de la Culture", 85, 99.9),
    ("INSEE", "Institut national de la statistique et des études économiques", 90, 90),
    ("Paris", "Paris Jackson", 0, 84.9),
    ("Kubic", "Ralph", 0, 30),
    ("flop edt", "FlOpEDT", 98, 100),
])
def test_name_similarity(query, label, low, high):
    assert low <= name_similarity(query, label) <= high


def test_exact_name_is_a_match():
    best, *_ = rank(Query("kubic", ("SoftwareProject",)), [KUBIC, RALPH])
    assert best.entity is KUBIC and best.match and best.score == 100


def test_namesakes_of_other_types_are_dropped_or_penalised():
    assert [s.entity for s in rank(Query("Kubic", ("SoftwareProject",)), [KUBIC, KUBIC_NAMESAKE])] == [KUBIC]
    both = rank(Query("Kubic", ("SoftwareProject",), "should"), [KUBIC, KUBIC_NAMESAKE])
    assert [s.entity for s in both] == [KUBIC, KUBIC_NAMESAKE]
    assert both[1].score < both[0].score and both[1].type_ok is False


def test_two_equal_candidates_make_no_match():
    scored = rank(Query("Kubic"), [KUBIC, KUBIC_NAMESAKE])
    assert scored[0].score == scored[1].score == 100
    assert not any(s.match for s in scored)


def test_agreeing_repository_raises_the_score_and_disagreeing_lowers_it():
    good = Condition("repository", ("https://github.com/openfun/kubic.git",))
    bad = Condition("repository", ("https://github.com/someone/else",))
    plain = score(Query("Kubik"), KUBIC).score
    agreeing = score(Query("Kubik", conditions=(good,)), KUBIC)
    disagreeing = score(Query("Kubik", conditions=(bad,)), KUBIC)
    assert disagreeing.score < plain < agreeing.score
    assert [a.agrees for a in agreeing.agreements] == [True]
    # a misspelt name with an agreeing repository is a match; with a disagreeing one, never
    assert rank(Query("Kubik", conditions=(good,)), [KUBIC, RALPH])[0].match
    assert not rank(Query("Kubic", conditions=(bad,)), [KUBIC, RALPH])[0].match


def test_organisation_agreement_by_name_or_id():
    by_name = Condition("organisation", ("France Universite Numerique",))
    by_id = Condition("organisation", ("organisation/fun",))
    assert score(Query("Kubic", conditions=(by_name,)), KUBIC).agreements[0].agrees
    assert score(Query("Kubic", conditions=(by_id,)), KUBIC).agreements[0].agrees


def test_siren_compares_digits():
    s = score(Query("INSEE", conditions=(Condition("siren", ("120 027 016",)),)), INSEE)
    assert s.agreements[0].agrees and s.score == 100


def test_match_needs_a_clear_lead():
    near = Entity("project/kubik", "Kubik", ("Kubik",), frozenset({"SoftwareProject"}))
    scored = rank(Query("Kubi"), [KUBIC, near])
    assert scored[0].score >= MATCH_SCORE
    assert scored[0].score - scored[1].score < MATCH_GAP and not scored[0].match
    # the exact name is far enough ahead of its near namesake
    assert rank(Query("Kubic"), [KUBIC, near])[0].match
    # a one-letter misspelling alone is not certain
    assert not rank(Query("Kubik"), [KUBIC, RALPH])[0].match


def test_limit_and_features():
    scored = rank(Query("Kubic", ("SoftwareProject",), limit=1,
                        conditions=(Condition("repository", ("https://github.com/openfun/kubic",)),)),
                  [KUBIC, RALPH])
    assert len(scored) == 1
    assert scored[0].features() == [
        {"id": "name", "value": 100.0}, {"id": "type", "value": True},
        {"id": "property:repository", "value": True},
    ]


def test_name_table_gives_the_same_figures_as_name_similarity(index):
    from kg.reconcile.scoring import NameTable

    entities = [index.entity(rid) for rid in sorted(index.records)]
    table = NameTable(entities)
    for text in ["Onixya", "INSEE", "flop edt", "Universite du Mans", "Kubernets", "dinum",
                 "Institut national de recherche en informatique et automatique", "Paris", "x"]:
        best = table.best([text])
        for i, e in enumerate(entities):
            expected = max(name_similarity(text, label) for label in (e.name, *e.labels))
            if expected >= NameTable.CUTOFF:
                assert best[i][0] == expected, (text, e.id)
                assert name_similarity(text, best[i][1]) == expected
            else:
                assert i not in best or best[i][0] < NameTable.CUTOFF
