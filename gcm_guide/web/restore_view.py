"""Restoring a backup file as a new workspace, after showing what it holds."""

from __future__ import annotations

import datetime as dt

import streamlit as st

from gcm_guide import access, backup, store
from gcm_guide.errors import StoreError
from gcm_guide.i18n import problems_text
from gcm_guide.models import MAX_NAME, name_key
from gcm_guide.web import session, unlock
from gcm_guide.web.resources import read
from gcm_guide.web.saving import show_messages, write
from gcm_guide.web.text import t, t_plain


def restore_from_backup() -> None:
    """Restore a backup file as a new workspace, after showing what it holds; then open it."""
    upload = st.file_uploader(t("restore.file"), type=["json"], key="restore_file", help=t("restore.file_help"))
    if upload is None:
        return
    try:
        parsed = backup.read_backup(upload.getvalue())
    except StoreError as exc:
        st.error(t("restore.refused", problems=problems_text(exc)), icon=":material/error:")
        return
    facts = backup.summary(parsed)
    st.markdown(t("restore.preview", **facts))
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
        restored = write(access.restore_protected_workspace, backup=parsed, name=name, **owner)
        if restored:
            session.grant(restored.public_id)
            session.open_workspace(restored.public_id)
            st.switch_page("pages/summary.py", query_params={session.WORKSPACE_PARAM: restored.public_id})
        show_messages()
