"""The change history (gcm_guide.history) on real SQLite and PostgreSQL: what each store change records, who
made it, that refused writes record nothing, and restoring from it; two people editing the same table cell;
and the history page through the real app with AppTest."""

from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy import func
from sqlmodel import select

from gcm_guide import db, history, history_restore, store, tables
from gcm_guide.errors import Conflict, InputError, NotFound
from gcm_guide.models import ChangeLog
from gcm_guide.tables import STAKEHOLDERS

from .conftest import add_stakeholder, load, make_workspace, open_page
from .test_pages import texts


def codes(error: InputError) -> list[tuple[str, str]]:
    return [(p.field, p.code) for p in error.problems]


def changes(engine, workspace_id: int, entity: str | None = None) -> list[ChangeLog]:
    """The history, oldest first."""
    return list(reversed(db.run_read(engine, history.list_changes, workspace_id=workspace_id, entity=entity)))


def entries(engine, workspace_id: int, entity: str | None = None) -> list[tuple]:
    return [(c.entity, c.action, c.label, c.before, c.after) for c in changes(engine, workspace_id, entity)]


def total(engine) -> int:
    return db.run_read(engine, lambda session: session.exec(select(func.count()).select_from(ChangeLog)).one())


def write(engine, work, **kwargs):
    return db.run_write(engine, work, **kwargs)


@pytest.fixture
def workspace(engine):
    return make_workspace(engine)


# --- What is recorded --------------------------------------------------------------------------------------------
def test_answers_record_their_text_before_and_after(engine, workspace):
    ws = workspace.id
    write(engine, store.save_answer, workspace_id=ws, question_id="policy_sectors", changes={"text": "Health"})
    write(engine, store.save_answer, workspace_id=ws, question_id="policy_sectors", changes={"text": "Health"})
    write(engine, store.save_answer, workspace_id=ws, question_id="policy_sectors", changes={"text": "Labour"})
    assert entries(engine, ws) == [
        ("answer", "create", "policy_sectors", None, {"text": "Health"}),
        ("answer", "update", "policy_sectors", {"text": "Health"}, {"text": "Labour"}),
    ]
    (first, second) = changes(engine, ws)
    assert first.entity_id == second.entity_id and first.actor == ""
    assert first.changed_at <= second.changed_at and second.changed_at.tzinfo is not None


def test_stakeholders_record_creation_only_changed_fields_and_deletion_with_the_plan(engine, workspace):
    ws = workspace.id
    person = add_stakeholder(
        engine, ws, "Ministry of Labour", "policy_sectors", sector="Labour", voices=["migrant_women"]
    )
    write(
        engine,
        store.update_stakeholder,
        workspace_id=ws,
        stakeholder_id=person.id,
        changes={"influence": 4, "sector": "Labour", "voices": ["migrant_women"]},
    )
    write(
        engine,
        store.update_stakeholder,
        workspace_id=ws,
        stakeholder_id=person.id,
        changes={"name": "Ministry of Labour and Social Security"},
    )
    write(
        engine,
        store.save_engagement_plan,
        workspace_id=ws,
        stakeholder_id=person.id,
        changes={"participation_level": "involve", "mechanisms": ["meetings"]},
    )
    write(
        engine,
        store.save_engagement_plan,
        workspace_id=ws,
        stakeholder_id=person.id,
        changes={"participation_level": "collaborate", "mechanisms": ["meetings"]},
    )
    write(engine, store.delete_stakeholder, workspace_id=ws, stakeholder_id=person.id)

    created, scored, renamed, plan_made, plan_changed, deleted = changes(engine, ws)
    assert (created.entity, created.action, created.label, created.entity_id, created.before) == (
        "stakeholder",
        "create",
        "Ministry of Labour",
        person.id,
        None,
    )
    assert created.after["name"] == "Ministry of Labour" and created.after["sector"] == "Labour"
    assert created.after["voices"] == ["migrant_women"] and created.after["influence"] is None
    assert (scored.action, scored.before, scored.after) == ("update", {"influence": None}, {"influence": 4})
    assert (renamed.label, renamed.before, renamed.after) == (
        "Ministry of Labour and Social Security",
        {"name": "Ministry of Labour"},
        {"name": "Ministry of Labour and Social Security"},
    )
    assert (plan_made.entity, plan_made.action, plan_made.label, plan_made.before, plan_made.after) == (
        "engagement_plan",
        "create",
        "Ministry of Labour and Social Security",
        None,
        {"participation_level": "involve", "mechanisms": ["meetings"]},
    )
    assert (plan_changed.action, plan_changed.before, plan_changed.after) == (
        "update",
        {"participation_level": "involve"},
        {"participation_level": "collaborate"},
    )
    assert (deleted.entity, deleted.action, deleted.entity_id, deleted.after) == (
        "stakeholder",
        "delete",
        person.id,
        None,
    )
    assert deleted.before["name"] == "Ministry of Labour and Social Security"
    assert (deleted.before["influence"], deleted.before["sector"]) == (4, "Labour")
    assert deleted.before["plan"]["participation_level"] == "collaborate"
    assert deleted.before["plan"]["mechanisms"] == ["meetings"]


