"""The report's body, one module per section, in reading order.

``SECTIONS`` is the seam: adding a section means one module here exposing ``SECTION`` (a
:class:`~observatory.reports.sections.base.ReportSection`) and one line below; every exporter lays it
out without change, and the tests derive the expected sections from this list.
"""

from __future__ import annotations

from observatory.reports.sections import adoption, chooser, features, health, licences, pb, summary
from observatory.reports.sections.base import ReportSection

SECTIONS: tuple[ReportSection, ...] = (
    summary.SECTION,
    licences.SECTION,
    features.SECTION,
    health.SECTION,
    adoption.SECTION,
    pb.SECTION,
    chooser.SECTION,
)

__all__ = ["SECTIONS", "ReportSection"]
