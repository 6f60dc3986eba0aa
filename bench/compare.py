"""Compare two checkouts of the app in the browser, turn by turn: the same page opened from the menu (and, on the
set-up page, clicks on an Action 3 answer) in each, with the same workspace, alternating between them so that
a machine that slows down or speeds up during the run weighs on both alike. For a change whose effect is
smaller than the run-to-run spread of `bench/browser.py` (±20%).

Usage: .venv/bin/python -m bench.compare BEFORE AFTER [--size 1000] [--page setup] [--runs 8]

BEFORE and AFTER are folders holding a checkout of the app (e.g. `git worktree add /tmp/before HEAD~1`, and
this folder). Each is started with its own code (`python -m gcm_guide.server` run from that folder) on its own
copy of one demo workspace (`gcm_guide.demo`). The figures follow bench/browser.py's method (a click until
the page is still, the 700 ms quiet window not counted); each is a median of `--runs` rounds after one round
that is not counted, two answer clicks per round.
"""

from __future__ import annotations

import argparse
import shutil
import statistics
import sys
import tempfile
from pathlib import Path

from playwright.sync_api import Browser, sync_playwright

from bench.browser import CRITERION, RADIO_CHOICES, Tab, first_load, log_tail, new_context, seed, stop, timed
from gcm_guide.content import load_content
from tests.conftest import CHROMIUM, CHROMIUM_ARGS, PASSCODE, AppServer, start_app_server

MAIN_HEADING = ('[data-testid="stMain"] h1', None)
AWAY = "guiding-questions"  # the page each round starts from (the lightest with the menu)


def unlocked_tab(browser: Browser, server: AppServer, public_id: str, page: str) -> Tab:
    """A new browser session on `page` of the workspace, its passcode entered."""
    context = new_context(browser)
    tab, _ = first_load(context, f"{server.url}/{page}?ws={public_id}", "first load", ("input[type=password]", None))
    tab.page.locator("input[type=password]").first.fill(PASSCODE)
    timed(tab, "unlock", lambda: tab.page.get_by_role("button", name="Open").click(), ready=MAIN_HEADING)
    return tab


def compare(checkouts: dict[str, Path], size: int, page: str, runs: int) -> dict[str, dict[str, list[float]]]:
    folder = Path(tempfile.mkdtemp(prefix="gcm-compare-"))
    print(f"building a workspace with {size} stakeholders…", flush=True)
    public_id, _ = seed(f"sqlite:///{folder / 'seed.sqlite3'}", size)
    question = next(c.question for c in load_content().action3.criteria if c.id == CRITERION)
    servers: dict[str, AppServer] = {}
    figures: dict[str, dict[str, list[float]]] = {name: {"open": [], "answer": []} for name in checkouts}
    try:
        for name, checkout in checkouts.items():
            database = folder / f"{name}.sqlite3"
            shutil.copy(folder / "seed.sqlite3", database)
            servers[name] = start_app_server(
                f"sqlite:///{database}", folder / f"{name}.log", command=("-m", "gcm_guide.server"), cwd=checkout
            )
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
            tabs = {name: unlocked_tab(browser, server, public_id, page) for name, server in servers.items()}
            for run in range(runs + 1):
                for name, tab in tabs.items():
                    tab.page.bring_to_front()
                    menu = tab.page.locator('[data-testid="stSidebar"]')
                    timed(tab, f"{name}: away", lambda m=menu: m.locator(f'a[href="{AWAY}"]').first.click())
                    opened = timed(
                        tab,
                        f"{name}: {page}",
                        lambda m=menu: m.locator(f'a[href="{page}"]').first.click(),
                        ready=MAIN_HEADING,
                    )
                    answers = []
                    if page == "setup":
                        radio = tab.page.locator('[data-testid="stRadio"]').filter(has_text=question).first
                        answers = [
                            timed(tab, f"{name}: answer", radio.get_by_text(label, exact=True).click).ms
                            for _, label in RADIO_CHOICES
                        ]
                    if run:
                        figures[name]["open"].append(opened.ms)
                        figures[name]["answer"].extend(answers)
            browser.close()
        return figures
    except Exception:
        for name, server in servers.items():
            print(f"{name} server log:\n{log_tail(server.log)}", file=sys.stderr)
        raise
    finally:
        for server in servers.values():
            stop(server.process)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("before", type=Path)
    parser.add_argument("after", type=Path)
    parser.add_argument("--size", type=int, default=1000)
    parser.add_argument("--page", default="setup")
    parser.add_argument("--runs", type=int, default=8)
    args = parser.parse_args()
    checkouts = {"before": args.before.resolve(), "after": args.after.resolve()}
    for checkout in checkouts.values():
        if not (checkout / "app.py").is_file():
            sys.exit(f"{checkout} holds no checkout of the app (no app.py)")
    figures = compare(checkouts, args.size, args.page, args.runs)
    for name, found in figures.items():
        line = f"{name}: menu → {args.page} {statistics.median(found['open']):.0f} ms"
        if found["answer"]:
            line += f", Action 3 answer {statistics.median(found['answer']):.0f} ms"
        print(f"{line} (at {args.size:,} stakeholders, medians of {args.runs} rounds)")


if __name__ == "__main__":
    main()
