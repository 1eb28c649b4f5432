"""Under CI a missing Chromium fails the browser tests; elsewhere it skips them."""

from __future__ import annotations

import pytest

from tests.browser import conftest


@pytest.mark.parametrize("ci, outcome", [("true", pytest.fail.Exception),
                                         ("", pytest.skip.Exception)])
def test_missing_chromium(monkeypatch, ci, outcome):
    monkeypatch.setenv("CI", ci)
    monkeypatch.setattr(conftest.shutil, "which", lambda name: None)
    monkeypatch.setattr(conftest.os.path, "isfile", lambda path: False)
    with pytest.raises(outcome, match="chromium"):
        conftest.find_chromium()
