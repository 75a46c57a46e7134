"""Where a batch of rows comes from: the stamp every participation record carries."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from urllib.parse import urlparse


@dataclass(frozen=True)
class SourceContext:
    instance_id: str
    platform: str
    source_url: str
    checked_on: date
    platform_version: str | None = None


def host_of(url: str | None) -> str | None:
    """Canonical instance id from any URL of the instance (its host name, lower case)."""
    if not url:
        return None
    host = urlparse(url.strip()).hostname
    return host.lower() if host else None
