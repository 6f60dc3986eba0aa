"""Workshop: the facilitator's console — open or close a session, show the join code, and deal with what the
room sends."""

import streamlit as st

from gcm_guide import progress, workshop
from gcm_guide.web import frame, resources, unlock, workshop_view
from gcm_guide.web.autosave import choose_row
from gcm_guide.web.saving import show_messages, write
from gcm_guide.web.text import joined, plain, t, tn

workspace = unlock.require_workspace()
content = resources.content()

st.title(t("workshop.title"))
st.caption(t("workshop.intro"))
show_messages()

live = resources.read(workshop.current_session, workspace_id=workspace.id)
if live is None:
    st.info(t("workshop.closed_note"), icon=":material/groups:")
    if st.button(t("workshop.open"), type="primary", icon=":material/play_arrow:"):
        write(workshop.open_session, workspace_id=workspace.id)
        st.rerun()
else:
    with st.container(border=True):
        workshop_view.join_banner(live.code, large=True)
        frame.link("presenter", t("workshop.presenter"), icon=":material/present_to_all:")
        with st.popover(t("workshop.close"), icon=":material/stop_circle:"):
            st.caption(t("workshop.close_confirm"))
            if st.button(t("workshop.close"), type="primary", key="workshop_close_confirm"):
                write(workshop.close_session, workspace_id=workspace.id)
                st.rerun()

stakeholders = {s.id: s.name for s in resources.workspace_data(workspace).stakeholders}
questions = {q.id: q.number for q in content.guiding_questions.questions}


@st.fragment(run_every="4s")
def waiting_queue() -> None:
    """The queue refreshes itself, so new contributions appear while the facilitator works."""
    st.caption(tn("workshop.participants", len(resources.read(workshop.participants, workspace_id=workspace.id))))
    st.subheader(t("workshop.queue_title"))
    items = resources.read(workshop.queue, workspace_id=workspace.id)
    if not items:
        st.caption(t("workshop.queue_empty"))
    for item in items:
        contribution, payload = item.contribution, item.contribution.payload
        with st.container(border=True, key=f"queue_{contribution.id}"):
            if contribution.kind == "stakeholder":
                st.markdown(
                    t(
                        "workshop.proposed_stakeholder_line",
                        name=payload["name"],
                        group=content.group_names.get(payload["group_id"], ""),
                    )
                )
                if payload.get("voices"):
                    voices = joined(progress.voice_label(voice, content) for voice in payload["voices"])
                    st.caption(t("workshop.voices_carried", voices=voices))
                if payload.get("note"):
                    st.markdown(plain(payload["note"]))
            else:
                st.markdown(
                    t(
                        "workshop.proposed_answer_line",
                        number=questions.get(contribution.question_id, "?"),
                        text=payload["text"],
                    )
                )
            st.caption(t("workshop.from", proposer=item.proposer))
            accept, merge, dismiss = st.columns([1, 2, 1])
            if accept.button(t("workshop.accept"), key=f"accept_{contribution.id}", type="primary"):
                write(workshop.accept, workspace_id=workspace.id, contribution_id=contribution.id)
                st.rerun()
            if contribution.kind == "stakeholder" and stakeholders:
                with merge:
                    # Nothing is chosen until the facilitator chooses; the choice survives renames elsewhere.
                    target = choose_row(
                        st.selectbox,
                        key=f"merge_target_{contribution.id}",
                        options=list(stakeholders),
                        default=None,
                        format_func=stakeholders.get,
                        label=t("workshop.merge_into"),
                        placeholder=t("workshop.merge_into"),
                        label_visibility="collapsed",
                    )
                if merge.button(t("workshop.merge"), key=f"merge_{contribution.id}", disabled=target is None):
                    write(
                        workshop.merge,
                        workspace_id=workspace.id,
                        contribution_id=contribution.id,
                        stakeholder_id=target,
                    )
                    st.rerun()
            if dismiss.button(t("workshop.dismiss"), key=f"dismiss_{contribution.id}"):
                write(workshop.dismiss, workspace_id=workspace.id, contribution_id=contribution.id)
                st.rerun()


waiting_queue()

with st.expander(t("workshop.decided_title"), icon=":material/inventory:"):
    for item in resources.read(workshop.queue, workspace_id=workspace.id, statuses=("accepted", "merged", "dismissed")):
        contribution = item.contribution
        what = contribution.payload.get("name") or contribution.payload.get("text", "")
        st.markdown(
            t(
                "workshop.decided_line",
                status=t(f"workshop.status.{contribution.status}"),
                what=what,
                proposer=item.proposer,
            )
        )
        if contribution.status == "dismissed" and st.button(t("workshop.reopen"), key=f"reopen_{contribution.id}"):
            write(workshop.reopen, workspace_id=workspace.id, contribution_id=contribution.id)
            st.rerun()

left, right = st.columns(2)
with left:
    st.subheader(t("workshop.votes_title"))
    votes = resources.read(workshop.vote_counts, workspace_id=workspace.id)
    st.markdown(joined((f"{name}: {count}" for name, count in votes), "  \n") or t("common.none"))
with right:
    st.subheader(t("workshop.room_title"))
    workshop_view.room_table(resources.read(workshop.room_placements, workspace_id=workspace.id))
