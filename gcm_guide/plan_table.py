"""Action 2's plan table: one row per stakeholder with how the team will engage it (level, mechanisms,
mediums, timing) and where engagement stands, edited in place; and copying one plan to several stakeholders.

The editor reports edits by row position against the rows it was given (as for gcm_guide.tables); the
"selected" column only marks rows for copying and is never saved.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Mapping, Sequence, Set
from dataclasses import dataclass, field
from typing import Any, Literal

import pandas as pd
from sqlmodel import Session, select

from gcm_guide import store
from gcm_guide.content import Content
from gcm_guide.errors import Conflict, InputError, Problem
from gcm_guide.models import EngagementPlan, Stakeholder

PLAN_FIELDS = ("participation_level", "mechanisms", "mediums", "phases")
LIST_FIELDS = ("mechanisms", "mediums", "phases")
COLUMNS = ("selected", "name", "group", *PLAN_FIELDS, "engagement_status")
# The most stakeholders the detail chooser lists at once. A browser sends and draws the whole list on every run
# of the page: listing them all cost each run ~40 ms at 1,000 stakeholders, ~270 ms at 5,000 (docs/benchmarks.md).
CHOOSER_LIMIT = 100


def rows_for(
    stakeholders: Sequence[Stakeholder],
    plans: Mapping[int, EngagementPlan],
    content: Content,
    selected: Set[int] = frozenset(),
) -> list[dict[str, Any]]:
    """One plain row per stakeholder, with the ids and versions its edits are checked against."""
    rows = []
    for person in stakeholders:
        assert person.id is not None
        plan = plans.get(person.id)
        rows.append(
            {
                "id": person.id,
                "plan_version": plan.version if plan else 0,
                "stakeholder_version": person.version,
                "selected": person.id in selected,
                "name": person.name,
                "group": content.group_names.get(person.group_id, person.group_id),
                "participation_level": (plan.participation_level if plan else None) or "",
                **{name: list(getattr(plan, name)) if plan else [] for name in LIST_FIELDS},
                "engagement_status": person.engagement_status,
            }
        )
    return rows


def frame_for(rows: Sequence[Mapping[str, Any]]) -> pd.DataFrame:
    """The table's columns as a DataFrame with stable types, even when empty."""
    frame = pd.DataFrame([{c: row[c] for c in COLUMNS} for row in rows], columns=list(COLUMNS))
    frame["selected"] = frame["selected"].astype(bool)
    for column in COLUMNS[1:]:
        frame[column] = frame[column].astype("object")
    return frame


@dataclass
class PlanEdits:
    """What one batch of plan-table edits asks for."""

    plans: list[tuple[dict[str, Any], dict[str, Any]]] = field(default_factory=list)  # (row, plan changes)
    statuses: list[tuple[dict[str, Any], str]] = field(default_factory=list)  # (row, new status)
    selection: dict[int, bool] = field(default_factory=dict)  # stakeholder id → ticked

    @property
    def empty(self) -> bool:
        return not (self.plans or self.statuses)


def _cell(column: str, value: Any) -> Any:
    if column in LIST_FIELDS:
        return list(value or [])
    if column == "participation_level":
        return value or None
    return value


def read_edits(rows: Sequence[Mapping[str, Any]], editor_state: Mapping[str, Any]) -> PlanEdits:
    """Translate the editor's state (relative to `rows`) into plan changes, status changes and ticks."""
    edits = PlanEdits()
    for index, values in (editor_state.get("edited_rows") or {}).items():
        row = dict(rows[int(index)])
        if "selected" in values:
            edits.selection[row["id"]] = bool(values["selected"])
        changes = {
            column: _cell(column, value)
            for column, value in values.items()
            if column in PLAN_FIELDS and _cell(column, value) != _cell(column, row.get(column))
        }
        if changes:
            edits.plans.append((row, changes))
        status = values.get("engagement_status")
        if status and status != row.get("engagement_status"):
            edits.statuses.append((row, status))
    return edits


def apply_edits(*, session: Session, workspace_id: int, edits: PlanEdits) -> int:
    """Write the plan and status changes in the caller's transaction (all or none); returns how many rows changed.
    A clash with someone else's change raises Conflict naming the row; a refused value, InputError naming it."""
    for row, changes in edits.plans:
        with _about(row):
            store.save_engagement_plan(
                session=session,
                workspace_id=workspace_id,
                stakeholder_id=row["id"],
                changes=changes,
                expected_version=row["plan_version"],
                base={name: _cell(name, row.get(name)) for name in changes},
            )
    for row, status in edits.statuses:
        with _about(row):
            store.update_stakeholder(
                session=session,
                workspace_id=workspace_id,
                stakeholder_id=row["id"],
                changes={"engagement_status": status},
                expected_version=row["stakeholder_version"],
                base={"engagement_status": row.get("engagement_status")},
            )
    return len({row["id"] for row, _ in (*edits.plans, *edits.statuses)})


class _about:  # noqa: N801 - used as a context manager
    """Name the row in a Conflict or InputError raised inside."""

    def __init__(self, row: Mapping[str, Any]) -> None:
        self.row = row

    def __enter__(self) -> None:
        return None

    def __exit__(self, exc_type: Any, exc: Any, _tb: Any) -> Literal[False]:
        if isinstance(exc, Conflict):
            exc.row_id, exc.row_label = self.row["id"], self.row["name"]
        elif isinstance(exc, InputError):
            raise InputError(
                [Problem(p.field, p.code, {**p.params, "row": self.row["name"]}) for p in exc.problems]
            ) from exc
        return False


def copy_plan(*, session: Session, workspace_id: int, source_id: int, target_ids: Sequence[int]) -> int:
    """Give the stakeholders `target_ids` the same level, mechanisms, mediums and timing as `source_id`'s plan
    (their own notes stay); returns how many plans were written."""
    source = store.get_stakeholder(session=session, workspace_id=workspace_id, stakeholder_id=source_id)
    plan = session.exec(select(EngagementPlan).where(EngagementPlan.stakeholder_id == source.id)).first()
    if plan is None:
        raise InputError.single("plan", "no_plan_to_copy", name=source.name)
    values = {name: getattr(plan, name) for name in PLAN_FIELDS}
    targets = [i for i in dict.fromkeys(target_ids) if i != source_id]
    if not targets:
        raise InputError.single("selected", "nothing_selected")
    store.save_engagement_plans(session=session, workspace_id=workspace_id, plans={i: values for i in targets})
    return len(targets)


@dataclass(frozen=True)
class ChooserList:
    """The stakeholders the detail chooser lists: `ids` in register order, the chosen one always among them
    (so that searching never moves the form to another stakeholder); `matches`, how many the search found."""

    ids: list[int]
    matches: int


def _folded(text: str) -> str:
    # Case and accents aside: "ministere" finds "Ministère", "OIM" finds "oim".
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    return "".join(c for c in decomposed if not unicodedata.combining(c))


def chooser_list(
    stakeholders: Sequence[Stakeholder],
    group_names: Mapping[str, str],
    chosen_id: int | None,
    query: str,
    limit: int = CHOOSER_LIMIT,
) -> ChooserList:
    """The stakeholders whose name or group holds every word of `query` (all of them for an empty query), the
    first `limit` of them listed, and the chosen one."""
    words = _folded(query).split()
    found = [
        person.id
        for person in stakeholders
        if person.id is not None
        and all(word in _folded(f"{person.name} {group_names.get(person.group_id, '')}") for word in words)
    ]
    listed = {*found[:limit], chosen_id}
    return ChooserList(ids=[p.id for p in stakeholders if p.id in listed and p.id is not None], matches=len(found))