def test_setup_answers_decision_and_checklist_are_recorded(engine, workspace):
    ws = workspace.id
    write(engine, store.save_setup_answer, workspace_id=ws, criterion_id="existing_body", changes={"answer": "yes"})
    write(
        engine,
        store.save_setup_answer,
        workspace_id=ws,
        criterion_id="existing_body",
        changes={"answer": "yes", "note": "PIOJ"},
    )
    write(engine, store.save_setup_decision, workspace_id=ws, changes={"chosen_option": "existing_body"})
    write(engine, store.save_setup_decision, workspace_id=ws, changes={"lead_bodies": "PIOJ"})
    write(
        engine,
        store.save_checklist_entry,
        workspace_id=ws,
        item_id="map_stakeholders",
        changes={"confirmed_status": "done"},
    )
    write(
        engine,
        store.save_checklist_entry,
        workspace_id=ws,
        item_id="map_stakeholders",
        changes={"confirmed_status": None, "notes": "Back to the data"},
    )
    assert entries(engine, ws) == [
        ("setup_answer", "create", "existing_body", None, {"answer": "yes"}),
        ("setup_answer", "update", "existing_body", {"note": ""}, {"note": "PIOJ"}),
        ("setup_decision", "create", "setup_decision", None, {"chosen_option": "existing_body"}),
        ("setup_decision", "update", "setup_decision", {"lead_bodies": ""}, {"lead_bodies": "PIOJ"}),
        ("checklist_entry", "create", "map_stakeholders", None, {"confirmed_status": "done"}),
        (
            "checklist_entry",
            "update",
            "map_stakeholders",
            {"confirmed_status": "done", "notes": ""},
            {"confirmed_status": None, "notes": "Back to the data"},
        ),
    ]


def test_activities_and_roles_record_create_update_and_delete(engine, workspace):
    ws = workspace.id
    activity = write(
        engine,
        store.add_activity,
        workspace_id=ws,
        data={
            "title": "Briefing for line ministries",
            "audience": "government",
            "activity_type": "briefings",
            "starts_on": dt.date(2027, 3, 1),
        },
    )
    write(engine, store.update_activity, workspace_id=ws, activity_id=activity.id, changes={"status": "done"})
    write(engine, store.delete_activity, workspace_id=ws, activity_id=activity.id)
    role = write(engine, store.add_role, workspace_id=ws, data={"body": "PIOJ", "role": "lead"})
    write(engine, store.update_role, workspace_id=ws, role_id=role.id, changes={"reports_to": "Cabinet"})
    write(engine, store.delete_role, workspace_id=ws, role_id=role.id)

    added, done, removed = changes(engine, ws, "activity")
    assert (added.action, added.label, added.entity_id, added.before) == (
        "create",
        "Briefing for line ministries",
        activity.id,
        None,
    )
    assert added.after["starts_on"] == "2027-03-01" and added.after["status"] == "planned"
    assert (done.action, done.before, done.after) == ("update", {"status": "planned"}, {"status": "done"})
    assert (removed.action, removed.after) == ("delete", None)
    assert removed.before["title"] == "Briefing for line ministries" and removed.before["status"] == "done"
    assert removed.before["starts_on"] == "2027-03-01"

    role_added, role_changed, role_removed = changes(engine, ws, "role")
    assert (role_added.action, role_added.label, role_added.after["role"]) == ("create", "PIOJ", "lead")
    assert (role_changed.before, role_changed.after) == ({"reports_to": ""}, {"reports_to": "Cabinet"})
    assert role_removed.action == "delete" and role_removed.before["reports_to"] == "Cabinet"
    assert role_removed.before["body"] == "PIOJ"


