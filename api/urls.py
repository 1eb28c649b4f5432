"""Every URL the app emits is built here.

An IRI minted under the base IRI (``kg.config.Settings.base_iri``) is served by this app at the
path of the same name, whatever host and port it runs on: ``{base}project/kubic`` is linked as
``/project/kubic``. Ontology terms (``kg.namespaces.ONTOLOGY``, a fixed namespace whatever the
base) are served under ``/ontology/``. Other IRIs (Wikidata, schema.org…) are linked as they are.

>>> local_path("https://w3id.org/bluehats-kg/project/kubic", "https://w3id.org/bluehats-kg/")
'/project/kubic'
>>> local_path("https://w3id.org/bluehats-kg/ontology/Event", "http://localhost/kg/")
'/ontology/Event'
>>> link("http://www.wikidata.org/entity/Q42", "https://w3id.org/bluehats-kg/")
'http://www.wikidata.org/entity/Q42'
>>> with_query("/sparql", query="ASK {}", format=None)
'/sparql?query=ASK+%7B%7D'
>>> alternate("/project/kubic", "ttl")
'/project/kubic.ttl'
"""

from __future__ import annotations

from urllib.parse import urlencode

from kg.namespaces import ONTOLOGY

SPARQL = "/sparql"
STORE = "/store"
HOME = "/"
HEALTH = "/-/health"
SETTINGS = "/-/settings"
SEARCH = "/search"
ONTOLOGY_PATH = "/ontology/"
VOID = "/.well-known/void"
DUMPS = "/-/dumps/"
API = "/api"
API_QUERIES = "/api/queries"
DOCS = "/docs"
OPENAPI = "/openapi.json"


def local_path(iri: str, base_iri: str) -> str | None:
    """The path at which this app serves ``iri``, or None when it is not ours."""
    if iri.startswith(ONTOLOGY):
        return ONTOLOGY_PATH + iri[len(ONTOLOGY):]
    if iri.startswith(base_iri) and len(iri) > len(base_iri):
        return "/" + iri[len(base_iri):]
    return None


OUTWARD_SCHEMES = ("http://", "https://")


def link(iri: str, base_iri: str) -> str:
    """Where an IRI should link to in a page: our own page, the IRI itself when it is a web
    address, else its description here (a ``javascript:`` or ``data:`` IRI from a source must
    never become a link that runs in the reader's browser).

    >>> link("javascript:alert(1)", "https://w3id.org/bluehats-kg/")
    '/sparql?query=DESCRIBE+%3Cjavascript%3Aalert%281%29%3E'
    """
    local = local_path(iri, base_iri)
    if local is not None:
        return local
    if iri.lower().startswith(OUTWARD_SCHEMES):
        return iri
    return with_query(SPARQL, query=f"DESCRIBE <{iri}>")


def iri_for_path(path: str, base_iri: str) -> str:
    """The IRI a local path stands for (the inverse of ``local_path``)."""
    if path.startswith(ONTOLOGY_PATH):
        return ONTOLOGY + path[len(ONTOLOGY_PATH):]
    return base_iri + path.lstrip("/")


def with_query(path: str, **params) -> str:
    """``path`` with the given parameters (None values dropped), e.g. a language switch."""
    kept = {k: v for k, v in params.items() if v is not None}
    return f"{path}?{urlencode(kept)}" if kept else path


def absolute(request, path: str) -> str:
    """An absolute URL on the host the client used (for Location and the service description)."""
    return str(request.base_url).rstrip("/") + path


def alternate(path: str, extension: str) -> str:
    """The same resource in another format, by suffix: ``/project/kubic.ttl``."""
    return f"{path}.{extension}"


def class_page(kind: str, page: int | None = None) -> str:
    """The list of the instances of a record kind: ``/project/``."""
    return with_query(f"/{kind}/", page=page if page and page > 1 else None)


def search(q: str | None = None, **params) -> str:
    return with_query(SEARCH, q=q, **params)


def api_list(plural: str, **params) -> str:
    return with_query(f"{API}/{plural}", **params)


def api_item(plural: str, ident: str) -> str:
    return f"{API}/{plural}/{ident}"


def api_csv(plural: str) -> str:
    return f"{API}/{plural}.csv"


def api_query(name: str, **params) -> str:
    return with_query(f"{API_QUERIES}/{name}", **params)


def dump(file_name: str) -> str:
    return DUMPS + file_name


def ontology_term(local: str) -> str:
    return ONTOLOGY_PATH + local
