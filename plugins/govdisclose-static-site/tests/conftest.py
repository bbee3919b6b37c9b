"""Puts this directory on ``sys.path``: the tests, and the child processes they start, import
their shared helpers from ``_static_site_helpers``.

The tests do not wait for the disk: an autouse fixture turns the transaction's syncs
(``fsync`` of the staged files and directories, ``os.sync``) into no-ops, since no test cuts the
power. The order of the calls, which the failure and crash tests check, is unchanged (the
wrapped functions are still called). A test marked ``durable`` keeps the real syncs
(`test_commit.py` counts them).
"""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

HERE = str(Path(__file__).resolve().parent)
if HERE not in sys.path:
    sys.path.insert(0, HERE)


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line("markers", "durable: keep the real fsync and os.sync calls")


@pytest.fixture(autouse=True)
def _no_disk_waits(request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch) -> None:
    if request.node.get_closest_marker("durable") is not None:
        return
    from govdisclose_static_site import _commit

    monkeypatch.setattr(_commit, "_sync_files", lambda paths: None)
    monkeypatch.setattr(_commit, "_fsync_dir", lambda path: None)
    monkeypatch.setattr(_commit.os, "sync", lambda: None)
