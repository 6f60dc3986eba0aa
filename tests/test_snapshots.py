"""Snapshots: taking and listing them on both databases, comparing two moments, carrying them through a backup,
the automatic one when a workshop session closes, the upgrade that adds them, and their page."""

from __future__ import annotations

import datetime as dt
import json

import pytest
from sqlalchemy import text

from gcm_guide import backup, db, restore, reviews, snapshots, store, workshop
from gcm_guide.content import load_content
from gcm_guide.errors import InputError, NotFound
from gcm_guide.models import (
    ChecklistEntry,
    EngagementPlan,
    SetupDecision,
    Stakeholder,
    Workspace,
)
from gcm_guide.workspace_data import WorkspaceData

from .conftest import add_stakeholder, load, make_workspace, open_page
from .factories import row_counts
from .test_pages import texts

CONTENT = load_content()


# --- compare: pure, on plain data -----------------------------------------------------------------------------------
def person(id: int, name: str, group: str = "policy_sectors", **fields) -> Stakeholder:
    return Stakeholder(id=id, name=name, group_id=group, **{"voices": [], "engagement_status": "identified"} | fields)


def moment(people, plans=None, option=None, leads="", custom_voices=()) -> WorkspaceData:
    data = WorkspaceData(workspace=Workspace(id=1, name="W", custom_voices=list(custom_voices)))
    data.stakeholders = list(people)
    data.plans = {sid: EngagementPlan(stakeholder_id=sid, **plan) for sid, plan in (plans or {}).items()}
    data.decision = SetupDecision(chosen_option=option, lead_bodies=leads) if option or leads else None
    return data


def test_a_renamed_stakeholder_is_renamed_not_removed_and_added():
    then = moment([person(1, "Ministry of Labour"), person(2, "Trade Union Congress", "trade_unions")])
    now = moment(
        [person(1, "Ministry of Labour and Social Security"), person(2, "Trade Union Congress", "trade_unions")]
    )
    result = snapshots.compare(then, now, CONTENT)
    assert result.renamed == (snapshots.Renamed(1, "Ministry of Labour", "Ministry of Labour and Social Security"),)
    assert result.added == () and result.removed == ()
    assert not result.unchanged
    assert snapshots.renamed_lines(result.renamed) == ["Ministry of Labour → Ministry of Labour and Social Security"]


def test_additions_and_deletions_are_matched_by_id_not_by_position():
    then = moment([person(1, "A"), person(2, "B", "media"), person(3, "C")])
    now = moment([person(1, "A"), person(3, "C"), person(7, "New body", "academia")])
    result = snapshots.compare(then, now, CONTENT)
    assert [p.name for p in result.removed] == ["B"]
    assert [(p.id, p.name, p.group_id) for p in result.added] == [(7, "New body", "academia")]
    assert result.renamed == ()
    assert snapshots.person_lines(result.added, CONTENT) == ["New body (Academia)"]
    # Media had only B: it is no longer covered; academia is covered since.
    assert result.groups.lost == ("media",) and result.groups.gained == ("academia",)


def test_a_deleted_stakeholder_brought_back_under_a_new_id_is_the_same_body():
    then = moment([person(1, "Red Cross", "civil_society_organizations", influence=3, interest=4)])
    now = moment([person(9, "red  cross", "civil_society_organizations", influence=3, interest=4)])
    result = snapshots.compare(then, now, CONTENT)
    assert (result.added, result.removed) == ((), ())
    assert result.renamed == (snapshots.Renamed(9, "Red Cross", "red  cross"),)


