"""Click sequences a person makes, in the real browser, with the database read afterwards: every save lands on
the row the user was looking at."""

import re
import uuid

import pytest
from playwright.sync_api import Locator, Page, expect

from gcm_guide import db, plan_table, recommender, store
from gcm_guide.content import load_content

from .conftest import choose_option, create_workspace, nav, settle, unlock

pytestmark = pytest.mark.browser


def _workspace_data(database_url: str, name: str) -> store.WorkspaceData:
    engine = db.open_database(database_url)
    try:
        workspace = next(w for w in db.run_read(engine, store.list_workspaces) if w.name == name)
        return db.run_read(engine, store.load_workspace_data, workspace_id=workspace.id)
    finally:
        engine.dispose()


def _add_stakeholders(database_url: str, workspace_name: str, names: list[tuple[str, str]]) -> None:
    engine = db.open_database(database_url)
    try:
        workspace = next(w for w in db.run_read(engine, store.list_workspaces) if w.name == workspace_name)
        for name, group in names:
            db.run_write(
                engine, store.add_stakeholder, workspace_id=workspace.id, data={"name": name, "group_id": group}
            )
    finally:
        engine.dispose()


def _choice_button(page: Page, label: str):
    """One option of a segmented control or of pills, by its exact text."""
    return page.locator('[data-testid="stButtonGroup"] button').filter(has_text=re.compile(rf"^{re.escape(label)}$"))


def _click_grid_row(page: Page, grid: Locator, row: int, x: float) -> None:
    """Click a data grid's `row` (0-based) `x` px from its left edge: the grid draws on a canvas, its rows 35 px
    high under a 35 px header."""
    grid.scroll_into_view_if_needed()
    box = grid.bounding_box()
    assert box is not None
    page.mouse.click(box["x"] + x, box["y"] + 35 * (row + 1) + 17)


def test_plan_clicks_on_the_second_stakeholder_all_land_on_it(page: Page, app_server):
    """Choose the second stakeholder without a plan, then click a level, two mechanisms and a medium in a row.

    The plan starts to count as "planned" after the first click; the chooser must stay on the chosen
    stakeholder, and every click must be saved on it and on no other."""
    name = f"Clicks {uuid.uuid4().hex[:6]}"
    create_workspace(page, app_server.url, name)
    _add_stakeholders(
        app_server.database_url,
        name,
        [
            ("Ministry of Labour", "policy_sectors"),
            ("Migrant Workers Union", "trade_unions"),
            ("City of Kingston", "local_and_regional_authorities"),
        ],
    )
    nav(page, "engagement")
    chooser = page.get_by_label("Stakeholder", exact=True)
    choose_option(page, chooser, "Migrant Workers Union", exact=False)
    settle(page)
    page.get_by_role("tab", name="Plan the engagement").click()
    for label in ("Consult", "Consultations", "Dialogues", "Online"):
        _choice_button(page, label).click()
        settle(page)

    data = _workspace_data(app_server.database_url, name)
    by_name = {s.name: s.id for s in data.stakeholders}
    plans = {
        s.name: data.plans[s.id].model_dump(include={"participation_level", "mechanisms", "mediums"})
        for s in data.stakeholders
        if s.id in data.plans
    }
    assert set(plans) == {"Migrant Workers Union"}, f"clicks saved on another stakeholder: {plans}"
    chosen = data.plans[by_name["Migrant Workers Union"]]
    assert chosen.participation_level == "consult"
    assert chosen.mechanisms == ["consultations", "dialogues"]
    assert chosen.mediums == ["online"]
    assert set(data.plans) == {by_name["Migrant Workers Union"]}, "a click was saved on another stakeholder"
    # The screen still shows the chosen stakeholder.
    expect(chooser).to_have_value("● Migrant Workers Union — Trade unions")
    nav(page, "guiding-questions")


_QUICK_LABELS = {
    "involve": "Involve",
    "meetings": "Meetings",
    "partnerships": "Partnerships",
    "in_person": "In-person",
    "surveys": "Surveys",
    "planning": "Planning",
}


def _saved_labels(plan) -> set[str]:
    values = [plan.participation_level, *plan.mechanisms, *plan.mediums, *plan.phases]
    return {_QUICK_LABELS[v] for v in values if v}


def _pressed(page: Page) -> set[str]:
    """The options shown chosen: a pill is a toggle button (aria-pressed), a segment a radio (aria-checked)."""
    chosen = set()
    for label in _QUICK_LABELS.values():
        button = _choice_button(page, label)
        if "true" in (button.get_attribute("aria-pressed"), button.get_attribute("aria-checked")):
            chosen.add(label)
    return chosen


