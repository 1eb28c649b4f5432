"""Running a store job for a request: which store, which time limit, which HTTP error.

Routes call ``run`` (async) or ``run_sync`` (from a plain ``def`` route) with a job of
``kg/store/worker.py``; failures come back as the named errors of ``api/errors.py``.
``run_bounded`` first tries a query whose work is bounded by construction in the server's
own process (``kg.store.query.run_bounded``: one triple pattern, a few rows), which spares
the round trip to a worker; everything else runs in the pool, where it can be killed.
"""

from __future__ import annotations

from kg.store import StoreMissing
from kg.store.graph_store import GraphNotFound
from kg.store import query as store_query
from kg.store.query import QueryFailed, QuerySyntaxError, ResultNotAcceptable

from api import errors
from api.negotiation import GRAPHS, RESULTS
from api.pool import JobTimeout, PoolBusy, WorkerLost


def time_limit(request, asked: str | None = None) -> float:
    """The request's limit: the setting, or less when the client asks (``?timeout=`` seconds)."""
    limit = request.app.state.settings.query_timeout
    if asked in (None, ""):
        return limit
    try:
        value = float(asked)
    except ValueError:
        raise errors.bad_request(f"timeout must be a number of seconds, not {asked!r}") from None
    if not value > 0:
        raise errors.bad_request("timeout must be positive")
    return min(value, limit)


def _store_path(request) -> str:
    path = request.app.state.stores.store_path()
    if path is None:
        raise errors.store_missing()
    return path


def _translate(exc: Exception, limit: float) -> errors.ApiError:
    if isinstance(exc, JobTimeout):
        return errors.query_timeout(exc.limit, exc.elapsed)
    if isinstance(exc, PoolBusy):
        return errors.busy(exc.limit)
    if isinstance(exc, WorkerLost):
        return errors.worker_lost()
    if isinstance(exc, QuerySyntaxError):
        return errors.bad_query(exc.message, exc.line, exc.column)
    if isinstance(exc, ResultNotAcceptable):
        table = GRAPHS if exc.kind == "graph" else RESULTS
        return errors.not_acceptable([f.media_type for f in table])
    if isinstance(exc, StoreMissing):
        return errors.store_missing()
    if isinstance(exc, GraphNotFound):
        return errors.not_found("No such graph in the store.")
    if isinstance(exc, QueryFailed):
        return errors.bad_query(f"The query could not be evaluated: {exc}")
    return errors.internal(f"The query worker failed: {exc}")


def run_bounded(request, kwargs: dict):
    """The answer of the ``query`` job ``kwargs`` run here when its work is bounded, else None.

    Only on the embedded, read-only store (``bounded_queries`` setting): a writable server's
    in-process store is a snapshot, and a remote one has no such shortcut.
    """
    settings = request.app.state.settings
    if not settings.bounded_queries or settings.writable or settings.endpoint:
        return None
    store = request.app.state.stores.local()
    if store is None:
        raise errors.store_missing()
    try:
        return store_query.run_bounded(store, **kwargs)
    except errors.ApiError:
        raise
    except Exception as exc:  # noqa: BLE001 - every failure has a named HTTP error
        raise _translate(exc, 0) from None


async def run(request, op: str, kwargs: dict, limit: float):
    path = _store_path(request)
    try:
        return await request.app.state.pool.run(op, path, kwargs, limit)
    except errors.ApiError:
        raise
    except Exception as exc:  # noqa: BLE001 - every failure has a named HTTP error
        raise _translate(exc, limit) from None


def run_sync(request, op: str, kwargs: dict, limit: float):
    path = _store_path(request)
    try:
        return request.app.state.pool.run_sync(op, path, kwargs, limit)
    except errors.ApiError:
        raise
    except Exception as exc:  # noqa: BLE001
        raise _translate(exc, limit) from None
