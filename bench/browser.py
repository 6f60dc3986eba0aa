"""Benchmark: what a person waits for in the browser, from a click (or a page load) until the page is still,
in the real app with 100 / 1,000 / 5,000 stakeholders and in a bare two-page Streamlit app measured in the
same run. Writes a section of docs/benchmarks.md (between `<!-- browser:start -->` and `<!-- browser:end -->`)
and prints it.

Usage: .venv/bin/python -m bench.browser [--sizes 100,1000,5000] [--repeats 5] [--out docs/benchmarks.md]

Method: before an action, a MutationObserver on the page's body records the time of the last DOM mutation;
after the action (the time of its `click` or `focusout` event, taken in the page), the page is still once
the server has reported the end of the script run (its `script_finished` message on the websocket), no
mutation has happened for 700 ms, and no status widget or stale element is on screen. The figure is the
last mutation a person can see minus the action's time; the 700 ms quiet window is not counted. A mutation
inside a `<canvas>` element is not one a person can see (a browser never draws a canvas's children): the
data grid keeps an accessibility copy of its visible rows there and rewrites it ~300 ms after it has drawn.
Those are timed too (`all_ms`) and reported beside the main figures. A first load counts
from the navigation's start (performance.now() == 0). Each figure is a median of `--repeats` runs after one
run that is not counted (it warms the server's caches, as any earlier visitor would have).
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import platform
import shutil
import signal
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import streamlit
from playwright.sync_api import Browser, BrowserContext, Page, sync_playwright
from streamlit.proto.ForwardMsg_pb2 import ForwardMsg

from gcm_guide import access, db, store
from gcm_guide.content import load_content
from gcm_guide.demo import add_demo_workspace
from gcm_guide.navigation import page as page_spec
from gcm_guide.web.text import t_plain

# The server command, the browser's flags and the passcode the browser tests use (importing the test helpers
# only defines their fixtures; nothing runs).
from tests.conftest import CHROMIUM, CHROMIUM_ARGS, PASSCODE, AppServer, start_app_server

ROOT = Path(__file__).resolve().parent.parent

BARE_APP = ROOT / "bench" / "bare_nav_app.py"
DEFAULT_OUT = ROOT / "docs" / "benchmarks.md"
START, END = "<!-- browser:start -->", "<!-- browser:end -->"
HEADING = "## What a person waits for (browser)"

VIEWPORT = {"width": 1366, "height": 900}
QUIET_MS = 700  # no DOM mutation for this long (and nothing running) = still
HIDDEN_SHOWN_MS = 50  # report the hidden mutations' figure where it is this much later than the seen one
STEP_TIMEOUT_S = 90  # one action until still; a slower one is reported as an error, not measured
MENU_PAGES = (
    "guiding-questions",
    "stakeholders",
    "engagement",
    "setup",
    "awareness",
    "checklist",
    "summary",
    "history",
    "workshop",
)
DEEP_LINK_PAGE = "stakeholders"  # the page a first load opens by URL (?ws=...), then unlocks
TEXT_QUESTION = 5  # the guiding question (0-based) typed into; the demo workspace leaves it unanswered
CRITERION = "existing_body"  # the Action 3 criterion whose answer radio is clicked
RADIO_CHOICES = (("yes", "Yes"), ("partly", "Partly"))  # alternated from the demo's "partly": every click saves


# --- In the page -------------------------------------------------------------------------------------------
# A first load: the observer is installed before any of the page's own scripts run (there is no body yet,
# so it watches the whole document); the action is the navigation's start, performance.now() == 0.
# A mutation inside a <canvas> (its fallback content, which is never drawn) is timed apart: `last` is the last
# mutation a person can see, `lastAll` the last of any kind. A canvas's own size and style do show.
WATCH_JS = """
const hidden = (record) => {
  const node = record.target;
  const element = node.nodeType === 1 ? node : node.parentElement;
  if (!element) return false;
  if (record.type === 'attributes' && element.tagName === 'CANVAS') return false;
  return !!element.closest('canvas');
};
const watch = (b, records) => {
  const now = performance.now();
  b.lastAll = now;
  b.mutations += records.length;
  if (records.some((record) => !hidden(record))) b.last = now;
};
"""

INIT_JS = (
    WATCH_JS
    + """
