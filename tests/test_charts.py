"""What every chart shows: the data behind it (gcm_guide.chart_data), the plotly figure drawn from it
(gcm_guide.charts) and the summary read out in words, from workspaces saved through the store on real
databases. Groupings and limits come from data/charts.yaml."""

import datetime as dt
import re
from typing import Any

import pytest
import yaml

from gcm_guide import chart_data, charts, checklist, db, demo, i18n, store
from gcm_guide.content import load_content
from gcm_guide.errors import InputError
from gcm_guide.i18n import t

from .conftest import ROOT, add_stakeholder, load, make_workspace

CONTENT = load_content()
SETTINGS = yaml.safe_load((ROOT / "data" / "charts.yaml").read_text(encoding="utf-8"))
HIGH = SETTINGS["influence_interest"]["high_from"]
POINTS_UP_TO = SETTINGS["influence_interest"]["individual_points_up_to"]
SHOW_TOP = SETTINGS["sectors"]["show_top"]
GROUPS = [group.id for group in CONTENT.action1.stakeholder_groups]
GROUP_NAMES = [group.name for group in CONTENT.action1.stakeholder_groups]
VOICES = [voice.id for voice in CONTENT.action1.underrepresented_voices]
QUADRANT_NAMES = {q: t(f"charts.quadrants.{q}") for q in chart_data.QUADRANTS}
# Markup plotly would act on. (The brief's "<b>x</b><script>" is now refused by the store as active markup.)
EVIL = "<b>x</b> & <i>y</i>"
EVIL_ESCAPED = "&lt;b&gt;x&lt;/b&gt; &amp; &lt;i&gt;y&lt;/i&gt;"
LINK = "<a href='https://example.org'>Open day</a>"


# --- Helpers -------------------------------------------------------------------------------------------------
def add_many(engine, workspace_id, people):
    """Add many stakeholders (dicts of fields) in one transaction."""

    def work(*, session):
        for person in people:
            store.add_stakeholder(session=session, workspace_id=workspace_id, data=person)

    db.run_write(engine, work)


def plan(engine, workspace_id, person, **changes):
    db.run_write(
        engine, store.save_engagement_plan, workspace_id=workspace_id, stakeholder_id=person.id, changes=changes
    )


def add_activity(engine, workspace_id, title, audience, activity_type="briefings", **fields):
    data = {"title": title, "audience": audience, "activity_type": activity_type, **fields}
    return db.run_write(engine, store.add_activity, workspace_id=workspace_id, data=data)


def annotations(figure):
    """The annotations' text as drawn."""
    return [as_drawn(a.text) for a in figure.layout.annotations]


def unwrapped(text):
    """Text without its line breaks or spaces, to compare wrapped labels with the text they wrap."""
    return "".join(text.split())


def markers(figure):
    return sum(len(trace.x or ()) for trace in figure.data)


def strings(value: Any):
    """Every string anywhere in a figure's JSON form."""
    if isinstance(value, str):
        yield value
    elif isinstance(value, dict):
        for item in value.values():
            yield from strings(item)
    elif isinstance(value, list | tuple):
        for item in value:
            yield from strings(item)


# plotly.js decodes only these named entities (src/lib/svg_text_utils.js, entityToUnicode) and numeric ones;
# any other entity is drawn as typed, e.g. "&quot;".
PLOTLY_ENTITIES = {"mu": "μ", "amp": "&", "lt": "<", "gt": ">", "nbsp": "\xa0", "times": "×", "plusmn": "±", "deg": "°"}


def as_drawn(text: str) -> str:
    """Plotly label text as plotly.js draws it: line breaks and bold tags applied, then entities decoded."""
    text = re.sub(r"</?b>", "", text.replace("<br>", "\n"))

    def decode(match):
        entity = match.group(1)
        if entity.startswith("#x"):
            return chr(int(entity[2:], 16))
        if entity.startswith("#"):
            return chr(int(entity[1:]))
        return PLOTLY_ENTITIES.get(entity, match.group(0))

    return re.sub(r"&(#\d+|#x[\da-fA-F]+|[a-z]+);", decode, text)


def all_charts(data):
    """Every chart on the screen for a workspace: (data, figure) by name."""
    awareness = chart_data.awareness(data, CONTENT)
    built = {
        "coverage": (chart_data.group_coverage(data, CONTENT), charts.coverage_figure),
        "grid": (chart_data.influence_interest(data, CONTENT), charts.grid_figure),
        "voices": (chart_data.voices(data, CONTENT), charts.voices_figure),
        "levels": (chart_data.government_levels(data, CONTENT), charts.levels_figure),
        "sectors": (chart_data.sectors(data, CONTENT), charts.sectors_figure),
        "engagement": (chart_data.engagement(data, CONTENT), charts.engagement_figure),
        "awareness": (awareness, charts.awareness_figure),
        "timeline": (awareness, charts.timeline_figure),
        "checklist": (
            chart_data.checklist_progress(checklist.checklist_status(data, CONTENT), CONTENT),
            charts.checklist_figure,
        ),
    }
    return {name: (chart, draw(chart)) for name, (chart, draw) in built.items()}


def label_lines_fit(figure):
    """The tallest wrapped y label, at one font height a line (plotly needs 1.3), fits in its row's band."""
    margin = figure.layout.margin
    rows = len(figure.data[0].y)
    band = (figure.layout.height - margin.t - margin.b) / rows
    tallest = max(label.count("<br>") + 1 for label in figure.data[0].y)
    return tallest * charts.FONT_SIZE, band


