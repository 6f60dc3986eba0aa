"""Action 4 — Raise awareness: the awareness-raising activity plan."""

import streamlit as st

from gcm_guide import progress, store, tables, ui
from gcm_guide.i18n import t
from gcm_guide.models import ACTIVITY_STATUSES, MAX_LONG_TEXT

workspace = ui.require_workspace()
content = ui.content()
action = content.action4
data = ui.workspace_data(workspace)
audiences = content.audience_names
types = content.activity_type_names

st.title(t("action.title", number=action.number, title=action.title))
ui.show_messages()
per_audience = progress.activities_by_audience(data, content)
reached = sum(1 for n in per_audience.values() if n)
ui.progress(
    reached,
    len(per_audience),
    t("awareness.progress", done=reached, total=len(per_audience), count=len(data.activities)),
)

main, side = st.columns([3, 2], gap="large")
with side, ui.guidance():
    ui.paragraphs(action.intro)
    for audience in action.audiences:
        st.markdown(f"**{audience.name}**  \n{audience.text}")
    st.markdown(f"**{action.activities_title}**  \n{action.activities_intro}")
    st.markdown("\n".join(f"- {item.name}" for item in action.activity_types))
    with st.container(border=True):
        st.markdown(f"**{action.covid_box.title}**")
        ui.paragraphs(action.covid_box.paragraphs)
    ui.footnote_sources([n for p in action.covid_box.paragraphs for n in p.footnotes])

with main:
    missing = [audiences[a] for a, n in per_audience.items() if not n]
    if missing:
        st.warning(t("awareness.missing_audiences", audiences=", ".join(missing)), icon=":material/campaign:")

    with (
        st.expander(t("awareness.add_title"), expanded=not data.activities, icon=":material/add_circle:"),
        st.form("awareness_add_form"),
    ):
        title = st.text_input(
            t("fields.title"), max_chars=200, placeholder=t("awareness.title_placeholder"), key="awareness_add_title"
        )
        left, right = st.columns(2)
        audience = left.selectbox(
            t("fields.audience"), list(audiences), format_func=audiences.get, index=None, key="awareness_add_audience"
        )
        activity_type = right.selectbox(
            t("fields.activity_type"), list(types), format_func=types.get, index=None, key="awareness_add_type"
        )
        objective = st.text_area(t("fields.objective"), max_chars=MAX_LONG_TEXT, height=90)
        starts_on = left.date_input(t("fields.starts_on"), value=None)
        ends_on = right.date_input(t("fields.ends_on"), value=None)
        timing_note = left.text_input(t("fields.timing_note"), max_chars=200, placeholder=t("awareness.timing_hint"))
        lead = right.text_input(t("fields.lead"), max_chars=200)
        status = st.segmented_control(
            t("fields.status"),
            ACTIVITY_STATUSES,
            default="planned",
            format_func=lambda v: t(f"activity_status.{v}"),
        )
        if st.form_submit_button(t("awareness.add_submit"), type="primary", icon=":material/add:"):
            added = ui.write(
                store.add_activity,
                workspace_id=workspace.id,
                data={
                    "title": title,
                    "audience": audience,
                    "activity_type": activity_type,
                    "objective": objective,
                    "starts_on": starts_on,
                    "ends_on": ends_on,
                    "timing_note": timing_note,
                    "lead": lead,
                    "status": status or "planned",
                },
            )
            if added:
                st.rerun()
            ui.show_messages()

    st.subheader(t("awareness.plan_title"))
    columns = {
        "title": st.column_config.TextColumn(t("fields.title"), required=True, max_chars=200, pinned=True),
        "audience": st.column_config.SelectboxColumn(
            t("fields.audience"), options=list(audiences), format_func=audiences.get, required=True
        ),
        "activity_type": st.column_config.SelectboxColumn(
            t("fields.activity_type"), options=list(types), format_func=types.get, required=True
        ),
        "objective": st.column_config.TextColumn(t("fields.objective"), max_chars=MAX_LONG_TEXT, width="large"),
        "starts_on": st.column_config.DateColumn(t("fields.starts_on"), format="YYYY-MM-DD"),
        "ends_on": st.column_config.DateColumn(t("fields.ends_on"), format="YYYY-MM-DD"),
        "timing_note": st.column_config.TextColumn(t("fields.timing_note"), max_chars=200),
        "lead": st.column_config.TextColumn(t("fields.lead"), max_chars=200),
        "status": st.column_config.SelectboxColumn(
            t("fields.status"),
            options=ACTIVITY_STATUSES,
            required=True,
            default="planned",
            format_func=lambda v: t(f"activity_status.{v}"),
        ),
    }
    ui.editable_table(
        tables.ACTIVITIES,
        data.activities,
        key="awareness_table",
        workspace_id=workspace.id,
        column_config=columns,
        incomplete_message=t("awareness.incomplete_rows"),
    )
    st.caption(t("awareness.table_help"))
    ui.link("checklist", t("common.next", page=t("nav.checklist")), icon=":material/arrow_forward:")
