"""Snapshots and changes: keep the workspace as it stands, and see what changed since a snapshot."""

import streamlit as st

from gcm_guide import snapshots
from gcm_guide.models import MAX_LONG_TEXT, MAX_NAME
from gcm_guide.web import resources, snapshots_view, unlock
from gcm_guide.web.saving import show_messages, write
from gcm_guide.web.text import t, t_plain

workspace = unlock.require_workspace()
content = resources.content()
st.title(t("snapshots.title"))
st.caption(t("snapshots.intro"))
show_messages()
taken = st.session_state.pop("snapshot_taken", None)
if taken:
    st.success(t("snapshots.taken", name=taken), icon=":material/photo_camera:")

# The fields are emptied only once a snapshot is saved (a refused name stays where it was typed): new keys
# give new, empty fields, which the browser cannot fill back in as it can a field whose state was cleared.
round_number = st.session_state.get("snapshot_round", 0)
with st.form("snapshot_take"):
    st.subheader(t("snapshots.take_title"))
    name = st.text_input(
        t("snapshots.name"),
        max_chars=MAX_NAME,
        placeholder=t_plain("snapshots.name_placeholder"),
        key=f"snapshot_name_{round_number}",
    )
    note = st.text_area(t("snapshots.note"), max_chars=MAX_LONG_TEXT, height=80, key=f"snapshot_note_{round_number}")
    if st.form_submit_button(t("snapshots.take"), icon=":material/photo_camera:", type="primary"):
        made = write(snapshots.take, workspace_id=workspace.id, name=name, note=note, content=content)
        if made is not None:
            st.session_state["snapshot_round"] = round_number + 1
            st.session_state["snapshot_taken"] = made.name
        st.rerun()

listed = resources.read(snapshots.list_snapshots, workspace_id=workspace.id)
st.header(t("snapshots.list_title"), divider="gray")
snapshots_view.snapshot_table(listed)

st.header(t("snapshots.compare_title"), divider="gray")
moments = snapshots_view.choose_moments(listed)
if moments is not None:
    then_id, until_id = moments
    snapshots_view.comparison(
        snapshots_view.snapshot_data(workspace, then_id), snapshots_view.snapshot_data(workspace, until_id), content
    )

st.header(t("snapshots.timeline_title"), divider="gray")
snapshots_view.timeline(workspace, listed, content)
