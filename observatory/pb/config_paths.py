"""Where the shared Pabulib files live (resolved through the settings, never a fixed path)."""

from __future__ import annotations

from pathlib import Path

from observatory.config import load_settings


def shared_pabulib_files() -> Path:
    return load_settings().pabulib_dir
