"""The kick-off report as a PDF: cover, contents, every section of Step 1, charts, the register, sources.

Made with fpdf2 (pure Python, fonts embedded) and matplotlib charts: it needs no browser or system library,
so it works offline on any machine the app installs on. Text is shaped with HarfBuzz (uharfbuzz), so Arabic
joins and runs right to left; characters the font lacks (emoji, for example) are replaced by their names.
"""

from __future__ import annotations

import datetime as dt
import functools
import io
import unicodedata
from pathlib import Path
from typing import Any

import matplotlib
from fontTools.ttLib import TTFont
from fpdf import FPDF
from PIL import Image

from gcm_guide import chart_data, checklist, exports, progress, recommender, report_charts, snapshots
from gcm_guide.charts import PALETTE
from gcm_guide.content import DEFAULT_LANGUAGE, Content
from gcm_guide.i18n import get_language, local_date, local_time, t, tn
from gcm_guide.models import REGISTER_FIELDS
from gcm_guide.workspace_data import WorkspaceData

FONT_DIR = Path(matplotlib.get_data_path()) / "fonts" / "ttf"
FONT = "DejaVu"
FONT_FILES = {
    "": "DejaVuSans.ttf",
    "B": "DejaVuSans-Bold.ttf",
    "I": "DejaVuSans-Oblique.ttf",
    "BI": "DejaVuSans-BoldOblique.ttf",
}
ACCENT = (10, 79, 148)
MUTED = (90, 90, 90)
LINE = 5.2
BODY_TOP = 28  # mm: where text starts below the running header


@functools.cache
def _covered() -> frozenset[int]:
    """Code points both the regular and the bold font can draw: user text appears in both (bold lacks
    some the regular font has). Italics are kept for the guidance's own words, which they cover."""
    return frozenset.intersection(*(_code_points(FONT_DIR / FONT_FILES[style]) for style in ("", "B")))


def _code_points(path: Path) -> frozenset[int]:
    with TTFont(path, lazy=True) as font:  # closed here: a lazy font otherwise keeps its file open
        return frozenset(font.getBestCmap())


# Zero-width joiner and variation selectors: they only steer emoji, which are replaced anyway.
_INVISIBLE = {0x200D, 0xFE0E, 0xFE0F}


def needs_shaping(text: str) -> bool:
    """Whether the text has scripts that join or run right to left (Hebrew, Arabic, Indic, ...)."""
    return any(0x0590 <= ord(c) <= 0x1CFF or 0xFB1D <= ord(c) <= 0xFDFF or 0xFE70 <= ord(c) <= 0xFEFC for c in text)


def right_to_left(text: str) -> bool:
    """Whether the first strongly directional character reads right to left (Arabic, Hebrew, ...)."""
    for char in text:
        direction = unicodedata.bidirectional(char)
        if direction in ("R", "AL"):
            return True
        if direction == "L":
            return False
    return False


def printable(text: str) -> str:
    """The text with characters the font cannot draw replaced by their names, e.g. "[globe]"."""
    covered = _covered()
    out = []
    for char in text:
        code = ord(char)
        if code in _INVISIBLE or 0x1F3FB <= code <= 0x1F3FF:  # also skin-tone modifiers
            continue
        if code in covered or char in "\n\t":
            out.append(char)
        else:
            out.append(f"[{unicodedata.name(char, 'symbol').lower()}]")
    return "".join(out)


