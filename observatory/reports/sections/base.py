"""The contract of a report section: a key, a ``build(ctx) -> Section`` and, for optional sections, the
build option that turns it on."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from observatory.reports.context import ReportContext
from observatory.reports.document import Section


@dataclass(frozen=True)
class ReportSection:
    key: str
    build: Callable[[ReportContext], Section]
    when: str | None = None   # a :class:`ReportContext` field (``pb_edition``, ``needs``); None = always shown

    def applies(self, ctx: ReportContext) -> bool:
        return self.when is None or getattr(ctx, self.when) is not None
