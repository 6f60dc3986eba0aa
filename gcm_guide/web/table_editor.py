"""Editable tables (the stakeholder register, the awareness plan, the set-up roles): every edit in the grid is
saved at once, all of a batch or none, and a clash with someone else's change shows both values."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import streamlit as st

from gcm_guide import tables
from gcm_guide.errors import Conflict, StoreError
from gcm_guide.i18n import describe_error, field_label
from gcm_guide.web.autosave import both_values
from gcm_guide.web.saving import Refused, attempt, leave_message, mark_saved, write_table_edit
from gcm_guide.web.text import plain, t


def editable_table(
    spec: tables.TableSpec,
    records: Sequence[Any],
    *,
    key: str,
    workspace_id: int,
    column_config: dict[str, Any],
    incomplete_message: str,
    columns: Sequence[str] | None = None,
) -> None:
    """A `st.data_editor` over `records` whose every edit is saved at once (all of a batch, or none).
    `columns`: the ones to show (all of the table's by default); the others keep their values."""
    rows = tables.rows_for(spec, records)
    round_key = f"{key}__round"
    editor_key = f"{key}__editor_{st.session_state.get(round_key, 0)}"
    # The rows as drawn: the editor reports edits by position in them.
    st.session_state[f"{key}__rows"] = rows

    def save_edits() -> None:
        try:
            edits = tables.read_edits(spec, st.session_state[f"{key}__rows"], st.session_state[editor_key])
        except StoreError as exc:
            leave_message(plain(describe_error(exc)))
            return
        st.session_state[f"{key}__incomplete"] = edits.incomplete
        if edits.empty:
            return
        if not write_table_edit(
            tables.apply_edits, f"{key}__conflict", spec=spec, workspace_id=workspace_id, edits=edits
        ):
            return  # nothing was saved; the user's edit stays in the table (to choose below, or to try again)
        st.session_state.pop(f"{key}__conflict", None)
        # A fresh editor shows the saved rows (and anything others saved meanwhile).
        st.session_state[round_key] = st.session_state.get(round_key, 0) + 1

    # Only the shown columns go to the browser: the columns a person left out of view would be sent, converted
    # and hashed on every run for nothing (the register's hidden columns were most of its 150 KB).
    shown = [column for column in (columns or spec.columns) if column in spec.columns]
    st.data_editor(
        tables.frame_for(spec, rows, shown),
        key=editor_key,
        column_config={name: config for name, config in column_config.items() if name in shown},
        column_order=shown,
        num_rows="dynamic",
        hide_index=True,
        width="stretch",
        placeholder="",  # an empty cell shows nothing, not "None"
        on_change=save_edits,
    )
    if st.session_state.get(f"{key}__incomplete"):
        st.info(incomplete_message, icon=":material/pending:")
    _table_conflict(spec, key, workspace_id, round_key)


def _table_conflict(spec: tables.TableSpec, key: str, workspace_id: int, round_key: str) -> None:
    """Both values of a cell someone else changed meanwhile, and the choice of which to keep."""
    conflict: Conflict | None = st.session_state.get(f"{key}__conflict")
    if conflict is None:
        return

    def fresh_table() -> None:
        st.session_state.pop(f"{key}__conflict", None)
        st.session_state[round_key] = st.session_state.get(round_key, 0) + 1

    def keep_mine() -> None:
        outcome = attempt(
            spec.update,
            workspace_id=workspace_id,
            **{spec.id_argument: conflict.row_id},
            changes={conflict.field: conflict.mine},
            expected_version=conflict.current_version,
        )
        if isinstance(outcome, Refused):
            if outcome.conflict is not None:  # changed again meanwhile: show the newest values
                outcome.conflict.row_id, outcome.conflict.row_label = conflict.row_id, conflict.row_label
                st.session_state[f"{key}__conflict"] = outcome.conflict
            else:
                leave_message(outcome.message)
            return
        mark_saved()
        fresh_table()

    message = t("conflict.table_message", row=str(conflict.row_label or ""), field=field_label(conflict.field))
    both_values(conflict, message, key, keep_mine, fresh_table)
