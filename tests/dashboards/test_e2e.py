"""Real-browser end-to-end test: the actual Streamlit server in headless Debian Chromium (Playwright).

Skipped with the reason when ``/usr/bin/chromium`` is absent, except in CI (``CI=true``) where a
missing browser is a failure. Screenshots go to ``artifacts/screenshots/`` (git-ignored) for CI
artifacts and for a human look.
"""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest

from dashboards.components import LAZY_ENV
from dashboards.i18n import DEFAULT_LANG, t
from dashboards.streamlit_app import APP_DIR, available_pages
from observatory.cli import DASHBOARD_SERVER_FLAGS

pytestmark = pytest.mark.e2e

CHROMIUM = Path("/usr/bin/chromium")
CHROME_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--disable-background-networking",
               "--disable-component-update", "--disable-sync", "--no-first-run", "--disable-quic"]
IDLE = ('[data-testid="stApp"][data-test-connection-state="CONNECTED"]'
        '[data-test-script-state="notRunning"]')
REPO = APP_DIR.parent
SCREENSHOTS = REPO / "artifacts" / "screenshots"


def _require_browser() -> None:
    """No browser is a failure, not a skip: a skipped end-to-end test proves nothing (``./dev test`` installs it)."""
    if not CHROMIUM.exists():
        pytest.fail(f"{CHROMIUM} not found: install it with `apt-get install -y --no-install-recommends chromium "
                    "chromium-driver` (Playwright's own download needs network), or run `./dev test`")


def _settle(page, timeout_s: float = 60) -> None:
    """Wait until the script is idle and the page stops growing (idle alone can be seen before a rerun starts)."""
    deadline, last = time.monotonic() + timeout_s, -1
    while time.monotonic() < deadline:
        page.wait_for_selector(IDLE, timeout=60_000)
        count = page.locator('[data-testid="stElementContainer"]').count()
        if count == last:
            return
        last = count
        page.wait_for_timeout(400)
    raise TimeoutError("the page kept changing")


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _wait_healthy(base: str, proc: subprocess.Popen, timeout: float = 90) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise RuntimeError(f"streamlit exited with code {proc.returncode}")
        try:
            if urllib.request.urlopen(base + "/_stcore/health", timeout=2).read() == b"ok":
                return
        except OSError:
            pass
        time.sleep(0.2)
    raise TimeoutError("streamlit did not become healthy")


@pytest.fixture(scope="module")
def server(sample_db: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[str, Path]]:
    """Start the real dashboard on a free local port against the sample database; stop only this process."""
    _require_browser()
    port, log = _free_port(), tmp_path_factory.mktemp("st") / "server.log"
    cmd = [sys.executable, "-m", "streamlit", "run", str(APP_DIR / "streamlit_app.py"), "--server.headless", "true",
           "--server.port", str(port), "--server.address", "127.0.0.1", "--browser.gatherUsageStats", "false",
           "--server.fileWatcherType", "none", *DASHBOARD_SERVER_FLAGS]
    with log.open("w") as out:
        proc = subprocess.Popen(cmd, stdout=out, stderr=subprocess.STDOUT, cwd=REPO,
                                env={**os.environ, "OBSERVATORY_DB": str(sample_db), LAZY_ENV: "1"})
    base = f"http://127.0.0.1:{port}"
    try:
        _wait_healthy(base, proc)
        yield base, log
    finally:
        proc.terminate()
        try:
            proc.wait(15)
        except subprocess.TimeoutExpired:
            proc.kill()


def test_every_page_in_both_languages_in_a_real_browser(server: tuple[str, Path]) -> None:
    from playwright.sync_api import expect, sync_playwright

    base, log = server
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=str(CHROMIUM), args=CHROME_ARGS)
        try:
            page = browser.new_page(viewport={"width": 1400, "height": 2400})
            outside = _record_outside_requests(page)
            page.goto(base + "/")
            page.wait_for_selector(IDLE, timeout=60_000)
            for lang in ("fr", "en"):
                if lang == "en":  # switch language with the sidebar selectbox, like a user
                    page.goto(base + "/")
                    page.wait_for_selector(IDLE, timeout=60_000)
                    page.locator('[data-testid="stSidebar"] [data-testid="stSelectbox"]').first.click()
                    page.get_by_role("option", name=t("nav.lang_en", "en")).click()
                    page.wait_for_selector(IDLE, timeout=60_000)
                    expect(page.get_by_role("heading", name=t("overview.title", "en")).first).to_be_visible()
                for spec in [p for p in available_pages() if p.in_nav]:
                    link = page.locator('[data-testid="stSidebar"] a[data-testid="stPageLink-NavLink"]',
                                        has_text=t(spec.title_key, lang)).first
                    link.click()  # in-app navigation keeps the session (and its language)
                    stem = Path(spec.file).stem
                    title = t(f"{stem}.title", lang)
                    if title != f"{stem}.title":
                        expect(page.get_by_role("heading", name=title).first).to_be_visible(timeout=30_000)
                    _settle(page)
                    if page.locator('[data-testid="stPlotlyChart"]').count():
                        page.wait_for_selector('[data-testid="stPlotlyChart"] .main-svg', timeout=30_000)
                    expect(page.get_by_test_id("stException")).to_have_count(0)
                    page.screenshot(path=str(SCREENSHOTS / f"{stem}_{lang}.png"), full_page=True)
                    if lang == "fr":
                        _visit_every_tab(page)
            assert not outside, f"requests left localhost: {sorted(set(outside))[:10]}"
        finally:
            browser.close()
    assert "Traceback" not in log.read_text(encoding="utf-8")


