"""The interface's two languages: which one a request gets, and the interface's words.

The language comes from ``?lang=`` (the visible switch on every page), else from
``Accept-Language``, else French (the source documents' language). Pages built by other
modules add their own words to ``MESSAGES`` with ``add``.

>>> pick_language(None, "en-GB,en;q=0.9,fr;q=0.5")
'en'
>>> pick_language("fr", "en")
'fr'
>>> text("sparql.title", "en")
'SPARQL query'
"""

from __future__ import annotations

LANGUAGES = ("fr", "en")
DEFAULT = "fr"

MESSAGES: dict[str, dict[str, str]] = {
    "site.name": {"fr": "Graphe de connaissances BlueHats", "en": "BlueHats knowledge graph"},
    "nav.home": {"fr": "Accueil", "en": "Home"},
    "nav.sparql": {"fr": "Requête SPARQL", "en": "SPARQL query"},
    "nav.language": {"fr": "Langue", "en": "Language"},
    "nav.skip": {"fr": "Aller au contenu", "en": "Skip to content"},
    "sparql.title": {"fr": "Requête SPARQL", "en": "SPARQL query"},
    "sparql.intro": {
        "fr": "Interrogez le graphe en SPARQL 1.1. Le graphe par défaut est l'union de tous les "
              "graphes nommés. Chaque requête est limitée à {timeout} s et {rows} lignes.",
        "en": "Query the graph in SPARQL 1.1. The default graph is the union of every named "
              "graph. Each query is limited to {timeout} s and {rows} rows.",
    },
    "sparql.query": {"fr": "Requête", "en": "Query"},
    "sparql.format": {"fr": "Format des résultats", "en": "Results format"},
    "sparql.format.html": {"fr": "Tableau (HTML)", "en": "Table (HTML)"},
    "sparql.run": {"fr": "Exécuter", "en": "Run"},
    "sparql.examples": {"fr": "Exemples de requêtes", "en": "Example queries"},
    "sparql.results": {"fr": "Résultats", "en": "Results"},
    "sparql.rows": {"fr": "{n} ligne(s)", "en": "{n} row(s)"},
    "sparql.truncated": {
        "fr": "Résultats tronqués : seules les {n} premières lignes sont affichées.",
        "en": "Results truncated: only the first {n} rows are shown.",
    },
    "sparql.boolean.true": {"fr": "Vrai", "en": "True"},
    "sparql.boolean.false": {"fr": "Faux", "en": "False"},
    "sparql.endpoint": {
        "fr": "Point d'accès pour les programmes : {url} (protocole SPARQL 1.1).",
        "en": "Endpoint for programs: {url} (SPARQL 1.1 Protocol).",
    },
    "sparql.download": {"fr": "Télécharger", "en": "Download"},
    "error.title": {"fr": "Erreur {status}", "en": "Error {status}"},
    "error.back": {"fr": "Retour à l'accueil", "en": "Back to the home page"},
}


def add(messages: dict[str, dict[str, str]]) -> None:
    for key, value in messages.items():
        if set(value) != set(LANGUAGES):
            raise ValueError(f"message {key} must be given in {LANGUAGES}")
        MESSAGES[key] = value


def pick_language(param: str | None, accept_language: str | None) -> str:
    if param in LANGUAGES:
        return param
    best, best_q = DEFAULT, -1.0
    for part in (accept_language or "").split(","):
        tag, _, params = part.strip().partition(";")
        lang = tag.strip().lower().split("-")[0]
        q = 1.0
        if params.strip().startswith("q="):
            try:
                q = float(params.strip()[2:])
            except ValueError:
                q = 0.0
        if lang in LANGUAGES and q > best_q:
            best, best_q = lang, q
    return best


def text(key: str, lang: str, **values) -> str:
    entry = MESSAGES.get(key)
    if entry is None:
        return key
    s = entry.get(lang) or entry[DEFAULT]
    return s.format(**values) if values else s
