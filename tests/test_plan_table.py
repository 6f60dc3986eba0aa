"""Action 2's plan table: rows for the editor, its edits read and saved together (with the same clash checks as
a single field), copying one plan to several stakeholders, and the page's filters and copy control."""

import pytest

from gcm_guide import db, plan_table, store
from gcm_guide.content import load_content
from gcm_guide.errors import Conflict, InputError
from gcm_guide.models import Stakeholder

from .conftest import open_page
from .factories import add_stakeholder, load, make_workspace
from .test_pages import texts

CONTENT = load_content()


def plan(engine, workspace_id, person, **changes):
    return db.run_write(
        engine, store.save_engagement_plan, workspace_id=workspace_id, stakeholder_id=person.id, changes=changes
    )


def rows(engine, workspace_id, selected=frozenset()):
    data = load(engine, workspace_id)
    return plan_table.rows_for(data.stakeholders, data.plans, CONTENT, set(selected))


def test_rows_show_each_stakeholder_with_its_plan_or_an_empty_one(engine):
    workspace = make_workspace(engine)
    labour = add_stakeholder(engine, workspace.id, "Ministry of Labour", "policy_sectors")
    union = add_stakeholder(engine, workspace.id, "Migrant Workers Union", "trade_unions")
    plan(engine, workspace.id, labour, participation_level="involve", mechanisms=["meetings"], phases=["planning"])
    first, second = rows(engine, workspace.id, selected={union.id})
    assert (first["participation_level"], first["mechanisms"], first["plan_version"], first["selected"]) == (
        "involve",
        ["meetings"],
        1,
        False,
    )
    assert (second["participation_level"], second["mechanisms"], second["plan_version"], second["selected"]) == (
        "",
        [],
        0,
        True,
    )
    frame = plan_table.frame_for([first, second])
    assert list(frame.columns) == list(plan_table.COLUMNS) and frame["selected"].tolist() == [False, True]


def test_edits_in_several_rows_are_saved_together_on_the_right_stakeholders(engine):
    workspace = make_workspace(engine)
    people = [add_stakeholder(engine, workspace.id, f"Stakeholder {n}", "media") for n in range(3)]
    shown = rows(engine, workspace.id)
    edits = plan_table.read_edits(
        shown,
        {
            "edited_rows": {
                1: {"participation_level": "consult", "mechanisms": ["dialogues", "meetings"], "selected": True},
                2: {"engagement_status": "engaged", "mediums": ["online"]},
            }
        },
    )
    assert edits.selection == {people[1].id: True}
    assert db.run_write(engine, plan_table.apply_edits, workspace_id=workspace.id, edits=edits) == 2
    data = load(engine, workspace.id)
    assert set(data.plans) == {people[1].id, people[2].id}
    assert (data.plans[people[1].id].participation_level, data.plans[people[1].id].mechanisms) == (
        "consult",
        ["dialogues", "meetings"],
    )
    assert data.plans[people[2].id].mediums == ["online"]
    assert data.stakeholder(people[2].id).engagement_status == "engaged"
    assert data.stakeholder(people[0].id).engagement_status == "identified"


def test_a_tick_alone_saves_nothing(engine):
    workspace = make_workspace(engine)
    person = add_stakeholder(engine, workspace.id, "Radio", "media")
    edits = plan_table.read_edits(rows(engine, workspace.id), {"edited_rows": {0: {"selected": True}}})
    assert edits.empty and edits.selection == {person.id: True}


def test_a_cell_someone_else_changed_meanwhile_is_a_clash_naming_the_row_and_nothing_is_written(engine):
    workspace = make_workspace(engine)
    first = add_stakeholder(engine, workspace.id, "Ministry of Labour", "policy_sectors")
    second = add_stakeholder(engine, workspace.id, "Migrant Workers Union", "trade_unions")
    shown = rows(engine, workspace.id)  # what this user sees
    plan(engine, workspace.id, second, participation_level="inform")  # someone else, meanwhile
    edits = plan_table.read_edits(
        shown, {"edited_rows": {0: {"mechanisms": ["meetings"]}, 1: {"participation_level": "empower"}}}
    )
    with pytest.raises(Conflict) as clash:
        db.run_write(engine, plan_table.apply_edits, workspace_id=workspace.id, edits=edits)
    assert (clash.value.row_label, clash.value.field, clash.value.theirs) == (
        "Migrant Workers Union",
        "participation_level",
        "inform",
    )
    data = load(engine, workspace.id)
    assert first.id not in data.plans and data.plans[second.id].participation_level == "inform"


