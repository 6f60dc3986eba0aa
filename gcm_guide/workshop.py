"""Workshop mode: a facilitator opens a session on a workspace, participants join with a short code and
send proposals, answers, votes and grid placements; the facilitator accepts, merges or dismisses them.

Participants never write to the workspace itself: everything they send waits in a queue, and nothing in
it is ever deleted.
"""

from __future__ import annotations

import hashlib
import secrets
import statistics
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import func
from sqlmodel import Session, select

from gcm_guide import store
from gcm_guide.content import Content, load_content
from gcm_guide.errors import InputError, NotFound, Problem, validated
from gcm_guide.i18n import t
from gcm_guide.models import (
    MAX_LABEL,
    MAX_PROPOSED_BY,
    Contribution,
    Participant,
    ParticipantJoin,
    Placement,
    ProposedAnswer,
    ProposedStakeholder,
    Stakeholder,
    Vote,
    WorkshopSession,
    Workspace,
    utcnow,
)

# No 0/O, 1/I/L: codes are read off a projector and typed on phones.
CODE_ALPHABET = "ABCDEFGHJKMNPQRSTUVWXYZ23456789"
CODE_LENGTH = 6
MAX_VOTES = 3


class SessionClosed(InputError):
    """The join code does not open a live session (wrong, or the facilitator closed it)."""

    def __init__(self) -> None:
        super().__init__([Problem("code", "session_closed", {})])


def _hash_token(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


def normalise_code(code: str) -> str:
    return "".join(c for c in code.upper() if c.isalnum())


# --- The facilitator's side ---------------------------------------------------------------------------------
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
        .where(WorkshopSession.workspace_id == workspace_id, WorkshopSession.closed_at.is_(None))  # type: ignore[union-attr]
        .order_by(WorkshopSession.id.desc())  # type: ignore[union-attr]
    ).first()


def close_session(*, session: Session, workspace_id: int) -> None:
    """Close the live session: its code stops working at once; what was sent stays in the queue.

    The row is locked first, so the close waits for participants' sends already under way and commits after
    them: nothing is stored after the session's closing time."""
    live = session.exec(
        select(WorkshopSession)
        .where(WorkshopSession.workspace_id == workspace_id, WorkshopSession.closed_at.is_(None))  # type: ignore[union-attr]
        .with_for_update()
    ).first()
    if live is not None:
        live.closed_at = utcnow()
        session.add(live)


def set_current_item(*, session: Session, workspace_id: int, item: str) -> WorkshopSession:
    """What the presenter is showing (a guiding question or an action), so participants follow along."""
    live = current_session(session=session, workspace_id=workspace_id)
    if live is None:
        raise NotFound("workshop_session", workspace_id)
    if item not in presenter_items(load_content()):
        raise InputError.single("item", "unknown_choice", value=item)
    live.current_item = item
    session.add(live)
    return live


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


def waiting_on(pending: Sequence[QueueItem], item: str) -> int:
    """How many of the pending contributions answer the guiding question on screen."""
    kind, key = item_parts(item)
    return sum(1 for entry in pending if kind == "guiding" and entry.contribution.question_id == key)


# --- The participant's side ---------------------------------------------------------------------------------
@dataclass(frozen=True)
class ParticipantPass:
    """What a participant's browser session holds: the session and its secret token (never in a URL)."""

    code: str
    participant_id: int
    token: str


def _live_by_code(session: Session, code: str, *, sending: bool = False) -> WorkshopSession:
    """The open session a code names. `sending`: the caller is about to write on the participant's behalf, so
    the session row is share-locked until commit (PostgreSQL): closing the session waits for such writes to
    commit, and a write that starts after a close sees the session closed."""
    query = select(WorkshopSession).where(WorkshopSession.code == normalise_code(code))
    workshop = session.exec(query.with_for_update(read=True) if sending else query).first()
    if workshop is None or workshop.closed_at is not None:
        raise SessionClosed()
    return workshop


def session_for_code(*, session: Session, code: str) -> tuple[WorkshopSession, Workspace]:
    """The live session a code opens, and its workspace (SessionClosed if none)."""
    workshop = _live_by_code(session, code)
    workspace = session.get(Workspace, workshop.workspace_id)
    assert workspace is not None
    return workshop, workspace


def join(*, session: Session, code: str, data: Mapping[str, Any]) -> ParticipantPass:
    """Join a live session under a display name (and optionally an organisation)."""
    workshop = _live_by_code(session, code, sending=True)
    person = validated(ParticipantJoin, dict(data))
    token = secrets.token_urlsafe(24)
    participant = Participant(
        session_id=workshop.id,
        display_name=person.display_name,
        organisation=person.organisation,
        token_hash=_hash_token(token),
    )
    session.add(participant)
    session.flush()
    assert participant.id is not None
    return ParticipantPass(workshop.code, participant.id, token)


