"""A save that says exactly what it changed moves the kept load of its workspace on, instead of the next run
reading the whole workspace again; anything else makes the next run read it. Either way a page must see
exactly what the database holds: each step below compares what the app shows with a fresh read."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from typing import Any

import pytest
import streamlit as st
from sqlalchemy import Engine

from gcm_guide import db, store
from gcm_guide.models import SetupAnswer, Stakeholder
from gcm_guide.web import resources, saving
from gcm_guide.workspace_data import WorkspaceData

from .conftest import add_stakeholder, make_workspace

READ_WHOLE = store.load_workspace_data


@pytest.fixture
def app_engine(engine: Engine, monkeypatch: pytest.MonkeyPatch) -> Iterator[Engine]:
    """The app pointed at a fresh database on each backend (SQLite, PostgreSQL); an engine to check it with."""
    monkeypatch.setenv("DATABASE_URL", engine.url.render_as_string(hide_password=False))
    st.cache_resource.clear()
    yield engine
    st.cache_resource.clear()


@pytest.fixture
def whole_reads(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    """The workspaces the app read whole, in order (the real read, counted)."""
    reads: list[int] = []

    def counted(*, session: Any, workspace_id: int) -> WorkspaceData:
        reads.append(workspace_id)
        return READ_WHOLE(session=session, workspace_id=workspace_id)

    monkeypatch.setattr(store, "load_workspace_data", counted)
    return reads


def plain(data: WorkspaceData) -> dict[str, Any]:
    """Everything a page can read from the workspace's data, as plain values."""
    keyed = {name: dict(sorted((k, v.model_dump()) for k, v in getattr(data, name).items())) for name in _KEYED}
    listed = {
        name: [row.model_dump() for row in getattr(data, name)] for name in ("stakeholders", "roles", "activities")
    }
    decision = data.decision.model_dump() if data.decision else None
    return {"workspace": data.workspace.model_dump(), "decision": decision} | keyed | listed


_KEYED = ("answers", "plans", "setup_answers", "checklist")


def shown(engine: Engine, workspace: Any) -> WorkspaceData:
    """What a page run gets: the workspace row read afresh, then its data as the app keeps it."""
    return resources.workspace_data(db.run_read(engine, store.get_workspace, public_id=workspace.public_id))


def in_database(engine: Engine, workspace_id: int) -> WorkspaceData:
    return db.run_read(engine, READ_WHOLE, workspace_id=workspace_id)


def test_pages_see_what_the_database_holds_after_every_kind_of_save(app_engine, whole_reads):
    """Saves from this server that name their row (answers, plans, set-up answers, the decision, checklist
    entries, accepting the recommendation) are applied to the kept load; other saves, and saves made elsewhere
    (another server over the same PostgreSQL), make the next run read the workspace again."""
    engine = app_engine
    workspace = make_workspace(engine, "Kingston")
    workspace_id = workspace.id
    people = [add_stakeholder(engine, workspace_id, name, "policy_sectors").id for name in ("A", "B", "C")]
    here = saving.attempt  # what every page's write goes through
    elsewhere = lambda work, **kwargs: db.run_write(engine, work, **kwargs)  # noqa: E731
    setup = store.save_setup_answer
    steps: list[tuple[str, Any, Any, dict[str, Any], int]] = [
        # (what, how, work, arguments, whole reads the next page run makes)
        (
            "a guiding answer",
            here,
            store.save_answer,
            {"question_id": "government_bodies", "changes": {"text": "MoFA"}},
            0,
        ),
        ("an Action 3 answer", here, setup, {"criterion_id": "existing_body", "changes": {"answer": "yes"}}, 0),
        ("the same answer changed", here, setup, {"criterion_id": "existing_body", "changes": {"answer": "partly"}}, 0),
        ("another's note", here, setup, {"criterion_id": "technical_expertise", "changes": {"note": "Strong"}}, 0),
        (
            "a plan, not the first",
            here,
            store.save_engagement_plan,
            {"stakeholder_id": people[1], "changes": {"mechanisms": ["consultations"]}},
            0,
        ),
        (
            "a checklist entry",
            here,
            store.save_checklist_entry,
            {"item_id": "decide_engagement", "changes": {"notes": "Next week"}},
            0,
        ),
        (
            "accepting the recommendation",
            here,
            store.accept_recommendation,
            {"option": "existing_body", "lead_body": "MoFA"},
            0,
        ),
        ("the rationale", here, store.save_setup_decision, {"changes": {"rationale": "It works already."}}, 0),
        ("the same value again", here, store.save_setup_decision, {"changes": {"rationale": "It works already."}}, 0),
        (
            "a stakeholder (changes the workspace's voices too)",
            here,
            store.update_stakeholder,
            {"stakeholder_id": people[2], "changes": {"voices": ["Women"]}},
            1,
        ),
        ("a role", here, store.add_role, {"data": {"body": "MoFA", "role": "lead"}}, 1),
        (
            "an answer saved on another server",
            elsewhere,
            setup,
            {"criterion_id": "existing_body", "changes": {"answer": "no"}},
            1,
        ),
    ]
    assert plain(shown(engine, workspace)) == plain(in_database(engine, workspace_id))
    for what, how, work, arguments, reads in steps:
        whole_reads.clear()
        result = how(work, workspace_id=workspace_id, **arguments)
        assert not isinstance(result, saving.Refused), what
        assert plain(shown(engine, workspace)) == plain(in_database(engine, workspace_id)), what
        assert len(whole_reads) == reads, what


