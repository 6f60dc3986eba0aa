"""Streamlit building blocks shared by several pages: charts with their text summaries, the set-up
recommendation panel, downloads, and the spreadsheet import and backup restore flows."""

from __future__ import annotations

import datetime as dt
import hashlib
import io
import pickle
from collections.abc import Callable
from typing import Any
from urllib.parse import urlsplit

import plotly.graph_objects as go
import segno
import streamlit as st

from gcm_guide import (
    access,
    backup,
    chart_data,
    charts,
    checklist,
    db,
    exports,
    recommender,
    report,
    spreadsheet,
    store,
    ui,
    workshop,
)
from gcm_guide.content import Content
from gcm_guide.errors import StoreError
from gcm_guide.i18n import get_language, problems_text, t, tn
from gcm_guide.models import name_key
from gcm_guide.recommender import Contribution, Recommendation
from gcm_guide.store import WorkspaceData

PLOTLY_CONFIG = {"displaylogo": False, "responsive": True, "modeBarButtonsToRemove": ["select2d", "lasso2d"]}


def chart(figure: go.Figure, summary: str, *, key: str | None = None) -> None:
    """A figure with its text summary beside it in words (also its alt text for screen readers)."""
    st.plotly_chart(figure, theme=None, config=PLOTLY_CONFIG, alt=summary, key=key)
    st.caption(f"**{t('charts.text_summary')}:** {ui.plain(summary)}")


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


def show(kind: str, data: WorkspaceData, content: Content, *, key: str) -> Any:
    figure, chart_input = figure_for(kind, data, content)
    chart(figure, chart_input.summary, key=key)
    return chart_input


def stakeholder_charts(data: WorkspaceData, content: Content, *, key: str) -> None:
    """Who is in the room and who is missing: groups, influence/interest, voices, levels and sectors."""
    tabs = st.tabs([t("charts.tabs.coverage"), t("charts.tabs.grid"), t("charts.tabs.voices"), t("charts.tabs.levels")])
    with tabs[0]:
        show("coverage", data, content, key=f"{key}_coverage")
    with tabs[1]:
        show("grid", data, content, key=f"{key}_grid")
    with tabs[2]:
        show("voices", data, content, key=f"{key}_voices")
    with tabs[3]:
        left, right = st.columns(2)
        with left:
            show("levels", data, content, key=f"{key}_levels")
        with right:
            show("sectors", data, content, key=f"{key}_sectors")


def engagement_charts(data: WorkspaceData, content: Content, *, key: str) -> None:
    matrix = show("engagement", data, content, key=f"{key}_matrix")
    mediums = matrix.extra["mediums"]
    st.caption(t("charts.engagement.mediums_title") + ": " + " · ".join(f"{name} {n}" for name, n in mediums.items()))


def awareness_charts(data: WorkspaceData, content: Content, *, key: str) -> None:
    matrix = show("awareness", data, content, key=f"{key}_matrix")
    timeline, _ = figure_for("timeline", data, content)
    st.plotly_chart(timeline, theme=None, config=PLOTLY_CONFIG, key=f"{key}_timeline", alt=matrix.summary)


def checklist_chart(data: WorkspaceData, content: Content, *, key: str) -> None:
    show("checklist", data, content, key=key)


@st.cache_resource(max_entries=64, show_spinner=False)
def _contributions_figure(contributions: tuple[Contribution, ...], title: str) -> go.Figure:
    # The same answers give the same figure: reruns reuse it (hashing a few frozen records is cheap).
    return charts.contributions_figure(contributions, title)


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
        figure = _contributions_figure(tuple(recommendation.contributions), t("charts.contributions.title"))
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


def sheet_table(sheet: exports.Sheet, *, height: int | None = None) -> None:
    """One of the export sheets as a read-only table (the same rows the Excel workbook and PDF hold)."""
    rows = [{column.label: value for column, value in zip(sheet.columns, row, strict=True)} for row in sheet.rows]
    if rows:
        st.dataframe(rows, hide_index=True, width="stretch", height=height or "auto")
    else:
        st.caption(t("report.none_yet"))


