"""The Excel workbook and the CSV of the stakeholder register (gcm_guide.exports), made from workspaces saved
through the store on real databases and read back with openpyxl and the csv module."""

import csv
import datetime as dt
import io
import re
import zipfile

from openpyxl import load_workbook
from openpyxl.utils import get_column_letter

from gcm_guide import db, exports, store
from gcm_guide.content import load_content
from gcm_guide.i18n import t
from gcm_guide.models import MAX_LONG_TEXT

from .conftest import load, make_workspace

CONTENT = load_content()
GROUP_ORDER = [group.id for group in CONTENT.action1.stakeholder_groups]
SHEETS = ["Stakeholders", "Engagement plan", "Awareness activities", "Answers", "Roles", "Checklist"]
STAKEHOLDER_HEADINGS = [
    "Name",
    "Stakeholder group",
    "Level of government",
    "Sector",
    "How affected (1–5)",
    "Influence (1–5)",
    "Interest (1–5)",
    "Under-represented voices it carries",
    "Engagement status",
    "How engaged in migration governance",
    "Role and interest in GCM implementation",
    "Possible conflicts of interest",
    "How to build trust",
    "Could lead as",
]
FORMULA_NAMES = [
    "=SUM(A1:A9)",
    '=HYPERLINK("https://example.org","click")',
    "+33 1 23 45 67 89",
    "-1 collective",
    "@cmd",
]
MULTILINE = 'First line, with a comma\nSecond line with "quotes"\n\nFourth line; done'
ARABIC_NAME = "جمعية المهاجرين 🌍"
EXCEL_CELL_LIMIT = 32_767  # characters; Excel's documented limit for one cell


# --- Helpers ------------------------------------------------------------------------------------------------
def fill(engine, workspace_id: int) -> dict[str, int]:
    """A workspace with every register filled in; returns stakeholder ids by name."""
    ids: dict[str, int] = {}

    def work(*, session):
        people = [
            # Added out of guidance order on purpose: the exports sort by group, then name.
            dict(
                name="Ministry of Labour",
                group_id="policy_sectors",
                government_level="national",
                sector="Labour",
                affected=4,
                influence=5,
                interest=3,
                voices=["migrant_women", "Travailleuses domestiques"],
                engagement_status="engaged",
                role_and_interest=MULTILINE,
            ),
            dict(name=ARABIC_NAME, group_id="diasporas", role_and_interest="دور مهم 🤝", engagement_status="partner"),
            dict(name="Académie d'été", group_id="academia"),
            dict(name="Parish council", group_id="local_and_regional_authorities", government_level="local"),
            dict(name="Migrant families forum", group_id="migrants_and_families", voices=["migrants_themselves"]),
            *(dict(name=name, group_id="civil_society_organizations") for name in FORMULA_NAMES),
        ]
        for person in people:
            ids[person["name"]] = store.add_stakeholder(session=session, workspace_id=workspace_id, data=person).id
        store.save_engagement_plan(
            session=session,
            workspace_id=workspace_id,
            stakeholder_id=ids["Ministry of Labour"],
            changes={
                "participation_level": "consult",
                "mechanisms": ["consultations", "meetings"],
                "mediums": ["online"],
                "phases": ["planning", "review"],
                "accessibility_measures": "Sign-language interpreters.",
            },
        )
        store.save_answer(
            session=session,
            workspace_id=workspace_id,
            question_id=CONTENT.guiding_questions.questions[0].id,
            changes={"text": "Ministère de l'Intérieur; Міністерство соціальної політики"},
        )
        store.save_setup_answer(
            session=session, workspace_id=workspace_id, criterion_id="existing_body", changes={"answer": "yes"}
        )
        store.save_setup_decision(
            session=session,
            workspace_id=workspace_id,
            changes={"chosen_option": "existing_body", "lead_bodies": "Ministry of Labour"},
        )
        store.add_role(
            session=session,
            workspace_id=workspace_id,
            data={"body": "Ministry of Labour", "role": "lead", "responsibilities": "Chairs the working group."},
        )
        store.add_activity(
            session=session,
            workspace_id=workspace_id,
            data={
                "title": "Briefing for line ministries",
                "audience": "government",
                "activity_type": "briefings",
                "starts_on": dt.date(2027, 2, 1),
                "ends_on": dt.date(2027, 2, 15),
                "status": "done",
            },
        )
        store.save_checklist_entry(
            session=session,
            workspace_id=workspace_id,
            item_id="map_stakeholders",
            changes={"confirmed_status": "done", "notes": "Agreed on 3 March."},
        )

    db.run_write(engine, work)
    return ids


