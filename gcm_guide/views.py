"""Streamlit building blocks shared by several pages: charts with their text summaries, and the
set-up recommendation panel."""

from __future__ import annotations

import plotly.graph_objects as go
import streamlit as st

from gcm_guide import chart_data, charts, checklist, ui
from gcm_guide.content import Content
from gcm_guide.i18n import t
from gcm_guide.recommender import Recommendation
from gcm_guide.store import WorkspaceData

PLOTLY_CONFIG = {"displaylogo": False, "responsive": True, "modeBarButtonsToRemove": ["select2d", "lasso2d"]}


def chart(figure: go.Figure, summary: str, *, key: str | None = None) -> None:
    """A figure with its text summary beside it in words (also its alt text for screen readers)."""
    st.plotly_chart(figure, theme=None, config=PLOTLY_CONFIG, alt=summary, key=key)
    st.caption(f"**{t('charts.text_summary')}:** {ui.plain(summary)}")


def stakeholder_charts(data: WorkspaceData, content: Content, *, key: str) -> None:
    """Who is in the room and who is missing: groups, influence/interest, voices, levels and sectors."""
    tabs = st.tabs([t("charts.tabs.coverage"), t("charts.tabs.grid"), t("charts.tabs.voices"), t("charts.tabs.levels")])
    with tabs[0]:
        coverage = chart_data.group_coverage(data, content)
        chart(charts.coverage_figure(coverage), coverage.summary, key=f"{key}_coverage")
    with tabs[1]:
        grid = chart_data.influence_interest(data, content)
        chart(charts.grid_figure(grid), grid.summary, key=f"{key}_grid")
    with tabs[2]:
        voices = chart_data.voices(data, content)
        chart(charts.voices_figure(voices), voices.summary, key=f"{key}_voices")
    with tabs[3]:
        levels, sectors = chart_data.government_levels(data, content), chart_data.sectors(data, content)
        left, right = st.columns(2)
        with left:
            chart(charts.levels_figure(levels), levels.summary, key=f"{key}_levels")
        with right:
            chart(charts.sectors_figure(sectors), sectors.summary, key=f"{key}_sectors")


def engagement_charts(data: WorkspaceData, content: Content, *, key: str) -> None:
    matrix = chart_data.engagement(data, content)
    chart(charts.engagement_figure(matrix), matrix.summary, key=f"{key}_matrix")
    mediums = matrix.extra["mediums"]
    st.caption(t("charts.engagement.mediums_title") + ": " + " · ".join(f"{name} {n}" for name, n in mediums.items()))


def awareness_charts(data: WorkspaceData, content: Content, *, key: str) -> None:
    matrix = chart_data.awareness(data, content)
    chart(charts.awareness_figure(matrix), matrix.summary, key=f"{key}_matrix")
    st.plotly_chart(
        charts.timeline_figure(matrix), theme=None, config=PLOTLY_CONFIG, key=f"{key}_timeline", alt=matrix.summary
    )


def checklist_chart(data: WorkspaceData, content: Content, *, key: str) -> None:
    progress = chart_data.checklist_progress(checklist.checklist_status(data, content), content)
    chart(charts.checklist_figure(progress), progress.summary, key=key)


def recommendation_panel(recommendation: Recommendation, content: Content, *, compact: bool = False) -> None:
    """The recommended set-up, how clear-cut it is, every reason, suggested lead bodies and the caveats."""
    questions = {c.id: c.question for c in content.action3.criteria}
    if not recommendation.ready:
        st.info(t("setup.rec.missing"), icon=":material/pending:")
        st.markdown("\n".join(f"- {questions[c]}" for c in recommendation.blocking))
    elif recommendation.option is None:
        st.warning(t("setup.rec.even"), icon=":material/balance:")
    else:
        headline = t(
            "setup.rec.headline",
            option=content.option_names[recommendation.option],
            strength=t(f"setup.rec.strength.{recommendation.strength}"),
            score=f"{recommendation.score:+.1f}",
            max=f"{recommendation.max_score:.1f}",
        )
        (st.success if recommendation.strength == "clear" else st.info)(headline, icon=":material/recommend:")
        if recommendation.strength == "balanced":
            st.warning(t("setup.rec.balanced"), icon=":material/balance:")
    weighing = [c for c in recommendation.contributions if c.points]
    if weighing and compact:
        # A narrow column: the weights as a list, each with its sign and the option it favours.
        st.markdown(f"**{t('charts.contributions.title')}**")
        lines = [
            t(
                "setup.rec.weight_line",
                points=f"{c.points:+.1f}",
                short=c.short,
                answer=ui.plain(c.answer),
                option=t("setup.rec.favours_1" if c.points > 0 else "setup.rec.favours_2"),
            )
            for c in weighing
        ]
        st.markdown("\n".join(lines))
    elif weighing:
        summary = " ".join(f"{c.points:+.1f}: {c.explanation}" for c in weighing)
        figure = charts.contributions_figure(recommendation.contributions, t("charts.contributions.title"))
        chart(figure, summary, key="setup_contributions")
    if recommendation.contributions:
        with st.expander(t("setup.rec.reasons"), icon=":material/list:"):
            st.dataframe(
                [
                    {
                        t("setup.rec.col_question"): c.question or t("setup.rec.evidence"),
                        t("setup.rec.col_answer"): c.answer,
                        t("setup.rec.col_points"): round(c.points, 2),
                        t("setup.rec.col_why"): c.explanation,
                    }
                    for c in recommendation.contributions
                ],
                hide_index=True,
                width="stretch",
            )
    st.markdown(f"**{t('setup.rec.leads_title')}**")
    if recommendation.lead_bodies:
        st.markdown("\n".join(f"- {ui.plain(lead.name)} — {lead.candidate}" for lead in recommendation.lead_bodies[:6]))
    else:
        st.caption(t("setup.rec.no_leads"))
    for note in recommendation.notes:
        st.caption(t("setup.rec.your_note", note=ui.plain(note)))
    st.markdown(f"**{t('setup.rec.caveats_title')}**")
    st.markdown("\n".join(f"- {caveat}" for caveat in recommendation.caveats))
