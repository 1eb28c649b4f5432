"""System pages under the reserved ``/-/`` prefix: health and settings."""

from __future__ import annotations

import os

from fastapi import APIRouter

from api import urls
from api.deps import PoolDep, SettingsDep, StoresDep
from api.settings import TABLE, public_values

router = APIRouter(tags=["system"])


@router.get(urls.HEALTH)
def health(settings: SettingsDep, pool: PoolDep, stores: StoresDep):
    """Whether a store is being served, and the state of the query workers."""
    path = stores.store_path()
    manifest = stores.manifest() or {}
    return {
        "status": "ok" if path else "no_store",
        "store": path,
        "build_id": manifest.get("build_id"),
        "writable": settings.writable,
        "pid": os.getpid(),  # which server process answered (kg serve --workers N)
        "query_workers": len(pool.pids),
        "query_worker_pids": pool.pids,
        "workers_killed": pool.killed,
    }


@router.get(urls.SETTINGS)
def settings_page(settings: SettingsDep):
    """Every setting: value (secrets masked), default and help."""
    values = public_values(settings)
    return {"settings": [
        {"name": name, "value": values[name],
         "default": list(default) if isinstance(default, tuple) else
         (str(default) if not isinstance(default, (int, float, bool, str)) else default),
         "help": help, "env": "KG_" + name.upper()}
        for name, default, help in TABLE
    ]}
