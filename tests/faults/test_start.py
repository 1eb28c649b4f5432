"""A missing or corrupt store at start: ``kg serve`` says what is wrong and exits non-zero,
without a traceback. (``tests/api/test_serve.py`` covers an empty var dir and a garbage
``CURRENT`` file; these are the other ways a published build can be broken.)"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from tests.faults.conftest import kg


def build_dir(var: Path) -> Path:
    return (var / "current").resolve()


def delete_the_build(var: Path) -> None:
    shutil.rmtree(build_dir(var))  # ``current`` now dangles


def delete_the_store(var: Path) -> None:
    shutil.rmtree(build_dir(var) / "store")


def empty_the_store(var: Path) -> None:
    store = build_dir(var) / "store"
    shutil.rmtree(store)
    store.mkdir()


def garble_every_store_file(var: Path) -> None:
    for f in (build_dir(var) / "store").iterdir():
        if f.is_file():
            f.write_bytes(b"\x00garbage\xff" * 10)


def flip_bytes_in_the_tables(var: Path) -> None:
    """Bit rot in the sorted tables: RocksDB's checksums catch it when the store opens."""
    for f in (build_dir(var) / "store").glob("*.sst"):
        data = bytearray(f.read_bytes())
        for i in range(10, len(data) // 3, 50):
            data[i] ^= 0xFF
        f.write_bytes(bytes(data))


def truncate_the_tables(var: Path) -> None:
    """A copy cut short (a full disk during ``cp``, say)."""
    for f in (build_dir(var) / "store").glob("*.sst"):
        f.write_bytes(f.read_bytes()[: f.stat().st_size // 2])


def garble_the_manifest(var: Path) -> None:
    """Regression: the server started and answered 500 on every route."""
    (build_dir(var) / "manifest.json").write_text("{not json", encoding="utf-8")


@pytest.mark.parametrize("damage, message", [
    (delete_the_build, "nothing built yet"),
    (delete_the_store, "cannot be opened"),
    (empty_the_store, "cannot be opened"),
    (garble_every_store_file, "cannot be opened"),
    (flip_bytes_in_the_tables, "cannot be opened"),
    (truncate_the_tables, "cannot be opened"),
    (garble_the_manifest, "manifest"),
])
def test_a_broken_store_stops_kg_serve_with_a_message(mini_var, damage, message):
    settings, env = mini_var
    damage(settings.var_dir)
    done = kg("serve", "--no-build", "--port", "1", env=env, timeout=60)
    assert done.returncode != 0, done.stdout + done.stderr
    assert message in done.stderr, done.stderr
    assert "Traceback" not in done.stderr + done.stdout
    assert "kg build" in done.stderr  # and says what to do


def test_a_broken_store_stops_kg_query_with_a_message(mini_var):
    settings, env = mini_var
    garble_every_store_file(settings.var_dir)
    done = kg("query", "ASK { ?s ?p ?o }", env=env, timeout=60)
    assert done.returncode != 0
    assert "Traceback" not in done.stderr + done.stdout, done.stderr
    assert str(settings.var_dir) in done.stderr or "store" in done.stderr