def test_quick_clicks_never_land_on_another_stakeholder(page: Page, app_server):
    """The same clicks without waiting for the page in between: each is saved on the chosen stakeholder or
    refused with a message, and none is saved on another."""
    name = f"Quick clicks {uuid.uuid4().hex[:6]}"
    create_workspace(page, app_server.url, name)
    _add_stakeholders(
        app_server.database_url,
        name,
        [("Ministry of Labour", "policy_sectors"), ("Migrant Workers Union", "trade_unions"), ("Radio", "media")],
    )
    nav(page, "engagement")
    chooser = page.get_by_label("Stakeholder", exact=True)
    choose_option(page, chooser, "Radio", exact=False)
    settle(page)
    page.get_by_role("tab", name="Plan the engagement").click()
    for label in _QUICK_LABELS.values():
        _choice_button(page, label).click()
        page.wait_for_timeout(120)
    # Clicks sent while a run is going are queued for the next run; the page can look still between the two.
    settle(page)
    page.wait_for_timeout(1_000)
    settle(page)

    data = _workspace_data(app_server.database_url, name)
    radio = next(s.id for s in data.stakeholders if s.name == "Radio")
    assert set(data.plans) <= {radio}, "a click was saved on another stakeholder"
    saved = _saved_labels(data.plans[radio])
    # Every click saved; or the page says a click was not saved; or a click the browser sent while the page was
    # redrawn never reached the server, and the page shows it unpressed: what is shown is what is saved.
    told = page.get_by_text("Your last click was not saved").count() > 0
    assert told or _pressed(page) == saved, (saved, _pressed(page))
    expect(chooser).to_have_value(re.compile(r"^● Radio — "))
    # Coming back to the page shows exactly what is saved.
    page.reload()
    settle(page)
    unlock(page)
    choose_option(page, page.get_by_label("Stakeholder", exact=True), "Radio", exact=False)
    settle(page)
    page.get_by_role("tab", name="Plan the engagement").click()
    settle(page)
    assert _pressed(page) == saved


def test_register_cells_edited_in_a_row_land_on_the_rows_and_columns_shown(page: Page, app_server):
    """The register's grid holds only the columns on show: edit the fifth row's interest, then the third row's
    influence twice in a row (columns that come after hidden ones), and read the database back."""
    name = f"Grid {uuid.uuid4().hex[:6]}"
    create_workspace(page, app_server.url, name)
    people = [
        ("Ministry of Labour", "policy_sectors"),
        ("Migrant Workers Union", "trade_unions"),
        ("Passport Agency", "policy_sectors"),
        ("City of Kingston", "local_and_regional_authorities"),
        ("Returning Residents Association", "diasporas"),
        ("Women Migrant Workers Network", "civil_society_organizations"),
    ]
    _add_stakeholders(app_server.database_url, name, people)
    nav(page, "stakeholders")
    grid = page.get_by_test_id("stDataFrame").first

    def type_into(row: int, columns_right: int, value: str) -> None:
        # Click the row's name cell, move right along the shown columns (name, group, level, influence,
        # interest, ...) and type.
        _click_grid_row(page, grid, row, 120)
        page.wait_for_timeout(150)  # the grid selects the cell on its next frame; a person is never faster
        for _ in range(columns_right):
            page.keyboard.press("ArrowRight")
        page.keyboard.type(value)
        page.wait_for_timeout(150)  # typing opens the cell's editor on the next frame, then Enter saves it
        page.keyboard.press("Enter")
        settle(page)

    type_into(4, 4, "3")
    type_into(2, 3, "1")
    type_into(2, 3, "2")
    scores = {s.name: (s.influence, s.interest) for s in _workspace_data(app_server.database_url, name).stakeholders}
    assert scores == {
        "Ministry of Labour": (None, None),
        "Migrant Workers Union": (None, None),
        "Passport Agency": (2, None),
        "City of Kingston": (None, None),
        "Returning Residents Association": (None, 3),
        "Women Migrant Workers Network": (None, None),
    }


def test_a_plan_copied_to_rows_ticked_in_the_grid_lands_on_those_rows(page: Page, app_server):
    """Tick the third and fourth rows of the plan table (a canvas grid), choose whose plan to copy, copy, and read
    the database back: the two ticked rows have the plan, no other row has."""
    name = f"Copy {uuid.uuid4().hex[:6]}"
    create_workspace(page, app_server.url, name)
    people = [
        ("Ministry of Labour", "policy_sectors"),
        ("Migrant Workers Union", "trade_unions"),
        ("City of Kingston", "local_and_regional_authorities"),
        ("Returning Residents Association", "diasporas"),
        ("Women Migrant Workers Network", "civil_society_organizations"),
    ]
    _add_stakeholders(app_server.database_url, name, people)
    ministry = next(s for s in _workspace_data(app_server.database_url, name).stakeholders if s.name == people[0][0])
    engine = db.open_database(app_server.database_url)
    try:
        db.run_write(
            engine,
            store.save_engagement_plan,
            workspace_id=ministry.workspace_id,
            stakeholder_id=ministry.id,
            changes={"participation_level": "consult", "mechanisms": ["consultations"]},
        )
    finally:
        engine.dispose()
    nav(page, "engagement")
    source = page.get_by_label("Copy the plan of", exact=True)
    copy = page.get_by_role("button", name="Copy to the ticked rows")
    expect(copy).to_be_disabled()

    grid = page.get_by_test_id("stDataFrame").first
    for row in (2, 3):  # the tick column comes first
        _click_grid_row(page, grid, row, 37)
        settle(page)
    choose_option(page, source, "Ministry of Labour")
    settle(page)
    page.get_by_role("button", name="Copy to the 2 ticked rows").click()
    settle(page)
    expect(page.get_by_text("Copied the plan to 2 stakeholders.")).to_be_visible()

    data = _workspace_data(app_server.database_url, name)
    levels = {s.name: data.plans[s.id].participation_level for s in data.stakeholders if s.id in data.plans}
    assert levels == {
        "Ministry of Labour": "consult",
        "City of Kingston": "consult",
        "Returning Residents Association": "consult",
    }
    # Copied, the ticks are cleared: nothing more to copy to.
    expect(copy).to_be_disabled()


