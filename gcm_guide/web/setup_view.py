"""The institutional set-up recommendation as the team reads it: the call in plain sentences, the lead bodies
the team named, the caveats the guidance insists on, and, on request, every reason with its weight."""

from __future__ import annotations

import streamlit as st

from gcm_guide.content import Content
from gcm_guide.recommender import Recommendation
from gcm_guide.web.charts_view import _contributions_figure, chart
from gcm_guide.web.frame import bullet_list, folded
from gcm_guide.web.text import Markdown, t, t_plain


def recommendation_panel(recommendation: Recommendation, content: Content, *, key: str, compact: bool = False) -> None:
    """The recommended set-up and why in a few sentences; the suggested lead bodies; the caveats; the details
    (in a folded panel keyed `key`, drawn when opened: Action 3 redraws this panel on every answer)."""
    questions = {c.id: c.question for c in content.action3.criteria}
    if not recommendation.ready:
        st.info(t("setup.rec.missing"), icon=":material/pending:")
        st.markdown(bullet_list([questions[c] for c in recommendation.blocking]))
    elif recommendation.option is None:
        st.warning(t("setup.rec.even"), icon=":material/balance:")
    else:
        strength = recommendation.strength or "balanced"
        headline = t(f"setup.rec.points_to.{strength}", option=content.option_names[recommendation.option])
        (st.success if strength == "clear" else st.info)(headline, icon=":material/recommend:")
        st.markdown(bullet_list([c.explanation for c in recommendation.reasons_for()]))
        against = recommendation.reasons_against()
        if against:
            st.markdown(t("setup.rec.against"))
            st.markdown(bullet_list([c.explanation for c in against]))
    st.markdown(f"**{t('setup.rec.leads_title')}**")
    if recommendation.lead_bodies:
        lines = [
            t("setup.rec.lead_line", name=lead.name, why=lead.candidate) for lead in recommendation.lead_bodies[:6]
        ]
        st.markdown(bullet_list(lines))
    else:
        st.caption(t("setup.rec.no_leads"))
    for note in recommendation.notes:
        st.caption(t("setup.rec.your_note", note=note))
    st.markdown(f"**{t('setup.rec.caveats_title')}**")
    st.markdown(bullet_list(recommendation.caveats))
    if recommendation.contributions:
        with folded(key, t("setup.rec.details"), ":material/balance:") as shown:
            if shown:
                _details(recommendation, compact=compact)


def _details(recommendation: Recommendation, *, compact: bool) -> None:
    """Every reason with its signed weight, the passage each question rests on, and the weights as a chart."""
    st.caption(t("setup.rec.own_reading"))
    if recommendation.strength:
        st.caption(
            t(
                "setup.rec.score_line",
                score=f"{recommendation.score:+.1f}",
                max=f"{recommendation.max_score:.1f}",
                strength=t(f"setup.rec.strength.{recommendation.strength}"),
            )
        )
    lines = [Markdown(t("setup.rec.reason_line", **c.reason_fields())) for c in recommendation.contributions]
    st.markdown(bullet_list(lines))
    weighing = [c for c in recommendation.contributions if c.points]
    if weighing and not compact:
        summary = " ".join(f"{c.points:+.1f}: {c.explanation}" for c in weighing)
        figure = _contributions_figure(tuple(recommendation.contributions), t_plain("charts.contributions.title"))
        chart(figure, summary, key="setup_contributions")