def test_copying_a_plan_gives_the_ticked_stakeholders_its_level_mechanisms_mediums_and_timing(engine):
    workspace = make_workspace(engine)
    source = add_stakeholder(engine, workspace.id, "Ministry of Labour", "policy_sectors")
    targets = [
        add_stakeholder(engine, workspace.id, f"Municipality {n}", "local_and_regional_authorities") for n in range(3)
    ]
    plan(
        engine,
        workspace.id,
        source,
        participation_level="collaborate",
        mechanisms=["meetings", "advisory_boards"],
        mediums=["in_person"],
        phases=["planning", "review"],
        time_and_resources="Two meetings a year",
    )
    plan(engine, workspace.id, targets[0], participation_level="inform", accessibility_measures="Interpretation")
    copied = db.run_write(
        engine,
        plan_table.copy_plan,
        workspace_id=workspace.id,
        source_id=source.id,
        target_ids=[t.id for t in targets] + [source.id],
    )
    assert copied == 3
    data = load(engine, workspace.id)
    for target in targets:
        copy = data.plans[target.id]
        assert (copy.participation_level, copy.mechanisms, copy.mediums, copy.phases) == (
            "collaborate",
            ["meetings", "advisory_boards"],
            ["in_person"],
            ["planning", "review"],
        )
        assert copy.time_and_resources == ""  # notes are each stakeholder's own
    assert data.plans[targets[0].id].accessibility_measures == "Interpretation"


def test_copying_needs_a_plan_and_ticked_rows(engine):
    workspace = make_workspace(engine)
    source = add_stakeholder(engine, workspace.id, "Ministry of Labour", "policy_sectors")
    other = add_stakeholder(engine, workspace.id, "Radio", "media")
    with pytest.raises(InputError) as error:
        db.run_write(
            engine, plan_table.copy_plan, workspace_id=workspace.id, source_id=source.id, target_ids=[other.id]
        )
    assert [p.code for p in error.value.problems] == ["no_plan_to_copy"]
    plan(engine, workspace.id, source, mechanisms=["meetings"])
    with pytest.raises(InputError) as error:
        db.run_write(engine, plan_table.copy_plan, workspace_id=workspace.id, source_id=source.id, target_ids=[])
    assert [p.code for p in error.value.problems] == ["nothing_selected"]


def test_the_page_filters_the_table_and_copies_a_plan_to_the_ticked_rows(app_db, engine_for_app):
    workspace = make_workspace(engine_for_app, "Plans")
    source = add_stakeholder(engine_for_app, workspace.id, "Ministry of Labour", "policy_sectors")
    plan(engine_for_app, workspace.id, source, participation_level="consult", mechanisms=["consultations"])
    towns = [
        add_stakeholder(engine_for_app, workspace.id, f"Town {n}", "local_and_regional_authorities") for n in range(2)
    ]
    add_stakeholder(engine_for_app, workspace.id, "Radio", "media")
    at = open_page(app_db, "pages/meaningful_engagement.py", workspace.public_id)
    shown = [row["name"] for row in at.session_state["plan_table__rows"]]
    assert shown == ["Ministry of Labour", "Town 0", "Town 1", "Radio"]
    at.toggle(key="plan_table_planless").set_value(True).run()
    assert [row["name"] for row in at.session_state["plan_table__rows"]] == ["Town 0", "Town 1", "Radio"]
    at.multiselect(key="plan_table_groups").set_value(["local_and_regional_authorities"]).run()
    assert [row["name"] for row in at.session_state["plan_table__rows"]] == ["Town 0", "Town 1"]
    # Tick both towns (as the grid's tick column does), choose whose plan to copy, copy.
    at.session_state["plan_table_selected"] = {towns[0].id, towns[1].id}
    at.run()
    at.selectbox(key="plan_table_copy_source").set_value(source.id).run()
    button = at.button(key="plan_table_copy")
    assert button.label == "Copy to the 2 ticked rows" and not button.disabled
    button.click().run()
    assert not at.exception
    assert "Copied the plan to 2 stakeholders." in texts(at)
    plans = load(engine_for_app, workspace.id).plans
    assert {plans[t.id].participation_level for t in towns} == {"consult"}
    # Planned now, the towns leave the "without a plan" view.
    assert [row["name"] for row in at.session_state["plan_table__rows"]] == []


