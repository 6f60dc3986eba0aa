"""Import a stakeholder list from a spreadsheet (CSV or Excel): read it, map its columns, preview every row
with its problems, then add the good rows to the register together.
"""

from __future__ import annotations

import csv
import functools
import io
import itertools
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

import openpyxl
import pandas as pd
from pydantic import ValidationError
from sqlmodel import Session

from gcm_guide import store
from gcm_guide.content import DATA_DIR, DEFAULT_LANGUAGE, Content, content_file, read_yaml
from gcm_guide.errors import InputError, Problem
from gcm_guide.i18n import describe_problem, get_language, t
from gcm_guide.models import ENGAGEMENT_STATUSES, GOVERNMENT_LEVELS, REGISTER_FIELDS, StakeholderCreate, name_key

FIELDS = REGISTER_FIELDS
MAX_BYTES = 5 * 1024 * 1024
MAX_ROWS = 5_000
# A file under MAX_BYTES may hold one long cell; the csv module refuses cells over 128 KiB by default.
csv.field_size_limit(max(csv.field_size_limit(), MAX_BYTES))


@functools.cache
def vocabulary(language: str = DEFAULT_LANGUAGE) -> dict[str, Any]:
    return read_yaml(content_file("spreadsheet_import.yaml", language, DATA_DIR))


def _norm(text: Any) -> str:
    return " ".join(str(text).replace("_", " ").replace("-", " ").split()).casefold()


def _delimiter(text: str) -> str:
    """The separator of a CSV: of , ; and tab, one that splits the heading at all, then the one that splits
    the first lines into as many cells as the heading most often, then into the most cells (Excel in many
    European locales writes ;, and a quoted heading may hold commas)."""

    def fit(separator: str) -> tuple[bool, int, int]:
        reader = csv.reader(io.StringIO(text, newline=""), delimiter=separator)
        widths = [len(cells) for cells in itertools.islice(reader, 50) if cells and any(c.strip() for c in cells)]
        if not widths:
            return (False, 0, 0)
        return (widths[0] > 1, sum(width == widths[0] for width in widths), widths[0])

    return max((",", ";", "\t"), key=fit)


def _csv_rows(text: str) -> list[tuple[int, list[str]]]:
    """Every record of a CSV with the file line it ends on."""
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=_delimiter(text), strict=True)
    return [(reader.line_num, record) for record in reader]


def _xlsx_rows(raw: bytes) -> list[tuple[int, list[str]]]:
    """Every row of the first sheet, blank ones included, as text cells."""
    workbook = openpyxl.load_workbook(io.BytesIO(raw), read_only=True, data_only=True)
    try:
        sheet = workbook.worksheets[0]
        return [
            (number, ["" if value is None else str(value) for value in values])
            for number, values in enumerate(sheet.iter_rows(values_only=True), start=1)
        ]
    finally:
        workbook.close()


def _blank(cells: Sequence[str]) -> bool:
    return not any(cell.strip() for cell in cells)


