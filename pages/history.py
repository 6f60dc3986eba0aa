"""History: every change to the workspace — what, who, when, before and after — and restoring from it."""

import streamlit as st

from gcm_guide import history, history_restore
from gcm_guide.i18n import local_time
from gcm_guide.models import stored_id
from gcm_guide.web import frame, resources, unlock
from gcm_guide.web.saving import show_messages, write
from gcm_guide.web.text import t, t_plain

workspace = unlock.require_workspace()
workspace_id = stored_id(workspace)
content = resources.content()
st.title(t("history.title"))
st.caption(t("history.intro"))
show_messages()
if st.session_state.pop("history_restored", False):
    st.success(t("history.restored"), icon=":material/restore:")

shown = st.selectbox(
    t("history.filter"),
    ["", *history.ENTITIES],
    format_func=lambda e: t_plain(f"entities.{e}") if e else t_plain("history.all"),
    key="history_filter",
)
# Twenty changes at a time: each is a card of several elements, and fifty made the page slow to draw.
PAGE_SIZE = 20
limit = st.session_state.get("history_limit", PAGE_SIZE)
changes = resources.read(history.list_changes, workspace_id=workspace_id, entity=shown or None, limit=limit + 1)
more, changes = len(changes) > limit, changes[:limit]
if not changes:
    st.caption(t("history.empty"))
for change in changes:
    with st.container(border=True):
        who = change.actor or t_plain("history.owner")
        st.markdown(
            t(
                "history.entry_title",
                action=t(f"history.actions.{change.action}"),
                entity=t(f"entities.{change.entity}"),
                label=history.subject(change, content),
            )
        )
        when = local_time(change.changed_at, seconds=True)
        st.caption(t("history.entry_caption", number=change.id, when=when, who=who))
        if change.action == "restore":
            st.caption(t("history.restored_from", number=history_restore.restored_from(change)))
        else:
            lines = [
                t("history.change_line", field=row.field, before=row.before, after=row.after)
                if row.before is not None and row.after is not None
                else t("history.set_line", field=row.field, after=row.after)
                if row.after is not None
                else t("history.cleared_line", field=row.field, before=row.before)
                for row in history.field_changes(change, content)
            ]
            if lines:
                st.markdown(frame.bullet_list(lines))
        clicked = history_restore.is_restorable(change) and st.button(
            t("history.restore"), key=f"restore_{change.id}", icon=":material/restore:"
        )
        if clicked and write(history_restore.restore, workspace_id=workspace_id, change_id=change.id):
            st.session_state["history_restored"] = True
            st.rerun()

if more and st.button(t("history.more"), icon=":material/expand_more:"):
    st.session_state["history_limit"] = limit + PAGE_SIZE
    st.rerun()
