"""Who may open a workspace: owner passcodes (slow salted hashes), a recovery code shown once, a throttle on
wrong attempts counted per client address, and owners signed in through the deployment's OIDC provider where it
is configured.

The throttle is per workspace *and* client: a stranger guessing (the home page lists workspace names) slows
down only their own attempts, never the owner's. Brute force stays impractical: passcodes have at least 8
characters, each check costs ~50 ms of Argon2id, and each client waits up to 5 minutes per attempt after five.
"""

from __future__ import annotations

import datetime as dt
import secrets
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError, VerifyMismatchError
from pydantic import Field, ValidationError
from sqlmodel import Session, SQLModel, select

from gcm_guide import store
from gcm_guide.errors import InputError, NotFound
from gcm_guide.models import PasscodeAttempt, Workspace, utcnow

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


# Recovery codes: 20 characters of an alphabet without look-alikes (100 bits), written in groups of five.
_RECOVERY_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"


def new_recovery_code() -> str:
    """A fresh recovery code, e.g. "K7QXZ-M9PLA-4RTNE-2WJHC", to show the owner once."""
    characters = "".join(secrets.choice(_RECOVERY_ALPHABET) for _ in range(20))
    return "-".join(characters[i : i + 5] for i in range(0, 20, 5))


def _recovery_key(code: str) -> str:
    """A typed recovery code as stored: upper case, without spaces or dashes."""
    return "".join(c for c in code.upper() if c.isalnum())


def create_protected_workspace(
    *,
    session: Session,
    data: Mapping[str, Any],
    passcode: str | None = None,
    owner_subject: str | None = None,
    recovery_code: str | None = None,
) -> Workspace:
    """Create a workspace that only its owner can open: by passcode (with a recovery code, when one is given
    for the owner to keep), or by OIDC identity."""
    if owner_subject is None:
        hash_passcode(passcode or "")  # refuse a bad passcode before writing anything
    workspace = store.create_workspace(session=session, data=data)
    session.add(protect(workspace, passcode=passcode, owner_subject=owner_subject, recovery_code=recovery_code))
    session.flush()
    return workspace


def protect(
    workspace: Workspace,
    *,
    passcode: str | None = None,
    owner_subject: str | None = None,
    recovery_code: str | None = None,
) -> Workspace:
    """Give a new workspace its owner: a passcode hash (and a recovery code's), or an OIDC identity."""
    if owner_subject is not None:
        workspace.owner_subject = owner_subject
    else:
        workspace.passcode_hash = hash_passcode(passcode or "")
        if recovery_code:
            workspace.recovery_hash = _hasher.hash(_recovery_key(recovery_code))
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


def _attempts(session: Session, workspace_id: int, client: str) -> PasscodeAttempt:
    row = session.exec(
        select(PasscodeAttempt)
        .where(PasscodeAttempt.workspace_id == workspace_id, PasscodeAttempt.client == client)
        .with_for_update()
    ).first()
    return row or PasscodeAttempt(workspace_id=workspace_id, client=client)


def _locked_workspace(session: Session, public_id: str) -> Workspace:
    # The row lock serialises attempts on one workspace, across replicas too.
    workspace = session.exec(select(Workspace).where(Workspace.public_id == public_id).with_for_update()).first()
    if workspace is None:
        raise NotFound("workspace", public_id)
    return workspace


def _waiting(attempts: PasscodeAttempt, now: dt.datetime) -> int:
    if attempts.locked_until is not None and attempts.locked_until > now:
        return max(1, int((attempts.locked_until - now).total_seconds() + 0.999))
    return 0


def _count_failure(session: Session, attempts: PasscodeAttempt, now: dt.datetime) -> int:
    attempts.failures += 1
    wait = _wait_after(attempts.failures)
    attempts.locked_until = now + dt.timedelta(seconds=wait) if wait else None
    session.add(attempts)
    return wait


def _forget_failures(session: Session, attempts: PasscodeAttempt) -> None:
    if attempts.id is not None:
        session.delete(attempts)


def try_passcode(
    *, session: Session, public_id: str, passcode: str, client: str = "", now: dt.datetime | None = None
) -> Attempt:
    """Check a passcode for a workspace, counting wrong attempts from this client (a digest of its address;
    "" when unknown). Run it in a write transaction: the attempt is recorded even when it fails (so do not
    raise out of it)."""
    now = now or utcnow()
    workspace = _locked_workspace(session, public_id)
    if workspace.passcode_hash is None and workspace.owner_subject is None:
        return Attempt(False, workspace, needs_passcode=True)
    attempts = _attempts(session, workspace.id or 0, client)
    if wait := _waiting(attempts, now):
        return Attempt(False, None, wait_seconds=wait)
    if workspace.passcode_hash is not None and _matches(workspace.passcode_hash, passcode):
        _forget_failures(session, attempts)
        return Attempt(True, workspace)
    return Attempt(False, None, wait_seconds=_count_failure(session, attempts, now))


@dataclass(frozen=True)
class Recovery:
    """A recovery attempt: the workspace and its next recovery code (shown once) when it worked."""

    workspace: Workspace | None = None
    next_code: str = ""
    wait_seconds: int = 0


def recover(
    *,
    session: Session,
    public_id: str,
    recovery_code: str,
    new_passcode: str,
    client: str = "",
    now: dt.datetime | None = None,
) -> Recovery:
    """Set a new passcode with the workspace's recovery code, which is then replaced by a new one (a code is
    used once). Wrong codes count like wrong passcodes, per client. Run it in a write transaction."""
    now = now or utcnow()
    hash_passcode(new_passcode)  # a bad new passcode is refused before anything is counted
    workspace = _locked_workspace(session, public_id)
    attempts = _attempts(session, workspace.id or 0, client)
    if wait := _waiting(attempts, now):
        return Recovery(wait_seconds=wait)
    if workspace.recovery_hash is None or not _matches(workspace.recovery_hash, _recovery_key(recovery_code)):
        return Recovery(wait_seconds=_count_failure(session, attempts, now))
    _forget_failures(session, attempts)
    return Recovery(workspace, reset_passcode(session=session, workspace=workspace, passcode=new_passcode))


def reset_passcode(*, session: Session, workspace: Workspace, passcode: str) -> str:
    """Give a workspace a new passcode and a new recovery code (returned, to show once); every client's wrong
    attempts are forgotten. For the recovery form and the operator's command (gcm_guide.admin)."""
    code = new_recovery_code()
    workspace.passcode_hash = hash_passcode(passcode)
    workspace.recovery_hash = _hasher.hash(_recovery_key(code))
    workspace.failed_attempts, workspace.locked_until = 0, None
    session.add(workspace)
    for row in session.exec(select(PasscodeAttempt).where(PasscodeAttempt.workspace_id == workspace.id)).all():
        session.delete(row)
    return code


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
