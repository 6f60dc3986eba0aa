"""The workshop as the room and the facilitator see it: the join bar (code, link, QR code, who is connected) on
every projected screen, one projected item at a time with the room's results, and the room's results on the
facilitator's console."""

from __future__ import annotations

import io
import ipaddress
from urllib.parse import urlsplit

import plotly.graph_objects as go
import segno
import streamlit as st

from gcm_guide import charts, recommender, room, workshop
from gcm_guide.content import Content
from gcm_guide.models import WorkshopSession
from gcm_guide.web.charts_view import awareness_charts, checklist_chart, engagement_charts, show
from gcm_guide.web.frame import bullet_list
from gcm_guide.web.resources import read, settings
from gcm_guide.web.text import Markdown, plain, t, t_plain, tn, tn_plain
from gcm_guide.workspace_data import WorkspaceData

# Projected charts have no toolbar: nobody in a room can use it, and it hides the title.
ROOM_CHART_CONFIG = {"displayModeBar": False, "staticPlot": False, "responsive": True}


# --- The join link -------------------------------------------------------------------------------------------------
def public_base() -> str:
    """The address phones use: the configured public address, else the one the facilitator's browser used."""
    configured = settings().gcm_public_url.strip().rstrip("/")
    if configured:
        return configured
    parts = urlsplit(st.context.url or "")
    return f"{parts.scheme}://{parts.netloc}" if parts.scheme and parts.netloc else ""


def join_link(code: str) -> str:
    """The address participants open: the app's public address, on the join page, with the code."""
    return f"{public_base()}/join?code={code}"


def unreachable_from_phones(address: str) -> bool:
    """Whether an address names this computer only (localhost, 127.0.0.1, ::1): a phone cannot open it."""
    host = urlsplit(address).hostname or ""
    if host in ("localhost", "0.0.0.0", ""):  # noqa: S104 - a check, not a bind
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return host.endswith(".localhost")


def qr_png(address: str) -> bytes:
    buffer = io.BytesIO()
    segno.make(address, error="m").save(buffer, kind="png", scale=10, border=2)
    return buffer.getvalue()


def join_bar(live: WorkshopSession, *, large: bool) -> None:
    """The join code, link and QR code, and how many phones are connected: on every projected screen."""
    link = join_link(live.code)
    people = read(room.connected, session_id=live.id)
    with st.container(border=True, key="join_bar_large" if large else "join_bar"):
        text_column, qr_column = st.columns([4, 1], vertical_alignment="center")
        text_column.markdown(t("workshop.join_line", code=live.code, link=link))
        text_column.markdown(tn("workshop.connected", people))
        qr_column.image(qr_png(link), width=150 if large else 110)


# --- Projected items ---------------------------------------------------------------------------------------------
PRESENTER_STYLE = """
<style>
/* Projection: no sidebar or toolbar; body text at least 32 px at 1280×720; strong contrast; one screen high. */
[data-testid="stSidebar"], [data-testid="stSidebarCollapsedControl"], [data-testid="stToolbar"],
header[data-testid="stHeader"] { display: none !important; }
.block-container { padding: 0.6rem 2rem 0 2rem !important; max-width: 100% !important; }
.stMarkdown p, .stMarkdown li { font-size: 2rem !important; line-height: 1.3 !important; }
h1 { font-size: 2.8rem !important; padding: 0 !important; }
h2 { font-size: 2.5rem !important; padding: 0.2rem 0 !important; }
[data-testid="stCaptionContainer"] p { font-size: 1.6rem !important; }
[data-testid^="stBaseButton"] { min-height: 3.2rem !important; }
[data-testid^="stBaseButton"] p { font-size: 1.6rem !important; }
.st-key-room_answers [data-testid="stVerticalBlockBorderWrapper"] p { font-size: 1.9rem !important; }
</style>
"""


def presenter_style() -> None:
    """Static styling for the projected page (no user text involved)."""
    st.html(PRESENTER_STYLE)


def item_title(item: str, content: Content) -> Markdown:
    kind, key = workshop.item_parts(item)
    if kind == "guiding":
        question = next(q for q in content.guiding_questions.questions if q.id == key)
        return t("workshop.item_question", number=question.number)
    if kind == "action":
        return t("workshop.item_action", number=key)
    return t("nav.checklist")


ANSWERS_SHOWN = 6  # answer cards on one projected screen: more would not fit without scrolling


def _chart(figure: go.Figure, summary: str, key: str) -> None:
    st.plotly_chart(figure, theme=None, config=ROOM_CHART_CONFIG, alt=summary, key=key)


def projected_item(item: str, data: WorkspaceData, content: Content, live: WorkshopSession | None) -> None:
    """One guiding question or one action, as the room sees it, with the room's results unless hidden."""
    kind, key = workshop.item_parts(item)
    results = live is not None and live.show_results
    if kind == "guiding":
        question = next(q for q in content.guiding_questions.questions if q.id == key)
        st.header(f"{question.number}. {question.text}")
        if live is None:
            return
        if not results:
            st.caption(t("workshop.room.hidden"))
            return
        answers = read(room.answers_to, session_id=live.id, question_id=question.id, limit=ANSWERS_SHOWN + 1)
        if not answers:
            st.caption(t("workshop.room.no_answers"))
            return
        with st.container(key="room_answers"):
            columns = st.columns(3)
            for index, answer in enumerate(answers[:ANSWERS_SHOWN]):
                with columns[index % 3].container(border=True):
                    st.markdown(plain(answer.text if len(answer.text) < 160 else answer.text[:157] + "…"))
                    st.caption(plain(answer.author))
        if len(answers) > ANSWERS_SHOWN:
            st.caption(t("workshop.room.more_answers"))
        return
    if kind == "action" and key == "1":
        st.header(t("action.title", number=1, title=content.action1.title))
        if not results:
            show("coverage", data, content, key="presenter_coverage")
            return
        votes_column, grid_column = st.columns(2)
        votes = read(room.vote_counts, workspace_id=data.workspace.id or 0)
        with votes_column:
            summary = "; ".join(f"{name}: {count}" for name, count in votes[:8]) or t_plain("workshop.room.no_votes")
            _chart(charts.votes_figure(votes, t_plain("workshop.room.votes_title"), height=400), summary, "room_votes")
        with grid_column:
            cells = read(room.heat, workspace_id=data.workspace.id or 0)
            summary = tn_plain("workshop.room.heat_summary", sum(cells.values()))
            _chart(charts.heat_figure(cells, t_plain("workshop.room.heat_title"), height=400), summary, "room_heat")
        return
    if kind == "action" and key == "2":
        st.header(t("action.title", number=2, title=content.action2.title))
        engagement_charts(data, content, key="presenter_engagement")
        return
    if kind == "action" and key == "3":
        st.header(t("action.title", number=3, title=content.action3.title))
        advice = recommender.recommend_for(data, content)
        if advice.option is None:
            st.markdown(t("setup.rec.missing") if not advice.ready else t("setup.rec.even"))
            return
        strength = advice.strength or "balanced"
        st.markdown(t(f"setup.rec.points_to.{strength}", option=content.option_names[advice.option]))
        st.markdown(bullet_list([c.explanation for c in advice.reasons_for(limit=3)]))
        return
    if kind == "action" and key == "4":
        st.header(t("action.title", number=4, title=content.action4.title))
        awareness_charts(data, content, key="presenter_awareness")
        return
    st.header(content.checklist.title)
    checklist_chart(data, content, key="presenter_checklist")
