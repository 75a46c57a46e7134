from __future__ import annotations

import shutil
from pathlib import Path

import pytest

SHIPPED = Path(__file__).resolve().parents[2] / "datasets"


@pytest.fixture
def datasets_copy(tmp_path: Path) -> Path:
    """The shipped catalogue and corrections packages (deployments left out: they do not change here)."""
    root = tmp_path / "datasets"
    for package in ("catalogue", "corrections"):
        shutil.copytree(SHIPPED / package, root / package)
    return root