def downloads(workspace_id: int, name: str) -> None:
    """Download buttons; each file is made when its button is clicked, from the data saved at that moment."""
    engine = ui.engine()  # captured: the files are made on a worker thread, outside the script run
    language_content = ui.content()

    def fresh() -> store.WorkspaceData:
        return db.run_read(engine, store.load_workspace_data, workspace_id=workspace_id)

    safe_name = "".join(c if c.isalnum() or c in " -_" else "_" for c in name).strip() or "workspace"
    columns = st.columns(4)
    files = [
        (
            "summary.download_pdf",
            lambda: report.report_pdf(fresh(), language_content),
            f"{safe_name}.pdf",
            "application/pdf",
            ":material/picture_as_pdf:",
        ),
        (
            "summary.download_xlsx",
            lambda: exports.workbook_bytes(fresh(), language_content),
            f"{safe_name}.xlsx",
            "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
            ":material/table:",
        ),
        (
            "summary.download_csv",
            lambda: exports.stakeholders_csv(fresh(), language_content),
            f"{safe_name} - stakeholders.csv",
            "text/csv",
            ":material/csv:",
        ),
        (
            "summary.download_backup",
            lambda: backup.backup_bytes(fresh()),
            f"{safe_name} - backup.json",
            "application/json",
            ":material/save:",
        ),
    ]
    for column, (label, make, file_name, mime, icon) in zip(columns, files, strict=True):
        column.download_button(
            t(label),
            data=make,
            file_name=file_name,
            mime=mime,
            icon=icon,
            on_click="ignore",
            width="stretch",
            key=f"download_{label}",
        )
    st.caption(t("summary.downloads_help"))


NOT_IN_FILE = ""


def spreadsheet_import(workspace_id: int, data: store.WorkspaceData, content: Content) -> None:
    """Import stakeholders from a CSV or Excel file: map columns, preview every row, then add the good ones."""
    upload = st.file_uploader(t("import.file"), type=["csv", "xlsx"], key="import_file", help=t("import.file_help"))
    if upload is None:
        return
    try:
        frame = spreadsheet.read_table(upload.getvalue(), upload.name)
    except StoreError as exc:
        st.error(t("import.refused", problems=problems_text(exc)), icon=":material/error:")
        return
    columns = [NOT_IN_FILE, *frame.columns]
    guessed = spreadsheet.guess_mapping(list(frame.columns))
    st.markdown(f"**{t('import.mapping')}**")
    mapping: dict[str, str | None] = {}
    grid = st.columns(3)
    for index, field in enumerate(spreadsheet.FIELDS):
        chosen = grid[index % 3].selectbox(
            t(f"fields.{field}"),
            columns,
            index=columns.index(guessed[field] or NOT_IN_FILE),
            format_func=lambda c: t("import.not_in_file") if c == NOT_IN_FILE else c,
            key=f"import_map_{field}",
        )
        mapping[field] = chosen or None
    rows = spreadsheet.preview(frame, mapping, content, [s.name for s in data.stakeholders])
    good = [row for row in rows if row.ok]
    st.markdown(f"**{t('import.preview', good=len(good), total=len(rows))}**")
    st.dataframe(
        [
            {
                t("import.row"): r.number,
                t("fields.name"): r.data.get("name"),
                t("fields.group_id"): content.group_names.get(r.data.get("group_id") or "", ""),
                t("import.status"): t("import.ok") if r.ok else " ".join(r.problems),
            }
            for r in rows
        ],
        hide_index=True,
        width="stretch",
        height=min(420, 40 + 35 * len(rows)),
    )
    if st.button(t("import.submit", count=len(good)), type="primary", disabled=not good, key="import_submit"):
        added = ui.write(spreadsheet.import_rows, workspace_id=workspace_id, rows=good)
        if added:
            st.session_state["import_done"] = added
            st.session_state.pop("import_file", None)
            st.rerun()
        ui.show_messages()


def restore_from_backup() -> None:
    """Restore a backup file as a new workspace, after showing what it holds; then open it."""
    upload = st.file_uploader(t("restore.file"), type=["json"], key="restore_file", help=t("restore.file_help"))
    if upload is None:
        return
    try:
        parsed = backup.read_backup(upload.getvalue())
    except StoreError as exc:
        st.error(t("restore.refused", problems=problems_text(exc)), icon=":material/error:")
        return
    facts = backup.summary(parsed)
    st.markdown(t("restore.preview", **{k: ui.plain(str(v)) for k, v in facts.items()}))
    taken = {s.workspace.name_key for s in ui.read(store.workspace_summaries)}
    default = parsed.workspace.name
    if name_key(default) in taken:
        default = f"{default} {t('restore.restored_suffix', date=dt.date.today().isoformat())}"[:200]
    name = st.text_input(t("restore.name"), value=default, max_chars=200, key="restore_name")
    entered = ui.new_passcode_fields("restore")
    if st.button(
        t("restore.submit"),
        type="primary",
        icon=":material/restore:",
        key="restore_submit",
        disabled=ui.oidc_mode() and ui.signed_in_subject() is None,
    ):
        owner = ui.new_owner(entered)
        if owner is None:
            return
        restored = ui.write(access.restore_protected_workspace, backup=parsed, name=name, **owner)
        if restored:
            ui.grant(restored.public_id)
            ui.open_workspace(restored.public_id)
            st.switch_page("pages/summary.py", query_params={ui.WORKSPACE_PARAM: restored.public_id})
        ui.show_messages()


