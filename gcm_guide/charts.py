"""Plotly figures for the screen, drawn from gcm_guide.chart_data.

Made to be read on a projector: large type, the Okabe–Ito colour-blind-safe palette, and every value
written out as text (counts on bars and cells, quadrant names on the grid), so no meaning rests on
colour alone. Text that users typed is escaped, since plotly labels accept a little HTML.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import html
import math
import textwrap
from collections.abc import Sequence
from typing import Any

import plotly.graph_objects as go
import plotly.io as pio

from gcm_guide.chart_data import QUADRANTS, BarChartData, ChecklistData, GridData, MatrixData
from gcm_guide.i18n import local_date, t
from gcm_guide.recommender import Contribution

# Okabe & Ito (2008), distinguishable with the common colour-vision deficiencies.
PALETTE = ("#0072B2", "#E69F00", "#009E73", "#CC79A7", "#56B4E9", "#D55E00", "#F0E442", "#000000")
QUADRANT_STYLE = {
    "manage_closely": ("#D55E00", "diamond"),
    "keep_satisfied": ("#0072B2", "square"),
    "keep_informed": ("#009E73", "circle"),
    "monitor": ("#6E6E6E", "triangle-up"),
}
STATUS_STYLE = {"done": ("#009E73", 1.0), "in_progress": ("#E69F00", 0.55), "not_started": ("#BBBBBB", 0.12)}
FONT_SIZE = 16
MAX_HOVER_NAMES = 12


def esc(text: str) -> str:
    """Escape text for plotly's little HTML dialect (which does not decode &quot;, so quotes stay as typed)."""
    return html.escape(text, quote=False)


def label(text: str, width: int = 30) -> str:
    """Escape text for plotly and wrap it onto lines of about `width` characters."""
    return "<br>".join(esc(line) for line in textwrap.wrap(text, width) or [""])


def _lean_template() -> go.layout.Template:
    """plotly's "simple_white" look, keeping only the trace types these charts draw. Plotly copies and checks
    a figure's whole template when it is set; the full one (styles for ~25 trace types) cost about 6 ms per
    figure, which added up on pages that draw several charts after every change."""
    simple_white = pio.templates["simple_white"]
    styles = simple_white.data.to_plotly_json()
    return go.layout.Template(layout=simple_white.layout, data={k: styles[k] for k in ("bar", "scatter", "heatmap")})


pio.templates["gcm_simple_white"] = _lean_template()


def _layout(figure: go.Figure, title: str, height: int) -> go.Figure:
    figure.update_layout(
        title={"text": esc(title), "font": {"size": FONT_SIZE + 4}},
        template="gcm_simple_white",
        font={"size": FONT_SIZE, "family": "Source Sans Pro, DejaVu Sans, Arial, sans-serif", "color": "#14202b"},
        colorway=PALETTE,
        height=height,
        margin={"l": 10, "r": 30, "t": 60, "b": 40},
        hoverlabel={"font_size": FONT_SIZE},
    )
    return figure


def _empty(figure: go.Figure, message: str) -> go.Figure:
    figure.add_annotation(
        text=esc(message),
        x=0.5,
        y=0.5,
        xref="paper",
        yref="paper",
        showarrow=False,
        font={"size": FONT_SIZE + 2, "color": "#555555"},
    )
    figure.update_xaxes(visible=False)
    figure.update_yaxes(visible=False)
    return figure


def _hover_names(names: Sequence[str]) -> str:
    shown = "<br>".join(esc(n) for n in names[:MAX_HOVER_NAMES])
    if len(names) > MAX_HOVER_NAMES:
        shown += "<br>" + esc(t("charts.and_more", count=len(names) - MAX_HOVER_NAMES))
    return shown