class KickoffPDF(FPDF):
    """A4 pages with a running header (and a draft marker until the checklist is complete) and page numbers."""

    def __init__(self, workspace_name: str, draft: bool) -> None:
        super().__init__(orientation="P", unit="mm", format="A4")
        self.workspace_name = workspace_name
        self.draft = draft
        self.set_margins(18, 20, 18)
        self.set_auto_page_break(True, margin=18)
        for style, file in FONT_FILES.items():
            self.add_font(FONT, style=style, fname=str(FONT_DIR / file))
        self.shaping = False
        self._word_widths: dict[tuple[str, float, bool], dict[str, float]] = {}
        self.set_font(FONT, size=10)
        self.set_title(printable(t("report.title", name=workspace_name)))
        self.set_creator("GCM Kick-off Guide")

    def shape_for(self, text: str) -> None:
        """Turn HarfBuzz shaping on only for text that needs it (it costs ~10x more per character)."""
        wanted = needs_shaping(text)
        if wanted != self.shaping:
            self.set_text_shaping(wanted)
            self.shaping = wanted

    # Every way text reaches the page switches shaping on for the text that needs it.
    def cell(self, w: float | None = None, h: float | None = None, text: str = "", *args: Any, **kwargs: Any) -> Any:
        self.shape_for(text)
        return super().cell(w, h, text, *args, **kwargs)

    def multi_cell(self, w: float, h: float | None = None, text: str = "", *args: Any, **kwargs: Any) -> Any:
        self.shape_for(text)
        return super().multi_cell(w, h, text, *args, **kwargs)

    def header(self) -> None:
        if self.page_no() == 1:
            return
        self.set_font(FONT, size=8)
        self.set_text_color(*MUTED)
        self.cell(0, 6, printable(t("report.running_head", name=self.workspace_name)), new_x="LMARGIN", new_y="NEXT")
        if self.draft:
            self.set_xy(self.l_margin, 20 - 6)
            self.set_text_color(180, 60, 0)
            self.set_font(FONT, "B", 8)
            self.cell(0, 6, t("report.draft_marker"), align="R")
        self.set_text_color(0, 0, 0)
        self.set_y(BODY_TOP)

    def footer(self) -> None:
        self.set_y(-12)
        self.set_font(FONT, size=8)
        self.set_text_color(*MUTED)
        self.cell(0, 6, t("report.page", page=self.page_no(), pages="{nb}"), align="C")
        self.set_text_color(0, 0, 0)

    # --- Building blocks -------------------------------------------------------------------------------------
    def heading(self, text: str, level: int = 0) -> None:
        if level == 0 and self.get_y() > BODY_TOP + 1:  # a new page, unless this one is still empty
            self.add_page(orientation="P")
        elif level > 0 and self.get_y() + 30 > self.page_break_trigger:
            self.add_page()  # keep a heading with what follows it
        self.start_section(printable(text), level=level)
        self.set_font(FONT, "B", 16 if level == 0 else 12)
        self.set_text_color(*ACCENT)
        self.multi_cell(0, 8 if level == 0 else 6.5, printable(text), align="L", new_x="LMARGIN", new_y="NEXT")
        self.set_text_color(0, 0, 0)
        self.ln(2)

    def paragraph(
        self, text: str, *, size: float = 10, style: str = "", color: tuple[int, int, int] | None = None
    ) -> None:
        """A block of text that wraps and flows over pages (markdown in it is left as typed)."""
        self.set_font(FONT, style, size)
        if color:
            self.set_text_color(*color)
        text = printable(text)
        height = LINE * size / 10
        if needs_shaping(text):
            # Right-to-left and joined scripts: fpdf2's own line breaking knows their order.
            self.shape_for(text)
            align = "R" if right_to_left(text) else "L"
            self.multi_cell(0, height, text, align=align, new_x="LMARGIN", new_y="NEXT")
        else:
            # Start where multi_cell() text starts (after its cell margin), so all text lines up.
            width = self.epw - 2 * self.c_margin
            for line in self._wrap(text, width, style, size):
                if self.get_y() + height > self.page_break_trigger:
                    self.add_page()
                self.write_lines([line], self.l_margin + self.c_margin, self.get_y(), width, height)
                self.set_y(self.get_y() + height)
        self.set_text_color(0, 0, 0)
        self.ln(1.5)

    def label_value(self, label: str, value: str) -> None:
        self.set_font(FONT, "B", 9)
        self.multi_cell(0, LINE, printable(label), align="L", new_x="LMARGIN", new_y="NEXT")
        self.paragraph(value or t("report.not_answered"), color=None if value else MUTED)

    def bullets(self, items: list[str]) -> None:
        self.set_font(FONT, size=10)
        for item in items:
            self.multi_cell(0, LINE, printable(f"•  {item}"), align="L", new_x="LMARGIN", new_y="NEXT")
        self.ln(1.5)

    def chart(self, png: bytes | None, summary: str) -> None:
        """A chart image at its drawn size (never stretched below 200 dpi), with its summary in words."""
        if png is not None:
            with Image.open(io.BytesIO(png)) as image:
                width_px, height_px = image.size
            width = min(self.epw, width_px / report_charts.DPI * 25.4)
            height = width * height_px / width_px
            if self.get_y() + height > self.page_break_trigger:
                self.add_page()
            self.image(io.BytesIO(png), x=self.l_margin, w=width, h=height)
        self.paragraph(summary, size=8.5, color=MUTED)

    def table_of(self, sheet: exports.Sheet, widths: tuple[float, ...], *, size: float = 7.5) -> None:
        """A table that breaks cleanly between rows and repeats its heading row on every page it spans.

        Drawn line by line rather than with fpdf2's table(), which measured every character again for
        each cell and took seconds for a 1,000-row register.
        """
        line = size * 0.45
        pad = 1.0
        headings = [printable(c.label) for c in sheet.columns]
        widths = self._fit_widths(
            widths, [headings, *([printable(_cell(v)) for v in row] for row in sheet.rows[:300])], size, pad
        )

        def draw(cells: list[list[str]], *, bold: bool) -> None:
            height = max(len(lines) for lines in cells) * line + 2 * pad
            if self.get_y() + height > self.page_break_trigger:
                self.add_page(orientation=self.cur_orientation.value)
                if not bold:
                    draw(
                        [self._wrap(h, w - 2 * pad, "B", size) for h, w in zip(headings, widths, strict=True)],
                        bold=True,
                    )
            top, x = self.get_y(), self.l_margin
            self.set_font(FONT, "B" if bold else "", size)
            if bold:
                self.set_fill_color(220, 230, 241)
                self.rect(x, top, sum(widths), height, style="F")
            for lines, width in zip(cells, widths, strict=True):
                self.rect(x, top, width, height)
                self.write_lines(lines, x + pad, top + pad, width - 2 * pad, line)
                x += width
            self.set_xy(self.l_margin, top + height)

        self.set_draw_color(170, 170, 170)
        self.set_line_width(0.15)
        draw([self._wrap(h, w - 2 * pad, "B", size) for h, w in zip(headings, widths, strict=True)], bold=True)
        for row in sheet.rows:
            draw(
                [self._wrap(printable(_cell(v)), w - 2 * pad, "", size) for v, w in zip(row, widths, strict=True)],
                bold=False,
            )
        self.set_draw_color(0, 0, 0)
        self.ln(3)

    def _fit_widths(
        self, weights: tuple[float, ...], rows: list[list[str]], size: float, pad: float
    ) -> tuple[float, ...]:
        """Column widths in proportion to `weights`, but each wide enough for its longest word (so words and
        dates are not broken), as far as the page allows."""
        self.set_font(FONT, "B", size)  # headings are bold: the widest case
        needed = [
            min(
                self.epw / 3,
                max((self.get_string_width(w) for row in rows for w in row[i].split()), default=0) + 2 * pad,
            )
            for i in range(len(weights))
        ]
        widths = [w * self.epw / sum(weights) for w in weights]
        if sum(needed) >= self.epw:
            return tuple(n * self.epw / sum(needed) for n in needed)
        for _ in range(len(widths)):
            short = [i for i, w in enumerate(widths) if w < needed[i] - 0.01]
            if not short:
                break
            extra = sum(needed[i] - widths[i] for i in short)
            for i in short:
                widths[i] = needed[i]
            roomy = [i for i in range(len(widths)) if i not in short]
            spare = sum(widths[i] - needed[i] for i in roomy)
            for i in roomy:
                widths[i] -= extra * (widths[i] - needed[i]) / spare if spare > 0 else 0
        return tuple(widths)

    def _wrap(self, text: str, width: float, style: str, size: float) -> list[str]:
        """Greedy word wrap to `width` mm (words measured once each), breaking words longer than a line."""
        self.set_font(FONT, style, size)
        self.shape_for(text)
        widths = self._word_widths.setdefault((style, size, self.shaping), {})

        def measure(word: str) -> float:
            found = widths.get(word)
            if found is None:
                found = widths[word] = self.get_string_width(word)
            return found

        space = measure(" ")
        lines: list[str] = []
        for paragraph in text.split("\n"):
            current: list[str] = []
            used = 0.0
            for word in paragraph.split(" "):
                size_of_word = measure(word)
                if current and used + space + size_of_word > width:
                    lines.append(" ".join(current))
                    current, used = [], 0.0
                while size_of_word > width and len(word) > 1:
                    cut = max(1, int(len(word) * width / size_of_word))
                    while cut > 1 and self.get_string_width(word[:cut]) > width:
                        cut -= 1
                    lines.append(word[:cut])
                    word = word[cut:]
                    size_of_word = measure(word)
                used = used + space + size_of_word if current else size_of_word
                current.append(word)
            lines.append(" ".join(current))
        return lines or [""]

    def write_lines(self, lines: list[str], x: float, top: float, width: float, line: float) -> None:
        """Draw wrapped lines; plain text goes straight onto the page, shaped text through cell()."""
        for number, text in enumerate(lines):
            if needs_shaping(text):
                self.shape_for(text)
                self.set_xy(x, top + number * line)
                self.cell(width, line, text)
            else:
                self.shape_for("")
                self.text(x, top + number * line + line * 0.78, text)