def _visit_every_tab(page) -> None:
    """Open each of the page's tabs like a user: only the open tab is drawn, so each must draw on its own."""
    from playwright.sync_api import expect

    tabs = page.locator('[data-testid="stMain"] [role="tab"]')
    for index in range(1, tabs.count()):
        tabs.nth(index).click()
        _settle(page)
        expect(tabs.nth(index)).to_have_attribute("aria-selected", "true")
        expect(page.get_by_test_id("stException")).to_have_count(0)


def _record_outside_requests(page) -> list[str]:
    """Every request the page makes to a host other than this machine (favicon, fonts, map tiles...)."""
    from urllib.parse import urlparse

    outside: list[str] = []

    def check(request) -> None:
        host = urlparse(request.url).hostname
        if request.url.startswith(("data:", "blob:")) or host in {"127.0.0.1", "localhost", "::1"}:
            return
        outside.append(request.url)

    page.on("request", check)
    return outside


def test_a_shared_link_restores_language_page_and_choices(server: tuple[str, Path], sample_db: Path) -> None:
    """Open a link in a fresh browser: the language, the page, the chosen tools and the tool page come back."""
    from playwright.sync_api import expect, sync_playwright

    base, log = server
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=str(CHROMIUM), args=CHROME_ARGS)
        try:
            page = browser.new_page(viewport={"width": 1400, "height": 1600})
            outside = _record_outside_requests(page)
            page.goto(base + "/?page=compare&lang=en&tools=decidim,smallpb")
            _settle(page)
            expect(page.get_by_role("heading", name=t("compare.title", "en")).first).to_be_visible()
            tags = page.locator('[data-testid="stMultiSelectTagsContainer"] [data-tag]')
            expect(tags).to_have_count(2, timeout=60_000)  # a loaded machine may draw the widget after "idle"
            assert sorted(tags.nth(i).get_attribute("aria-label") or "" for i in range(tags.count())) == \
                ["Decidim", "Small PB"]
            assert "tools=decidim%2Csmallpb" in page.url or "tools=decidim,smallpb" in page.url, page.url
            page.goto(base + "/tool?id=decidim&lang=fr&tab=deployments")
            _settle(page)
            expect(page.get_by_role("heading", name="Decidim").first).to_be_visible()
            expect(page.get_by_role("tab", name=t("tool.deployments", "fr"))).to_have_attribute("aria-selected", "true")
            page.wait_for_selector('[data-testid="stPlotlyChart"] .main-svg', timeout=30_000)
            page.screenshot(path=str(SCREENSHOTS / "tool_fr.png"), full_page=True)
            page.goto(base + "/overview?lang=fr")
            _settle(page)
            expect(page.get_by_role("heading", name=t("overview.title", "fr")).first).to_be_visible()
            expect(page.get_by_text("Page not found")).to_have_count(0)
            assert not outside, f"requests left localhost: {sorted(set(outside))[:10]}"
        finally:
            browser.close()
    assert "Traceback" not in log.read_text(encoding="utf-8")


def _check_report(fmt: str, body: bytes, tool_names: list[str]) -> None:
    """Open what the dashboard handed over, as an analyst would."""
    import io
    import zipfile

    if fmt == "html":
        text = body.decode("utf-8")
        assert all(name in text for name in tool_names)
    elif fmt == "pdf":
        from pypdf import PdfReader

        text = "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(body)).pages)
        assert all(name in text for name in tool_names)
    elif fmt == "xlsx":
        from openpyxl import load_workbook

        book = load_workbook(io.BytesIO(body))
        assert "Sources" in book.sheetnames
    elif fmt == "csv":
        names = zipfile.ZipFile(io.BytesIO(body)).namelist()
        assert "sources.csv" in names and any(n.lower().startswith("readme") for n in names)


def test_compare_page_exports_every_report_format(server: tuple[str, Path], sample_db: Path) -> None:
    """The one-click export on Compare produces a real file in each registered format."""
    import duckdb
    from playwright.sync_api import sync_playwright

    from observatory.reports import FORMATS

    base, _log = server
    con = duckdb.connect(str(sample_db), read_only=True)
    try:
        names = {r[0]: r[1] for r in con.execute("SELECT tool_id, name FROM tools").fetchall()}
    finally:
        con.close()
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=str(CHROMIUM), args=CHROME_ARGS)
        try:
            page = browser.new_page(viewport={"width": 1400, "height": 1600}, accept_downloads=True)
            page.goto(base + "/compare")
            _settle(page)
            tags = page.locator('[data-testid="stMultiSelectTagsContainer"] [data-tag]')
            tags.nth(1).wait_for(state="attached", timeout=60_000)  # a loaded machine may draw it after "idle"
            chosen_names = [tags.nth(i).get_attribute("aria-label") or "" for i in range(tags.count())]
            assert len(chosen_names) >= 2, chosen_names
            assert set(chosen_names) <= set(names.values())
            page.get_by_role("tab", name=t("compare.tab_reports", DEFAULT_LANG)).click()
            _settle(page)
            for fmt in FORMATS:
                button = page.locator(f'.st-key-compare_report_{fmt} button')
                with page.expect_download(timeout=180_000) as info:
                    button.click()
                body = Path(info.value.path()).read_bytes()
                assert info.value.suggested_filename.endswith(FORMATS[fmt].extension.lstrip("."))
                _check_report(fmt, body, chosen_names)
        finally:
            browser.close()
