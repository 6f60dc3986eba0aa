"""Load test: a room of 40 against the real app server, with the presenter screen open in Chromium.

Forty simulated participants join within the first 20 seconds and then, over one minute, each sends two
answers to the projected question and proposes one stakeholder, through the participants' own code path
(gcm_guide.participants, on the database the server uses: what a phone's click runs on the server). The
presenter window is opened with the read-only presenter link; a MutationObserver in it notes when each answer
first appears on the screen. Meanwhile the facilitator filters the console's queue every 5 s, timed from the
click until the console has finished its run. Reported: what was lost or duplicated (both must be none),
the presenter's delay from an answer being sent to it being on the projected screen (median, p95, max;
target p95 at most 2 s), and the console's time per click.

Usage: .venv/bin/python -m bench.workshop_load [--participants 40] [--seconds 60]
"""

from __future__ import annotations

import argparse
import random
import statistics
import sys
import tempfile
import threading
import time
from pathlib import Path

from playwright.sync_api import sync_playwright

from gcm_guide import access, db, participants, workshop
from gcm_guide.models import Contribution
from tests.conftest import CHROMIUM, CHROMIUM_ARGS, PASSCODE, start_app_server

ROOT = Path(__file__).resolve().parent.parent

WATCH = """() => {
    window.__seen = {};
    const note = () => {
        for (const card of document.querySelectorAll('.st-key-room_answers p')) {
            const text = card.innerText.trim();
            if (text.startsWith('Answer ') && !(text in window.__seen)) window.__seen[text] = Date.now();
        }
    };
    new MutationObserver(note).observe(document.body, {subtree: true, childList: true, characterData: true});
    note();
}"""

GROUPS = ["academia", "trade_unions", "private_sector", "civil_society_organizations", "local_communities"]


def _percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(share * (len(ordered) - 1)))]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--participants", type=int, default=40)
    parser.add_argument("--seconds", type=int, default=60)
    arguments = parser.parse_args()

    folder = Path(tempfile.mkdtemp(prefix="gcm-room-"))
    url = f"sqlite:///{folder}/room.sqlite3"
    engine = db.open_database(url)
    workspace = db.run_write(
        engine, access.create_protected_workspace, data={"name": "National consultation"}, passcode=PASSCODE
    )
    live = db.run_write(engine, workshop.open_session, workspace_id=workspace.id)
    token = db.run_write(engine, workshop.new_presenter_link, workspace_id=workspace.id)
    server = start_app_server(url, folder / "server.log")
    sent: dict[str, float] = {}  # answer text -> when it was committed (epoch ms)
    refused: list[str] = []
    guard = threading.Lock()

    def participant(number: int, start: float) -> None:
        rng = random.Random(number)
        time.sleep(rng.uniform(0, 20))
        credential = db.run_write(
            engine, participants.join, code=live.code, data={"display_name": f"Participant {number}"}
        )
        plan = [("answer", 1), ("stakeholder", 0), ("answer", 2)]
        for kind, index in plan:
            time.sleep(max(0.0, rng.uniform(5, (arguments.seconds - 20) / len(plan))))
            try:
                if kind == "answer":
                    text = f"Answer {number}-{index} from the floor"
                    db.run_write(
                        engine,
                        participants.propose_answer,
                        credential=credential,
                        question_id="government_bodies",
                        text=text,
                    )
                    with guard:
                        sent[text] = time.time() * 1000
                else:
                    db.run_write(
                        engine,
                        participants.propose_stakeholder,
                        credential=credential,
                        data={"name": f"Proposal of participant {number}", "group_id": GROUPS[number % 5]},
                    )
            except Exception as exc:  # noqa: BLE001 - every refusal is reported below
                with guard:
                    refused.append(f"{number}/{kind}: {exc}")

    console_loads: list[float] = []
    try:
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
            screen = browser.new_page(viewport={"width": 1280, "height": 720})
            screen.goto(f"{server.url}/presenter?show={token}")
            screen.wait_for_selector("text=Question 1", timeout=60_000)
            screen.evaluate(WATCH)
            console = browser.new_page(viewport={"width": 1366, "height": 900})
            console.goto(f"{server.url}/workshop?ws={workspace.public_id}")
            console.wait_for_selector("input[type=password]", timeout=60_000)
            console.locator("input[type=password]").first.fill(PASSCODE)
            console.get_by_role("button", name="Open", exact=True).click()
            try:
                console.wait_for_selector("text=Waiting for you", timeout=60_000)
            except Exception:
                console.screenshot(path=str(folder / "console.png"), full_page=True)
                print("console screenshot:", folder / "console.png")
                raise

            start = time.time()
            people = [threading.Thread(target=participant, args=(n, start)) for n in range(arguments.participants)]
            for person in people:
                person.start()
            shown = iter(["Answers", "Stakeholders", "Everything"] * 100)
            while any(person.is_alive() for person in people):
                # The facilitator filters the queue: from the click until the console has finished its run.
                began = time.perf_counter()
                console.locator('[data-testid="stButtonGroup"] button').filter(has_text=next(shown)).first.click()
                console.wait_for_timeout(100)
                console.wait_for_function(
                    """() => !document.querySelector('[data-testid="stStatusWidget"]')
                          && !document.querySelector('[data-stale="true"]')""",
                    timeout=60_000,
                )
                console_loads.append(time.perf_counter() - began)
                time.sleep(5)
            screen.wait_for_timeout(6_000)  # the last answers' way to the screen
            seen: dict[str, float] = screen.evaluate("() => window.__seen")
            browser.close()
    finally:
        server.process.terminate()

    stored = db.run_read(
        engine,
        lambda *, session: list(
            session.exec(Contribution.__table__.select().where(Contribution.session_id == live.id)).all()
        ),
    )
    texts = [row.payload.get("text") or row.payload.get("name") for row in stored]
    expected = arguments.participants * 3 - len(refused)
    delays = [seen[text] - when for text, when in sent.items() if text in seen]
    print("| participants | contributions sent | stored | duplicated | refused | answers seen on the screen |")
    print("|---|---|---|---|---|---|")
    print(
        f"| {arguments.participants} | {expected} | {len(stored)} | {len(texts) - len(set(texts))} | {len(refused)} | "
        f"{len(delays)} of {len(sent)} |"
    )
    print()
    print("| presenter: sent → on the screen | median | p95 | max |")
    print("|---|---|---|---|")
    if delays:
        print(
            f"| {len(delays)} answers | {statistics.median(delays) / 1000:.1f} s | "
            f"{_percentile(delays, 0.95) / 1000:.1f} s | {max(delays) / 1000:.1f} s |"
        )
    print()
    print(
        f"Console: the queue filtered {len(console_loads)} times during the load, click to a finished run: median "
        f"{statistics.median(console_loads):.1f} s, max {max(console_loads):.1f} s."
    )
    for line in refused[:5]:
        print("refused:", line)
    return 0


if __name__ == "__main__":
    sys.exit(main())
