"""The server's settings: one table of (name, default, help), each overridable by ``KG_<NAME>``.

``Settings`` extends ``kg.config.Settings`` (paths, base IRI) with what only the server needs.
``kg serve`` options, ``/-/settings`` and the docs all read ``TABLE``; a test checks that every
setting is documented.

>>> Settings(query_timeout=2.5).query_timeout
2.5
"""

from __future__ import annotations

import ipaddress
import os
from dataclasses import dataclass, field, fields
from pathlib import Path
from typing import Any

from kg.config import Settings as KgSettings


def _parse(kind: type, raw: str) -> Any:
    if kind is bool:
        if raw.lower() in ("1", "true", "yes", "on"):
            return True
        if raw.lower() in ("0", "false", "no", "off", ""):
            return False
        raise ValueError(f"not a boolean: {raw!r}")
    if kind is tuple:
        return tuple(p.strip() for p in raw.split(",") if p.strip())
    return kind(raw)


def setting(name: str, default: Any, help: str, *, secret: bool = False):
    """A field whose value comes from ``KG_<NAME>`` when set, else ``default``."""
    kind = type(default)

    def factory():
        raw = os.environ.get("KG_" + name.upper())
        return default if raw is None else _parse(kind, raw)

    return field(default_factory=factory,
                 metadata={"help": help, "default": default, "secret": secret})


def is_loopback(host: str | None) -> bool:
    """Whether ``host`` is a loopback address (a name other than ``localhost`` is not trusted:
    it could resolve anywhere).

    >>> [is_loopback(h) for h in ("127.0.0.1", "::1", "localhost", "127.evil.example", "0.0.0.0")]
    [True, True, True, False, False]
    """
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host or "").is_loopback
    except ValueError:
        return False


@dataclass(frozen=True)
class Settings(KgSettings):
    host: str = setting("host", "127.0.0.1", "Interface to listen on (loopback by default).")
    port: int = setting("port", 8000, "TCP port to listen on.")
    workers: int = setting("workers", 1, "uvicorn worker processes serving the same store.")
    access_log: bool = setting(
        "access_log", False,
        "Log one line per request (uvicorn's access log). Off by default: under load the "
        "log line costs about as much as answering a cheap query.")
    query_workers: int = setting(
        "query_workers", 2,
        "Query worker processes per server process (each holds the store read-only).")
    query_timeout: float = setting(
        "query_timeout", 10.0,
        "Hard time limit of a SPARQL query or update, in seconds; past it the worker running "
        "it is killed and the client gets 503. A request may ask for less with ?timeout=.")
    bounded_queries: bool = setting(
        "bounded_queries", True,
        "Answer a SELECT of one triple pattern and nothing else (no FILTER, join, path, "
        "ORDER BY…; at most 100 rows) in the server process: its work is bounded by "
        "construction, so it needs no killable worker. Every other query runs in a worker.")
    max_rows: int = setting(
        "max_rows", 10000,
        "Row cap of a SELECT (triples of a CONSTRUCT); a cut answer carries the header "
        "X-KG-Truncated: true and, in SPARQL JSON, \"truncated\": true.")
    max_request_bytes: int = setting(
        "max_request_bytes", 1_000_000,
        "Largest request body accepted (413 beyond). Also bounds a query sent by GET.")
    allow_service: bool = setting(
        "allow_service", False,
        "Allow SPARQL SERVICE (federated queries make the server fetch URLs). Off by default.")
    union_default_graph: bool = setting(
        "union_default_graph", True,
        "Queries see the union of all named graphs as their default graph.")
    writable: bool = setting(
        "writable", False,
        "Accept SPARQL Update and Graph Store writes, on a working copy under var/writable/ "
        "(never the published build). Off by default: writes get 403.")
    writable_dir: Path = setting(
        "writable_dir", Path(""), "Where the writable working copy lives (default var/writable).")
    token: str = setting(
        "token", "",
        "Bearer token that writes must present; required in writable mode unless bound to "
        "loopback. Never logged or shown.", secret=True)
    cors_origins: tuple = setting(
        "cors_origins", ("*",), "Origins allowed by CORS (comma-separated; * for any).")
    endpoint: str = setting(
        "endpoint", "",
        "Serve the graph held by this remote SPARQL 1.1 query endpoint instead of the embedded "
        "store (its default graph should be the union of its named graphs). Read-only.")
    store_endpoint: str = setting(
        "store_endpoint", "",
        "With endpoint: the server's Graph Store Protocol URL, used by /store (else CONSTRUCT).")
    update_endpoint: str = setting(
        "update_endpoint", "",
        "With endpoint: the server's SPARQL Update URL (used by kg build --endpoint only).")
    dataset_licence: str = setting(
        "dataset_licence", "",
        "IRI of the licence the dataset is offered under (dct:license in /.well-known/void, "
        "shown on the home page), e.g. https://spdx.org/licenses/etalab-2.0. Empty by default: "
        "the sources state none for the curated data, so none is claimed.")

    def __post_init__(self):
        if not str(self.writable_dir) or str(self.writable_dir) == ".":
            object.__setattr__(self, "writable_dir", self.var_dir / "writable")

    @property
    def loopback(self) -> bool:
        return is_loopback(self.host)

    def check(self) -> None:
        """Refuse combinations that would be unsafe or cannot work."""
        if self.writable and not self.loopback and not self.token:
            raise ValueError("writable mode on a non-loopback interface needs a token "
                             "(KG_TOKEN or --token-file)")
        if self.writable and self.workers != 1:
            raise ValueError("writable mode runs a single server process (--workers 1)")
        if self.endpoint and self.writable:
            raise ValueError("a remote endpoint is served read-only: write to the SPARQL server "
                             "itself (kg build --endpoint)")
        if self.endpoint and not self.endpoint.startswith(("http://", "https://")):
            raise ValueError(f"endpoint must be an http(s) URL, not {self.endpoint!r}")
        if self.query_timeout <= 0 or self.max_rows < 1 or self.query_workers < 1:
            raise ValueError("query_timeout, max_rows and query_workers must be positive")


TABLE: tuple[tuple[str, Any, str], ...] = tuple(
    (f.name, f.metadata["default"], f.metadata["help"])
    for f in fields(Settings) if "help" in f.metadata
)


def public_values(settings: Settings) -> dict[str, Any]:
    """Every setting with its value, secrets masked (for ``/-/settings``)."""
    out: dict[str, Any] = {}
    for f in fields(settings):
        value = getattr(settings, f.name)
        if f.metadata.get("secret"):
            value = "(set)" if value else ""
        elif isinstance(value, Path):
            value = str(value)
        elif isinstance(value, tuple):
            value = list(value)
        out[f.name] = value
    return out
