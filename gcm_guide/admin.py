"""The operator's commands, run on the server with the app's settings (DATABASE_URL or the embedded SQLite):

    python -m gcm_guide.admin list
    python -m gcm_guide.admin reset-passcode WORKSPACE

`reset-passcode` is for an owner who lost both the passcode and the recovery code: WORKSPACE is the
workspace's id from its address (`?ws=...`) or its exact name. It prints a new passcode and a new recovery code
for the operator to hand over, and forgets every wrong attempt. Nothing else in the workspace changes.
"""

from __future__ import annotations

import argparse
import secrets
import sys
from collections.abc import Sequence

from sqlmodel import Session, select

from gcm_guide import access, db
from gcm_guide.models import Workspace
from gcm_guide.settings import get_settings


def _find(session: Session, workspace: str) -> Workspace | None:
    by_id = session.exec(select(Workspace).where(Workspace.public_id == workspace).with_for_update()).first()
    if by_id is not None:
        return by_id
    named = session.exec(select(Workspace).where(Workspace.name == workspace).with_for_update()).all()
    return named[0] if len(named) == 1 else None


def reset(*, session: Session, workspace: str) -> tuple[Workspace, str, str] | None:
    """A new passcode and recovery code for `workspace` (id or exact name); None if there is no such one."""
    found = _find(session, workspace)
    if found is None or found.hidden_since is not None:
        return None
    passcode = "-".join(secrets.token_hex(3) for _ in range(3))  # 18 hex digits in three groups: easy to read out
    return found, passcode, access.reset_passcode(session=session, workspace=found, passcode=passcode)


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m gcm_guide.admin", description=__doc__.split("\n\n")[0])
    commands = parser.add_subparsers(dest="command", required=True)
    commands.add_parser("list", help="every workspace: its id, name and country")
    reset_parser = commands.add_parser("reset-passcode", help="a new passcode and recovery code for a workspace")
    reset_parser.add_argument("workspace", help="the workspace's id (from its address, ?ws=...) or its exact name")
    arguments = parser.parse_args(argv)

    engine = db.open_database(get_settings().resolved_database_url)
    try:
        if arguments.command == "list":
            for workspace in db.run_read(engine, lambda *, session: list(session.exec(select(Workspace)).all())):
                if workspace.hidden_since is None:
                    print(f"{workspace.public_id}\t{workspace.name}\t{workspace.country or ''}")
            return 0
        outcome = db.run_write(engine, reset, workspace=arguments.workspace)
        if outcome is None:
            print(f"No workspace has the id or the exact name {arguments.workspace!r}.", file=sys.stderr)
            print("`python -m gcm_guide.admin list` shows them all.", file=sys.stderr)
            return 1
        workspace, passcode, recovery_code = outcome
        print(f"New passcode for {workspace.name!r} ({workspace.public_id}): {passcode}")
        print(f"New recovery code: {recovery_code}")
        print("Hand both to the workspace's owner; the old passcode and recovery code no longer work.")
        return 0
    finally:
        engine.dispose()


if __name__ == "__main__":
    sys.exit(main())