def test_moves_on_the_grid_say_from_where_to_where_and_the_quadrant_change():
    then = moment(
        [
            person(1, "Ministry", influence=2, interest=2),
            person(2, "Union", "trade_unions", influence=4, interest=4),
            person(3, "Unscored", "media"),
            person(4, "Still", "academia", influence=5, interest=1),
        ]
    )
    now = moment(
        [
            person(1, "Ministry", influence=5, interest=4),
            person(2, "Union", "trade_unions", influence=4, interest=5),
            person(3, "Unscored", "media", influence=1, interest=5),
            person(4, "Still", "academia", influence=5, interest=1),
        ]
    )
    result = snapshots.compare(then, now, CONTENT)
    moves = {m.name: m for m in result.moved}
    assert set(moves) == {"Ministry", "Union", "Unscored"}
    assert (moves["Ministry"].quadrant_before, moves["Ministry"].quadrant_after) == ("monitor", "manage_closely")
    assert moves["Unscored"].influence_before is None
    lines = snapshots.move_lines(result.moved)
    assert "Ministry: influence 2 → 5, interest 2 → 4 (Monitor → Manage closely)" in lines
    assert "Union: influence 4 → 4, interest 4 → 5" in lines
    assert "Unscored: placed at influence 1, interest 5 (Keep informed)" in lines


def test_plan_and_status_changes_are_listed_in_words():
    then = moment(
        [person(1, "Ministry"), person(2, "Union", "trade_unions", engagement_status="contacted")],
        plans={1: {"participation_level": "inform", "mechanisms": ["meetings"]}},
    )
    now = moment(
        [person(1, "Ministry"), person(2, "Union", "trade_unions", engagement_status="partner")],
        plans={
            1: {"participation_level": "collaborate", "mechanisms": ["meetings"]},
            2: {"participation_level": "consult"},
        },
    )
    result = snapshots.compare(then, now, CONTENT)
    assert [(c.name, [d.field for d in c.changes]) for c in result.plan_changes] == [
        ("Ministry", ["participation_level"]),
        ("Union", ["participation_level"]),
    ]
    assert result.status_changes == (snapshots.FieldDiff("Union", "contacted", "partner"),)
    assert result.plans.gained == ("Union",) and (result.plans.before, result.plans.after) == (1, 2)
    rows = snapshots.plan_status_rows(result, CONTENT)
    assert ("Union", "Engagement status", "Contacted", "Partner") in rows
    assert ("Ministry", "Intended level of participation", "Inform", "Collaborate") in rows
    assert ("Union", "Intended level of participation", "(empty)", "Consult") in rows
    assert not any("None" in cell for row in rows for cell in row)


def test_the_set_up_decision_then_and_now():
    then = moment([], option=None)
    now = moment([], option="existing_body", leads="Inter-ministerial committee")
    result = snapshots.compare(then, now, CONTENT)
    lines = snapshots.decision_lines(result, CONTENT)
    assert lines[0].startswith("Chosen set-up: not decided → ")
    assert lines[1] == "Lead bodies: (empty) → Inter-ministerial committee"
    same = snapshots.compare(now, now, CONTENT)
    assert same.unchanged
    assert snapshots.decision_lines(same, CONTENT)[0].endswith("(unchanged)")


def test_voice_coverage_then_and_now_includes_the_teams_own_voices():
    then = moment([person(1, "Network", "diasporas", voices=["migrant_women"])])
    now = moment([person(1, "Network", "diasporas", voices=["Seasonal workers"])], custom_voices=["Seasonal workers"])
    result = snapshots.compare(then, now, CONTENT)
    assert result.voices.gained == ("Seasonal workers",) and result.voices.lost == ("Migrant women",)
    assert (result.voices.total_before, result.voices.total_after) == (4, 5)
    lines = snapshots.coverage_lines(result, CONTENT)
    assert "Voices carried: 1 of 4 then, 1 of 5 now" in lines
    assert "Voices no longer carried: Migrant women" in lines


