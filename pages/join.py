"""Join: what a workshop participant sees on a phone — propose stakeholders, answer the question on the
screen, vote, and place stakeholders on the grid. It follows the projected screen by itself, keeps the same
participant across a reload or a phone that slept, and never opens the workspace itself."""

import streamlit as st

from gcm_guide import participants, workshop
from gcm_guide.models import MAX_NAME
from gcm_guide.web import join_view, language, resources, session
from gcm_guide.web.saving import show_messages, write
from gcm_guide.web.text import t

content = resources.content()
credential = session.participant_pass()
code = workshop.normalise_code(st.query_params.get(session.CODE_PARAM, "") or (credential.code if credential else ""))
session.keep_pass_in_browser()

if credential is None or credential.code != code:
    language.language_switch(key="join_language", translation_note=False)
    st.title(t("join.title"))
    st.caption(t("join.intro"))
    with st.form("join_form"):
        typed_code = st.text_input(t("join.code"), value=code, max_chars=12, key="join_code")
        name = st.text_input(t("fields.display_name"), max_chars=MAX_NAME, key="join_name")
        organisation = st.text_input(t("fields.organisation"), max_chars=MAX_NAME, key="join_organisation")
        if st.form_submit_button(t("join.submit"), type="primary", width="stretch"):
            joined = write(
                participants.join,
                code=typed_code,
                data={"display_name": name, "organisation": organisation},
                client=session.client_digest(),
            )
            if joined:
                session.set_participant_pass(joined)
                st.query_params[session.CODE_PARAM] = joined.code
                st.rerun()
    show_messages()
    st.stop()
assert credential is not None

view = session.participant_view(credential)
if view is None:
    st.error(t("join.closed"), icon=":material/event_busy:")
    session.set_participant_pass(None)
    session.keep_pass_in_browser()
    st.stop()
assert view is not None

st.markdown(t("join.welcome", workspace=view.workspace_name, name=view.display_name))
join_view.now_showing(credential, view.current_item)
tab = join_view.tabs(view)
with tab["propose"]:
    join_view.propose(credential, content)
with tab["answer"]:
    join_view.answer(credential, content, view)
with tab["vote"]:
    join_view.vote(credential)
with tab["place"]:
    join_view.place(credential)
if st.button(t("join.leave"), icon=":material/logout:", key="join_leave"):
    session.set_participant_pass(None)
    st.query_params.pop(session.CODE_PARAM, None)
    st.rerun()
