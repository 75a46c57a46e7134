"""Attacks on the store and the command-line framework, run through the real CLI (see conftest)."""

from __future__ import annotations

from tests.reliability.conftest import Workspace, assert_ok


def test_harness_reads_an_untouched_store(workspace: Workspace) -> None:
    before = workspace.fingerprint()
    assert_ok(workspace.run("info"))
    assert workspace.fingerprint() == before
