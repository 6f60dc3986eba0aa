"""Snapshots in the real browser: take one, change the register, and see the change in the comparison."""

import uuid

import pytest
from playwright.sync_api import Page, expect

from gcm_guide import db, store

from .conftest import ARTIFACTS, add_stakeholder_in_browser, create_workspace, nav, settle

pytestmark = pytest.mark.browser


def _add_stakeholder(database_url: str, workspace_name: str, name: str, group: str) -> None:
    engine = db.open_database(database_url)
    try:
        workspace = next(w for w in db.run_read(engine, store.list_workspaces) if w.name == workspace_name)
        db.run_write(engine, store.add_stakeholder, workspace_id=workspace.id, data={"name": name, "group_id": group})
    finally:
        engine.dispose()


def test_take_a_snapshot_change_the_register_and_see_the_new_stakeholder_added(page: Page, app_server):
    name = f"Snapshots {uuid.uuid4().hex[:6]}"
    create_workspace(page, app_server.url, name)
    nav(page, "stakeholders")
    add_stakeholder_in_browser(page, "Ministry of Labour", "Various policy sectors")

    nav(page, "snapshots")
    expect(page.get_by_text("Take a snapshot first")).to_be_visible()
    form = page.get_by_test_id("stForm")
    form.get_by_label("Name", exact=True).fill("Kick-off workshop")
    form.get_by_label("Note (optional)").fill("Before the room met")
    form.get_by_role("button", name="Take snapshot").click()
    settle(page)
    expect(page.get_by_text("Snapshot “Kick-off workshop” taken.")).to_be_visible()

    # Someone else adds to the register meanwhile (as in test_browser_clicks: straight into the database).
    _add_stakeholder(app_server.database_url, name, "Women Migrants Network", "diasporas")

    nav(page, "snapshots")
    expect(page.get_by_text("1 stakeholder added")).to_be_visible()
    expect(page.get_by_text("Women Migrants Network (Diasporas)")).to_be_visible()
    expect(page.get_by_text("0 stakeholders removed")).to_be_visible()
    # The whole page for a person to look at (Streamlit scrolls inside the page, so a tall window shows it all).
    page.set_viewport_size({"width": 1366, "height": 3400})
    settle(page)
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "snapshots-page.png"))