def test_the_detail_chooser_lists_what_a_search_finds_and_always_the_chosen_stakeholder():
    register = [
        Stakeholder(id=n, workspace_id=1, name=name, group_id=group)
        for n, (name, group) in enumerate(
            [
                ("Ministère du Travail", "policy_sectors"),
                ("Migrant Workers Union", "trade_unions"),
                ("City of Kingston", "local_and_regional_authorities"),
                ("Radio Jamaica", "media"),
                ("Returning Residents Association", "diasporas"),
            ],
            start=11,
        )
    ]
    groups = CONTENT.group_names
    # No search: the first stakeholders of the register, and the chosen one wherever it stands.
    assert plan_table.chooser_list(register, groups, 14, "", limit=2) == plan_table.ChooserList([11, 12, 14], 5)
    assert plan_table.chooser_list(register, groups, None, "", limit=2) == plan_table.ChooserList([11, 12], 5)
    # Case and accents aside, in the name or the group's name, every word.
    assert plan_table.chooser_list(register, groups, 14, "MINISTERE", limit=2).ids == [11, 14]
    assert plan_table.chooser_list(register, groups, 11, "trade union", limit=2) == plan_table.ChooserList([11, 12], 1)
    assert plan_table.chooser_list(register, groups, 11, "kingston local", limit=2).ids == [11, 13]
    assert plan_table.chooser_list(register, groups, 11, "kingston media", limit=2).matches == 0
    # Nothing found: the chosen stakeholder stays listed, so the form below does not move.
    assert plan_table.chooser_list(register, groups, 15, "nobody", limit=2) == plan_table.ChooserList([15], 0)
    # A chosen id that is no longer in the register (deleted meanwhile) is not listed.
    assert plan_table.chooser_list(register, groups, 99, "radio", limit=2).ids == [14]


def test_a_long_register_is_searched_before_choosing_and_a_save_lands_on_the_stakeholder_found(app_db, engine_for_app):
    workspace = make_workspace(engine_for_app, "Long register")
    people = [
        add_stakeholder(engine_for_app, workspace.id, f"Association {n}", ("diasporas", "trade_unions")[n % 2])
        for n in range(plan_table.CHOOSER_LIMIT + 3)
    ]
    last = people[-1]
    at = open_page(app_db, "pages/meaningful_engagement.py", workspace.public_id)
    chooser = at.selectbox(key="engagement_selected")
    assert chooser.value == people[0].id and len(chooser.options) == plan_table.CHOOSER_LIMIT
    assert "The list shows the first 100 of 103 stakeholders" in texts(at)
    at.text_input(key="engagement_selected_find").input(f"association {plan_table.CHOOSER_LIMIT + 2}").run()
    chooser = at.selectbox(key="engagement_selected")
    assert chooser.value == people[0].id, "searching moved the form to another stakeholder"
    assert chooser.options == [
        "○ Association 0 — Diasporas (no plan yet)",
        "○ Association 102 — Diasporas (no plan yet)",
    ]
    assert "1 stakeholder found." in texts(at)
    chooser.set_value(last.id).run()
    at.button_group(key=f"eng_{last.id}_plan_participation_level").set_value("involve").run()
    assert not at.exception
    assert {i: p.participation_level for i, p in load(engine_for_app, workspace.id).plans.items()} == {
        last.id: "involve"
    }
    # The search cleared, the stakeholder found stays chosen (listed beyond the first 100).
    at.text_input(key="engagement_selected_find").input("").run()
    chooser = at.selectbox(key="engagement_selected")
    assert chooser.value == last.id and len(chooser.options) == plan_table.CHOOSER_LIMIT + 1
    at.text_input(key="engagement_selected_find").input("<b>nobody</b>").run()
    assert at.selectbox(key="engagement_selected").value == last.id
    assert "No stakeholder’s name or group holds “<b>nobody</b>”." in texts(at)
    assert any("\\<b\\>nobody" in caption.value for caption in at.caption), "the search is shown as text"


def test_a_short_register_lists_everyone_without_a_search(app_db, engine_for_app):
    workspace = make_workspace(engine_for_app, "Short register")
    for n in range(3):
        add_stakeholder(engine_for_app, workspace.id, f"Association {n}", "diasporas")
    at = open_page(app_db, "pages/meaningful_engagement.py", workspace.public_id)
    assert len(at.selectbox(key="engagement_selected").options) == 3
    assert "engagement_selected_find" not in [box.key for box in at.text_input]
