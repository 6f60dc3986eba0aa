"""Join: what a workshop participant sees on a phone — propose stakeholders, answer the question on the
screen, vote, and place stakeholders on the grid. Nothing here opens the workspace itself."""

import streamlit as st

from gcm_guide import workshop
from gcm_guide.models import MAX_LONG_TEXT, MAX_NAME
from gcm_guide.web import resources, session
from gcm_guide.web.saving import show_messages, write
from gcm_guide.web.text import t

content = resources.content()
credential = session.participant_pass()
code = workshop.normalise_code(st.query_params.get("code", "") or (credential.code if credential else ""))

if credential is None or credential.code != code:
    st.title(t("join.title"))
    st.caption(t("join.intro"))
    with st.form("join_form"):
        typed_code = st.text_input(t("join.code"), value=code, max_chars=12, key="join_code")
        name = st.text_input(t("fields.display_name"), max_chars=MAX_NAME, key="join_name")
        organisation = st.text_input(t("fields.organisation"), max_chars=MAX_NAME, key="join_organisation")
        if st.form_submit_button(t("join.submit"), type="primary", width="stretch"):
            joined = write(workshop.join, code=typed_code, data={"display_name": name, "organisation": organisation})
            if joined:
                session.set_participant_pass(joined)
                st.query_params["code"] = joined.code
                st.rerun()
    show_messages()
    st.stop()

view = session.participant_view(credential)
if view is None:
    st.error(t("join.closed"), icon=":material/event_busy:")
    session.set_participant_pass(None)
    st.stop()

st.markdown(t("join.welcome", workspace=view.workspace_name, name=view.display_name))
show_messages()
if sent := st.session_state.pop("join_sent", None):
    st.success(t(sent), icon=":material/check:")


@st.fragment(run_every="5s")
def now_showing() -> None:
    """Follows the projected screen by itself (no form lives in here, so nothing typed is disturbed)."""
    current = session.participant_view(credential)
    with st.container(border=True):
        st.caption(t("join.now_showing"))
        st.markdown(f"**{(current or view).current_text}**")


now_showing()

propose, answer, vote, place = st.tabs(
    [t("join.tab_propose"), t("join.tab_answer"), t("join.tab_vote"), t("join.tab_place")]
)


def sent(message: str) -> None:
    st.session_state["join_sent"] = message
    st.rerun()


with propose, st.form("join_propose", clear_on_submit=True):
    proposed_name = st.text_input(t("fields.name"), max_chars=MAX_NAME)
    group = st.selectbox(
        t("fields.group_id"),
        list(content.group_names),
        format_func=content.group_names.get,
        index=None,
        placeholder=t("stakeholders.choose_group"),
    )
    voices = st.multiselect(
        t("fields.voices"), list(content.voice_names), format_func=content.voice_names.get, accept_new_options=True
    )
    note = st.text_area(t("join.note"), max_chars=2000, height=80)
    if st.form_submit_button(t("join.propose_submit"), type="primary", width="stretch") and write(
        workshop.propose_stakeholder,
        credential=credential,
        data={"name": proposed_name, "group_id": group, "voices": voices, "note": note},
    ):
        sent("join.sent")

with answer, st.form("join_answer", clear_on_submit=True):
    questions = {q.id: f"{q.number}. {q.text}" for q in content.guiding_questions.questions}
    default = list(questions).index(view.current_question) if view.current_question in questions else 0
    # Keyed: the default follows the screen, but a question the participant picked stays picked.
    question_id = st.selectbox(
        t("join.answer_pick"), list(questions), index=default, format_func=questions.get, key="join_answer_question"
    )
    text = st.text_area(t("join.answer_label"), max_chars=min(5000, MAX_LONG_TEXT), height=140)
    if st.form_submit_button(t("join.answer_submit"), type="primary", width="stretch") and write(
        workshop.propose_answer, credential=credential, question_id=question_id, text=text
    ):
        sent("join.sent")

with vote:
    st.button(t("join.refresh"), key="join_refresh_votes", icon=":material/refresh:")
    if not view.stakeholders:
        st.caption(t("join.no_stakeholders"))
    st.caption(t("join.vote_help", max=workshop.MAX_VOTES))
    for stakeholder_id, stakeholder_name in view.stakeholders.items():
        chosen = stakeholder_id in view.votes
        if st.button(
            t("join.unvote_button" if chosen else "join.vote_button", name=stakeholder_name),
            key=f"vote_{stakeholder_id}",
            width="stretch",
            type="primary" if chosen else "secondary",
            icon=":material/how_to_vote:",
        ):
            write(workshop.toggle_vote, credential=credential, stakeholder_id=stakeholder_id)
            st.rerun()

with place:
    st.button(t("join.refresh"), key="join_refresh_place", icon=":material/refresh:")
    if view.stakeholders:
        with st.form("join_place"):
            # Keyed, so a list that grows meanwhile does not reset the choice to the first name.
            target = st.selectbox(
                t("join.place_pick"),
                list(view.stakeholders),
                format_func=view.stakeholders.get,
                index=None,
                placeholder=t("join.place_choose"),
                key="join_place_target",
            )
            influence = st.slider(t("fields.influence"), 1, 5, 3)
            interest = st.slider(t("fields.interest"), 1, 5, 3)
            if st.form_submit_button(t("join.place_submit"), type="primary", width="stretch"):
                if target not in view.stakeholders:
                    # None, or a name that changed since the list was drawn: never place another stakeholder.
                    st.warning(t("join.place_choose_again"), icon=":material/sync_problem:")
                elif write(
                    workshop.place, credential=credential, stakeholder_id=target, influence=influence, interest=interest
                ):
                    sent("join.placed")
    else:
        st.caption(t("join.no_stakeholders"))

st.button(t("join.leave"), on_click=session.set_participant_pass, args=(None,), icon=":material/logout:")
