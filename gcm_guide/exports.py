"""Tables of a workspace for people: an Excel workbook (one sheet per register), a CSV of the stakeholder
register, and the same rows for the PDF report.

Cells are written as values, never as formulas: a name beginning with "=" stays text in Excel, and in the
CSV it gets a leading apostrophe, as spreadsheets expect, so it cannot run as a formula.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import re
from dataclasses import dataclass
from typing import Any

from openpyxl import Workbook
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter

from gcm_guide import checklist, progress
from gcm_guide.content import Content
from gcm_guide.i18n import t
from gcm_guide.models import REGISTER_FIELDS, EngagementPlanBase
from gcm_guide.workspace_data import WorkspaceData

Cell = str | int | float | dt.date | None
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


@dataclass(frozen=True)
class Column:
    label: str
    long: bool = False  # long text: wrap it and give the column room


@dataclass(frozen=True)
class Sheet:
    title: str
    columns: tuple[Column, ...]
    rows: tuple[tuple[Cell, ...], ...]


def _join(values: list[str]) -> str:
    return "; ".join(values)


def stakeholders_sheet(data: WorkspaceData, content: Content) -> Sheet:
    """The stakeholder register, in guidance group order."""
    order = {g.id: i for i, g in enumerate(content.action1.stakeholder_groups)}
    people = sorted(data.stakeholders, key=lambda s: (order.get(s.group_id, 99), s.name.casefold()))
    columns = (
        *(Column(t(f"fields.{name}"), long=name == "voices") for name in REGISTER_FIELDS),
        *(Column(t(f"fields.{name}"), long=True) for name in progress.UNDERSTAND_FIELDS),
        Column(t("fields.lead_candidate")),
    )
    rows = tuple(
        (
            s.name,
            content.group_names.get(s.group_id, s.group_id),
            t(f"levels.{s.government_level}") if s.government_level else None,
            s.sector or None,
            s.affected,
            s.influence,
            s.interest,
            _join([progress.voice_label(v, content) for v in s.voices]) or None,
            t(f"status.{s.engagement_status}"),
            s.engagement_in_governance or None,
            s.role_and_interest or None,
            s.conflicts_of_interest or None,
            s.trust_building or None,
            content.lead_candidate_names.get(s.lead_candidate or "") or None,
        )
        for s in people
    )
    return Sheet(t("exports.sheets.stakeholders"), columns, rows)


def plans_sheet(data: WorkspaceData, content: Content) -> Sheet:
    """One row per stakeholder: its engagement plan, or a note that it has none yet."""
    columns = (
        Column(t("fields.name")),
        Column(t("fields.group_id")),
        Column(t("fields.participation_level")),
        Column(t("fields.mechanisms"), long=True),
        Column(t("fields.mediums")),
        Column(t("fields.phases")),
        Column(t("fields.time_and_resources"), long=True),
        Column(t("fields.capacity_development"), long=True),
        Column(t("fields.fair_representation"), long=True),
        Column(t("fields.accessibility_measures"), long=True),
        Column(t("fields.information_to_share"), long=True),
    )
    rows = []
    for s in data.stakeholders:
        plan = data.plan_for(s)
        if plan is None or not _has_content(plan):
            unplanned = (s.name, content.group_names.get(s.group_id), t("exports.no_plan"))
            rows.append((*unplanned, *([None] * (len(columns) - len(unplanned)))))
            continue
        rows.append(
            (
                s.name,
                content.group_names.get(s.group_id),
                content.participation_level_names.get(plan.participation_level or "", None),
                _join([content.mechanism_names.get(m, m) for m in plan.mechanisms]) or None,
                _join([content.medium_names.get(m, m) for m in plan.mediums]) or None,
                _join([content.phase_names.get(m, m) for m in plan.phases]) or None,
                plan.time_and_resources or None,
                plan.capacity_development or None,
                plan.fair_representation or None,
                plan.accessibility_measures or None,
                plan.information_to_share or None,
            )
        )
    return Sheet(t("exports.sheets.plans"), columns, tuple(rows))


def _has_content(plan: Any) -> bool:
    """Whether a plan holds anything at all (even without a mechanism or level chosen yet)."""
    return any(bool(getattr(plan, name)) for name in EngagementPlanBase.model_fields)


def activities_sheet(data: WorkspaceData, content: Content) -> Sheet:
    columns = (
        Column(t("fields.title")),
        Column(t("fields.audience")),
        Column(t("fields.activity_type")),
        Column(t("fields.objective"), long=True),
        Column(t("fields.starts_on")),
        Column(t("fields.ends_on")),
        Column(t("fields.timing_note")),
        Column(t("fields.lead")),
        Column(t("fields.status")),
    )
    rows = tuple(
        (
            a.title,
            content.audience_names.get(a.audience, a.audience),
            content.activity_type_names.get(a.activity_type, a.activity_type),
            a.objective or None,
            a.starts_on,
            a.ends_on,
            a.timing_note or None,
            a.lead or None,
            t(f"activity_status.{a.status}"),
        )
        for a in data.activities
    )
    return Sheet(t("exports.sheets.activities"), columns, rows)


def answers_sheet(data: WorkspaceData, content: Content) -> Sheet:
    """The guiding-question answers, the set-up criteria answers and the set-up decision."""
    columns = (
        Column(t("exports.section")),
        Column(t("fields.question"), long=True),
        Column(t("fields.answer"), long=True),
        Column(t("fields.note"), long=True),
    )
    rows: list[tuple[Cell, ...]] = []
    for q in content.guiding_questions.questions:
        rows.append((content.guiding_questions.title, f"{q.number}. {q.text}", data.answer_text(q.id) or None, None))
    action3 = content.action3
    for c in action3.criteria:
        saved = data.setup_answers.get(c.id)
        scale = {o.id: o.name for o in action3.answer_scales[c.scale]}
        answer = scale.get(saved.answer) if saved and saved.answer else None
        if answer and saved and saved.body:
            answer = t("exports.answer_with_body", answer=answer, body=saved.body)
        rows.append((action3.title, c.question, answer, saved.note if saved and saved.note else None))
    decision = data.decision
    if decision is not None:
        for field in ("chosen_option", "recommended_option"):
            value = getattr(decision, field)
            rows.append((action3.title, t(f"fields.{field}"), content.option_names.get(value) if value else None, None))
        for field in ("deviation_reason", "lead_bodies", "rationale", "terms_of_reference", "work_plan"):
            rows.append((action3.title, t(f"fields.{field}"), getattr(decision, field) or None, None))
    return Sheet(t("exports.sheets.answers"), columns, tuple(rows))


def roles_sheet(data: WorkspaceData, content: Content) -> Sheet:
    columns = (
        Column(t("fields.body")),
        Column(t("fields.role")),
        Column(t("fields.responsibilities"), long=True),
        Column(t("fields.reports_to")),
        Column(t("fields.reporting_duties"), long=True),
    )
    rows = tuple(
        (r.body, t(f"roles.{r.role}"), r.responsibilities or None, r.reports_to or None, r.reporting_duties or None)
        for r in data.roles
    )
    return Sheet(t("exports.sheets.roles"), columns, rows)


def checklist_sheet(data: WorkspaceData, content: Content) -> Sheet:
    columns = (
        Column(t("checklist.item"), long=True),
        Column(t("checklist.suggested_short")),
        Column(t("fields.status")),
        Column(t("fields.notes"), long=True),
    )
    rows = tuple(
        (
            item.text,
            t(f"checklist_status.{status.suggested.status}"),
            t(f"checklist_status.{status.status}"),
            status.notes or None,
        )
        for item, status in zip(content.checklist.items, checklist.checklist_status(data, content), strict=True)
    )
    return Sheet(t("exports.sheets.checklist"), columns, rows)


def all_sheets(data: WorkspaceData, content: Content) -> list[Sheet]:
    return [
        stakeholders_sheet(data, content),
        plans_sheet(data, content),
        activities_sheet(data, content),
        answers_sheet(data, content),
        roles_sheet(data, content),
        checklist_sheet(data, content),
    ]


# --- Excel --------------------------------------------------------------------------------------------------
EXCEL_CELL_LIMIT = 32_767  # characters; Excel keeps no more, and openpyxl would cut silently


def _fits_a_cell(value: Cell) -> Cell:
    if isinstance(value, str) and len(value) > EXCEL_CELL_LIMIT:
        note = t("exports.cut", limit=f"{EXCEL_CELL_LIMIT:,}")
        return value[: EXCEL_CELL_LIMIT - len(note) - 1] + "…" + note
    return value


_HEADER_FILL = PatternFill("solid", fgColor="DCE6F1")


_WRAP = Alignment(wrap_text=True, vertical="top")


def workbook_bytes(data: WorkspaceData, content: Content) -> bytes:
    """An .xlsx workbook: one sheet per register, bold frozen headers, sized and wrapped columns."""
    book = Workbook()
    book.remove(book.active)
    for sheet in all_sheets(data, content):
        ws = book.create_sheet(sheet.title[:31])  # Excel's limit on sheet names
        ws.append([c.label for c in sheet.columns])
        for cell in ws[1]:
            cell.font = Font(bold=True)
            cell.fill = _HEADER_FILL
            cell.alignment = _WRAP
        # Cells are addressed by number: openpyxl's ws.max_row and ws[row] scan every cell written so far,
        # which made a 5,000-row register take seconds per sheet.
        for row_number, row in enumerate(sheet.rows, start=2):
            for column_number, value in enumerate(row, start=1):
                cell = ws.cell(row=row_number, column=column_number, value=_fits_a_cell(value))
                if isinstance(cell.value, str):
                    cell.data_type = "s"  # never a formula, whatever the text starts with
                    cell.alignment = _WRAP
                elif isinstance(cell.value, dt.date):
                    cell.number_format = "yyyy-mm-dd"
        for index, column in enumerate(sheet.columns, start=1):
            values = [column.label] + [str(row[index - 1]) for row in sheet.rows if row[index - 1] is not None]
            widest = max((max(len(line) for line in v.split("\n")) for v in values), default=10)
            ws.column_dimensions[get_column_letter(index)].width = min(max(12, widest + 2), 60 if column.long else 40)
        ws.freeze_panes = "A2"
        if sheet.rows:
            ws.auto_filter.ref = ws.dimensions
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


# --- CSV ----------------------------------------------------------------------------------------------------
def _csv_safe(value: Cell) -> Any:
    if isinstance(value, str) and value.startswith(_FORMULA_START):
        return "'" + value
    return "" if value is None else value


def stakeholders_csv(data: WorkspaceData, content: Content) -> bytes:
    """The stakeholder register as CSV (UTF-8 with a byte-order mark, so Excel reads accents correctly)."""
    sheet = stakeholders_sheet(data, content)
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow([c.label for c in sheet.columns])
    for row in sheet.rows:
        writer.writerow([_csv_safe(v) for v in row])
    return ("\ufeff" + buffer.getvalue()).encode("utf-8")


# --- File names -------------------------------------------------------------------------------------------------
MEDIA_TYPES = {
    "report": "application/pdf",
    "workbook": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "register_csv": "text/csv",
    "backup": "application/json",
}
_EXTENSIONS = {"report": "pdf", "workbook": "xlsx", "register_csv": "csv", "backup": "json"}
# Characters no common file system accepts in a name, and control characters.
_NOT_IN_FILE_NAMES = re.compile(r'[\\/:*?"<>|\x00-\x1f\x7f]+')
MAX_FILE_STEM = 120


def file_name(workspace_name: str, kind: str) -> str:
    """The name a downloaded file gets: the workspace's name as the team wrote it ("Portugal – National
    Implementation Plan.pdf"), with only what file systems refuse replaced."""
    stem = " ".join(_NOT_IN_FILE_NAMES.sub(" ", workspace_name).split()).strip(" .") or t("files.workspace")
    stem = stem[:MAX_FILE_STEM].rstrip(" .")
    suffix = t(f"files.suffix.{kind}") if kind in ("register_csv", "backup") else ""
    return f"{stem}{f' – {suffix}' if suffix else ''}.{_EXTENSIONS[kind]}"