def test_the_actor_is_recorded_and_histories_stay_apart(engine, workspace):
    other = make_workspace(engine, "Other team")
    with history.acting_as("someone@example.org"):
        add_stakeholder(engine, workspace.id, "Ministry of Labour", "policy_sectors")
        with history.acting_as("deputy@example.org"):
            add_stakeholder(engine, workspace.id, "Ministry of Health", "policy_sectors")
        add_stakeholder(engine, other.id, "Their body", "media")
    add_stakeholder(engine, workspace.id, "Statistical Institute", "policy_sectors")
    assert [(c.label, c.actor) for c in changes(engine, workspace.id)] == [
        ("Ministry of Labour", "someone@example.org"),
        ("Ministry of Health", "deputy@example.org"),
        ("Statistical Institute", ""),
    ]
    assert [(c.label, c.actor) for c in changes(engine, other.id)] == [("Their body", "someone@example.org")]


def test_a_refused_write_records_nothing(engine, workspace):
    ws = workspace.id
    person = add_stakeholder(engine, ws, "Ministry of Labour", "policy_sectors")
    write(engine, store.save_answer, workspace_id=ws, question_id="policy_sectors", changes={"text": "Health"})
    before = total(engine)
    refused = [
        lambda: add_stakeholder(engine, ws, "ministry of  LABOUR", "media"),
        lambda: add_stakeholder(engine, ws, "Radio", "no_such_group"),
        lambda: write(
            engine, store.update_stakeholder, workspace_id=ws, stakeholder_id=person.id, changes={"influence": 9}
        ),
        lambda: write(
            engine,
            store.save_answer,
            workspace_id=ws,
            question_id="policy_sectors",
            changes={"text": "<script>alert(1)</script>"},
        ),
        lambda: write(engine, store.add_activity, workspace_id=ws, data={"title": "", "audience": "public"}),
        lambda: write(engine, store.add_role, workspace_id=ws, data={"body": "PIOJ", "role": "boss"}),
        lambda: write(
            engine, store.save_checklist_entry, workspace_id=ws, item_id="no_such_item", changes={"notes": "x"}
        ),
        # The first row is valid, the second is not: the batch is refused as a whole.
        lambda: write(
            engine,
            store.add_roles,
            workspace_id=ws,
            rows=[{"body": "Cabinet office", "role": "lead"}, {"body": "", "role": "member"}],
        ),
    ]
    for attempt in refused:
        with pytest.raises(InputError):
            attempt()
    with pytest.raises(Conflict):
        write(
            engine,
            store.save_answer,
            workspace_id=ws,
            question_id="policy_sectors",
            changes={"text": "Stale edit"},
            expected_version=0,
            base={"text": ""},
        )
    assert total(engine) == before
    data = load(engine, ws)
    assert [s.name for s in data.stakeholders] == ["Ministry of Labour"] and data.roles == []


