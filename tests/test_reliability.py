"""Keeping a whole government's work: many writers at once, an old database upgraded, odd and hostile input."""

import shutil
import threading
import tomllib
from pathlib import Path

import pytest
from sqlalchemy import text

from gcm_guide import access, db, history, history_restore, store
from gcm_guide.errors import Conflict, InputError

from .conftest import add_stakeholder, load, make_workspace, new_postgres_database, open_page
from .test_pages import texts

FIXTURES = Path(__file__).resolve().parent / "fixtures"
WRITERS = 20


def run_together(workers):
    """Start every worker at once; return the exceptions they raised."""
    errors, barrier = [], threading.Barrier(len(workers))

    def wrapped(work):
        barrier.wait()
        try:
            work()
        except Exception as exc:  # noqa: BLE001 - collected and asserted by the caller
            errors.append(exc)

    threads = [threading.Thread(target=wrapped, args=(work,)) for work in workers]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return errors


def test_twenty_writers_on_one_workspace_lose_nothing(engine):
    """Ten people add stakeholders while ten others answer questions, all at once."""
    workspace = make_workspace(engine)
    acknowledged_answers: list[tuple[str, str]] = []
    questions = ["government_bodies", "policy_sectors", "departments_and_levels", "non_governmental_bodies"]

    def add_people(writer):
        for n in range(8):
            add_stakeholder(engine, workspace.id, f"Stakeholder {writer}-{n}", "civil_society_organizations")

    def answer(writer):
        for n in range(8):
            question, value = questions[(writer + n) % len(questions)], f"Answer {writer}-{n} ✓ مرحبا"
            db.run_write(
                engine, store.save_answer, workspace_id=workspace.id, question_id=question, changes={"text": value}
            )
            acknowledged_answers.append((question, value))

    workers = [lambda w=w: add_people(w) for w in range(WRITERS // 2)]
    workers += [lambda w=w: answer(w) for w in range(WRITERS // 2)]
    errors = run_together(workers)

    assert errors == []  # no "database is locked" (or anything else) reached a writer
    data = load(engine, workspace.id)
    assert sorted(s.name for s in data.stakeholders) == sorted(
        f"Stakeholder {w}-{n}" for w in range(WRITERS // 2) for n in range(8)
    )
    # Every acknowledged answer was written: the last one stands, each earlier one is in the history.
    written = {
        (change.label, change.after["text"])
        for change in db.run_read(
            engine, history.list_changes, workspace_id=workspace.id, entity="answer", limit=10_000
        )
    }
    assert set(acknowledged_answers) <= written
    assert len(acknowledged_answers) == WRITERS // 2 * 8
    for question in questions:
        assert (question, data.answer_text(question)) in written


def test_conflicting_edits_of_one_row_are_surfaced_not_lost(engine):
    """Twenty people change the same stakeholder's note from the same starting point: one wins at a time,
    the others are told (Conflict) and keep their text; none is silently overwritten."""
    workspace = make_workspace(engine)
    person = add_stakeholder(engine, workspace.id, "Ministry of Labour", "policy_sectors", role_and_interest="Start")
    saved, refused = [], []

    def edit(writer):
        mine = f"Note by writer {writer}"
        try:
            db.run_write(
                engine,
                store.update_stakeholder,
                workspace_id=workspace.id,
                stakeholder_id=person.id,
                changes={"role_and_interest": mine},
                expected_version=person.version,
                base={"role_and_interest": "Start"},
            )
            saved.append(mine)
        except Conflict as conflict:
            assert conflict.mine == mine and conflict.theirs != "Start"
            refused.append(mine)

    errors = run_together([lambda w=w: edit(w) for w in range(WRITERS)])
    assert errors == []
    assert len(saved) == 1 and len(refused) == WRITERS - 1
    assert load(engine, workspace.id).stakeholders[0].role_and_interest == saved[0]


def test_a_database_from_the_previous_version_opens_with_its_data(tmp_path):
    """tests/fixtures/gcm-schema-0002.sqlite3 was made by the release before workshops and passcodes."""
    copy = tmp_path / "old.sqlite3"
    shutil.copy(FIXTURES / "gcm-schema-0002.sqlite3", copy)
    url = f"sqlite:///{copy}"
    old = db.make_engine(url)
    assert db.current_revision(old) == "0002"
    old.dispose()

    engine = db.open_database(url)
    assert db.current_revision(engine) == db.head_revision()
    (workspace,) = db.run_read(engine, store.list_workspaces)
    data = load(engine, workspace.id)
    assert workspace.name == "Made before passcodes — Jamaica"
    assert len(data.stakeholders) == 12 and len(data.plans) == 8
    assert data.answer_text("awareness_raising") == "Ministère, Міністерство, وزارة 🌍 — answer kept across the upgrade"
    assert (data.decision.chosen_option, data.decision.lead_bodies) == (
        "existing_body",
        "Planning Institute of Jamaica",
    )
    assert [r.body for r in data.roles] == ["Planning Institute of Jamaica"]
    assert [s.proposed_by for s in data.stakeholders] == [""] * 12  # the new column, filled for old rows
    # Made before passcodes: its first opener sets one.
    attempt = db.run_write(engine, access.try_passcode, public_id=workspace.public_id, passcode="anything at all")
    assert attempt.needs_passcode and not attempt.granted
    engine.dispose()


def test_the_previous_version_upgrades_on_postgresql_too(postgres_url):
    database_url, drop = new_postgres_database(postgres_url)
    engine = db.make_engine(database_url)
    db.migrate(engine, "0002")
    with engine.begin() as connection:  # rows as the previous release wrote them
        connection.execute(
            text(
                "INSERT INTO workspace (name, country, level, public_id, name_key, custom_voices, created_at,"
                " updated_at, version)"
                " VALUES ('Old', 'Chile', 'national', 'oldpublicid1', 'old', '[]', now(), now(), 1)"
            )
        )
        connection.execute(
            text(
                "INSERT INTO stakeholder (name, group_id, sector, engagement_status, voices, workspace_id, name_key,"
                " engagement_in_governance, role_and_interest, conflicts_of_interest, trust_building, created_at,"
                " updated_at, version) SELECT 'Ministerio del Interior', 'policy_sectors', '', 'identified',"
                " '[\"migrant_women\"]', id, 'ministerio del interior', '', '', '', '', now(), now(), 1 FROM workspace"
            )
        )
    db.migrate(engine)
    (workspace,) = db.run_read(engine, store.list_workspaces)
    (person,) = load(engine, workspace.id).stakeholders
    assert (person.name, person.voices, person.proposed_by) == ("Ministerio del Interior", ["migrant_women"], "")
    assert workspace.failed_attempts == 0 and workspace.passcode_hash is None
    engine.dispose()
    drop()


@pytest.mark.parametrize(
    ("typed", "kept_as"),
    [
        ("x" * 100_000, "x" * 100_000),
        ("Robert'); DROP TABLE stakeholder;--", "Robert'); DROP TABLE stakeholder;--"),
        ("line\x00one\x07\r\nline two", "lineone\nline two"),
        (
            "**bold** [link](https://example.org) # heading <b>b</b>",
            "**bold** [link](https://example.org) # heading <b>b</b>",
        ),
        ("وزارة الداخلية 🌍👩🏽‍🌾", "وزارة الداخلية 🌍👩🏽‍🌾"),
    ],
)
def test_odd_answers_are_kept_exactly_and_shown_as_text(app_db, typed, kept_as):
    engine = db.open_database(app_db)
    workspace = make_workspace(engine)
    at = open_page(app_db, "pages/guiding_questions.py", workspace.public_id)
    at.text_area(key="gq_answer_policy_sectors").input(typed).run()
    assert not at.exception
    assert load(engine, workspace.id).answer_text("policy_sectors") == kept_as
    summary = open_page(app_db, "pages/summary.py", workspace.public_id)
    assert not summary.exception
    shown = texts(summary)
    assert all(line.replace("**", "") in shown for line in kept_as.splitlines())
    if "**bold**" in typed:
        assert any("\\*\\*bold\\*\\*" in m.value for m in summary.markdown)
    engine.dispose()


@pytest.mark.parametrize(
    ("name", "problem"),
    [
        ("", "cannot be empty"),
        ("   ", "cannot be empty"),
        ("<script>alert('x')</script>", "web page code"),
    ],
)
def test_hostile_stakeholder_names_are_refused_with_a_message(app_db, name, problem):
    engine = db.open_database(app_db)
    workspace = make_workspace(engine)
    at = open_page(app_db, "pages/identify_stakeholders.py", workspace.public_id)
    at.text_input(key="stakeholders_add_name").input(name)
    at.selectbox(key="stakeholders_add_group_id").set_value("media")
    at.button(key="FormSubmitter:stakeholders_add_form-Add to register").click().run()
    assert not at.exception
    assert any(problem in e.value for e in at.error)
    assert load(engine, workspace.id).stakeholders == []
    engine.dispose()


def test_a_duplicate_name_is_refused_and_the_first_is_kept(app_db):
    engine = db.open_database(app_db)
    workspace = make_workspace(engine)
    add_stakeholder(engine, workspace.id, "Ministry of Labour", "policy_sectors", influence=4)
    at = open_page(app_db, "pages/identify_stakeholders.py", workspace.public_id)
    at.text_input(key="stakeholders_add_name").input("MINISTRY OF LABOUR")
    at.selectbox(key="stakeholders_add_group_id").set_value("media")
    at.button(key="FormSubmitter:stakeholders_add_form-Add to register").click().run()
    assert any("already on the register" in e.value for e in at.error)
    (person,) = load(engine, workspace.id).stakeholders
    assert (person.group_id, person.influence) == ("policy_sectors", 4)
    engine.dispose()


def test_a_stakeholder_deleted_in_one_tab_while_edited_in_another(app_db):
    """Tab A shows a stakeholder's notes; tab B deletes the stakeholder; tab A's edit gets a clear message and
    writes nothing, and the deletion can be undone from the history."""
    engine = db.open_database(app_db)
    workspace = make_workspace(engine)
    person = add_stakeholder(engine, workspace.id, "Diaspora council", "diasporas")
    tab_a = open_page(app_db, "pages/meaningful_engagement.py", workspace.public_id)
    db.run_write(engine, store.delete_stakeholder, workspace_id=workspace.id, stakeholder_id=person.id)  # tab B
    tab_a.text_area(key=f"eng_{person.id}_role_and_interest").input("Typed in tab A").run()
    assert not tab_a.exception
    assert any("no longer exists" in e.value for e in tab_a.error)
    assert load(engine, workspace.id).stakeholders == []
    deleted = next(
        c for c in db.run_read(engine, history.list_changes, workspace_id=workspace.id) if c.action == "delete"
    )
    db.run_write(engine, history_restore.restore, workspace_id=workspace.id, change_id=deleted.id)
    assert [s.name for s in load(engine, workspace.id).stakeholders] == ["Diaspora council"]
    engine.dispose()


def test_sql_looking_text_is_only_text(engine):
    workspace = make_workspace(engine)
    add_stakeholder(engine, workspace.id, "x'); DELETE FROM workspace; --", "media")
    add_stakeholder(engine, workspace.id, "1 OR 1=1", "media")
    names = sorted(s.name for s in load(engine, workspace.id).stakeholders)
    assert names == ["1 OR 1=1", "x'); DELETE FROM workspace; --"]
    assert len(db.run_read(engine, store.list_workspaces)) == 1


def test_a_refused_input_never_half_writes(engine):
    workspace = make_workspace(engine)

    def two_stakeholders_one_bad(*, session):
        store.add_stakeholder(session=session, workspace_id=workspace.id, data={"name": "Good", "group_id": "media"})
        store.add_stakeholder(session=session, workspace_id=workspace.id, data={"name": "Bad", "group_id": "nope"})

    with pytest.raises(InputError):
        db.run_write(engine, two_stakeholders_one_bad)
    assert load(engine, workspace.id).stakeholders == []
    assert db.run_read(engine, history.list_changes, workspace_id=workspace.id) == []


def test_the_deep_link_correction_fails_loudly_if_streamlit_drops_its_private_attribute(monkeypatch):
    """gcm_guide.server relies on one private attribute of Streamlit's; an upgrade without it must stop the
    start with a message naming what to check, not start an app whose bookmarked links break."""
    from streamlit.runtime.pages_manager import PagesManager

    from gcm_guide import server

    monkeypatch.setattr(PagesManager, "uses_pages_directory", None)
    server.pages_folder_is_not_auto_discovered()
    assert PagesManager.uses_pages_directory is False
    monkeypatch.delattr(PagesManager, "uses_pages_directory")
    with pytest.raises(SystemExit, match="streamlit/streamlit#9624"):
        server.pages_folder_is_not_auto_discovered()


def test_the_app_runs_one_script_run_per_session_at_a_time():
    """With Streamlit's fast reruns, a click during a run starts a second run beside the first, and both save
    the same field from stale copies (seen in the browser: a click shown chosen but not saved). The app
    queues the click for the running run instead."""
    config = tomllib.loads((Path(__file__).parent.parent / ".streamlit" / "config.toml").read_text())
    assert config["runner"]["fastReruns"] is False
