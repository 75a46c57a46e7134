"""Reading snapshots with missing blobs, release tags, and the licence text / manifest matchers."""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest

from observatory import gitlog, licence_detect
from tests.collectors.gitrepo_builder import ALICE, RepoBuilder


def test_missing_blob_counts_file_without_lines(tmp_path: Path) -> None:
    r = RepoBuilder(tmp_path / "r")
    r.commit(ALICE, "2024-01-01", {"a.txt": "a\n"})
    big = r.commit(ALICE, "2024-01-02", {"big.bin": "x\n" * 50, "a.txt": "a\nb\n"})
    blob = r.git("rev-parse", f"{big}:big.bin")
    (tmp_path / "r" / ".git" / "objects" / blob[:2] / blob[2:]).unlink()   # as a snapshot without large files
    control = subprocess.run(["git", "log", "--numstat", "--format=%H"], cwd=tmp_path / "r", capture_output=True)
    assert control.returncode != 0 and b"unable to read" in control.stderr
    commits = {c.commit: c for c in gitlog.read_commits(tmp_path / "r" / ".git", big, "salt")}
    assert (commits[big].files_changed, commits[big].insertions, commits[big].deletions) == (2, 1, 0)


@pytest.mark.parametrize(("name", "release"), [
    ("v1.2.3", True), ("1.0", True), ("release-2.1", True), ("@decidim/core@0.27.0", True), ("v2.0-rc1", False),
    ("0.28.0.beta", False), ("docs", False), ("v7", False), ("2024-05-01", False)])
def test_release_tags(name: str, release: bool) -> None:
    assert gitlog.is_release_tag(name) is release


GPL2 = ("GNU GENERAL PUBLIC LICENSE\nVersion 2, June 1991\n\nPreamble\n ... (Some other Free Software Foundation "
        "software is covered by the GNU Library General Public License instead.) ... any later version ...\n"
        "How to Apply These Terms to Your New Programs ... either version 2 of the License, or (at your option) any "
        "later version.")
AGPL_BARE = ("GNU AFFERO GENERAL PUBLIC LICENSE\nVersion 3, 19 November 2007\nPreamble\n... \"or any later version\" "
             "...\nHow to Apply These Terms ... either version 3 of the License, or (at your option) any later version.")


@pytest.mark.parametrize(("text", "spdx"), [
    (GPL2, "GPL-2.0-only"), (AGPL_BARE, "AGPL-3.0-only"),
    ("Licensed under the AGPL v3 or later.\n\n" + AGPL_BARE, "AGPL-3.0-or-later"),
    ("Apache License\nVersion 2.0, January 2004", "Apache-2.0"),
    ("Redistribution and use in source and binary forms ... Neither the name of", "BSD-3-Clause"),
    ("// SPDX-License-Identifier: GPL-3.0+\n", "GPL-3.0-or-later"), ("All rights reserved.", "NOASSERTION")])
def test_licence_text(text: str, spdx: str) -> None:
    assert licence_detect.from_text(text) == spdx


@pytest.mark.parametrize(("path", "text", "spdx"), [
    ("package.json", '{"license": "AGPL-3.0"}', "AGPL-3.0-only"),
    ("package.json", '{"licenses": [{"type": "MIT"}, {"type": "Apache-2.0"}]}', "MIT OR Apache-2.0"),
    ("package.json", '{"name": "x"}', None), ("package.json", '{"license": "UNLICENSED"}', "LicenseRef-Proprietary"),
    ("package.json", "<<<<<<< HEAD\n{", licence_detect.UNREADABLE),
    ("composer.json", '{"license": ["AGPL-3.0-or-later"]}', "AGPL-3.0-or-later"),
    ("x.gemspec", "s.license = 'AGPL-3.0'\n", "AGPL-3.0-only"),
    ("pyproject.toml", '[project]\nlicense = {text = "MIT"}\n', "MIT"),
    ("setup.py", "setup(license='GPL2+')", "GPL-2.0-or-later"), ("setup.py", "setup(license=LICENCE)", "unreadable"),
    ("publiccode.yml", "legal:\n  license: EUPL-1.2\n", "EUPL-1.2")])
def test_manifest_fields(path: str, text: str, spdx: str | None) -> None:
    assert licence_detect.from_manifest(path, text) == spdx
