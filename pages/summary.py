"""Summary: the kick-off report on screen, what is still missing, and the files to circulate."""

import datetime as dt

import streamlit as st

from gcm_guide import checklist, exports, progress, recommender, reviews, snapshots
from gcm_guide.i18n import local_date, local_time
from gcm_guide.models import stored_id
from gcm_guide.web import charts_view, downloads, frame, resources, setup_view, unlock
from gcm_guide.web.text import message, plain, t, t_plain, tn

workspace = unlock.require_workspace()
workspace_id = stored_id(workspace)
content = resources.content()
data = resources.workspace_data(workspace)
statuses = checklist.checklist_status(data, content)

st.title(t("summary.title", name=workspace.name))
st.caption(
    t(
        "summary.date",
        country=workspace.country or "—",
        level=t(f"levels.{workspace.level}"),
        date=local_date(dt.date.today()),
    )
)
done = checklist.done_count(statuses)
if checklist.is_complete(statuses):
    st.success(t("summary.final"), icon=":material/verified:")
else:
    st.warning(t("summary.draft", done=done, total=len(statuses)), icon=":material/draft:")

with st.container(border=True):
    st.subheader(t("summary.downloads"))
    taken = resources.read(snapshots.list_snapshots, workspace_id=workspace_id)
    since = None
    if taken:
        names = {s.id: t_plain("snapshots.option", name=s.name, when=local_time(s.created_at)) for s in taken}
        since = st.selectbox(
            t("summary.compare_in_pdf"),
            [None, *reversed(names)],
            format_func=lambda i: names[i] if i is not None else t_plain("summary.compare_in_pdf_none"),
            help=t_plain("summary.compare_in_pdf_help"),
            key="summary_since",
        )
    language = downloads.report_language(workspace)
    downloads.downloads(workspace_id, workspace.name, language=language, since=since)

due = reviews.due_reviews(data, content, dt.date.today())
if due:
    st.subheader(t("summary.reviews_title"))
    st.caption(tn("summary.reviews_count", len(due)))
    for review in due:
        text, link = st.columns([4, 1])
        line_key = "summary.review_checklist" if review.kind == "checklist" else "summary.review_stakeholder"
        text.markdown(f"- {t(line_key, item=review.label, name=review.label, date=local_date(review.due))}")
        with link:
            frame.link(review.page, t("summary.review_link"), icon=":material/event:")

st.subheader(t("summary.gaps"))
missing = progress.missing_items(data, content)
for item in missing:
    text, link = st.columns([4, 1])
    text.markdown(f"- {message(item.key, item.params)}")
    with link:
        frame.link(item.page, t("summary.fix"), icon=":material/arrow_forward:")
if not missing:
    st.markdown(t("summary.no_gaps"))

st.header(content.guiding_questions.title, divider="gray")
for question in content.guiding_questions.questions:
    st.markdown(f"**{question.number}. {question.text}**")
    answer = data.answer_text(question.id)
    st.markdown(plain(answer) if answer.strip() else f"*{t('summary.no_answer')}*")

# Each section reads in a sentence or two; its charts and tables are drawn when the reader opens them, so the
# page opens quickly however large the workspace is (the PDF has them all).
st.header(t("summary.stakeholder_map"), divider="gray")
st.markdown(plain(charts_view.summary_of("coverage", data, content)))
with frame.details("summary_stakeholders_details") as shown:
    if shown:
        charts_view.stakeholder_charts(data, content, key="summary_stakeholders")
        st.subheader(t("summary.register_by_group"))
        downloads.sheet_table(exports.stakeholders_sheet(data, content))

st.header(t("summary.engagement"), divider="gray")
st.markdown(plain(charts_view.summary_of("engagement", data, content)))
with frame.details("summary_engagement_details") as shown:
    if shown:
        charts_view.engagement_charts(data, content, key="summary_engagement")
        st.subheader(t("summary.plans_table"))
        downloads.sheet_table(exports.plans_sheet(data, content))

st.header(t("summary.setup"), divider="gray")
decision = data.decision
if decision and decision.chosen_option:
    st.markdown(t("summary.decision_line", option=content.option_names[decision.chosen_option]))
    if decision.lead_bodies.strip():
        st.markdown(t("summary.lead_line", bodies=decision.lead_bodies))
else:
    st.markdown(f"*{t('summary.no_decision')}*")
with frame.details("summary_setup_details") as shown:
    if shown:
        setup_view.recommendation_panel(recommender.recommend_for(data, content), content, key="summary_weighing")
        st.subheader(t("summary.roles_table"))
        downloads.sheet_table(exports.roles_sheet(data, content))

st.header(t("summary.awareness"), divider="gray")
st.markdown(plain(charts_view.summary_of("awareness", data, content)))
with frame.details("summary_awareness_details") as shown:
    if shown:
        charts_view.awareness_charts(data, content, key="summary_awareness")
        st.subheader(t("summary.activities_table"))
        downloads.sheet_table(exports.activities_sheet(data, content))

st.header(t("summary.checklist_title"), divider="gray")
st.markdown(plain(charts_view.summary_of("checklist", data, content)))
with frame.details("summary_checklist_details") as shown:
    if shown:
        charts_view.checklist_chart(data, content, key="summary_checklist")
        downloads.sheet_table(exports.checklist_sheet(data, content))