def _authorised(
    session: Session, credential: ParticipantPass, *, sending: bool = True
) -> tuple[WorkshopSession, Participant]:
    """The participant and their session, if the pass is genuine and the session still open."""
    workshop = _live_by_code(session, credential.code, sending=sending)
    participant = session.get(Participant, credential.participant_id)
    if (
        participant is None
        or participant.session_id != workshop.id
        or not secrets.compare_digest(participant.token_hash, _hash_token(credential.token))
    ):
        raise SessionClosed()
    return workshop, participant


def propose_stakeholder(*, session: Session, credential: ParticipantPass, data: Mapping[str, Any]) -> Contribution:
    """A participant proposes a stakeholder (name, group, voices it carries); it waits for the facilitator."""
    workshop, participant = _authorised(session, credential)
    proposal = validated(ProposedStakeholder, dict(data))
    if proposal.group_id not in load_content().group_names:
        raise InputError.single("group_id", "unknown_choice", value=proposal.group_id)
    contribution = Contribution(
        session_id=workshop.id, participant_id=participant.id, kind="stakeholder", payload=proposal.model_dump()
    )
    session.add(contribution)
    session.flush()
    return contribution


def propose_answer(*, session: Session, credential: ParticipantPass, question_id: str, text: str) -> Contribution:
    """A participant answers or comments on a guiding question."""
    workshop, participant = _authorised(session, credential)
    if question_id not in {q.id for q in load_content().guiding_questions.questions}:
        raise InputError.single("question", "unknown_choice", value=question_id)
    answer = validated(ProposedAnswer, {"text": text})
    contribution = Contribution(
        session_id=workshop.id,
        participant_id=participant.id,
        kind="answer",
        question_id=question_id,
        payload={"text": answer.text},
    )
    session.add(contribution)
    session.flush()
    return contribution


def _stakeholder_of(session: Session, workshop: WorkshopSession, stakeholder_id: int) -> Stakeholder:
    person = session.get(Stakeholder, stakeholder_id)
    if person is None or person.workspace_id != workshop.workspace_id:
        raise NotFound("stakeholder", stakeholder_id)
    return person


def toggle_vote(*, session: Session, credential: ParticipantPass, stakeholder_id: int) -> bool:
    """Vote for a stakeholder that matters most (at most MAX_VOTES each), or take the vote back.
    Returns whether the participant now votes for it."""
    workshop, participant = _authorised(session, credential)
    _stakeholder_of(session, workshop, stakeholder_id)
    existing = session.exec(
        select(Vote).where(Vote.participant_id == participant.id, Vote.stakeholder_id == stakeholder_id)
    ).first()
    if existing is not None:
        session.delete(existing)
        return False
    used = session.exec(select(func.count()).select_from(Vote).where(Vote.participant_id == participant.id)).one()
    if used >= MAX_VOTES:
        raise InputError.single("vote", "too_many_votes", max=MAX_VOTES)
    session.add(Vote(session_id=workshop.id, participant_id=participant.id, stakeholder_id=stakeholder_id))
    return True


def place(*, session: Session, credential: ParticipantPass, stakeholder_id: int, influence: int, interest: int) -> None:
    """Place (or move) a stakeholder on the influence/interest grid."""
    workshop, participant = _authorised(session, credential)
    _stakeholder_of(session, workshop, stakeholder_id)
    for field_name, value in (("influence", influence), ("interest", interest)):
        if not isinstance(value, int) or not 1 <= value <= 5:
            raise InputError.single(
                field_name, "less_than_equal" if isinstance(value, int) and value > 5 else "invalid", le=5
            )
    existing = session.exec(
        select(Placement).where(Placement.participant_id == participant.id, Placement.stakeholder_id == stakeholder_id)
    ).first()
    if existing is None:
        existing = Placement(
            session_id=workshop.id,
            participant_id=participant.id,
            stakeholder_id=stakeholder_id,
            influence=influence,
            interest=interest,
        )
    else:
        existing.influence, existing.interest, existing.updated_at = influence, interest, utcnow()
    session.add(existing)


# --- The queue ----------------------------------------------------------------------------------------------
@dataclass(frozen=True)
class QueueItem:
    contribution: Contribution
    participant: Participant

    @property
    def proposer(self) -> str:
        person = self.participant
        return f"{person.display_name} ({person.organisation})" if person.organisation else person.display_name