(() => {
  const b = window.__bench = {last: null, lastAll: null, mutations: 0, action: 0};
  b.observer = new MutationObserver((records) => watch(b, records));
  b.observer.observe(document, {subtree: true, childList: true, attributes: true, characterData: true});
})();
"""
)

# Before an action: a fresh observer on the body, and the time of the action's first `eventType` event
# (taken in the capture phase on window, before the app's own handlers).
ARM_JS = (
    """
(eventType) => {
"""
    + WATCH_JS
    + """
  const old = window.__bench || {};
  if (old.observer) old.observer.disconnect();
  if (old.listener) window.removeEventListener(old.eventType, old.listener, true);
  const b = window.__bench = {last: null, lastAll: null, mutations: 0, action: null, eventType};
  b.observer = new MutationObserver((records) => watch(b, records));
  b.observer.observe(document.body, {subtree: true, childList: true, attributes: true, characterData: true});
  b.listener = () => { if (b.action === null) b.action = performance.now(); };
  window.addEventListener(eventType, b.listener, true);
}
"""
)

STATE_JS = """
([selector, text]) => {
  const b = window.__bench || {};
  const shown = (e) => !!(e.offsetWidth || e.offsetHeight || e.getClientRects().length);
  return {
    now: performance.now(),
    last: b.last === undefined ? null : b.last,
    lastAll: b.lastAll === undefined ? null : b.lastAll,
    action: b.action === undefined ? null : b.action,
    mutations: b.mutations || 0,
    busy: !!document.querySelector('[data-testid="stStatusWidget"]'),
    stale: !!document.querySelector('[data-stale="true"]'),
    ready: !selector || [...document.querySelectorAll(selector)].some(
      (e) => shown(e) && (!text || e.innerText.includes(text))),
  };
}
"""

COUNT_JS = """() => [document.querySelectorAll('*').length, document.querySelectorAll('.js-plotly-plot').length]"""


@dataclass
class Sample:
    ms: float  # to the last mutation a person can see
    all_ms: float = 0  # to the last mutation of any kind (a canvas's hidden content included)
    elements: int = 0
    charts: int = 0
    received: int = 0  # bytes over the websocket


@dataclass
class Tab:
    """A browser tab with its instruments: bytes received over the websocket and the script runs the server
    reported finished (full runs and fragment runs apart)."""

    page: Page
    received: int = 0
    runs: int = 0
    fragment_runs: int = 0
    sockets: list = field(default_factory=list)

    @classmethod
    def open(cls, context: BrowserContext) -> Tab:
        page = context.new_page()
        page.set_default_timeout(30_000)
        tab = cls(page)
        page.on("websocket", tab._watch)
        return tab

    def _watch(self, socket: object) -> None:
        self.sockets.append(socket)
        socket.on("framereceived", self._frame)  # type: ignore[attr-defined]

    def _frame(self, payload: bytes | str) -> None:
        data = payload.encode() if isinstance(payload, str) else payload
        self.received += len(data)
        try:
            message = ForwardMsg.FromString(data)
        except Exception:  # noqa: BLE001 - a frame that is not a ForwardMsg counts only as bytes
            return
        if message.WhichOneof("type") == "script_finished":
            if message.script_finished == ForwardMsg.FINISHED_SUCCESSFULLY:
                self.runs += 1
            elif message.script_finished == ForwardMsg.FINISHED_FRAGMENT_RUN_SUCCESSFULLY:
                self.fragment_runs += 1


class NotStill(RuntimeError):
    pass


def wait_still(tab: Tab, what: str, runs_before: int, ready: tuple[str, str | None] | None = None) -> dict:
    """Poll until the page is still (see the module's docstring); return the page's last state."""
    deadline = time.monotonic() + STEP_TIMEOUT_S
    selector, text = ready or (None, None)
    while True:
        state = tab.page.evaluate(STATE_JS, [selector, text])
        # Still means no mutation of any kind for the quiet window, the hidden ones included.
        quiet = state["lastAll"] is not None and state["now"] - state["lastAll"] >= QUIET_MS
        if tab.runs > runs_before and quiet and not state["busy"] and not state["stale"] and state["ready"]:
            if state["action"] is None:
                raise NotStill(f"{what}: the action's event never reached the page")
            return state
        if time.monotonic() > deadline:
            since = None if state["lastAll"] is None else round(state["now"] - state["lastAll"])
            raise NotStill(
                f"{what}: not still after {STEP_TIMEOUT_S} s (script runs finished since the action: "
                f"{tab.runs - runs_before}; status widget shown: {state['busy']}; stale elements: {state['stale']}; "
                f"expected content {selector!r} {text or ''} shown: {state['ready']}; ms since the last mutation: "
                f"{since}; url: {tab.page.url})"
            )
        tab.page.wait_for_timeout(40)


def timed(
    tab: Tab,
    what: str,
    action: Callable[[], object],
    *,
    event: str = "click",
    ready: tuple[str, str | None] | None = None,
    count: bool = False,
) -> Sample:
    """Arm the observer, do `action`, wait until still; the time from the action's event to the last mutation."""
    runs, received, fragments = tab.runs, tab.received, tab.fragment_runs
    tab.page.evaluate(ARM_JS, event)
    action()
    state = wait_still(tab, what, runs, ready)
    if tab.fragment_runs > fragments:
        print(f"    note: a self-refreshing fragment ran during '{what}'", flush=True)
    sample = Sample(
        ms=(state["last"] or state["action"]) - state["action"],
        all_ms=state["lastAll"] - state["action"],
        received=tab.received - received,
    )
    if count:
        sample.elements, sample.charts = tab.page.evaluate(COUNT_JS)
    return sample


def first_load(context: BrowserContext, url: str, what: str, ready: tuple[str, str | None]) -> tuple[Tab, Sample]:
    """Open `url` in a new tab of a fresh context: from the navigation's start until still."""
    context.add_init_script(INIT_JS)
    tab = Tab.open(context)
    tab.page.goto(url, wait_until="commit")
    state = wait_still(tab, what, 0, ready)
    elements, charts = tab.page.evaluate(COUNT_JS)
    return tab, Sample(
        ms=state["last"], all_ms=state["lastAll"], elements=elements, charts=charts, received=tab.received
    )


def median(samples: list[Sample]) -> Sample:
    return Sample(
        ms=statistics.median(s.ms for s in samples),
        all_ms=statistics.median(s.all_ms for s in samples),
        elements=round(statistics.median(s.elements for s in samples)),
        charts=round(statistics.median(s.charts for s in samples)),
        received=round(statistics.median(s.received for s in samples)),
    )


def new_context(browser: Browser) -> BrowserContext:
    # A new context has its own, empty cache: a first load fetches Streamlit's scripts as a first visit does.
    return browser.new_context(viewport=VIEWPORT, locale="en-GB")


# --- Servers -------------------------------------------------------------------------------------------------
def start_bare_server(log: Path, settings_from: Path) -> AppServer:
    """`streamlit run bench/bare_nav_app.py`, started the way the tests start the app (same flags), with the
    settings of `settings_from`/.streamlit/config.toml (an empty folder: Streamlit's defaults)."""
    return start_app_server("", log, command=("-m", "streamlit", "run", str(BARE_APP)), cwd=settings_from)


def stop(process: subprocess.Popen | None) -> None:
    if process is None or process.poll() is not None:
        return
    process.terminate()
    try:
        process.wait(timeout=15)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait(timeout=15)


def log_tail(log: Path, lines: int = 25) -> str:
    try:
        return "\n".join(log.read_text(encoding="utf-8", errors="replace").splitlines()[-lines:])
    except OSError:
        return "(no server log)"


# --- The bare app ----------------------------------------------------------------------------------------------
BARE_HEADINGS = {
    "First page": "Bare app",
    "Second page": "Second page",
    "Table page": "Table page",
    "Criteria page": "Criteria page",
}


def menu_round_trips(tab: Tab, away: str, repeats: int) -> tuple[list[Sample], list[Sample]]:
    """Menu clicks from the bare app's first page to `away` and back, `repeats` times after one round that is
    not counted: the clicks there, and the clicks back."""
    sidebar = tab.page.locator('[data-testid="stSidebar"]')
    there: list[Sample] = []
    back: list[Sample] = []
    for run in range(repeats + 1):
        for title, kept in ((away, there), ("First page", back)):
            sample = timed(
                tab,
                f"bare app: menu → {title}",
                lambda t=title: sidebar.get_by_role("link", name=t).click(),
                ready=("h1", BARE_HEADINGS[title]),
                count=True,
            )
            if run:
                kept.append(sample)
    return there, back


def measure_bare(browser: Browser, folder: Path, repeats: int, settings_from: Path) -> dict[str, Sample]:
    server = start_bare_server(folder / "bare.log", settings_from)
    try:
        loads, radio = [], []
        for run in range(repeats + 1):
            context = new_context(browser)
            try:
                tab, sample = first_load(
                    context, server.url, "bare app: first load", ('[data-testid="stMarkdownContainer"]', "One line")
                )
                if run:
                    loads.append(sample)
            finally:
                if run < repeats:
                    context.close()
        # The last context stays open for the clicks.
        to_second, back_from_second = menu_round_trips(tab, "Second page", repeats)
        menu = to_second + back_from_second
        table, _ = menu_round_trips(tab, "Table page", repeats)  # only the clicks to the table page count
        for run in range(2 * (repeats + 1)):
            option = ("Two", "One")[run % 2]
            radio_option = tab.page.locator('[data-testid="stRadio"]').get_by_text(option, exact=True)
            sample = timed(tab, f"bare app: radio → {option}", radio_option.click, count=True)
            if run > 1:
                radio.append(sample)
        # Action 3's widgets without the app: opening that page, then its first criterion's answers. Measured
        # last: that page sets the wide layout, which then stays with the browser session.
        criteria, _ = menu_round_trips(tab, "Criteria page", repeats)
        sidebar = tab.page.locator('[data-testid="stSidebar"]')
        timed(tab, "bare app: menu → Criteria page", sidebar.get_by_role("link", name="Criteria page").click)
        criterion = tab.page.locator('[data-testid="stRadio"]').first
        criteria_radio = [
            timed(tab, f"bare app: criterion → {label}", criterion.get_by_text(label, exact=True).click, count=True)
            for _, label in RADIO_CHOICES * (repeats + 1)
        ][2:]
        context.close()
        return {
            "first load": median(loads),
            "menu": median(menu),
            "radio": median(radio),
            "table": median(table),
            "criteria": median(criteria),
            "criteria radio": median(criteria_radio),
        }
    except Exception:
        print(f"bare app server log:\n{log_tail(server.log)}", file=sys.stderr)
        raise
    finally:
        stop(server.process)


# --- The real app ----------------------------------------------------------------------------------------------
def seed(url: str, size: int) -> tuple[str, int]:
    """A workspace of `size` stakeholders from the demo helper (answers, plans, set-up answers, activities),
    given the browser tests' passcode; its public id and id."""
    engine = db.open_database(url)
    try:
        workspace = add_demo_workspace(engine, f"Bench {size}", size)
        db.run_write(engine, access.set_first_passcode, public_id=workspace.public_id, passcode=PASSCODE)
        return workspace.public_id, workspace.id
    finally:
        engine.dispose()


def check_saved(url: str, workspace_id: int, question_id: str, text: str, answer: str) -> None:
    """The clicks and the typing were saved (else the figures timed something else)."""
    engine = db.open_database(url)
    try:
        data = db.run_read(engine, store.load_workspace_data, workspace_id=workspace_id)
    finally:
        engine.dispose()
    typed = data.answers.get(question_id)
    if typed is None or typed.text != text:
        raise RuntimeError(f"the typed answer was not saved: {typed.text if typed else None!r} != {text!r}")
    chosen = data.setup_answers.get(CRITERION)
    if chosen is None or chosen.answer != answer:
        raise RuntimeError(f"the radio's answer was not saved: {chosen.answer if chosen else None!r} != {answer!r}")


def go(tab: Tab, pid: str, size: int) -> None:
    """Open a page from the menu, untimed."""
    runs = tab.runs
    tab.page.locator(f'[data-testid="stSidebar"] a[href="{pid}"]').first.click()
    wait_still(tab, f"[{size}] menu → {pid}", runs, ('[data-testid="stMain"] h1', None))


def measure_app(browser: Browser, folder: Path, size: int, repeats: int) -> dict[str, Sample]:
    database = folder / f"app-{size}.sqlite3"
    url = f"sqlite:///{database}"
    print(f"[{size}] building a workspace with {size} stakeholders…", flush=True)
    public_id, workspace_id = seed(url, size)
    content = load_content()
    title = {pid: t_plain(page_spec(pid).title_key) for pid in MENU_PAGES}
    server = start_app_server(url, folder / f"app-{size}.log")
    results: dict[str, list[Sample]] = {}
    main_heading = ('[data-testid="stMain"] h1', None)
    try:
        # First loads by URL, each in a fresh context (a new browser session, which must unlock).
        for run in range(repeats + 1):
            context = new_context(browser)
            try:
                tab, sample = first_load(
                    context,
                    f"{server.url}/{DEEP_LINK_PAGE}?ws={public_id}",
                    f"[{size}] first load",
                    ("input[type=password]", None),
                )
                tab.page.locator("input[type=password]").first.fill(PASSCODE)
                opened = timed(
                    tab,
                    f"[{size}] unlock",
                    lambda p=tab.page: p.get_by_role("button", name="Open").click(),
                    ready=main_heading,
                    count=True,
                )
                if tab.page.locator("input[type=password]").count():
                    raise RuntimeError(f"[{size}] the passcode did not unlock the workspace")
                if run:
                    results.setdefault("first load", []).append(sample)
                    results.setdefault("unlock", []).append(opened)
            finally:
                if run < repeats:
                    context.close()
        print(f"  first load {median(results['first load']).ms:.0f} ms, unlock {median(results['unlock']).ms:.0f} ms")

        # Every page from the menu, round after round (the first round is not counted).
        sidebar = tab.page.locator('[data-testid="stSidebar"]')
        for run in range(repeats + 1):
            for pid in MENU_PAGES:
                sample = timed(
                    tab,
                    f"[{size}] menu → {pid}",
                    lambda p=pid: sidebar.locator(f'a[href="{p}"]').first.click(),
                    ready=main_heading,
                    count=True,
                )
                if not tab.page.url.split("?")[0].endswith(f"/{pid}"):
                    raise RuntimeError(f"[{size}] the menu link to {pid} led to {tab.page.url}")
                if run:
                    results.setdefault(f"page: {pid}", []).append(sample)
        for pid in MENU_PAGES:
            found = median(results[f"page: {pid}"])
            print(
                f"  {title[pid]}: {found.ms:.0f} ms, {found.elements} elements, {charts(found.charts)}, "
                f"{found.received / 1024:.0f} KB",
                flush=True,
            )

        # Action 3: a criterion's answer radio, alternating between two answers, so that each click saves.
        go(tab, "setup", size)
        question = next(c.question for c in content.action3.criteria if c.id == CRITERION)
        radio = tab.page.locator('[data-testid="stRadio"]').filter(has_text=question).first
        for run in range(2 * repeats + 1):  # twice the clicks of a page: one click varies more than a page
            answer, label = RADIO_CHOICES[run % 2]
            sample = timed(tab, f"[{size}] radio → {label}", radio.get_by_text(label, exact=True).click, count=True)
            if run:
                results.setdefault("radio", []).append(sample)
        print(f"  radio {median(results['radio']).ms:.0f} ms", flush=True)

        # A guiding question's answer, saved when the field loses focus (Tab); timed from the blur.
        go(tab, "guiding-questions", size)
        box = tab.page.locator('[data-testid="stTextArea"] textarea').nth(TEXT_QUESTION)
        for run in range(repeats + 1):
            typed = f"Bench answer {run}: ministries, unions and diaspora groups ({time.time_ns()})"
            box.click()
            box.fill(typed)
            tab.page.wait_for_timeout(300)  # the field's own redraws while typing are not part of the save
            sample = timed(tab, f"[{size}] text saved on blur", lambda: box.press("Tab"), event="focusout", count=True)
            if run:
                results.setdefault("text", []).append(sample)
        print(f"  text on blur {median(results['text']).ms:.0f} ms", flush=True)
        tab.page.context.close()
        question_id = content.guiding_questions.questions[TEXT_QUESTION].id
        check_saved(url, workspace_id, question_id, typed, answer)
        return {name: median(samples) for name, samples in results.items()}
    except Exception:
        print(f"app server log ({size} stakeholders):\n{log_tail(server.log)}", file=sys.stderr)
        raise
    finally:
        stop(server.process)


# --- Report ------------------------------------------------------------------------------------------------------
def charts(n: int) -> str:
    return f"{n} chart" if n == 1 else f"{n} charts"


def kb(n: int) -> str:
    return f"{n / 1024 / 1024:.1f} MB" if n >= 1024 * 1024 else f"{n / 1024:.0f} KB"


def write_results(
    out: Path,
    bare: dict[str, Sample],
    bare_tuned: dict[str, Sample],
    app: dict[int, dict[str, Sample]],
    sizes: list[int],
    repeats: int,
    machine: str,
) -> str:
    titles = {pid: t_plain(page_spec(pid).title_key) for pid in MENU_PAGES}
    rows: list[tuple[str, str, str]] = [
        ("first load", f"first load of `/{DEEP_LINK_PAGE}?ws=…` → passcode form", "first load"),
        ("unlock", "enter the passcode, click Open → page still", "menu"),
        *((f"page: {pid}", f"menu → {titles[pid]}", "menu") for pid in MENU_PAGES),
        ("radio", "Action 3: click a criterion's answer (saved)", "radio"),
        ("text", "guiding question: type, then Tab (saved on blur)", "radio"),
    ]
    bare_names = {"first load": "first load", "menu": "menu click", "radio": "radio click"}
    table_floor = bare["table"].ms
    floor_ratio = app[1000]["radio"].ms / bare["criteria radio"].ms if 1000 in app else None
    lines = [
        "| what a person does | bare app | " + " | ".join(f"{s:,} stakeholders" for s in sizes) + " |",
        "|---|---|" + "---|" * len(sizes),
    ]
    for key, label, ref in rows:
        floor = bare[ref].ms
        cells = [f"{app[s][key].ms:.0f} ms (×{app[s][key].ms / floor:.1f})" for s in sizes]
        lines.append(f"| {label} | {bare_names[ref]}: {floor:.0f} ms | " + " | ".join(cells) + " |")
    # The same actions timed to the last mutation of any kind, where that differs: the data grid's hidden rows.
    hidden = [
        "| what a person does | bare app | " + " | ".join(f"{s:,} stakeholders" for s in sizes) + " |",
        "|---|---|" + "---|" * len(sizes),
        f"| menu → a page holding only a 100-row editable table | {bare['table'].ms:.0f} ms → "
        f"{bare['table'].all_ms:.0f} ms | " + " | ".join("—" for _ in sizes) + " |",
    ]
    for key, label, ref in rows:
        if all(app[s][key].all_ms - app[s][key].ms < HIDDEN_SHOWN_MS for s in sizes):
            continue
        cells = [f"{app[s][key].ms:.0f} → {app[s][key].all_ms:.0f} ms" for s in sizes]
        hidden.append(f"| {label} | {bare[ref].ms:.0f} → {bare[ref].all_ms:.0f} ms | " + " | ".join(cells) + " |")
    weight = [
        "| page, when still | " + " | ".join(f"{s:,} stakeholders" for s in sizes) + " |",
        "|---|" + "---|" * len(sizes),
        "| bare app page | "
        + " | ".join(f"{bare['menu'].elements:,} elements · {charts(0)} · {kb(bare['menu'].received)}" for _ in sizes)
        + " |",
    ]
    for key, label in (
        ("first load", f"passcode form (first load, `/{DEEP_LINK_PAGE}`)"),
        *((f"page: {pid}", titles[pid]) for pid in MENU_PAGES),
    ):
        cells = [
            f"{app[s][key].elements:,} elements · {charts(app[s][key].charts)} · {kb(app[s][key].received)}"
            for s in sizes
        ]
        weight.append(f"| {label} | " + " | ".join(cells) + " |")
    body = "\n".join(
        [
            START,
            "",
            f"Measured {dt.date.today().isoformat()} with `bench/browser.py` on {machine}. Sizes: "
            f"{', '.join(f'{s:,}' for s in sizes)} stakeholders (the demo workspace, `gcm_guide.demo`, on a fresh "
            f"SQLite file per size). Medians of {repeats} runs (of {2 * repeats} for a click on an answer, which "
            "varies more), after one run that is not counted.",
            "",
            "Method: Playwright drives Chromium (1366×900) against the real app server and, in the same run, a "
            "bare two-page Streamlit app (`bench/bare_nav_app.py`: title, a horizontal radio, one line of text, "
            "`st.navigation`). Before each action a MutationObserver on the page records the time of the last "
            "DOM mutation; the page is still when the server has reported the script run finished, no mutation "
            f"has happened for {QUIET_MS} ms and no status widget or stale element shows. The figure is the time of "
            "the last mutation a person can see (see below) minus the action's (its `click` or `focusout` event, "
            "taken in the page; a first load "
            "counts from the navigation's start, in a fresh browser context with an empty cache); the quiet "
            "window is not counted. `×` is the ratio to the bare app's figure in the same row. The bare app runs "
            "with Streamlit's default settings, as it comes; with the app's own settings (`.streamlit/config.toml`, "
            "which turns off Streamlit's garbage collection after every run) the same bare app takes "
            f"{bare_tuned['menu'].ms:.0f} ms for a menu click, {bare_tuned['radio'].ms:.0f} ms for a radio click, "
            f"{bare_tuned['table'].ms:.0f} ms to open its table page and {bare_tuned['first load'].ms:.0f} ms to "
            "load.",
            "",
            *lines,
            "",
            f"The same bare app opens a page holding only a title and an editable table (`st.data_editor`, 100 rows, "
            f"8 columns) in {table_floor:.0f} ms (×{table_floor / bare['menu'].ms:.1f} its menu click): the "
            "floor of every page whose job is an editable table (the register, the plan table, the roles and the "
            "awareness plan).",
            "",
            "It also opens a page holding Action 3's widgets as they stand at 1,000 stakeholders (ten criteria, each "
            "a horizontal radio of four answers with a help tooltip and a note; two choosers of 100 of the 722 "
            "government bodies; the recommendation's text; the decision and the work processes; no data, no saves) in "
            f"{bare['criteria'].ms:.0f} ms (×{bare['criteria'].ms / bare['menu'].ms:.1f} its menu click), and a "
            f"click on one of its answers is still after {bare['criteria radio'].ms:.0f} ms "
            f"(×{bare['criteria radio'].ms / bare['radio'].ms:.1f} its one-radio page; with the app's settings "
            f"{bare_tuned['criteria'].ms:.0f} ms and {bare_tuned['criteria radio'].ms:.0f} ms): what Streamlit itself "
            "takes to redraw that page"
            + (
                f". The app's Action 3 answer at 1,000 stakeholders is ×{floor_ratio:.1f} that floor."
                if floor_ratio is not None
                else "."
            ),
            "",
            "Mutations inside a `<canvas>` are not counted above: a browser never draws a canvas's children, and the "
            "data grid keeps there an accessibility copy of its visible rows, which it rewrites about 300 ms after "
            "the grid has drawn. Counted too, the figures become (seen → any mutation; rows where they differ by "
            f"{HIDDEN_SHOWN_MS} ms or more):",
            "",
            *hidden,
            "",
            "What each page puts in the browser, when still: DOM elements (the whole document, menu included), "
            "plotly charts (`.js-plotly-plot`) and bytes received over the websocket for the page's opening "
            "(medians). Tables (`st.dataframe`, `st.data_editor`) draw their cells on a canvas, so their rows add "
            "bytes but hardly any elements. The unlock is a new browser session's first page: it includes "
            "fetching and starting the scripts of what that page draws (the data grid, on the register), which "
            "later page openings reuse.",
            "",
            *weight,
            "",
            "Reproduce: `make bench-browser` (or `.venv/bin/python -m bench.browser --sizes 100,1000,5000`). "
            "This section lies below the hand-written notes, so `bench/run.py` keeps it.",
            "",
            END,
        ]
    )
    text = out.read_text(encoding="utf-8") if out.exists() else "# Benchmarks\n"
    if START in text and END in text:
        before, rest = text.split(START, 1)
        text = before + body + rest.split(END, 1)[1]
    else:
        text = text.rstrip("\n") + f"\n\n{HEADING}\n\n{body}\n"
    out.write_text(text, encoding="utf-8")
    return body


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", default="100,1000,5000")
    parser.add_argument("--repeats", type=int, default=5)
    parser.add_argument("--out", default=str(DEFAULT_OUT))
    args = parser.parse_args()
    sizes = [int(s) for s in args.sizes.split(",")]
    if args.repeats < 1:
        parser.error("--repeats must be at least 1")
    out = Path(args.out)
    if not out.is_absolute():
        out = Path.cwd() / out
    if not Path(CHROMIUM).exists():
        sys.exit(f"Chromium not found at {CHROMIUM}: run scripts/install-system-deps.sh")
    # A `kill` (SIGTERM) unwinds like Ctrl-C, so the servers and the browser are stopped and the folder removed.
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))
    load = os.getloadavg()[0]
    if load > 0.5:
        print(f"warning: load average {load:.2f} before starting; the figures include that contention", flush=True)
    folder = Path(tempfile.mkdtemp(prefix="gcm-bench-browser-"))
    started = time.monotonic()
    try:
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
            try:
                machine = (
                    f"{platform.machine()}, {os.cpu_count()} cores, {platform.platform()}, Python "
                    f"{platform.python_version()}, Streamlit {streamlit.__version__}, Chromium {browser.version} "
                    f"(load average {load:.2f} at the start)"
                )
                # The floor is Streamlit as it comes (the bare app in a folder of its own, no settings); it is
                # measured again with the app's settings, which change what a run costs the server.
                defaults = folder / "streamlit-defaults"
                defaults.mkdir()
                bare = measure_bare(browser, folder, args.repeats, defaults)
                bare_tuned = measure_bare(browser, folder, args.repeats, ROOT)
                for name, found in (("Streamlit's defaults", bare), ("the app's settings", bare_tuned)):
                    print(
                        f"bare app, {name}: first load {found['first load'].ms:.0f} ms, menu click "
                        f"{found['menu'].ms:.0f} ms, radio click {found['radio'].ms:.0f} ms, table page "
                        f"{found['table'].ms:.0f} ms",
                        flush=True,
                    )
                app = {size: measure_app(browser, folder, size, args.repeats) for size in sizes}
            finally:
                browser.close()
        body = write_results(out, bare, bare_tuned, app, sizes, args.repeats, machine)
        print(body)
        print(f"wrote {out} in {(time.monotonic() - started) / 60:.1f} min")
    finally:
        shutil.rmtree(folder, ignore_errors=True)


if __name__ == "__main__":
    main()