def bar_figure(
    chart: BarChartData,
    *,
    zero_text: str,
    color: str = PALETTE[0],
    wrap: int = 30,
    empty_message: str | None = None,
) -> go.Figure:
    """Horizontal bars, first item on top; a zero is written out (e.g. "none yet") rather than left blank.

    With `empty_message`, a chart with nothing to count shows only that message instead of zero bars.
    """
    if empty_message is not None and chart.empty:
        return _empty(_layout(go.Figure(), chart.title, height=260), empty_message)
    bars = list(chart.bars)
    figure = go.Figure(
        go.Bar(
            x=[bar.count for bar in bars],
            y=[label(bar.label, wrap) for bar in bars],
            orientation="h",
            marker={
                "color": [color if bar.count else "#FFFFFF" for bar in bars],
                "line": {"color": color, "width": 1.5},
            },
            text=[str(bar.count) if bar.count else esc(zero_text) for bar in bars],
            textposition="outside",
            cliponaxis=False,
            hovertext=[_hover_names(bar.names) if bar.names else esc(bar.label) for bar in bars],
            hoverinfo="text",
        )
    )
    figure.update_yaxes(autorange="reversed", automargin=True)
    top = max((bar.count for bar in bars), default=0)
    # Whole numbers only on the count axis, about six ticks whatever the size.
    figure.update_xaxes(
        title=esc(chart.axis_label),
        range=[0, max(top, 1) * 1.25],
        dtick=max(1, math.ceil(top / 6)),
        tickformat="d",
    )
    lines = sum(max(1, len(textwrap.wrap(bar.label, wrap))) for bar in bars)
    _layout(figure, chart.title, height=max(320, 90 + 24 * lines + 14 * len(bars)))
    if not bars:
        _empty(figure, t("charts.no_data"))
    return figure


def coverage_figure(chart: BarChartData) -> go.Figure:
    return bar_figure(chart, zero_text=t("charts.groups.none_yet"), wrap=40)


def voices_figure(chart: BarChartData) -> go.Figure:
    return bar_figure(chart, zero_text=t("charts.voices.nobody_short"), color=PALETTE[2])


def levels_figure(chart: BarChartData) -> go.Figure:
    return bar_figure(chart, zero_text="0", color=PALETTE[4], empty_message=t("charts.no_data"))


def sectors_figure(chart: BarChartData) -> go.Figure:
    return bar_figure(chart, zero_text="0", color=PALETTE[1], empty_message=t("charts.sectors.none"))


def jitter(name: str, spread: float = 0.28) -> tuple[float, float]:
    """A small, repeatable offset so stakeholders with the same scores do not hide each other."""
    digest = hashlib.sha256(name.encode("utf-8")).digest()
    return ((digest[0] / 255) - 0.5) * spread, ((digest[1] / 255) - 0.5) * spread


