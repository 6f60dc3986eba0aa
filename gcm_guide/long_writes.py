"""Writes too long for one transaction, cut into short ones: restoring a backup and removing a workspace.

SQLite lets one writer in at a time, so a restore of thousands of rows in one transaction would make every
other person's save wait (measured before: 64 s for a large backup, with saves failing after 30 s). Here each
step writes a few hundred rows and commits; other saves get in between. The workspace being written or
removed stays hidden until the last step, so nobody sees it half done, and a server stopped part way leaves
only a hidden workspace, which `clean_up` removes later.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

from sqlalchemy import Engine
from sqlmodel import Session

from gcm_guide import access, backup, db, restore, store
from gcm_guide.content import load_content
from gcm_guide.models import Workspace

# A workspace hidden for longer than this was left by a server stopped part way (a restore of the largest
# allowed backup takes well under a minute).
STALE_AFTER = dt.timedelta(minutes=30)

Progress = Callable[[float], None]


def restore_backup(
    engine: Engine,
    parsed: backup.Backup,
    *,
    name: str | None = None,
    passcode: str | None = None,
    owner_subject: str | None = None,
    recovery_code: str | None = None,
    on_progress: Progress | None = None,
) -> Workspace:
    """Restore a backup as a new workspace owned by `passcode` or `owner_subject`, all or nothing, in short
    steps. Raises InputError (nothing left behind) if the backup or the passcode is refused."""
    if owner_subject is None:
        access.hash_passcode(passcode or "")  # refuse a bad passcode before writing anything
    backup.refuse(backup.problems(parsed, load_content()))
    clean_up(engine)
    owner = {"passcode": passcode, "owner_subject": owner_subject, "recovery_code": recovery_code}
    workspace = db.run_write(engine, _begin, parsed=parsed, name=name, owner=owner)
    assert workspace.id is not None
    steps = restore.restore_steps(parsed)
    try:
        for done, (work, start, stop) in enumerate(steps, start=1):
            db.run_write(engine, work, workspace_id=workspace.id, backup=parsed, start=start, stop=stop)
            if on_progress is not None:
                on_progress(done / (len(steps) + 1))
        revealed = db.run_write(engine, store.reveal_workspace, workspace_id=workspace.id)
    except BaseException:
        remove_hidden(engine, workspace.id)
        raise
    if on_progress is not None:
        on_progress(1.0)
    return revealed


def _begin(*, session: Session, parsed: backup.Backup, name: str | None, owner: dict[str, str | None]) -> Workspace:
    workspace = backup.begin_restore(session=session, backup=parsed, name=name)
    session.add(access.protect(workspace, **owner))
    session.flush()
    return workspace


def remove_workspace(engine: Engine, workspace_id: int) -> int:
    """Delete a workspace and everything in it: hidden at once, then removed in short steps."""
    db.run_write(engine, store.hide_workspace, workspace_id=workspace_id)
    remove_hidden(engine, workspace_id)
    return workspace_id


def remove_hidden(engine: Engine, workspace_id: int) -> None:
    """Remove a hidden workspace in steps of store.REMOVE_STEP rows."""
    while db.run_write(engine, store.remove_some_rows, workspace_id=workspace_id):
        pass


def clean_up(engine: Engine, older_than: dt.timedelta = STALE_AFTER) -> int:
    """Remove workspaces that a stopped server left hidden part way through a restore or removal."""
    stale = db.run_read(engine, store.stale_hidden_workspaces, older_than=older_than)
    for workspace_id in stale:
        remove_hidden(engine, workspace_id)
    return len(stale)
