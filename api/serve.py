"""``kg serve``: build the graph if none is published, check the store, run uvicorn.

The options are the server settings (``api/settings.py``, one ``--name`` per setting), passed
to uvicorn's worker processes as ``KG_*`` environment variables, which ``create_app_from_env``
reads. A missing or unreadable store stops the command with a message, not a traceback.
"""

from __future__ import annotations

import argparse
import json
import os
from pathlib import Path

from kg.errors import UserError

# settings given on the command line by their own options (or not at all)
SKIP = ("token",)


def add_arguments(parser: argparse.ArgumentParser) -> None:
    from api.settings import TABLE

    for name, default, help in TABLE:
        if name in SKIP:
            continue
        flag = "--" + name.replace("_", "-")
        if isinstance(default, bool):
            parser.add_argument(flag, action=argparse.BooleanOptionalAction, default=None,
                                help=help + f" (default {'on' if default else 'off'})")
        elif isinstance(default, tuple):
            parser.add_argument(flag, metavar="A,B", help=help + f" (default {','.join(default)})")
        else:
            if isinstance(default, Path):
                parser.add_argument(flag, type=str, help=help)
            else:
                parser.add_argument(flag, type=type(default), help=help + f" (default {default})")
    parser.add_argument("--token-file", type=Path,
                        help="read the bearer token for writes from this file (or set KG_TOKEN)")
    parser.add_argument("--no-build", action="store_true",
                        help="do not build the graph when none is published")


def run(args: argparse.Namespace) -> int:
    from api.settings import TABLE, Settings

    for name, _, _ in TABLE:
        value = getattr(args, name, None)
        if value is None or name in SKIP:
            continue
        os.environ["KG_" + name.upper()] = str(value).lower() if isinstance(value, bool) else str(value)
    if args.token_file:
        os.environ["KG_TOKEN"] = args.token_file.read_text(encoding="utf-8").strip()
    settings = Settings()
    try:
        settings.check()
    except ValueError as exc:
        raise UserError(f"kg serve: {exc}") from None
    if settings.endpoint:
        _check_endpoint(settings)
    else:
        _ensure_store(settings, build=not args.no_build)

    import uvicorn

    served = settings.endpoint or settings.var_dir / "current"
    print(f"Serving {served} on http://{settings.host}:{settings.port}/ "
          f"({'writable' if settings.writable else 'read-only'}; SPARQL at /sparql)")
    # uvicorn picks httptools and uvloop (uvicorn[standard] in pyproject.toml brings both)
    uvicorn.run("api.main:create_app_from_env", factory=True, host=settings.host,
                port=settings.port, workers=settings.workers, log_level="info",
                access_log=settings.access_log)
    return 0


def _ensure_store(settings, *, build: bool) -> None:
    from kg.store import StoreMissing, current_build, open_read_only

    current = current_build(settings.var_dir)
    if current is None and not settings.writable:
        if not build:
            raise UserError(f"nothing built yet in {settings.var_dir}: run `kg build` first")
        from kg.build import build as run_build

        print("No graph published yet: building it first (kg build).")
        run_build(settings)
        current = current_build(settings.var_dir)
    if current is None:
        return  # writable mode on an empty working copy
    try:
        store = open_read_only(current / "store")
        del store
    except StoreMissing as exc:
        raise UserError(f"{exc}: the published store cannot be opened. "
                        "Rebuild it with `kg build`.") from None
    except (OSError, RuntimeError) as exc:
        raise UserError(f"the published store {current / 'store'} cannot be opened: {exc}. "
                        "Rebuild it with `kg build`.") from None
    manifest = current / "manifest.json"
    try:
        if manifest.exists():
            json.loads(manifest.read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:  # every page reads it: refuse to start rather than 500
        raise UserError(f"the published manifest {manifest} cannot be read: {exc}. "
                        "Rebuild it with `kg build`.") from None


def _check_endpoint(settings) -> None:
    """A remote endpoint must answer an ASK before we serve it."""
    import httpx

    try:
        r = httpx.post(settings.endpoint, data={"query": "ASK { }"}, timeout=10,
                       headers={"Accept": "application/sparql-results+json"})
    except httpx.HTTPError as exc:
        raise UserError(f"the SPARQL endpoint {settings.endpoint} cannot be reached: {exc}") from None
    if r.status_code != 200:
        raise UserError(f"the SPARQL endpoint {settings.endpoint} answered {r.status_code} to "
                        f"ASK {{ }}: {r.text[:300]}")