# --- Restoring ----------------------------------------------------------------------------------------------------
def test_a_deleted_stakeholder_comes_back_with_its_fields_and_plan(engine, workspace):
    ws = workspace.id
    person = add_stakeholder(
        engine,
        ws,
        "Réseau des femmes migrantes",
        "civil_society_organizations",
        government_level="local",
        sector="Women's rights",
        influence=2,
        interest=5,
        voices=["migrant_women", "Seasonal workers"],
        role_and_interest="Runs shelters\n\nand hotlines 🌍",
        engagement_status="engaged",
    )
    write(
        engine,
        store.save_engagement_plan,
        workspace_id=ws,
        stakeholder_id=person.id,
        changes={"participation_level": "collaborate", "mechanisms": ["meetings"], "phases": ["planning"]},
    )
    original = load(engine, ws)
    write(engine, store.delete_stakeholder, workspace_id=ws, stakeholder_id=person.id)
    assert load(engine, ws).stakeholders == []
    deleted = changes(engine, ws)[-1]
    assert (deleted.action, deleted.entity) == ("delete", "stakeholder")

    restored = write(engine, history_restore.restore, workspace_id=ws, change_id=deleted.id)
    data = load(engine, ws)
    (back,) = data.stakeholders
    assert back.id == restored.id != person.id
    was = original.stakeholder(person.id)
    fields = [
        "name",
        "group_id",
        "government_level",
        "sector",
        "affected",
        "influence",
        "interest",
        "voices",
        "engagement_status",
        "role_and_interest",
        "proposed_by",
    ]
    assert {f: getattr(back, f) for f in fields} == {f: getattr(was, f) for f in fields}
    plan, old_plan = data.plans[back.id], original.plans[person.id]
    assert (plan.participation_level, plan.mechanisms, plan.phases) == (
        old_plan.participation_level,
        old_plan.mechanisms,
        old_plan.phases,
    )
    # Restoring is itself a change in the history: the new row's creation, then where it came from.
    created, restoring = changes(engine, ws, "stakeholder")[-2:]
    assert (created.action, created.entity_id) == ("create", back.id)
    assert (restoring.action, restoring.entity_id, restoring.after) == (
        "restore",
        back.id,
        {"restored_from_change": deleted.id},
    )


def test_a_deleted_activity_and_role_come_back(engine, workspace):
    ws = workspace.id
    activity = write(
        engine,
        store.add_activity,
        workspace_id=ws,
        data={
            "title": "Radio spots",
            "audience": "public",
            "activity_type": "traditional_media",
            "objective": "Reach rural areas",
            "starts_on": dt.date(2027, 3, 1),
            "ends_on": dt.date(2027, 4, 30),
            "lead": "PIOJ",
            "status": "in_progress",
        },
    )
    role = write(
        engine,
        store.add_role,
        workspace_id=ws,
        data={"body": "PIOJ", "role": "co_lead", "responsibilities": "Secretariat", "reports_to": "Cabinet"},
    )
    write(engine, store.delete_activity, workspace_id=ws, activity_id=activity.id)
    write(engine, store.delete_role, workspace_id=ws, role_id=role.id)
    activity_gone = changes(engine, ws, "activity")[-1]
    role_gone = changes(engine, ws, "role")[-1]

    write(engine, history_restore.restore, workspace_id=ws, change_id=activity_gone.id)
    write(engine, history_restore.restore, workspace_id=ws, change_id=role_gone.id)
    data = load(engine, ws)
    (back,) = data.activities
    assert (back.title, back.audience, back.activity_type, back.objective) == (
        "Radio spots",
        "public",
        "traditional_media",
        "Reach rural areas",
    )
    assert (back.starts_on, back.ends_on, back.lead, back.status) == (
        dt.date(2027, 3, 1),
        dt.date(2027, 4, 30),
        "PIOJ",
        "in_progress",
    )
    (role_back,) = data.roles
    assert (role_back.body, role_back.role, role_back.responsibilities, role_back.reports_to) == (
        "PIOJ",
        "co_lead",
        "Secretariat",
        "Cabinet",
    )