def test_a_save_after_someone_elses_is_not_applied_to_the_older_load(app_engine, whole_reads):
    """Another server saves between this page's run and this save: the kept load is older than the state this
    save started from, so the next run reads the workspace again and shows both saves."""
    engine = app_engine
    workspace = make_workspace(engine, "Kingston")
    workspace_id = workspace.id
    shown(engine, workspace)
    db.run_write(
        engine,
        store.save_setup_answer,
        workspace_id=workspace_id,
        criterion_id="existing_body",
        changes={"answer": "no"},
    )
    whole_reads.clear()
    saving.attempt(
        store.save_setup_answer,
        workspace_id=workspace_id,
        criterion_id="technical_expertise",
        changes={"answer": "yes"},
    )
    data = shown(engine, workspace)
    assert whole_reads == [workspace_id]
    assert {c: a.answer for c, a in data.setup_answers.items()} == {"existing_body": "no", "technical_expertise": "yes"}


def test_a_refused_save_leaves_the_kept_load_as_it_was(app_engine, whole_reads):
    engine = app_engine
    workspace = make_workspace(engine, "Kingston")
    workspace_id = workspace.id
    kept = shown(engine, workspace)
    refused = saving.attempt(
        store.save_setup_answer, workspace_id=workspace_id, criterion_id="existing_body", changes={"answer": "maybe"}
    )
    assert isinstance(refused, saving.Refused)
    whole_reads.clear()
    assert shown(engine, workspace) is kept and whole_reads == []


def test_the_workspaces_last_change_time_only_moves_forward(engine, monkeypatch):
    """Two saves in one tick of the clock (or on a server whose clock is behind) still move the time on, so
    what is kept under a time is never mistaken for a later state."""
    workspace = make_workspace(engine, "Kingston")
    workspace_id = workspace.id
    stopped = dt.datetime(2020, 1, 1, tzinfo=dt.UTC)  # behind the time the workspace was made
    monkeypatch.setattr(store, "utcnow", lambda: stopped)
    times = []
    for answer in ("yes", "no", "partly"):
        db.run_write(
            engine,
            store.save_setup_answer,
            workspace_id=workspace_id,
            criterion_id="existing_body",
            changes={"answer": answer},
        )
        times.append(db.run_read(engine, store.get_workspace, public_id=workspace.public_id).updated_at)
    assert times[0] < times[1] < times[2] and times[2] - times[0] == dt.timedelta(microseconds=2)


def test_a_write_says_what_it_changed_only_when_that_is_all_it_changed(engine):
    workspace = make_workspace(engine, "Kingston")
    workspace_id = workspace.id
    person = add_stakeholder(engine, workspace_id, "Ministry of Labour", "policy_sectors")
    now = lambda: db.run_read(engine, store.get_workspace, public_id=workspace.public_id).updated_at  # noqa: E731
    before = now()

    def noted(work: Any, **kwargs: Any) -> store.KnownWrite | None:
        def run(*, session: Any) -> store.KnownWrite | None:
            work(session=session, workspace_id=workspace_id, **kwargs)
            return store.known_write(session)

        return db.run_write(engine, run)

    answer = noted(store.save_setup_answer, criterion_id="existing_body", changes={"answer": "yes"})
    assert answer is not None and answer.before == before
    assert answer.after == now()
    assert [(type(r), r.answer) for r in answer.rows] == [(SetupAnswer, "yes")]
    both = noted(store.accept_recommendation, option="existing_body", lead_body="Ministry of Labour")
    assert both is not None and both.before == answer.after and both.after == now()
    assert len(both.rows) == 2 and both.rows[-1].lead_bodies == "Ministry of Labour"  # the decision, saved twice
    assert noted(store.update_stakeholder, stakeholder_id=person.id, changes={"voices": ["Youth"]}) is None
    assert noted(store.add_role, data={"body": "Ministry of Labour", "role": "lead"}) is None
    assert noted(store.save_setup_answer, criterion_id="existing_body", changes={"answer": "yes"}) is None  # unchanged


def test_the_saved_rows_replace_theirs_in_a_copy_and_other_kinds_are_refused(engine):
    workspace_id = make_workspace(engine, "Kingston").id
    person = add_stakeholder(engine, workspace_id, "Ministry of Labour", "policy_sectors")
    loaded = in_database(engine, workspace_id)
    answer = SetupAnswer(id=1, workspace_id=workspace_id, criterion_id="existing_body", answer="yes", version=1)
    later = loaded.workspace.updated_at + dt.timedelta(seconds=1)
    moved = loaded.with_saved((answer,), updated_at=later)
    assert moved is not None and moved.setup_answers == {"existing_body": answer} and loaded.setup_answers == {}
    assert moved.workspace.updated_at == later and moved.workspace.name == "Kingston"
    assert loaded.workspace.updated_at < later and moved.stakeholders is loaded.stakeholders
    renamed = Stakeholder.model_validate(person.model_dump() | {"name": "Labour"})
    assert loaded.with_saved((renamed,), updated_at=later) is None
    elsewhere = SetupAnswer(workspace_id=workspace_id + 1, criterion_id="existing_body", answer="no", version=1)
    assert loaded.with_saved((elsewhere,), updated_at=later) is None
