"""Charts on screen: each plotly figure beside its summary in words, built once per change of what it shows
and shared by every session showing the same data."""

from __future__ import annotations

import hashlib
import pickle
from collections.abc import Callable
from typing import Any

import plotly.graph_objects as go
import streamlit as st

from gcm_guide import chart_data, charts, checklist
from gcm_guide.chart_data import MatrixData
from gcm_guide.content import Content
from gcm_guide.i18n import get_language
from gcm_guide.recommender import Contribution
from gcm_guide.web.text import joined, plain, t
from gcm_guide.workspace_data import WorkspaceData

PLOTLY_CONFIG = {"displaylogo": False, "responsive": True, "modeBarButtonsToRemove": ["select2d", "lasso2d"]}


def chart(figure: go.Figure, summary: str, *, key: str | None = None) -> None:
    """A figure with its text summary beside it in words (also its alt text for screen readers)."""
    st.plotly_chart(figure, theme=None, config=PLOTLY_CONFIG, alt=summary, key=key)
    st.caption(f"**{t('charts.text_summary')}:** {plain(summary)}")


# Chart data and figure, per kind: (chart-data function, figure function).
_CHARTS: dict[str, tuple[Callable[..., Any], Callable[..., go.Figure]]] = {
    "coverage": (chart_data.group_coverage, charts.coverage_figure),
    "grid": (chart_data.influence_interest, charts.grid_figure),
    "voices": (chart_data.voices, charts.voices_figure),
    "levels": (chart_data.government_levels, charts.levels_figure),
    "sectors": (chart_data.sectors, charts.sectors_figure),
    "engagement": (chart_data.engagement, charts.engagement_figure),
    "awareness": (chart_data.awareness, charts.awareness_figure),
    "timeline": (chart_data.awareness, charts.timeline_figure),
    "checklist": (
        lambda data, content: chart_data.checklist_progress(checklist.checklist_status(data, content), content),
        charts.checklist_figure,
    ),
}


@st.cache_resource(max_entries=256, show_spinner=False)
def _chart_input(
    kind: str, workspace_id: int, version: str, language: str, _data: WorkspaceData, _content: Content
) -> tuple[Any, str]:
    # Keyed by the workspace's last-change time: reruns and other sessions reuse it until the workspace
    # changes. The digest names what the chart shows, so an edit elsewhere does not redraw the chart.
    chart_input = _CHARTS[kind][0](_data, _content)
    return chart_input, hashlib.sha256(pickle.dumps(chart_input)).hexdigest()


@st.cache_resource(max_entries=256, show_spinner=False)
def _figure(kind: str, digest: str, language: str, _chart_input: Any) -> go.Figure:
    # Building a plotly figure is the costly part (milliseconds each); figures are only serialised by
    # st.plotly_chart, never changed, so one figure serves every session showing the same data.
    return _CHARTS[kind][1](_chart_input)


def figure_for(kind: str, data: WorkspaceData, content: Content) -> tuple[go.Figure, Any]:
    """The figure of one chart kind for a workspace, and the chart data it was drawn from."""
    language = get_language()
    version = data.workspace.updated_at.isoformat()
    chart_input, digest = _chart_input(kind, data.workspace.id or 0, version, language, data, content)
    return _figure(kind, digest, language, chart_input), chart_input


def summary_of(kind: str, data: WorkspaceData, content: Content) -> str:
    """What one chart shows, in words (from the same cached chart data as the chart, without drawing it)."""
    version = data.workspace.updated_at.isoformat()
    chart_input, _ = _chart_input(kind, data.workspace.id or 0, version, get_language(), data, content)
    return str(chart_input.summary)


def show(kind: str, data: WorkspaceData, content: Content, *, key: str) -> None:
    figure, chart_input = figure_for(kind, data, content)
    chart(figure, chart_input.summary, key=key)


def _show_matrix(kind: str, data: WorkspaceData, content: Content, *, key: str) -> MatrixData:
    """A matrix chart (engagement, awareness) drawn, and its data for what goes beside it."""
    figure, matrix = figure_for(kind, data, content)
    assert isinstance(matrix, MatrixData)
    chart(figure, matrix.summary, key=key)
    return matrix


def stakeholder_charts(data: WorkspaceData, content: Content, *, key: str) -> None:
    """Who is in the room and who is missing: groups, influence/interest, voices, levels and sectors."""
    # Tracked tabs: only the open one draws its chart, so the page does not pay for four charts to show one.
    tabs = st.tabs(
        [t("charts.tabs.coverage"), t("charts.tabs.grid"), t("charts.tabs.voices"), t("charts.tabs.levels")],
        key=f"{key}_tabs",
        on_change="rerun",
    )
    if tabs[0].open:
        with tabs[0]:
            show("coverage", data, content, key=f"{key}_coverage")
    if tabs[1].open:
        with tabs[1]:
            show("grid", data, content, key=f"{key}_grid")
    if tabs[2].open:
        with tabs[2]:
            show("voices", data, content, key=f"{key}_voices")
    if tabs[3].open:
        with tabs[3]:
            left, right = st.columns(2)
            with left:
                show("levels", data, content, key=f"{key}_levels")
            with right:
                show("sectors", data, content, key=f"{key}_sectors")


def engagement_charts(data: WorkspaceData, content: Content, *, key: str) -> None:
    matrix = _show_matrix("engagement", data, content, key=f"{key}_matrix")
    mediums = matrix.extra["mediums"]
    st.caption(
        t("charts.engagement.mediums_title") + ": " + joined((f"{name} {n}" for name, n in mediums.items()), " · ")
    )


def awareness_charts(data: WorkspaceData, content: Content, *, key: str) -> None:
    matrix = _show_matrix("awareness", data, content, key=f"{key}_matrix")
    timeline, _ = figure_for("timeline", data, content)
    st.plotly_chart(timeline, theme=None, config=PLOTLY_CONFIG, key=f"{key}_timeline", alt=matrix.summary)


def checklist_chart(data: WorkspaceData, content: Content, *, key: str) -> None:
    show("checklist", data, content, key=key)


@st.cache_resource(max_entries=64, show_spinner=False)
def _contributions_figure(contributions: tuple[Contribution, ...], title: str) -> go.Figure:
    # The same answers give the same figure: reruns reuse it (hashing a few frozen records is cheap).
    return charts.contributions_figure(contributions, title)
