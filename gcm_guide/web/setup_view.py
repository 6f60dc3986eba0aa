"""The institutional set-up recommendation as the team reads it: the call, its reasons, suggested lead bodies
and the caveats the guidance insists on."""

from __future__ import annotations

import streamlit as st

from gcm_guide.content import Content
from gcm_guide.recommender import Recommendation
from gcm_guide.web.charts_view import _contributions_figure, chart
from gcm_guide.web.frame import bullet_list
from gcm_guide.web.text import plain, t, t_plain


def recommendation_panel(recommendation: Recommendation, content: Content, *, compact: bool = False) -> None:
    """The recommended set-up, how clear-cut it is, every reason, suggested lead bodies and the caveats."""
    questions = {c.id: c.question for c in content.action3.criteria}
    if not recommendation.ready:
        st.info(t("setup.rec.missing"), icon=":material/pending:")
        st.markdown(bullet_list([questions[c] for c in recommendation.blocking]))
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
                answer=c.answer,
                option=t("setup.rec.favours_1" if c.points > 0 else "setup.rec.favours_2"),
            )
            for c in weighing
        ]
        st.markdown("\n".join(lines))
    elif weighing:
        summary = " ".join(f"{c.points:+.1f}: {c.explanation}" for c in weighing)
        figure = _contributions_figure(tuple(recommendation.contributions), t_plain("charts.contributions.title"))
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
        st.markdown(
            "\n".join(f"- {plain(lead.name)} — {plain(lead.candidate)}" for lead in recommendation.lead_bodies[:6])
        )
    else:
        st.caption(t("setup.rec.no_leads"))
    for note in recommendation.notes:
        st.caption(t("setup.rec.your_note", note=note))
    st.markdown(f"**{t('setup.rec.caveats_title')}**")
    st.markdown(bullet_list(recommendation.caveats))
