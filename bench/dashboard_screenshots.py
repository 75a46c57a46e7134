"""Screenshots of the dashboard for the documentation: the chooser answering a French town hall, a tool page, the map.

Starts the real Streamlit server (as ``dashboard_browser_bench.py`` does), opens each shared link in Debian's
Chromium, waits until the page is finished, and saves a PNG reduced to 256 colours so each file stays small.

Usage: ``python bench/dashboard_screenshots.py [--db PATH] [--out docs/screenshots]``.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from PIL import Image

sys.path.insert(0, str(Path(__file__).resolve().parent))
from dashboard_browser_bench import CHROME_ARGS, CHROMIUM, REPO, _database, _finished, _start  # noqa: E402

# A town of 30,000 in France that needs participatory budgeting and proposals, data kept in the EU, in French.
TOWN_HALL = ("page=choose&lang=fr&processes=participatory_budgeting,proposals&country=FR&population=30000"
             "&data_location=eu&languages=fr")
# file, query string, viewport height, what to keep: the viewport (None), the n-th chart (int), or 1,000 px
# from a heading (str; the viewport is made tall enough to hold it, Streamlit scrolls inside its own frame).
SHOTS: tuple[tuple[str, str, int, int | str | None], ...] = (
    ("chooser-town-hall-fr.png", TOWN_HALL, 2300, None),
    ("tool-decidim-fr.png", "page=tool&id=decidim&lang=fr", 1500, None),
    ("tool-decidim-runs-fr.png", "page=tool&id=decidim&lang=fr&tab=runs", 1500, None),
    ("map-overview-fr.png", "page=overview&lang=fr&tab=map", 1600, 0),
)


def _small_png(path: Path) -> None:
    """256-colour PNG: screenshots are flat colours and text, so this keeps them legible and a few hundred KB."""
    with Image.open(path) as image:
        image.convert("RGB").quantize(colors=256, method=Image.Quantize.MEDIANCUT).save(path, optimize=True)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--db")
    parser.add_argument("--out", default=str(REPO / "docs" / "screenshots"))
    args = parser.parse_args()
    from playwright.sync_api import sync_playwright

    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    proc, base = _start(_database(args.db))
    try:
        with sync_playwright() as pw:
            browser = pw.chromium.launch(executable_path=CHROMIUM, args=CHROME_ARGS)
            for name, query, height, keep in SHOTS:
                page = browser.new_page(viewport={"width": 1280, "height": height})
                page.goto(f"{base}/?{query}")
                _finished(page)
                page.wait_for_timeout(500)
                target = out / name
                if keep is None:
                    page.screenshot(path=str(target))
                elif isinstance(keep, int):
                    page.locator('[data-testid="stPlotlyChart"]').nth(keep).screenshot(path=str(target))
                else:
                    box = page.get_by_text(keep, exact=True).first.bounding_box()
                    top = max(0, box["y"] - 20)
                    page.screenshot(path=str(target), clip={"x": 0, "y": top, "width": 1280,
                                                            "height": min(1000, height - top)})
                _small_png(target)
                print(f"{target.relative_to(REPO)}: {target.stat().st_size // 1024} KiB")
                page.close()
            browser.close()
    finally:
        proc.terminate()
        proc.wait(15)


if __name__ == "__main__":
    main()
