"""Shared fixtures: real databases (a fresh SQLite file or PostgreSQL database per test), workspaces,
AppTest runs of the real app, and one app server plus one browser for the browser tests."""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
import streamlit as st
from playwright.sync_api import Browser, Locator, Page, expect, sync_playwright
from playwright.sync_api import TimeoutError as PlaywrightTimeoutError
from sqlalchemy import Engine, create_engine, make_url, text
from streamlit.testing.v1 import AppTest

from gcm_guide import db, i18n

from .factories import add_stakeholder, answer_setup, load, make_workspace  # noqa: F401 - used by the tests

ROOT = Path(__file__).resolve().parent.parent
APP = str(ROOT / "app.py")
APP_TIMEOUT = 30


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


# --- PostgreSQL ----------------------------------------------------------------------------------------
@pytest.fixture(scope="session")
def postgres_url() -> Iterator[str]:
    """A PostgreSQL server: TEST_DATABASE_URL (as CI sets it) or a throwaway one started here."""
    configured = os.environ.get("TEST_DATABASE_URL")
    if configured:
        yield configured
        return
    # Not under pytest's tmp folder: that is private to this user, and the server runs as `postgres`.
    parent = Path(tempfile.mkdtemp(prefix="gcm-test-pg-"))
    parent.chmod(0o755)
    data_dir = parent / "data"
    try:
        started = subprocess.run(
            [str(ROOT / "scripts" / "start-postgres.sh"), str(data_dir), str(free_port())],
            capture_output=True,
            text=True,
            check=True,
        )
    except (subprocess.CalledProcessError, FileNotFoundError) as exc:
        pytest.fail(
            "PostgreSQL tests need a server: set TEST_DATABASE_URL or install Debian's postgresql "
            f"(scripts/install-system-deps.sh). {getattr(exc, 'stderr', exc)}"
        )
    yield started.stdout.strip()
    pg_ctl = next(Path("/usr/lib/postgresql").glob("*/bin/pg_ctl"))
    runner = ["runuser", "-u", "postgres", "--"] if os.geteuid() == 0 else []
    subprocess.run([*runner, str(pg_ctl), "-D", str(data_dir), "-m", "immediate", "stop"], capture_output=True)
    shutil.rmtree(parent, ignore_errors=True)


def _admin_engine(server_url: str) -> Engine:
    # CREATE/DROP DATABASE cannot run inside a transaction.
    return create_engine(make_url(server_url).set(database="postgres"), isolation_level="AUTOCOMMIT")


@pytest.fixture(scope="session")
def postgres_template(postgres_url: str) -> Iterator[str]:
    """A migrated template database; each test's database is a cheap copy of it."""
    name = f"gcm_template_{uuid.uuid4().hex[:8]}"
    admin = _admin_engine(postgres_url)
    with admin.connect() as connection:
        connection.execute(text(f'CREATE DATABASE "{name}"'))
    template_url = make_url(postgres_url).set(database=name).render_as_string(hide_password=False)
    engine = db.open_database(template_url)
    engine.dispose()
    yield name
    with admin.connect() as connection:
        connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
    admin.dispose()


def new_postgres_database(server_url: str, template: str = "template0") -> tuple[str, Any]:
    """Create a fresh database; return its URL and a function that drops it."""
    name = f"gcm_test_{uuid.uuid4().hex[:12]}"
    admin = _admin_engine(server_url)
    with admin.connect() as connection:
        connection.execute(text(f'CREATE DATABASE "{name}" TEMPLATE "{template}"'))

    def drop() -> None:
        with admin.connect() as connection:
            connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()

    return make_url(server_url).set(database=name).render_as_string(hide_password=False), drop


# --- Databases per test ---------------------------------------------------------------------------------
@pytest.fixture(params=["sqlite", "postgresql"])
def backend(request: pytest.FixtureRequest) -> str:
    return request.param


@pytest.fixture
def database_url(backend: str, tmp_path: Path, request: pytest.FixtureRequest) -> Iterator[str]:
    """The URL of a fresh, empty (unmigrated) database on `backend`."""
    if backend == "sqlite":
        yield f"sqlite:///{tmp_path / 'gcm.sqlite3'}"
        return
    url, drop = new_postgres_database(request.getfixturevalue("postgres_url"))
    yield url
    drop()


