"""Entry point of the dashboard: page config, the FR/EN switch, and the page registry.

Adding a page = one file in ``app_pages/`` + one line in :data:`PAGES` + its strings in
``locales/{en,fr}/<page>.json``. Optional pages (written by other helpers) are listed only when
their file exists, so the app keeps working before they land.
"""

from __future__ import annotations

import sys
from dataclasses import dataclass
from pathlib import Path

import streamlit as st

APP_DIR = Path(__file__).resolve().parent
if str(APP_DIR.parent) not in sys.path:  # `streamlit run dashboards/streamlit_app.py` from a plain checkout
    sys.path.insert(0, str(APP_DIR.parent))

from dashboards.i18n import DEFAULT_LANG, LANGS, t  # noqa: E402


@dataclass(frozen=True)
class PageSpec:
    file: str  # relative to this script
    title_key: str
    url_path: str
    icon: str


PAGES: tuple[PageSpec, ...] = (
    PageSpec("app_pages/overview.py", "nav.overview", "overview", ":material/dashboard:"),
    PageSpec("app_pages/compare.py", "nav.compare", "compare", ":material/compare:"),
    PageSpec("app_pages/choose.py", "nav.choose", "choose", ":material/checklist:"),
    PageSpec("app_pages/adoption.py", "nav.adoption", "adoption", ":material/public:"),
    PageSpec("app_pages/pb.py", "nav.pb", "pb-outcomes", ":material/how_to_vote:"),
    PageSpec("app_pages/participation.py", "nav.participation", "participation", ":material/groups:"),
    PageSpec("app_pages/research.py", "nav.research", "research", ":material/science:"),
    PageSpec("app_pages/data.py", "nav.data", "data", ":material/table:"),
    PageSpec("app_pages/about.py", "nav.about", "about", ":material/info:"),
)


def available_pages() -> list[PageSpec]:
    return list(PAGES)


def main() -> None:
    st.set_page_config(page_title="Civic-Tech Observatory", page_icon=":material/account_balance:", layout="wide")
    if st.session_state.get("lang") not in LANGS:
        st.session_state["lang"] = DEFAULT_LANG
    st.sidebar.selectbox(t("nav.language"), options=list(LANGS), key="lang",
                         format_func=lambda code: t(f"nav.lang_{code}", code), help=t("nav.language_help"))
    pages = [st.Page(APP_DIR / p.file, title=t(p.title_key), url_path=p.url_path, icon=p.icon, default=i == 0)
             for i, p in enumerate(available_pages())]
    st.navigation(pages).run()


if __name__ == "__main__":  # true under `streamlit run` and AppTest; importing only reads PAGES
    main()