# --- take, list, read: on SQLite and PostgreSQL ---------------------------------------------------------------------
def test_take_and_list_snapshots(engine):
    workspace = make_workspace(engine)
    ministry = add_stakeholder(engine, workspace.id, "Ministry of Labour", "policy_sectors", influence=2, interest=3)
    first = db.run_write(
        engine, snapshots.take, workspace_id=workspace.id, name="  Kick-off   workshop ", note="Before the room"
    )
    db.run_write(
        engine,
        store.update_stakeholder,
        workspace_id=workspace.id,
        stakeholder_id=ministry.id,
        changes={"name": "Ministry of Labour and Social Security", "influence": 4},
    )
    add_stakeholder(engine, workspace.id, "Women Migrants Network", "diasporas", voices=["migrant_women"])
    second = db.run_write(engine, snapshots.take, workspace_id=workspace.id, name="A year later", author="Amina")

    listed = db.run_read(engine, snapshots.list_snapshots, workspace_id=workspace.id)
    assert [(s.name, s.note, s.author, s.kind) for s in listed] == [
        ("Kick-off workshop", "Before the room", "", "manual"),
        ("A year later", "", "Amina", "manual"),
    ]
    assert listed[0].counts["stakeholders"] == 1 and listed[1].counts["voices_carried"] == 1
    assert listed[0].created_at.tzinfo is not None

    then = db.run_read(engine, snapshots.load_snapshot_data, workspace_id=workspace.id, snapshot_id=first.id)
    result = snapshots.compare(then, load(engine, workspace.id), CONTENT)
    assert [r.after for r in result.renamed] == ["Ministry of Labour and Social Security"]
    assert [p.name for p in result.added] == ["Women Migrants Network"]
    assert (
        snapshots.compare(
            then,
            db.run_read(engine, snapshots.load_snapshot_data, workspace_id=workspace.id, snapshot_id=second.id),
            CONTENT,
        )
        .moved[0]
        .influence_after
        == 4
    )
    # A snapshot of another workspace is not found from this one.
    other = make_workspace(engine, "Other")
    with pytest.raises(NotFound):
        db.run_read(engine, snapshots.get_snapshot, workspace_id=other.id, snapshot_id=first.id)


def test_a_snapshot_needs_a_name_and_takes_nothing_without_one(engine):
    workspace = make_workspace(engine)
    with pytest.raises(InputError):
        db.run_write(engine, snapshots.take, workspace_id=workspace.id, name="   ")
    with pytest.raises(InputError):
        db.run_write(engine, snapshots.take, workspace_id=workspace.id, name="<script>alert(1)</script>")
    assert db.run_read(engine, snapshots.list_snapshots, workspace_id=workspace.id) == []


def test_a_snapshot_keeps_what_was_then_whatever_happens_after(engine):
    workspace = make_workspace(engine)
    person_row = add_stakeholder(engine, workspace.id, "Ministry", "policy_sectors")
    taken = db.run_write(engine, snapshots.take, workspace_id=workspace.id, name="Then")
    db.run_write(engine, store.delete_stakeholder, workspace_id=workspace.id, stakeholder_id=person_row.id)
    then = db.run_read(engine, snapshots.load_snapshot_data, workspace_id=workspace.id, snapshot_id=taken.id)
    assert [s.name for s in then.stakeholders] == ["Ministry"]
    # The history says a snapshot was taken, and by whom.
    from gcm_guide import history

    changes = db.run_read(engine, history.list_changes, workspace_id=workspace.id, entity="snapshot")
    assert [(c.label, c.action) for c in changes] == [("Then", "create")]


def test_closing_a_workshop_session_takes_a_snapshot(engine):
    workspace = make_workspace(engine)
    add_stakeholder(engine, workspace.id, "Ministry", "policy_sectors")
    live = db.run_write(engine, workshop.open_session, workspace_id=workspace.id)
    db.run_write(engine, workshop.close_session, workspace_id=workspace.id)
    db.run_write(engine, workshop.close_session, workspace_id=workspace.id)  # closing again takes none
    (taken,) = db.run_read(engine, snapshots.list_snapshots, workspace_id=workspace.id)
    assert (taken.name, taken.kind, taken.counts["stakeholders"]) == ("Workshop session closed", "workshop", 1)
    assert live.code in taken.note