def _cell(value: Any) -> str:
    if value is None:
        return "—"
    if isinstance(value, dt.datetime):
        return local_time(value)
    if isinstance(value, dt.date):  # as the reader writes a date ("1 déc. 2026"), like the rest of the report
        return local_date(value)
    text = str(value)
    return text if len(text) <= 600 else text[:600] + "…"


def _toc(pdf: FPDF, sections: list[Any]) -> None:
    pdf.set_x(pdf.l_margin)
    pdf.set_font(FONT, "B", 16)
    pdf.set_text_color(*ACCENT)
    pdf.cell(0, 10, t("report.contents"), new_x="LMARGIN", new_y="NEXT")
    pdf.set_text_color(0, 0, 0)
    pdf.ln(2)
    for section in sections:
        pdf.set_font(FONT, "B" if section.level == 0 else "", 10 if section.level == 0 else 9)
        indent = 6 * section.level
        pdf.set_x(pdf.l_margin + indent)
        pdf.cell(pdf.epw - indent - 15, 6.5, section.name, link=pdf.add_link(page=section.page_number))
        pdf.cell(15, 6.5, str(section.page_number), align="R", new_x="LMARGIN", new_y="NEXT")


# --- The document -----------------------------------------------------------------------------------------------
def report_pdf(
    data: WorkspaceData,
    content: Content,
    *,
    today: dt.date | None = None,
    since: snapshots.Baseline | None = None,
) -> bytes:
    """The whole kick-off report for one workspace, as PDF bytes. `since`: a snapshot to compare with, in a
    first section "What changed since …"."""
    statuses = checklist.checklist_status(data, content)
    draft = not checklist.is_complete(statuses)
    workspace = data.workspace
    pdf = KickoffPDF(workspace.name, draft)

    # Cover
    pdf.add_page()
    pdf.set_y(60)
    pdf.set_font(FONT, "B", 11)
    pdf.set_text_color(*MUTED)
    pdf.multi_cell(0, 7, t("report.kicker"), align="L", new_x="LMARGIN", new_y="NEXT")
    pdf.set_text_color(*ACCENT)
    pdf.set_font(FONT, "B", 24)
    pdf.multi_cell(0, 11, printable(t("report.cover_title")), align="L", new_x="LMARGIN", new_y="NEXT")
    pdf.set_text_color(0, 0, 0)
    pdf.ln(4)
    pdf.set_font(FONT, "B", 16)
    pdf.multi_cell(0, 8, printable(workspace.name), align="L", new_x="LMARGIN", new_y="NEXT")
    pdf.set_font(FONT, size=12)
    place = " · ".join(x for x in (workspace.country, t(f"levels.{workspace.level}")) if x)
    pdf.multi_cell(0, 7, printable(place), align="L", new_x="LMARGIN", new_y="NEXT")
    pdf.multi_cell(
        0, 7, t("report.generated", date=local_date(today or dt.date.today())), new_x="LMARGIN", new_y="NEXT"
    )
    if get_language() != DEFAULT_LANGUAGE:
        pdf.ln(2)
        pdf.paragraph(t("app.translation_note"), size=9, color=MUTED)
    pdf.ln(10)
    if draft:
        pdf.set_draw_color(180, 60, 0)
        pdf.set_text_color(180, 60, 0)
        pdf.set_font(FONT, "B", 20)
        pdf.cell(60, 14, t("report.draft_stamp"), border=1, align="C", new_x="LMARGIN", new_y="NEXT")
        pdf.set_font(FONT, size=9)
        done = checklist.done_count(statuses)
        pdf.multi_cell(
            0, 6, t("report.draft_reason", done=done, total=len(statuses)), align="L", new_x="LMARGIN", new_y="NEXT"
        )
        pdf.set_text_color(0, 0, 0)
        pdf.set_draw_color(0, 0, 0)
    else:
        pdf.set_font(FONT, "B", 12)
        pdf.multi_cell(0, 7, t("report.complete"), align="L", new_x="LMARGIN", new_y="NEXT")

    pdf.add_page()
    pdf.insert_toc_placeholder(_toc, allow_extra_pages=True)  # the contents page; then a fresh page

    if since is not None:
        _changes_since(pdf, since, data, content)
    _guiding_questions(pdf, data, content)
    _stakeholders(pdf, data, content)
    _engagement(pdf, data, content)
    _setup(pdf, data, content)
    _awareness(pdf, data, content)
    _checklist(pdf, data, content, statuses)
    _sources(pdf, content)
    return bytes(pdf.output())