@pytest.fixture
def engine(backend: str, tmp_path: Path, request: pytest.FixtureRequest) -> Iterator[Engine]:
    """A migrated, empty database on `backend`."""
    if backend == "sqlite":
        engine = db.open_database(f"sqlite:///{tmp_path / 'gcm.sqlite3'}")
        yield engine
        engine.dispose()
        return
    url, drop = new_postgres_database(
        request.getfixturevalue("postgres_url"), request.getfixturevalue("postgres_template")
    )
    engine = db.open_database(url)
    yield engine
    engine.dispose()
    drop()


@pytest.fixture
def sqlite_engine(tmp_path: Path) -> Iterator[Engine]:
    engine = db.open_database(f"sqlite:///{tmp_path / 'gcm.sqlite3'}")
    yield engine
    engine.dispose()


# --- AppTest ---------------------------------------------------------------------------------------------
@pytest.fixture
def app_db(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[str]:
    """Point the app at a fresh SQLite file (as DATABASE_URL) and return that URL."""
    url = f"sqlite:///{tmp_path / 'app.sqlite3'}"
    monkeypatch.setenv("DATABASE_URL", url)
    yield url
    st.cache_resource.clear()


@pytest.fixture
def engine_for_app(app_db: str) -> Iterator[Engine]:
    """An engine on the app's database, for arranging and checking what the pages show."""
    engine = db.open_database(app_db)
    yield engine
    engine.dispose()


@pytest.fixture
def app(app_db: str) -> AppTest:
    """The real app (app.py and its navigation), not yet run."""
    return AppTest.from_file(APP, default_timeout=APP_TIMEOUT)


OWNER_GRANTS = "_owner_grants"  # gcm_guide.web.session: the workspaces this browser session has unlocked


def open_page(
    app_db: str,
    page_file: str,
    workspace_public_id: str | None,
    *,
    owner: bool = True,
    user: dict[str, Any] | None = None,
) -> AppTest:
    """Run the app on `page_file` with a workspace open, as after following a link with ?ws=...

    `owner`: the session has already entered the workspace's passcode. `user`: what `st.user` says
    (OIDC deployments)."""
    at = AppTest.from_file(APP, default_timeout=APP_TIMEOUT)
    if user is not None:
        at.user = user
    if workspace_public_id:
        at.query_params["ws"] = workspace_public_id
        if owner:
            at.session_state[OWNER_GRANTS] = {workspace_public_id}
    at.run()
    at.switch_page(page_file).run()
    return at


def open_panel(at: AppTest, key: str) -> AppTest:
    """Open a tracked expander (one whose content is drawn only while open), as a click on it would."""
    at.session_state[key] = True
    return at.run()


# --- Browser tests ----------------------------------------------------------------------------------------
CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-dev-shm-usage",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--no-first-run",
]
ARTIFACTS = ROOT / "test-artifacts"


@dataclass
class AppServer:
    url: str
    database_url: str
    process: subprocess.Popen
    log: Path


# How the app is started: the README's command (gcm_guide.server), or Streamlit's own as a deployment might.
SERVER_COMMAND = ("-m", "gcm_guide.server")
PLAIN_STREAMLIT_COMMAND = ("-m", "streamlit", "run", "app.py")


def start_app_server(
    database_url: str,
    log: Path,
    port: int | None = None,
    command: tuple[str, ...] = SERVER_COMMAND,
    cwd: Path = ROOT,
) -> AppServer:
    """Start the app on a free port and wait until it answers its health check. Streamlit reads its settings
    from `cwd`/.streamlit/config.toml."""
    port = port or free_port()
    env = os.environ | {"DATABASE_URL": database_url}
    # The server writes to its own copy of the log's handle; ours is closed once it has started.
    with log.open("ab") as output:
        process = subprocess.Popen(
            [
                sys.executable,
                *command,
                "--server.headless",
                "true",
                "--server.address",
                "127.0.0.1",
                "--server.port",
                str(port),
                "--browser.gatherUsageStats",
                "false",
                "--server.fileWatcherType",
                "none",
            ],
            cwd=cwd,
            env=env,
            stdout=output,
            stderr=subprocess.STDOUT,
        )
    url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"the app server exited early; see {log}")
        try:
            with urllib.request.urlopen(f"{url}/_stcore/health", timeout=1) as response:
                if response.read() == b"ok":
                    return AppServer(url, database_url, process, log)
        except OSError:
            time.sleep(0.2)
    process.kill()
    raise RuntimeError(f"the app server did not start within 60 s; see {log}")


@pytest.fixture(scope="session")
def app_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[AppServer]:
    """One real app server for all browser tests, on its own SQLite file."""
    folder = tmp_path_factory.mktemp("app-server")
    ARTIFACTS.mkdir(exist_ok=True)
    server = start_app_server(f"sqlite:///{folder / 'browser.sqlite3'}", ARTIFACTS / "app-server.log")
    yield server
    server.process.terminate()
    server.process.wait(timeout=10)


