"""Take screenshots of every page of a demo workspace (for the README and for looking at the app).

Usage: .venv/bin/python -m scripts.screenshots [output folder] [viewport height]   (default: docs/screenshots)
"""

import argparse
import tempfile
from pathlib import Path

from playwright.sync_api import sync_playwright

from gcm_guide import db
from gcm_guide.demo import add_demo_workspace
from gcm_guide.i18n import t
from gcm_guide.navigation import PAGES
from tests.conftest import CHROMIUM, CHROMIUM_ARGS, settle, start_app_server

ROOT = Path(__file__).resolve().parent.parent

PASSCODE = "demo passcode 2027"
parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
parser.add_argument("out", nargs="?", type=Path, default=ROOT / "docs" / "screenshots", help="the folder to write")
parser.add_argument("height", nargs="?", type=int, default=1600, help="the viewport's height in pixels")
arguments = parser.parse_args()
out, height = arguments.out, arguments.height
out.mkdir(parents=True, exist_ok=True)
folder = Path(tempfile.mkdtemp())
url = f"sqlite:///{folder / 'demo.sqlite3'}"
engine = db.open_database(url)
workspace = add_demo_workspace(engine, "Jamaica — GCM kick-off 2027", passcode=PASSCODE)
server = start_app_server(url, folder / "server.log")
try:
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        page = browser.new_page(viewport={"width": 1440, "height": height})
        page.goto(f"{server.url}/guiding-questions?ws={workspace.public_id}")
        settle(page)
        page.locator("input[type=password]").first.fill(PASSCODE)
        page.get_by_role("button", name="Open").click()
        settle(page)
        # The presenter view hides the menu, so it comes last.
        for spec in sorted((p for p in PAGES if p.visible), key=lambda p: p.id == "presenter"):
            page.locator('[data-testid="stSidebar"]').get_by_role("link", name=t(spec.title_key)).click()
            settle(page)
            page.wait_for_timeout(1500)  # tables and charts draw after the run ends
            page.screenshot(path=str(out / f"{spec.id}.png"), full_page=True)
            print(out / f"{spec.id}.png")
        browser.close()
finally:
    server.process.terminate()
