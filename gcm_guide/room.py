"""What the room says during a workshop: who is connected, the votes, the answers to the question on the screen,
and where people placed stakeholders on the influence/interest grid (each stakeholder's middle and spread, and
how many placements fall in each cell); and taking the room's placements into the register's scores."""

from __future__ import annotations

import math
import statistics
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass

from sqlalchemy import func
from sqlmodel import Session, col, select

from gcm_guide import store
from gcm_guide.models import (
    Contribution,
    Participant,
    Placement,
    Stakeholder,
    Vote,
    WorkshopSession,
    stored_id,
    utcnow,
)
from gcm_guide.participants import CONNECTED_WITHIN
from gcm_guide.workshop import current_session


def participants(*, session: Session, workspace_id: int) -> list[Participant]:
    """Everyone who joined the live session."""
    live = current_session(session=session, workspace_id=workspace_id)
    if live is None:
        return []
    return list(session.exec(select(Participant).where(Participant.session_id == live.id)))


def connected(*, session: Session, session_id: int) -> int:
    """How many phones are showing the workshop now."""
    since = utcnow() - CONNECTED_WITHIN
    return int(
        session.exec(
            select(func.count())
            .select_from(Participant)
            .where(Participant.session_id == session_id, col(Participant.last_seen_at) >= since)
        ).one()
    )


def vote_counts(*, session: Session, workspace_id: int) -> list[tuple[str, int]]:
    """Stakeholders by the votes they received, most first."""
    rows = session.exec(
        select(Stakeholder.name, func.count(col(Vote.id)))
        .join(Vote, col(Vote.stakeholder_id) == Stakeholder.id)
        .where(Stakeholder.workspace_id == workspace_id)
        .group_by(col(Stakeholder.id), Stakeholder.name)
        .order_by(func.count(col(Vote.id)).desc(), Stakeholder.name)
    ).all()
    return [(name, count) for name, count in rows]


@dataclass(frozen=True)
class RoomAnswer:
    text: str
    author: str
    status: str  # pending | accepted | merged | dismissed


def answers_to(*, session: Session, session_id: int, question_id: str, limit: int = 12) -> list[RoomAnswer]:
    """The newest answers the room sent to a guiding question in this session (none set aside)."""
    rows = session.exec(
        select(Contribution, Participant)
        .join(Participant, col(Participant.id) == Contribution.participant_id)
        .where(
            Contribution.session_id == session_id,
            Contribution.kind == "answer",
            Contribution.question_id == question_id,
            Contribution.status != "dismissed",
        )
        .order_by(col(Contribution.id).desc())
        .limit(limit)
    ).all()
    return [RoomAnswer((c.edited or c.payload)["text"], p.display_name, c.status) for c, p in rows]


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

    @property
    def scores(self) -> tuple[int, int]:
        """The middle as whole scores (a half rounds up: the room leaned that way)."""
        return math.floor(self.influence_median + 0.5), math.floor(self.interest_median + 0.5)


def room_placements(*, session: Session, workspace_id: int) -> list[RoomPlacement]:
    """For each stakeholder the room placed, the median and range of its placements, beside the register's."""
    rows = session.exec(
        select(Placement, Stakeholder)
        .join(Stakeholder, col(Stakeholder.id) == Placement.stakeholder_id)
        .where(Stakeholder.workspace_id == workspace_id)
    ).all()
    by_person: dict[int, list[Placement]] = {}
    people: dict[int, Stakeholder] = {}
    for placement, person in rows:
        by_person.setdefault(stored_id(person), []).append(placement)
        people[stored_id(person)] = person
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


def heat(*, session: Session, workspace_id: int) -> dict[tuple[int, int], int]:
    """How many placements fall in each cell of the grid: {(influence, interest): count}."""
    rows = session.exec(
        select(Placement.influence, Placement.interest)
        .join(Stakeholder, col(Stakeholder.id) == Placement.stakeholder_id)
        .where(Stakeholder.workspace_id == workspace_id)
    ).all()
    return dict(Counter((influence, interest) for influence, interest in rows))


def adopt_placements(*, session: Session, workspace_id: int, stakeholder_ids: Sequence[int] | None = None) -> int:
    """Take the room's middle placement as the register's influence and interest scores, for the given
    stakeholders (all the room placed, by default); each change goes to the history. Returns how many changed."""
    changed = 0
    for placement in room_placements(session=session, workspace_id=workspace_id):
        if stakeholder_ids is not None and placement.stakeholder_id not in stakeholder_ids:
            continue
        influence, interest = placement.scores
        if placement.register == (influence, interest):
            continue
        store.update_stakeholder(
            session=session,
            workspace_id=workspace_id,
            stakeholder_id=placement.stakeholder_id,
            changes={"influence": influence, "interest": interest},
        )
        changed += 1
    return changed


def session_of(*, session: Session, session_id: int) -> WorkshopSession | None:
    return session.get(WorkshopSession, session_id)
