"""Stakeholder import from a spreadsheet (gcm_guide.spreadsheet): reading CSV and Excel files, guessing the
column mapping, previewing every row with its problems, and adding the good rows together."""

from __future__ import annotations

import io
import zipfile
from typing import Any

import openpyxl
import pandas as pd
import pytest
import yaml

from gcm_guide import db, spreadsheet
from gcm_guide.content import DATA_DIR, load_content
from gcm_guide.errors import InputError, NotFound
from gcm_guide.i18n import describe_error

from .conftest import add_stakeholder, load, make_workspace

CONTENT = load_content()
VOCABULARY = yaml.safe_load((DATA_DIR / "content" / "en" / "spreadsheet_import.yaml").read_text(encoding="utf-8"))


def codes(error: InputError) -> list[tuple[str, str]]:
    return [(p.field, p.code) for p in error.problems]


def records(frame: pd.DataFrame) -> list[dict[str, str]]:
    return frame.to_dict(orient="records")


def read_csv_text(text: str, encoding: str = "utf-8", name: str = "stakeholders.csv") -> pd.DataFrame:
    return spreadsheet.read_table(text.encode(encoding), name)


def refused(raw: bytes, name: str = "stakeholders.csv") -> InputError:
    with pytest.raises(InputError) as error:
        spreadsheet.read_table(raw, name)
    return error.value


def xlsx_bytes(rows: list[list[Any]]) -> bytes:
    book = openpyxl.Workbook()
    sheet = book.active
    for row in rows:
        sheet.append(row)
    book.create_sheet("Second sheet").append(["Ignored", "sheet"])
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def frame_of(rows: list[dict[str, str]]) -> pd.DataFrame:
    return pd.DataFrame(rows, dtype=str).fillna("")


def preview_rows(rows: list[dict[str, str]], existing: tuple[str, ...] = ()) -> list[spreadsheet.ImportRow]:
    frame = frame_of(rows)
    return spreadsheet.preview(frame, spreadsheet.guess_mapping(list(frame.columns)), CONTENT, existing)


def one_row(**cells: str) -> spreadsheet.ImportRow:
    (row,) = preview_rows([{"Name": "Ministry of Labour", "Group": "policy_sectors"} | cells])
    return row


# --- read_table ----------------------------------------------------------------------------------------------
@pytest.mark.parametrize("separator", [",", ";", "\t"], ids=["comma", "semicolon", "tab"])
def test_csv_with_any_common_separator_and_quoted_cells(separator):
    s = separator
    text = (
        f"Name{s}Group{s}Voices{s}Influence\n"
        f'"Ministry{s} Labour and Social Security"{s}policy_sectors{s}"migrant_women{s} Seasonal workers"{s}4\n'
        f'"Says ""hello"""{s}media{s}{s}\n'
    )
    frame = read_csv_text(text)
    assert list(frame.columns) == ["Name", "Group", "Voices", "Influence"]
    assert records(frame) == [
        {
            "Name": f"Ministry{s} Labour and Social Security",
            "Group": "policy_sectors",
            "Voices": f"migrant_women{s} Seasonal workers",
            "Influence": "4",
        },
        {"Name": 'Says "hello"', "Group": "media", "Voices": "", "Influence": ""},
    ]


def test_semicolon_file_whose_headings_have_commas_inside_quotes():
    """Excel in many European locales writes ';' files; a descriptive heading may hold commas in quotes, and
    those must not make the comma look like the separator."""
    frame = read_csv_text(
        'Name;Group;"Voices (e.g. women, children, undocumented migrants)"\n'
        "Ministère de l'Intérieur;policy_sectors;Migrant women\n"
    )
    assert records(frame) == [
        {
            "Name": "Ministère de l'Intérieur",
            "Group": "policy_sectors",
            "Voices (e.g. women, children, undocumented migrants)": "Migrant women",
        }
    ]


def test_utf8_with_byte_order_mark_keeps_the_first_heading_clean():
    frame = read_csv_text("\ufeffName,Sector\nMinistère de la Santé,Santé — здоров'я 🩺\n")
    assert list(frame.columns) == ["Name", "Sector"]
    assert records(frame) == [{"Name": "Ministère de la Santé", "Sector": "Santé — здоров'я 🩺"}]


def test_cp1252_file_from_older_excel_is_decoded_with_its_accents_and_dashes():
    text = "Name;Sector\nSociété générale — Côte d’Ivoire;Économie, €\nAssociação;Saúde\n"
    frame = read_csv_text(text, encoding="cp1252")
    assert records(frame) == [
        {"Name": "Société générale — Côte d’Ivoire", "Sector": "Économie, €"},
        {"Name": "Associação", "Sector": "Saúde"},
    ]