def queue(*, session: Session, workspace_id: int, statuses: Sequence[str] = ("pending",)) -> list[QueueItem]:
    """Contributions to the workspace's sessions with the given statuses, oldest first."""
    rows = session.exec(
        select(Contribution, Participant)
        .join(Participant, Participant.id == Contribution.participant_id)
        .join(WorkshopSession, WorkshopSession.id == Contribution.session_id)
        .where(WorkshopSession.workspace_id == workspace_id, Contribution.status.in_(list(statuses)))  # type: ignore[attr-defined]
        .order_by(Contribution.id)  # type: ignore[arg-type]
    ).all()
    return [QueueItem(contribution, participant) for contribution, participant in rows]


def _pending(session: Session, workspace_id: int, contribution_id: int) -> QueueItem:
    row = session.exec(
        select(Contribution, Participant, WorkshopSession)
        .join(Participant, Participant.id == Contribution.participant_id)
        .join(WorkshopSession, WorkshopSession.id == Contribution.session_id)
        .where(Contribution.id == contribution_id)
        .with_for_update(of=Contribution)  # type: ignore[arg-type]
    ).first()
    if row is None or row[2].workspace_id != workspace_id:
        raise NotFound("contribution", contribution_id)
    if row[0].status != "pending":
        raise InputError.single("contribution", "already_decided")
    return QueueItem(row[0], row[1])


def _decide(session: Session, item: QueueItem, status: str, outcome: str) -> None:
    item.contribution.status = status
    item.contribution.outcome = outcome[:MAX_LABEL]
    item.contribution.decided_at = utcnow()
    session.add(item.contribution)


def _proposed_by(*proposers: str) -> str:
    """Who proposed an entry, as the register keeps it: each once, within MAX_PROPOSED_BY characters
    (a long name and organisation, or a much-merged entry, keeps its first proposers and says there were more)."""
    text = "; ".join(dict.fromkeys(p for p in proposers if p))
    return text if len(text) <= MAX_PROPOSED_BY else text[: MAX_PROPOSED_BY - 1].rstrip("; ") + "…"


def accept(*, session: Session, workspace_id: int, contribution_id: int) -> Any:
    """Accept a contribution: a proposed stakeholder joins the register (with who proposed it); an answer is
    added to the guiding question's answer, signed with its author."""
    item = _pending(session, workspace_id, contribution_id)
    payload = item.contribution.payload
    if item.contribution.kind == "stakeholder":
        person = store.add_stakeholder(
            session=session,
            workspace_id=workspace_id,
            data={
                "name": payload["name"],
                "group_id": payload["group_id"],
                "voices": payload.get("voices", []),
                "role_and_interest": payload.get("note", ""),
                "proposed_by": _proposed_by(item.proposer),
            },
        )
        _decide(session, item, "accepted", person.name)
        return person
    question_id = item.contribution.question_id or ""
    current = session.exec(
        select(store.GuidingAnswer).where(
            store.GuidingAnswer.workspace_id == workspace_id, store.GuidingAnswer.question_id == question_id
        )
    ).first()
    existing = current.text if current else ""
    addition = f"{payload['text']} — {item.proposer}"
    answer = store.save_answer(
        session=session,
        workspace_id=workspace_id,
        question_id=question_id,
        changes={"text": f"{existing}\n\n{addition}" if existing.strip() else addition},
    )
    _decide(session, item, "accepted", question_id)
    return answer


def merge(*, session: Session, workspace_id: int, contribution_id: int, stakeholder_id: int) -> Stakeholder:
    """Merge a proposed stakeholder into one already on the register: its voices and note are added there."""
    item = _pending(session, workspace_id, contribution_id)
    if item.contribution.kind != "stakeholder":
        raise InputError.single("contribution", "not_mergeable")
    person = store.get_stakeholder(session=session, workspace_id=workspace_id, stakeholder_id=stakeholder_id)
    payload = item.contribution.payload
    note = payload.get("note", "").strip()
    changes: dict[str, Any] = {
        "voices": [*person.voices, *payload.get("voices", [])],
        "proposed_by": _proposed_by(person.proposed_by, item.proposer),
    }
    if note:
        addition = f"{note} — {item.proposer}"
        changes["role_and_interest"] = f"{person.role_and_interest}\n\n{addition}".strip()
    merged = store.update_stakeholder(
        session=session, workspace_id=workspace_id, stakeholder_id=stakeholder_id, changes=changes
    )
    _decide(session, item, "merged", merged.name)
    return merged


