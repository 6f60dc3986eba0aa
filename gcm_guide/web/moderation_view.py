"""The facilitator's console, part by part: what is projected (and the presenter link), the queue of what the
room sent — refreshing itself, a page at a time, newest first, with accept all, accept the ticked, edit before
accepting — and the room's votes and placements, which can be taken into the register's scores."""

from __future__ import annotations

from typing import Any

import streamlit as st

from gcm_guide import charts, moderation, progress, room, store, workshop
from gcm_guide.content import Content
from gcm_guide.errors import NotFound
from gcm_guide.models import MAX_NAME, WorkshopSession, stored_id
from gcm_guide.web import workshop_view
from gcm_guide.web.autosave import choose_row
from gcm_guide.web.resources import read
from gcm_guide.web.saving import show_messages, write
from gcm_guide.web.text import joined, name_of, plain, t, t_plain, tn

QUEUE = "queue"


# --- What is projected ------------------------------------------------------------------------------------------
def projection_controls(workspace_id: int, live: WorkshopSession, content: Content) -> None:
    """Previous and Next for every presenter window and phone, results shown or hidden, the presenter link."""
    items = workshop.presenter_items(content)
    current = live.current_item if live.current_item in items else items[0]
    with st.container(border=True):
        st.markdown(
            t(
                "workshop.projected_now",
                item=workshop_view.item_title(current, content),
                position=items.index(current) + 1,
                total=len(items),
            )
        )
        previous, following = st.columns(2)
        for column, step, label, icon in (
            (previous, -1, "workshop.previous", ":material/arrow_back:"),
            (following, 1, "workshop.next", ":material/arrow_forward:"),
        ):
            if column.button(t(label), icon=icon, key=f"console_step_{step}", width="stretch"):
                write(
                    workshop.set_current_item, workspace_id=workspace_id, item=workshop.step_item(items, current, step)
                )
                st.rerun()
        shown = st.toggle(t("workshop.show_results"), value=live.show_results, key="console_show_results")
        if shown != live.show_results:
            write(workshop.show_results, workspace_id=workspace_id, shown=shown)
            st.rerun()
        _presenter_link(workspace_id, live)


def _presenter_link(workspace_id: int, live: WorkshopSession) -> None:
    """The read-only presenter link: shown once when made (only its digest is kept); a new one replaces it."""
    token = st.session_state.get("presenter_link_token")
    if live.presenter_token_hash is None or token is None or workshop.hash_token(token) != live.presenter_token_hash:
        token = None
    if token is None:
        if st.button(t("workshop.link.make"), icon=":material/cast:", key="presenter_link_make"):
            st.session_state["presenter_link_token"] = write(workshop.new_presenter_link, workspace_id=workspace_id)
            st.rerun()
        if live.presenter_token_hash is not None:
            st.caption(t("workshop.link.exists"))
        return
    address = f"{workshop_view.public_base()}/presenter?show={token}"
    st.link_button(t("workshop.link.open"), address, icon=":material/open_in_new:")
    st.code(address, language=None)
    st.caption(t("workshop.link.help"))
    if st.button(t("workshop.link.revoke"), icon=":material/link_off:", key="presenter_link_revoke"):
        write(workshop.revoke_presenter_link, workspace_id=workspace_id)
        st.session_state.pop("presenter_link_token", None)
        st.rerun()


