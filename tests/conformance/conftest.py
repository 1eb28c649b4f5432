"""Conformance suites report their agreement tables at the end of the run (in CI logs too)."""

from __future__ import annotations

import pytest

TABLES = pytest.StashKey[list]()


@pytest.fixture(scope="session")
def report_table(pytestconfig):
    """``report_table(text)`` queues a table for the terminal summary (and prints it for -s)."""

    def report(text: str) -> None:
        pytestconfig.stash.setdefault(TABLES, []).append(text)
        print(text)

    return report


def pytest_terminal_summary(terminalreporter, exitstatus, config):
    for text in config.stash.get(TABLES, []):
        terminalreporter.write_line(text)
