"""Checklist — Step 1: the six items, each with the status the data suggests, the team's own status and notes."""

import streamlit as st

from gcm_guide import checklist, store, ui, views
from gcm_guide.i18n import t
from gcm_guide.models import CHECKLIST_STATUSES, MAX_LONG_TEXT

workspace = ui.require_workspace()
content = ui.content()
data = ui.workspace_data(workspace)
statuses = checklist.checklist_status(data, content)

st.title(content.checklist.title)
ui.show_messages()
done = checklist.done_count(statuses)
ui.progress(done, len(statuses), t("checklist.progress", done=done, total=len(statuses)))
st.caption(t("checklist.help"))
with st.expander(t("checklist.at_a_glance"), icon=":material/bar_chart:"):
    views.checklist_chart(data, content, key="checklist_chart")

FOLLOW = "follow"
choices = [FOLLOW, *CHECKLIST_STATUSES]
for number, (item, status) in enumerate(zip(content.checklist.items, statuses, strict=True), start=1):
    entry = data.checklist.get(item.id)
    version = entry.version if entry else 0
    with st.container(border=True):
        text, state = st.columns([3, 2], gap="medium")
        ongoing = f" *({t('checklist.ongoing')})*" if item.ongoing else ""
        text.markdown(f"**{number}.** {item.text}{ongoing}")
        suggestion = status.suggested
        text.caption(
            t(
                "checklist.suggested",
                status=t(f"checklist_status.{suggestion.status}"),
                reason=t(suggestion.reason, **suggestion.params),
            )
        )
        with text:
            ui.link(item.page)
        state.markdown(
            t(
                "checklist.status_line",
                status=t(f"checklist_status.{status.status}"),
                icon=t(f"checklist_icon.{status.status}"),
            )
        )
        ui.autosave(
            state.selectbox,
            key=f"checklist_{item.id}_status",
            stored=status.confirmed or FOLLOW,
            version=version,
            label=t("checklist.your_status"),
            options=choices,
            read_value=lambda v: None if v == FOLLOW else v,
            format_func=lambda v: t("checklist.follow") if v == FOLLOW else t(f"checklist_status.{v}"),
            save=store.field_saver(
                store.save_checklist_entry, "confirmed_status", workspace_id=workspace.id, item_id=item.id
            ),
        )
        ui.autosave(
            st.text_area,
            key=f"checklist_{item.id}_notes",
            stored=status.notes,
            version=version,
            label=t("fields.notes"),
            height=80,
            max_chars=MAX_LONG_TEXT,
            save=store.field_saver(store.save_checklist_entry, "notes", workspace_id=workspace.id, item_id=item.id),
        )
ui.next_step_link("checklist")
