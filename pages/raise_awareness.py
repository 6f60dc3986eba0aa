"""Action 4 — Raise awareness: the awareness-raising activity plan."""

import streamlit as st

from gcm_guide import progress, store, tables
from gcm_guide.models import ACTIVITY_STATUSES, MAX_LONG_TEXT, MAX_NAME, stored_id
from gcm_guide.web import charts_view, frame, resources, table_columns, unlock
from gcm_guide.web.autosave import adding, form_submitter, just_added
from gcm_guide.web.saving import show_messages, write
from gcm_guide.web.table_editor import editable_table
from gcm_guide.web.text import joined, name_of, t, t_plain, tn

workspace = unlock.require_workspace()
workspace_id = stored_id(workspace)
content = resources.content()
action = content.action4
data = resources.workspace_data(workspace)
audiences = content.audience_names
types = content.activity_type_names

st.title(t("action.title", number=action.number, title=action.title))
show_messages()
per_audience = progress.activities_by_audience(data, content)
reached = sum(1 for n in per_audience.values() if n)
frame.progress(
    reached,
    len(per_audience),
    t(
        "awareness.progress",
        activities=tn("counts.activities", len(data.activities)),
        done=reached,
        total=len(per_audience),
    ),
)

main, side = st.columns([3, 2], gap="large")
# Expanded for a first look; once there are activities the plan below comes first, the guidance a click away.
with side, frame.guidance("awareness_guidance", expanded=not data.activities) as shown:
    if shown:
        frame.paragraphs(action.intro)
        for names, text in action.audience_passages():
            st.markdown(f"**{' · '.join(names)}**  \n{text}")
        st.markdown(f"**{action.activities_title}**  \n{action.activities_intro}")
        st.markdown(frame.bullet_list([item.name for item in action.activity_types]))
        with st.container(border=True):
            st.markdown(f"**{action.covid_box.title}**")
            frame.paragraphs(action.covid_box.paragraphs)
        frame.footnote_sources([n for p in action.covid_box.paragraphs for n in p.footnotes])

with main:
    missing = [audiences[a] for a, n in per_audience.items() if not n]
    if missing:
        st.warning(t("awareness.missing_audiences", audiences=joined(missing)), icon=":material/campaign:")

    empty_form = {
        "title": "",
        "audience": None,
        "activity_type": None,
        "objective": "",
        "starts_on": None,
        "ends_on": None,
        "timing_note": "",
        "lead": "",
        "status": "planned",
    }
    with (
        st.expander(
            t("awareness.add_title"),
            expanded=not data.activities or adding("awareness_add"),
            icon=":material/add_circle:",
        ),
        st.form("awareness_add_form"),
    ):
        st.text_input(
            t("fields.title"),
            max_chars=MAX_NAME,
            placeholder=t("awareness.title_placeholder"),
            key="awareness_add_title",
        )
        left, right = st.columns(2)
        left.selectbox(
            t("fields.audience"),
            list(audiences),
            format_func=name_of(audiences),
            index=None,
            key="awareness_add_audience",
        )
        right.selectbox(
            t("fields.activity_type"),
            list(types),
            format_func=name_of(types),
            index=None,
            key="awareness_add_activity_type",
        )
        st.text_area(t("fields.objective"), max_chars=MAX_LONG_TEXT, height=90, key="awareness_add_objective")
        left.date_input(t("fields.starts_on"), value=None, key="awareness_add_starts_on")
        right.date_input(t("fields.ends_on"), value=None, key="awareness_add_ends_on")
        left.text_input(
            t("fields.timing_note"),
            max_chars=MAX_NAME,
            placeholder=t("awareness.timing_hint"),
            key="awareness_add_timing_note",
        )
        right.text_input(t("fields.lead"), max_chars=MAX_NAME, key="awareness_add_lead")
        st.segmented_control(
            t("fields.status"),
            ACTIVITY_STATUSES,
            format_func=lambda v: t_plain(f"activity_status.{v}"),
            key="awareness_add_status",
        )
        st.form_submit_button(
            t("awareness.add_submit"),
            type="primary",
            icon=":material/add:",
            on_click=form_submitter(
                "awareness_add",
                empty_form,
                lambda values: write(
                    store.add_activity,
                    workspace_id=workspace_id,
                    data=values | {"status": values["status"] or "planned"},
                ),
            ),
        )
    show_messages()
    if added := just_added("awareness_add"):
        st.success(t("awareness.added", title=added.title), icon=":material/check:")

# The table gets the full width: it has many columns.
st.subheader(t("awareness.plan_title"))
editable_table(
    tables.ACTIVITIES,
    data.activities,
    key="awareness_table",
    workspace_id=workspace_id,
    column_config=table_columns.activity_columns(content),
    incomplete_message=t("awareness.incomplete_rows"),
)
st.caption(t("awareness.table_help"))
with frame.details("awareness_charts", t("awareness.charts_title")) as shown:
    if shown:
        charts_view.awareness_charts(data, content, key="awareness")
frame.next_step_link("awareness")