def test_an_answer_gets_its_earlier_text_back(engine, workspace):
    ws = workspace.id
    for words in ("First draft", "Second draft", "Third draft"):
        write(engine, store.save_answer, workspace_id=ws, question_id="policy_sectors", changes={"text": words})
    _, to_second, _ = changes(engine, ws)
    assert to_second.before == {"text": "First draft"}
    write(engine, history_restore.restore, workspace_id=ws, change_id=to_second.id)
    assert load(engine, ws).answer_text("policy_sectors") == "First draft"
    updated, restoring = changes(engine, ws)[-2:]
    assert (updated.action, updated.before, updated.after) == (
        "update",
        {"text": "Third draft"},
        {"text": "First draft"},
    )
    assert (restoring.action, restoring.after) == ("restore", {"restored_from_change": to_second.id})
    assert (history_restore.restored_from(restoring), history_restore.restored_from(updated)) == (to_second.id, None)


def test_restoring_over_a_stakeholder_of_the_same_name_is_refused_and_writes_nothing(engine, workspace):
    ws = workspace.id
    person = add_stakeholder(engine, ws, "Ministry of Labour", "policy_sectors", influence=2)
    write(engine, store.delete_stakeholder, workspace_id=ws, stakeholder_id=person.id)
    deleted = changes(engine, ws)[-1]
    add_stakeholder(engine, ws, "MINISTRY of labour", "policy_sectors", influence=5)
    before = total(engine)
    with pytest.raises(InputError) as error:
        write(engine, history_restore.restore, workspace_id=ws, change_id=deleted.id)
    assert codes(error.value) == [("name", "duplicate_stakeholder")]
    assert total(engine) == before
    assert [(s.name, s.influence) for s in load(engine, ws).stakeholders] == [("MINISTRY of labour", 5)]


def test_only_this_workspaces_restorable_changes_can_be_restored(engine, workspace):
    other = make_workspace(engine, "Other team")
    theirs = add_stakeholder(engine, other.id, "Their body", "media")
    write(engine, store.delete_stakeholder, workspace_id=other.id, stakeholder_id=theirs.id)
    their_deletion = changes(engine, other.id)[-1]
    with pytest.raises(NotFound):
        write(engine, history_restore.restore, workspace_id=workspace.id, change_id=their_deletion.id)
    with pytest.raises(NotFound):
        write(engine, history_restore.restore, workspace_id=workspace.id, change_id=999_999)
    assert load(engine, workspace.id).stakeholders == [] and load(engine, other.id).stakeholders == []

    add_stakeholder(engine, workspace.id, "Ministry of Labour", "policy_sectors")
    write(engine, store.save_answer, workspace_id=workspace.id, question_id="policy_sectors", changes={"text": "x"})
    before = total(engine)
    creations = changes(engine, workspace.id)  # two creations: nothing to restore
    assert [(c.entity, c.action) for c in creations] == [("stakeholder", "create"), ("answer", "create")]
    for change in creations:
        with pytest.raises(InputError) as error:
            write(engine, history_restore.restore, workspace_id=workspace.id, change_id=change.id)
        assert codes(error.value) == [("change", "not_restorable")]
    assert total(engine) == before


def test_the_record_of_a_restore_offers_no_restore_of_its_own(engine, workspace):
    """Restoring twice would add the same stakeholder twice; the history offers it once, on the deletion."""
    ws = workspace.id
    person = add_stakeholder(engine, ws, "Ministry of Labour", "policy_sectors")
    write(engine, store.delete_stakeholder, workspace_id=ws, stakeholder_id=person.id)
    deletion = changes(engine, ws)[-1]
    assert history_restore.is_restorable(deletion)
    write(engine, history_restore.restore, workspace_id=ws, change_id=deletion.id)
    restoring = changes(engine, ws)[-1]
    assert restoring.action == "restore" and not history_restore.is_restorable(restoring)
    before = total(engine)
    with pytest.raises(InputError) as error:
        write(engine, history_restore.restore, workspace_id=ws, change_id=restoring.id)
    assert codes(error.value) == [("change", "not_restorable")]
    assert total(engine) == before


