"""Every ``observatory`` command pays for what ``import observatory.cli`` imports, ``--help`` included.

Heavy libraries are imported inside the functions that need them; this guards against one creeping
back to module level (pandas alone took ~1.3 s of a 2.3 s start).
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]

# Imported on use only: pandas/numpy (datasets, queries, reports, PB engine), openpyxl (XLSX reports), jinja2
# (HTML/PDF reports), weasyprint (PDF), pyarrow (exports, PB import), bs4 (HTML in imported text), requests
# (collectors), frictionless (validate/build), scipy (PB optima, research), plotly and streamlit (dashboard).
LAZY = ("pandas", "numpy", "openpyxl", "jinja2", "weasyprint", "pyarrow", "bs4", "requests", "frictionless",
        "scipy", "plotly", "streamlit")


def test_importing_the_cli_loads_no_heavy_library() -> None:
    code = ("import sys, observatory.cli; "
            f"print(' '.join(name for name in {LAZY!r} if name in sys.modules))")
    result = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, check=False,
                            timeout=120)
    assert result.returncode == 0, result.stderr
    loaded = result.stdout.split()
    assert loaded == [], (f"importing observatory.cli loaded {', '.join(loaded)}: import them inside the "
                          "functions that use them, so `observatory --help` and light commands stay fast")
