"""Presenter view: one guiding question or one action at a time, large, updating by itself as the room
contributes. Made for a projector at 1280×720."""

import streamlit as st

from gcm_guide import workshop
from gcm_guide.web import resources, unlock, workshop_view
from gcm_guide.web.saving import write
from gcm_guide.web.text import t

workspace = unlock.require_workspace()
content = resources.content()
workshop_view.presenter_style()
items = workshop.presenter_items(content)

live = resources.read(workshop.current_session, workspace_id=workspace.id)
# The current item lives on the session, so participants' phones follow the screen.
current = live.current_item if live and live.current_item in items else st.session_state.get("presenter_item", items[0])


def go(step: int) -> None:
    target = workshop.step_item(items, current, step)
    st.session_state["presenter_item"] = target
    if live is not None:
        write(workshop.set_current_item, workspace_id=workspace.id, item=target)


previous, title, following = st.columns([1, 4, 1], vertical_alignment="center")
previous.button(t("workshop.previous"), icon=":material/arrow_back:", on_click=go, args=(-1,), width="stretch")
title.markdown(
    t(
        "workshop.presenter_heading",
        workspace=workspace.name,
        item=workshop_view.item_title(current, content),
        position=items.index(current) + 1,
        total=len(items),
    )
)
following.button(
    t("workshop.next"), icon=":material/arrow_forward:", on_click=go, args=(1,), type="primary", width="stretch"
)


@st.fragment(run_every="3s")
def live_view() -> None:
    """Re-reads the workspace every few seconds; the buttons above keep their state."""
    data = resources.workspace_data(workspace, refresh=True)
    room = resources.read(workshop.room_placements, workspace_id=workspace.id)
    votes = resources.read(workshop.vote_counts, workspace_id=workspace.id)
    waiting = workshop.waiting_on(resources.read(workshop.queue, workspace_id=workspace.id), current)
    workshop_view.presenter_item(current, data, content, room, votes, waiting)


live_view()
if live is not None:
    with st.container(border=True):
        workshop_view.join_banner(live.code, large=False)
else:
    st.caption(t("workshop.no_session_presenter"))
