"""The data behind every chart, with a one-paragraph text summary of it.

The screen (plotly, gcm_guide/charts.py) and the PDF report draw from these same functions, and the
summaries are what screen readers and the report's text say about each chart.
"""

from __future__ import annotations

import functools
from collections import Counter
from dataclasses import dataclass, field
from typing import Any

from gcm_guide import progress
from gcm_guide.checklist import ItemStatus
from gcm_guide.content import DATA_DIR, Content, read_yaml
from gcm_guide.i18n import t, tn
from gcm_guide.workspace_data import WorkspaceData

QUADRANTS = ("manage_closely", "keep_satisfied", "keep_informed", "monitor")
NOT_GOVERNMENT = "not_government"
LEVEL_NOT_SET = "level_not_set"


@functools.cache
def settings() -> dict[str, Any]:
    charts: dict[str, Any] = read_yaml(DATA_DIR / "charts.yaml")
    return charts


def _names(names: list[str], limit: int | None = None) -> str:
    # "; " between names: names themselves often contain commas ("Passport, Immigration and ...").
    limit = limit or settings()["names_in_summary"]
    shown = "; ".join(names[:limit])
    return shown + (t("charts.and_more", count=len(names) - limit) if len(names) > limit else "")


# --- Stakeholder groups -------------------------------------------------------------------------------------
@dataclass(frozen=True)
class Bar:
    key: str
    label: str
    count: int
    names: tuple[str, ...] = ()


@dataclass(frozen=True)
class BarChartData:
    title: str
    bars: tuple[Bar, ...]
    summary: str
    axis_label: str = ""

    @property
    def empty(self) -> bool:
        return not any(bar.count for bar in self.bars)


def group_coverage(data: WorkspaceData, content: Content) -> BarChartData:
    """Stakeholders per group, all 16 groups in guidance order, zeros included."""
    by_group: dict[str, list[str]] = {g.id: [] for g in content.action1.stakeholder_groups}
    for person in data.stakeholders:
        by_group.setdefault(person.group_id, []).append(person.name)
    bars = tuple(
        Bar(g.id, g.name, len(by_group[g.id]), tuple(by_group[g.id])) for g in content.action1.stakeholder_groups
    )
    missing = [bar.label for bar in bars if not bar.count]
    covered = len(bars) - len(missing)
    summary = t(
        "charts.groups.summary",
        people=tn("charts.stakeholders", len(data.stakeholders)),
        covered=covered,
        total=len(bars),
    )
    if missing:
        summary += " " + t("charts.groups.missing", names=", ".join(missing))
    return BarChartData(t("charts.groups.title"), bars, summary, t("charts.count_axis"))


# --- Influence / interest -----------------------------------------------------------------------------------
@dataclass(frozen=True)
class GridPoint:
    name: str
    group: str
    influence: int
    interest: int
    affected: int | None
    quadrant: str


@dataclass(frozen=True)
class GridCell:
    influence: int
    interest: int
    count: int
    names: tuple[str, ...]
    mean_affected: float | None
    quadrant: str


@dataclass(frozen=True)
class GridData:
    title: str
    points: tuple[GridPoint, ...]
    cells: tuple[GridCell, ...]
    unscored: tuple[str, ...]
    quadrant_members: dict[str, tuple[str, ...]]
    high_from: int
    aggregated: bool  # too many points to draw one by one: draw `cells`
    summary: str


def quadrant(influence: int, interest: int, high_from: int) -> str:
    """The four quadrants of an influence/interest grid."""
    high_influence, high_interest = influence >= high_from, interest >= high_from
    if high_influence and high_interest:
        return "manage_closely"
    if high_influence:
        return "keep_satisfied"
    if high_interest:
        return "keep_informed"
    return "monitor"


def influence_interest(data: WorkspaceData, content: Content) -> GridData:
    """Who sits where on the influence/interest grid; how affected each is sets the marker size."""
    config = settings()["influence_interest"]
    high_from = config["high_from"]
    points, unscored = [], []
    for person in data.stakeholders:
        if person.influence is None or person.interest is None:
            unscored.append(person.name)
            continue
        points.append(
            GridPoint(
                person.name,
                content.group_names.get(person.group_id, person.group_id),
                person.influence,
                person.interest,
                person.affected,
                quadrant(person.influence, person.interest, high_from),
            )
        )
    members = {q: tuple(p.name for p in points if p.quadrant == q) for q in QUADRANTS}
    by_cell: dict[tuple[int, int], list[GridPoint]] = {}
    for point in points:
        by_cell.setdefault((point.influence, point.interest), []).append(point)
    cells = []
    for (influence_score, interest_score), members_here in sorted(by_cell.items()):
        affected = [p.affected for p in members_here if p.affected is not None]
        cells.append(
            GridCell(
                influence_score,
                interest_score,
                len(members_here),
                tuple(p.name for p in members_here),
                sum(affected) / len(affected) if affected else None,
                quadrant(influence_score, interest_score, high_from),
            )
        )
    parts = [
        t(
            "charts.grid.quadrant_line",
            quadrant=t(f"charts.quadrants.{q}"),
            count=len(members[q]),
            names=_names(list(members[q])) if members[q] else t("common.none"),
        )
        for q in QUADRANTS
    ]
    summary = " ".join(parts)
    if unscored:
        summary += " " + tn("charts.grid.unscored", len(unscored))
    return GridData(
        title=t("charts.grid.title"),
        points=tuple(points),
        cells=tuple(cells),
        unscored=tuple(unscored),
        quadrant_members=members,
        high_from=high_from,
        aggregated=len(points) > config["individual_points_up_to"],
        summary=summary,
    )