# --- Workshop --------------------------------------------------------------------------------------------------
def room_table(room: list[workshop.RoomPlacement]) -> None:
    """Where the room placed each stakeholder: the median with the range, and how many people placed it."""
    st.dataframe(
        [
            {
                t("fields.name"): r.name,
                t("fields.influence"): f"{r.influence_median} ({r.influence_range[0]}–{r.influence_range[1]})",
                t("fields.interest"): f"{r.interest_median} ({r.interest_range[0]}–{r.interest_range[1]})",
                t("workshop.room_count"): r.count,
            }
            for r in room
        ],
        hide_index=True,
        width="stretch",
    )


def join_link(code: str) -> str:
    """The address participants open: this app's own address, on the join page, with the code."""
    current = st.context.url or ""
    parts = urlsplit(current)
    base = f"{parts.scheme}://{parts.netloc}" if parts.scheme and parts.netloc else ""
    return f"{base}/join?code={code}"


def qr_png(text: str) -> bytes:
    buffer = io.BytesIO()
    segno.make(text, error="m").save(buffer, kind="png", scale=10, border=2)
    return buffer.getvalue()


def join_banner(code: str, *, large: bool) -> None:
    """The join code, link and QR code, as the room sees them."""
    link = join_link(code)
    text_column, qr_column = st.columns([3, 1]) if large else (st.container(), None)
    text_column.markdown(t("workshop.join_at", link=link))
    text_column.markdown(f"## {code}")
    if qr_column is not None:
        qr_column.image(qr_png(link), caption=t("workshop.scan"), width=220)


PRESENTER_STYLE = """
<style>
/* Projection: no sidebar or toolbar, large type, strong contrast. */
[data-testid="stSidebar"], [data-testid="stSidebarCollapsedControl"], [data-testid="stToolbar"],
header[data-testid="stHeader"] { display: none !important; }
.block-container { padding-top: 1rem !important; max-width: 100% !important; }
.stMarkdown p, .stMarkdown li { font-size: 1.55rem !important; line-height: 1.45 !important; }
h1 { font-size: 2.6rem !important; } h2 { font-size: 2.1rem !important; } h3 { font-size: 1.7rem !important; }
[data-testid^="stBaseButton"] { min-height: 3.4rem !important; }
[data-testid^="stBaseButton"] p { font-size: 1.4rem !important; }
</style>
"""


def presenter_style() -> None:
    """Static styling for the projected page (no user text involved)."""
    st.html(PRESENTER_STYLE)


def presenter_item(
    item: str, data: store.WorkspaceData, content: Content, room: list[Any], votes: list[tuple[str, int]], waiting: int
) -> None:
    """One guiding question or one action, as the room sees it."""
    kind, key = workshop.item_parts(item)
    if kind == "guiding":
        question = next(q for q in content.guiding_questions.questions if q.id == key)
        st.header(f"{question.number}. {question.text}")
        answer = data.answer_text(question.id)
        st.markdown(ui.plain(answer) if answer.strip() else f"*{t('summary.no_answer')}*")
        if waiting:
            st.info(tn("workshop.waiting", waiting), icon=":material/inbox:")
        return
    if kind == "action" and key == "1":
        st.header(t("action.title", number=1, title=content.action1.title))
        left, right = st.columns(2)
        with left:
            show("coverage", data, content, key="presenter_coverage")
        with right:
            grid = figure_for("grid", data, content)[1]  # the room's placements change without the workspace
            chart(charts.grid_figure(grid, room=room), grid.summary + " " + room_summary(room), key="presenter_grid")
        if votes:
            st.markdown(t("workshop.votes_line", votes="; ".join(f"{ui.plain(n)} ({c})" for n, c in votes[:8])))
        return
    if kind == "action" and key == "2":
        st.header(t("action.title", number=2, title=content.action2.title))
        engagement_charts(data, content, key="presenter_engagement")
        return
    if kind == "action" and key == "3":
        st.header(t("action.title", number=3, title=content.action3.title))
        recommendation_panel(recommender.recommend_for(data, content), content)
        return
    if kind == "action" and key == "4":
        st.header(t("action.title", number=4, title=content.action4.title))
        awareness_charts(data, content, key="presenter_awareness")
        return
    st.header(content.checklist.title)
    checklist_chart(data, content, key="presenter_checklist")


def room_summary(room: list[Any]) -> str:
    if not room:
        return ""
    return t("workshop.room_summary", placed=len(room), people=max(r.count for r in room))


def item_title(item: str, content: Content) -> str:
    kind, key = workshop.item_parts(item)
    if kind == "guiding":
        question = next(q for q in content.guiding_questions.questions if q.id == key)
        return t("workshop.item_question", number=question.number)
    if kind == "action":
        return t(f"nav.action{key}")
    return t("nav.checklist")