# --- Two people, one cell ---------------------------------------------------------------------------------------------
def test_two_people_editing_the_same_stakeholder_cell_lose_nothing(engine, workspace):
    ws = workspace.id
    person = add_stakeholder(engine, ws, "Ministry of Labour", "policy_sectors", influence=2, sector="Labour")
    add_stakeholder(engine, ws, "Diaspora council", "diasporas")
    rows = tables.rows_for(STAKEHOLDERS, load(engine, ws).stakeholders)  # what my table shows

    # Meanwhile someone else saves another value in the same cell.
    write(engine, store.update_stakeholder, workspace_id=ws, stakeholder_id=person.id, changes={"influence": 5})
    history_before = total(engine)

    mine = tables.read_edits(STAKEHOLDERS, rows, {"edited_rows": {0: {"influence": 3.0}}})
    with pytest.raises(Conflict) as raised:
        write(engine, tables.apply_edits, spec=STAKEHOLDERS, workspace_id=ws, edits=mine)
    conflict = raised.value
    assert (conflict.row_id, conflict.row_label, conflict.field) == (person.id, "Ministry of Labour", "influence")
    assert (conflict.mine, conflict.theirs, conflict.current_version) == (3, 5, 2)
    assert load(engine, ws).stakeholder(person.id).influence == 5  # their value is kept
    assert total(engine) == history_before

    # A change to another cell of the same row still saves over their newer version.
    other_cell = tables.read_edits(STAKEHOLDERS, rows, {"edited_rows": {0: {"sector": "Labour and migration"}}})
    write(engine, tables.apply_edits, spec=STAKEHOLDERS, workspace_id=ws, edits=other_cell)
    saved = load(engine, ws).stakeholder(person.id)
    assert (saved.influence, saved.sector, saved.version) == (5, "Labour and migration", 3)

    # "Keep mine", as the table's conflict box does it: against the version the conflict reported, mine
    # still conflicts if the row moved on again; against the current version it saves.
    keep_mine = {
        "workspace_id": ws,
        STAKEHOLDERS.id_argument: conflict.row_id,
        "changes": {conflict.field: conflict.mine},
    }
    with pytest.raises(Conflict):
        write(engine, STAKEHOLDERS.update, expected_version=conflict.current_version, **keep_mine)
    write(engine, STAKEHOLDERS.update, expected_version=saved.version, **keep_mine)
    assert load(engine, ws).stakeholder(person.id).influence == 3
    assert [(c.before, c.after) for c in changes(engine, ws, "stakeholder")][-3:] == [
        ({"influence": 2}, {"influence": 5}),
        ({"sector": "Labour"}, {"sector": "Labour and migration"}),
        ({"influence": 5}, {"influence": 3}),
    ]


def test_keeping_mine_right_after_the_conflict_saves_it(engine, workspace):
    ws = workspace.id
    person = add_stakeholder(engine, ws, "Ministry of Labour", "policy_sectors", influence=2)
    rows = tables.rows_for(STAKEHOLDERS, load(engine, ws).stakeholders)
    write(engine, store.update_stakeholder, workspace_id=ws, stakeholder_id=person.id, changes={"influence": 5})
    mine = tables.read_edits(STAKEHOLDERS, rows, {"edited_rows": {0: {"influence": 3}}})
    with pytest.raises(Conflict) as raised:
        write(engine, tables.apply_edits, spec=STAKEHOLDERS, workspace_id=ws, edits=mine)
    conflict = raised.value
    write(
        engine,
        STAKEHOLDERS.update,
        workspace_id=ws,
        stakeholder_id=conflict.row_id,
        changes={conflict.field: conflict.mine},
        expected_version=conflict.current_version,
    )
    saved = load(engine, ws).stakeholder(person.id)
    assert (saved.influence, saved.version) == (3, 3)


