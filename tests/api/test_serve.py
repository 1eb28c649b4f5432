"""``kg serve``: its options come from the settings table; bad starts stop with a message."""

import os
import subprocess
import sys
from pathlib import Path

import pytest

from api.settings import TABLE

ROOT = Path(__file__).resolve().parents[2]


def kg(*args, env=None, timeout=60):
    return subprocess.run([sys.executable, "-m", "kg", *args], cwd=ROOT, capture_output=True,
                          text=True, timeout=timeout, env={**os.environ, **(env or {})})


def test_every_setting_is_an_option():
    out = kg("serve", "--help").stdout
    for name, _, _ in TABLE:
        if name != "token":
            assert "--" + name.replace("_", "-") in out, name
    assert "--token-file" in out


def corrupt_store(var: Path) -> None:
    store = var / "builds" / "b1" / "store"
    store.mkdir(parents=True)
    (store / "CURRENT").write_text("garbage")
    (var / "current").symlink_to("builds/b1")


def nothing(var: Path) -> None:
    pass


@pytest.mark.parametrize("make, args, message", [
    (nothing, ["--no-build"], "nothing built yet"),
    (corrupt_store, [], "cannot be opened"),
    (nothing, ["--writable", "--host", "0.0.0.0"], "needs a token"),
])
def test_bad_starts_exit_with_a_message(tmp_path, make, args, message):
    var = tmp_path / "var"
    var.mkdir()
    make(var)
    done = kg("serve", "--port", "1", *args, env={"KG_VAR_DIR": str(var)})
    assert done.returncode != 0
    assert message in done.stderr
    assert "Traceback" not in done.stderr
