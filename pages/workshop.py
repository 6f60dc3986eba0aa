"""Workshop: the facilitator's console — open or close a session, drive what is projected, hand out the join
code and the presenter link, and deal with what the room sends, as it arrives."""

import streamlit as st

from gcm_guide import workshop
from gcm_guide.models import stored_id
from gcm_guide.web import moderation_view, resources, unlock, workshop_view
from gcm_guide.web.saving import show_messages, write
from gcm_guide.web.text import t

workspace = unlock.require_workspace()
workspace_id = stored_id(workspace)
content = resources.content()

st.title(t("workshop.title"))
st.caption(t("workshop.intro"))
show_messages()

live = resources.read(workshop.current_session, workspace_id=workspace_id)
if live is None:
    st.info(t("workshop.closed_note"), icon=":material/groups:")
    if st.button(t("workshop.open"), type="primary", icon=":material/play_arrow:"):
        write(workshop.open_session, workspace_id=workspace_id)
        st.rerun()
    st.stop()
assert live is not None

left, right = st.columns([3, 2], gap="large")
with left:
    workshop_view.join_bar(live, large=False)
    if workshop_view.unreachable_from_phones(workshop_view.join_link(live.code)):
        st.warning(t("workshop.unreachable"), icon=":material/wifi_off:")
with right:
    moderation_view.projection_controls(workspace_id, live, content)

moderation_view.queue(workspace_id, content)
moderation_view.room_results(workspace_id)
moderation_view.dealt_with(workspace_id)

with st.popover(t("workshop.close"), icon=":material/stop_circle:"):
    st.caption(t("workshop.close_confirm"))
    if st.button(t("workshop.close"), type="primary", key="workshop_close_confirm"):
        write(workshop.close_session, workspace_id=workspace_id)
        st.rerun()
