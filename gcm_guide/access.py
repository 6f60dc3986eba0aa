"""Who may open a workspace: owner passcodes (slow salted hashes), a throttle on wrong attempts, and owners
signed in through the deployment's OIDC provider where it is configured.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError, VerifyMismatchError
from pydantic import Field, ValidationError
from sqlalchemy import update
from sqlmodel import Session, SQLModel, col, select

from gcm_guide import store
from gcm_guide.errors import InputError, NotFound
from gcm_guide.models import Workspace, utcnow

MIN_PASSCODE = 8
MAX_PASSCODE = 200
# Wrong attempts allowed before each further one makes the next wait: 2, 4, 8 ... seconds, at most 5 minutes.
FREE_ATTEMPTS = 5
MAX_WAIT_SECONDS = 300

# Argon2id with the library's defaults (RFC 9106 low-memory profile): ~50 ms and 64 MiB per check.
_hasher = PasswordHasher()


class _Passcode(SQLModel):
    passcode: str = Field(min_length=MIN_PASSCODE, max_length=MAX_PASSCODE)


def hash_passcode(passcode: str) -> str:
    """A salted Argon2id hash of a passcode that meets the length rule (InputError otherwise)."""
    try:
        _Passcode.model_validate({"passcode": passcode})
    except ValidationError as exc:
        raise InputError.single("passcode", "passcode_length", min=MIN_PASSCODE, max=MAX_PASSCODE) from exc
    return _hasher.hash(passcode)


def _matches(stored_hash: str, passcode: str) -> bool:
    try:
        return _hasher.verify(stored_hash, passcode)
    except (VerifyMismatchError, VerificationError, InvalidHashError):
        return False


def create_protected_workspace(
    *, session: Session, data: Mapping[str, Any], passcode: str | None = None, owner_subject: str | None = None
) -> Workspace:
    """Create a workspace that only its owner can open: by passcode, or by OIDC identity."""
    if owner_subject is None:
        hash_passcode(passcode or "")  # refuse a bad passcode before writing anything
    workspace = store.create_workspace(session=session, data=data)
    session.add(protect(workspace, passcode=passcode, owner_subject=owner_subject))
    session.flush()
    return workspace


def protect(workspace: Workspace, *, passcode: str | None = None, owner_subject: str | None = None) -> Workspace:
    """Give a new workspace its owner: a passcode hash, or an OIDC identity."""
    if owner_subject is not None:
        workspace.owner_subject = owner_subject
    else:
        workspace.passcode_hash = hash_passcode(passcode or "")
    return workspace


@dataclass(frozen=True)
class Attempt:
    """The outcome of a passcode attempt; `wait_seconds` > 0 when attempts are being slowed down."""

    granted: bool
    workspace: Workspace | None = None
    wait_seconds: int = 0
    needs_passcode: bool = False  # the workspace predates passcodes: its first opener sets one


def _wait_after(failures: int) -> int:
    if failures < FREE_ATTEMPTS:
        return 0
    return min(MAX_WAIT_SECONDS, 1 << (failures - FREE_ATTEMPTS + 1))  # 2 to that power, as an int


def try_passcode(*, session: Session, public_id: str, passcode: str, now: dt.datetime | None = None) -> Attempt:
    """Check a passcode for a workspace, counting wrong attempts. Run it in a write transaction: the
    attempt is recorded even when it fails (so do not raise out of it)."""
    now = now or utcnow()
    workspace = session.exec(select(Workspace).where(Workspace.public_id == public_id).with_for_update()).first()
    if workspace is None:
        raise NotFound("workspace", public_id)
    if workspace.passcode_hash is None and workspace.owner_subject is None:
        return Attempt(False, workspace, needs_passcode=True)
    if workspace.locked_until is not None and workspace.locked_until > now:
        return Attempt(False, None, wait_seconds=max(1, int((workspace.locked_until - now).total_seconds() + 0.999)))
    if workspace.passcode_hash is not None and _matches(workspace.passcode_hash, passcode):
        if workspace.failed_attempts or workspace.locked_until:
            session.execute(
                update(Workspace).where(col(Workspace.id) == workspace.id).values(failed_attempts=0, locked_until=None)
            )
        return Attempt(True, workspace)
    failures = workspace.failed_attempts + 1
    wait = _wait_after(failures)
    session.execute(
        update(Workspace)
        .where(col(Workspace.id) == workspace.id)
        .values(failed_attempts=failures, locked_until=now + dt.timedelta(seconds=wait) if wait else None)
    )
    return Attempt(False, None, wait_seconds=wait)


def set_first_passcode(*, session: Session, public_id: str, passcode: str) -> Workspace:
    """Give a workspace made before passcodes its owner passcode (refused once it has one)."""
    workspace = session.exec(select(Workspace).where(Workspace.public_id == public_id).with_for_update()).first()
    if workspace is None:
        raise NotFound("workspace", public_id)
    if workspace.passcode_hash is not None or workspace.owner_subject is not None:
        raise InputError.single("passcode", "passcode_already_set")
    workspace.passcode_hash = hash_passcode(passcode)
    session.add(workspace)
    return workspace


def change_passcode(*, session: Session, workspace_id: int, current: str, new: str) -> Workspace:
    """Replace the owner passcode, given the current one."""
    workspace = session.exec(select(Workspace).where(Workspace.id == workspace_id).with_for_update()).first()
    if workspace is None:
        raise NotFound("workspace", workspace_id)
    if workspace.passcode_hash is None or not _matches(workspace.passcode_hash, current):
        raise InputError.single("passcode", "passcode_wrong")
    workspace.passcode_hash = hash_passcode(new)
    session.add(workspace)
    return workspace


def owner_may_open(workspace: Workspace, subject: str | None) -> bool:
    """With OIDC login: the signed-in person is the workspace's owner."""
    return bool(subject) and workspace.owner_subject == subject
