"""Import a stakeholder list from a spreadsheet (CSV or Excel): read it, map its columns, preview every row
with its problems, then add the good rows to the register together.
"""

from __future__ import annotations

import csv
import functools
import io
import itertools
import zipfile
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
from gcm_guide.models import (
    ENGAGEMENT_STATUSES,
    GOVERNMENT_LEVELS,
    MAX_NAME,
    MAX_STAKEHOLDERS,
    REGISTER_FIELDS,
    StakeholderCreate,
    name_key,
)

FIELDS = REGISTER_FIELDS
MAX_BYTES = 5 * 1024 * 1024
MAX_ROWS = MAX_STAKEHOLDERS
# A stakeholder list of MAX_ROWS rows unpacks to a few megabytes; a workbook unpacking to more is not one.
MAX_UNPACKED_BYTES = 50 * 1024 * 1024
MAX_COLUMNS = 200
# A file under MAX_BYTES may hold one long cell; the csv module refuses cells over 128 KiB by default.
csv.field_size_limit(max(csv.field_size_limit(), MAX_BYTES))


@functools.cache
def vocabulary(language: str = DEFAULT_LANGUAGE) -> dict[str, Any]:
    words: dict[str, Any] = read_yaml(content_file("spreadsheet_import.yaml", language, DATA_DIR))
    return words


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


class _TooManyRows(Exception):
    pass


