"""The workshop as the room and the facilitator see it: the join banner with its QR code, the room's
placements, and one projected item at a time."""

from __future__ import annotations

import io
from typing import Any
from urllib.parse import urlsplit

import segno
import streamlit as st

from gcm_guide import charts, recommender, workshop
from gcm_guide.content import Content
from gcm_guide.web.charts_view import awareness_charts, chart, checklist_chart, engagement_charts, figure_for, show
from gcm_guide.web.setup_view import recommendation_panel
from gcm_guide.web.text import Markdown, joined, plain, t, t_plain, tn, tn_plain
from gcm_guide.workspace_data import WorkspaceData


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


def qr_png(address: str) -> bytes:
    buffer = io.BytesIO()
    segno.make(address, error="m").save(buffer, kind="png", scale=10, border=2)
    return buffer.getvalue()


def join_banner(code: str, *, large: bool) -> None:
    """The join code, link and QR code, as the room sees them."""
    link = join_link(code)
    text_column, qr_column = st.columns([3, 1]) if large else (st.container(), None)
    text_column.markdown(t("workshop.join_at", link=link))
    text_column.markdown(f"## {plain(code)}")
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
    item: str, data: WorkspaceData, content: Content, room: list[Any], votes: list[tuple[str, int]], waiting: int
) -> None:
    """One guiding question or one action, as the room sees it."""
    kind, key = workshop.item_parts(item)
    if kind == "guiding":
        question = next(q for q in content.guiding_questions.questions if q.id == key)
        st.header(f"{question.number}. {question.text}")
        answer = data.answer_text(question.id)
        st.markdown(plain(answer) if answer.strip() else f"*{t('summary.no_answer')}*")
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
            st.markdown(t("workshop.votes_line", votes=joined((f"{n} ({c})" for n, c in votes[:8]), "; ")))
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
    return t_plain(
        "workshop.room_summary",
        placed=tn_plain("counts.stakeholders", len(room)),
        people=tn_plain("counts.people", max(r.count for r in room)),
    )


def item_title(item: str, content: Content) -> Markdown:
    kind, key = workshop.item_parts(item)
    if kind == "guiding":
        question = next(q for q in content.guiding_questions.questions if q.id == key)
        return t("workshop.item_question", number=question.number)
    if kind == "action":
        return t(f"nav.action{key}")
    return t("nav.checklist")