# --- backup and restore ---------------------------------------------------------------------------------------------
def test_a_backup_carries_the_snapshots_and_a_restore_links_them_to_the_restored_register(engine):
    workspace = make_workspace(engine)
    kept = add_stakeholder(engine, workspace.id, "Ministry of Labour", "policy_sectors", influence=2, interest=2)
    gone = add_stakeholder(engine, workspace.id, "Old Union", "trade_unions")
    db.run_write(engine, snapshots.take, workspace_id=workspace.id, name="Kick-off", note="with the union")
    db.run_write(engine, store.delete_stakeholder, workspace_id=workspace.id, stakeholder_id=gone.id)
    db.run_write(
        engine,
        store.update_stakeholder,
        workspace_id=workspace.id,
        stakeholder_id=kept.id,
        changes={"name": "Ministry of Labour and Social Security", "influence": 5},
    )
    db.run_write(engine, snapshots.take, workspace_id=workspace.id, name="Mid-term", author="Amina")
    raw = db.run_read(engine, snapshots.backup_file, workspace_id=workspace.id)
    document = json.loads(raw)
    assert document["format_version"] == 2 and len(document["snapshots"]) == 2

    restored = db.run_write(engine, restore.restore_workspace, backup=backup.read_backup(raw), name="Copy")
    listed = db.run_read(engine, snapshots.list_snapshots, workspace_id=restored.id)
    original = db.run_read(engine, snapshots.list_snapshots, workspace_id=workspace.id)
    assert [(s.name, s.note, s.author, s.kind, s.counts) for s in listed] == [
        (s.name, s.note, s.author, s.kind, s.counts) for s in original
    ]
    assert [s.created_at.replace(microsecond=0) for s in listed] == [
        s.created_at.replace(microsecond=0) for s in original
    ]
    # Compared with the restored register, the first snapshot tells the same story as in the original.
    then = db.run_read(engine, snapshots.load_snapshot_data, workspace_id=restored.id, snapshot_id=listed[0].id)
    result = snapshots.compare(then, load(engine, restored.id), CONTENT)
    assert [r.after for r in result.renamed] == ["Ministry of Labour and Social Security"]
    assert [p.name for p in result.removed] == ["Old Union"] and result.added == ()
    assert [(m.influence_before, m.influence_after) for m in result.moved] == [(2, 5)]
    # And the restored workspace backs up again with its snapshots.
    again = json.loads(db.run_read(engine, snapshots.backup_file, workspace_id=restored.id))
    assert [s["name"] for s in again["snapshots"]] == ["Kick-off", "Mid-term"]


def test_a_backup_always_restores_keeping_the_newest_snapshots_that_fit(engine):
    """Snapshots are whole workspaces: when all of them would take the file past what a restore reads, the
    backup carries the newest that fit, and the workspace itself always."""
    workspace = make_workspace(engine)
    for number in range(30):
        add_stakeholder(engine, workspace.id, f"Ministry number {number}", "policy_sectors")
    for name in ("First", "Second", "Third", "Fourth"):
        db.run_write(engine, snapshots.take, workspace_id=workspace.id, name=name)
    whole = db.run_read(engine, snapshots.backup_file, workspace_id=workspace.id)
    limit = len(whole) * 2 // 3  # room for the workspace and about two of the four snapshots
    raw = db.run_read(engine, snapshots.backup_file, workspace_id=workspace.id, limit=limit)
    kept = [s["name"] for s in json.loads(raw)["snapshots"]]
    assert len(raw) <= limit and kept and kept == ["First", "Second", "Third", "Fourth"][-len(kept) :]
    restored = db.run_write(engine, restore.restore_workspace, backup=backup.read_backup(raw), name="Copy")
    assert len(load(engine, restored.id).stakeholders) == 30
    assert [s.name for s in db.run_read(engine, snapshots.list_snapshots, workspace_id=restored.id)] == kept


