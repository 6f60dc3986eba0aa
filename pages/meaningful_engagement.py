"""Action 2 — Create meaningful engagement: understand each stakeholder and plan how to engage them."""

import streamlit as st

from gcm_guide import progress
from gcm_guide.models import stored_id
from gcm_guide.web import charts_view, frame, plan_view, resources, unlock
from gcm_guide.web.saving import show_messages
from gcm_guide.web.text import joined, t, tn

workspace = unlock.require_workspace()
workspace_id = stored_id(workspace)
content = resources.content()
action = content.action2
data = resources.workspace_data(workspace)
group_names = content.group_names

st.title(t("action.title", number=action.number, title=action.title))
show_messages()
without_plan = progress.stakeholders_without_plan(data)
total = len(data.stakeholders)
planned, understood = total - len(without_plan), len(progress.understood_stakeholders(data))
frame.progress(planned + understood, 2 * total, tn("engagement.progress", total, done=planned, understood=understood))

if not data.stakeholders:
    st.info(t("engagement.no_stakeholders"))
    frame.link("stakeholders")
    st.stop()
if without_plan:
    names = joined((s.name for s in without_plan[:25]), "; ")
    more = len(without_plan) - 25
    st.warning(
        tn("engagement.missing_plans", len(without_plan), names=names)
        + (t("engagement.and_more", count=more) if more > 0 else ""),
        icon=":material/assignment_late:",
    )
else:
    st.success(t("engagement.all_planned"), icon=":material/task_alt:")

st.subheader(t("engagement.table_title"))
st.caption(t("engagement.table_help"))
plan_view.plan_table_view(workspace_id, data, content)

st.subheader(t("engagement.detail_title"))
main, side = st.columns([3, 2], gap="large")
with side, frame.guidance("engagement_guidance", expanded=False) as shown:
    if shown:
        frame.paragraphs(action.intro)
        st.markdown(f"**{action.understand.title}**")
        st.markdown(frame.bullet_list([q.text for q in action.understand.questions]))
        st.markdown(f"**{action.determine.title}**  \n{action.determine.mechanisms_intro}")
        st.markdown(frame.bullet_list([m.name for m in action.determine.mechanisms]))
        mediums = frame.bullet_list([m.name for m in action.determine.mediums])
        st.markdown(action.determine.mediums_intro + "\n" + mediums)
        st.markdown(action.determine.closing)
        consider = frame.bullet_list([q.text for q in action.determine.consider])
        st.markdown(action.determine.consider_intro + "\n" + consider)
        st.markdown(f"**{action.ensure.title}**")
        st.markdown(frame.bullet_list([q.text + frame.footnote_marks(q.footnotes) for q in action.ensure.questions]))
        st.caption(t("engagement.iap2_note", source=action.participation_levels.source))
        frame.footnote_sources([n for q in action.ensure.questions for n in q.footnotes])
with main:
    plan_view.stakeholder_detail(workspace_id, data, content)

with frame.details("engagement_charts", t("engagement.charts_title")) as shown:
    if shown:
        charts_view.engagement_charts(data, content, key="engagement")
frame.next_step_link("engagement")
