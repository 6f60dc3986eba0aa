"""Workshop mode, the facilitator's side: a live session on a workspace with its join code, what the presenter
shows (one guiding question or action at a time, with or without the room's results), and the read-only
presenter link that opens the projected screen without the passcode.

The participants' side is in gcm_guide.participants, the queue in gcm_guide.moderation, and what the room says
(votes, answers, placements) in gcm_guide.room. Participants never write to the workspace itself: everything
they send waits in the queue, and nothing in it is ever deleted.
"""

from __future__ import annotations

import hashlib
import secrets
from collections.abc import Sequence
from dataclasses import dataclass

from sqlalchemy import text
from sqlmodel import Session, col, select

from gcm_guide.content import Content, load_content
from gcm_guide.errors import InputError, NotFound, Problem
from gcm_guide.i18n import local_time, t
from gcm_guide.models import WorkshopSession, Workspace, utcnow

# No 0/O, 1/I/L: codes are read off a projector and typed on phones.
CODE_ALPHABET = "ABCDEFGHJKMNPQRSTUVWXYZ23456789"
CODE_LENGTH = 6


class SessionClosed(InputError):
    """The join code does not open a live session (wrong, or the facilitator closed it)."""

    def __init__(self) -> None:
        super().__init__([Problem("code", "session_closed", {})])