# --- The page ------------------------------------------------------------------------------------------------------
def test_the_history_page_lists_changes_and_restores_a_deleted_stakeholder(app_db, engine_for_app):
    workspace = make_workspace(engine_for_app, "Kick-off Kingston")
    person = add_stakeholder(engine_for_app, workspace.id, "Ministry of Health", "policy_sectors", influence=4)
    write(
        engine_for_app,
        store.update_stakeholder,
        workspace_id=workspace.id,
        stakeholder_id=person.id,
        changes={"interest": 3},
    )
    write(engine_for_app, store.delete_stakeholder, workspace_id=workspace.id, stakeholder_id=person.id)
    deleted = changes(engine_for_app, workspace.id)[-1]

    at = open_page(app_db, "pages/history.py", workspace.public_id)
    assert not at.exception
    shown = texts(at)
    for line in (
        "Added stakeholder: Ministry of Health",
        "Changed stakeholder: Ministry of Health",
        "Deleted stakeholder: Ministry of Health",
    ):
        assert line in shown
    assert "Owner" in shown
    # Only the deletion can be restored.
    assert [b.key for b in at.button if b.label == "Restore"] == [f"restore_{deleted.id}"]
    at.button(key=f"restore_{deleted.id}").click().run()
    assert not at.exception
    assert "Restored." in texts(at)
    (back,) = load(engine_for_app, workspace.id).stakeholders
    assert (back.name, back.influence, back.interest) == ("Ministry of Health", 4, 3)


def test_the_history_page_shows_twenty_changes_and_then_older_ones_on_request(app_db, engine_for_app):
    workspace = make_workspace(engine_for_app, "Kick-off Kingston")
    for number in range(25):
        add_stakeholder(engine_for_app, workspace.id, f"Body {number:02d}", "policy_sectors")
    at = open_page(app_db, "pages/history.py", workspace.public_id)
    shown = texts(at)
    assert "Added stakeholder: Body 24" in shown and "Added stakeholder: Body 05" in shown
    assert "Added stakeholder: Body 04" not in shown
    next(b for b in at.button if b.label == "Show older changes").click().run()
    shown = texts(at)
    assert "Added stakeholder: Body 00" in shown
    assert not [b for b in at.button if b.label == "Show older changes"]  # nothing older is left


def test_the_history_can_be_filtered_by_every_kind_of_thing_the_store_records():
    from .test_i18n import store_entities

    assert sorted(history.ENTITIES) == sorted(store_entities())


def test_changes_read_as_fields_with_their_values_in_words(engine):
    from gcm_guide.content import load_content

    content = load_content()
    workspace = make_workspace(engine)
    person = add_stakeholder(engine, workspace.id, "Radio Kingston", "media", influence=3, voices=["migrant_women"])
    db.run_write(
        engine,
        store.update_stakeholder,
        workspace_id=workspace.id,
        stakeholder_id=person.id,
        changes={"influence": 5, "group_id": "civil_society_organizations", "government_level": "local"},
    )
    db.run_write(
        engine,
        store.save_setup_answer,
        workspace_id=workspace.id,
        criterion_id="existing_body",
        changes={"answer": "partly"},
    )
    update, created = db.run_read(engine, history.list_changes, workspace_id=workspace.id, entity="stakeholder")
    assert {(c.field, c.before, c.after) for c in history.field_changes(update, content)} == {
        ("Influence (1–5)", "3", "5"),
        ("Stakeholder group", "The media", "Civil society organizations"),
        ("Level of government", None, "Local"),
    }
    shown = {c.field: c.after for c in history.field_changes(created, content)}
    assert shown["Under-represented voices it carries"] == "Migrant women" and "Sector" not in shown
    (answer,) = db.run_read(engine, history.list_changes, workspace_id=workspace.id, entity="setup_answer")
    assert history.subject(answer, content) == "Existing body"
    assert [(c.field, c.after) for c in history.field_changes(answer, content)] == [("Answer", "Partly")]


def test_the_history_page_shows_no_raw_data(app_db, engine_for_app):
    from .conftest import open_page
    from .test_pages import texts

    workspace = make_workspace(engine_for_app, "Readable")
    person = add_stakeholder(engine_for_app, workspace.id, "Radio Kingston", "media", influence=3)
    db.run_write(
        engine_for_app,
        store.update_stakeholder,
        workspace_id=workspace.id,
        stakeholder_id=person.id,
        changes={"influence": 5},
    )
    at = open_page(app_db, "pages/history.py", workspace.public_id)
    shown = texts(at)
    assert "Influence (1–5): 3 → 5" in shown
    assert "{" not in shown and "None" not in shown and "group_id" not in shown