def test_windows_line_endings_and_padded_headings():
    frame = read_csv_text("  Name ,\tGroup  \r\nMedia council,media\r\n")
    assert list(frame.columns) == ["Name", "Group"]
    assert records(frame) == [{"Name": "Media council", "Group": "media"}]


def test_xlsx_written_by_openpyxl_is_read_as_text_cells():
    raw = xlsx_bytes(
        [
            ["Stakeholder name", "Stakeholder group", "Influence", "Interest", "Voices"],
            ["Ministère du Travail", "Ministry", 4, 4.0, "Migrant women; Travailleurs saisonniers"],
            [None, None, None, None, None],
            ["Мережа мігрантів", "CSO", "5", None, None],
        ]
    )
    frame = spreadsheet.read_table(raw, "Register.XLSX")
    assert list(frame.columns) == ["Stakeholder name", "Stakeholder group", "Influence", "Interest", "Voices"]
    assert records(frame)[0]["Stakeholder name"] == "Ministère du Travail"
    assert records(frame)[1] == dict.fromkeys(frame.columns, "")
    assert records(frame)[2]["Stakeholder name"] == "Мережа мігрантів"
    rows = spreadsheet.preview(frame, spreadsheet.guess_mapping(list(frame.columns)), CONTENT)
    # The blank spreadsheet row 3 is skipped; the rows keep their spreadsheet numbers.
    assert [(r.number, r.data["name"], r.data["group_id"], r.ok) for r in rows] == [
        (2, "Ministère du Travail", "policy_sectors", True),
        (4, "Мережа мігрантів", "civil_society_organizations", True),
    ]
    assert (rows[0].data["influence"], rows[0].data["interest"], rows[1].data["influence"]) == (4, 4, 5)
    assert rows[0].data["voices"] == ["migrant_women", "Travailleurs saisonniers"]


@pytest.mark.parametrize("raw", [b"PK\x03\x04 not really a zip", b"Name,Group\nMedia council,media\n"])
def test_an_xlsx_file_that_is_not_a_workbook_is_refused(raw):
    error = refused(raw, "list.xlsx")
    assert codes(error) == [("file", "import_unreadable")]
    assert "could not be read" in describe_error(error)


def test_a_line_with_extra_cells_is_refused_naming_the_line():
    error = refused(b"Name,Group\nMinistry of Labour,policy_sectors\nMedia council,media,extra\nAcademia,academia\n")
    assert codes(error) == [("file", "import_bad_line")]
    assert error.problems[0].params == {"line": 3, "expected": 2, "seen": 3}
    message = describe_error(error)
    assert "line 3" in message and "quotes" in message


@pytest.mark.parametrize(
    "text",
    [
        "Name,Group\nMinistry of Labour,policy_sectors,extra\nMedia council,media\n",
        "Name,Group\nMinistry of Labour,policy_sectors,\nMedia council,media,\n",
    ],
    ids=["extra-cell-on-first-row", "trailing-separator-on-every-row"],
)
def test_extra_cells_on_the_first_data_row_never_shift_the_columns(text):
    """pandas takes an extra first-row cell as a sign that the first column is the row index, and would then
    read every name as the group: either refuse the line, or keep the names where they are."""
    try:
        frame = read_csv_text(text)
    except InputError as error:
        assert codes(error) == [("file", "import_bad_line")]
        assert error.problems[0].params["line"] == 2
    else:
        assert list(frame["Name"]) == ["Ministry of Labour", "Media council"]
        assert list(frame["Group"]) == ["policy_sectors", "media"]


@pytest.mark.parametrize(
    ("raw", "name"),
    [
        (b"", "stakeholders.csv"),
        (b"\n\n  \n", "stakeholders.csv"),
        (b"Name,Group\n", "stakeholders.csv"),
        (b"\xef\xbb\xbfName;Group\r\n", "stakeholders.csv"),
        (xlsx_bytes([["Name", "Group"]]), "stakeholders.xlsx"),
    ],
    ids=["zero-bytes", "blank-lines", "heading-only", "bom-heading-only", "xlsx-heading-only"],
)
def test_a_file_without_rows_is_refused_as_empty(raw, name):
    error = refused(raw, name)
    assert codes(error) == [("file", "import_empty")]
    assert "no rows" in describe_error(error)


