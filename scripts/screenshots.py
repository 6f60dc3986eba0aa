"""Take screenshots of every page of a demo workspace (for the README and for looking at the app).

Usage: .venv/bin/python scripts/screenshots.py [output folder]   (default: docs/screenshots)
"""

import sys
import tempfile
from pathlib import Path

from playwright.sync_api import sync_playwright

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from gcm_guide import db  # noqa: E402
from gcm_guide.demo import add_demo_workspace  # noqa: E402
from gcm_guide.navigation import PAGES  # noqa: E402
from tests.conftest import CHROMIUM, CHROMIUM_ARGS, settle, start_app_server  # noqa: E402

out = Path(sys.argv[1]) if len(sys.argv) > 1 else ROOT / "docs" / "screenshots"
out.mkdir(parents=True, exist_ok=True)
folder = Path(tempfile.mkdtemp())
url = f"sqlite:///{folder / 'demo.sqlite3'}"
engine = db.open_database(url)
workspace = add_demo_workspace(engine, "Jamaica — GCM kick-off 2027")
server = start_app_server(url, folder / "server.log")
try:
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        page = browser.new_page(viewport={"width": 1440, "height": int(sys.argv[2]) if len(sys.argv) > 2 else 1600})
        for spec in PAGES:
            page.goto(f"{server.url}/{spec.id}?ws={workspace.public_id}")
            settle(page)
            page.wait_for_timeout(1500)  # tables and charts draw after the run ends
            page.screenshot(path=str(out / f"{spec.id}.png"), full_page=True)
            print(out / f"{spec.id}.png")
        browser.close()
finally:
    server.process.terminate()
