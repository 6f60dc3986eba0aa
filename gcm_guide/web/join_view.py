"""The participant's phone, part by part: what is on the screen now (the phone follows it, and the matching
tab opens), proposing a stakeholder, answering the question, voting (with the votes left) and placing
stakeholders on the grid. Lists refresh by themselves; a refusal says why, in the tab where it happened."""

from __future__ import annotations

from typing import Any

import streamlit as st

from gcm_guide import participants, workshop
from gcm_guide.content import Content
from gcm_guide.models import MAX_NAME
from gcm_guide.web import session
from gcm_guide.web.saving import Refused, attempt
from gcm_guide.web.text import name_of, t, t_plain, tn

TAB_KEY = "join_tab"
TABS = ("propose", "answer", "vote", "place")
_ITEM_SEEN = "join_item_seen"


def _tab_for(item: str) -> str:
    """The tab that goes with what is projected: a question to answer, stakeholders to propose, or to vote on."""
    kind, key = workshop.item_parts(item)
    if kind == "guiding":
        return "answer"
    return "propose" if (kind, key) == ("action", "1") else "vote"


def _labels() -> dict[str, str]:
    return {tab: t_plain(f"join.tab_{tab}") for tab in TABS}


def tabs(view: participants.ParticipantView) -> dict[str, Any]:
    """The four tabs; the one that goes with the projected item opens when the item changes."""
    labels = _labels()
    if st.session_state.get(_ITEM_SEEN) != view.current_item:
        st.session_state[_ITEM_SEEN] = view.current_item
        st.session_state[TAB_KEY] = labels[_tab_for(view.current_item)]
    containers = st.tabs([labels[tab] for tab in TABS], key=TAB_KEY, on_change="rerun")
    return dict(zip(TABS, containers, strict=True))


@st.fragment(run_every="4s")
def now_showing(credential: participants.ParticipantPass, drawn_item: str) -> None:
    """Follows the projected screen (no form lives in here, so nothing typed is disturbed); when the screen moves
    on from `drawn_item`, the item the page was drawn for, the whole page is redrawn with the matching tab open.
    Also tells the console this phone is connected."""
    view = session.participant_view(credential)
    if view is None:
        st.rerun()  # raises: the rest of the fragment does not run
    attempt(participants.seen, credential=credential)
    # Compared with the item the page was drawn for, not with anything this run could change: during a full
    # run the two agree, so the page is redrawn once per move, never in a loop. Redrawn before the new item
    # is shown, so the card and the tabs below it always speak of the same item.
    if view.current_item != drawn_item:
        st.rerun()
    with st.container(border=True):
        st.caption(t("join.now_showing"))
        st.markdown(f"**{view.current_text}**")


def _said(where: str, outcome: Any, done: str) -> None:
    """Keep what became of a send for its own tab: sent, or refused with the reason."""
    if isinstance(outcome, Refused):
        st.session_state[f"{where}_said"] = ("error", outcome.message)
    else:
        st.session_state[f"{where}_said"] = ("success", t(done))


def _show_said(where: str) -> None:
    said = st.session_state.pop(f"{where}_said", None)
    if said:
        kind, message = said
        (st.success if kind == "success" else st.error)(message, icon=":material/info:")


def propose(credential: participants.ParticipantPass, content: Content) -> None:
    with st.form("join_propose", clear_on_submit=True):
        name = st.text_input(t("fields.name"), max_chars=MAX_NAME)
        group = st.selectbox(
            t("fields.group_id"),
            list(content.group_names),
            format_func=name_of(content.group_names),
            index=None,
            placeholder=t_plain("stakeholders.choose_group"),
        )
        voices = st.multiselect(
            t("fields.voices"),
            list(content.voice_names),
            format_func=name_of(content.voice_names),
            accept_new_options=True,
        )
        note = st.text_area(t("join.note"), max_chars=2000, height=80)
        if st.form_submit_button(t("join.propose_submit"), type="primary", width="stretch"):
            outcome = attempt(
                participants.propose_stakeholder,
                credential=credential,
                data={"name": name, "group_id": group, "voices": voices, "note": note},
            )
            _said("join_propose", outcome, "join.sent")
    _show_said("join_propose")


