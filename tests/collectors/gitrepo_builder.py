"""Builds small git repositories with a known history (dates, authors, tags) for the git collector tests."""

from __future__ import annotations

import os
import subprocess
from pathlib import Path

MIT_TEXT = """MIT License

Copyright (c) 2023 Example City

Permission is hereby granted, free of charge, to any person obtaining a copy of this software and associated
documentation files (the "Software"), to deal in the Software without restriction.
"""
AGPL_NOTICE = """Example Platform
Copyright (C) 2025 Example City

This program is free software: you can redistribute it and/or modify it under the terms of the GNU Affero
General Public License as published by the Free Software Foundation, either version 3 of the License, or
(at your option) any later version.
"""
ALICE_OLD = ("Alice", "alice.old@gmail.com")
ALICE = ("Alice A.", "alice@city.example")
BOB = ("Bob", "bob@gmail.com")
CAROL = ("Carol", "carol@vendor.example")


class RepoBuilder:
    """A non-bare repository on branch ``main`` where every commit and tag has an explicit date."""

    def __init__(self, path: Path) -> None:
        self.path = path
        path.mkdir(parents=True, exist_ok=True)
        self.git("init", "-q", "-b", "main")

    def git(self, *args: str, who: tuple[str, str] = ALICE, when: str = "2023-01-01") -> str:
        stamp = f"{when}T12:00:00+00:00"
        env = {**os.environ, "GIT_AUTHOR_NAME": who[0], "GIT_AUTHOR_EMAIL": who[1], "GIT_COMMITTER_NAME": who[0],
               "GIT_COMMITTER_EMAIL": who[1], "GIT_AUTHOR_DATE": stamp, "GIT_COMMITTER_DATE": stamp,
               "GIT_CONFIG_GLOBAL": os.devnull, "GIT_CONFIG_NOSYSTEM": "1"}
        return subprocess.run(["git", *args], cwd=self.path, env=env, capture_output=True, text=True,
                              check=True).stdout.strip()

    def write(self, name: str, text: str) -> None:
        (self.path / name).write_text(text)

    def commit(self, who: tuple[str, str], when: str, files: dict[str, str], message: str = "change") -> str:
        for name, text in files.items():
            self.write(name, text)
        self.git("add", "-A", who=who, when=when)
        self.git("commit", "-q", "-m", message, who=who, when=when)
        return self.git("rev-parse", "HEAD")

    def tag(self, name: str, when: str, annotated: bool = False, ref: str = "HEAD") -> None:
        args = ["tag", "-a", "-m", name, name, ref] if annotated else ["tag", name, ref]
        self.git(*args, when=when)


def known_history(path: Path) -> dict[str, str]:
    """The history the tests check metric by metric (see tests/collectors/test_git.py); returns commit ids."""
    r = RepoBuilder(path)
    ids = {}
    ids["c1"] = r.commit(ALICE_OLD, "2023-01-10", {
        "LICENSE": MIT_TEXT, "package.json": '{"name": "example", "license": "MIT"}\n',
        "README.md": "# Example platform\n", ".mailmap": "Alice A. <alice@city.example> <alice.old@gmail.com>\n"})
    ids["c2"] = r.commit(BOB, "2023-01-20", {"a.txt": "one\ntwo\nthree\n"})
    ids["c3"] = r.commit(ALICE, "2023-03-05", {"a.txt": "one\n2\nthree\n"})
    r.tag("v1.0", "2023-03-05")
    ids["c4"] = r.commit(CAROL, "2024-02-01", {"b.txt": "b\n"})
    ids["c5"] = r.commit(CAROL, "2024-02-10", {"b.txt": "b\nc\n"})
    r.tag("v1.1", "2024-02-11", annotated=True)
    ids["c6"] = r.commit(ALICE, "2025-09-01", {"LICENSE": AGPL_NOTICE}, "Relicense under AGPL-3.0-or-later")
    r.tag("v2.0-rc1", "2025-09-02")
    r.git("checkout", "-q", "-b", "feature")
    ids["c7"] = r.commit(BOB, "2025-10-01", {"c.txt": "side\n"})
    r.git("checkout", "-q", "main")
    r.git("merge", "-q", "--no-ff", "-m", "Merge feature", "feature", who=ALICE, when="2025-10-05")
    ids["merge"] = r.git("rev-parse", "HEAD")
    r.tag("v2.0", "2025-10-06", annotated=True)
    ids["c9"] = r.commit(CAROL, "2026-05-01", {"d.txt": "d\n"})
    ids["c10"] = r.commit(ALICE, "2026-05-20", {"d.txt": "d\ne\n"})
    ids["c11"] = r.commit(BOB, "2026-06-01", {"e.txt": "e\n"})
    r.tag("docs-snapshot", "2026-06-02")
    return ids