def grid_figure(grid: GridData, room: Sequence[Any] | None = None) -> go.Figure:
    """Influence (up) against interest (right), the four quadrants named; marker size shows how affected.

    `room`: where a workshop's participants placed stakeholders (gcm_guide.room.RoomPlacement), drawn
    as crosses at the median with bars spanning the lowest to the highest placement.
    """
    figure = go.Figure()
    if not grid.points and not room:
        return _empty(_layout(figure, grid.title, height=420), t("charts.grid.empty"))
    for name in QUADRANTS:
        color, symbol = QUADRANT_STYLE[name]
        legend = t(f"charts.quadrants.{name}")
        if grid.aggregated:
            cells = [c for c in grid.cells if c.quadrant == name]
            figure.add_trace(
                go.Scatter(
                    x=[c.interest for c in cells],
                    y=[c.influence for c in cells],
                    mode="markers+text",
                    name=legend,
                    text=[str(c.count) for c in cells],
                    textfont={"size": FONT_SIZE, "color": "#FFFFFF"},
                    marker={
                        "color": color,
                        "symbol": symbol,
                        "size": [min(70, 18 + 4 * c.count**0.5) for c in cells],
                        "line": {"color": "#FFFFFF", "width": 1},
                    },
                    hovertext=[f"{c.count} — " + _hover_names(c.names) for c in cells],
                    hoverinfo="text",
                )
            )
        else:
            points = [p for p in grid.points if p.quadrant == name]
            offsets = [jitter(p.name) for p in points]
            figure.add_trace(
                go.Scatter(
                    x=[p.interest + dx for p, (dx, _) in zip(points, offsets, strict=True)],
                    y=[p.influence + dy for p, (_, dy) in zip(points, offsets, strict=True)],
                    mode="markers",
                    name=legend,
                    marker={
                        "color": color,
                        "symbol": symbol,
                        "size": [12 + 5 * (p.affected or 1) for p in points],
                        "line": {"color": "#FFFFFF", "width": 1},
                        "opacity": 0.9,
                    },
                    hovertext=[
                        f"<b>{esc(p.name)}</b><br>{esc(p.group)}<br>"
                        + esc(
                            t(
                                "charts.grid.hover",
                                influence=p.influence,
                                interest=p.interest,
                                affected=p.affected if p.affected is not None else "–",
                            )
                        )
                        for p in points
                    ],
                    hoverinfo="text",
                )
            )
    if room:
        figure.add_trace(
            go.Scatter(
                x=[r.interest_median for r in room],
                y=[r.influence_median for r in room],
                mode="markers+text",
                name=esc(t("charts.grid.room")),
                text=[label(r.name, 18) for r in room],
                textposition="top center",
                marker={"symbol": "x-thin", "size": 18, "line": {"width": 3, "color": "#000000"}, "color": "#000000"},
                error_x={
                    "type": "data",
                    "symmetric": False,
                    "color": "#000000",
                    "thickness": 1.5,
                    "array": [r.interest_range[1] - r.interest_median for r in room],
                    "arrayminus": [r.interest_median - r.interest_range[0] for r in room],
                },
                error_y={
                    "type": "data",
                    "symmetric": False,
                    "color": "#000000",
                    "thickness": 1.5,
                    "array": [r.influence_range[1] - r.influence_median for r in room],
                    "arrayminus": [r.influence_median - r.influence_range[0] for r in room],
                },
                hovertext=[
                    esc(
                        t(
                            "charts.grid.room_hover",
                            name=r.name,
                            count=r.count,
                            influence=r.influence_median,
                            influence_low=r.influence_range[0],
                            influence_high=r.influence_range[1],
                            interest=r.interest_median,
                            interest_low=r.interest_range[0],
                            interest_high=r.interest_range[1],
                        )
                    )
                    for r in room
                ],
                hoverinfo="text",
            )
        )
    line = grid.high_from - 0.5
    figure.add_hline(y=line, line={"color": "#888888", "dash": "dash", "width": 2})
    figure.add_vline(x=line, line={"color": "#888888", "dash": "dash", "width": 2})
    corners = {
        "keep_satisfied": (0.02, 0.98, "left"),
        "manage_closely": (0.98, 0.98, "right"),
        "monitor": (0.02, 0.02, "left"),
        "keep_informed": (0.98, 0.02, "right"),
    }
    for name, (x, y, anchor) in corners.items():
        figure.add_annotation(
            text=f"<b>{esc(t(f'charts.quadrants.{name}'))}</b>",
            x=x,
            y=y,
            xref="paper",
            yref="paper",
            xanchor=anchor,
            yanchor="top" if y > 0.5 else "bottom",
            showarrow=False,
            font={"size": FONT_SIZE + 1, "color": QUADRANT_STYLE[name][0]},
        )
    figure.update_xaxes(title=t("charts.grid.interest"), range=[0.5, 5.5], dtick=1, zeroline=False)
    figure.update_yaxes(title=t("charts.grid.influence"), range=[0.5, 5.5], dtick=1, zeroline=False)
    _layout(figure, grid.title, height=560)
    figure.update_layout(legend={"orientation": "h", "y": -0.15})
    return figure


def matrix_figure(chart: MatrixData, *, empty_message: str) -> go.Figure:
    """A grid of counts with every number written in its cell (colour only repeats it)."""
    figure = go.Figure()
    if chart.rows and chart.columns:
        figure.add_trace(
            go.Heatmap(
                z=[list(row) for row in chart.values],
                x=[esc(c) for c in chart.columns],
                y=[label(r, 44) for r in chart.rows],
                colorscale=[[0, "#FFFFFF"], [1, "#0072B2"]],
                zmin=0,  # white means none, whatever the smallest count
                zmax=max([1, *(max(row) for row in chart.values if row)]),
                showscale=False,
                text=[[str(v) if v else "·" for v in row] for row in chart.values],
                texttemplate="%{text}",
                textfont={"size": FONT_SIZE},
                hovertemplate="%{y}<br>%{x}: %{z}<extra></extra>",
                xgap=2,
                ygap=2,
            )
        )
        figure.update_yaxes(autorange="reversed", automargin=True)
        # Column names are long: slanted under the grid they stay readable without overlapping.
        figure.update_xaxes(side="bottom", automargin=True, tickangle=-35)
    _layout(figure, chart.title, height=max(360, 260 + 44 * len(chart.rows)))
    if chart.empty:
        _empty(figure, empty_message)
    return figure


def engagement_figure(chart: MatrixData) -> go.Figure:
    return matrix_figure(chart, empty_message=t("charts.engagement.empty"))


def awareness_figure(chart: MatrixData) -> go.Figure:
    return matrix_figure(chart, empty_message=t("charts.awareness.empty"))