def assert_summary(summary, *expected):
    assert summary and (summary[0].isupper() or summary[0].isdigit()), summary
    assert summary.endswith(".") and "{" not in summary and "}" not in summary, summary
    for part in expected:
        assert part in summary, (part, summary)


# --- Stakeholder groups -------------------------------------------------------------------------------------
def test_group_coverage_has_sixteen_bars_in_guidance_order_with_zeros_and_names(engine):
    workspace = make_workspace(engine)
    add_stakeholder(engine, workspace.id, "Ministry of Labour", "policy_sectors")
    add_stakeholder(engine, workspace.id, "Press council", "media")
    add_stakeholder(engine, workspace.id, "Ministry of Health", "policy_sectors")
    coverage = chart_data.group_coverage(load(engine, workspace.id), CONTENT)

    names = {"policy_sectors": ("Ministry of Labour", "Ministry of Health"), "media": ("Press council",)}
    assert [(bar.key, bar.label) for bar in coverage.bars] == list(zip(GROUPS, GROUP_NAMES, strict=True))
    assert [(bar.count, bar.names) for bar in coverage.bars] == [
        (len(names.get(group, ())), names.get(group, ())) for group in GROUPS
    ]
    assert not coverage.empty
    uncovered = [name for group, name in zip(GROUPS, GROUP_NAMES, strict=True) if group not in names]
    assert coverage.summary == (
        f"3 stakeholders in 2 of 16 stakeholder groups. Not yet covered: {', '.join(uncovered)}."
    )

    figure = charts.coverage_figure(coverage)
    bars = figure.data[0]
    assert list(bars.x) == [len(names.get(group, ())) for group in GROUPS]
    assert [as_drawn(label).replace("\n", " ") for label in bars.y] == GROUP_NAMES
    none_yet = t("charts.groups.none_yet")
    assert list(bars.text) == [str(len(names[g])) if g in names else none_yet for g in GROUPS]
    assert bars.text.count(none_yet) == 14  # a zero is labelled, not left as a blank gap
    policy = GROUPS.index("policy_sectors")
    assert bars.hovertext[policy] == "Ministry of Labour<br>Ministry of Health"
    assert figure.layout.xaxis.range[1] > 2  # the longest bar and its label fit


def test_every_group_covered_has_no_missing_sentence(sqlite_engine):
    workspace = make_workspace(sqlite_engine)
    add_many(sqlite_engine, workspace.id, [{"name": f"Body {i}", "group_id": g} for i, g in enumerate(GROUPS)])
    coverage = chart_data.group_coverage(load(sqlite_engine, workspace.id), CONTENT)
    assert {bar.count for bar in coverage.bars} == {1}
    assert coverage.summary == "16 stakeholders in 16 of 16 stakeholder groups."
    assert t("charts.groups.none_yet") not in charts.coverage_figure(coverage).data[0].text


# --- Influence and interest -----------------------------------------------------------------------------------
def test_quadrant_rule_uses_high_from_from_the_settings():
    assert 2 <= HIGH <= 5
    for influence in range(1, 6):
        for interest in range(1, 6):
            expected = {
                (True, True): "manage_closely",
                (True, False): "keep_satisfied",
                (False, True): "keep_informed",
                (False, False): "monitor",
            }[(influence >= HIGH, interest >= HIGH)]
            assert chart_data.quadrant(influence, interest, HIGH) == expected, (influence, interest)


GRID_PEOPLE = [
    # name, influence, interest, affected, quadrant
    ("Powerful and keen", 5, 5, 5, "manage_closely"),
    ("Powerful, indifferent", 5, 1, 1, "keep_satisfied"),
    ("Keen, powerless", 1, 5, None, "keep_informed"),
    ("Neither", 1, 1, 2, "monitor"),
    ("Both at the threshold", HIGH, HIGH, 3, "manage_closely"),
    ("Both just below", HIGH - 1, HIGH - 1, 3, "monitor"),
    ("Influence at the threshold", HIGH, HIGH - 1, 3, "keep_satisfied"),
    ("Interest at the threshold", HIGH - 1, HIGH, 3, "keep_informed"),
]


def test_influence_interest_places_each_stakeholder_in_its_quadrant(engine):
    workspace = make_workspace(engine)
    for name, influence, interest, affected, _ in GRID_PEOPLE:
        add_stakeholder(
            engine, workspace.id, name, "policy_sectors", influence=influence, interest=interest, affected=affected
        )
    add_stakeholder(engine, workspace.id, "Only influence", "media", influence=5)
    add_stakeholder(engine, workspace.id, "Not scored", "academia", affected=4)
    grid = chart_data.influence_interest(load(engine, workspace.id), CONTENT)

    assert grid.high_from == HIGH and not grid.aggregated
    assert grid.unscored == ("Only influence", "Not scored")
    assert grid.quadrant_members == {
        q: tuple(name for name, *_, where in GRID_PEOPLE if where == q) for q in chart_data.QUADRANTS
    }
    assert [(p.name, p.influence, p.interest, p.affected, p.quadrant) for p in grid.points] == GRID_PEOPLE
    assert {p.group for p in grid.points} == {CONTENT.group_names["policy_sectors"]}
    # One cell per distinct score pair; the boundary people share no cell with the corners.
    cells = {(c.influence, c.interest): c for c in grid.cells}
    assert cells[(5, 5)].names == ("Powerful and keen",) and cells[(5, 5)].mean_affected == 5
    assert cells[(1, 5)].mean_affected is None
    assert sum(c.count for c in grid.cells) == len(GRID_PEOPLE)
    assert grid.summary == (
        "Manage closely: 2 (Powerful and keen; Both at the threshold). "
        "Keep satisfied: 2 (Powerful, indifferent; Influence at the threshold). "
        "Keep informed: 2 (Keen, powerless; Interest at the threshold). "
        "Monitor: 2 (Neither; Both just below). "
        "2 stakeholders have no influence or interest score yet."
    )