def _check_unpacked_size(raw: bytes) -> None:
    """An .xlsx is a zip: refuse one that would unpack to far more than a stakeholder list (a "zip bomb")."""
    try:
        with zipfile.ZipFile(io.BytesIO(raw)) as archive:
            unpacked = sum(info.file_size for info in archive.infolist())
    except zipfile.BadZipFile as exc:
        raise InputError.single("file", "import_unreadable") from exc
    if unpacked > MAX_UNPACKED_BYTES:
        raise InputError.single("file", "import_too_large", limit_mb=MAX_BYTES // 1024 // 1024)


def _xlsx_rows(raw: bytes) -> list[tuple[int, list[str]]]:
    """Every row of the first sheet, blank ones included, as text cells. Stops reading (and refuses the file)
    once more rows than a register can hold have been seen, without reading the rest."""
    workbook = openpyxl.load_workbook(io.BytesIO(raw), read_only=True, data_only=True)
    try:
        sheet = workbook.worksheets[0]
        rows: list[tuple[int, list[str]]] = []
        filled = 0
        for number, values in enumerate(sheet.iter_rows(values_only=True), start=1):
            cells = ["" if value is None else str(value) for value in values[:MAX_COLUMNS]]
            filled += not _blank(cells)
            if filled > MAX_ROWS + 1:  # the heading, then the rows
                raise _TooManyRows
            rows.append((number, cells))
        return rows
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
    excel = file_name.lower().endswith((".xlsx", ".xlsm"))
    if excel:
        _check_unpacked_size(raw)
    try:
        if excel:
            lines = _xlsx_rows(raw)
        else:
            try:
                text = raw.decode("utf-8-sig")
            except UnicodeDecodeError:
                text = raw.decode("cp1252", errors="replace")  # spreadsheets saved by older Excel versions
            lines = _csv_rows(text)
    except _TooManyRows as exc:
        raise InputError.single("file", "import_too_many_rows", limit=MAX_ROWS) from exc
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


# Fields whose cells must be one of a known list; a value the app does not recognise can be mapped by the user,
# once for every row that carries it.
CHOICE_FIELDS = ("group_id", "government_level", "engagement_status", "affected", "influence", "interest")
SCORES = ("affected", "influence", "interest")
_SPACES_AND_MARKS = str.maketrans({"_": " ", "-": " ", ".": " ", "'": " ", "’": " ", "/": " ", "&": " and "})


def _forms(text: Any) -> list[str]:
    """The forms of a cell or a known word that count as the same: case, spacing, punctuation and a plural's
    last letters ignored ("Trade unions" = "trade union", "NGOs" = "ngo")."""
    words = str(text).casefold().translate(_SPACES_AND_MARKS).split()
    if not words:
        return [""]
    whole = " ".join(words)
    last = words[-1]
    singular = last
    if len(last) > 4 and last.endswith("ies"):
        singular = last[:-3] + "y"
    elif len(last) > 3 and last.endswith(("s", "x")) and not last.endswith("ss"):
        singular = last[:-1]
    return list(dict.fromkeys([whole, " ".join([*words[:-1], singular])]))


def _add(table: dict[str, Any], word: Any, value: Any) -> None:
    for form in _forms(word):
        table.setdefault(form, value)


def known_values(content: Content, language: str = DEFAULT_LANGUAGE) -> dict[str, dict[str, Any]]:
    """For each choice field (and voices), every form of every word the import understands, and its value: the
    guidance's own names and ids, the interface's labels, and the synonyms in spreadsheet_import.yaml."""
    words = vocabulary(language)
    tables: dict[str, dict[str, Any]] = {name: {} for name in (*CHOICE_FIELDS, "voices")}
    for group in content.action1.stakeholder_groups:
        _add(tables["group_id"], group.name, group.id)
        _add(tables["group_id"], group.id, group.id)
    for level in GOVERNMENT_LEVELS:
        _add(tables["government_level"], level, level)
        _add(tables["government_level"], t(f"levels.{level}"), level)
    for status in ENGAGEMENT_STATUSES:
        _add(tables["engagement_status"], status, status)
        _add(tables["engagement_status"], t(f"status.{status}"), status)
    for voice in content.action1.underrepresented_voices:
        _add(tables["voices"], voice.name, voice.id)
        _add(tables["voices"], voice.id, voice.id)
    for field_name, section in (
        ("group_id", "group_synonyms"),
        ("government_level", "level_synonyms"),
        ("engagement_status", "status_synonyms"),
        ("voices", "voice_synonyms"),
    ):
        for value, synonyms in words.get(section, {}).items():
            for word in synonyms:
                _add(tables[field_name], word, value)
    for score in SCORES:
        for number in range(1, 6):
            _add(tables[score], str(number), number)
        for number, synonyms in words.get("score_words", {}).items():
            for word in synonyms:
                _add(tables[score], word, int(number))
    return tables


def choice_names(content: Content) -> dict[str, dict[Any, str]]:
    """The values each choice field accepts, with their names, for the preview and the mapping step."""
    scores = {number: str(number) for number in range(1, 6)}
    return {
        "group_id": dict(content.group_names),
        "government_level": {level: t(f"levels.{level}") for level in GOVERNMENT_LEVELS},
        "engagement_status": {status: t(f"status.{status}") for status in ENGAGEMENT_STATUSES},
        **{score: scores for score in SCORES},
    }


def _is_number(text: str) -> bool:
    try:
        float(text.replace(",", "."))
    except ValueError:
        return False
    return True


def _score_number(text: str) -> int | None:
    try:
        number = float(text.replace(",", "."))
    except ValueError:
        return None
    return int(number) if number.is_integer() and 1 <= number <= 5 else None


def _recognise(field_name: str, cell: str, known: Mapping[str, dict[str, Any]], value_map: ValueMap) -> Any:
    """The value a cell stands for, or None if the app does not know it (and the user has not mapped it)."""
    chosen = value_map.get(field_name, {})
    for form in _forms(cell):
        if form in chosen:
            return chosen[form]
    if field_name in SCORES and _is_number(cell):
        return _score_number(cell)  # a number is a score only from 1 to 5 ("-2" is not 2)
    return next((known[field_name][form] for form in _forms(cell) if form in known[field_name]), None)


# {field: {a cell's form: the value the user chose for it}}
ValueMap = Mapping[str, Mapping[str, Any]]


def mapping_key(cell: str) -> str:
    """How the user's choice for a cell value is kept: the same for every spelling that counts as the same."""
    return _forms(cell)[0]


def _cells(frame: pd.DataFrame, mapping: Mapping[str, str | None]) -> list[tuple[int, dict[str, str]]]:
    """Each non-blank spreadsheet row with its spreadsheet row number, as {field: cell text}."""
    first_row = frame.attrs.get("heading_row", 1) + 1
    rows = []
    for index, record in enumerate(frame.to_dict(orient="records"), start=first_row):
        cell = {f: str(record.get(column, "")).strip() if column else "" for f, column in mapping.items()}
        if any(cell.values()):
            rows.append((index, cell))
    return rows


def unrecognised(
    frame: pd.DataFrame,
    mapping: Mapping[str, str | None],
    content: Content,
    value_map: ValueMap | None = None,
    language: str | None = None,
) -> dict[str, dict[str, int]]:
    """For each choice field, the cell values the app does not recognise (and the user has not mapped yet), each
    with how many rows carry it, most frequent first."""
    known = known_values(content, language or get_language())
    found: dict[str, dict[str, int]] = {}
    for _, cell in _cells(frame, mapping):
        for field_name in CHOICE_FIELDS:
            value = cell.get(field_name, "")
            if value and _recognise(field_name, value, known, value_map or {}) is None:
                counts = found.setdefault(field_name, {})
                counts[value] = counts.get(value, 0) + 1
    return {f: dict(sorted(v.items(), key=lambda item: (-item[1], item[0]))) for f, v in found.items()}


def preview(
    frame: pd.DataFrame,
    mapping: Mapping[str, str | None],
    content: Content,
    existing_names: Sequence[str] = (),
    language: str | None = None,
    value_map: ValueMap | None = None,
) -> list[ImportRow]:
    """Every spreadsheet row as the stakeholder it would become, with the problems that would stop it.

    `value_map`: what the user chose for values the app did not recognise, applied to every row."""
    known = known_values(content, language or get_language())
    taken = {name_key(n) for n in existing_names}
    rows: list[ImportRow] = []
    for index, cell in _cells(frame, mapping):
        row = ImportRow(index, {})
        data = row.data
        data["name"] = cell.get("name", "")
        reported: set[str] = set()
        for choice in CHOICE_FIELDS:
            value = cell.get(choice, "")
            found = _recognise(choice, value, known, value_map or {}) if value else None
            if value and found is None:
                problem = "unknown_score" if choice in SCORES else "unknown_choice"
                row.problems.append(describe_problem(Problem(choice, problem, {"value": value})))
                reported.add(choice)
            data[choice] = found
        if not data.get("engagement_status"):
            data.pop("engagement_status", None)
        data["sector"] = cell.get("sector", "")
        parts = [p.strip() for p in cell.get("voices", "").replace(";", ",").split(",") if p.strip()]
        data["voices"] = [_recognise("voices", p, known, {}) or p for p in parts]
        if not cell.get("group_id"):
            row.problems.append(describe_problem(Problem("group_id", "missing", {})))
            reported.add("group_id")
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
    good = [row for row in rows if row.ok]
    if not good:
        return 0
    store.add_stakeholders(
        session=session,
        workspace_id=workspace_id,
        rows=[{k: v for k, v in row.data.items() if v is not None} for row in good],
        where=[f"rows.{row.number - 1}" for row in good],
    )
    return len(good)


# --- A pasted list of names ----------------------------------------------------------------------------------
def pasted_names(text: str) -> list[str]:
    """The names in pasted text: one per line (a column copied from a spreadsheet arrives that way; of a row of
    several cells, the first is the name), blank lines and surrounding spaces and bullets dropped."""
    names = []
    for line in text.splitlines():
        first = line.split("\t")[0].strip().lstrip("-•*·").strip()
        if first:
            names.append(" ".join(first.split()))
    return names


@dataclass(frozen=True)
class PastedNames:
    """A pasted list sorted out: the names to add, and those left out with the reason."""

    new: tuple[str, ...]
    on_register: tuple[str, ...]  # already on the register (ignoring case and spacing)
    repeated: tuple[str, ...]  # listed twice in what was pasted
    too_long: tuple[str, ...]


def sort_pasted(names: Sequence[str], existing_names: Sequence[str]) -> PastedNames:
    taken = {name_key(n) for n in existing_names}
    seen: set[str] = set()
    new, on_register, repeated, too_long = [], [], [], []
    for name in names:
        key = name_key(name)
        if len(name) > MAX_NAME:
            too_long.append(name)
        elif key in taken:
            on_register.append(name)
        elif key in seen:
            repeated.append(name)
        else:
            new.append(name)
        seen.add(key)
    return PastedNames(tuple(new), tuple(on_register), tuple(repeated), tuple(too_long))
