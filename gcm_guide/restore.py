"""Restoring a backup file as a new workspace: the order of its steps, from the rows of gcm_guide.backup to the
snapshots of gcm_guide.snapshots (which are built on the backup's format, so they come after it here rather
than inside it)."""

from __future__ import annotations

from typing import Any

from sqlmodel import Session

from gcm_guide import store
from gcm_guide.backup import (
    RESTORE_STEP,
    Backup,
    begin_restore,
    problems,
    refuse,
    restore_activities,
    restore_roles,
    restore_stakeholders,
)
from gcm_guide.content import load_content
from gcm_guide.models import Workspace
from gcm_guide.snapshots import restore_snapshots

# Snapshots written per transaction: each holds a whole workspace.
SNAPSHOT_STEP = 5


def restore_steps(backup: Backup) -> list[tuple[Any, int, int]]:
    """The steps after `begin_restore`: (step function, start, stop), each at most RESTORE_STEP rows (or
    SNAPSHOT_STEP snapshots, which come last: they link to the stakeholders restored before them)."""
    steps = []
    for work, rows, step in (
        (restore_stakeholders, backup.stakeholders, RESTORE_STEP),
        (restore_roles, backup.roles, RESTORE_STEP),
        (restore_activities, backup.activities, RESTORE_STEP),
        (restore_snapshots, backup.snapshots, SNAPSHOT_STEP),
    ):
        steps += [(work, start, min(start + step, len(rows))) for start in range(0, len(rows), step)]
    return steps


def restore_workspace(*, session: Session, backup: Backup, name: str | None = None) -> Workspace:
    """Restore a whole backup in the caller's one transaction (for tests and small backups); pages use
    gcm_guide.long_writes.restore_backup, which writes in short steps."""
    refuse(problems(backup, load_content()))
    workspace = begin_restore(session=session, backup=backup, name=name)
    assert workspace.id is not None
    for work, start, stop in restore_steps(backup):
        work(session=session, workspace_id=workspace.id, backup=backup, start=start, stop=stop)
    return store.reveal_workspace(session=session, workspace_id=workspace.id)