def test_grid_figure_names_everyone_on_hover_names_the_quadrants_and_draws_the_lines(sqlite_engine):
    workspace = make_workspace(sqlite_engine)
    add_many(
        sqlite_engine,
        workspace.id,
        [
            {"name": name, "group_id": "diasporas", "influence": inf, "interest": intr, "affected": aff}
            for name, inf, intr, aff, _ in GRID_PEOPLE
        ],
    )
    grid = chart_data.influence_interest(load(sqlite_engine, workspace.id), CONTENT)
    figure = charts.grid_figure(grid)

    traces = {trace.name: trace for trace in figure.data}
    assert list(traces) == [QUADRANT_NAMES[q] for q in chart_data.QUADRANTS]
    assert markers(figure) == len(GRID_PEOPLE)
    people = {name: (inf, intr, aff, q) for name, inf, intr, aff, q in GRID_PEOPLE}
    line = HIGH - 0.5
    for quadrant, trace in zip(chart_data.QUADRANTS, figure.data, strict=True):
        for x, y, size, hover in zip(trace.x, trace.y, trace.marker.size, trace.hovertext, strict=True):
            name = as_drawn(hover).split("\n")[0]
            influence, interest, affected, where = people[name]
            assert where == quadrant
            # Jitter keeps a marker in its own cell, on its own side of the quadrant lines.
            assert abs(x - interest) < 0.5 and abs(y - influence) < 0.5
            assert (x > line) == (interest >= HIGH) and (y > line) == (influence >= HIGH)
            assert as_drawn(hover).split("\n")[1:] == [
                CONTENT.group_names["diasporas"],
                f"influence {influence} · interest {interest} · how affected {affected if affected else '–'}",
            ]
            assert size == 12 + 5 * (affected or 1)  # how affected sets the size

    assert sorted(annotations(figure)) == sorted(QUADRANT_NAMES.values())
    lines = [shape for shape in figure.layout.shapes if shape.type == "line"]
    assert len(lines) == 2
    assert all(shape.line.width and shape.line.width >= 1 and shape.line.color for shape in lines)
    assert {(shape.y0, shape.y1) for shape in lines if shape.yref == "y"} == {(line, line)}
    assert {(shape.x0, shape.x1) for shape in lines if shape.xref == "x"} == {(line, line)}
    assert tuple(figure.layout.xaxis.range) == (0.5, 5.5) and tuple(figure.layout.yaxis.range) == (0.5, 5.5)