def test_size_limit():
    heading = b"Name,Sector\n"
    at_limit = heading + b"Ministry," + b"x" * (spreadsheet.MAX_BYTES - len(heading) - len(b"Ministry,"))
    assert len(at_limit) == spreadsheet.MAX_BYTES
    assert len(spreadsheet.read_table(at_limit, "big.csv")) == 1
    error = refused(at_limit + b"x")
    assert codes(error) == [("file", "import_too_large")]
    assert error.problems[0].params == {"limit_mb": 5}
    assert "5 MB" in describe_error(error)
    # Checked before anything is parsed: an oversized Excel file is refused the same way.
    assert codes(refused(b"\x00" * (spreadsheet.MAX_BYTES + 1), "big.xlsx")) == [("file", "import_too_large")]


def test_row_limit():
    rows = "".join(f"Organisation {n},media\n" for n in range(spreadsheet.MAX_ROWS))
    assert len(spreadsheet.read_table(("Name,Group\n" + rows).encode(), "many.csv")) == spreadsheet.MAX_ROWS
    error = refused(("Name,Group\n" + rows + "One too many,media\n").encode())
    assert codes(error) == [("file", "import_too_many_rows")]
    assert error.problems[0].params == {"limit": spreadsheet.MAX_ROWS}
    assert str(spreadsheet.MAX_ROWS) in describe_error(error)


def test_an_excel_file_with_too_many_rows_is_refused_while_reading(monkeypatch):
    """The sheet is read row by row and refused as soon as it holds more rows than a register can, without
    reading the rest (a small file can declare millions of rows)."""
    monkeypatch.setattr(spreadsheet, "MAX_ROWS", 50)
    raw = xlsx_bytes([["Name", "Group"], *([f"Organisation {n}", "media"] for n in range(5_000))])
    seen: list[int] = []
    real = spreadsheet._blank
    monkeypatch.setattr(spreadsheet, "_blank", lambda cells: seen.append(1) or real(cells))
    assert codes(refused(raw, "many.xlsx")) == [("file", "import_too_many_rows")]
    assert len(seen) < 100  # stopped just after the limit


def test_an_excel_file_that_unpacks_to_far_more_than_a_register_is_refused_before_reading():
    """A "zip bomb": a few hundred kilobytes on disk, more than 50 MB once unpacked."""
    buffer = io.BytesIO(xlsx_bytes([["Name", "Group"], ["Radio", "media"]]))
    with zipfile.ZipFile(buffer, "a", compression=zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("xl/media/padding.bin", b"\0" * (spreadsheet.MAX_UNPACKED_BYTES + 1))
    raw = buffer.getvalue()
    assert len(raw) < 1024 * 1024
    assert codes(refused(raw, "bomb.xlsx")) == [("file", "import_too_large")]


# --- guess_mapping -------------------------------------------------------------------------------------------
HEADINGS = [(field, word) for field, words in VOCABULARY["columns"].items() for word in words]


@pytest.mark.parametrize(("field", "word"), HEADINGS, ids=[f"{f}:{w}" for f, w in HEADINGS])
def test_every_heading_in_the_vocabulary_is_recognised_ignoring_case_and_spacing(field, word):
    for heading in (word, word.upper(), f"  {word.title().replace(' ', '   ')} ", word.replace(" ", "_")):
        mapping = spreadsheet.guess_mapping(["Unrelated column", heading])
        assert mapping[field] == heading, heading
        assert set(mapping) == set(spreadsheet.FIELDS)


def test_vocabulary_covers_every_field():
    assert set(VOCABULARY["columns"]) == set(spreadsheet.FIELDS)


def test_a_typical_heading_row_maps_every_field():
    columns = [
        "Organisation",
        "Stakeholder type",
        "Level of government",
        "Policy sector",
        "How affected",
        "Power",
        "Interest",
        "Under-represented voices",
        "Engagement status",
        "Contact person",
    ]
    assert spreadsheet.guess_mapping(columns) == {
        "name": "Organisation",
        "group_id": "Stakeholder type",
        "government_level": "Level of government",
        "sector": "Policy sector",
        "affected": "How affected",
        "influence": "Power",
        "interest": "Interest",
        "voices": "Under-represented voices",
        "engagement_status": "Engagement status",
    }


def test_unknown_headings_map_to_nothing():
    mapping = spreadsheet.guess_mapping(["Contact person", "E-mail", "Notes", "Interested parties", "Named"])
    assert mapping == dict.fromkeys(spreadsheet.FIELDS)


def test_the_first_listed_word_wins_when_several_headings_match():
    assert spreadsheet.guess_mapping(["Organisation", "Name"])["name"] == "Name"


# --- preview -------------------------------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("cell", "group_id"),
    [
        ("Civil society organizations", "civil_society_organizations"),
        ("civil_society_organizations", "civil_society_organizations"),
        ("civil-society-organizations", "civil_society_organizations"),
        ("CSO", "civil_society_organizations"),
        ("NGOs", "civil_society_organizations"),
        ("Ministry", "policy_sectors"),
        ("  line   MINISTRY ", "policy_sectors"),
        ("The media", "media"),
        ("press", "media"),
        ("IOM", "un_network_on_migration"),
        ("Local authority", "local_and_regional_authorities"),
        ("Ombudsperson", "national_human_rights_institutions"),
        ("youth", "children_and_young_people"),
        ("Recruitment agencies", "recruitment_agencies"),
    ],
)
def test_groups_by_name_id_or_synonym(cell, group_id):
    row = one_row(Group=cell)
    assert row.ok, row.problems
    assert row.data["group_id"] == group_id