def test_a_workspace_without_snapshots_still_backs_up_as_version_1(engine):
    workspace = make_workspace(engine)
    add_stakeholder(engine, workspace.id, "Ministry", "policy_sectors")
    document = json.loads(db.run_read(engine, snapshots.backup_file, workspace_id=workspace.id))
    assert document["format_version"] == 1
    assert "snapshots" not in document and "ref" not in document["stakeholders"][0]


def test_a_backup_whose_snapshot_holds_unknown_ids_is_refused_before_anything_is_written(engine):
    workspace = make_workspace(engine)
    add_stakeholder(engine, workspace.id, "Ministry", "policy_sectors")
    db.run_write(engine, snapshots.take, workspace_id=workspace.id, name="Then")
    document = json.loads(db.run_read(engine, snapshots.backup_file, workspace_id=workspace.id))
    document["snapshots"][0]["payload"]["stakeholders"][0]["group_id"] = "no_such_group"
    before = row_counts(engine)
    with pytest.raises(InputError) as refused:
        backup.read_backup(json.dumps(document).encode())
    assert refused.value.problems[0].field == "snapshots.0.payload.stakeholders.0.group_id"
    assert row_counts(engine) == before


# --- review reminders -----------------------------------------------------------------------------------------------
def test_due_reviews_list_checklist_items_and_engagements_due_today_or_earlier():
    today = dt.date(2027, 6, 1)
    data = moment(
        [
            person(1, "Ministry", next_review_on=dt.date(2027, 5, 1)),
            person(2, "Union", "trade_unions", next_review_on=dt.date(2027, 6, 2)),
            person(3, "Media house", "media", next_review_on=today),
        ]
    )
    item = CONTENT.checklist.items[0]
    data.checklist = {item.id: ChecklistEntry(item_id=item.id, next_review_on=dt.date(2027, 1, 15))}
    due = reviews.due_reviews(data, CONTENT, today)
    assert [(r.kind, r.label, r.due) for r in due] == [
        ("checklist", item.text, dt.date(2027, 1, 15)),
        ("stakeholder", "Ministry", dt.date(2027, 5, 1)),
        ("stakeholder", "Media house", today),
    ]


# --- the upgrade ----------------------------------------------------------------------------------------------------
def test_a_version_7_database_upgrades_with_its_data_and_takes_snapshots(database_url):
    engine = db.make_engine(database_url)
    db.migrate(engine, "0007")
    with engine.begin() as connection:
        connection.execute(
            text(
                "INSERT INTO workspace (public_id, name, name_key, country, level, custom_voices, failed_attempts,"
                " created_at, updated_at, version) VALUES ('abc', 'Old', 'old', 'Jamaica', 'national', '[]', 0,"
                " :now, :now, 1)"
            ),
            {"now": dt.datetime(2026, 1, 1, tzinfo=dt.UTC)},
        )
    engine.dispose()
    upgraded = db.open_database(database_url)
    try:
        assert db.current_revision(upgraded) == db.head_revision() == "0010"
        (old,) = db.run_read(upgraded, store.list_workspaces)
        assert (old.name, old.language) == ("Old", "en")  # made before workspaces had a language
        db.run_write(upgraded, snapshots.take, workspace_id=old.id, name="After the upgrade")
        assert [s.name for s in db.run_read(upgraded, snapshots.list_snapshots, workspace_id=old.id)] == [
            "After the upgrade"
        ]
    finally:
        upgraded.dispose()


