"""Workshop mode, the participants' side: joining with the code, keeping the same identity across reloads,
proposing stakeholders, answering the question on the screen, voting and placing stakeholders on the grid.

A participant's browser keeps a pass (the session's code, the participant's id and a random token); only a
digest of the token is stored. Every send is checked against the pass and the session being open, and is
slowed down when one phone (or one address) sends far faster than a person in a room can.
"""

from __future__ import annotations

import datetime as dt
import secrets
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any, cast

from sqlalchemy import func, update
from sqlmodel import Session, col, select

from gcm_guide.content import Action1, Action2, Action3, Action4, Content, load_content
from gcm_guide.errors import InputError, NotFound, validated
from gcm_guide.i18n import t
from gcm_guide.models import (
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
    stored_id,
    utcnow,
)
from gcm_guide.workshop import SessionClosed, hash_token, item_parts, lock_room, normalise_code

MAX_VOTES = 3
# What a person in a room can do, with room to spare; a phone (or a script) going faster is slowed down.
SENDS_PER_MINUTE = 8  # proposals and answers of one participant
SENDS_PER_PARTICIPANT = 100
SENDS_PER_SESSION = 5_000
CHANGES_PER_MINUTE = 40  # votes and placements of one participant
JOINS_PER_MINUTE = 120  # into one session
JOINS_PER_MINUTE_FROM_ONE_ADDRESS = 12
PARTICIPANTS_PER_SESSION = 500
# A phone counts as connected while it has shown the workshop within this long (it refreshes every few seconds).
CONNECTED_WITHIN = dt.timedelta(seconds=45)
_SEEN_EVERY = dt.timedelta(seconds=15)  # how often a phone's "last seen" is written


@dataclass(frozen=True)
class ParticipantPass:
    """What a participant's browser keeps: the session's code, who the participant is, and a secret token."""

    code: str
    participant_id: int
    token: str

    def as_text(self) -> str:
        """The pass as one cookie value (the code, the id and the token have no dots)."""
        return f"{self.code}.{self.participant_id}.{self.token}"

    @classmethod
    def from_text(cls, text: str) -> ParticipantPass | None:
        parts = (text or "").split(".")
        if len(parts) != 3 or not parts[1].isdigit():
            return None
        return cls(normalise_code(parts[0]), int(parts[1]), parts[2])


def _live_by_code(session: Session, code: str, *, sending: bool = False) -> WorkshopSession:
    """The open session a code names. `sending`: the caller is about to write on the participant's behalf, so
    the session row is share-locked until commit (PostgreSQL): closing the session waits for such writes to
    commit, and a write that starts after a close sees the session closed."""
    query = select(WorkshopSession).where(WorkshopSession.code == normalise_code(code))
    if sending:
        lock_room(session, code)
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


def _count(session: Session, query: Any) -> int:
    return int(session.exec(query).one())


def join(*, session: Session, code: str, data: Mapping[str, Any], client: str = "") -> ParticipantPass:
    """Join a live session under a display name (and optionally an organisation). `client`: a digest of where
    the request came from, to slow down a flood of joins from one place."""
    workshop = _live_by_code(session, code, sending=True)
    person = validated(ParticipantJoin, dict(data))
    now = utcnow()
    minute_ago = now - dt.timedelta(minutes=1)
    in_session = select(func.count()).select_from(Participant).where(Participant.session_id == workshop.id)
    if _count(session, in_session) >= PARTICIPANTS_PER_SESSION:
        raise InputError.single("code", "session_full", max=PARTICIPANTS_PER_SESSION)
    recent = in_session.where(Participant.joined_at >= minute_ago)
    if _count(session, recent) >= JOINS_PER_MINUTE or (
        client and _count(session, recent.where(Participant.client == client)) >= JOINS_PER_MINUTE_FROM_ONE_ADDRESS
    ):
        raise InputError.single("code", "too_many_joins")
    token = secrets.token_urlsafe(24)
    participant = Participant(
        session_id=stored_id(workshop),
        display_name=person.display_name,
        organisation=person.organisation,
        token_hash=hash_token(token),
        last_seen_at=now,
        client=client[:64],
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
        or not secrets.compare_digest(participant.token_hash, hash_token(credential.token))
    ):
        raise SessionClosed()
    return workshop, participant


def check_pass(*, session: Session, credential: ParticipantPass) -> ParticipantPass:
    """The pass, if it still opens its session (a phone coming back after a reload or a sleep)."""
    _authorised(session, credential, sending=False)
    return credential


def seen(*, session: Session, credential: ParticipantPass) -> bool:
    """Note that the phone is showing the workshop now (written at most every few seconds)."""
    _, participant = _authorised(session, credential, sending=False)
    now = utcnow()
    if participant.last_seen_at is not None and now - participant.last_seen_at < _SEEN_EVERY:
        return False
    session.execute(update(Participant).where(col(Participant.id) == participant.id).values(last_seen_at=now))
    return True