def dismiss(*, session: Session, workspace_id: int, contribution_id: int) -> None:
    """Set a contribution aside. It stays in the queue's record; it can be reopened."""
    _decide(session, _pending(session, workspace_id, contribution_id), "dismissed", "")


def reopen(*, session: Session, workspace_id: int, contribution_id: int) -> None:
    """Put a dismissed contribution back in the queue."""
    row = session.exec(
        select(Contribution, WorkshopSession)
        .join(WorkshopSession, WorkshopSession.id == Contribution.session_id)
        .where(Contribution.id == contribution_id)
    ).first()
    if row is None or row[1].workspace_id != workspace_id or row[0].status != "dismissed":
        raise NotFound("contribution", contribution_id)
    row[0].status, row[0].decided_at = "pending", None
    session.add(row[0])


# --- What the room says -------------------------------------------------------------------------------------
@dataclass(frozen=True)
class RoomPlacement:
    """The room's placements of one stakeholder: the spread as well as the middle."""

    stakeholder_id: int
    name: str
    count: int
    influence_median: float
    interest_median: float
    influence_range: tuple[int, int]
    interest_range: tuple[int, int]
    register: tuple[int | None, int | None]  # where the register puts it


def room_placements(*, session: Session, workspace_id: int) -> list[RoomPlacement]:
    """For each stakeholder the room placed, the median and range of its placements, beside the register's."""
    rows = session.exec(
        select(Placement, Stakeholder)
        .join(Stakeholder, Stakeholder.id == Placement.stakeholder_id)
        .where(Stakeholder.workspace_id == workspace_id)
    ).all()
    by_person: dict[int, list[Placement]] = {}
    people: dict[int, Stakeholder] = {}
    for placement, person in rows:
        by_person.setdefault(person.id, []).append(placement)  # type: ignore[arg-type]
        people[person.id] = person  # type: ignore[index]
    result = []
    for person_id, placements in by_person.items():
        influence = [p.influence for p in placements]
        interest = [p.interest for p in placements]
        person = people[person_id]
        result.append(
            RoomPlacement(
                person_id,
                person.name,
                len(placements),
                statistics.median(influence),
                statistics.median(interest),
                (min(influence), max(influence)),
                (min(interest), max(interest)),
                (person.influence, person.interest),
            )
        )
    return sorted(result, key=lambda r: (-r.count, r.name))


def vote_counts(*, session: Session, workspace_id: int) -> list[tuple[str, int]]:
    """Stakeholders by the votes they received, most first."""
    rows = session.exec(
        select(Stakeholder.name, func.count(Vote.id))
        .join(Vote, Vote.stakeholder_id == Stakeholder.id)
        .where(Stakeholder.workspace_id == workspace_id)
        .group_by(Stakeholder.id, Stakeholder.name)
        .order_by(func.count(Vote.id).desc(), Stakeholder.name)
    ).all()
    return [(name, count) for name, count in rows]


def participants(*, session: Session, workspace_id: int) -> list[Participant]:
    live = current_session(session=session, workspace_id=workspace_id)
    if live is None:
        return []
    return list(session.exec(select(Participant).where(Participant.session_id == live.id)))


@dataclass(frozen=True)
class ParticipantView:
    """All a participant may see: the workspace's name, what is on the screen, and stakeholder names."""

    workspace_name: str
    display_name: str
    current_question: str | None
    current_text: str
    stakeholders: dict[int, str]
    votes: set[int]


def participant_view(*, session: Session, credential: ParticipantPass, content: Content) -> ParticipantView:
    """What the participant's phone shows (SessionClosed once the session is closed)."""
    workshop, participant = _authorised(session, credential, sending=False)
    workspace = session.get(Workspace, workshop.workspace_id)
    assert workspace is not None
    kind, key = item_parts(workshop.current_item)
    if kind == "guiding":
        question = next(q for q in content.guiding_questions.questions if q.id == key)
        current_question, current_text = question.id, f"{question.number}. {question.text}"
    elif kind == "action":
        action = {"1": content.action1, "2": content.action2, "3": content.action3, "4": content.action4}[key]
        current_question, current_text = None, t("action.title", number=action.number, title=action.title)
    else:
        current_question, current_text = None, content.checklist.title
    names = dict(
        session.exec(
            select(Stakeholder.id, Stakeholder.name)
            .where(Stakeholder.workspace_id == workspace.id)
            .order_by(Stakeholder.name)
        ).all()
    )
    votes = set(session.exec(select(Vote.stakeholder_id).where(Vote.participant_id == participant.id)))
    return ParticipantView(workspace.name, participant.display_name, current_question, current_text, names, votes)
