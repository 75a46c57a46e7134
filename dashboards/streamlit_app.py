"""Entry point of the dashboard: page config, the FR/EN switch, the page registry and the URL state.

Adding a page = one file in ``app_pages/`` + one line in :data:`PAGES` + its strings in
``locales/{en,fr}/<page>.json``. Navigation is drawn by this module (sidebar links that keep the
language), so every page also answers at its own path (``/overview``) and at ``/?page=<path>``: the
default page is a router that switches to the page the query string names, keeping its parameters.
"""

from __future__ import annotations

import sys
from dataclasses import dataclass
from pathlib import Path

import streamlit as st

APP_DIR = Path(__file__).resolve().parent
if str(APP_DIR.parent) not in sys.path:  # `streamlit run dashboards/streamlit_app.py` from a plain checkout
    sys.path.insert(0, str(APP_DIR.parent))

from dashboards import urlstate  # noqa: E402
from dashboards.i18n import DEFAULT_LANG, LANGS, t  # noqa: E402
from dashboards.search import sidebar_search  # noqa: E402

FAVICON = APP_DIR / "static" / "favicon.png"  # a local file: an emoji or icon name is fetched from a CDN
HOME_PAGE = "overview"


@dataclass(frozen=True)
class PageSpec:
    file: str  # relative to this script
    title_key: str
    url_path: str
    icon: str
    in_nav: bool = True  # False: reached through links only (the page of one tool)


PAGES: tuple[PageSpec, ...] = (
    PageSpec("app_pages/overview.py", "nav.overview", "overview", ":material/dashboard:"),
    PageSpec("app_pages/compare.py", "nav.compare", "compare", ":material/compare:"),
    PageSpec("app_pages/choose.py", "nav.choose", "choose", ":material/checklist:"),
    PageSpec("app_pages/tool.py", "nav.tool", "tool", ":material/description:", in_nav=False),
    PageSpec("app_pages/adoption.py", "nav.adoption", "adoption", ":material/public:"),
    PageSpec("app_pages/pb.py", "nav.pb", "pb-outcomes", ":material/how_to_vote:"),
    PageSpec("app_pages/participation.py", "nav.participation", "participation", ":material/groups:"),
    PageSpec("app_pages/research.py", "nav.research", "research", ":material/science:"),
    PageSpec("app_pages/data.py", "nav.data", "data", ":material/table:"),
    PageSpec("app_pages/about.py", "nav.about", "about", ":material/info:"),
)


def available_pages() -> list[PageSpec]:
    return list(PAGES)


def _language() -> str:
    """The language: a link's ``?lang=`` wins when it changed outside the app, else the sidebar's choice."""
    from_url = urlstate.url_value("lang")
    if from_url in LANGS and urlstate._changed_outside("lang"):
        st.session_state["lang"] = from_url
    if st.session_state.get("lang") not in LANGS:
        st.session_state["lang"] = DEFAULT_LANG
    st.sidebar.selectbox(t("nav.language"), options=list(LANGS), key="lang",
                         format_func=lambda code: t(f"nav.lang_{code}", code), help=t("nav.language_help"))
    return st.session_state["lang"]


def _router(pages: dict[str, st.Page]) -> None:
    """The root URL: open the page named by ``?page=`` (else the overview) with the link's parameters."""
    target = urlstate.url_value("page") or HOME_PAGE
    params = {k: v for k, v in st.query_params.items()}
    st.switch_page(pages.get(target, pages[HOME_PAGE]), query_params=params)


def _sidebar_links(pages: dict[str, st.Page], lang: str) -> None:
    with st.sidebar:
        for spec in PAGES:
            if spec.in_nav:
                st.page_link(pages[spec.url_path], label=t(spec.title_key), icon=spec.icon,
                             query_params={"lang": lang})


def _copy_link(params: dict[str, str]) -> None:
    """The link to this view, drawn only while the popover is open: its copy button (``st.code``) loads a
    1.5 MB syntax highlighter, which every first page would otherwise pay for."""
    from dashboards.components import lazy

    box = st.sidebar.popover(t("nav.copy_link"), icon=":material/link:", key="copy_link",
                             **({"on_change": "rerun"} if lazy() else {}))
    if lazy() and not box.open:
        return
    with box:
        st.caption(t("nav.copy_link_help"))
        st.code(urlstate.share_link(params), language=None, wrap_lines=True)


def main() -> None:
    st.set_page_config(page_title="Civic-Tech Observatory", page_icon=str(FAVICON), layout="wide")
    urlstate.start_run()
    lang = _language()
    pages = {p.url_path: st.Page(APP_DIR / p.file, title=t(p.title_key), url_path=p.url_path, icon=p.icon)
             for p in PAGES}
    home = st.Page(lambda: _router(pages), title=t("nav.overview"), url_path="home", default=True)
    current = st.navigation([home, *pages.values()], position="hidden")
    sidebar_search(pages, lang)
    _sidebar_links(pages, lang)
    current.run()
    if current.url_path:  # the router itself has switched away
        _copy_link(urlstate.publish(current.url_path, lang))


if __name__ == "__main__":  # true under `streamlit run` and AppTest; importing only reads PAGES
    main()