def _not_too_fast(session: Session, workshop: WorkshopSession, participant: Participant) -> None:
    """Refuse a send beyond what a person in a room could type, or beyond what the queue is made to hold."""
    mine = select(func.count()).select_from(Contribution).where(Contribution.participant_id == participant.id)
    minute_ago = utcnow() - dt.timedelta(minutes=1)
    if _count(session, mine.where(Contribution.created_at >= minute_ago)) >= SENDS_PER_MINUTE:
        raise InputError.single("contribution", "too_fast")
    if _count(session, mine) >= SENDS_PER_PARTICIPANT:
        raise InputError.single("contribution", "too_many_sends", max=SENDS_PER_PARTICIPANT)
    in_session = select(func.count()).select_from(Contribution).where(Contribution.session_id == workshop.id)
    if _count(session, in_session) >= SENDS_PER_SESSION:
        raise InputError.single("contribution", "queue_full")


def _changes_not_too_fast(session: Session, participant: Participant) -> None:
    minute_ago = utcnow() - dt.timedelta(minutes=1)
    votes = _count(
        session,
        select(func.count())
        .select_from(Vote)
        .where(Vote.participant_id == participant.id, Vote.created_at >= minute_ago),
    )
    placements = _count(
        session,
        select(func.count())
        .select_from(Placement)
        .where(Placement.participant_id == participant.id, Placement.updated_at >= minute_ago),
    )
    if votes + placements >= CHANGES_PER_MINUTE:
        raise InputError.single("contribution", "too_fast")


def propose_stakeholder(*, session: Session, credential: ParticipantPass, data: Mapping[str, Any]) -> Contribution:
    """A participant proposes a stakeholder (name, group, voices it carries); it waits for the facilitator."""
    workshop, participant = _authorised(session, credential)
    proposal = validated(ProposedStakeholder, dict(data))
    if proposal.group_id not in load_content().group_names:
        raise InputError.single("group_id", "unknown_choice", value=proposal.group_id)
    _not_too_fast(session, workshop, participant)
    contribution = Contribution(
        session_id=stored_id(workshop),
        participant_id=stored_id(participant),
        kind="stakeholder",
        payload=proposal.model_dump(),
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
    _not_too_fast(session, workshop, participant)
    contribution = Contribution(
        session_id=stored_id(workshop),
        participant_id=stored_id(participant),
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
    _changes_not_too_fast(session, participant)
    used = session.exec(select(func.count()).select_from(Vote).where(Vote.participant_id == participant.id)).one()
    if used >= MAX_VOTES:
        raise InputError.single("vote", "too_many_votes", max=MAX_VOTES)
    session.add(
        Vote(session_id=stored_id(workshop), participant_id=stored_id(participant), stakeholder_id=stakeholder_id)
    )
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
    _changes_not_too_fast(session, participant)
    existing = session.exec(
        select(Placement).where(Placement.participant_id == participant.id, Placement.stakeholder_id == stakeholder_id)
    ).first()
    if existing is None:
        existing = Placement(
            session_id=stored_id(workshop),
            participant_id=stored_id(participant),
            stakeholder_id=stakeholder_id,
            influence=influence,
            interest=interest,
        )
    else:
        existing.influence, existing.interest, existing.updated_at = influence, interest, utcnow()
    session.add(existing)


# --- What a phone shows -------------------------------------------------------------------------------------------
@dataclass(frozen=True)
class ParticipantView:
    """All a participant may see: the workspace's name, what is on the screen, stakeholder names, own votes."""

    workspace_name: str
    display_name: str
    current_item: str
    current_question: str | None
    current_text: str
    stakeholders: dict[int, str]
    votes: frozenset[int]
    placements: dict[int, tuple[int, int]]

    @property
    def votes_left(self) -> int:
        return max(0, MAX_VOTES - len(self.votes))


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
        actions: dict[str, Action1 | Action2 | Action3 | Action4]
        actions = {"1": content.action1, "2": content.action2, "3": content.action3, "4": content.action4}
        action = actions[key]
        current_question, current_text = None, t("action.title", number=action.number, title=action.title)
    else:
        current_question, current_text = None, content.checklist.title
    # Ids read back from the table: a primary key is never NULL (SQLModel types `id` as `int | None`).
    names = cast(
        dict[int, str],
        dict(
            session.exec(
                select(Stakeholder.id, Stakeholder.name)
                .where(Stakeholder.workspace_id == workspace.id)
                .order_by(Stakeholder.name)
            ).all()
        ),
    )
    votes = frozenset(session.exec(select(Vote.stakeholder_id).where(Vote.participant_id == participant.id)))
    placed = {
        p.stakeholder_id: (p.influence, p.interest)
        for p in session.exec(select(Placement).where(Placement.participant_id == participant.id))
    }
    return ParticipantView(
        workspace.name,
        participant.display_name,
        workshop.current_item,
        current_question,
        current_text,
        names,
        votes,
        placed,
    )
