"""The facilitator's queue: what the room sent, newest first and a page at a time, and what becomes of it: a
proposed stakeholder joins the register (as sent, or as the facilitator edited it), an answer is added to its
guiding question, a proposal is merged into a stakeholder already there, or set aside. Nothing sent is ever
deleted, and the participant's own words are kept beside any edit."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import func
from sqlmodel import Session, col, select

from gcm_guide import store
from gcm_guide.content import load_content
from gcm_guide.errors import InputError, NotFound, validated
from gcm_guide.models import (
    MAX_LABEL,
    MAX_PROPOSED_BY,
    Contribution,
    GuidingAnswer,
    Participant,
    ProposedAnswer,
    ProposedStakeholder,
    Stakeholder,
    WorkshopSession,
    utcnow,
)

PAGE = 20  # queue items on one page of the console
ACCEPT_AT_ONCE = 200  # the most "Accept all" takes in one go (each is a write; the rest wait for the next click)


@dataclass(frozen=True)
class QueueItem:
    contribution: Contribution
    participant: Participant

    @property
    def proposer(self) -> str:
        person = self.participant
        return f"{person.display_name} ({person.organisation})" if person.organisation else person.display_name

    @property
    def payload(self) -> dict[str, Any]:
        """What will be accepted: the facilitator's edit if there is one, else what the participant sent."""
        return self.contribution.edited or self.contribution.payload


def _in_workspace(workspace_id: int, statuses: Sequence[str], kind: str | None) -> Any:
    query = (
        select(Contribution, Participant)
        .join(Participant, col(Participant.id) == Contribution.participant_id)
        .join(WorkshopSession, col(WorkshopSession.id) == Contribution.session_id)
        .where(WorkshopSession.workspace_id == workspace_id, col(Contribution.status).in_(list(statuses)))
    )
    return query.where(Contribution.kind == kind) if kind else query


def queue(
    *,
    session: Session,
    workspace_id: int,
    statuses: Sequence[str] = ("pending",),
    kind: str | None = None,
    newest_first: bool = False,
    limit: int | None = None,
    offset: int = 0,
) -> list[QueueItem]:
    """Contributions to the workspace's sessions with the given statuses (and kind), oldest or newest first,
    a page at a time."""
    order = col(Contribution.id).desc() if newest_first else Contribution.id
    query = _in_workspace(workspace_id, statuses, kind).order_by(order).offset(offset)
    if limit is not None:
        query = query.limit(limit)
    return [QueueItem(contribution, participant) for contribution, participant in session.exec(query).all()]


def queue_size(
    *, session: Session, workspace_id: int, statuses: Sequence[str] = ("pending",), kind: str | None = None
) -> int:
    query = (
        select(func.count())
        .select_from(Contribution)
        .join(WorkshopSession, col(WorkshopSession.id) == Contribution.session_id)
        .where(WorkshopSession.workspace_id == workspace_id, col(Contribution.status).in_(list(statuses)))
    )
    if kind:
        query = query.where(Contribution.kind == kind)
    return int(session.exec(query).one())


def _pending(session: Session, workspace_id: int, contribution_id: int) -> QueueItem:
    row = session.exec(
        select(Contribution, Participant, WorkshopSession)
        .join(Participant, col(Participant.id) == Contribution.participant_id)
        .join(WorkshopSession, col(WorkshopSession.id) == Contribution.session_id)
        .where(Contribution.id == contribution_id)
        .with_for_update(of=Contribution)
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


def edit(*, session: Session, workspace_id: int, contribution_id: int, changes: Mapping[str, Any]) -> Contribution:
    """The facilitator's version of a contribution before accepting it (a clearer name, the right group, an
    answer shortened); what the participant sent stays as sent."""
    item = _pending(session, workspace_id, contribution_id)
    merged = {**item.payload, **changes}
    if item.contribution.kind == "stakeholder":
        checked = validated(ProposedStakeholder, merged).model_dump()
        if checked["group_id"] not in load_content().group_names:
            raise InputError.single("group_id", "unknown_choice", value=checked["group_id"])
    else:
        checked = {"text": validated(ProposedAnswer, {"text": merged.get("text", "")}).text}
    item.contribution.edited = None if checked == item.contribution.payload else checked
    session.add(item.contribution)
    return item.contribution


def accept(*, session: Session, workspace_id: int, contribution_id: int) -> Any:
    """Accept a contribution: a proposed stakeholder joins the register (with who proposed it); an answer is
    added to the guiding question's answer, signed with its author."""
    item = _pending(session, workspace_id, contribution_id)
    payload = item.payload
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
        select(GuidingAnswer).where(
            GuidingAnswer.workspace_id == workspace_id, GuidingAnswer.question_id == question_id
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


@dataclass(frozen=True)
class Accepted:
    """What "accept all" (or the ticked ones) did: how many joined, and those refused with the reason."""

    accepted: int
    refused: tuple[tuple[int, str], ...]  # (contribution id, the refusal's problem code)


def accept_many(*, session: Session, workspace_id: int, contribution_ids: Sequence[int]) -> Accepted:
    """Accept several contributions together. One that cannot join (its name is already on the register, or
    someone dealt with it meanwhile) is left in the queue and reported; the others are accepted."""
    accepted, refused = 0, []
    for contribution_id in list(dict.fromkeys(contribution_ids))[:ACCEPT_AT_ONCE]:
        savepoint = session.begin_nested()
        try:
            accept(session=session, workspace_id=workspace_id, contribution_id=contribution_id)
        except (InputError, NotFound) as exc:
            savepoint.rollback()
            code = exc.problems[0].code if isinstance(exc, InputError) else "not_found"
            refused.append((contribution_id, code))
            continue
        savepoint.commit()
        accepted += 1
    return Accepted(accepted, tuple(refused))


def merge(*, session: Session, workspace_id: int, contribution_id: int, stakeholder_id: int) -> Stakeholder:
    """Merge a proposed stakeholder into one already on the register: its voices and note are added there."""
    item = _pending(session, workspace_id, contribution_id)
    if item.contribution.kind != "stakeholder":
        raise InputError.single("contribution", "not_mergeable")
    person = store.get_stakeholder(session=session, workspace_id=workspace_id, stakeholder_id=stakeholder_id)
    payload = item.payload
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


def dismiss(*, session: Session, workspace_id: int, contribution_id: int) -> int:
    """Set a contribution aside. It stays in the queue's record; it can be reopened."""
    _decide(session, _pending(session, workspace_id, contribution_id), "dismissed", "")
    return contribution_id


def reopen(*, session: Session, workspace_id: int, contribution_id: int) -> int:
    """Put a dismissed contribution back in the queue."""
    row = session.exec(
        select(Contribution, WorkshopSession)
        .join(WorkshopSession, col(WorkshopSession.id) == Contribution.session_id)
        .where(Contribution.id == contribution_id)
    ).first()
    if row is None or row[1].workspace_id != workspace_id or row[0].status != "dismissed":
        raise NotFound("contribution", contribution_id)
    row[0].status, row[0].decided_at = "pending", None
    session.add(row[0])
    return contribution_id
