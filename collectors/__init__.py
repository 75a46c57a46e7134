"""Collector registry: every module of this package defining a ``Collector`` subclass is one collector.

Discovery happens inside :func:`registry` (not at import), so importing the package stays cheap and a
broken collector module names itself in the error instead of breaking unrelated commands.
Third-party collectors can register through the ``observatory.collectors`` entry-point group.
"""

from __future__ import annotations

import importlib
import pkgutil
from collections.abc import Sequence
from functools import cache
from importlib.metadata import entry_points
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import duckdb

    from observatory.collector import Collector
    from observatory.runs import ProgressFn, RunSummary

_NOT_COLLECTORS = frozenset({"cli"})


@cache
def registry() -> dict[str, type[Collector]]:
    """``{name: class}`` of every collector found in this package and in entry points."""
    from observatory.collector import Collector

    found: dict[str, type[Collector]] = {}
    for info in pkgutil.iter_modules(__path__):
        if info.name.startswith("_") or info.name in _NOT_COLLECTORS:
            continue
        module = importlib.import_module(f"{__name__}.{info.name}")
        for obj in vars(module).values():
            if isinstance(obj, type) and issubclass(obj, Collector) and obj.name and obj.__module__ == module.__name__:
                found[obj.name] = obj
    for ep in entry_points(group="observatory.collectors"):
        cls = ep.load()
        found.setdefault(cls.name, cls)
    return dict(sorted(found.items()))


def names() -> list[str]:
    return list(registry())


def get(name: str) -> type[Collector]:
    try:
        return registry()[name]
    except KeyError:
        raise KeyError(f"unknown collector {name!r}; known: {', '.join(names()) or 'none'}") from None


def rebuild(con: duckdb.DuckDBPyConnection, archive_dir: str | Path, names: Sequence[str] | None = None,
            progress: ProgressFn | None = None) -> list[RunSummary]:
    """Re-derive every collected table (or those of ``names``) from the raw archive alone."""
    from observatory.runs import replay

    return replay(con, archive_dir, registry(), names, progress)
