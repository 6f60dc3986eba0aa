"""Import a stakeholder list from a spreadsheet (CSV or Excel): read it, map its columns, preview every row
with its problems, then add the good rows to the register together.
"""

from __future__ import annotations

import functools
import io
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

import pandas as pd
from pydantic import ValidationError
from sqlmodel import Session

from gcm_guide import store
from gcm_guide.content import DATA_DIR, DEFAULT_LANGUAGE, Content, read_yaml
from gcm_guide.errors import InputError, Problem
from gcm_guide.i18n import describe_problem, t
from gcm_guide.models import ENGAGEMENT_STATUSES, GOVERNMENT_LEVELS, StakeholderCreate, name_key

FIELDS = (
    "name",
    "group_id",
    "government_level",
    "sector",
    "affected",
    "influence",
    "interest",
    "voices",
    "engagement_status",
)
MAX_BYTES = 5 * 1024 * 1024
MAX_ROWS = 5_000


@functools.cache
def vocabulary(language: str = DEFAULT_LANGUAGE) -> dict[str, Any]:
    return read_yaml(DATA_DIR / "content" / language / "spreadsheet_import.yaml")


def _norm(text: Any) -> str:
    return " ".join(str(text).replace("_", " ").replace("-", " ").split()).casefold()


def _delimiter(text: str) -> str:
    """The separator of a CSV: whichever of , ; or tab the heading line uses most (Excel in many
    European locales writes ;)."""
    heading = text.split("\n", 1)[0]
    return max((",", ";", "\t"), key=heading.count)


def read_table(raw: bytes, file_name: str) -> pd.DataFrame:
    """The first sheet of an .xlsx file, or a CSV file, as text cells; InputError if it cannot be read."""
    if len(raw) > MAX_BYTES:
        raise InputError.single("file", "import_too_large", limit_mb=MAX_BYTES // 1024 // 1024)
    try:
        if file_name.lower().endswith((".xlsx", ".xlsm")):
            frame = pd.read_excel(io.BytesIO(raw), dtype=str, engine="openpyxl")
        else:
            try:
                text = raw.decode("utf-8-sig")
            except UnicodeDecodeError:
                text = raw.decode("cp1252", errors="replace")  # spreadsheets saved by older Excel versions
            frame = pd.read_csv(io.StringIO(text), dtype=str, sep=_delimiter(text), keep_default_na=False)
    except InputError:
        raise
    except pd.errors.ParserError as exc:
        found = re.search(r"Expected (\d+) fields in line (\d+), saw (\d+)", str(exc))
        if found:
            expected, line, seen = (int(g) for g in found.groups())
            raise InputError.single("file", "import_bad_line", line=line, expected=expected, seen=seen) from exc
        raise InputError.single("file", "import_unreadable") from exc
    except Exception as exc:
        raise InputError.single("file", "import_unreadable") from exc
    frame = frame.fillna("")
    if frame.empty or not len(frame.columns):
        raise InputError.single("file", "import_empty")
    if len(frame) > MAX_ROWS:
        raise InputError.single("file", "import_too_many_rows", limit=MAX_ROWS)
    frame.columns = [str(c).strip() or f"({i + 1})" for i, c in enumerate(frame.columns)]
    return frame


def guess_mapping(columns: Sequence[str], language: str = DEFAULT_LANGUAGE) -> dict[str, str | None]:
    """For each stakeholder field, the spreadsheet column whose heading matches it (or None)."""
    words = vocabulary(language)["columns"]
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
    language: str = DEFAULT_LANGUAGE,
) -> list[ImportRow]:
    """Every spreadsheet row as the stakeholder it would become, with the problems that would stop it."""
    lookup = _lookup(content, language)
    taken = {name_key(n) for n in existing_names}
    rows: list[ImportRow] = []
    for index, record in enumerate(frame.to_dict(orient="records"), start=2):
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
