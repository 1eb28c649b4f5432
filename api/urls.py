"""Every URL the app emits is built here.

An IRI minted under the base IRI (``kg.config.Settings.base_iri``) is served by this app at the
path of the same name, whatever host and port it runs on: ``{base}project/kubic`` is linked as
``/project/kubic``. Other IRIs (Wikidata, schema.org…) are linked as they are.

>>> local_path("https://w3id.org/bluehats-kg/project/kubic", "https://w3id.org/bluehats-kg/")
'/project/kubic'
>>> link("http://www.wikidata.org/entity/Q42", "https://w3id.org/bluehats-kg/")
'http://www.wikidata.org/entity/Q42'
>>> with_query("/sparql", query="ASK {}", format=None)
'/sparql?query=ASK+%7B%7D'
"""

from __future__ import annotations

from urllib.parse import urlencode

SPARQL = "/sparql"
STORE = "/store"
HOME = "/"
HEALTH = "/-/health"
SETTINGS = "/-/settings"


def local_path(iri: str, base_iri: str) -> str | None:
    """The path at which this app serves ``iri``, or None when it is not ours."""
    if iri.startswith(base_iri) and len(iri) > len(base_iri):
        return "/" + iri[len(base_iri):]
    return None


def link(iri: str, base_iri: str) -> str:
    """Where an IRI should link to in a page: our own page, or the IRI itself."""
    return local_path(iri, base_iri) or iri


def iri_for_path(path: str, base_iri: str) -> str:
    """The IRI a local path stands for (the inverse of ``local_path``)."""
    return base_iri + path.lstrip("/")


def with_query(path: str, **params) -> str:
    """``path`` with the given parameters (None values dropped), e.g. a language switch."""
    kept = {k: v for k, v in params.items() if v is not None}
    return f"{path}?{urlencode(kept)}" if kept else path


def absolute(request, path: str) -> str:
    """An absolute URL on the host the client used (for Location and the service description)."""
    return str(request.base_url).rstrip("/") + path
