"""Presenter view: one guiding question or one action at a time, large, with the room's results and the join bar,
updating by itself as the room contributes. Made for a projector at 1280×720 or 1920×1080.

Opened from the menu by the workspace's owner it has Previous and Next; opened with the read-only presenter link
(on a second screen, without the passcode) it has no control at all and follows the facilitator."""

import streamlit as st

from gcm_guide import store, workshop
from gcm_guide.models import WorkshopSession
from gcm_guide.web import resources, session, unlock, workshop_view
from gcm_guide.web.saving import write
from gcm_guide.web.text import t

content = resources.content()
items = workshop.presenter_items(content)
workshop_view.presenter_style()

if session.presenter_link_only():
    projection = session.projection()
    if projection is None:
        st.info(t("workshop.presenter_link_closed"), icon=":material/event_busy:")
        st.stop()
    assert projection is not None
    workspace = resources.read(store.get_workspace, public_id=projection.workspace_public_id)
    controls = False
else:
    workspace = unlock.require_workspace()
    controls = True


def live_session() -> WorkshopSession | None:
    """The live session: the workspace's, or for a link only the session the link was made for."""
    if not controls:
        opened = session.projection()
        return opened.session if opened is not None else None
    return resources.read(workshop.current_session, workspace_id=workspace.id)


if controls:
    live = live_session()
    # The current item lives on the session, so presenter windows and phones follow; without a session, here.
    current = (
        live.current_item if live and live.current_item in items else st.session_state.get("presenter_item", items[0])
    )

    def go(step: int) -> None:
        target = workshop.step_item(items, current, step)
        st.session_state["presenter_item"] = target
        if live is not None:
            write(workshop.set_current_item, workspace_id=workspace.id, item=target)

    previous, middle, following = st.columns([1, 4, 1], vertical_alignment="center")
    previous.button(t("workshop.previous"), icon=":material/arrow_back:", on_click=go, args=(-1,), width="stretch")
    middle.caption(t("workshop.presenter_owner_note"))
    following.button(
        t("workshop.next"), icon=":material/arrow_forward:", on_click=go, args=(1,), type="primary", width="stretch"
    )


@st.fragment(run_every="1.5s")
def projected_screen() -> None:
    """Re-reads the session and the workspace every moment: what the facilitator shows, and what the room sends."""
    live = live_session()
    item = (
        live.current_item if live and live.current_item in items else st.session_state.get("presenter_item", items[0])
    )
    data = resources.workspace_data(workspace, refresh=True)
    st.markdown(
        t(
            "workshop.presenter_heading",
            workspace=workspace.name,
            item=workshop_view.item_title(item, content),
            position=items.index(item) + 1,
            total=len(items),
        )
    )
    workshop_view.projected_item(item, data, content, live)
    if live is not None:
        workshop_view.join_bar(live, large=True)
    elif controls:
        st.caption(t("workshop.no_session_presenter"))
    else:
        st.info(t("workshop.presenter_link_closed"), icon=":material/event_busy:")


projected_screen()
