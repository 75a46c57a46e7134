"""Where things live: database, raw archive, curated datasets, shared research data.

Resolved once per command by :func:`load_settings`; nothing is read at import time, so tests can
point every path at a temporary folder through arguments or environment variables.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parent.parent
APP_DIR_NAME = "civic-tech-observatory"


def default_data_home() -> Path:
    """``$XDG_DATA_HOME/civic-tech-observatory`` (``~/.local/share/...`` when unset)."""
    base = os.environ.get("XDG_DATA_HOME") or str(Path.home() / ".local" / "share")
    return Path(base) / APP_DIR_NAME


@dataclass(frozen=True)
class Settings:
    db_path: Path
    archive_dir: Path
    datasets_dir: Path
    shared_data_dir: Path

    @property
    def pabulib_dir(self) -> Path:
        return self.shared_data_dir / "pabulib" / "files"


def load_settings(db: str | os.PathLike[str] | None = None) -> Settings:
    """Resolve paths: explicit argument, else environment variable, else documented default.

    - database: ``--db`` > ``OBSERVATORY_DB`` > ``<data home>/observatory.duckdb``
    - raw archive: ``OBSERVATORY_ARCHIVE`` > ``<folder of the database>/archive``
    - curated datasets: ``OBSERVATORY_DATASETS`` > ``datasets/`` of this checkout
    - shared research data: ``OBSERVATORY_SHARED_DATA`` > ``../shared/data`` beside this checkout
    """
    db_path = Path(db or os.environ.get("OBSERVATORY_DB") or default_data_home() / "observatory.duckdb")
    db_path = db_path.expanduser()
    archive = Path(os.environ.get("OBSERVATORY_ARCHIVE") or db_path.parent / "archive").expanduser()
    datasets = Path(os.environ.get("OBSERVATORY_DATASETS") or REPO_ROOT / "datasets").expanduser()
    shared = Path(os.environ.get("OBSERVATORY_SHARED_DATA") or REPO_ROOT.parent / "shared" / "data").expanduser()
    return Settings(db_path=db_path, archive_dir=archive, datasets_dir=datasets, shared_data_dir=shared)