def test_every_group_name_and_id_and_synonym_is_understood():
    cells = [g.name for g in CONTENT.action1.stakeholder_groups] + [g.id for g in CONTENT.action1.stakeholder_groups]
    expected = [g.id for g in CONTENT.action1.stakeholder_groups] * 2
    for group_id, words in VOCABULARY["group_synonyms"].items():
        cells += words
        expected += [group_id] * len(words)
    rows = preview_rows([{"Name": f"Organisation {n}", "Group": cell} for n, cell in enumerate(cells)])
    assert [r.data["group_id"] for r in rows] == expected
    assert all(r.ok for r in rows)


def test_an_unknown_group_is_one_clear_problem():
    row = one_row(Group="Astronauts")
    assert row.problems == ["Stakeholder group: “Astronauts” is not one of the options."]


def test_a_missing_group_is_one_clear_problem():
    row = one_row(Group="")
    assert row.problems == ["Stakeholder group: it is required."]


@pytest.mark.parametrize(
    ("cells", "expected"),
    [
        ({"Level": "National"}, {"government_level": "national"}),
        ({"Level": "intergovernmental"}, {"government_level": "intergovernmental"}),
        ({"Level": "  LOCAL "}, {"government_level": "local"}),
        ({"Status": "Contacted"}, {"engagement_status": "contacted"}),
        ({"Status": "PARTNER"}, {"engagement_status": "partner"}),
        ({"Status": "declined"}, {"engagement_status": "declined"}),
    ],
)
def test_levels_and_statuses_by_label_or_id(cells, expected):
    row = one_row(**cells)
    assert row.ok, row.problems
    assert {k: row.data[k] for k in expected} == expected


def test_no_status_means_the_default_status():
    row = one_row(Status="")
    assert "engagement_status" not in row.data and row.ok


@pytest.mark.parametrize(
    ("cells", "problem"),
    [
        ({"Level": "galactic"}, "Level of government: “galactic” is not one of the options."),
        ({"Status": "maybe later"}, "Engagement status: “maybe later” is not one of the options."),
    ],
)
def test_unknown_levels_and_statuses_are_one_problem_each(cells, problem):
    assert one_row(**cells).problems == [problem]


@pytest.mark.parametrize("cell", ["4", "4.0", "4,0", " 4 ", "4.000"])
def test_scores_written_as_numbers_in_any_notation(cell):
    row = one_row(Influence=cell, Interest=cell, Affected=cell)
    assert row.ok, row.problems
    assert (row.data["influence"], row.data["interest"], row.data["affected"]) == (4, 4, 4)
    assert all(type(row.data[k]) is int for k in ("influence", "interest", "affected"))


@pytest.mark.parametrize("cell", ["lots", "4.5", "9", "0", "-2"])
def test_scores_that_are_not_1_to_5_are_refused_with_a_message(cell):
    row = one_row(Influence=cell)
    assert row.problems == [f"Influence (1–5): “{cell}” is not a score from 1 to 5."]
    assert not row.ok


@pytest.mark.parametrize(("cell", "score"), [("Very high", 5), ("high", 4), ("Medium", 3), ("low", 2), ("very low", 1)])
def test_scores_written_as_words(cell, score):
    row = one_row(Influence=cell)
    assert row.ok and row.data["influence"] == score


def test_an_empty_score_is_no_score():
    row = one_row(Influence="", Interest="  ")
    assert row.ok and (row.data["influence"], row.data["interest"]) == (None, None)


