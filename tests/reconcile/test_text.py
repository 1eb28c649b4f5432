import pytest

from kg.reconcile.text import acronym, fold, url_key


@pytest.mark.parametrize("given, folded", [
    ("Ministère de la Culture", "ministere de la culture"),
    ("  ÉTALAB ", "etalab"),
    ("Issues.gouv.fr – New", "issues gouv fr new"),
    ("Garagethon BlueHats « Codons ! »", "garagethon bluehats codons"),
    ("Œuvre", "oeuvre"),
    ("Straße", "strasse"),
    ("", ""),
])
def test_fold(given, folded):
    assert fold(given) == folded


@pytest.mark.parametrize("a, b", [
    ("https://github.com/openfun/kubic", "http://github.com/openfun/kubic/"),
    ("https://framagit.org/flopedt/flopedt.git", "https://framagit.org/flopedt/flopedt"),
    ("https://www.insee.fr/", "https://insee.fr"),
    ("https://GitHub.com/x/y#readme", "https://github.com/x/y"),
])
def test_same_url_key(a, b):
    assert url_key(a) == url_key(b)


@pytest.mark.parametrize("a, b", [
    ("https://github.com/openfun/kubic", "https://github.com/openfun/ralph"),
    ("https://github.com/openfun/kubic", "https://gitlab.com/openfun/kubic"),
])
def test_different_url_key(a, b):
    assert url_key(a) != url_key(b)


def test_acronym_skips_function_words():
    assert acronym("Direction des affaires juridiques") == "daj"