def test_a_stakeholder_found_by_search_in_a_long_register_gets_the_clicks(page: Page, app_server):
    """A register longer than the chooser lists: search for the last stakeholder, choose it, click a level and a
    mechanism, clear the search, click a medium; every click is saved on that stakeholder and on no other."""
    name = f"Long {uuid.uuid4().hex[:6]}"
    create_workspace(page, app_server.url, name)
    count = plan_table.CHOOSER_LIMIT + 3
    groups = ("diasporas", "trade_unions")
    _add_stakeholders(app_server.database_url, name, [(f"Association {n}", groups[n % 2]) for n in range(count)])
    nav(page, "engagement")
    wanted = f"Association {count - 1}"
    find = page.get_by_label("Find a stakeholder", exact=True)
    find.fill(wanted.lower())
    find.press("Enter")
    settle(page)
    expect(page.get_by_text("1 stakeholder found.")).to_be_visible()
    chooser = page.get_by_label("Stakeholder", exact=True)
    choose_option(page, chooser, wanted, exact=False)
    settle(page)
    page.get_by_role("tab", name="Plan the engagement").click()
    for label in ("Consult", "Consultations"):
        _choice_button(page, label).click()
        settle(page)
    find.fill("")
    find.press("Enter")
    settle(page)
    _choice_button(page, "Online").click()
    settle(page)

    data = _workspace_data(app_server.database_url, name)
    plans = {
        s.name: data.plans[s.id].model_dump(include={"participation_level", "mechanisms", "mediums"})
        for s in data.stakeholders
        if s.id in data.plans
    }
    assert plans == {wanted: {"participation_level": "consult", "mechanisms": ["consultations"], "mediums": ["online"]}}
    expect(chooser).to_have_value(f"● {wanted} — Diasporas")
    nav(page, "guiding-questions")


def test_a_body_typed_beyond_a_long_list_and_a_body_chosen_from_it_land_on_their_own_answers(page: Page, app_server):
    """A register with more government bodies than a set-up answer's chooser lists: type the name of one it does
    not list for the first criterion, choose a listed one for another; each is saved on its own answer."""
    name = f"Bodies {uuid.uuid4().hex[:6]}"
    create_workspace(page, app_server.url, name)
    count = recommender.BODY_CHOOSER_LIMIT + 2
    bodies = [(f"Ministry {n}", "policy_sectors") for n in range(count)]
    _add_stakeholders(app_server.database_url, name, [*bodies, ("Parish Council 7", "local_and_regional_authorities")])
    nav(page, "setup")
    criteria = {criterion.id: criterion for criterion in load_content().action3.criteria}
    for criterion_id in ("existing_body", "interagency_working_group"):
        page.get_by_role("radiogroup", name=criteria[criterion_id].question).get_by_text("Yes", exact=True).click()
        settle(page)
    listed = f"The list shows 100 of the register’s {count + 1} government bodies"
    expect(page.get_by_text(listed).first).to_be_visible()
    typed = page.get_by_role("combobox", name=criteria["existing_body"].body_prompt)
    typed.click()
    page.keyboard.type("Parish Council 7")
    page.keyboard.press("Enter")
    settle(page)
    chosen = page.get_by_role("combobox", name=criteria["interagency_working_group"].body_prompt)
    chosen.click()
    page.keyboard.type("ministry 42")  # the list is long: narrowed by typing, as a person would
    page.get_by_role("option", name="Ministry 42", exact=True).click()
    settle(page)

    answers = _workspace_data(app_server.database_url, name).setup_answers
    assert {c: (a.answer, a.body) for c, a in answers.items()} == {
        "existing_body": ("yes", "Parish Council 7"),
        "interagency_working_group": ("yes", "Ministry 42"),
    }
    expect(typed).to_have_value("Parish Council 7")
    expect(chosen).to_have_value("Ministry 42")
    nav(page, "guiding-questions")
