"""Summary: the kick-off at a glance (the full report and exports build on this page)."""

import streamlit as st

from gcm_guide import checklist, progress, recommender, ui, views
from gcm_guide.i18n import t, tn

workspace = ui.require_workspace()
content = ui.content()
data = ui.workspace_data(workspace)

st.title(t("summary.title", name=ui.plain(workspace.name)))
st.caption(" · ".join(x for x in (ui.plain(workspace.country), t(f"levels.{workspace.level}")) if x))

answered = progress.answered_questions(data, content)
missing_groups = progress.uncovered_groups(data, content)
statuses = checklist.checklist_status(data, content)
metrics = st.columns(4)
metrics[0].metric(t("summary.questions"), f"{len(answered)} / {len(content.guiding_questions.questions)}")
metrics[1].metric(t("summary.stakeholders"), len(data.stakeholders))
metrics[2].metric(
    t("summary.groups"),
    f"{len(content.action1.stakeholder_groups) - len(missing_groups)} / {len(content.action1.stakeholder_groups)}",
)
metrics[3].metric(t("summary.checklist"), f"{sum(s.status == 'done' for s in statuses)} / {len(statuses)}")

st.subheader(content.guiding_questions.title)
for question in content.guiding_questions.questions:
    st.markdown(f"**{question.number}. {question.text}**")
    answer = data.answer_text(question.id)
    st.markdown(ui.plain(answer) if answer.strip() else f"*{t('summary.no_answer')}*")

st.subheader(t("summary.gaps"))
if missing_groups:
    st.markdown(tn("summary.groups_missing", len(missing_groups), total=len(content.action1.stakeholder_groups)))
    ui.link("stakeholders")
without_plan = progress.stakeholders_without_plan(data)
if without_plan:
    st.markdown(tn("summary.plans_missing", len(without_plan)))
    ui.link("engagement")
if not missing_groups and not without_plan:
    st.markdown(t("summary.no_gaps"))

st.subheader(t("summary.stakeholder_map"))
views.stakeholder_charts(data, content, key="summary_stakeholders")
st.subheader(t("summary.engagement"))
views.engagement_charts(data, content, key="summary_engagement")
st.subheader(t("summary.setup"))
views.recommendation_panel(recommender.recommend_for(data, content), content)
st.subheader(t("summary.awareness"))
views.awareness_charts(data, content, key="summary_awareness")
st.subheader(t("summary.checklist_title"))
views.checklist_chart(data, content, key="summary_checklist")