def _changes_since(pdf: KickoffPDF, since: snapshots.Baseline, data: WorkspaceData, content: Content) -> None:
    """What changed from a snapshot to now: the register, the grid, coverage, plans and statuses, the set-up."""
    result = snapshots.compare(since.data, data, content)
    pdf.heading(t("report.sections.changes_since", name=since.name))
    who = since.author or t("snapshots.owner")
    pdf.paragraph(t("snapshots.report_intro", name=since.name, when=local_time(since.created_at), who=who), color=MUTED)
    if result.unchanged:
        pdf.paragraph(t("snapshots.unchanged"))
        return
    pdf.heading(t("snapshots.register_title"), level=1)
    for heading, lines in (
        ("snapshots.added", snapshots.person_lines(result.added, content)),
        ("snapshots.removed", snapshots.person_lines(result.removed, content)),
        ("snapshots.renamed", snapshots.renamed_lines(result.renamed)),
    ):
        pdf.set_font(FONT, "B", 10)
        pdf.multi_cell(0, LINE, tn(heading, len(lines)), align="L", new_x="LMARGIN", new_y="NEXT")
        if lines:
            pdf.bullets(lines)
        else:
            pdf.ln(1.5)
    pdf.heading(tn("snapshots.moved", len(result.moved)), level=1)
    pdf.bullets(snapshots.move_lines(result.moved) or [t("snapshots.none")])
    pdf.heading(t("snapshots.coverage_title"), level=1)
    pdf.bullets(snapshots.coverage_lines(result, content))
    pdf.heading(t("snapshots.plans_title"), level=1)
    rows = snapshots.plan_status_rows(result, content)
    if rows:
        columns = tuple(exports.Column(t(f"snapshots.table.{k}")) for k in ("stakeholder", "what", "before", "after"))
        pdf.table_of(exports.Sheet(t("snapshots.plans_title"), columns, tuple(rows)), widths=(40, 34, 50, 50))
    else:
        pdf.paragraph(t("snapshots.none"), color=MUTED)
    pdf.heading(t("snapshots.decision_title"), level=1)
    pdf.bullets(snapshots.decision_lines(result, content))