def timeline_figure(chart: MatrixData) -> go.Figure:
    """Dated awareness activities as bars on a calendar, labelled with their audience."""
    items = chart.extra["timeline"]
    figure = go.Figure()
    audiences = list(dict.fromkeys(item.audience for item in items))
    for index, audience in enumerate(audiences):
        mine = [item for item in items if item.audience == audience]
        figure.add_trace(
            go.Bar(
                base=[item.start.isoformat() for item in mine],
                x=[max(86_400_000, (item.end - item.start).days * 86_400_000 + 86_400_000) for item in mine],
                y=[label(item.title, 34) for item in mine],
                orientation="h",
                name=esc(audience),
                marker={"color": PALETTE[index % len(PALETTE)], "pattern": {"shape": ["", "/", "."][index % 3]}},
                text=[esc(f"{item.audience} · {item.status}") for item in mine],
                textposition="auto",
                hovertext=[
                    esc(f"{item.title} — {local_date(item.start)} → {local_date(item.end)} · {item.status}")
                    for item in mine
                ],
                hoverinfo="text",
            )
        )
    if items:
        # Room after the last bar for its label.
        first, last = min(item.start for item in items), max(item.end for item in items)
        span = max((last - first).days, 14)
        low, high = first - dt.timedelta(days=2), last + dt.timedelta(days=span * 0.45)
        ticks = date_ticks(low, high)
        figure.update_xaxes(
            range=[low.isoformat(), high.isoformat()],
            # Plotly writes month names in English; these are the reader's ("1 févr. 2027").
            tickvals=[day.isoformat() for day in ticks],
            ticktext=[local_date(day) for day in ticks],
        )
    figure.update_xaxes(type="date")
    figure.update_yaxes(autorange="reversed", automargin=True)
    _layout(figure, t("charts.timeline.title"), height=max(300, 120 + 48 * len(items)))
    figure.update_layout(legend={"orientation": "h", "y": -0.2}, barmode="overlay")
    if not items:
        _empty(figure, t("charts.timeline.empty"))
    return figure


