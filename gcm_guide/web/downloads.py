"""The files a team circulates, offered for download, and read-only tables of the same rows."""

from __future__ import annotations

from collections.abc import Callable

import streamlit as st

from gcm_guide import db, exports, i18n, report, snapshots, store
from gcm_guide.models import Workspace, stored_id
from gcm_guide.web.autosave import autosave
from gcm_guide.web.resources import content, engine
from gcm_guide.web.text import t, t_plain
from gcm_guide.workspace_data import WorkspaceData


def sheet_table(sheet: exports.Sheet, *, height: int | None = None) -> None:
    """One of the export sheets as a read-only table (the same rows the Excel workbook and PDF hold)."""
    rows = [{column.label: value for column, value in zip(sheet.columns, row, strict=True)} for row in sheet.rows]
    if rows:
        st.dataframe(rows, hide_index=True, width="stretch", height=height or "auto")
    else:
        st.caption(t("report.none_yet"))


def in_language(language: str, make: Callable[[], bytes]) -> Callable[[], bytes]:
    """`make`, run in `language` whichever thread calls it (a download's file is made on a worker thread)."""

    def made() -> bytes:
        with i18n.language(language):
            return make()

    return made


def report_language(workspace: Workspace) -> str:
    """The workspace's language for its files, chosen here and saved with it (so a colleague whose screen is in
    another language still circulates the same report)."""
    chosen = autosave(
        st.selectbox,
        key="summary_report_language",
        stored=workspace.language,
        version=workspace.version,
        save=store.field_saver(store.update_workspace, "language", workspace_id=stored_id(workspace)),
        label=t("summary.report_language"),
        options=list(i18n.LANGUAGES),
        format_func=i18n.LANGUAGE_NAMES.__getitem__,
        help=t_plain("summary.report_language_help"),
    )
    return chosen if chosen in i18n.LANGUAGES else workspace.language


def downloads(workspace_id: int, name: str, *, language: str, since: int | None = None) -> None:
    """Download buttons; each file is made when its button is clicked, from the data saved at that moment, in
    `language`. `since`: a snapshot whose changes until now the PDF starts with."""
    # Captured here: the files are made on a worker thread, outside the script run, where the engine could not
    # be looked up.
    database = engine()
    guidance = content()

    def fresh() -> WorkspaceData:
        return db.run_read(database, store.load_workspace_data, workspace_id=workspace_id)

    def pdf() -> bytes:
        baseline = (
            None
            if since is None
            else db.run_read(database, snapshots.load_baseline, workspace_id=workspace_id, snapshot_id=since)
        )
        return report.report_pdf(fresh(), guidance, since=baseline)

    files = [
        ("summary.download_pdf", pdf, "report", ":material/picture_as_pdf:"),
        ("summary.download_xlsx", lambda: exports.workbook_bytes(fresh(), guidance), "workbook", ":material/table:"),
        ("summary.download_csv", lambda: exports.stakeholders_csv(fresh(), guidance), "register_csv", ":material/csv:"),
        (
            "summary.download_backup",
            lambda: db.run_read(database, snapshots.backup_file, workspace_id=workspace_id),
            "backup",
            ":material/save:",
        ),
    ]
    for column, (label, make, kind, icon) in zip(st.columns(len(files)), files, strict=True):
        column.download_button(
            t(label),
            data=in_language(language, make),
            file_name=exports.file_name(name, kind),
            mime=exports.MEDIA_TYPES[kind],
            icon=icon,
            on_click="ignore",
            width="stretch",
            key=f"download_{label}",
        )
    st.caption(t("summary.downloads_help"))
