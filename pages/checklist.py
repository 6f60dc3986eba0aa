"""Checklist — Step 1: the six items, each with the status the data suggests, the team's own status and notes."""

import datetime as dt

import streamlit as st

from gcm_guide import checklist, store
from gcm_guide.i18n import local_date
from gcm_guide.models import CHECKLIST_STATUSES, MAX_LONG_TEXT, stored_id
from gcm_guide.web import charts_view, frame, resources, unlock
from gcm_guide.web.autosave import autosave
from gcm_guide.web.saving import show_messages, write
from gcm_guide.web.text import message, t, t_plain

workspace = unlock.require_workspace()
workspace_id = stored_id(workspace)
content = resources.content()
data = resources.workspace_data(workspace)
statuses = checklist.checklist_status(data, content)

st.title(content.checklist.title)
show_messages()
done = checklist.done_count(statuses)
frame.progress(done, len(statuses), t("checklist.progress", done=done, total=len(statuses)))
st.caption(t("checklist.help"))
with frame.details("checklist_charts", t("checklist.at_a_glance")) as shown:
    if shown:
        charts_view.checklist_chart(data, content, key="checklist_chart")

FOLLOW = "follow"
today = dt.date.today()
for number, (item, status) in enumerate(zip(content.checklist.items, statuses, strict=True), start=1):
    entry = data.checklist.get(item.id)
    version = entry.version if entry else 0
    with st.container(border=True):
        words, state = st.columns([3, 2], gap="medium")
        ongoing = f" *({t('checklist.ongoing')})*" if item.ongoing else ""
        words.markdown(f"**{number}.** {item.text}{ongoing}")
        suggestion = status.suggested
        words.caption(
            t(
                "checklist.suggested",
                status=t(f"checklist_status.{suggestion.status}"),
                reason=" ".join(message(key, params) for key, params in suggestion.messages),
            )
        )
        with words:
            frame.link(item.page)
        state.markdown(
            t(
                "checklist.status_line",
                status=t(f"checklist_status.{status.status}"),
                icon=t(f"checklist_icon.{status.status}"),
            )
        )
        # An ongoing item is never done: under way is as far as it goes.
        choices = [FOLLOW, *(s for s in CHECKLIST_STATUSES if not (item.ongoing and s == "done"))]
        confirmed = status.confirmed if status.confirmed in choices else (status.confirmed and "in_progress")
        autosave(
            state.selectbox,
            key=f"checklist_{item.id}_status",
            stored=confirmed or FOLLOW,
            version=version,
            label=t("checklist.your_status"),
            options=choices,
            read_value=lambda v: None if v == FOLLOW else v,
            format_func=lambda v: t_plain("checklist.follow") if v == FOLLOW else t_plain(f"checklist_status.{v}"),
            save=store.field_saver(
                store.save_checklist_entry, "confirmed_status", workspace_id=workspace_id, item_id=item.id
            ),
        )
        if item.ongoing:
            reviewed = status.reviewed_on
            state.caption(
                t("checklist.reviewed_on", date=local_date(reviewed)) if reviewed else t("checklist.never_reviewed")
            )
            if state.button(t("checklist.review_now"), key=f"checklist_{item.id}_review", icon=":material/done:"):
                write(
                    store.save_checklist_entry,
                    workspace_id=workspace_id,
                    item_id=item.id,
                    changes={"reviewed_on": today},
                )
                st.rerun()
        if status.next_review_on is not None and status.due(today):
            state.warning(t("checklist.due", date=local_date(status.next_review_on)), icon=":material/event:")
        autosave(
            state.date_input,
            key=f"checklist_{item.id}_next_review",
            stored=status.next_review_on,
            version=version,
            label=t("checklist.next_review"),
            save=store.field_saver(
                store.save_checklist_entry, "next_review_on", workspace_id=workspace_id, item_id=item.id
            ),
        )
        autosave(
            st.text_area,
            key=f"checklist_{item.id}_notes",
            stored=status.notes,
            version=version,
            label=t("fields.notes"),
            height=80,
            max_chars=MAX_LONG_TEXT,
            save=store.field_saver(store.save_checklist_entry, "notes", workspace_id=workspace_id, item_id=item.id),
        )
frame.next_step_link("checklist")
