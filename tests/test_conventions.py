"""Project conventions that a reviewer would otherwise have to remember (cheap, repo-wide lints)."""

from __future__ import annotations

import re
import subprocess
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def _tracked_files() -> list[Path]:
    try:
        out = subprocess.run(["git", "ls-files", "-co", "--exclude-standard"], cwd=ROOT, capture_output=True,
                             text=True, check=True).stdout
    except (OSError, subprocess.CalledProcessError):
        return [p for p in ROOT.rglob("*") if p.is_file() and ".venv" not in p.parts and ".git" not in p.parts]
    return [ROOT / line for line in out.splitlines() if line and (ROOT / line).is_file()]


def _text_files() -> list[Path]:
    suffixes = {".py", ".md", ".toml", ".sql", ".json", ".yml", ".yaml", ".csv", ".txt", ""}
    return [p for p in _tracked_files() if p.suffix in suffixes and p.stat().st_size < 5_000_000]


def test_no_machine_paths_in_the_repository() -> None:
    pattern = re.compile(r"(/work/(main|shared|\.library|\.mirror)|/root/|/home/[a-z]+/|/tmp/pytest-of)")
    offenders = []
    for path in _text_files():
        if path.name == "test_conventions.py":
            continue
        text = path.read_text(encoding="utf-8", errors="ignore")
        if pattern.search(text):
            offenders.append(str(path.relative_to(ROOT)))
    assert offenders == []


def test_only_migrations_contain_ddl() -> None:
    ddl = re.compile(r"\b(CREATE|ALTER|DROP)\s+(TABLE|VIEW|SCHEMA|INDEX|SEQUENCE)\b", re.IGNORECASE)
    offenders = []
    for path in (ROOT / "observatory").rglob("*.py"):
        if ddl.search(path.read_text(encoding="utf-8")) and path.name not in {"schema.py"}:
            offenders.append(str(path.relative_to(ROOT)))
    for folder in ("collectors", "dashboards"):
        for path in (ROOT / folder).rglob("*.py"):
            if ddl.search(path.read_text(encoding="utf-8")):
                offenders.append(str(path.relative_to(ROOT)))
    assert offenders == []


def test_dashboards_open_duckdb_only_through_the_data_module() -> None:
    offenders = []
    for path in (ROOT / "dashboards").rglob("*.py"):
        text = path.read_text(encoding="utf-8")
        if path.name != "data.py" and re.search(r"^\s*(import duckdb|from duckdb)", text, re.MULTILINE):
            offenders.append(str(path.relative_to(ROOT)))
        if "connect_writer" in text or "store.writer" in text:
            offenders.append(f"{path.relative_to(ROOT)} (writer connection)")
    assert offenders == []


def test_dashboards_never_render_collected_text_as_html() -> None:
    offenders = []
    for path in (ROOT / "dashboards").rglob("*.py"):
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
            if "unsafe_allow_html=True" in line and "# static" not in line:
                offenders.append(f"{path.relative_to(ROOT)}:{number}")
    assert offenders == [], "unsafe_allow_html only with static markup, marked '# static'"
