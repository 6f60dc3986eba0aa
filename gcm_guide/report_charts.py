"""The report's charts: the same chart data as the screen (gcm_guide.chart_data), drawn with matplotlib as
200 dpi images. Same palette, every value written out, no meaning in colour alone.
"""

from __future__ import annotations

import io
import textwrap

import matplotlib

matplotlib.use("Agg")  # no display; and Figure objects (not pyplot) keep this safe in worker threads
from matplotlib.figure import Figure
from matplotlib.ticker import MaxNLocator

from gcm_guide.chart_data import QUADRANTS, BarChartData, ChecklistData, GridData, MatrixData
from gcm_guide.charts import PALETTE, QUADRANT_STYLE, STATUS_STYLE, date_ticks, jitter
from gcm_guide.i18n import local_date, t

DPI = 200
# The report's text width (A4 less 18 mm margins): charts drawn this wide print at exactly DPI, full width.
WIDTH_IN = 174 / 25.4
_MARKERS = {"diamond": "D", "square": "s", "circle": "o", "triangle-up": "^"}

matplotlib.rcParams.update(
    {
        "font.family": "DejaVu Sans",
        "font.size": 9,
        "axes.titlesize": 11,
        "axes.spines.top": False,
        "axes.spines.right": False,
    }
)


def _wrap(text: str, width: int) -> str:
    return "\n".join(textwrap.wrap(text, width) or [""])


def _png(figure: Figure) -> bytes:
    buffer = io.BytesIO()
    # Constrained layout already fits everything inside the figure: bbox_inches="tight" would draw it twice.
    # Fast PNG compression: the PDF deflates the image again anyway.
    figure.savefig(buffer, format="png", dpi=DPI, facecolor="white", pil_kwargs={"compress_level": 1})
    return buffer.getvalue()


def _empty(title: str, message: str) -> bytes:
    figure = Figure(layout="constrained", figsize=(WIDTH_IN, 1.4))
    axes = figure.add_subplot()
    axes.set_axis_off()
    axes.set_title(title, loc="left")
    axes.text(0.5, 0.4, message, ha="center", va="center", color="#555555", transform=axes.transAxes)
    return _png(figure)


def bars_png(chart: BarChartData, *, zero_text: str, color: str = PALETTE[0], wrap: int = 38) -> bytes:
    """Horizontal bars, first on top, counts at the end of each bar, zeros written out."""
    if not chart.bars:
        return _empty(chart.title, t("charts.no_data"))
    bars = list(chart.bars)
    labels = [_wrap(bar.label, wrap) for bar in bars]
    lines = sum(label.count("\n") + 1 for label in labels)
    figure = Figure(layout="constrained", figsize=(WIDTH_IN, max(1.8, 0.5 + 0.2 * lines + 0.08 * len(bars))))
    axes = figure.add_subplot()
    positions = range(len(bars))
    counts = [bar.count for bar in bars]
    axes.barh(positions, counts, color=[color if c else "white" for c in counts], edgecolor=color, linewidth=1)
    top = max(max(counts), 1)
    for position, count in zip(positions, counts, strict=True):
        axes.text(count + top * 0.01, position, str(count) if count else zero_text, va="center")
    axes.set_yticks(list(positions), labels)
    axes.invert_yaxis()
    axes.set_xlim(0, top * 1.2)
    locator = axes.xaxis.get_major_locator()
    assert isinstance(locator, MaxNLocator)  # a new axis ticks with an AutoLocator, a MaxNLocator
    locator.set_params(integer=True)
    axes.set_xlabel(chart.axis_label)
    axes.set_title(chart.title, loc="left")
    return _png(figure)


def grid_png(grid: GridData) -> bytes:
    """The influence/interest grid with its four named quadrants; marker size shows how affected."""
    if not grid.points:
        return _empty(grid.title, t("charts.grid.empty"))
    figure = Figure(layout="constrained", figsize=(WIDTH_IN, 5.2))
    axes = figure.add_subplot()
    for name in QUADRANTS:
        color, symbol = QUADRANT_STYLE[name]
        if grid.aggregated:
            cells = [c for c in grid.cells if c.quadrant == name]
            if not cells:
                continue
            axes.scatter(
                [c.interest for c in cells],
                [c.influence for c in cells],
                s=[min(1800, 120 + 40 * c.count) for c in cells],
                marker=_MARKERS[symbol],
                color=color,
                edgecolors="white",
                label=t(f"charts.quadrants.{name}"),
            )
            for cell in cells:
                axes.text(
                    cell.interest,
                    cell.influence,
                    str(cell.count),
                    ha="center",
                    va="center",
                    color="white",
                    fontsize=8,
                    fontweight="bold",
                )
        else:
            points = [p for p in grid.points if p.quadrant == name]
            if not points:
                continue
            offsets = [jitter(p.name) for p in points]  # the same offsets as on screen
            axes.scatter(
                [p.interest + dx for p, (dx, _) in zip(points, offsets, strict=True)],
                [p.influence + dy for p, (_, dy) in zip(points, offsets, strict=True)],
                s=[30 + 25 * (p.affected or 1) for p in points],
                marker=_MARKERS[symbol],
                color=color,
                edgecolors="white",
                alpha=0.9,
                label=t(f"charts.quadrants.{name}"),
            )
    line = grid.high_from - 0.5
    axes.axhline(line, color="#888888", linestyle="--", linewidth=1)
    axes.axvline(line, color="#888888", linestyle="--", linewidth=1)
    for name, (x, y, ha, va) in {
        "keep_satisfied": (0.6, 5.4, "left", "top"),
        "manage_closely": (5.4, 5.4, "right", "top"),
        "monitor": (0.6, 0.6, "left", "bottom"),
        "keep_informed": (5.4, 0.6, "right", "bottom"),
    }.items():
        axes.text(x, y, t(f"charts.quadrants.{name}"), ha=ha, va=va, fontweight="bold", color=QUADRANT_STYLE[name][0])
    axes.set_xlim(0.5, 5.5)
    axes.set_ylim(0.5, 5.5)
    axes.set_xticks(range(1, 6))
    axes.set_yticks(range(1, 6))
    axes.set_xlabel(t("charts.grid.interest"))
    axes.set_ylabel(t("charts.grid.influence"))
    axes.set_title(grid.title, loc="left")
    axes.legend(loc="upper center", bbox_to_anchor=(0.5, -0.12), ncol=4, frameon=False, markerscale=0.6)
    return _png(figure)