def hash_token(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


def normalise_code(code: str) -> str:
    return "".join(c for c in code.upper() if c.isalnum())


# --- The session -------------------------------------------------------------------------------------------------
def open_session(*, session: Session, workspace_id: int) -> WorkshopSession:
    """The workspace's live session, or a new one with a fresh join code."""
    live = current_session(session=session, workspace_id=workspace_id)
    if live is not None:
        return live
    if session.get(Workspace, workspace_id) is None:
        raise NotFound("workspace", workspace_id)
    while True:
        code = "".join(secrets.choice(CODE_ALPHABET) for _ in range(CODE_LENGTH))
        if session.exec(select(WorkshopSession.id).where(WorkshopSession.code == code)).first() is None:
            break
    workshop = WorkshopSession(workspace_id=workspace_id, code=code)
    session.add(workshop)
    session.flush()
    return workshop


def current_session(*, session: Session, workspace_id: int) -> WorkshopSession | None:
    return session.exec(
        select(WorkshopSession)
        .where(WorkshopSession.workspace_id == workspace_id, col(WorkshopSession.closed_at).is_(None))
        .order_by(col(WorkshopSession.id).desc())
    ).first()


def _live(session: Session, workspace_id: int) -> WorkshopSession:
    live = current_session(session=session, workspace_id=workspace_id)
    if live is None:
        raise NotFound("workshop_session", workspace_id)
    return live


_ROOM_LOCKS = 0x67636D  # the advisory-lock namespace of workshop sessions (PostgreSQL)


def lock_room(session: Session, code: str, *, closing: bool = False) -> None:
    """On PostgreSQL, queue fairly behind a close of the session `code` names (or, `closing`, behind the sends
    under way). The row locks alone are not fair: sends share-lock the session row, and a close waiting for it
    could wait forever behind a room that keeps sending, then give up. A lock of the database's lock manager
    is granted in turn, so a send that comes after the close waits for it, then finds the session closed.
    (SQLite writes one at a time anyway.)"""
    if session.get_bind().dialect.name != "postgresql":
        return
    key = int.from_bytes(hashlib.sha256(normalise_code(code).encode()).digest()[:4], "big", signed=True)
    function = "pg_advisory_xact_lock" if closing else "pg_advisory_xact_lock_shared"
    session.execute(text(f"SELECT {function}(:room, :key)"), {"room": _ROOM_LOCKS, "key": key})


def close_session(*, session: Session, workspace_id: int) -> WorkshopSession | None:
    """Close the live session: its code and its presenter link stop working at once; what was sent stays.

    The row is locked first, so the close waits for participants' sends already under way and commits after
    them: nothing is stored after the session's closing time."""
    open_now = current_session(session=session, workspace_id=workspace_id)
    if open_now is not None:
        lock_room(session, open_now.code, closing=True)
    live = session.exec(
        select(WorkshopSession)
        .where(WorkshopSession.workspace_id == workspace_id, col(WorkshopSession.closed_at).is_(None))
        .with_for_update()
        .execution_options(populate_existing=True)  # the row as it is once locked, not as first read
    ).first()
    if live is not None:
        live.closed_at = utcnow()
        live.presenter_token_hash = None
        session.add(live)
        # The map as the room left it, kept with the close (same transaction): what a team comes back to.
        from gcm_guide import snapshots  # snapshots load the whole workspace; only a close needs them

        snapshots.take(
            session=session,
            workspace_id=workspace_id,
            name=t("snapshots.workshop_name"),
            note=t(
                "snapshots.workshop_note",
                code=live.code,
                opened=local_time(live.opened_at),
                closed=local_time(live.closed_at),
            ),
            kind="workshop",
        )
    return live


def set_current_item(*, session: Session, workspace_id: int, item: str) -> WorkshopSession:
    """What the presenter is showing (a guiding question or an action), so every screen and phone follows."""
    live = _live(session, workspace_id)
    if item not in presenter_items(load_content()):
        raise InputError.single("item", "unknown_choice", value=item)
    live.current_item = item
    session.add(live)
    return live


def show_results(*, session: Session, workspace_id: int, shown: bool) -> WorkshopSession:
    """Show or hide the room's votes, answers and placements on the presenter."""
    live = _live(session, workspace_id)
    live.show_results = shown
    session.add(live)
    return live


# --- The read-only presenter link --------------------------------------------------------------------------------
def new_presenter_link(*, session: Session, workspace_id: int) -> str:
    """A new token for the presenter link (any earlier link stops working); only its digest is kept."""
    live = _live(session, workspace_id)
    token = secrets.token_urlsafe(18)
    live.presenter_token_hash = hash_token(token)
    session.add(live)
    return token


def revoke_presenter_link(*, session: Session, workspace_id: int) -> WorkshopSession:
    live = _live(session, workspace_id)
    live.presenter_token_hash = None
    session.add(live)
    return live


@dataclass(frozen=True)
class Projection:
    """What a presenter window opened by its link may know: the workspace's name and the live session."""

    workspace_id: int
    workspace_public_id: str
    workspace_name: str
    session: WorkshopSession


def projection(*, session: Session, token: str) -> Projection:
    """The live session a presenter link opens (SessionClosed once it is closed or the link was replaced)."""
    if not token:
        raise SessionClosed()
    workshop = session.exec(
        select(WorkshopSession).where(
            WorkshopSession.presenter_token_hash == hash_token(token),
            col(WorkshopSession.closed_at).is_(None),
        )
    ).first()
    if workshop is None:
        raise SessionClosed()
    workspace = session.get(Workspace, workshop.workspace_id)
    assert workspace is not None and workspace.id is not None
    return Projection(workspace.id, workspace.public_id, workspace.name, workshop)


# --- The presenter's sequence --------------------------------------------------------------------------------------
def presenter_items(content: Content) -> list[str]:
    """The presenter's sequence: each guiding question, then each action, then the checklist."""
    return [f"guiding:{q.id}" for q in content.guiding_questions.questions] + [
        "action:1",
        "action:2",
        "action:3",
        "action:4",
        "checklist",
    ]


def item_parts(item: str) -> tuple[str, str]:
    """A presenter item as (kind, key): ("guiding", question id), ("action", "1"…"4") or ("checklist", "")."""
    kind, _, key = item.partition(":")
    return kind, key


def step_item(items: Sequence[str], current: str, step: int) -> str:
    """The item `step` places after `current` (before it when negative), going round at either end."""
    return items[(items.index(current) + step) % len(items)]
