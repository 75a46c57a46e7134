"""Time every dashboard page in a real browser: from the click on its sidebar link to the page finished.

Starts the real Streamlit server on a free local port, drives Debian's Chromium with Playwright and, for
each page, measures the time from the click to the page being finished: the script idle, the number of
elements stable for 300 ms, and every plotly chart drawn. The figure reported is the moment the page reached
that state: the last change the browser made to the page (an element or chart node added or removed, the
script state switching to idle), seen by a MutationObserver; the 300 ms of stability that confirm it are not
counted, nor is a canvas's fallback content (the data grid adds an accessibility table inside its canvas
about 300 ms after drawing it; a canvas's children are never drawn). The older figure ("confirmed": when the
check ended, minus one 300 ms wait) is printed beside it: it reads 300 ms for any page drawn in under 300
ms, and it could stop before the page even started to change. "Cold" is the first visit of each page after
the server started (caches empty); "warm" is the median of the next ``--repeat`` visits. The first page of a
fresh start is timed from ``goto`` on the root URL twice: in a new browser profile (nothing cached), and
after restarting the server on the same port for the same browser profile (its HTTP cache kept, as for
anyone who opened the dashboard before).

Usage: ``python bench/dashboard_browser_bench.py [--db PATH] [--repeat 5] [--lang fr]``. Without ``--db``
the database named by OBSERVATORY_DB is used, else one is built from ``datasets/``.
"""

from __future__ import annotations

import argparse
import os
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

from playwright.sync_api import TimeoutError as PlaywrightTimeout

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

CHROMIUM = "/usr/bin/chromium"
CHROME_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--disable-background-networking",
               "--disable-component-update", "--disable-sync", "--no-first-run", "--disable-quic"]
IDLE = ('[data-testid="stApp"][data-test-connection-state="CONNECTED"]'
        '[data-test-script-state="notRunning"]')
STABLE_MS = 300
RUN_START_TIMEOUT_MS = 5_000
# Installed in every document: when the page last changed (nodes added/removed, script state) and whether
# the script state or the main area changed since the bench last reset the flag (a run of a few ms may
# never show the "running" state; a click may change the sidebar before the run starts).
OBSERVER = """
(() => {
  const bench = window.__bench = {lastChange: Date.now(), changed: false};
  new MutationObserver((mutations) => {
    for (const m of mutations) {
      const state = m.attributeName === 'data-test-script-state';
      if (m.type !== 'childList' && !state) continue;
      const node = m.target.nodeType === 1 ? m.target : m.target.parentElement;
      if (node && node.closest('canvas')) continue;  // a canvas's fallback content is never drawn
      bench.lastChange = Date.now();
      if (state || (node && node.closest('[data-testid="stMain"]'))) bench.changed = true;
    }
  }).observe(document, {subtree: true, childList: true, attributes: true,
                        attributeFilter: ['data-test-script-state']});
})();
"""


def _database(db: str | None) -> Path:
    if db or os.environ.get("OBSERVATORY_DB"):
        return Path(db or os.environ["OBSERVATORY_DB"])
    from observatory.config import load_settings
    from observatory.datasets import build_database

    path = Path(tempfile.mkdtemp()) / "bench.duckdb"
    build_database(path, load_settings().datasets_dir)
    return path


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _start(db: Path, port: int | None = None) -> tuple[subprocess.Popen, str]:
    from observatory.cli import dashboard_command

    port = port or _free_port()
    cmd = dashboard_command("--server.port", str(port), "--server.address", "127.0.0.1",
                            "--server.fileWatcherType", "none")
    proc = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, cwd=REPO,
                            env={**os.environ, "OBSERVATORY_DB": str(db)})
    base = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 90
    while time.monotonic() < deadline:
        try:
            if urllib.request.urlopen(base + "/_stcore/health", timeout=2).read() == b"ok":
                return proc, base
        except OSError:
            time.sleep(0.1)
    proc.kill()
    raise SystemExit("streamlit did not start")


def _finished(page) -> None:
    """The page started to change, then: idle script, element count unchanged for STABLE_MS, every chart drawn."""
    try:  # without any change in this time the checks below confirm the page as it is
        page.wait_for_function("window.__bench && window.__bench.changed", timeout=RUN_START_TIMEOUT_MS)
    except PlaywrightTimeout:
        pass
    last = -1
    while True:
        page.wait_for_selector(IDLE, timeout=120_000)
        count = page.locator('[data-testid="stElementContainer"]').count()
        if count == last:
            break
        last = count
        page.wait_for_timeout(STABLE_MS)
    charts = page.locator('[data-testid="stPlotlyChart"]')
    for i in range(charts.count()):
        charts.nth(i).locator(".main-svg").first.wait_for(timeout=60_000)