# --- the page -------------------------------------------------------------------------------------------------------
def test_the_page_takes_a_snapshot_and_shows_what_changed_since(app_db, engine_for_app):
    workspace = make_workspace(engine_for_app, "Kick-off Kingston")
    add_stakeholder(engine_for_app, workspace.id, "Ministry of Health", "policy_sectors", influence=2, interest=2)
    at = open_page(app_db, "pages/snapshots.py", workspace.public_id)
    assert not at.exception
    assert "Take a snapshot first" in texts(at)
    at.text_input(key="snapshot_name_0").input("Kick-off workshop")
    at.text_area(key="snapshot_note_0").input("Before the room met")
    at.button(key="FormSubmitter:snapshot_take-Take snapshot").click().run()
    assert not at.exception
    assert "Snapshot “Kick-off workshop” taken." in texts(at)
    assert at.text_input(key="snapshot_name_1").value == ""  # fresh, empty fields for the next one
    (taken,) = db.run_read(engine_for_app, snapshots.list_snapshots, workspace_id=workspace.id)
    assert (taken.name, taken.note) == ("Kick-off workshop", "Before the room met")

    add_stakeholder(engine_for_app, workspace.id, "Women Migrants Network", "diasporas", voices=["migrant_women"])
    at = open_page(app_db, "pages/snapshots.py", workspace.public_id)
    assert not at.exception
    shown = texts(at)
    assert "1 stakeholder added" in shown
    assert "Women Migrants Network (Diasporas)" in shown
    assert "Voices carried since: Migrant women" in shown
    assert "None" not in shown.replace("None.", "")


def test_the_page_refuses_an_empty_name_and_keeps_the_note(app_db, engine_for_app):
    workspace = make_workspace(engine_for_app, "Kick-off Kingston")
    at = open_page(app_db, "pages/snapshots.py", workspace.public_id)
    at.text_area(key="snapshot_note_0").input("Typed with care")
    at.button(key="FormSubmitter:snapshot_take-Take snapshot").click().run()
    assert not at.exception
    assert at.error and "Name" in at.error[0].value
    assert at.text_area(key="snapshot_note_0").value == "Typed with care"
    assert db.run_read(engine_for_app, snapshots.list_snapshots, workspace_id=workspace.id) == []


# --- the PDF ------------------------------------------------------------------------------------------------------
def test_the_pdf_starts_with_what_changed_since_the_chosen_snapshot(sqlite_engine):
    import io

    from pypdf import PdfReader

    from gcm_guide import report

    engine = sqlite_engine
    workspace = make_workspace(engine, "Kick-off Kingston")
    ministry = add_stakeholder(engine, workspace.id, "Ministry of Labour", "policy_sectors", influence=2, interest=2)
    taken = db.run_write(engine, snapshots.take, workspace_id=workspace.id, name="Kick-off workshop", author="Amina")
    db.run_write(
        engine,
        store.update_stakeholder,
        workspace_id=workspace.id,
        stakeholder_id=ministry.id,
        changes={"name": "Ministry of Labour and Social Security", "influence": 5},
    )
    add_stakeholder(engine, workspace.id, "Women Migrants Network", "diasporas")
    baseline = db.run_read(engine, snapshots.load_baseline, workspace_id=workspace.id, snapshot_id=taken.id)
    pdf = report.report_pdf(load(engine, workspace.id), CONTENT, since=baseline)
    pages = [page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages]
    changes = " ".join(pages[2].split())
    assert "What changed since “Kick-off workshop”" in changes
    assert "by Amina" in changes
    assert "1 stakeholder added" in changes and "Women Migrants Network (Diasporas)" in changes
    assert "Ministry of Labour → Ministry of Labour and Social Security" in changes
    assert "None" not in changes.replace("None.", "") and "{" not in changes  # "None." is the word for an empty list
    # Without a snapshot chosen, the report has no such section.
    plain_pdf = report.report_pdf(load(engine, workspace.id), CONTENT)
    assert "What changed since" not in " ".join(p.extract_text() for p in PdfReader(io.BytesIO(plain_pdf)).pages)