# --- Under-represented voices ------------------------------------------------------------------------------
def voices(data: WorkspaceData, content: Content) -> BarChartData:
    """How many stakeholders speak for each under-represented voice, and who."""
    coverage = progress.voice_coverage(data, content)
    bars = tuple(Bar(v.id, v.name, len(v.carried_by), v.carried_by) for v in coverage)
    spoken = [f"{bar.label} ({_names(list(bar.names), 3)})" for bar in bars if bar.count]
    nobody = [bar.label for bar in bars if not bar.count]
    summary = t("charts.voices.spoken", voices="; ".join(spoken)) if spoken else t("charts.voices.none_spoken")
    if nobody:
        summary += " " + t("charts.voices.nobody", voices=", ".join(nobody))
    return BarChartData(t("charts.voices.title"), bars, summary, t("charts.count_axis"))


# --- Government levels and sectors -------------------------------------------------------------------------
def government_levels(data: WorkspaceData, content: Content) -> BarChartData:
    """Stakeholders per level of government; government bodies with no level set are counted apart from
    everyone outside government."""
    from gcm_guide.models import GOVERNMENT_LEVELS, Stakeholder

    government_groups = set(settings()["government_groups"])

    def level_of(person: Stakeholder) -> str:
        if person.government_level:
            return person.government_level
        return LEVEL_NOT_SET if person.group_id in government_groups else NOT_GOVERNMENT

    counts = Counter(level_of(person) for person in data.stakeholders)
    keys = [*GOVERNMENT_LEVELS, LEVEL_NOT_SET, NOT_GOVERNMENT]
    labels = {LEVEL_NOT_SET: t("charts.levels.not_set"), NOT_GOVERNMENT: t("charts.levels.outside")}
    bars = tuple(Bar(k, labels.get(k) or t(f"levels.{k}"), counts.get(k, 0)) for k in keys)
    government = sum(b.count for b in bars if b.key != NOT_GOVERNMENT)
    levels_present = [bar.label for bar in bars if bar.count and bar.key in GOVERNMENT_LEVELS]
    summary = t(
        "charts.levels.summary",
        government=tn("charts.government_stakeholders", government),
        outside=bars[-1].count,
        levels=", ".join(levels_present) or t("common.none"),
    )
    return BarChartData(t("charts.levels.title"), bars, summary, t("charts.count_axis"))


def sectors(data: WorkspaceData, content: Content) -> BarChartData:
    """Stakeholders per sector (the most frequent by name, the rest together)."""
    show_top = settings()["sectors"]["show_top"]
    counts = Counter(person.sector.strip() for person in data.stakeholders if person.sector.strip())
    top = counts.most_common(show_top)
    bars = [Bar(name, name, count) for name, count in top]
    rest = sum(counts.values()) - sum(count for _, count in top)
    if rest:
        bars.append(Bar("other", t("charts.sectors.other"), rest))
    unset = sum(1 for person in data.stakeholders if not person.sector.strip())
    summary = (
        t(
            "charts.sectors.summary",
            sectors=tn("charts.sectors_named", len(counts)),
            names=_names([name for name, _ in top]),
        )
        if counts
        else t("charts.sectors.none")
    )
    if unset:
        summary += " " + tn("charts.sectors.unset", unset)
    return BarChartData(t("charts.sectors.title"), tuple(bars), summary, t("charts.count_axis"))


# --- Engagement ---------------------------------------------------------------------------------------------
@dataclass(frozen=True)
class MatrixData:
    title: str
    rows: tuple[str, ...]  # labels
    columns: tuple[str, ...]  # labels
    values: tuple[tuple[int, ...], ...]  # values[row][column]
    summary: str
    extra: dict[str, Any] = field(default_factory=dict)

    @property
    def empty(self) -> bool:
        return not any(any(row) for row in self.values)