def date_ticks(low: dt.date, high: dt.date, most: int = 6) -> list[dt.date]:
    """Calendar ticks between two dates: the 1st of every month, every other month and so on so that at most
    `most` fit; the 1st and 15th when the range is shorter than two months."""
    months = [
        dt.date(low.year + (low.month - 1 + n) // 12, (low.month - 1 + n) % 12 + 1, 1)
        for n in range((high.year - low.year) * 12 + high.month - low.month + 2)
    ]
    firsts = [day for day in months if low <= day <= high]
    if len(firsts) < 2:
        return [day for month in months for day in (month, month.replace(day=15)) if low <= day <= high]
    step = -(-len(firsts) // most)
    return firsts[::step]


def checklist_figure(chart: ChecklistData) -> go.Figure:
    """One bar per checklist item, its status written at the end of the bar."""
    rows = list(chart.rows)
    figure = go.Figure(
        go.Bar(
            x=[STATUS_STYLE[r.status][1] for r in rows],
            y=[label(f"{r.number}. {r.text}", 48) for r in rows],
            orientation="h",
            marker={"color": [STATUS_STYLE[r.status][0] for r in rows]},
            text=[esc(r.status_label) for r in rows],
            textposition="outside",
            cliponaxis=False,
            hoverinfo="skip",
        )
    )
    figure.update_xaxes(visible=False, range=[0, 1.35])
    figure.update_yaxes(autorange="reversed", automargin=True)
    lines = sum(len(textwrap.wrap(f"{r.number}. {r.text}", 48)) for r in rows)
    _layout(figure, chart.title, height=120 + 22 * lines + 24 * len(rows))
    return figure


def contributions_figure(contributions: Sequence[Contribution], title: str) -> go.Figure:
    """Each answer's weight in the set-up call: right of zero favours Option 1, left favours Option 2."""
    shown = [c for c in contributions if c.points]
    figure = go.Figure(
        go.Bar(
            x=[c.points for c in shown],
            y=[label(c.short, 22) for c in shown],
            orientation="h",
            marker={
                "color": [PALETTE[0] if c.points > 0 else PALETTE[5] for c in shown],
                "pattern": {"shape": ["" if c.points > 0 else "/" for c in shown]},
            },
            text=[f"{c.points:+.1f}" for c in shown],
            textposition="outside",
            cliponaxis=False,
            hovertext=[label(c.explanation, 50) for c in shown],
            hoverinfo="text",
        )
    )
    reach = max((abs(c.points) for c in shown), default=1) * 1.5
    figure.add_vline(x=0, line={"color": "#333333", "width": 2})
    for x, anchor, key in (
        (-reach, "left", "charts.contributions.option2"),
        (reach, "right", "charts.contributions.option1"),
    ):
        figure.add_annotation(
            text=esc(t(key)),
            x=x,
            y=1.0,
            yref="paper",
            yanchor="bottom",
            xanchor=anchor,
            showarrow=False,
            font={"size": FONT_SIZE - 2, "color": "#333333"},
        )
    figure.update_xaxes(range=[-reach, reach], zeroline=False, showticklabels=False)
    figure.update_yaxes(autorange="reversed", automargin=True)
    _layout(figure, title, height=max(240, 120 + 40 * len(shown)))
    figure.update_layout(margin={"l": 10, "r": 10, "t": 80, "b": 20})
    if not shown:
        _empty(figure, t("charts.no_data"))
    return figure


# --- The room, on the presenter ------------------------------------------------------------------------------------
ROOM_FONT_SIZE = 24  # read from the back of a room


def votes_figure(votes: Sequence[tuple[str, int]], title: str, *, height: int = 420, shown: int = 8) -> go.Figure:
    """The room's votes as bars that grow as people vote, the most voted on top, each count written out."""
    top = list(votes[:shown])
    figure = go.Figure()
    if not top:
        _layout(figure, title, height)
        return _empty(figure, t("workshop.room.no_votes"))
    names = [label(name, 28) for name, _ in reversed(top)]
    counts = [count for _, count in reversed(top)]
    # A bar as thick as a line of text, however few: one vote does not fill the screen with a block.
    height = min(height, 150 + 64 * len(top))
    figure.add_bar(
        x=counts,
        y=names,
        orientation="h",
        text=counts,
        textposition="outside",
        marker_color=PALETTE[0],
        cliponaxis=False,
        hoverinfo="skip",
    )
    _layout(figure, title, height)
    figure.update_layout(font={"size": ROOM_FONT_SIZE}, title={"font": {"size": ROOM_FONT_SIZE + 4}})
    figure.update_xaxes(visible=False, range=[0, max(counts) * 1.25])
    figure.update_yaxes(ticks="", showline=False)
    return figure


def heat_figure(cells: dict[tuple[int, int], int], title: str, *, height: int = 420) -> go.Figure:
    """Where the room placed stakeholders: a 5×5 grid of influence (up) against interest (across), each cell
    with how many placements fell in it. Numbers, not names, so nothing overlaps at any size."""
    figure = go.Figure()
    values = [[cells.get((influence, interest), 0) for interest in range(1, 6)] for influence in range(1, 6)]
    figure.add_heatmap(
        z=values,
        x=list(range(1, 6)),
        y=list(range(1, 6)),
        text=[[str(n) if n else "" for n in row] for row in values],
        texttemplate="%{text}",
        textfont={"size": ROOM_FONT_SIZE},
        colorscale=[[0, "#EEF2F7"], [1, PALETTE[0]]],  # empty cells faint, so the grid shows from the back
        zmin=0,
        zmax=max(1, *(n for row in values for n in row)),  # an empty grid stays faint, not mid-blue
        showscale=False,
        hoverinfo="skip",
        xgap=3,
        ygap=3,
    )
    _layout(figure, title, height)
    figure.update_layout(font={"size": ROOM_FONT_SIZE - 4}, title={"font": {"size": ROOM_FONT_SIZE + 4}})
    figure.update_xaxes(title_text=esc(t("fields.interest")), tickvals=list(range(1, 6)), showline=False)
    figure.update_yaxes(title_text=esc(t("fields.influence")), tickvals=list(range(1, 6)), showline=False)
    return figure


def moves_figure(moves: Sequence[Any], high_from: int, title: str) -> go.Figure:
    """Stakeholders that moved on the influence/interest grid (gcm_guide.snapshots.Move): a hollow marker where
    each was, a filled one numbered in the order of `moves` where it is, and an arrow between them; one only
    placed since has no arrow."""
    figure = go.Figure()
    if not moves:
        return _empty(_layout(figure, title, height=420), t("charts.grid.empty"))
    then = [m for m in moves if m.influence_before is not None]
    # Several stakeholders that end up in the same cell are set around its centre, so each number shows.
    together: dict[tuple[int, int], list[Any]] = {}
    for move in moves:
        together.setdefault((move.interest_after, move.influence_after), []).append(move)
    offsets: dict[Any, tuple[float, float]] = {}
    for group in together.values():
        for k, move in enumerate(group):
            angle = 2 * math.pi * k / len(group)
            offsets[move.id] = (0.0, 0.0) if len(group) == 1 else (0.22 * math.cos(angle), 0.22 * math.sin(angle))
    figure.add_trace(
        go.Scatter(
            x=[m.interest_before + offsets[m.id][0] for m in then],
            y=[m.influence_before + offsets[m.id][1] for m in then],
            mode="markers",
            name=esc(t("snapshots.grid_then")),
            marker={"size": 14, "symbol": "circle-open", "color": "#6E6E6E", "line": {"width": 2}},
            hovertext=[esc(m.name) for m in then],
            hoverinfo="text",
        )
    )
    figure.add_trace(
        go.Scatter(
            x=[m.interest_after + offsets[m.id][0] for m in moves],
            y=[m.influence_after + offsets[m.id][1] for m in moves],
            mode="markers+text",
            name=esc(t("snapshots.grid_now")),
            # Numbers, not names: names collide where several stakeholders end up together; the numbered list
            # under the chart names each one.
            text=[str(number) for number in range(1, len(moves) + 1)],
            textposition="middle center",
            textfont={"color": "#FFFFFF", "size": 12},
            marker={"size": 22, "symbol": "circle", "color": PALETTE[5], "line": {"color": "#FFFFFF", "width": 1}},
            hovertext=[esc(m.name) for m in moves],
            hoverinfo="text",
        )
    )
    for move in then:
        dx, dy = offsets[move.id]
        figure.add_annotation(
            x=move.interest_after + dx,
            y=move.influence_after + dy,
            ax=move.interest_before + dx,
            ay=move.influence_before + dy,
            xref="x",
            yref="y",
            axref="x",
            ayref="y",
            showarrow=True,
            arrowhead=3,
            arrowsize=1.4,
            arrowwidth=2,
            arrowcolor="#14202b",
            standoff=9,
            startstandoff=8,
        )
    line = high_from - 0.5
    figure.add_hline(y=line, line={"color": "#888888", "dash": "dash", "width": 2})
    figure.add_vline(x=line, line={"color": "#888888", "dash": "dash", "width": 2})
    figure.update_xaxes(title=t("charts.grid.interest"), range=[0.5, 5.5], dtick=1, zeroline=False)
    figure.update_yaxes(title=t("charts.grid.influence"), range=[0.5, 5.5], dtick=1, zeroline=False)
    _layout(figure, title, height=520)
    figure.update_layout(legend={"orientation": "h", "y": -0.15})
    return figure


TIMELINE_SERIES = (
    ("groups", "groups_covered", PALETTE[0], "circle"),
    ("voices", "voices_carried", PALETTE[2], "square"),
    ("plans", "with_plan", PALETTE[1], "diamond"),
)


def coverage_timeline_figure(points: Sequence[Any], title: str) -> go.Figure:
    """Groups covered, voices carried and stakeholders with a plan at each snapshot and now
    (gcm_guide.snapshots.TimelinePoint), one line each, every value written on its point."""
    figure = go.Figure()
    if not points:
        return _empty(_layout(figure, title, height=380), t("charts.no_data"))
    # One slot per point, in order: two snapshots taken the same day stay apart.
    x = list(range(len(points)))
    ticks = [label(p.label, 16) for p in points]
    for key, count_key, color, symbol in TIMELINE_SERIES:
        figure.add_trace(
            go.Scatter(
                x=x,
                y=[p.counts.get(count_key, 0) for p in points],
                mode="lines+markers+text",
                name=esc(t(f"snapshots.timeline_series.{key}")),
                text=[str(p.counts.get(count_key, 0)) for p in points],
                textposition="top center",
                marker={"color": color, "symbol": symbol, "size": 11},
                line={"color": color, "width": 3},
                hoverinfo="text",
                hovertext=[esc(p.label) for p in points],
            )
        )
    top = max((p.counts.get(k, 0) for p in points for _, k, _, _ in TIMELINE_SERIES), default=0)
    figure.update_xaxes(tickmode="array", tickvals=x, ticktext=ticks, range=[-0.5, len(points) - 0.5])
    figure.update_yaxes(
        title=esc(t("snapshots.timeline_axis")),
        range=[0, max(top, 1) * 1.2],
        dtick=max(1, math.ceil(top / 6)),  # whole numbers only
        tickformat="d",
    )
    _layout(figure, title, height=420)
    figure.update_layout(legend={"orientation": "h", "y": -0.25})
    return figure
