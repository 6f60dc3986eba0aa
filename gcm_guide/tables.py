"""Editable tables (the stakeholder register, the awareness plan): rows for `st.data_editor`, and its edits
turned into store writes.

The editor reports edits as {"edited_rows": {index: {column: value}}, "added_rows": [...],
"deleted_rows": [index, ...]} against the rows it was given. `apply_edits` runs them in the caller's
transaction, so one refused row leaves everything as it was.
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, Literal

import pandas as pd
from sqlmodel import Session

from gcm_guide import store
from gcm_guide.errors import Conflict, InputError, Problem
from gcm_guide.models import REGISTER_TABLE_FIELDS


@dataclass(frozen=True)
class TableSpec:
    """Which columns a table edits, and the store functions behind its rows."""

    columns: tuple[str, ...]
    required: tuple[str, ...]
    id_argument: str  # the store functions' keyword for a row id
    add: Callable[..., Any]
    update: Callable[..., Any]
    delete: Callable[..., Any]
    int_columns: tuple[str, ...] = ()
    list_columns: tuple[str, ...] = ()
    date_columns: tuple[str, ...] = ()
    optional_choice_columns: tuple[str, ...] = ()  # "" from the editor means "not set"


STAKEHOLDERS = TableSpec(
    columns=REGISTER_TABLE_FIELDS,
    required=("name", "group_id"),
    id_argument="stakeholder_id",
    add=store.add_stakeholder,
    update=store.update_stakeholder,
    delete=store.delete_stakeholder,
    int_columns=("affected", "influence", "interest"),
    list_columns=("voices",),
    optional_choice_columns=("government_level", "lead_candidate"),
)

ROLES = TableSpec(
    columns=("body", "role", "responsibilities", "reports_to", "reporting_duties"),
    required=("body", "role"),
    id_argument="role_id",
    add=store.add_role,
    update=store.update_role,
    delete=store.delete_role,
)

ACTIVITIES = TableSpec(
    columns=(
        "title",
        "audience",
        "activity_type",
        "objective",
        "starts_on",
        "ends_on",
        "timing_note",
        "lead",
        "status",
    ),
    required=("title", "audience", "activity_type"),
    id_argument="activity_id",
    add=store.add_activity,
    update=store.update_activity,
    delete=store.delete_activity,
    date_columns=("starts_on", "ends_on"),
)


def rows_for(spec: TableSpec, records: Sequence[Any]) -> list[dict[str, Any]]:
    """One plain row per record, with its id and version kept beside the editable columns."""
    return [
        {"id": r.id, "version": r.version, **{column: getattr(r, column) for column in spec.columns}} for r in records
    ]


def frame_for(spec: TableSpec, rows: Sequence[Mapping[str, Any]], columns: Sequence[str] | None = None) -> pd.DataFrame:
    """The editable columns of `rows` (only `columns`, in the table's order, if given) as a DataFrame with
    stable column types, even when empty."""
    shown = [column for column in spec.columns if columns is None or column in columns]
    frame = pd.DataFrame([{column: row.get(column) for column in shown} for row in rows], columns=shown)
    for column in shown:
        if column in spec.int_columns:
            frame[column] = frame[column].astype("Int64")
        elif column in spec.date_columns:
            dated = frame[column].notna().any()
            frame[column] = pd.to_datetime(frame[column]).dt.date if dated else frame[column].astype("object")
        else:
            frame[column] = frame[column].astype("object")
        if column in spec.optional_choice_columns:
            # An unset choice shows as an empty cell rather than the word "None".
            frame[column] = frame[column].where(frame[column].notna(), "")
    return frame


def _clean(spec: TableSpec, column: str, value: Any) -> Any:
    """Editor cells come back as NaN/None when cleared, floats for whole numbers, strings for dates."""
    if value is None or value is pd.NA or (isinstance(value, float) and math.isnan(value)):
        value = None
    elif isinstance(value, float) and value.is_integer():
        value = int(value)
    if column in spec.list_columns:
        return list(value or [])
    if column in spec.date_columns and value is not None:
        if isinstance(value, str):
            return dt.date.fromisoformat(value[:10]) if value.strip() else None
        if isinstance(value, dt.datetime):
            return value.date()
    if column in spec.optional_choice_columns and value == "":
        return None
    text_column = column not in (*spec.int_columns, *spec.date_columns, *spec.optional_choice_columns)
    if value is None and text_column:
        return ""
    return value


def _cells(spec: TableSpec, values: Mapping[str, Any]) -> dict[str, Any]:
    cells = {}
    for column, value in values.items():
        if column not in spec.columns:
            continue
        try:
            cells[column] = _clean(spec, column, value)
        except ValueError as exc:
            raise InputError.single(column, "date_parsing") from exc
    return cells


@dataclass
class TableEdits:
    """What one batch of table edits asks for."""

    updates: list[tuple[dict[str, Any], dict[str, Any]]] = field(default_factory=list)  # (row, changes)
    additions: list[dict[str, Any]] = field(default_factory=list)
    deletions: list[dict[str, Any]] = field(default_factory=list)  # rows
    incomplete: int = 0  # added rows still missing a required cell: kept in the editor, not saved

    @property
    def empty(self) -> bool:
        return not (self.updates or self.additions or self.deletions)


def read_edits(spec: TableSpec, rows: Sequence[Mapping[str, Any]], editor_state: Mapping[str, Any]) -> TableEdits:
    """Translate the editor's state (relative to `rows`) into updates, additions and deletions."""
    edits = TableEdits()
    for index, values in (editor_state.get("edited_rows") or {}).items():
        row = dict(rows[int(index)])
        changes = {column: value for column, value in _cells(spec, values).items() if value != row.get(column)}
        if changes:
            edits.updates.append((row, changes))
    for values in editor_state.get("added_rows") or []:
        cells = {column: value for column, value in _cells(spec, values).items() if value not in (None, "", [])}
        if not cells:
            continue
        if any(not cells.get(column) for column in spec.required):
            edits.incomplete += 1
            continue
        edits.additions.append(cells)
    for index in editor_state.get("deleted_rows") or []:
        edits.deletions.append(dict(rows[int(index)]))
    return edits


def apply_edits(*, session: Session, spec: TableSpec, workspace_id: int, edits: TableEdits) -> int:
    """Write all edits in the caller's transaction and return how many rows changed.

    A refused row raises InputError naming the row; the caller's transaction then rolls everything back.
    """
    label = spec.columns[0]
    # Deletions first: removing "X" and adding a new "X" in one edit is a replacement, not a duplicate.
    for row in edits.deletions:
        spec.delete(session=session, workspace_id=workspace_id, **{spec.id_argument: row["id"]})
    for row, changes in edits.updates:
        with _naming_row(row.get(label)), _locating_conflict(row["id"], row.get(label)):
            spec.update(
                session=session,
                workspace_id=workspace_id,
                **{spec.id_argument: row["id"]},
                changes=changes,
                expected_version=row["version"],
                base={column: row.get(column) for column in changes},
            )
    for data in edits.additions:
        with _naming_row(data.get(label)):
            spec.add(session=session, workspace_id=workspace_id, data=data)
    return len(edits.updates) + len(edits.additions) + len(edits.deletions)


class _locating_conflict:  # noqa: N801 - used as a context manager
    """Tell a Conflict raised inside which row of the table it is about."""

    def __init__(self, row_id: int, label: Any) -> None:
        self.row_id, self.label = row_id, str(label or "")

    def __enter__(self) -> None:
        return None

    def __exit__(self, exc_type: Any, exc: Any, _tb: Any) -> Literal[False]:
        if isinstance(exc, Conflict):
            exc.row_id, exc.row_label = self.row_id, self.label
        return False


class _naming_row:  # noqa: N801 - used as a context manager
    """Add the row's name to any InputError raised inside, so the message says which row."""

    def __init__(self, name: Any) -> None:
        self.name = str(name or "")

    def __enter__(self) -> None:
        return None

    def __exit__(self, exc_type: Any, exc: Any, _tb: Any) -> Literal[False]:
        if isinstance(exc, InputError):
            raise InputError([Problem(p.field, p.code, {**p.params, "row": self.name}) for p in exc.problems]) from exc
        return False