@pytest.fixture(scope="session")
def browser() -> Iterator[Browser]:
    """One Chromium for all browser tests (Debian's, driven by Playwright)."""
    if not Path(CHROMIUM).exists():
        pytest.fail(f"Chromium not found at {CHROMIUM}: run scripts/install-system-deps.sh")
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@pytest.fixture
def page(browser: Browser, request: pytest.FixtureRequest) -> Iterator[Page]:
    """A fresh browser context and page; a screenshot of it is kept under test-artifacts/."""
    context = browser.new_context(viewport={"width": 1366, "height": 900}, locale="en-GB")
    page = context.new_page()
    page.set_default_timeout(20_000)
    yield page
    ARTIFACTS.mkdir(exist_ok=True)
    try:
        page.screenshot(path=str(ARTIFACTS / f"{request.node.name}.png"), full_page=True)
    finally:
        context.close()


def settle(page: Page) -> None:
    """Wait until the app has finished its current run."""
    page.wait_for_selector('[data-testid="stApp"]')
    page.wait_for_timeout(300)
    # A run is over when the status widget is gone and no element is still marked stale:
    # stale elements are faded, which axe would report as low contrast.
    page.wait_for_function(
        """() => !document.querySelector('[data-testid="stStatusWidget"]')
              && !document.querySelector('[data-stale="true"]')""",
        timeout=30_000,
    )
    page.wait_for_timeout(200)


def nav(page: Page, path: str) -> None:
    """Follow the sidebar menu's link to a page (by its URL path, e.g. "stakeholders")."""
    page.locator(f'[data-testid="stSidebar"] a[href="{path}"]').first.click()
    settle(page)


def choose_option(page: Page, box: Locator, option: str, *, exact: bool = True) -> None:
    """Pick `option` from a select box, opening it again if the first click did not open it.

    A click that lands while the element re-renders (a rerun finishing) focuses the box
    without opening its list; a person would simply click again.
    """
    choice = page.get_by_role("option", name=option, exact=exact)
    for _ in range(3):
        box.click()
        try:
            choice.wait_for(state="visible", timeout=5_000)
            break
        except PlaywrightTimeoutError:
            page.keyboard.press("Escape")
    choice.click()


def add_stakeholder_in_browser(page: Page, name: str, group: str) -> None:
    """Add a stakeholder through Action 1's form, as a person would."""
    submit = page.get_by_role("button", name=i18n.t("stakeholders.add_submit"))
    form = page.get_by_test_id("stForm").filter(has=submit)
    form.get_by_label(i18n.t("fields.name"), exact=True).fill(name)
    choose_option(page, form.get_by_role("combobox", name=i18n.t("fields.group_id")), group)
    form.get_by_role("button", name=i18n.t("stakeholders.add_submit")).click()
    settle(page)


PASSCODE = "kick-off passcode 2027"  # what the browser tests type as the owner passcode


def create_workspace(page: Page, base_url: str, name: str) -> None:
    """Create a workspace from the home page, as a newcomer would (labels in the test's active language)."""
    page.goto(base_url)
    settle(page)
    submit = page.get_by_role("button", name=i18n.t("home.create.submit"))
    form = page.get_by_test_id("stForm").filter(has=submit)
    form.get_by_label(i18n.t("fields.name"), exact=True).fill(name)
    form.get_by_label(i18n.t("fields.country")).fill("Jamaica")
    passcodes = form.locator("input[type=password]")
    passcodes.nth(0).fill(PASSCODE)
    passcodes.nth(1).fill(PASSCODE)
    submit.click()
    settle(page)
    expect(page.get_by_role("heading", name=i18n.t("nav.guiding_questions"))).to_be_visible()
    # The recovery code is shown once, above the page, until the owner says it is kept.
    notice = page.get_by_text(i18n.t("access.recovery_notice").split("**")[1])
    expect(notice).to_be_visible()
    assert len(page.get_by_test_id("stCode").inner_text().strip()) == 23
    page.get_by_role("button", name=i18n.t("access.recovery_kept")).click()
    settle(page)
    expect(notice).to_have_count(0)


def unlock(page: Page, passcode: str = PASSCODE) -> None:
    """Enter the workspace passcode (a reload starts a new browser session, which must unlock again)."""
    page.locator("input[type=password]").first.fill(passcode)
    page.get_by_role("button", name=i18n.t("access.open"), exact=True).click()
    settle(page)