def _guiding_questions(pdf: KickoffPDF, data: WorkspaceData, content: Content) -> None:
    pdf.heading(content.guiding_questions.title)
    for question in content.guiding_questions.questions:
        pdf.label_value(f"{question.number}. {question.text}", data.answer_text(question.id))


def _stakeholders(pdf: KickoffPDF, data: WorkspaceData, content: Content) -> None:
    pdf.heading(t("report.sections.stakeholders"))
    coverage = chart_data.group_coverage(data, content)
    pdf.chart(report_charts.bars_png(coverage, zero_text=t("charts.groups.none_yet")), coverage.summary)
    grid = chart_data.influence_interest(data, content)
    pdf.chart(report_charts.grid_png(grid), grid.summary)
    voices = chart_data.voices(data, content)
    pdf.chart(
        report_charts.bars_png(voices, zero_text=t("charts.voices.nobody_short"), color=PALETTE[2]),
        voices.summary,
    )
    pdf.heading(t("report.sections.gaps"), level=1)
    missing = progress.uncovered_groups(data, content)
    unspoken = progress.unspoken_voices(data, content)
    gaps = (
        [
            tn(
                "report.gap_groups",
                len(missing),
                total=len(coverage.bars),
                names=", ".join(content.group_names[g] for g in missing),
            )
        ]
        if missing
        else []
    )
    if unspoken:
        gaps.append(t("report.gap_voices", names=", ".join(v.name for v in unspoken)))
    pdf.bullets(gaps or [t("summary.no_gaps")])
    sheet = exports.stakeholders_sheet(data, content)
    # The short columns only (the long answers follow as text); compact headings fit narrow columns.
    headings = tuple(exports.Column(t(f"report.register.{key}")) for key in _REGISTER_HEADINGS)
    short = exports.Sheet(sheet.title, headings, tuple(row[: len(REGISTER_FIELDS)] for row in sheet.rows))
    if short.rows:
        # Nine columns: landscape pages, so names and groups are not cut inside words.
        pdf.add_page(orientation="L")
        pdf.heading(t("report.sections.register"), level=1)
        pdf.table_of(short, widths=(36, 34, 18, 22, 12, 12, 12, 34, 16))
        pdf.add_page(orientation="P")
    else:
        pdf.heading(t("report.sections.register"), level=1)
        pdf.paragraph(t("report.none_yet"), color=MUTED)
    understood = [s for s in data.stakeholders if progress.understand_answers(s)]
    if understood:
        pdf.heading(t("report.sections.understand"), level=1)
        for person in understood:
            pdf.set_font(FONT, "B", 10)
            pdf.multi_cell(0, LINE, printable(person.name), align="L", new_x="LMARGIN", new_y="NEXT")
            for question in content.action2.understand.questions:
                answer = getattr(person, question.id)
                if answer.strip():
                    pdf.paragraph(question.text, size=8, style="I", color=MUTED)
                    pdf.paragraph(answer, size=9)