def filled(engine):
    workspace = make_workspace(engine, "Exports — été 2027")
    ids = fill(engine, workspace.id)
    return load(engine, workspace.id), ids


def workbook(data):
    return load_workbook(io.BytesIO(exports.workbook_bytes(data, CONTENT)))


def rows(sheet) -> list[list]:
    return [[cell.value for cell in row] for row in sheet.iter_rows(min_row=2)]


def by_name(sheet) -> dict[str, list]:
    return {row[0]: row for row in rows(sheet)}


def read_csv(data) -> tuple[bytes, list[list[str]]]:
    raw = exports.stakeholders_csv(data, CONTENT)
    return raw, list(csv.reader(io.StringIO(raw.decode("utf-8-sig"), newline="")))


def expected_order(data) -> list[str]:
    people = sorted(data.stakeholders, key=lambda s: (GROUP_ORDER.index(s.group_id), s.name.casefold()))
    return [s.name for s in people]


# --- Workbook -----------------------------------------------------------------------------------------------
def test_workbook_has_a_sheet_per_register_with_bold_frozen_headings(engine):
    data, _ = filled(engine)
    book = workbook(data)
    assert book.sheetnames == SHEETS
    assert [cell.value for cell in book["Stakeholders"][1]] == STAKEHOLDER_HEADINGS
    for sheet, expected in zip(book.worksheets, exports.all_sheets(data, CONTENT), strict=True):
        headings = [cell.value for cell in sheet[1]]
        assert headings == [column.label for column in expected.columns], sheet.title
        assert all(cell.font.b for cell in sheet[1]), sheet.title
        assert sheet.freeze_panes == "A2", sheet.title
        assert sheet.max_row == 1 + len(expected.rows), sheet.title
        if expected.rows:
            assert sheet.auto_filter.ref == f"A1:{get_column_letter(len(headings))}{sheet.max_row}"


def test_workbook_columns_are_sized_capped_and_long_text_wraps(sqlite_engine):
    data, _ = filled(sqlite_engine)
    long_name = "Regional federation of migrant workers' associations " * 3
    very_long = "A long answer that keeps going. " * 200
    workspace_id = data.workspace.id
    db.run_write(
        sqlite_engine,
        store.add_stakeholder,
        workspace_id=workspace_id,
        data={"name": long_name.strip(), "group_id": "trade_unions", "trust_building": very_long},
    )
    book = workbook(load(sqlite_engine, workspace_id))
    for sheet, spec in zip(
        book.worksheets, exports.all_sheets(load(sqlite_engine, workspace_id), CONTENT), strict=True
    ):
        for index, column in enumerate(spec.columns, start=1):
            letter = get_column_letter(index)
            width = sheet.column_dimensions[letter].width
            assert sheet.column_dimensions[letter].customWidth, (sheet.title, letter)
            assert 12 <= width <= (60 if column.long else 40), (sheet.title, column.label, width)
            if column.long:
                for (cell,) in sheet.iter_rows(min_row=2, min_col=index, max_col=index):
                    if isinstance(cell.value, str):
                        assert cell.alignment.wrap_text, (sheet.title, cell.coordinate)
    stakeholders = book["Stakeholders"]
    widths = {
        c.label: stakeholders.column_dimensions[get_column_letter(i)].width
        for i, c in enumerate(exports.stakeholders_sheet(load(sqlite_engine, workspace_id), CONTENT).columns, start=1)
    }
    assert widths["Name"] == 40  # capped: the long name is wider
    assert widths["How to build trust"] == 60  # capped: a long text column
    assert widths["Sector"] == 12  # the minimum: "Sector" and "Labour" are narrow
    # A multi-line cell is as wide as its widest line, not its whole length.
    assert widths["Role and interest in GCM implementation"] == len("Role and interest in GCM implementation") + 2


