from __future__ import annotations

from pathlib import Path

import pytest

from tests.foundation.fixtures import write_datasets


@pytest.fixture
def mini_datasets(tmp_path: Path) -> Path:
    return write_datasets(tmp_path)