_REGISTER_HEADINGS = ("name", "group", "level", "sector", "affected", "influence", "interest", "voices", "status")


def _engagement(pdf: KickoffPDF, data: WorkspaceData, content: Content) -> None:
    pdf.heading(t("report.sections.engagement"))
    matrix = chart_data.engagement(data, content)
    pdf.chart(report_charts.matrix_png(matrix, empty_message=t("charts.engagement.empty")), matrix.summary)
    sheet = exports.plans_sheet(data, content)
    if sheet.rows:
        short = exports.Sheet(sheet.title, sheet.columns[:6], tuple(row[:6] for row in sheet.rows))
        pdf.table_of(short, widths=(40, 30, 24, 34, 24, 22))
    planned = [(s, data.plans[s.id]) for s in data.stakeholders if s.id in data.plans]
    details = [(s, p) for s, p in planned if any(getattr(p, f).strip() for f in _PLAN_TEXTS)]
    if details:
        pdf.heading(t("report.sections.plan_details"), level=1)
        for person, plan in details:
            pdf.set_font(FONT, "B", 10)
            pdf.multi_cell(0, LINE, printable(person.name), align="L", new_x="LMARGIN", new_y="NEXT")
            for field in _PLAN_TEXTS:
                if getattr(plan, field).strip():
                    pdf.paragraph(t(f"fields.{field}"), size=8, style="I", color=MUTED)
                    pdf.paragraph(getattr(plan, field), size=9)


_PLAN_TEXTS = (
    "time_and_resources",
    "capacity_development",
    "fair_representation",
    "accessibility_measures",
    "information_to_share",
)