# --- The queue -------------------------------------------------------------------------------------------------------
@st.fragment(run_every="3s")
def queue(workspace_id: int, content: Content) -> None:
    """The queue refreshes itself, so new contributions appear while the facilitator works."""
    st.subheader(t("workshop.queue_title"))
    kinds = {"": t_plain("workshop.queue.all"), "stakeholder": t_plain("workshop.queue.stakeholders")}
    kinds["answer"] = t_plain("workshop.queue.answers")
    filter_column, page_column = st.columns([3, 2], vertical_alignment="bottom")
    kind = filter_column.segmented_control(
        t("workshop.queue.show"), list(kinds), format_func=name_of(kinds), default="", key=f"{QUEUE}_kind"
    )
    waiting = read(moderation.queue_size, workspace_id=workspace_id, kind=kind or None)
    pages = max(1, -(-waiting // moderation.PAGE))
    page = min(int(st.session_state.get(f"{QUEUE}_page", 1)), pages)
    if pages > 1:
        page = int(
            page_column.number_input(
                tn("workshop.queue.page", pages), min_value=1, max_value=pages, value=page, key=f"{QUEUE}_page"
            )
        )
    if not waiting:
        st.caption(t("workshop.queue_empty"))
        show_messages()
        return
    items = read(
        moderation.queue,
        workspace_id=workspace_id,
        kind=kind or None,
        newest_first=True,
        limit=moderation.PAGE,
        offset=(page - 1) * moderation.PAGE,
    )
    ticked = [
        stored_id(item.contribution) for item in items if st.session_state.get(f"{QUEUE}_tick_{item.contribution.id}")
    ]
    all_column, ticked_column = st.columns(2)
    if all_column.button(
        tn("workshop.queue.accept_all", min(waiting, moderation.ACCEPT_AT_ONCE)),
        type="primary",
        icon=":material/done_all:",
        key=f"{QUEUE}_accept_all",
        help=t("workshop.queue.accept_all_help", max=moderation.ACCEPT_AT_ONCE),
    ):
        every = read(moderation.queue, workspace_id=workspace_id, kind=kind or None, limit=moderation.ACCEPT_AT_ONCE)
        _accept_many(workspace_id, [stored_id(item.contribution) for item in every])
    if ticked_column.button(
        tn("workshop.queue.accept_ticked", len(ticked)) if ticked else t("workshop.queue.accept_ticked_none"),
        disabled=not ticked,
        icon=":material/done:",
        key=f"{QUEUE}_accept_ticked",
    ):
        _accept_many(workspace_id, ticked)
    show_messages()
    _just_accepted(workspace_id)
    stakeholders = read(store.stakeholder_names, workspace_id=workspace_id)
    questions = {q.id: q.number for q in content.guiding_questions.questions}
    for item in items:
        _queue_item(workspace_id, item, content, stakeholders, questions)


def _accept_many(workspace_id: int, ids: list[int]) -> None:
    outcome = write(moderation.accept_many, workspace_id=workspace_id, contribution_ids=ids)
    if outcome is None:
        return
    for contribution_id in ids:
        st.session_state.pop(f"{QUEUE}_tick_{contribution_id}", None)
    st.session_state[f"{QUEUE}_outcome"] = (outcome.accepted, len(outcome.refused))


def _queue_item(
    workspace_id: int,
    item: moderation.QueueItem,
    content: Content,
    stakeholders: dict[int, str],
    questions: dict[str, int],
) -> None:
    contribution = item.contribution
    payload = item.payload
    with st.container(border=True, key=f"queue_{contribution.id}"):
        tick, words = st.columns([1, 12])
        tick.checkbox(t("workshop.queue.tick"), key=f"{QUEUE}_tick_{contribution.id}", label_visibility="collapsed")
        if contribution.kind == "stakeholder":
            words.markdown(
                t(
                    "workshop.proposed_stakeholder_line",
                    name=payload["name"],
                    group=content.group_names.get(payload["group_id"], ""),
                )
            )
            if payload.get("voices"):
                voices = joined(progress.voice_label(voice, content) for voice in payload["voices"])
                words.caption(t("workshop.voices_carried", voices=voices))
            if payload.get("note"):
                words.markdown(plain(payload["note"]))
        else:
            words.markdown(
                t(
                    "workshop.proposed_answer_line",
                    number=questions.get(contribution.question_id or "", "?"),
                    text=payload["text"],
                )
            )
        if contribution.edited:
            original = contribution.payload.get("name") or contribution.payload.get("text", "")
            words.caption(t("workshop.queue.edited_from", original=original))
        words.caption(t("workshop.from", proposer=item.proposer))
        accept, edit, merge, dismiss = words.columns([1, 1, 2, 1])
        if accept.button(t("workshop.accept"), key=f"accept_{contribution.id}", type="primary"):
            accepted = write(moderation.accept, workspace_id=workspace_id, contribution_id=contribution.id)
            if accepted is not None and contribution.kind == "stakeholder":
                st.session_state[f"{QUEUE}_score"] = accepted.id
            st.rerun()
        with (
            edit.popover(t("workshop.queue.edit"), icon=":material/edit:"),
            st.form(f"edit_{contribution.id}", border=False),
        ):
            if contribution.kind == "stakeholder":
                changes: dict[str, Any] = {
                    "name": st.text_input(t("fields.name"), value=payload["name"], max_chars=MAX_NAME),
                    "group_id": st.selectbox(
                        t("fields.group_id"),
                        list(content.group_names),
                        index=list(content.group_names).index(payload["group_id"]),
                        format_func=name_of(content.group_names),
                    ),
                }
            else:
                changes = {"text": st.text_area(t("join.answer_label"), value=payload["text"], max_chars=5000)}
            if st.form_submit_button(t("workshop.queue.save_edit")):
                write(moderation.edit, workspace_id=workspace_id, contribution_id=contribution.id, changes=changes)
                st.rerun()
        if contribution.kind == "stakeholder" and stakeholders:
            with merge:
                target = choose_row(
                    st.selectbox,
                    key=f"merge_target_{contribution.id}",
                    options=list(stakeholders),
                    default=None,
                    format_func=name_of(stakeholders),
                    label=t("workshop.merge_into"),
                    placeholder=t_plain("workshop.merge_into"),
                    label_visibility="collapsed",
                )
            if merge.button(t("workshop.merge"), key=f"merge_{contribution.id}", disabled=target is None):
                write(
                    moderation.merge, workspace_id=workspace_id, contribution_id=contribution.id, stakeholder_id=target
                )
                st.rerun()
        if dismiss.button(t("workshop.dismiss"), key=f"dismiss_{contribution.id}"):
            write(moderation.dismiss, workspace_id=workspace_id, contribution_id=contribution.id)
            st.rerun()


def _just_accepted(workspace_id: int) -> None:
    """What the last "accept" did, and scoring a stakeholder accepted from the room there and then."""
    outcome = st.session_state.pop(f"{QUEUE}_outcome", None)
    if outcome:
        accepted, refused = outcome
        st.success(tn("workshop.queue.accepted", accepted), icon=":material/check:")
        if refused:
            st.warning(tn("workshop.queue.refused", refused), icon=":material/warning:")
    stakeholder_id = st.session_state.get(f"{QUEUE}_score")
    if stakeholder_id is None:
        return
    try:
        person = read(store.get_stakeholder, workspace_id=workspace_id, stakeholder_id=stakeholder_id)
    except NotFound:
        st.session_state.pop(f"{QUEUE}_score", None)
        return
    with st.container(border=True), st.form(f"{QUEUE}_score_form", border=False):
        st.markdown(t("workshop.queue.score_now", name=person.name))
        influence_column, interest_column = st.columns(2)
        scores = [None, 1, 2, 3, 4, 5]
        influence = influence_column.select_slider(t("fields.influence"), scores, value=person.influence)
        interest = interest_column.select_slider(t("fields.interest"), scores, value=person.interest)
        save, later = st.columns(2)
        if save.form_submit_button(t("workshop.queue.score_save"), type="primary"):
            write(
                store.update_stakeholder,
                workspace_id=workspace_id,
                stakeholder_id=person.id,
                changes={"influence": influence, "interest": interest},
            )
            st.session_state.pop(f"{QUEUE}_score", None)
            st.rerun()
        if later.form_submit_button(t("workshop.queue.score_later")):
            st.session_state.pop(f"{QUEUE}_score", None)
            st.rerun()


# --- The room's results --------------------------------------------------------------------------------------------
@st.fragment(run_every="4s")
def room_results(workspace_id: int) -> None:
    """The votes and the room's placements, refreshing themselves; placements taken into the register's scores."""
    votes_column, grid_column = st.columns(2)
    with votes_column:
        st.subheader(t("workshop.votes_title"))
        votes = read(room.vote_counts, workspace_id=workspace_id)
        if votes:
            st.plotly_chart(
                charts.votes_figure(votes, "", height=320),
                theme=None,
                config=workshop_view.ROOM_CHART_CONFIG,
                key="console_votes",
            )
        else:
            st.caption(t("workshop.room.no_votes"))
    with grid_column:
        st.subheader(t("workshop.room_title"))
        placements = read(room.room_placements, workspace_id=workspace_id)
        if not placements:
            st.caption(t("workshop.room.no_placements"))
            return
        for placement in placements[:12]:
            influence, interest = placement.scores
            name_column, button_column = st.columns([3, 1], vertical_alignment="center")
            name_column.markdown(
                t(
                    "workshop.room.placement_line",
                    name=placement.name,
                    influence=influence,
                    interest=interest,
                    people=tn("counts.people", placement.count),
                )
            )
            same = placement.register == (influence, interest)
            if button_column.button(
                t("workshop.room.adopt"),
                key=f"adopt_{placement.stakeholder_id}",
                disabled=same,
                help=t("workshop.room.adopt_help"),
            ):
                write(room.adopt_placements, workspace_id=workspace_id, stakeholder_ids=[placement.stakeholder_id])
                st.rerun()
        if st.button(t("workshop.room.adopt_all"), icon=":material/move_down:", key="adopt_all"):
            changed = write(room.adopt_placements, workspace_id=workspace_id)
            if changed is not None:
                st.toast(tn("workshop.room.adopted", changed))
            st.rerun()


def dealt_with(workspace_id: int) -> None:
    """What the facilitator has accepted, merged or set aside (set-aside ones can be reopened)."""
    with st.expander(t("workshop.decided_title"), icon=":material/inventory:"):
        done = read(
            moderation.queue,
            workspace_id=workspace_id,
            statuses=("accepted", "merged", "dismissed"),
            newest_first=True,
            limit=50,
        )
        for item in done:
            contribution = item.contribution
            what = item.payload.get("name") or item.payload.get("text", "")
            st.markdown(
                t(
                    "workshop.decided_line",
                    status=t(f"workshop.status.{contribution.status}"),
                    what=what,
                    proposer=item.proposer,
                )
            )
            if contribution.status == "dismissed" and st.button(t("workshop.reopen"), key=f"reopen_{contribution.id}"):
                write(moderation.reopen, workspace_id=workspace_id, contribution_id=contribution.id)
                st.rerun()