def answer(credential: participants.ParticipantPass, content: Content, view: participants.ParticipantView) -> None:
    questions = {q.id: f"{q.number}. {q.text}" for q in content.guiding_questions.questions}
    if view.current_question in questions and st.session_state.get("join_answer_for") != view.current_question:
        # The question on the screen, until the participant picks another.
        st.session_state["join_answer_for"] = view.current_question
        st.session_state["join_answer_question"] = view.current_question
    with st.form("join_answer", clear_on_submit=True):
        question_id = st.selectbox(
            t("join.answer_pick"), list(questions), format_func=name_of(questions), key="join_answer_question"
        )
        text = st.text_area(t("join.answer_label"), max_chars=5000, height=140)
        if st.form_submit_button(t("join.answer_submit"), type="primary", width="stretch"):
            outcome = attempt(participants.propose_answer, credential=credential, question_id=question_id, text=text)
            _said("join_answer", outcome, "join.sent")
    _show_said("join_answer")


@st.fragment(run_every="5s")
def vote(credential: participants.ParticipantPass) -> None:
    """Up to three votes, chosen from a searchable list; the list follows the register as it grows."""
    view = session.participant_view(credential)
    if view is None:
        return
    if not view.stakeholders:
        st.caption(t("join.no_stakeholders"))
        return
    st.caption(tn("join.votes_left", view.votes_left, max=participants.MAX_VOTES))
    key = "join_votes"
    st.session_state[key] = [i for i in view.stakeholders if i in view.votes]  # as saved, after any change

    def changed() -> None:
        chosen = set(st.session_state.get(key) or [])
        for stakeholder_id in chosen ^ set(view.votes):
            outcome = attempt(participants.toggle_vote, credential=credential, stakeholder_id=stakeholder_id)
            if isinstance(outcome, Refused):
                st.session_state["join_vote_said"] = ("error", outcome.message)

    st.multiselect(
        t("join.vote_label"),
        list(view.stakeholders),
        format_func=name_of(view.stakeholders),
        max_selections=participants.MAX_VOTES,
        placeholder=t_plain("join.vote_choose"),
        key=key,
        on_change=changed,
    )
    _show_said("join_vote")


@st.fragment(run_every="5s")
def place(credential: participants.ParticipantPass) -> None:
    """Place a stakeholder on the grid; the list of names follows the register by itself."""
    view = session.participant_view(credential)
    if view is None:
        return
    if not view.stakeholders:
        st.caption(t("join.no_stakeholders"))
        return
    with st.form("join_place"):
        # Keyed, so a list that grows meanwhile does not reset the choice to the first name.
        target = st.selectbox(
            t("join.place_pick"),
            list(view.stakeholders),
            format_func=name_of(view.stakeholders),
            index=None,
            placeholder=t_plain("join.place_choose"),
            key="join_place_target",
        )
        influence = st.slider(t("fields.influence"), 1, 5, 3, key="join_place_influence")
        interest = st.slider(t("fields.interest"), 1, 5, 3, key="join_place_interest")
        if st.form_submit_button(t("join.place_submit"), type="primary", width="stretch"):
            if target not in view.stakeholders:
                # None, or a name that changed since the list was drawn: never place another stakeholder.
                st.session_state["join_place_said"] = ("error", t("join.place_choose_again"))
            else:
                outcome = attempt(
                    participants.place,
                    credential=credential,
                    stakeholder_id=target,
                    influence=influence,
                    interest=interest,
                )
                _said("join_place", outcome, "join.placed")
                if not isinstance(outcome, Refused):
                    # The count below was read before this placement: read it again so it includes it.
                    view = session.participant_view(credential) or view
    _show_said("join_place")
    if view.placements:
        st.caption(tn("join.placed_count", len(view.placements)))