def _setup(pdf: KickoffPDF, data: WorkspaceData, content: Content) -> None:
    pdf.heading(t("report.sections.setup"))
    recommendation = recommender.recommend_for(data, content)
    decision = data.decision
    chosen = content.option_names.get(decision.chosen_option, "") if decision and decision.chosen_option else ""
    pdf.label_value(t("fields.chosen_option"), chosen)
    if recommendation.option:
        pdf.label_value(
            t("report.recommended"),
            t(
                "report.recommended_value",
                option=content.option_names[recommendation.option],
                strength=t(f"setup.rec.strength.{recommendation.strength}"),
            ),
        )
    else:
        pdf.label_value(t("report.recommended"), t("report.no_recommendation"))
    if (
        decision
        and decision.chosen_option
        and recommendation.option
        and decision.chosen_option != recommendation.option
    ):
        pdf.label_value(t("fields.deviation_reason"), decision.deviation_reason)
    pdf.label_value(t("fields.lead_bodies"), decision.lead_bodies if decision else "")
    pdf.label_value(t("fields.rationale"), decision.rationale if decision else "")
    if recommendation.option:
        pdf.paragraph(
            t(
                f"report.because.{recommendation.strength or 'balanced'}",
                option=content.option_names[recommendation.option],
            )
        )
        pdf.bullets([c.explanation for c in recommendation.reasons_for()])
        against = recommendation.reasons_against()
        if against:
            pdf.paragraph(t("setup.rec.against"))
            pdf.bullets([c.explanation for c in against])
    if recommendation.lead_bodies:
        pdf.label_value(
            t("setup.rec.leads_title"),
            "; ".join(
                t("setup.rec.lead_line", name=lead.name, why=lead.candidate) for lead in recommendation.lead_bodies[:6]
            ),
        )
    if recommendation.contributions:
        pdf.heading(t("report.sections.reasons"), level=1)
        pdf.paragraph(t("setup.rec.own_reading"), size=8, style="I", color=MUTED)
        pdf.bullets([t("report.reason_line", **c.reason_fields()) for c in recommendation.contributions])
    pdf.heading(t("setup.rec.caveats_title"), level=1)
    pdf.bullets(list(recommendation.caveats))
    pdf.heading(t("setup.work_processes_title"), level=1)
    pdf.label_value(t("fields.terms_of_reference"), decision.terms_of_reference if decision else "")
    pdf.label_value(t("fields.work_plan"), decision.work_plan if decision else "")
    roles = exports.roles_sheet(data, content)
    if roles.rows:
        pdf.heading(t("setup.roles_title"), level=1)
        pdf.table_of(roles, widths=(40, 20, 50, 28, 36))


def _awareness(pdf: KickoffPDF, data: WorkspaceData, content: Content) -> None:
    pdf.heading(t("report.sections.awareness"))
    matrix = chart_data.awareness(data, content)
    pdf.chart(report_charts.matrix_png(matrix, empty_message=t("charts.awareness.empty")), matrix.summary)
    timeline = report_charts.timeline_png(matrix)
    if timeline is not None:
        pdf.chart(timeline, "")
    sheet = exports.activities_sheet(data, content)
    if sheet.rows:
        pdf.table_of(sheet, widths=(30, 20, 22, 36, 16, 16, 14, 10, 10), size=7)


def _checklist(pdf: KickoffPDF, data: WorkspaceData, content: Content, statuses: list[checklist.ItemStatus]) -> None:
    pdf.heading(content.checklist.title)
    progress_data = chart_data.checklist_progress(statuses, content)
    pdf.chart(report_charts.checklist_png(progress_data), progress_data.summary)
    for number, (item, status) in enumerate(zip(content.checklist.items, statuses, strict=True), start=1):
        pdf.set_font(FONT, "B", 10)
        pdf.multi_cell(0, LINE, printable(f"{number}. {item.text}"), align="L", new_x="LMARGIN", new_y="NEXT")
        line = t(
            "report.checklist_status",
            status=t(f"checklist_status.{status.status}"),
            suggested=t(f"checklist_status.{status.suggested.status}"),
        )
        pdf.paragraph(line, size=9, color=MUTED)
        if status.notes.strip():
            pdf.paragraph(status.notes, size=9)


def _sources(pdf: KickoffPDF, content: Content) -> None:
    pdf.heading(t("report.sections.sources"))
    pdf.paragraph(t("report.sources_intro"), size=9, color=MUTED)
    for note in content.footnotes:
        pdf.paragraph(f"{note.number}. {note.source}", size=9)