def test_voices_split_on_semicolons_and_commas_guidance_voices_become_ids():
    row = one_row(
        Voices="Migrant women; UNDOCUMENTED migrants, Travailleurs saisonniers ;; migrants_themselves,  , Роми"
    )
    assert row.ok, row.problems
    assert row.data["voices"] == [
        "migrant_women",
        "undocumented_migrants",
        "Travailleurs saisonniers",
        "migrants_themselves",
        "Роми",
    ]


def test_every_guidance_voice_name_and_id_becomes_its_id():
    voices = CONTENT.action1.underrepresented_voices
    row = one_row(Voices="; ".join([v.name.upper() for v in voices] + [v.id for v in voices]))
    assert row.data["voices"] == [v.id for v in voices] * 2


def test_blank_lines_are_skipped_and_rows_keep_their_spreadsheet_numbers():
    rows = preview_rows(
        [
            {"Name": "Ministry of Labour", "Group": "Ministry", "Notes": ""},
            {"Name": "", "Group": "  ", "Notes": "only an unmapped column"},
            {"Name": "", "Group": "", "Notes": ""},
            {"Name": "Media council", "Group": "media", "Notes": ""},
        ]
    )
    assert [(r.number, r.data["name"]) for r in rows] == [(2, "Ministry of Labour"), (5, "Media council")]


def test_csv_row_numbers_match_the_file_even_after_an_empty_line():
    """The heading is row 1; an empty line in the file is still a row of the spreadsheet."""
    frame = read_csv_text(
        "Name,Group\nMinistry of Labour,policy_sectors\n\nMedia council,media\n,\nAcademia,academia\n"
    )
    rows = spreadsheet.preview(frame, spreadsheet.guess_mapping(list(frame.columns)), CONTENT)
    assert [(r.number, r.data["name"]) for r in rows] == [
        (2, "Ministry of Labour"),
        (4, "Media council"),
        (6, "Academia"),
    ]


def test_duplicates_within_the_file_and_with_the_register_are_flagged():
    rows = preview_rows(
        [
            {"Name": "Ministry of Labour", "Group": "policy_sectors"},
            {"Name": "Media council", "Group": "media"},
            {"Name": "  MEDIA   Council ", "Group": "media"},
            {"Name": "Ombudsperson's office", "Group": "nhri"},
        ],
        existing=("ministry of LABOUR", "Academia"),
    )
    assert [(r.number, r.ok) for r in rows] == [(2, False), (3, True), (4, False), (5, True)]
    assert rows[0].problems == ["Name: “Ministry of Labour” is already on the register."]
    (problem,) = rows[2].problems
    assert problem.startswith("Name: “MEDIA") and problem.endswith("Council” is already on the register.")


@pytest.mark.parametrize(
    ("cells", "field"),
    [
        ({"Name": "<script>alert(1)</script>"}, "Name"),
        ({"Name": '<img src=x onerror="alert(1)">'}, "Name"),
        ({"Sector": "javascript:alert(1)"}, "Sector"),
        ({"Voices": "<iframe src=//evil.example>"}, "Under-represented voices it carries"),
    ],
)
def test_active_markup_is_refused(cells, field):
    row = one_row(**cells)
    assert not row.ok
    assert len(row.problems) == 1 and row.problems[0].startswith(f"{field}: it contains web page code")


def test_ordinary_angle_brackets_are_kept():
    row = one_row(Name="Workers <18 & families > 4", Sector="<b>Health</b>")
    assert row.ok and (row.data["name"], row.data["sector"]) == ("Workers <18 & families > 4", "<b>Health</b>")


def test_missing_name_too_long_name_and_several_problems_in_one_row():
    assert one_row(Name="").problems == ["Name: it cannot be empty."]
    assert one_row(Name="x" * 201).problems == ["Name: it is too long (at most 200 characters)."]
    (row,) = preview_rows([{"Name": "", "Group": "Astronauts", "Influence": "high", "Level": "space"}])
    assert row.problems == [
        "Stakeholder group: “Astronauts” is not one of the options.",
        "Level of government: “space” is not one of the options.",
        "Name: it cannot be empty.",
    ]
    (row,) = preview_rows([{"Name": "Radio", "Group": "Media", "Influence": "lots"}])
    assert row.problems == ["Influence (1–5): “lots” is not a score from 1 to 5."]