def test_workbook_values_are_the_data_with_labels_not_ids(engine):
    data, _ = filled(engine)
    book = workbook(data)

    stakeholders = rows(book["Stakeholders"])
    assert [row[0] for row in stakeholders] == expected_order(data)
    labour = by_name(book["Stakeholders"])["Ministry of Labour"]
    assert labour[:9] == [
        "Ministry of Labour",
        CONTENT.group_names["policy_sectors"],
        "National",
        "Labour",
        4,
        5,
        3,
        "Migrant women; Travailleuses domestiques",
        "Engaged",
    ]
    assert labour[10] == MULTILINE
    arabic = by_name(book["Stakeholders"])[ARABIC_NAME]
    assert arabic[1] == "Diasporas" and arabic[8] == "Partner" and arabic[10] == "دور مهم 🤝"
    assert arabic[2] is None and arabic[4] is None  # nothing typed: an empty cell, not "None"

    plans = by_name(book["Engagement plan"])
    assert set(plans) == {s.name for s in data.stakeholders}
    assert plans["Ministry of Labour"][:6] == [
        "Ministry of Labour",
        CONTENT.group_names["policy_sectors"],
        "Consult",
        "Consultations; Meetings",
        "Online",
        "Planning; Review",
    ]
    assert plans["Ministry of Labour"][9] == "Sign-language interpreters."
    for name in ("Académie d'été", ARABIC_NAME, *FORMULA_NAMES):
        assert plans[name][2] == t("exports.no_plan") == "No plan yet"
        assert plans[name][3:] == [None] * 8

    (activity,) = book["Awareness activities"].iter_rows(min_row=2)
    values = [cell.value for cell in activity]
    assert values[:3] == ["Briefing for line ministries", "Government actors across sectors", "Briefings and sessions"]
    assert values[-1] == "Done"
    for cell, date in ((activity[4], dt.date(2027, 2, 1)), (activity[5], dt.date(2027, 2, 15))):
        assert cell.is_date and cell.value.date() == date and cell.number_format == "yyyy-mm-dd"

    answers = rows(book["Answers"])
    first_question = CONTENT.guiding_questions.questions[0]
    assert answers[0] == [
        CONTENT.guiding_questions.title,
        f"{first_question.number}. {first_question.text}",
        "Ministère de l'Intérieur; Міністерство соціальної політики",
        None,
    ]
    assert len(answers) == len(CONTENT.guiding_questions.questions) + len(CONTENT.action3.criteria) + 7
    existing = next(c for c in CONTENT.action3.criteria if c.id == "existing_body")
    assert [CONTENT.action3.title, existing.question, "Yes", None] in answers
    assert [CONTENT.action3.title, t("fields.chosen_option"), CONTENT.option_names["existing_body"], None] in answers

    assert rows(book["Roles"]) == [["Ministry of Labour", "Lead", "Chairs the working group.", None, None]]

    checklist_rows = rows(book["Checklist"])
    assert [row[0] for row in checklist_rows] == [item.text for item in CONTENT.checklist.items]
    assert checklist_rows[0][2:] == ["Done", "Agreed on 3 March."]


def test_formula_looking_names_are_text_in_the_workbook_never_formulas(sqlite_engine):
    data, _ = filled(sqlite_engine)
    raw = exports.workbook_bytes(data, CONTENT)
    book = load_workbook(io.BytesIO(raw))
    found = 0
    for sheet in book.worksheets:
        for row in sheet.iter_rows():
            for cell in row:
                if cell.value in FORMULA_NAMES:
                    assert cell.data_type == "s", (sheet.title, cell.coordinate, cell.data_type)
                    found += 1
    assert found == 2 * len(FORMULA_NAMES)  # on the Stakeholders and Engagement plan sheets
    with zipfile.ZipFile(io.BytesIO(raw)) as archive:
        sheets = {n: archive.read(n).decode("utf-8") for n in archive.namelist() if n.startswith("xl/worksheets/")}
    assert len(sheets) == len(SHEETS)
    for name, xml in sheets.items():
        assert not re.search(r"<(\w+:)?f[ />]", xml), name  # no formula element anywhere
    assert "<is><t>=SUM(A1:A9)</t></is>" in sheets["xl/worksheets/sheet1.xml"]  # an inline string


def test_a_plan_with_typed_text_but_no_mechanism_yet_keeps_its_text_in_the_workbook(sqlite_engine):
    """The PDF shows this text under "Engagement details"; the workbook should not drop it."""
    data, ids = filled(sqlite_engine)
    db.run_write(
        sqlite_engine,
        store.save_engagement_plan,
        workspace_id=data.workspace.id,
        stakeholder_id=ids["Académie d'été"],
        changes={"mediums": ["surveys"], "accessibility_measures": "Materials in Braille and Creole."},
    )
    plans = by_name(workbook(load(sqlite_engine, data.workspace.id))["Engagement plan"])
    row = plans["Académie d'été"]
    assert "Materials in Braille and Creole." in row
    assert "Surveys" in row