def engagement(data: WorkspaceData, content: Content) -> MatrixData:
    """Which mechanisms are planned for which stakeholder groups, and who has no plan yet."""
    groups = [g for g in content.action1.stakeholder_groups if any(s.group_id == g.id for s in data.stakeholders)]
    mechanisms = list(content.action2.determine.mechanisms)
    counts: dict[tuple[str, str], int] = Counter()
    for person in data.stakeholders:
        plan = data.plan_for(person)
        for mechanism in plan.mechanisms if plan else []:
            counts[(person.group_id, mechanism)] += 1
    values = tuple(tuple(counts.get((g.id, m.id), 0) for m in mechanisms) for g in groups)
    mediums = Counter(m for plan in data.plans.values() for m in plan.mediums)
    without = progress.stakeholders_without_plan(data)
    planless = Counter(person.group_id for person in without)
    no_plan_by_group = {g.id: planless[g.id] for g in content.action1.stakeholder_groups if planless[g.id]}
    totals = Counter(m for plan in data.plans.values() for m in plan.mechanisms)
    most = [content.mechanism_names[m] for m, _ in totals.most_common(3)]
    summary = tn(
        "charts.engagement.summary",
        len(data.stakeholders),
        planned=len(data.stakeholders) - len(without),
        mechanisms=", ".join(most) or t("common.none"),
    )
    if without:
        summary += " " + t("charts.engagement.without", names=_names([p.name for p in without]))
    return MatrixData(
        title=t("charts.engagement.title"),
        rows=tuple(g.name for g in groups),
        columns=tuple(m.name for m in mechanisms),
        values=values,
        summary=summary,
        extra={
            "mediums": {content.medium_names[m]: mediums.get(m, 0) for m in content.medium_names},
            "no_plan_by_group": {content.group_names[g]: n for g, n in no_plan_by_group.items()},
        },
    )


# --- Awareness ----------------------------------------------------------------------------------------------
@dataclass(frozen=True)
class TimelineItem:
    title: str
    audience: str
    activity_type: str
    start: Any  # date
    end: Any  # date
    status: str


def awareness(data: WorkspaceData, content: Content) -> MatrixData:
    """Activities by audience and type (cancelled ones left out), and the dated ones on a timeline."""
    active = [a for a in data.activities if a.status != "cancelled"]
    audiences = list(content.action4.audiences)
    types = list(content.action4.activity_types)
    counts = Counter((a.audience, a.activity_type) for a in active)
    values = tuple(tuple(counts.get((aud.id, kind.id), 0) for kind in types) for aud in audiences)
    timeline = tuple(
        TimelineItem(
            a.title,
            content.audience_names.get(a.audience, a.audience),
            content.activity_type_names.get(a.activity_type, a.activity_type),
            a.starts_on,
            a.ends_on or a.starts_on,
            t(f"activity_status.{a.status}"),
        )
        for a in sorted(active, key=lambda a: (a.starts_on is None, a.starts_on or 0))
        if a.starts_on
    )
    reached = [aud.name for aud, row in zip(audiences, values, strict=True) if any(row)]
    missing = [aud.name for aud, row in zip(audiences, values, strict=True) if not any(row)]
    summary = t(
        "charts.awareness.summary",
        activities=tn("charts.activities", len(active)),
        reached=", ".join(reached) or t("common.none"),
    )
    if missing:
        summary += " " + t("charts.awareness.missing", audiences=", ".join(missing))
    if active:
        summary += " " + tn("charts.awareness.dated", len(active), dated=len(timeline))
    return MatrixData(
        title=t("charts.awareness.title"),
        rows=tuple(aud.name for aud in audiences),
        columns=tuple(kind.short_name for kind in types),
        values=values,
        summary=summary,
        extra={"timeline": timeline},
    )


# --- Checklist ----------------------------------------------------------------------------------------------
@dataclass(frozen=True)
class ChecklistRow:
    number: int
    text: str
    status: str  # not_started | in_progress | done
    status_label: str


@dataclass(frozen=True)
class ChecklistData:
    title: str
    rows: tuple[ChecklistRow, ...]
    summary: str


def checklist_progress(statuses: list[ItemStatus], content: Content) -> ChecklistData:
    """Each checklist item and its status, in order."""
    rows = tuple(
        ChecklistRow(number, item.text, status.status, t(f"checklist_status.{status.status}"))
        for number, (item, status) in enumerate(zip(content.checklist.items, statuses, strict=True), start=1)
    )
    done = sum(1 for row in rows if row.status == "done")
    started = sum(1 for row in rows if row.status == "in_progress")
    summary = t("charts.checklist.summary", done=done, started=started, total=len(rows))
    return ChecklistData(t("charts.checklist.title"), rows, summary)
