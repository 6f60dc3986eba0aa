"""Where a page's DOM elements are: for each page of a demo workspace, the blocks of the page that hold the most
elements (an expander, a form, a chart, the sidebar), to find what to draw less of.

Usage: .venv/bin/python -m bench.elements [--stakeholders 1000] [--pages stakeholders,setup] [--top 8]
"""

from __future__ import annotations

import argparse
import tempfile
from pathlib import Path

from playwright.sync_api import sync_playwright

from gcm_guide import db
from gcm_guide.demo import add_demo_workspace
from gcm_guide.navigation import PAGES
from tests.conftest import CHROMIUM, CHROMIUM_ARGS, PASSCODE, settle, start_app_server, unlock

# Each block is named by its test id and, where it has one, its label or heading.
COUNT_BLOCKS = """(top) => {
  const blocks = [...document.querySelectorAll(
    '[data-testid="stSidebar"], [data-testid="stExpander"], [data-testid="stForm"], [data-testid="stTabs"],'
    + '[data-testid="stPlotlyChart"], [data-testid="stDataFrame"], [data-testid="stVerticalBlockBorderWrapper"],'
    + '[data-testid="stElementContainer"]')];
  const named = blocks.map(b => {
    const label = (b.querySelector('summary, label, h2, h3, [data-testid="stMarkdownContainer"]') || b).innerText || '';
    return [b.querySelectorAll('*').length, `${b.dataset.testid}: ${label.trim().split('\\n')[0].slice(0, 60)}`];
  });
  // Only blocks that are not inside a larger block counted above.
  const outer = named.filter((n, i) => !blocks.some((o, j) => j !== i && o.contains(blocks[i])
    && o.querySelectorAll('*').length < 4000 && o !== blocks[i] && blocks[j].dataset.testid !== 'stElementContainer'
    && blocks[j].dataset.testid !== 'stVerticalBlockBorderWrapper'));
  return [document.querySelectorAll('*').length, outer.sort((a, b) => b[0] - a[0]).slice(0, top)];
}"""


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--stakeholders", type=int, default=1000)
    parser.add_argument("--pages", default="")
    parser.add_argument("--top", type=int, default=8)
    arguments = parser.parse_args()
    folder = Path(tempfile.mkdtemp(prefix="gcm-elements-"))
    url = f"sqlite:///{folder / 'demo.sqlite3'}"
    engine = db.open_database(url)
    workspace = add_demo_workspace(engine, "Elements", arguments.stakeholders, passcode=PASSCODE)
    engine.dispose()
    wanted = [p for p in arguments.pages.split(",") if p] or [p.id for p in PAGES if p.visible and p.needs_workspace]
    server = start_app_server(url, folder / "server.log")
    try:
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
            page = browser.new_page(viewport={"width": 1366, "height": 900})
            page.goto(f"{server.url}/guiding-questions?ws={workspace.public_id}")
            settle(page)
            unlock(page)
            for path in wanted:
                page.locator(f'[data-testid="stSidebar"] a[href="{path}"]').first.click()
                settle(page)
                page.wait_for_timeout(500)
                total, blocks = page.evaluate(COUNT_BLOCKS, arguments.top)
                print(f"{path}: {total:,} elements")
                for count, name in blocks:
                    print(f"  {count:6,}  {name}")
            browser.close()
    finally:
        server.process.terminate()
        server.process.wait(timeout=10)


if __name__ == "__main__":
    main()