def matrix_png(chart: MatrixData, *, empty_message: str) -> bytes:
    """A grid of counts with every number written in its cell."""
    if chart.empty or not chart.rows:
        return _empty(chart.title, empty_message)
    figure = Figure(layout="constrained", figsize=(WIDTH_IN, 1.6 + 0.36 * len(chart.rows)))
    axes = figure.add_subplot()
    values = [list(row) for row in chart.values]
    top = max(max(row) for row in values) or 1
    axes.imshow(values, cmap="Blues", vmin=0, vmax=top * 1.4, aspect="auto")
    for r, row in enumerate(values):
        for c, value in enumerate(row):
            axes.text(
                c,
                r,
                str(value) if value else "·",
                ha="center",
                va="center",
                color="white" if value > top * 0.7 else "#14202b",
                fontsize=8,
            )
    axes.set_xticks(
        range(len(chart.columns)), [_wrap(c, 18) for c in chart.columns], rotation=35, ha="right", fontsize=7
    )
    axes.set_yticks(range(len(chart.rows)), [_wrap(r, 40) for r in chart.rows], fontsize=7)
    axes.set_title(chart.title, loc="left")
    return _png(figure)


def timeline_png(chart: MatrixData) -> bytes | None:
    """Dated awareness activities on a calendar (None when no activity has a date)."""
    items = chart.extra["timeline"]
    if not items:
        return None
    import matplotlib.dates as mdates

    figure = Figure(layout="constrained", figsize=(WIDTH_IN, 1.2 + 0.35 * len(items)))
    axes = figure.add_subplot()
    audiences = list(dict.fromkeys(item.audience for item in items))
    hatches = ["", "//", ".."]
    for row, item in enumerate(items):
        index = audiences.index(item.audience)
        start = mdates.date2num(item.start)
        length = max(1.0, mdates.date2num(item.end) - start + 1)
        axes.barh(
            row, length, left=start, color=PALETTE[index % len(PALETTE)], hatch=hatches[index % 3], edgecolor="white"
        )
        axes.text(start + length + 1, row, f"{item.audience} · {item.status}", va="center", fontsize=7)
    axes.set_yticks(range(len(items)), [_wrap(item.title, 34) for item in items], fontsize=7)
    axes.invert_yaxis()
    axes.xaxis_date()
    low, high = axes.get_xlim()
    high += (high - low) * 0.45  # room after the last bar for its label
    axes.set_xlim(low, high)
    # The screen's calendar ticks, dated as the reader writes dates ("1 févr. 2027").
    ticks = date_ticks(mdates.num2date(low).date(), mdates.num2date(high).date())
    axes.set_xticks([mdates.date2num(day) for day in ticks], [local_date(day) for day in ticks])
    axes.tick_params(axis="x", labelsize=7)
    axes.set_title(t("charts.timeline.title"), loc="left")
    return _png(figure)


def checklist_png(chart: ChecklistData) -> bytes:
    figure = Figure(layout="constrained", figsize=(WIDTH_IN, 0.6 + 0.32 * len(chart.rows)))
    axes = figure.add_subplot()
    for position, row in enumerate(chart.rows):
        color, length = STATUS_STYLE[row.status]
        axes.barh(position, length, color=color)
        axes.text(length + 0.02, position, row.status_label, va="center")
    # Item numbers only: the report lists each item's full text right below the chart.
    axes.set_yticks(range(len(chart.rows)), [t("report.checklist_item", number=r.number) for r in chart.rows])
    axes.invert_yaxis()
    axes.set_xlim(0, 1.4)
    axes.set_xticks([])
    axes.spines["bottom"].set_visible(False)
    axes.set_title(chart.title, loc="left")
    return _png(figure)
