"""Importing a stakeholder list from a spreadsheet: columns matched to the register's fields, values the app
does not recognise mapped once for every row, every row previewed with what is wrong with it, and the good
rows added together."""

from __future__ import annotations

import hashlib
from typing import Any

import pandas as pd
import streamlit as st

from gcm_guide import spreadsheet
from gcm_guide.content import Content
from gcm_guide.errors import StoreError
from gcm_guide.i18n import get_language, problems_text
from gcm_guide.web.saving import show_messages, write
from gcm_guide.web.text import joined, t, t_plain, tn
from gcm_guide.workspace_data import WorkspaceData

NOT_IN_FILE = ""
_PARSED = "import__parsed"


def _parsed(upload: Any) -> pd.DataFrame | StoreError:
    """The uploaded file read once, not again on every rerun while it sits in the uploader."""
    cached = st.session_state.get(_PARSED)
    if cached is not None and cached[0] == upload.file_id:
        return cached[1]
    try:
        outcome: pd.DataFrame | StoreError = spreadsheet.read_table(upload.getvalue(), upload.name)
    except StoreError as exc:
        outcome = exc
    st.session_state[_PARSED] = (upload.file_id, outcome)
    return outcome


def spreadsheet_import(workspace_id: int, data: WorkspaceData, content: Content) -> None:
    """Import stakeholders from a CSV or Excel file: map columns and values, preview every row, add the good ones."""
    upload = st.file_uploader(t("import.file"), type=["csv", "xlsx"], key="import_file", help=t("import.file_help"))
    if upload is None:
        st.session_state.pop(_PARSED, None)
        return
    frame = _parsed(upload)
    if isinstance(frame, StoreError):
        st.error(t("import.refused", problems=problems_text(frame)), icon=":material/error:")
        return
    language = get_language()
    file_key = upload.file_id  # widgets of another file start afresh
    mapping = _column_mapping(frame, file_key, language)
    value_map = _value_mapping(frame, mapping, content, file_key, language)
    rows = spreadsheet.preview(
        frame, mapping, content, [s.name for s in data.stakeholders], language=language, value_map=value_map
    )
    good = [row for row in rows if row.ok]
    st.markdown(f"**{tn('import.preview', len(rows), good=len(good))}**")
    st.dataframe(
        [
            {
                t_plain("import.row"): r.number,
                t_plain("fields.name"): r.data.get("name"),
                t_plain("fields.group_id"): content.group_names.get(r.data.get("group_id") or "", ""),
                t_plain("import.status"): t_plain("import.ok") if r.ok else " ".join(r.problems),
            }
            for r in rows
        ],
        hide_index=True,
        width="stretch",
        height=min(420, 40 + 35 * len(rows)),
    )
    _understood(content)
    if not good:
        st.info(t("import.nothing_to_import"), icon=":material/info:")
        return
    if st.button(tn("import.submit", len(good)), type="primary", key=f"import_submit_{file_key}"):
        added = write(spreadsheet.import_rows, workspace_id=workspace_id, rows=good)
        if added:
            st.session_state["import_done"] = added
            st.session_state.pop(_PARSED, None)
            st.session_state.pop("import_file", None)
            st.rerun()
        show_messages()


def _column_mapping(frame: pd.DataFrame, file_key: str, language: str) -> dict[str, str | None]:
    columns = [NOT_IN_FILE, *frame.columns]
    guessed = spreadsheet.guess_mapping(list(frame.columns), language)
    st.markdown(f"**{t('import.mapping')}**")
    mapping: dict[str, str | None] = {}
    grid = st.columns(3)
    for index, field in enumerate(spreadsheet.FIELDS):
        chosen = grid[index % 3].selectbox(
            t(f"fields.{field}"),
            columns,
            index=columns.index(guessed[field] or NOT_IN_FILE),
            format_func=lambda c: t_plain("import.not_in_file") if c == NOT_IN_FILE else c,
            key=f"import_map_{file_key}_{field}",
        )
        mapping[field] = chosen if chosen in frame.columns else None
    return mapping


def _value_mapping(
    frame: pd.DataFrame, mapping: dict[str, str | None], content: Content, file_key: str, language: str
) -> dict[str, dict[str, Any]]:
    """Ask what each unrecognised value means, once for all its rows; returns the choices made so far."""
    found = spreadsheet.unrecognised(frame, mapping, content, language=language)
    if not found:
        return {}
    names = spreadsheet.choice_names(content)
    st.markdown(f"**{t('import.values_title')}**")
    st.caption(t("import.values_help"))
    value_map: dict[str, dict[str, Any]] = {}
    for field, counts in found.items():
        options = list(names[field])
        grid = st.columns(3)
        for index, (value, count) in enumerate(counts.items()):
            digest = hashlib.sha256(f"{field}\0{value}".encode()).hexdigest()[:12]
            chosen = grid[index % 3].selectbox(
                tn("import.value_label", count, value=value),
                options,
                index=None,
                format_func=names[field].__getitem__,
                placeholder=t_plain("import.value_choose"),
                key=f"import_value_{file_key}_{digest}",
                help=t("fields." + field),
            )
            if chosen is not None:
                value_map.setdefault(field, {})[spreadsheet.mapping_key(value)] = chosen
    return value_map


def _understood(content: Content) -> None:
    """The values each choice column accepts, so a team can fix its file if it prefers."""
    names = spreadsheet.choice_names(content)
    with st.expander(t("import.understood"), icon=":material/help:"):
        for field in ("group_id", "government_level", "engagement_status", "influence"):
            st.markdown(t("import.understood_line", field=t(f"fields.{field}"), values=joined(names[field].values())))
