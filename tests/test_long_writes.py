"""Long writes (restoring a backup, removing a workspace) in short steps: other people's saves get in between,
nobody sees a half-written workspace, and a restore stopped part way leaves nothing behind."""

import datetime as dt
import threading

import pytest
from sqlalchemy import update

from gcm_guide import backup, db, long_writes, restore, store
from gcm_guide.errors import InputError, NotFound
from gcm_guide.models import Workspace, utcnow

from .factories import add_stakeholder, large_backup, load, make_workspace, row_counts

PASSCODE = "long enough passcode"


def test_a_save_by_someone_else_lands_while_a_large_restore_is_still_running(engine):
    """The restore pauses after its first step until a bystander's save has committed: if the restore held
    the database for its whole length (as one transaction), the save could not commit and this would time out."""
    bystander = make_workspace(engine, "Bystander")
    parsed = large_backup(1_200, roles=300, activities=300)
    first_step_done, saved_during_restore = threading.Event(), threading.Event()
    seen_mid_restore: dict[str, object] = {}

    def on_progress(share: float) -> None:
        if not first_step_done.is_set():
            # Mid-restore: the new workspace is not visible to anyone yet.
            seen_mid_restore["names"] = [w.name for w in db.run_read(engine, store.list_workspaces)]
            first_step_done.set()
            assert saved_during_restore.wait(timeout=30)

    result: dict[str, object] = {}

    def run_restore() -> None:
        result["workspace"] = long_writes.restore_backup(engine, parsed, passcode=PASSCODE, on_progress=on_progress)

    restorer = threading.Thread(target=run_restore)
    restorer.start()
    assert first_step_done.wait(timeout=60)
    answer = db.run_write(
        engine, store.save_answer, workspace_id=bystander.id, question_id="government_bodies", changes={"text": "PICA"}
    )
    saved_during_restore.set()
    restorer.join(timeout=120)
    assert not restorer.is_alive()
    assert answer.text == "PICA" and load(engine, bystander.id).answer_text("government_bodies") == "PICA"
    assert seen_mid_restore["names"] == ["Bystander"]
    restored = result["workspace"]
    data = load(engine, restored.id)
    assert (len(data.stakeholders), len(data.plans), len(data.roles), len(data.activities)) == (1_200, 1_200, 300, 300)
    assert {w.name for w in db.run_read(engine, store.list_workspaces)} == {"Bystander", "Large register"}


def test_a_restore_is_cut_into_steps_of_a_few_hundred_rows():
    steps = restore.restore_steps(large_backup(1_001, roles=3))
    assert [(work.__name__, start, stop) for work, start, stop in steps] == [
        ("restore_stakeholders", 0, 250),
        ("restore_stakeholders", 250, 500),
        ("restore_stakeholders", 500, 750),
        ("restore_stakeholders", 750, 1_000),
        ("restore_stakeholders", 1_000, 1_001),
        ("restore_roles", 0, 3),
    ]


def test_a_restore_stopped_part_way_leaves_nothing_behind(engine):
    make_workspace(engine, "Already here")
    before = row_counts(engine)

    def stop_after_a_step(share: float) -> None:
        if share > 0.3:
            raise KeyboardInterrupt  # the person closed the tab, or the server is shutting down

    with pytest.raises(KeyboardInterrupt):
        long_writes.restore_backup(engine, large_backup(1_000), passcode=PASSCODE, on_progress=stop_after_a_step)
    assert row_counts(engine) == before
    # The same backup restores afterwards under the same name (nothing half-made holds the name).
    restored = long_writes.restore_backup(engine, large_backup(1_000), passcode=PASSCODE)
    assert len(load(engine, restored.id).stakeholders) == 1_000


def test_a_workspace_a_stopped_server_left_hidden_is_removed_later(engine):
    visible = make_workspace(engine, "Visible")
    left = db.run_write(
        engine, backup.begin_restore, backup=large_backup(0, name="Half restored"), name="Half restored"
    )
    db.run_write(engine, backup.restore_stakeholders, workspace_id=left.id, backup=large_backup(40), start=0, stop=40)
    with pytest.raises(NotFound):
        db.run_read(engine, store.get_workspace, public_id=left.public_id)
    # Recent: it may be a restore still running, so it stays.
    assert long_writes.clean_up(engine) == 0
    db.run_write(
        engine,
        lambda session: session.execute(
            update(Workspace).where(Workspace.id == left.id).values(hidden_since=utcnow() - dt.timedelta(hours=2))
        ),
    )
    assert long_writes.clean_up(engine) == 1
    counts = row_counts(engine)
    assert (counts["workspace"], counts["stakeholder"], counts["engagement_plan"]) == (1, 0, 0)
    assert [w.id for w in db.run_read(engine, store.list_workspaces)] == [visible.id]


def test_removing_a_workspace_removes_everything_in_it_and_nothing_else(engine):
    kept = make_workspace(engine, "Kept")
    add_stakeholder(engine, kept.id, "Ministry of Labour", "policy_sectors")
    gone = long_writes.restore_backup(engine, large_backup(1_100, roles=20, activities=20), passcode=PASSCODE)
    long_writes.remove_workspace(engine, gone.id)
    counts = row_counts(engine)
    assert (counts["workspace"], counts["stakeholder"], counts["setup_role"], counts["awareness_activity"]) == (
        1,
        1,
        0,
        0,
    )
    assert counts["change_log"] == 1  # the kept workspace's own history
    with pytest.raises(NotFound):
        long_writes.remove_workspace(engine, gone.id)


def test_a_workspace_holds_at_most_its_limit(engine, monkeypatch):
    monkeypatch.setattr(store, "MAX_STAKEHOLDERS", 3)
    workspace = make_workspace(engine)
    db.run_write(
        engine,
        store.add_stakeholders,
        workspace_id=workspace.id,
        rows=[{"name": f"S{n}", "group_id": "media"} for n in range(2)],
    )
    with pytest.raises(InputError) as error:
        db.run_write(
            engine,
            store.add_stakeholders,
            workspace_id=workspace.id,
            rows=[{"name": f"T{n}", "group_id": "media"} for n in range(2)],
        )
    assert [(p.field, p.code, p.params) for p in error.value.problems] == [
        ("workspace", "workspace_full", {"limit": 3})
    ]
    assert len(load(engine, workspace.id).stakeholders) == 2