def test_a_long_answer_is_not_cut_short_silently_in_the_workbook(sqlite_engine):
    """Answers may hold MAX_LONG_TEXT (100,000) characters, an Excel cell at most 32,767, and openpyxl cuts
    longer strings to that length without a word. The answer must be whole, or visibly marked as shortened."""
    text = "word " * ((MAX_LONG_TEXT - 10) // 5) + "the end."
    assert EXCEL_CELL_LIMIT < len(text) <= MAX_LONG_TEXT
    workspace = make_workspace(sqlite_engine)
    question = CONTENT.guiding_questions.questions[0]
    db.run_write(
        sqlite_engine, store.save_answer, workspace_id=workspace.id, question_id=question.id, changes={"text": text}
    )
    book = workbook(load(sqlite_engine, workspace.id))
    row = next(r for r in rows(book["Answers"]) if r[1] == f"{question.number}. {question.text}")
    kept = row[2]
    assert len(kept) <= EXCEL_CELL_LIMIT  # what Excel can open
    silently_cut = kept != text and text.startswith(kept)
    assert not silently_cut, f"cut to {len(kept)} of {len(text)} characters with nothing to say so"


def test_an_empty_workspace_makes_a_workbook_of_headings(sqlite_engine):
    workspace = make_workspace(sqlite_engine)
    data = load(sqlite_engine, workspace.id)
    book = workbook(data)
    assert book.sheetnames == SHEETS
    for title in ("Stakeholders", "Engagement plan", "Awareness activities", "Roles"):
        assert book[title].max_row == 1 and book[title].freeze_panes == "A2"
        assert book[title].auto_filter.ref is None
    # The questions and the checklist are listed even before anything is answered.
    answers = rows(book["Answers"])
    assert len(answers) == len(CONTENT.guiding_questions.questions) + len(CONTENT.action3.criteria)
    assert all(row[2] is None for row in answers)
    assert [row[2] for row in rows(book["Checklist"])] == ["Not started"] * len(CONTENT.checklist.items)


# --- CSV ----------------------------------------------------------------------------------------------------
def test_csv_has_a_bom_the_headings_and_one_row_per_stakeholder_in_group_order(engine):
    data, _ = filled(engine)
    raw, table = read_csv(data)
    assert raw.startswith(b"\xef\xbb\xbf") and not raw.startswith(b"\xef\xbb\xbf\xef\xbb\xbf")
    assert table[0] == STAKEHOLDER_HEADINGS
    body = table[1:]
    assert len(body) == len(data.stakeholders)
    assert all(len(row) == len(STAKEHOLDER_HEADINGS) for row in body)
    assert [row[0].removeprefix("'") for row in body] == expected_order(data)
    labour = next(row for row in body if row[0] == "Ministry of Labour")
    assert labour[:9] == [
        "Ministry of Labour",
        CONTENT.group_names["policy_sectors"],
        "National",
        "Labour",
        "4",
        "5",
        "3",
        "Migrant women; Travailleuses domestiques",
        "Engaged",
    ]
    assert labour[9] == "" and labour[10] == MULTILINE  # the newlines survive, quoted


def test_csv_prefixes_formula_looking_cells_with_an_apostrophe(sqlite_engine):
    data, ids = filled(sqlite_engine)
    db.run_write(
        sqlite_engine,
        store.update_stakeholder,
        workspace_id=data.workspace.id,
        stakeholder_id=ids["Parish council"],
        changes={"trust_building": "\t=1+2 behind a tab", "conflicts_of_interest": "a=b is not a formula"},
    )
    _, table = read_csv(load(sqlite_engine, data.workspace.id))
    names = [row[0] for row in table[1:]]
    for name in FORMULA_NAMES:
        assert "'" + name in names
        assert name not in names
    parish = next(row for row in table[1:] if row[0] == "Parish council")
    assert parish[12] == "'\t=1+2 behind a tab"
    assert parish[11] == "a=b is not a formula"
    assert "Académie d'été" in names  # an apostrophe inside a name is left alone


def test_csv_keeps_unicode_and_quotes_newlines(sqlite_engine):
    data, _ = filled(sqlite_engine)
    raw, table = read_csv(data)
    text = raw.decode("utf-8-sig")
    assert ARABIC_NAME in text and "🌍" in text and "دور مهم 🤝" in text and "Académie d'été" in text
    arabic = next(row for row in table[1:] if row[0] == ARABIC_NAME)
    assert arabic[10] == "دور مهم 🤝"
    # The multi-line cell is one quoted field, with "" for each quote inside it.
    assert '"' + MULTILINE.replace('"', '""') + '"' in text
    # Records end with CRLF; the newlines inside the cell stay bare LF.
    assert text.count("\r\n") == len(table)
    assert MULTILINE.count("\n") + text.count("\r\n") == text.count("\n")


def test_csv_of_an_empty_workspace_is_the_heading_row(sqlite_engine):
    workspace = make_workspace(sqlite_engine)
    raw, table = read_csv(load(sqlite_engine, workspace.id))
    assert raw.startswith(b"\xef\xbb\xbf")
    assert table == [STAKEHOLDER_HEADINGS]