def test_unmapped_fields_are_left_empty():
    frame = frame_of([{"Who": "Ministry of Labour", "Kind": "Ministry", "Power": "5"}])
    mapping = dict.fromkeys(spreadsheet.FIELDS) | {"name": "Who", "group_id": "Kind"}
    (row,) = spreadsheet.preview(frame, mapping, CONTENT)
    assert row.ok and row.data["influence"] is None and row.data["voices"] == []


# --- import_rows ---------------------------------------------------------------------------------------------
IMPORT_CSV = (
    "Stakeholder name;Stakeholder group;Level;Sector;Affected;Influence;Interest;Voices;Status\n"
    "Ministère du Travail;Ministry;National;Travail;4;5,0;4;;Contacted\n"
    "Astronaut guild;Astronauts;;;;;;;\n"
    "Ministry of Labour;Ministry;;;;;;;\n"
    'Women Migrant Workers Network;CSO;;;5;2;5;"Migrant women, Travailleuses domestiques";partner\n'
    ";;;;;;;;\n"
    "Мережа громад;Local communities;local;;;high;;;\n"
    "Diaspora council;diasporas;;;;;;;\n"
)


def prepared_import(engine: Any) -> tuple[int, list[spreadsheet.ImportRow]]:
    workspace = make_workspace(engine)
    add_stakeholder(engine, workspace.id, "Ministry of Labour", "policy_sectors")
    frame = spreadsheet.read_table(IMPORT_CSV.encode("utf-8"), "register.csv")
    mapping = spreadsheet.guess_mapping(list(frame.columns))
    existing = [s.name for s in load(engine, workspace.id).stakeholders]
    return workspace.id, spreadsheet.preview(frame, mapping, CONTENT, existing)


def test_import_adds_only_the_rows_without_problems(engine):
    workspace_id, rows = prepared_import(engine)
    # "high" is a score of 4, so the community network's row is good.
    assert [(r.number, r.ok) for r in rows] == [(2, True), (3, False), (4, False), (5, True), (7, True), (8, True)]
    added = db.run_write(engine, spreadsheet.import_rows, workspace_id=workspace_id, rows=rows)
    assert added == 4
    data = load(engine, workspace_id)
    assert [s.name for s in data.stakeholders] == [
        "Ministry of Labour",
        "Ministère du Travail",
        "Women Migrant Workers Network",
        "Мережа громад",
        "Diaspora council",
    ]
    travail, network = data.stakeholders[1], data.stakeholders[2]
    assert (travail.group_id, travail.government_level, travail.sector) == ("policy_sectors", "national", "Travail")
    assert (travail.affected, travail.influence, travail.interest, travail.engagement_status) == (4, 5, 4, "contacted")
    assert (network.group_id, network.engagement_status) == ("civil_society_organizations", "partner")
    assert network.voices == ["migrant_women", "Travailleuses domestiques"]
    assert data.stakeholders[4].engagement_status == "identified"
    assert "Travailleuses domestiques" in data.workspace.custom_voices


def test_a_row_refused_at_write_time_makes_the_whole_import_write_nothing(engine):
    workspace_id, rows = prepared_import(engine)
    # Between the preview and the import, someone else adds one of the file's stakeholders to the register.
    add_stakeholder(engine, workspace_id, "diaspora COUNCIL", "diasporas")
    before = [s.name for s in load(engine, workspace_id).stakeholders]
    with pytest.raises(InputError) as error:
        db.run_write(engine, spreadsheet.import_rows, workspace_id=workspace_id, rows=rows)
    assert codes(error.value) == [("rows.7.name", "duplicate_stakeholder")]
    assert "row 8 › Name" in describe_error(error.value)
    data = load(engine, workspace_id)
    assert [s.name for s in data.stakeholders] == before == ["Ministry of Labour", "diaspora COUNCIL"]
    assert "Travailleuses domestiques" not in data.workspace.custom_voices


def test_importing_nothing_writes_nothing(sqlite_engine):
    workspace = make_workspace(sqlite_engine)
    rows = preview_rows([{"Name": "Astronaut guild", "Group": "Astronauts"}])
    assert db.run_write(sqlite_engine, spreadsheet.import_rows, workspace_id=workspace.id, rows=rows) == 0
    assert load(sqlite_engine, workspace.id).stakeholders == []


def test_import_into_a_missing_workspace_is_refused(sqlite_engine):
    rows = preview_rows([{"Name": "Media council", "Group": "media"}])
    with pytest.raises(NotFound):
        db.run_write(sqlite_engine, spreadsheet.import_rows, workspace_id=999, rows=rows)