def read_table(raw: bytes, file_name: str) -> pd.DataFrame:
    """The first sheet of an .xlsx file, or a CSV file, as text cells; InputError if it cannot be read.

    The first non-blank row is the heading. Blank rows stay in the table so that row numbers in the
    preview match the spreadsheet (``frame.attrs["heading_row"]`` is the heading's row number). A row with
    more filled cells than the heading is refused rather than guessed at.
    """
    if len(raw) > MAX_BYTES:
        raise InputError.single("file", "import_too_large", limit_mb=MAX_BYTES // 1024 // 1024)
    try:
        if file_name.lower().endswith((".xlsx", ".xlsm")):
            lines = _xlsx_rows(raw)
        else:
            try:
                text = raw.decode("utf-8-sig")
            except UnicodeDecodeError:
                text = raw.decode("cp1252", errors="replace")  # spreadsheets saved by older Excel versions
            lines = _csv_rows(text)
    except Exception as exc:
        raise InputError.single("file", "import_unreadable") from exc
    first = next((i for i, (_, cells) in enumerate(lines) if not _blank(cells)), None)
    if first is None:
        raise InputError.single("file", "import_empty")
    heading = [cell.strip() for cell in lines[first][1]]
    while heading and not heading[-1]:
        heading.pop()  # trailing separators after the last heading
    width = len(heading)
    records = []
    for line, cells in lines[first + 1 :]:
        extra = cells[width:]
        if not _blank(extra):
            filled = width + max(i for i, cell in enumerate(extra) if cell.strip()) + 1
            raise InputError.single("file", "import_bad_line", line=line, expected=width, seen=filled)
        records.append((cells[:width] + [""] * width)[:width])
    while records and _blank(records[-1]):
        records.pop()
    if not records:
        raise InputError.single("file", "import_empty")
    if sum(not _blank(r) for r in records) > MAX_ROWS:
        raise InputError.single("file", "import_too_many_rows", limit=MAX_ROWS)
    columns = [c or f"({i + 1})" for i, c in enumerate(heading)]
    frame = pd.DataFrame(records, columns=pd.Index(columns, dtype=object), dtype=object)
    frame.attrs["heading_row"] = first + 1
    return frame


def guess_mapping(columns: Sequence[str], language: str | None = None) -> dict[str, str | None]:
    """For each stakeholder field, the spreadsheet column whose heading matches it (or None)."""
    words = vocabulary(language or get_language())["columns"]
    by_heading = {_norm(c): c for c in columns}
    mapping: dict[str, str | None] = {}
    for field_name in FIELDS:
        mapping[field_name] = next((by_heading[_norm(w)] for w in words[field_name] if _norm(w) in by_heading), None)
    return mapping


@dataclass
class ImportRow:
    number: int  # as in the spreadsheet, counting the heading row as 1
    data: dict[str, Any]
    problems: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.problems


def _lookup(content: Content, language: str) -> dict[str, dict[str, str]]:
    synonyms = vocabulary(language).get("group_synonyms", {})
    groups = {_norm(g.name): g.id for g in content.action1.stakeholder_groups}
    groups |= {_norm(g.id): g.id for g in content.action1.stakeholder_groups}
    for group_id, words in synonyms.items():
        for word in words:
            groups.setdefault(_norm(word), group_id)
    levels = {_norm(level): level for level in GOVERNMENT_LEVELS} | {
        _norm(t(f"levels.{lv}")): lv for lv in GOVERNMENT_LEVELS
    }
    statuses = {_norm(s): s for s in ENGAGEMENT_STATUSES} | {_norm(t(f"status.{s}")): s for s in ENGAGEMENT_STATUSES}
    voices = {_norm(v.name): v.id for v in content.action1.underrepresented_voices}
    voices |= {_norm(v.id): v.id for v in content.action1.underrepresented_voices}
    return {"group_id": groups, "government_level": levels, "engagement_status": statuses, "voices": voices}


def _score(value: str) -> int | str | None:
    text = value.strip()
    if not text:
        return None
    try:
        number = float(text.replace(",", "."))
    except ValueError:
        return text  # left for validation to refuse with its message
    return int(number) if number.is_integer() else text


def preview(
    frame: pd.DataFrame,
    mapping: Mapping[str, str | None],
    content: Content,
    existing_names: Sequence[str] = (),
    language: str | None = None,
) -> list[ImportRow]:
    """Every spreadsheet row as the stakeholder it would become, with the problems that would stop it."""
    lookup = _lookup(content, language or get_language())
    taken = {name_key(n) for n in existing_names}
    rows: list[ImportRow] = []
    first_row = frame.attrs.get("heading_row", 1) + 1
    for index, record in enumerate(frame.to_dict(orient="records"), start=first_row):
        cell = {f: str(record.get(column, "")).strip() if column else "" for f, column in mapping.items()}
        if not any(cell.values()):
            continue  # blank line
        row = ImportRow(index, {})
        data = row.data
        data["name"] = cell.get("name", "")
        for choice in ("group_id", "government_level", "engagement_status"):
            value = cell.get(choice, "")
            if value:
                found = lookup[choice].get(_norm(value))
                if found is None:
                    row.problems.append(describe_problem(Problem(choice, "unknown_choice", {"value": value})))
                data[choice] = found
        if not data.get("engagement_status"):
            data.pop("engagement_status", None)
        data["sector"] = cell.get("sector", "")
        for score in ("affected", "influence", "interest"):
            data[score] = _score(cell.get(score, ""))
        voices_text = cell.get("voices", "")
        parts = [p.strip() for p in voices_text.replace(";", ",").split(",") if p.strip()]
        data["voices"] = [lookup["voices"].get(_norm(p), p) for p in parts]
        if not cell.get("group_id"):
            row.problems.append(describe_problem(Problem("group_id", "missing", {})))
        reported = {"group_id"} if not data.get("group_id") else set()
        reported |= {
            choice for choice in ("government_level", "engagement_status") if cell.get(choice) and not data.get(choice)
        }
        try:
            StakeholderCreate.model_validate({k: v for k, v in data.items() if v is not None})
        except ValidationError as exc:
            problems = InputError.from_validation(exc).problems
            row.problems += [describe_problem(p) for p in problems if p.field.split(".")[0] not in reported]
        key = name_key(data["name"]) if data["name"] else ""
        if key and key in taken:
            row.problems.append(describe_problem(Problem("name", "duplicate_stakeholder", {"name": data["name"]})))
        taken.add(key)
        rows.append(row)
    return rows


def import_rows(*, session: Session, workspace_id: int, rows: Sequence[ImportRow]) -> int:
    """Add every row without problems to the register, all together (a refusal adds none)."""
    added = 0
    for row in rows:
        if not row.ok:
            continue
        try:
            store.add_stakeholder(
                session=session, workspace_id=workspace_id, data={k: v for k, v in row.data.items() if v is not None}
            )
        except InputError as exc:
            raise InputError(
                [Problem(f"rows.{row.number - 1}.{p.field}", p.code, p.params) for p in exc.problems]
            ) from exc
        added += 1
    return added
