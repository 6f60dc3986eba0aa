"""Restoring a backup file as a new workspace, after showing what it holds and anything that stops it."""

from __future__ import annotations

import datetime as dt

import streamlit as st

from gcm_guide import backup, long_writes, store
from gcm_guide.errors import StoreError
from gcm_guide.i18n import problems_text
from gcm_guide.models import MAX_NAME, name_key
from gcm_guide.web import session, unlock
from gcm_guide.web.resources import read
from gcm_guide.web.saving import show_messages, write_in_steps
from gcm_guide.web.text import joined, t, t_plain, tn_plain

_PARSED = "restore__parsed"


def _parsed(upload: st.runtime.uploaded_file_manager.UploadedFile) -> backup.Backup | StoreError:
    """The uploaded file read and checked once, not again on every rerun while it sits in the uploader."""
    cached: tuple[str, backup.Backup | StoreError] | None = st.session_state.get(_PARSED)
    if cached is not None and cached[0] == upload.file_id:
        return cached[1]
    try:
        outcome: backup.Backup | StoreError = backup.read_backup(upload.getvalue())
    except StoreError as exc:
        outcome = exc
    st.session_state[_PARSED] = (upload.file_id, outcome)
    return outcome


def restore_from_backup() -> None:
    """Restore a backup file as a new workspace, after showing what it holds; then open it."""
    upload = st.file_uploader(t("restore.file"), type=["json"], key="restore_file", help=t("restore.file_help"))
    if upload is None:
        st.session_state.pop(_PARSED, None)
        return
    parsed = _parsed(upload)
    if isinstance(parsed, StoreError):
        st.error(t("restore.refused", problems=problems_text(parsed)), icon=":material/error:")
        return
    facts = backup.summary(parsed)
    kinds = ("stakeholders", "plans", "answers", "activities", "roles", "snapshots")
    # Snapshots are named only when the file has some (most files have none).
    contents = joined(tn_plain(f"counts.{kind}", facts[kind]) for kind in kinds if kind != "snapshots" or facts[kind])
    st.markdown(
        t(
            "restore.preview",
            name=facts["name"],
            country=facts["country"] or "—",
            exported_at=facts["exported_at"],
            contents=contents,
        )
    )
    taken = {s.workspace.name_key for s in read(store.workspace_summaries)}
    default = parsed.workspace.name
    if name_key(default) in taken:
        default = f"{default} {t_plain('restore.restored_suffix', date=dt.date.today().isoformat())}"[:MAX_NAME]
    name = st.text_input(t("restore.name"), value=default, max_chars=MAX_NAME, key="restore_name")
    entered = unlock.new_passcode_fields("restore")
    if st.button(
        t("restore.submit"),
        type="primary",
        icon=":material/restore:",
        key="restore_submit",
        disabled=session.oidc_mode() and session.signed_in_subject() is None,
    ):
        owner = unlock.new_owner(entered)
        if owner is None:
            return
        bar = st.progress(0.0, text=t("restore.progress"))
        restored = write_in_steps(
            long_writes.restore_backup,
            parsed=parsed,
            name=name,
            on_progress=lambda share: bar.progress(share, text=t("restore.progress")),
            **owner,
        )
        if restored:
            unlock.keep_recovery_code(owner)
            st.session_state.pop(_PARSED, None)
            session.grant(restored.public_id)
            session.open_workspace(restored.public_id)
            st.switch_page("pages/summary.py", query_params={session.WORKSPACE_PARAM: restored.public_id})
        bar.empty()
        show_messages()
