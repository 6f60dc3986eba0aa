"""Importing a stakeholder list from a spreadsheet: columns matched to the register's fields, every row
previewed with what is wrong with it, and the good rows added together."""

from __future__ import annotations

import streamlit as st

from gcm_guide import spreadsheet
from gcm_guide.content import Content
from gcm_guide.errors import StoreError
from gcm_guide.i18n import problems_text
from gcm_guide.web.saving import show_messages, write
from gcm_guide.web.text import t, t_plain
from gcm_guide.workspace_data import WorkspaceData

NOT_IN_FILE = ""


def spreadsheet_import(workspace_id: int, data: WorkspaceData, content: Content) -> None:
    """Import stakeholders from a CSV or Excel file: map columns, preview every row, then add the good ones."""
    upload = st.file_uploader(t("import.file"), type=["csv", "xlsx"], key="import_file", help=t("import.file_help"))
    if upload is None:
        return
    try:
        frame = spreadsheet.read_table(upload.getvalue(), upload.name)
    except StoreError as exc:
        st.error(t("import.refused", problems=problems_text(exc)), icon=":material/error:")
        return
    columns = [NOT_IN_FILE, *frame.columns]
    guessed = spreadsheet.guess_mapping(list(frame.columns))
    st.markdown(f"**{t('import.mapping')}**")
    mapping: dict[str, str | None] = {}
    grid = st.columns(3)
    for index, field in enumerate(spreadsheet.FIELDS):
        chosen = grid[index % 3].selectbox(
            t(f"fields.{field}"),
            columns,
            index=columns.index(guessed[field] or NOT_IN_FILE),
            format_func=lambda c: t_plain("import.not_in_file") if c == NOT_IN_FILE else c,
            key=f"import_map_{field}",
        )
        mapping[field] = chosen or None
    rows = spreadsheet.preview(frame, mapping, content, [s.name for s in data.stakeholders])
    good = [row for row in rows if row.ok]
    st.markdown(f"**{t('import.preview', good=len(good), total=len(rows))}**")
    st.dataframe(
        [
            {
                t("import.row"): r.number,
                t("fields.name"): r.data.get("name"),
                t("fields.group_id"): content.group_names.get(r.data.get("group_id") or "", ""),
                t("import.status"): t("import.ok") if r.ok else " ".join(r.problems),
            }
            for r in rows
        ],
        hide_index=True,
        width="stretch",
        height=min(420, 40 + 35 * len(rows)),
    )
    if st.button(t("import.submit", count=len(good)), type="primary", disabled=not good, key="import_submit"):
        added = write(spreadsheet.import_rows, workspace_id=workspace_id, rows=good)
        if added:
            st.session_state["import_done"] = added
            st.session_state.pop("import_file", None)
            st.rerun()
        show_messages()