def _time(action, page, navigation: bool = False) -> tuple[float, float]:
    """(finished, confirmed) in seconds: the page's last change, and the end of the checks minus one wait."""
    if not navigation:
        page.evaluate("window.__bench.changed = false")
    origin = time.time() * 1000  # the browser stamps changes with Date.now(): the same wall clock
    start = time.perf_counter()
    action()
    _finished(page)
    confirmed = time.perf_counter() - start - STABLE_MS / 1000  # the last stability wait is not rendering
    finished = (page.evaluate("window.__bench.lastChange") - origin) / 1000
    return finished, confirmed


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--db")
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--lang", default="fr", choices=("fr", "en"))
    args = parser.parse_args()
    from playwright.sync_api import sync_playwright

    from dashboards.i18n import t
    from dashboards.streamlit_app import available_pages

    db = _database(args.db)
    proc, base = _start(db)
    pages = [p for p in available_pages() if p.in_nav]
    cold: dict[str, tuple[float, float]] = {}
    warm: dict[str, list[tuple[float, float]]] = {p.url_path: [] for p in pages}
    profile = tempfile.mkdtemp(prefix="bench-chromium-")  # the browser's cache, kept for the restart below
    try:
        with sync_playwright() as pw:
            browser = pw.chromium.launch_persistent_context(profile, executable_path=CHROMIUM, args=CHROME_ARGS,
                                                            viewport={"width": 1400, "height": 1600})
            browser.add_init_script(OBSERVER)
            page = browser.new_page()
            first = _time(lambda: page.goto(f"{base}/?lang={args.lang}"), page, navigation=True)
            for round_ in range(args.repeat + 1):
                for spec in pages:
                    link = page.locator('[data-testid="stSidebar"] a[data-testid="stPageLink-NavLink"]',
                                        has_text=t(spec.title_key, args.lang)).first
                    seconds = _time(link.click, page)
                    if round_ == 0:
                        cold[spec.url_path] = seconds
                    else:
                        warm[spec.url_path].append(seconds)
            browser.close()
            # A fresh start of the server (same port, so the same origin) for a browser that has opened the
            # dashboard before: its cache holds the JavaScript chunks (plotly.js alone is 4.7 MB).
            proc.terminate()
            proc.wait(15)
            proc, base = _start(db, port=int(base.rsplit(":", 1)[1]))
            browser = pw.chromium.launch_persistent_context(profile, executable_path=CHROMIUM, args=CHROME_ARGS,
                                                            viewport={"width": 1400, "height": 1600})
            browser.add_init_script(OBSERVER)
            page = browser.new_page()
            restarted = _time(lambda: page.goto(f"{base}/?lang={args.lang}"), page, navigation=True)
            browser.close()
    finally:
        proc.terminate()
        proc.wait(15)
        shutil.rmtree(profile, ignore_errors=True)
    load = os.getloadavg()
    print(f"load average at the end: {load[0]:.2f} {load[1]:.2f} {load[2]:.2f}")
    print(f"first page of a fresh start (goto /), empty browser cache: {first[0] * 1000:.0f} ms "
          f"(confirmed: {first[1] * 1000:.0f} ms)")
    print(f"first page of a fresh start (goto /), browser cache of an earlier visit: {restarted[0] * 1000:.0f} ms "
          f"(confirmed: {restarted[1] * 1000:.0f} ms)")
    print("| page | cold (ms) | warm median (ms) | warm max (ms) | confirmed: cold / warm median (ms) |")
    print("|---|---|---|---|---|")
    for spec in pages:
        runs = warm[spec.url_path]
        done = [r[0] for r in runs]
        print(f"| {spec.url_path} | {cold[spec.url_path][0] * 1000:.0f} | {statistics.median(done) * 1000:.0f} | "
              f"{max(done) * 1000:.0f} | {cold[spec.url_path][1] * 1000:.0f} / "
              f"{statistics.median(r[1] for r in runs) * 1000:.0f} |")
    for index, name in ((0, "finished"), (1, "confirmed")):
        medians = [statistics.median(r[index] for r in runs) for runs in warm.values()]
        print(f"{name}: warm median over pages {statistics.median(medians) * 1000:.0f} ms; "
              f"slowest page warm median {max(medians) * 1000:.0f} ms")


if __name__ == "__main__":
    main()
