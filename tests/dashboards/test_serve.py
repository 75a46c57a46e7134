"""The server launcher imports what the pages import, lazy imports included, before serving."""

from __future__ import annotations

import sys

from dashboards import serve
from observatory.cli import dashboard_command


def test_page_modules_include_imports_made_inside_functions() -> None:
    names = serve.page_modules()
    assert "dashboards.geomap" in names  # imported inside the overview's render(), not at the top
    assert "dashboards.components" in names
    assert "streamlit" in names


def test_the_dashboard_command_starts_through_the_launcher_without_a_gc_after_every_run() -> None:
    cmd = dashboard_command("--server.port", "9999")
    assert cmd[:4] == [sys.executable, "-m", "dashboards.serve", "run"]
    assert cmd[4].endswith("streamlit_app.py")
    flags = cmd[5:]
    assert flags[flags.index("--runner.postScriptGC") + 1] == "false"
    assert flags[flags.index("--server.port") + 1] == "9999"
