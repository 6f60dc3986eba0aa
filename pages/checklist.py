"""Checklist — Step 1: the six items, each with the status the data suggests, the team's own status and notes."""

import streamlit as st

from gcm_guide import checklist, store
from gcm_guide.models import CHECKLIST_STATUSES, MAX_LONG_TEXT
from gcm_guide.web import charts_view, frame, resources, unlock
from gcm_guide.web.autosave import autosave
from gcm_guide.web.saving import show_messages
from gcm_guide.web.text import t, t_plain

workspace = unlock.require_workspace()
content = resources.content()
data = resources.workspace_data(workspace)
statuses = checklist.checklist_status(data, content)

st.title(content.checklist.title)
show_messages()
done = checklist.done_count(statuses)
frame.progress(done, len(statuses), t("checklist.progress", done=done, total=len(statuses)))
st.caption(t("checklist.help"))
with st.expander(t("checklist.at_a_glance"), icon=":material/bar_chart:"):
    charts_view.checklist_chart(data, content, key="checklist_chart")

FOLLOW = "follow"
choices = [FOLLOW, *CHECKLIST_STATUSES]
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
                reason=t(suggestion.reason, **suggestion.params),
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
        autosave(
            state.selectbox,
            key=f"checklist_{item.id}_status",
            stored=status.confirmed or FOLLOW,
            version=version,
            label=t("checklist.your_status"),
            options=choices,
            read_value=lambda v: None if v == FOLLOW else v,
            format_func=lambda v: t_plain("checklist.follow") if v == FOLLOW else t_plain(f"checklist_status.{v}"),
            save=store.field_saver(
                store.save_checklist_entry, "confirmed_status", workspace_id=workspace.id, item_id=item.id
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
            save=store.field_saver(store.save_checklist_entry, "notes", workspace_id=workspace.id, item_id=item.id),
        )
frame.next_step_link("checklist")