def test_the_grid_draws_one_bubble_per_cell_above_the_individual_limit(sqlite_engine):
    assert POINTS_UP_TO >= 8
    workspace = make_workspace(sqlite_engine)
    people = [
        {"name": f"Member {i}", "group_id": GROUPS[i % 16], "influence": 1 + i % 5, "interest": 1 + i // 5 % 5}
        for i in range(POINTS_UP_TO - 1)
    ]
    people.append({"name": EVIL, "group_id": "media", "influence": 5, "interest": 5})
    people.append({"name": "Unscored body", "group_id": "media"})
    add_many(sqlite_engine, workspace.id, people)
    grid = chart_data.influence_interest(load(sqlite_engine, workspace.id), CONTENT)
    assert len(grid.points) == POINTS_UP_TO and not grid.aggregated
    assert markers(charts.grid_figure(grid)) == POINTS_UP_TO

    add_stakeholder(sqlite_engine, workspace.id, "One too many", "academia", influence=5, interest=5)
    grid = chart_data.influence_interest(load(sqlite_engine, workspace.id), CONTENT)
    assert grid.aggregated and grid.unscored == ("Unscored body",)
    figure = charts.grid_figure(grid)
    assert markers(figure) == len(grid.cells) <= 25
    assert sum(int(count) for trace in figure.data for count in trace.text) == POINTS_UP_TO + 1
    for quadrant, trace in zip(chart_data.QUADRANTS, figure.data, strict=True):
        for x, y, count, hover in zip(trace.x, trace.y, trace.text, trace.hovertext, strict=True):
            cell = next(c for c in grid.cells if (c.interest, c.influence) == (x, y))
            assert cell.quadrant == quadrant and str(cell.count) == count
            assert hover.startswith(f"{count} — ")
    top = next(c for c in grid.cells if (c.influence, c.interest) == (5, 5))
    top_hover = next(
        h
        for trace in figure.data
        for x, y, h in zip(trace.x, trace.y, trace.hovertext, strict=True)
        if (x, y) == (5, 5)
    )
    assert EVIL in top.names and EVIL_ESCAPED in top_hover and EVIL not in top_hover
    assert "One too many" in top_hover


# --- A thousand stakeholders ----------------------------------------------------------------------------------
def test_a_thousand_stakeholders_build_every_figure_and_stay_legible(sqlite_engine):
    workspace = demo.add_demo_workspace(sqlite_engine, "Large register", 1000)

    # More sectors than the chart names.
    def name_sectors(*, session):
        for index, person in enumerate(
            store.load_workspace_data(session=session, workspace_id=workspace.id).stakeholders[:200]
        ):
            store.update_stakeholder(
                session=session,
                workspace_id=workspace.id,
                stakeholder_id=person.id,
                changes={"sector": f"Sector {index % (SHOW_TOP + 8):02d}"},
            )

    db.run_write(sqlite_engine, name_sectors)
    data = load(sqlite_engine, workspace.id)
    assert len(data.stakeholders) == 1000
    built = all_charts(data)

    figure = built["coverage"][1]
    assert len(figure.data[0].x) == 16 and sum(figure.data[0].x) == 1000
    assert all(hover.count("<br>") <= charts.MAX_HOVER_NAMES for hover in figure.data[0].hovertext)
    assert any(n > 12 for n in figure.data[0].x)
    assert all(" more" in hover for hover, n in zip(figure.data[0].hovertext, figure.data[0].x, strict=True) if n > 12)
    needed, band = label_lines_fit(figure)
    assert needed <= band

    grid, figure = built["grid"]
    assert grid.aggregated and len(grid.points) == 1000
    assert markers(figure) <= 25
    assert sum(int(count) for trace in figure.data for count in trace.text) == 1000
    assert all(size <= 70 for trace in figure.data for size in trace.marker.size)
    for members in grid.quadrant_members.values():
        assert f" and {len(members) - SETTINGS['names_in_summary']} more" in grid.summary

    sectors, figure = built["sectors"]
    assert len(figure.data[0].x) == len(sectors.bars) == SHOW_TOP + 1
    assert sectors.bars[-1].label == t("charts.sectors.other")
    assert sum(bar.count for bar in sectors.bars) == sum(1 for s in data.stakeholders if s.sector.strip())

    voices, figure = built["voices"]
    assert [bar.key for bar in voices.bars] == VOICES
    assert len(figure.data[0].x) == 4

    assert sum(built["levels"][1].data[0].x) == 1000

    engagement, figure = built["engagement"]
    assert len(engagement.rows) == 16 and figure.data[0].type == "heatmap"
    assert sum(map(sum, engagement.values)) == sum(len(p.mechanisms) for p in data.plans.values())

    awareness, figure = built["awareness"]
    assert sum(map(sum, awareness.values)) == 3
    assert sum(len(trace.y) for trace in built["timeline"][1].data) == 3

    assert len(built["checklist"][1].data[0].y) == len(CONTENT.checklist.items)
    for name, (chart, figure) in built.items():
        assert len(chart.summary) < 2_000, name
        assert figure.layout.height <= 1_500, name


# --- Voices, levels and sectors ---------------------------------------------------------------------------
def test_voices_lists_the_guidance_voices_then_the_workspaces_own(engine):
    workspace = make_workspace(engine)
    add_stakeholder(
        engine,
        workspace.id,
        "Women migrants' network",
        "civil_society_organizations",
        voices=["migrant_women", "Domestic workers"],
    )
    add_stakeholder(
        engine, workspace.id, "Returnees association", "diasporas", voices=["migrant_women", "migrants_themselves"]
    )
    add_stakeholder(engine, workspace.id, "Press council", "media")
    db.run_write(engine, store.add_custom_voice, workspace_id=workspace.id, label="Seasonal workers")
    voices = chart_data.voices(load(engine, workspace.id), CONTENT)

    carried = {
        "migrants_themselves": ("Returnees association",),
        "migrant_women": ("Women migrants' network", "Returnees association"),
        "Domestic workers": ("Women migrants' network",),
    }
    keys = [*VOICES, "Domestic workers", "Seasonal workers"]
    assert [bar.key for bar in voices.bars] == keys
    assert [bar.label for bar in voices.bars] == [
        *(CONTENT.voice_names[v] for v in VOICES),
        "Domestic workers",
        "Seasonal workers",
    ]
    assert [(bar.count, bar.names) for bar in voices.bars] == [
        (len(carried.get(k, ())), carried.get(k, ())) for k in keys
    ]
    assert voices.summary == (
        "Spoken for: Migrants themselves (Returnees association); "
        "Migrant women (Women migrants' network; Returnees association); "
        "Domestic workers (Women migrants' network). "
        "Nobody speaks for: Migrant children and young people, Undocumented migrants, Seasonal workers."
    )

    figure = charts.voices_figure(voices)
    nobody = t("charts.voices.nobody_short")
    assert list(figure.data[0].x) == [len(carried.get(k, ())) for k in keys]
    assert list(figure.data[0].text) == [str(len(carried[k])) if k in carried else nobody for k in keys]
    assert as_drawn(figure.data[0].hovertext[1]) == "Women migrants' network\nReturnees association"


def test_a_voice_typed_by_its_guidance_name_is_not_a_second_bar(sqlite_engine):
    """BUG: typing a guidance voice by its name (or a custom voice in other case) on a stakeholder adds it to the
    workspace's own voices, so the chart shows "Migrant women" twice (store._register_voices does not check names,
    unlike store.add_custom_voice)."""
    workspace = make_workspace(sqlite_engine)
    add_stakeholder(sqlite_engine, workspace.id, "Network", "civil_society_organizations", voices=["Migrant women"])
    add_stakeholder(sqlite_engine, workspace.id, "Union", "trade_unions", voices=["migrant women "])
    labels = [
        bar.label.strip().casefold() for bar in chart_data.voices(load(sqlite_engine, workspace.id), CONTENT).bars
    ]
    assert len(labels) == len(set(labels)), labels


def test_government_levels_count_everyone_else_as_outside_government(engine):
    workspace = make_workspace(engine)
    add_stakeholder(engine, workspace.id, "Ministry of Labour", "policy_sectors", government_level="national")
    add_stakeholder(engine, workspace.id, "Ministry of Health", "policy_sectors", government_level="national")
    add_stakeholder(engine, workspace.id, "Parish council", "local_and_regional_authorities", government_level="local")
    add_stakeholder(engine, workspace.id, "Diaspora council", "diasporas")
    add_stakeholder(engine, workspace.id, "Press council", "media")
    # A ministry with no level recorded is still government, not "outside government".
    add_stakeholder(engine, workspace.id, "Ministry of Education", "policy_sectors")
    levels = chart_data.government_levels(load(engine, workspace.id), CONTENT)

    assert [(bar.key, bar.count) for bar in levels.bars] == [
        ("local", 1),
        ("regional", 0),
        ("national", 2),
        ("intergovernmental", 0),
        (chart_data.LEVEL_NOT_SET, 1),
        (chart_data.NOT_GOVERNMENT, 2),
    ]
    assert [bar.label for bar in levels.bars][-2:] == ["Government, level not recorded", "Outside government"]
    assert levels.summary == "4 government stakeholders (levels: Local, National) and 2 from outside government."
    figure = charts.levels_figure(levels)
    assert list(figure.data[0].x) == [1, 0, 2, 0, 1, 2]
    assert list(figure.data[0].text) == ["1", "0", "2", "0", "1", "2"]


def test_sectors_are_counted_by_name_with_the_rest_together(engine):
    workspace = make_workspace(engine)
    singles = [f"Sector {chr(65 + i)}" for i in range(SHOW_TOP)]
    people = [
        {"name": f"Labour body {i}", "group_id": "policy_sectors", "sector": s}
        for i, s in enumerate(["Labour", " Labour ", "Labour"])
    ]
    people += [{"name": f"Health body {i}", "group_id": "policy_sectors", "sector": "Health"} for i in range(2)]
    people += [{"name": f"Body {s}", "group_id": "academia", "sector": s} for s in singles]
    people += [
        {"name": "No sector", "group_id": "media"},
        {"name": "Blank sector", "group_id": "media", "sector": "   "},
    ]
    add_many(engine, workspace.id, people)
    sectors = chart_data.sectors(load(engine, workspace.id), CONTENT)

    assert len(sectors.bars) == SHOW_TOP + 1
    assert [(bar.label, bar.count) for bar in sectors.bars[:2]] == [("Labour", 3), ("Health", 2)]
    assert {bar.label for bar in sectors.bars[2:-1]} < set(singles)
    assert all(bar.count == 1 for bar in sectors.bars[2:-1])
    other = sectors.bars[-1]
    assert (other.label, other.count) == ("Other sectors", 3 + 2 + SHOW_TOP - sum(b.count for b in sectors.bars[:-1]))
    assert other.count == 2  # SHOW_TOP names: Labour, Health and SHOW_TOP - 2 singles; 2 singles left over
    assert sectors.summary.startswith(f"{SHOW_TOP + 2} sectors named; most often: Labour; Health; ")
    assert sectors.summary.endswith(" 2 stakeholders have no sector recorded.")
    figure = charts.sectors_figure(sectors)
    assert list(figure.data[0].x) == [bar.count for bar in sectors.bars]
    assert annotations(figure) == []


# --- Engagement ---------------------------------------------------------------------------------------------
def test_engagement_counts_mechanisms_per_group_and_mediums(engine):
    workspace = make_workspace(engine)
    labour = add_stakeholder(engine, workspace.id, "Ministry of Labour", "policy_sectors")
    health = add_stakeholder(engine, workspace.id, "Ministry of Health", "policy_sectors")
    press = add_stakeholder(engine, workspace.id, "Press council", "media")
    diaspora = add_stakeholder(engine, workspace.id, "Diaspora council", "diasporas")
    add_stakeholder(engine, workspace.id, "Migrant women's network", "civil_society_organizations")
    plan(engine, workspace.id, labour, mechanisms=["meetings", "advisory_boards"], mediums=["in_person", "online"])
    plan(engine, workspace.id, health, mechanisms=["meetings"], mediums=["online"])
    plan(engine, workspace.id, press, participation_level="inform", mediums=["written_feedback"])
    plan(engine, workspace.id, diaspora, phases=["planning"], mediums=["online"])  # neither how nor how much
    matrix = chart_data.engagement(load(engine, workspace.id), CONTENT)

    used = ["diasporas", "civil_society_organizations", "policy_sectors", "media"]
    assert matrix.rows == tuple(CONTENT.group_names[g] for g in GROUPS if g in used)
    assert matrix.columns == tuple(CONTENT.mechanism_names.values())
    mechanisms = list(CONTENT.mechanism_names)
    expected = {("policy_sectors", "meetings"): 2, ("policy_sectors", "advisory_boards"): 1}
    assert matrix.values == tuple(tuple(expected.get((g, m), 0) for m in mechanisms) for g in GROUPS if g in used)
    assert matrix.extra["mediums"] == {
        "In-person": 1,
        "Online": 3,
        "Written feedback": 1,
        "Surveys": 0,
    }
    assert matrix.extra["no_plan_by_group"] == {"Diasporas": 1, "Civil society organizations": 1}
    assert matrix.summary == (
        "3 of 5 stakeholders have an engagement plan; most planned mechanisms: Meetings, Advisory boards. "
        "No plan yet: Diaspora council; Migrant women's network."
    )

    figure = charts.engagement_figure(matrix)
    heatmap = figure.data[0]
    assert [list(row) for row in heatmap.z] == [list(row) for row in matrix.values]
    assert [list(row) for row in heatmap.text] == [[str(v) if v else "·" for v in row] for row in matrix.values]
    assert annotations(figure) == []


def test_the_heatmap_colour_scale_starts_at_zero(sqlite_engine):
    """BUG: the heatmap's colours are scaled from the smallest count, not from zero, so when every cell is 1 or
    more the smallest counts are drawn white, the colour of "nothing" (and with every cell 0, all are mid-blue)."""
    workspace = make_workspace(sqlite_engine)
    first = add_stakeholder(sqlite_engine, workspace.id, "Ministry of Labour", "policy_sectors")
    second = add_stakeholder(sqlite_engine, workspace.id, "Ministry of Health", "policy_sectors")
    everything = list(CONTENT.mechanism_names)
    plan(sqlite_engine, workspace.id, first, mechanisms=everything)
    plan(sqlite_engine, workspace.id, second, mechanisms=everything[:1])
    heatmap = charts.engagement_figure(chart_data.engagement(load(sqlite_engine, workspace.id), CONTENT)).data[0]
    assert min(min(row) for row in heatmap.z) == 1
    assert heatmap.zmin == 0 and heatmap.zmax >= 2


# --- Awareness ------------------------------------------------------------------------------------------------
def test_awareness_counts_active_activities_and_puts_the_dated_ones_on_a_timeline(engine):
    workspace = make_workspace(engine)
    add_activity(engine, workspace.id, "Inter-ministerial workshop", "government", starts_on=dt.date(2027, 5, 3))
    add_activity(engine, workspace.id, "Briefing for line ministries", "government", status="done", timing_note="Q1")
    add_activity(
        engine,
        workspace.id,
        "Social media campaign",
        "other_stakeholders",
        "social_media",
        starts_on=dt.date(2027, 2, 1),
        ends_on=dt.date(2027, 2, 28),
        status="in_progress",
    )
    add_activity(
        engine, workspace.id, "Open day", "public", "cultural_events", starts_on=dt.date(2027, 1, 5), status="cancelled"
    )
    awareness = chart_data.awareness(load(engine, workspace.id), CONTENT)

    types = list(CONTENT.activity_type_names)
    counts = {("government", "briefings"): 2, ("other_stakeholders", "social_media"): 1}
    assert awareness.rows == tuple(CONTENT.audience_names.values())
    assert awareness.columns == tuple(CONTENT.activity_type_names.values())
    assert awareness.values == tuple(
        tuple(counts.get((audience, kind), 0) for kind in types) for audience in CONTENT.audience_names
    )
    timeline = awareness.extra["timeline"]
    assert [(i.title, i.audience, i.activity_type, i.start, i.end, i.status) for i in timeline] == [
        (
            "Social media campaign",
            "Other stakeholders",
            "Social media",
            dt.date(2027, 2, 1),
            dt.date(2027, 2, 28),
            "In progress",
        ),
        (
            "Inter-ministerial workshop",
            "Government actors across sectors",
            "Briefings and sessions",
            dt.date(2027, 5, 3),
            dt.date(2027, 5, 3),
            "Planned",
        ),
    ]
    assert awareness.summary == (
        "3 activities planned or done; audiences reached: Government actors across sectors, Other stakeholders. "
        "No activity yet for: The public. 2 of 3 activities have dates and appear on the timeline."
    )

    figure = charts.awareness_figure(awareness)
    assert [list(row) for row in figure.data[0].z] == [list(row) for row in awareness.values]
    timeline_figure = charts.timeline_figure(awareness)
    assert [trace.name for trace in timeline_figure.data] == ["Other stakeholders", "Government actors across sectors"]
    drawn = {
        as_drawn(y): (base, width)
        for trace in timeline_figure.data
        for y, base, width in zip(trace.y, trace.base, trace.x, strict=True)
    }
    day = 86_400_000
    assert drawn == {
        "Social media campaign": ("2027-02-01", 28 * day),
        "Inter-ministerial workshop": ("2027-05-03", day),
    }
    assert "Open day" not in str(timeline_figure.to_plotly_json())
    assert annotations(timeline_figure) == []
    # The calendar's months are the reader's: plotly would write "Feb 2027" on a French page.
    with i18n.language("fr"):
        french = charts.timeline_figure(awareness).layout.xaxis
    assert list(french.ticktext) == ["1 févr. 2027", "1 mars 2027", "1 avr. 2027", "1 mai 2027", "1 juin 2027"]
    assert list(french.tickvals) == ["2027-02-01", "2027-03-01", "2027-04-01", "2027-05-01", "2027-06-01"]


@pytest.mark.parametrize(
    ("low", "high", "ticks"),
    [
        (dt.date(2027, 2, 3), dt.date(2027, 2, 27), ["2027-02-15"]),
        (dt.date(2027, 1, 20), dt.date(2027, 2, 20), ["2027-02-01", "2027-02-15"]),
        (dt.date(2027, 1, 1), dt.date(2027, 4, 1), ["2027-01-01", "2027-02-01", "2027-03-01", "2027-04-01"]),
        (
            dt.date(2026, 11, 5),
            dt.date(2029, 1, 1),
            [f"{y}-{m:02d}-01" for y, m in ((2026, 12), (2027, 5), (2027, 10), (2028, 3), (2028, 8))] + ["2029-01-01"],
        ),
    ],
)
def test_the_timeline_has_a_few_calendar_ticks_whatever_its_span(low, high, ticks):
    assert [day.isoformat() for day in charts.date_ticks(low, high)] == ticks


# --- Checklist ------------------------------------------------------------------------------------------------
def test_checklist_progress_has_each_item_and_its_status_in_order(engine):
    workspace = make_workspace(engine)
    add_stakeholder(engine, workspace.id, "Ministry of Labour", "policy_sectors")  # map_stakeholders in progress
    db.run_write(
        engine,
        store.save_checklist_entry,
        workspace_id=workspace.id,
        item_id="decide_engagement",
        changes={"confirmed_status": "done"},
    )
    statuses = checklist.checklist_status(load(engine, workspace.id), CONTENT)
    progress_chart = chart_data.checklist_progress(statuses, CONTENT)

    expected = {"map_stakeholders": "in_progress", "decide_engagement": "done"}
    assert [(row.number, row.text, row.status) for row in progress_chart.rows] == [
        (number, item.text, expected.get(item.id, "not_started"))
        for number, item in enumerate(CONTENT.checklist.items, start=1)
    ]
    assert [row.status_label for row in progress_chart.rows] == [
        t(f"checklist_status.{row.status}") for row in progress_chart.rows
    ]
    assert progress_chart.summary == "1 of 6 items done, 1 in progress."

    figure = charts.checklist_figure(progress_chart)
    bars = figure.data[0]
    assert list(bars.text) == [row.status_label for row in progress_chart.rows]
    assert [unwrapped(as_drawn(y)) for y in bars.y] == [
        unwrapped(f"{n}. {item.text}") for n, item in enumerate(CONTENT.checklist.items, start=1)
    ]
    done, started, waiting = (charts.STATUS_STYLE[s] for s in ("done", "in_progress", "not_started"))
    assert list(bars.x) == [
        {"done": done, "in_progress": started}.get(expected.get(item.id), waiting)[1]
        for item in CONTENT.checklist.items
    ]
    assert len(set(bars.marker.color)) == 3  # each status its own colour, and its own word


def test_checklist_rows_are_tall_enough_for_their_wrapped_labels(sqlite_engine):
    """BUG: the checklist figure gives every item 70 px whatever its label's length, so item 5's five-line label
    runs into items 4 and 6 (bar_figure sizes by wrapped lines; checklist_figure does not)."""
    workspace = make_workspace(sqlite_engine)
    chart = chart_data.checklist_progress(
        checklist.checklist_status(load(sqlite_engine, workspace.id), CONTENT), CONTENT
    )
    needed, band = label_lines_fit(charts.checklist_figure(chart))
    assert needed <= band, f"the tallest label needs {needed} px; its row has {band:.0f} px"


# --- Escaping -----------------------------------------------------------------------------------------------------
def test_text_users_typed_is_escaped_in_every_figure(sqlite_engine):
    workspace = make_workspace(sqlite_engine)
    with pytest.raises(InputError):  # active markup never reaches a chart: the store refuses it
        add_stakeholder(sqlite_engine, workspace.id, "<b>x</b><script>", "media")
    add_stakeholder(
        sqlite_engine,
        workspace.id,
        EVIL,
        "media",
        influence=5,
        interest=5,
        sector="<i>Trade</i>",
        voices=["migrant_women", "<u>Seasonal</u> workers"],
    )
    add_activity(sqlite_engine, workspace.id, LINK, "public", starts_on=dt.date(2027, 3, 1))
    built = all_charts(load(sqlite_engine, workspace.id))

    coverage = built["coverage"][1].data[0]
    assert coverage.hovertext[GROUPS.index("media")] == EVIL_ESCAPED
    grid_hover = [h for trace in built["grid"][1].data for h in trace.hovertext]
    assert grid_hover == [f"<b>{EVIL_ESCAPED}</b><br>The media<br>influence 5 · interest 5 · how affected –"]
    voices = built["voices"][1].data[0]
    assert voices.hovertext[VOICES.index("migrant_women")] == EVIL_ESCAPED
    assert voices.y[-1] == "&lt;u&gt;Seasonal&lt;/u&gt; workers"
    assert list(built["sectors"][1].data[0].y) == ["&lt;i&gt;Trade&lt;/i&gt;"]
    timeline = built["timeline"][1].data[0]
    assert timeline.y[0].startswith("&lt;a href=") and unwrapped(as_drawn(timeline.y[0])) == unwrapped(LINK)
    assert timeline.hovertext[0].startswith("&lt;a href=")
    assert as_drawn(timeline.hovertext[0]).startswith(f"{LINK} — {i18n.local_date(dt.date(2027, 3, 1))}")
    for name, (_, figure) in built.items():
        for text in strings(figure.to_plotly_json()):
            for raw in ("<b>x", "<i>", "<u>", "<a "):
                assert raw not in text, (name, text)
    # ...and what plotly draws is what the user typed.
    assert as_drawn(grid_hover[0]).split("\n")[0] == EVIL


def test_escaped_text_reads_as_typed_once_plotly_draws_it(sqlite_engine):
    """BUG: html.escape turns quotes into &quot;, an entity plotly.js does not decode, so a sector typed as
    'Trade and "industry"' is drawn as 'Trade and &quot;industry&quot;' (seen in Chromium). Escaping only &, < and >
    (html.escape(text, quote=False)) would draw it as typed."""
    workspace = make_workspace(sqlite_engine)
    name, sector = 'Ministry of "Home" Affairs', 'Trade and "industry"'
    add_stakeholder(sqlite_engine, workspace.id, name, "policy_sectors", influence=5, interest=5, sector=sector)
    built = all_charts(load(sqlite_engine, workspace.id))
    assert as_drawn(built["sectors"][1].data[0].y[0]) == sector
    assert as_drawn(built["coverage"][1].data[0].hovertext[GROUPS.index("policy_sectors")]) == name
    assert as_drawn(built["grid"][1].data[0].hovertext[0]).split("\n")[0] == name


# --- Nothing yet --------------------------------------------------------------------------------------------------
def test_an_empty_workspace_builds_every_figure_and_says_there_is_nothing_yet(engine):
    workspace = make_workspace(engine)
    built = all_charts(load(engine, workspace.id))

    coverage = built["coverage"][1].data[0]
    assert list(coverage.x) == [0] * 16 and list(coverage.text) == [t("charts.groups.none_yet")] * 16
    assert built["coverage"][0].empty
    voices = built["voices"][1].data[0]
    assert list(voices.x) == [0] * 4 and list(voices.text) == [t("charts.voices.nobody_short")] * 4
    # Nothing to count: the levels chart says so instead of drawing zero bars.
    assert built["levels"][1].data == () and t("charts.no_data") in annotations(built["levels"][1])
    checklist_bars = built["checklist"][1].data[0]
    assert list(checklist_bars.text) == [t("checklist_status.not_started")] * len(CONTENT.checklist.items)

    messages = {
        "grid": "charts.grid.empty",
        "sectors": "charts.sectors.none",
        "engagement": "charts.engagement.empty",
        "awareness": "charts.awareness.empty",
        "timeline": "charts.timeline.empty",
    }
    for name, key in messages.items():
        figure = built[name][1]
        assert t(key) in annotations(figure), name
        assert markers(figure) == 0 or all(not any(row) for row in figure.data[0].z), name
    assert built["grid"][0].points == () and built["grid"][0].unscored == ()
    assert built["engagement"][1].data == ()  # no group has a stakeholder: no grid to draw
    assert built["awareness"][0].empty and built["awareness"][0].extra["timeline"] == ()


def test_an_empty_sectors_chart_shows_one_message_not_two_on_top_of_each_other(sqlite_engine):
    """BUG: with no sector recorded, bar_figure adds "Nothing to show yet." and sectors_figure adds
    "No sector recorded yet." at the same place, so the two messages are drawn over each other."""
    workspace = make_workspace(sqlite_engine)
    add_stakeholder(sqlite_engine, workspace.id, "Press council", "media")
    figure = charts.sectors_figure(chart_data.sectors(load(sqlite_engine, workspace.id), CONTENT))
    assert annotations(figure) == [t("charts.sectors.none")]


# --- Summaries ----------------------------------------------------------------------------------------------------
def test_every_summary_is_a_sentence_with_the_key_numbers(engine):
    workspace = make_workspace(engine)
    labour = add_stakeholder(
        engine,
        workspace.id,
        "Ministry of Labour",
        "policy_sectors",
        government_level="national",
        sector="Labour",
        influence=5,
        interest=5,
        voices=["migrant_women"],
    )
    add_stakeholder(engine, workspace.id, "Diaspora council", "diasporas", influence=2, interest=5)
    add_stakeholder(engine, workspace.id, "Press council", "media")
    plan(engine, workspace.id, labour, mechanisms=["meetings"])
    add_activity(engine, workspace.id, "Briefing", "government", starts_on=dt.date(2027, 3, 1), status="done")
    summaries = {name: chart.summary for name, (chart, _) in all_charts(load(engine, workspace.id)).items()}

    assert_summary(summaries["coverage"], "3 stakeholders in 3 of 16 stakeholder groups.", "Not yet covered: ")
    assert_summary(
        summaries["grid"],
        "Manage closely: 1 (Ministry of Labour).",
        "Keep informed: 1 (Diaspora council).",
        "Keep satisfied: 0 (—).",
        "1 stakeholder has no influence or interest score yet.",
    )
    assert_summary(summaries["voices"], "Spoken for: Migrant women (Ministry of Labour).", "Nobody speaks for: ")
    # (The levels, sectors and awareness sentences do not agree in number: "1 government stakeholders".)
    assert_summary(summaries["levels"], "1 government stakeholder", "(levels: National) and 2 from outside government.")
    assert_summary(summaries["sectors"], "1 sector", "most often: Labour.", "2 stakeholders have no sector recorded.")
    assert_summary(
        summaries["engagement"],
        "1 of 3 stakeholders have an engagement plan; most planned mechanisms: Meetings.",
        "No plan yet: Diaspora council; Press council.",
    )
    assert_summary(
        summaries["awareness"],
        "1 activit",
        "audiences reached: Government actors across sectors.",
        "No activity yet for: Other stakeholders, The public.",
        "1 of 1 activity has dates",
    )
    # Mapping (3 of 8 groups), engagement plans (1 of 3) and awareness (1 of 3 audiences) are under way.
    assert_summary(summaries["checklist"], "0 of 6 items done, 3 in progress.")


def test_a_chart_is_built_again_only_when_what_it_shows_changes(sqlite_engine):
    """Pages ask for their figures on every run; an edit the chart does not show (an answer) reuses the
    figure, an edit it shows (a new stakeholder) gets a new one with the new counts."""
    from gcm_guide.web import charts_view as views

    content = load_content()
    workspace = make_workspace(sqlite_engine)
    add_stakeholder(sqlite_engine, workspace.id, "Ministry of Labour", "policy_sectors")
    first, _ = views.figure_for("coverage", load(sqlite_engine, workspace.id), content)
    db.run_write(
        sqlite_engine, store.save_answer, workspace_id=workspace.id, question_id="policy_sectors", changes={"text": "x"}
    )
    after_answer, _ = views.figure_for("coverage", load(sqlite_engine, workspace.id), content)
    assert after_answer is first
    add_stakeholder(sqlite_engine, workspace.id, "Media council", "media")
    after_stakeholder, coverage = views.figure_for("coverage", load(sqlite_engine, workspace.id), content)
    assert after_stakeholder is not first
    counts = {bar.label: bar.count for bar in coverage.bars}
    names = content.group_names
    assert counts[names["media"]] == 1 and counts[names["policy_sectors"]] == 1
