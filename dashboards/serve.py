"""Start the dashboard's Streamlit server with the pages' modules already imported.

Under a plain ``streamlit run`` the first script run imports pandas, plotly, DuckDB, pyarrow, scipy and
every page's modules, so the first page of a fresh start waited seconds for them (more without bytecode
caches). Importing them here, before the server answers its health check, moves that cost to start-up.
``gc.freeze()`` then moves those long-lived objects out of the collector's reach: every later collection
walks only what the sessions allocated.

Usage (what ``observatory dashboard`` runs): ``python -m dashboards.serve run dashboards/streamlit_app.py
[streamlit flags]``; the arguments are Streamlit's own.
"""

from __future__ import annotations

import ast
import gc
import importlib
import sys
from pathlib import Path

APP_DIR = Path(__file__).resolve().parent
ALSO = ("pyarrow", "plotly.express", "plotly.io", "streamlit.elements.plotly_chart", "streamlit.elements.arrow")


def page_modules() -> list[str]:
    """Every module the entry script and the pages import, at the top or inside a function (lazy imports too)."""
    names: list[str] = []
    for path in [APP_DIR / "streamlit_app.py", *sorted((APP_DIR / "app_pages").glob("*.py"))]:
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Import):
                names += [alias.name for alias in node.names]
            elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
                names += [node.module, *(f"{node.module}.{alias.name}" for alias in node.names)]
    return list(dict.fromkeys(names))


def _import(name: str) -> None:
    try:
        importlib.import_module(name)
    except ModuleNotFoundError:  # ``from package import name`` where name is not a module
        pass


def preload() -> None:
    """Import what the pages need and draw one tiny figure (plotly loads its templates on first use)."""
    if str(APP_DIR.parent) not in sys.path:
        sys.path.insert(0, str(APP_DIR.parent))
    for name in (*ALSO, *page_modules()):
        _import(name)
    from dashboards import data

    for loader in vars(data).values():  # the loaders' modules are imported on first use (numpy, scipy...)
        if isinstance(loader, data.Loader):
            _import(loader.module)
    import pandas as pd
    import plotly.express as px

    px.bar(pd.DataFrame({"x": ["a"], "y": [1]}), x="x", y="y").to_dict()
    gc.collect()
    gc.freeze()


def main() -> None:
    preload()
    from streamlit.web import cli

    sys.argv = ["streamlit", *sys.argv[1:]]
    sys.exit(cli.main())


if __name__ == "__main__":
    main()
