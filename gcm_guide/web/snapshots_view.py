"""The snapshots page's parts: the list, the comparison of two moments, and the coverage timeline."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import streamlit as st

from gcm_guide import charts, db, snapshots
from gcm_guide.chart_data import settings as chart_settings
from gcm_guide.content import Content
from gcm_guide.i18n import local_time
from gcm_guide.models import Workspace
from gcm_guide.web import resources
from gcm_guide.web.text import plain, t, t_plain, tn
from gcm_guide.workspace_data import WorkspaceData

NOW = 0  # the "now" choice in the pickers (no snapshot has id 0)
# Charts here are read, not explored: no toolbar.
STILL_CHART = {"displayModeBar": False, "responsive": True}


@st.cache_resource(max_entries=16, show_spinner=False)
def _snapshot_data(url: str, workspace_id: int, snapshot_id: int) -> WorkspaceData:
    # A snapshot never changes once taken, so its parsed payload is shared by every session and rerun.
    return db.run_read(
        resources.engine(), snapshots.load_snapshot_data, workspace_id=workspace_id, snapshot_id=snapshot_id
    )


def snapshot_data(workspace: Workspace, snapshot_id: int) -> WorkspaceData:
    if snapshot_id == NOW:
        return resources.workspace_data(workspace)
    assert workspace.id is not None
    return _snapshot_data(resources.settings().resolved_database_url, workspace.id, snapshot_id)


def _who(author: str) -> str:
    return author or t_plain("snapshots.owner")


def snapshot_table(listed: Sequence[snapshots.SnapshotInfo]) -> None:
    """The snapshots, newest first: when, what, who, how, and the coverage each recorded."""
    if not listed:
        st.caption(t("snapshots.none_yet"))
        return
    rows = [
        {
            t_plain("snapshots.columns.taken_at"): local_time(s.created_at),
            t_plain("snapshots.columns.name"): s.name,
            t_plain("snapshots.columns.author"): _who(s.author),
            t_plain("snapshots.columns.kind"): t_plain(f"snapshots.kinds.{s.kind}"),
            t_plain("snapshots.columns.note"): s.note,
            t_plain("snapshots.columns.stakeholders"): s.counts.get("stakeholders", 0),
            t_plain("snapshots.columns.groups"): t_plain(
                "snapshots.metric_value", count=s.counts.get("groups_covered", 0), total=s.counts.get("groups_total", 0)
            ),
            t_plain("snapshots.columns.voices"): t_plain(
                "snapshots.metric_value", count=s.counts.get("voices_carried", 0), total=s.counts.get("voices_total", 0)
            ),
            t_plain("snapshots.columns.plans"): s.counts.get("with_plan", 0),
        }
        for s in reversed(listed)
    ]
    st.dataframe(rows, hide_index=True, width="stretch", key="snapshot_list")


def choose_moments(listed: Sequence[snapshots.SnapshotInfo]) -> tuple[int, int] | None:
    """The two moments to compare: a snapshot (the latest by default) and now (or another snapshot)."""
    if not listed:
        st.info(t("snapshots.need_one"), icon=":material/photo_camera:")
        return None
    names = {s.id: t_plain("snapshots.option", name=s.name, when=local_time(s.created_at)) for s in listed}
    names[NOW] = t_plain("snapshots.now")
    ids = [s.id for s in reversed(listed)]
    left, right = st.columns(2)
    then = left.selectbox(t("snapshots.then"), ids, format_func=names.__getitem__, key="snapshot_then", index=0)
    until = right.selectbox(
        t("snapshots.until"), [NOW, *ids], format_func=names.__getitem__, key="snapshot_until", index=0
    )
    if then == until:
        st.info(t("snapshots.same"), icon=":material/compare_arrows:")
        return None
    return then, until


def _metric(column: Any, key: str, before: int, after: int, total_before: int | None, total_after: int | None) -> None:
    value = str(after) if total_after is None else t_plain("snapshots.metric_value", count=after, total=total_after)
    column.metric(
        t(f"snapshots.metrics.{key}"),
        value,
        delta=after - before or None,
        help=None if total_before is None else t_plain("snapshots.metric_value", count=before, total=total_before),
    )


def _bullets(lines: Sequence[str]) -> None:
    if lines:
        st.markdown("\n".join(f"- {plain(line)}" for line in lines))
    else:
        st.caption(t("snapshots.none"))


def comparison(then: WorkspaceData, now: WorkspaceData, content: Content) -> None:
    """What changed from `then` to `now`: the counts, the register, the grid, coverage, plans, the set-up."""
    result = snapshots.compare(then, now, content)
    if result.unchanged:
        st.success(t("snapshots.unchanged"), icon=":material/check:")
    columns = st.columns(4)
    _metric(columns[0], "stakeholders", len(then.stakeholders), len(now.stakeholders), None, None)
    for column, key, coverage in zip(
        columns[1:], ("groups", "voices", "plans"), (result.groups, result.voices, result.plans), strict=True
    ):
        _metric(column, key, coverage.before, coverage.after, coverage.total_before, coverage.total_after)

    st.subheader(t("snapshots.register_title"))
    added, removed, renamed = st.columns(3)
    with added:
        st.markdown(f"**{tn('snapshots.added', len(result.added))}**")
        _bullets(snapshots.person_lines(result.added, content))
    with removed:
        st.markdown(f"**{tn('snapshots.removed', len(result.removed))}**")
        _bullets(snapshots.person_lines(result.removed, content))
    with renamed:
        st.markdown(f"**{tn('snapshots.renamed', len(result.renamed))}**")
        _bullets(snapshots.renamed_lines(result.renamed))

    st.subheader(tn("snapshots.moved", len(result.moved)))
    if result.moved:
        figure = charts.moves_figure(
            result.moved, chart_settings()["influence_interest"]["high_from"], t_plain("snapshots.grid_title")
        )
        summary = tn("snapshots.grid_summary", len(result.moved))
        st.plotly_chart(figure, theme=None, config=STILL_CHART, key="snapshot_moves")
        st.caption(summary)
        # Numbered as the markers on the chart are.
        st.markdown("\n".join(f"{n}. {plain(line)}" for n, line in enumerate(snapshots.move_lines(result.moved), 1)))
    else:
        st.caption(t("snapshots.none"))

    st.subheader(t("snapshots.coverage_title"))
    _bullets(snapshots.coverage_lines(result, content))

    st.subheader(t("snapshots.plans_title"))
    rows = snapshots.plan_status_rows(result, content)
    if rows:
        st.caption(
            f"{tn('snapshots.plan_changes', len(result.plan_changes))} · "
            f"{tn('snapshots.status_changes', len(result.status_changes))}"
        )
        headings = [t_plain(f"snapshots.table.{k}") for k in ("stakeholder", "what", "before", "after")]
        st.dataframe(
            [dict(zip(headings, row, strict=True)) for row in rows],
            hide_index=True,
            width="stretch",
            key="snapshot_plan_changes",
        )
    else:
        st.caption(t("snapshots.none"))

    st.subheader(t("snapshots.decision_title"))
    _bullets(snapshots.decision_lines(result, content))


def timeline(workspace: Workspace, listed: Sequence[snapshots.SnapshotInfo], content: Content) -> None:
    """Coverage at each snapshot and now, as a chart with the same figures in words below it."""
    now = snapshots.coverage_counts(resources.workspace_data(workspace), content)
    points = snapshots.timeline(listed, now, t_plain("snapshots.timeline_now"))
    figure = charts.coverage_timeline_figure(points, t_plain("snapshots.timeline_title"))
    st.plotly_chart(figure, theme=None, config=STILL_CHART, key="snapshot_timeline")
    with st.expander(t("charts.text_summary")):
        _bullets(
            [
                t_plain(
                    "snapshots.timeline_point",
                    name=p.label,
                    groups=p.counts.get("groups_covered", 0),
                    groups_total=p.counts.get("groups_total", 0),
                    voices=p.counts.get("voices_carried", 0),
                    voices_total=p.counts.get("voices_total", 0),
                    plans=p.counts.get("with_plan", 0),
                    stakeholders=p.counts.get("stakeholders", 0),
                )
                for p in points
            ]
        )
