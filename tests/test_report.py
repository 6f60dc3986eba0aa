"""The PDF kick-off report (gcm_guide.report) read back with pypdf: text, contents, page numbers, draft marker,
chart images and their resolution, embedded fonts, Unicode and emoji, very long and very large workspaces, and
every page rendered to PNG under test-artifacts/report-pages/ for a person to look at. Plus the report's
charts (gcm_guide.report_charts) decoded with PIL, and the text helpers `printable` and `needs_shaping`."""

import datetime as dt
import io
import logging
import re
import shutil
import subprocess
from collections.abc import Iterator
from dataclasses import dataclass

import pytest
import uharfbuzz as hb
from fontTools.ttLib import TTFont
from PIL import Image
from pypdf import PdfReader
from pypdf.generic import ContentStream

from gcm_guide import chart_data, checklist, db, demo, i18n, report, report_charts, store
from gcm_guide.content import load_content
from gcm_guide.i18n import local_date, t
from gcm_guide.models import MAX_LONG_TEXT

from .conftest import ARTIFACTS, add_stakeholder, load, make_workspace

CONTENT = load_content()
TODAY = dt.date(2027, 5, 1)
QUESTIONS = [q.id for q in CONTENT.guiding_questions.questions]
CHECKLIST_ITEMS = [item.id for item in CONTENT.checklist.items]
WORKSPACE_NAME = "Plan de démarrage — Київ 🌍"
ARABIC = "وزارة العمل والهجرة تنسق مع المجتمع المدني"
MARKUP = "**not bold**, <b>x</b>, _not italic_ and [a link](https://example.org)"
# One typed answer per guiding question, replacing the demo's: accents, Cyrillic, Arabic, emoji, markup.
TYPED = dict(
    zip(
        QUESTIONS,
        [
            "Ministère de l'Intérieur et de la Sécurité publique; coopération étroite à Genève (été 2027).",
            "Міністерство соціальної політики України; Державна міграційна служба; Київська міська рада.",
            ARABIC,
            "Faith groups 🌍🤝 and unions 👍🏽 meet every week ❤️ in the town hall.",
            MARKUP,
            "Line one of the answer.\nLine two — après l'été, with “quotes” and ‘single’ ones.",
        ],
        strict=True,
    )
)
EXTRA_PEOPLE = [
    ("Association des femmes migrantes — Sénégal", "diasporas"),
    ("Спілка мігрантів України", "civil_society_organizations"),
    ("جمعية المهاجرين العرب", "diasporas"),
    ("Youth 🌍 Network", "children_and_young_people"),
]
GLYPHS_MISSING = re.compile(r"is missing the following glyphs")
PAGE_LINE = re.compile(r"Page (\d+) of (\d+)")


# --- Helpers ------------------------------------------------------------------------------------------------
@dataclass
class Report:
    data: store.WorkspaceData
    pdf: bytes
    reader: PdfReader
    pages: list[str]  # the extracted text of each page
    warnings: list[str]  # what fpdf2 logged while making it

    @property
    def text(self) -> str:
        return "\n".join(self.pages)

    @property
    def flat(self) -> str:
        return flat(self.text)

    def outline(self) -> dict[str, int]:
        """Section title -> page number (1-based), from the PDF's bookmarks."""
        found: dict[str, int] = {}

        def walk(items):
            for item in items:
                if isinstance(item, list):
                    walk(item)
                else:
                    found[item.title] = self.reader.get_destination_page_number(item) + 1

        walk(self.reader.outline)
        return found


class _Collect(logging.Handler):
    def __init__(self) -> None:
        super().__init__(logging.WARNING)
        self.messages: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.messages.append(record.getMessage())


def make_report(data: store.WorkspaceData) -> Report:
    """The report of `data`, read back, with any warning fpdf2 logged (e.g. glyphs missing from a font)."""
    handler = _Collect()
    logger = logging.getLogger("fpdf")
    logger.addHandler(handler)
    try:
        pdf = report.report_pdf(data, CONTENT, today=TODAY)
    finally:
        logger.removeHandler(handler)
    reader = PdfReader(io.BytesIO(pdf))
    return Report(data, pdf, reader, [page.extract_text() for page in reader.pages], handler.messages)


def flat(text: str) -> str:
    """Text with every run of whitespace (line breaks from wrapping included) made one space."""
    return " ".join(text.split())


def body(page_text: str) -> str:
    """A page's text without its running head, draft marker and page number."""
    kept = [
        line
        for line in page_text.split("\n")
        if not (
            line.startswith("GCM kick-off report —") or line.strip() == "DRAFT" or PAGE_LINE.fullmatch(line.strip())
        )
    ]
    return "\n".join(kept)


def fill_typed(engine, workspace_id: int, people=EXTRA_PEOPLE) -> None:
    """Replace the guiding-question answers with TYPED and add stakeholders with non-Latin names."""

    def work(*, session):
        for question_id, text in TYPED.items():
            store.save_answer(
                session=session, workspace_id=workspace_id, question_id=question_id, changes={"text": text}
            )
        for name, group in people:
            store.add_stakeholder(session=session, workspace_id=workspace_id, data={"name": name, "group_id": group})

    db.run_write(engine, work)


def typed_demo(engine, name: str = WORKSPACE_NAME) -> store.WorkspaceData:
    workspace = demo.add_demo_workspace(engine, name)
    fill_typed(engine, workspace.id)
    return load(engine, workspace.id)


def placed_images(reader: PdfReader) -> Iterator[tuple[int, object, float, float]]:
    """(page number, image XObject, drawn width and height in points) for every image drawn, in order."""
    for number, page in enumerate(reader.pages, start=1):
        xobjects = page["/Resources"].get("/XObject")
        if not xobjects:
            continue
        xobjects = xobjects.get_object()
        matrix = None
        for operands, operator in ContentStream(page.get_contents(), reader).operations:
            if operator == b"cm":
                matrix = [float(x) for x in operands]
            elif operator == b"Do":
                xobject = xobjects[operands[0]].get_object()
                if xobject["/Subtype"] == "/Image":
                    assert matrix is not None, "an image drawn without a placement"
                    yield number, xobject, matrix[0], matrix[3]


def fonts(reader: PdfReader) -> dict[str, object]:
    """Every font in every page's resources: base font name -> font dictionary."""
    found = {}
    for page in reader.pages:
        for font in page["/Resources"]["/Font"].get_object().values():
            font = font.get_object()
            found[str(font["/BaseFont"])] = font
    return found


def descriptor(font) -> object:
    if font["/Subtype"] == "/Type0":
        font = font["/DescendantFonts"][0].get_object()
    return font["/FontDescriptor"].get_object()


def png_rgb(png: bytes) -> Image.Image:
    with Image.open(io.BytesIO(png)) as image:
        return image.convert("RGB")


# --- The demo report (built once: ~2 s) --------------------------------------------------------------------
@pytest.fixture(scope="module")
def demo_report(tmp_path_factory) -> Iterator[Report]:
    """The demo workspace with TYPED answers and EXTRA_PEOPLE, on its own SQLite file."""
    engine = db.open_database(f"sqlite:///{tmp_path_factory.mktemp('report') / 'gcm.sqlite3'}")
    data = typed_demo(engine)
    yield make_report(data)
    engine.dispose()


def test_the_report_is_a_pdf_of_a_sane_length(demo_report):
    assert demo_report.pdf.startswith(b"%PDF-")
    assert demo_report.pdf.rstrip().endswith(b"%%EOF")
    assert 8 <= len(demo_report.pages) <= 40
    assert demo_report.reader.metadata.title == report.printable(t("report.title", name=WORKSPACE_NAME))


def test_every_answer_and_every_stakeholder_name_is_in_the_text(engine):
    data = typed_demo(engine)
    made = make_report(data)
    text = made.flat
    assert report.printable(WORKSPACE_NAME) in flat(made.pages[0])
    for question_id, answer in TYPED.items():
        if question_id == QUESTIONS[2]:
            continue  # Arabic: checked word by word below
        assert flat(report.printable(answer)) in text, question_id
    # Arabic is shaped and laid out right to left; its extracted word order is not something to rely on.
    words = set(text.split())
    assert set(ARABIC.split()) <= words
    assert len(data.stakeholders) == len(demo.STAKEHOLDERS) + len(EXTRA_PEOPLE)
    for person in data.stakeholders:
        if report.needs_shaping(person.name):
            assert set(person.name.split()) <= words, person.name
        else:
            assert flat(report.printable(person.name)) in text, person.name
    assert made.warnings == []


def test_the_cover_names_the_workspace_and_says_draft_while_the_checklist_is_incomplete(demo_report):
    cover = flat(demo_report.pages[0])
    assert report.printable(WORKSPACE_NAME) in cover
    assert "Jamaica" in cover and t("report.generated", date="1 May 2027") in cover
    assert t("report.draft_stamp") in cover.split()
    statuses = checklist.checklist_status(demo_report.data, CONTENT)
    done = checklist.done_count(statuses)
    assert not checklist.is_complete(statuses)
    assert t("report.draft_reason", done=done, total=len(CHECKLIST_ITEMS)) in cover
    assert t("report.complete") not in cover
    # Every later page carries the draft marker in its running head.
    for page in demo_report.pages[1:]:
        assert t("report.draft_marker") in page.split("\n")[:3]


def test_the_report_is_not_a_draft_once_every_checklist_item_is_confirmed_done(sqlite_engine):
    workspace = demo.add_demo_workspace(sqlite_engine, "Finished kick-off")

    def confirm(*, session):
        for item in CONTENT.checklist.items:
            status = "in_progress" if item.ongoing else "done"  # ongoing work is under way, never done
            store.save_checklist_entry(
                session=session, workspace_id=workspace.id, item_id=item.id, changes={"confirmed_status": status}
            )

    db.run_write(sqlite_engine, confirm)
    made = make_report(load(sqlite_engine, workspace.id))
    assert t("report.complete") in flat(made.pages[0])
    assert "DRAFT" not in made.text
    # One item not there yet keeps it a draft.
    db.run_write(
        sqlite_engine,
        store.save_checklist_entry,
        workspace_id=workspace.id,
        item_id=CHECKLIST_ITEMS[-1],
        changes={"confirmed_status": "not_started"},
    )
    again = make_report(load(sqlite_engine, workspace.id))
    assert t("report.draft_reason", done=5, total=6) in flat(again.pages[0])


def test_the_contents_list_every_section_with_the_page_it_starts_on(demo_report):
    lines = demo_report.pages[1].split("\n")
    start = lines.index(t("report.contents"))
    entries = []
    for line in lines[start + 1 :]:
        match = re.fullmatch(r"(.+) (\d+)", line.strip())
        if match and not PAGE_LINE.fullmatch(line.strip()):
            entries.append((match.group(1), int(match.group(2))))
    expected = [
        CONTENT.guiding_questions.title,
        t("report.sections.stakeholders"),
        t("report.sections.gaps"),
        t("report.sections.register"),
        t("report.sections.understand"),
        t("report.sections.engagement"),
        t("report.sections.setup"),
        t("report.sections.reasons"),
        t("setup.rec.caveats_title"),
        t("setup.work_processes_title"),
        t("report.sections.awareness"),
        CONTENT.checklist.title,
        t("report.sections.sources"),
    ]
    assert [title for title, _ in entries] == expected
    pages = [page for _, page in entries]
    assert pages == sorted(pages) and pages[-1] == len(demo_report.pages)
    for title, page in entries:
        assert title in flat(body(demo_report.pages[page - 1])), (title, page)
    # The bookmarks agree with the contents page.
    assert demo_report.outline() == dict(entries)


def test_no_page_is_left_blank(demo_report):
    """Every page has something besides its running head and page number."""
    blank = [number for number, page in enumerate(demo_report.pages, start=1) if not body(page).strip()]
    assert blank == []


def test_every_page_is_numbered_page_n_of_m(demo_report):
    total = len(demo_report.pages)
    for number, page in enumerate(demo_report.pages, start=1):
        assert PAGE_LINE.findall(page) == [(str(number), str(total))]


def test_the_sources_come_last_with_every_footnote(demo_report):
    last = flat(demo_report.pages[-1])
    assert t("report.sections.sources") in last
    for note in CONTENT.footnotes:
        assert flat(f"{note.number}. {note.source}") in last
    for source in ("de la Mata", "Cranfield"):
        first = next(n for n, page in enumerate(demo_report.pages, start=1) if source in flat(page))
        assert first == len(demo_report.pages), source


def test_the_demo_report_draws_its_seven_charts_at_full_text_width(demo_report):
    images = list(placed_images(demo_report.reader))
    # Stakeholder map: groups, influence/interest, voices; engagement; awareness and its timeline; checklist.
    assert len(images) == 7
    outline = demo_report.outline()
    chart_pages = {number for number, *_ in images}
    assert outline[t("report.sections.stakeholders")] in chart_pages
    assert outline[t("report.sections.engagement")] in chart_pages
    assert outline[t("report.sections.awareness")] in chart_pages
    assert outline[CONTENT.checklist.title] in chart_pages
    text_width_pt = (210 - 2 * 18) / 25.4 * 72
    for _, image, width_pt, height_pt in images:
        assert width_pt == pytest.approx(text_width_pt, abs=0.5)
        # Not stretched: the drawn aspect ratio is the image's own.
        assert width_pt / height_pt == pytest.approx(image["/Width"] / image["/Height"], rel=0.01)
        assert image["/Width"] >= 1000 and image["/Height"] >= 300


def test_chart_images_have_at_least_200_dpi_at_their_printed_size(demo_report):
    """The charts are made at report_charts.DPI; scaled to the text width they must keep at least that."""
    too_coarse = []
    images = list(placed_images(demo_report.reader))
    assert images
    for page, image, width_pt, height_pt in images:
        dpi_x = image["/Width"] / (width_pt / 72)
        dpi_y = image["/Height"] / (height_pt / 72)
        if min(dpi_x, dpi_y) < report_charts.DPI:
            too_coarse.append((page, image["/Width"], round(dpi_x)))
    assert too_coarse == [], "(page, pixel width, dpi as printed)"


def test_the_first_chart_is_the_group_coverage_drawn_by_report_charts(demo_report):
    """The PDF holds exactly the PNG report_charts draws from the screen's chart data."""
    coverage = chart_data.group_coverage(demo_report.data, CONTENT)
    expected = png_rgb(report_charts.bars_png(coverage, zero_text=t("charts.groups.none_yet")))
    page = demo_report.reader.pages[demo_report.outline()[t("report.sections.stakeholders")] - 1]
    embedded = [image.image.convert("RGB") for image in page.images]
    assert (expected.size, expected.tobytes()) in [(image.size, image.tobytes()) for image in embedded]
    assert flat(coverage.summary) in demo_report.flat


def test_every_font_is_embedded(demo_report):
    found = fonts(demo_report.reader)
    assert {name.split("+")[-1] for name in found} >= {"DejaVuSansBook", "DejaVuSansBold", "DejaVuSansOblique"}
    for name, font in found.items():
        file = descriptor(font).get("/FontFile2")
        assert file is not None, name
        assert len(file.get_object().get_data()) > 1000, name
        assert "/ToUnicode" in font, name  # so the text can be searched and copied


def test_emoji_become_their_names_and_every_character_is_in_the_font(demo_report):
    text = demo_report.flat
    assert "[earth globe europe-africa]" in text  # in the workspace name, a typed answer and a stakeholder name
    assert "Faith groups [earth globe europe-africa][handshake] and unions [thumbs up sign] meet every week ❤" in text
    assert "fitzpatrick" not in text  # the skin tone is dropped, not named
    assert demo_report.warnings == []  # fpdf2 reports characters its fonts lack
    covered = report._covered()
    outside = {c for c in demo_report.text if not c.isspace() and ord(c) not in covered}
    assert outside == set()


def test_arabic_is_shaped_with_its_joining_forms(demo_report):
    """The glyphs HarfBuzz picks for the Arabic answer (initial, medial and final forms) are the ones embedded."""
    path = report.FONT_DIR / report.FONT_FILES[""]
    buffer = hb.Buffer()
    buffer.add_str(ARABIC)
    buffer.guess_segment_properties()
    hb.shape(hb.Font(hb.Face(hb.Blob.from_file_path(str(path)))), buffer)
    with TTFont(path) as full:
        shaped = {full.getGlyphName(info.codepoint) for info in buffer.glyph_infos}
        isolated = {full.getBestCmap()[ord(c)] for c in ARABIC}
    assert shaped - isolated, "HarfBuzz should choose contextual forms for this text"
    regular = next(f for name, f in fonts(demo_report.reader).items() if name.endswith("DejaVuSansBook"))
    embedded = TTFont(io.BytesIO(descriptor(regular)["/FontFile2"].get_object().get_data()))
    assert shaped - {" ", "space"} <= set(embedded.getGlyphOrder())


def test_table_headings_and_dates_are_not_broken_inside_words(demo_report):
    """Narrow columns wrap between words; a heading or a date cut in the middle ("governm / ent") is hard to read."""
    outline = demo_report.outline()
    register = flat(body(demo_report.pages[outline[t("report.sections.register")] - 1]))
    activities = flat(body(demo_report.pages[outline[t("report.sections.awareness")] - 1]))
    broken = [t(f"report.register.{key}") for key in report._REGISTER_HEADINGS]
    broken = [heading for heading in broken if heading not in register]
    dates = [local_date(d) for d in (dt.date(2027, 2, 1), dt.date(2027, 3, 3))]  # as the reader writes dates
    broken += [d for d in dates if d not in activities]
    assert broken == []


def test_markdown_and_html_typed_by_users_appear_as_typed(demo_report):
    assert MARKUP in demo_report.flat
    assert "Line one of the answer. Line two — après l'été" in demo_report.flat


def test_bold_text_uses_only_characters_the_bold_font_has(sqlite_engine, caplog):
    """Stakeholder names are drawn in bold above their answers; `printable` checks the regular font only."""
    workspace = make_workspace(sqlite_engine, "Fancy letters")
    name = "𝖬𝗂𝗀𝗋𝖺𝗇𝗍 𝖧𝗎𝖻"  # mathematical sans-serif letters, as pasted from "fancy text" sites
    add_stakeholder(sqlite_engine, workspace.id, name, "diasporas", role_and_interest="Runs a help desk.")
    with caplog.at_level(logging.WARNING, logger="fpdf"):
        report.report_pdf(load(sqlite_engine, workspace.id), CONTENT, today=TODAY)
    missing = [r.getMessage() for r in caplog.records if GLYPHS_MISSING.search(r.getMessage())]
    assert missing == []


# --- Long and large ----------------------------------------------------------------------------------------
def test_a_very_long_answer_flows_over_several_pages_and_is_all_there(sqlite_engine):
    workspace = make_workspace(sqlite_engine, "Long answers")
    words = " ".join(f"word{i:05d}" for i in range(MAX_LONG_TEXT // 9))[:MAX_LONG_TEXT].rstrip()
    assert len(words) >= MAX_LONG_TEXT - 1
    db.run_write(
        sqlite_engine, store.save_answer, workspace_id=workspace.id, question_id=QUESTIONS[1], changes={"text": words}
    )
    made = make_report(load(sqlite_engine, workspace.id))
    joined = "".join("".join(body(page).split()) for page in made.pages)
    assert "".join(words.split()) in joined
    spanned = [n for n, page in enumerate(made.pages, start=1) if "word0" in page]
    assert len(spanned) >= 20
    assert spanned == list(range(spanned[0], spanned[-1] + 1))
    assert made.warnings == []


def test_a_thousand_stakeholders_are_all_in_the_register_whose_heading_repeats_on_every_page(sqlite_engine):
    workspace = demo.add_demo_workspace(sqlite_engine, "Big register", 1000)
    made = make_report(load(sqlite_engine, workspace.id))
    assert len(made.data.stakeholders) == 1000
    outline = made.outline()
    first, after = outline[t("report.sections.register")], outline[t("report.sections.understand")]
    register_pages = range(first, after + 1)
    register = flat("\n".join(body(made.pages[n - 1]) for n in register_pages))
    for person in made.data.stakeholders:
        assert re.search(re.escape(flat(person.name)) + r"(?!\d)", register), person.name
    # Pages with register rows: those whose text shows a row's status followed by a name or the page end.
    heading_cells = [t(f"report.register.{key}") for key in ("name", "group", "sector", "voices", "status")]
    statuses = {t(f"status.{s}") for s in ("identified", "contacted", "engaged", "partner", "declined")}
    pages_with_rows = 0
    for number in register_pages:
        lines = [line.strip() for line in body(made.pages[number - 1]).split("\n")]
        rows = sum(1 for line in lines if line.split(" ")[-1] in statuses)
        if not rows:
            continue
        pages_with_rows += 1
        page_text = flat("\n".join(lines))
        # The heading row comes once per page, before the first row.
        assert page_text.count(t("report.register.voices")) == 1, number
        first_row = page_text.index(t("report.register.status"))
        assert all(0 <= page_text.find(cell) <= first_row for cell in heading_cells), number
    assert pages_with_rows >= 20
    assert pages_with_rows >= len(register_pages) - 1
    assert made.warnings == []


# --- Empty workspace ---------------------------------------------------------------------------------------
def test_an_empty_workspace_makes_a_valid_report_that_says_nothing_is_there_yet(sqlite_engine, monkeypatch):
    drawn_empty = []
    original = report_charts._empty

    def spy(title, message):
        drawn_empty.append(message)
        return original(title, message)

    monkeypatch.setattr(report_charts, "_empty", spy)
    workspace = make_workspace(sqlite_engine, "Nothing yet")
    data = load(sqlite_engine, workspace.id)
    made = make_report(data)
    assert made.pdf.startswith(b"%PDF-") and len(made.pages) >= 8
    assert made.flat.count(t("report.not_answered")) >= len(QUESTIONS)
    assert t("report.none_yet") in made.flat  # the register
    assert drawn_empty == [t("charts.grid.empty"), t("charts.engagement.empty"), t("charts.awareness.empty")]
    # The empty charts are the images in the PDF, each followed by its summary in words.
    images = list(placed_images(made.reader))
    assert len(images) == 6  # groups, grid, voices, engagement, awareness (no timeline: no dates), checklist
    in_pdf = {image.image.convert("RGB").tobytes() for page in made.reader.pages for image in page.images}
    grid = chart_data.influence_interest(data, CONTENT)
    engagement = chart_data.engagement(data, CONTENT)
    awareness = chart_data.awareness(data, CONTENT)
    for png in (
        report_charts.grid_png(grid),
        report_charts.matrix_png(engagement, empty_message=t("charts.engagement.empty")),
        report_charts.matrix_png(awareness, empty_message=t("charts.awareness.empty")),
    ):
        assert png_rgb(png).tobytes() in in_pdf
    for summary in (grid.summary, engagement.summary, awareness.summary):
        assert flat(summary) in made.flat
    assert made.warnings == []


# --- Pages for people to look at ---------------------------------------------------------------------------
def test_every_page_renders_to_a_png_for_review(demo_report):
    folder = ARTIFACTS / "report-pages"
    shutil.rmtree(folder, ignore_errors=True)
    folder.mkdir(parents=True)
    pdf = folder / "demo-report.pdf"
    pdf.write_bytes(demo_report.pdf)
    subprocess.run(["pdftoppm", "-r", "80", "-png", str(pdf), str(folder / "page")], check=True)
    pngs = sorted(folder.glob("page-*.png"))
    assert len(pngs) == len(demo_report.pages)
    for png in pngs:
        assert png.stat().st_size > 5_000, png.name
        with Image.open(png) as image:
            # A4 at 80 dpi, upright, or on its side for the stakeholder register's wide table.
            width, height = sorted(image.size)
            assert (width, height) == pytest.approx((210 / 25.4 * 80, 297 / 25.4 * 80), abs=2)
    register_page = demo_report.outline()[t("report.sections.register")]
    with Image.open(pngs[register_page - 1]) as image:
        assert image.size[0] > image.size[1]


# --- printable and needs_shaping ---------------------------------------------------------------------------
@pytest.mark.parametrize(
    "text",
    ["Été à Genève, Ñandú", "Київ, Міністерство", "Ελληνικά", "وزارة العمل", "עברית", "— “quotes” · €5 ±1", "a\nb\tc"],
)
def test_printable_keeps_characters_the_font_covers(text):
    assert report.printable(text) == text


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("🌍", "[earth globe europe-africa]"),
        ("Hello 🤝!", "Hello [handshake]!"),
        ("👍🏽", "[thumbs up sign]"),  # skin-tone modifier dropped
        ("👋🏻👋🏿", "[waving hand sign][waving hand sign]"),
        ("\ue000", "[symbol]"),  # private use: no name
    ],
)
def test_printable_names_what_the_font_lacks(text, expected):
    assert report.printable(text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("❤️", "❤"),  # U+2764 + variation selector-16
        ("☺︎", "☺"),  # U+263A + variation selector-15
        ("👩‍🌾", "[woman][ear of rice]"),  # zero-width joiner
    ],
)
def test_printable_drops_variation_selectors_and_joiners(text, expected):
    assert report.printable(text) == expected


@pytest.mark.parametrize("text", ["مرحبا", "שלום", "नमस्ते", "abc وزارة", "ﻻ"])
def test_needs_shaping_for_joined_and_right_to_left_scripts(text):
    assert report.needs_shaping(text)


@pytest.mark.parametrize("text", ["", "Hello", "Été à Genève", "Київ", "Ελληνικά", "🌍 [earth globe]"])
def test_needs_no_shaping_for_latin_cyrillic_greek(text):
    assert not report.needs_shaping(text)


# --- report_charts -------------------------------------------------------------------------------------------
def decoded(png: bytes) -> Image.Image:
    image = Image.open(io.BytesIO(png))
    image.load()
    assert image.format == "PNG"
    return image


def assert_200_dpi(image: Image.Image) -> None:
    dpi_x, dpi_y = image.info["dpi"]
    assert round(dpi_x) == round(dpi_y) == report_charts.DPI
    # The figure is WIDTH_IN wide before the tight crop, which trims margins or adds room for long labels.
    assert 0.75 * report_charts.WIDTH_IN <= image.width / report_charts.DPI <= 1.25 * report_charts.WIDTH_IN


def test_report_charts_draw_the_screens_chart_data_as_200_dpi_pngs(sqlite_engine):
    workspace = make_workspace(sqlite_engine)
    add_stakeholder(sqlite_engine, workspace.id, "Ministry of Labour", "policy_sectors", influence=5, interest=5)
    data = load(sqlite_engine, workspace.id)
    coverage = chart_data.group_coverage(data, CONTENT)
    bars = decoded(report_charts.bars_png(coverage, zero_text=t("charts.groups.none_yet")))
    assert_200_dpi(bars)
    assert len(bars.convert("RGB").getcolors(maxcolors=1 << 24)) > 20  # drawn, not blank
    grid = decoded(report_charts.grid_png(chart_data.influence_interest(data, CONTENT)))
    assert_200_dpi(grid)
    # Figure height 5.2 in, give or take the tight crop and the legend below.
    assert 4.0 <= grid.height / report_charts.DPI <= 6.5
    statuses = checklist.checklist_status(data, CONTENT)
    listed = decoded(report_charts.checklist_png(chart_data.checklist_progress(statuses, CONTENT)))
    assert_200_dpi(listed)
    # The picture follows the data: a second stakeholder in another group changes the bars.
    add_stakeholder(sqlite_engine, workspace.id, "Diaspora council", "diasporas")
    more = chart_data.group_coverage(load(sqlite_engine, workspace.id), CONTENT)
    again = decoded(report_charts.bars_png(more, zero_text=t("charts.groups.none_yet")))
    assert again.size == bars.size and again.tobytes() != bars.tobytes()


def test_report_charts_for_many_people_dates_and_nothing(sqlite_engine):
    workspace = demo.add_demo_workspace(sqlite_engine, "Many", 80)
    data = load(sqlite_engine, workspace.id)
    grid = chart_data.influence_interest(data, CONTENT)
    assert grid.aggregated  # drawn as one bubble per cell
    assert_200_dpi(decoded(report_charts.grid_png(grid)))
    awareness = chart_data.awareness(data, CONTENT)
    assert_200_dpi(decoded(report_charts.matrix_png(awareness, empty_message="unused")))
    timeline = report_charts.timeline_png(awareness)
    assert timeline is not None
    assert_200_dpi(decoded(timeline))
    # Nothing to draw: a short message panel, and no timeline without dates.
    empty = load(sqlite_engine, make_workspace(sqlite_engine, "Empty").id)
    empty_awareness = chart_data.awareness(empty, CONTENT)
    assert report_charts.timeline_png(empty_awareness) is None
    panel = decoded(report_charts.matrix_png(empty_awareness, empty_message=t("charts.awareness.empty")))
    assert_200_dpi(panel)
    assert panel.height / report_charts.DPI < 2.0
    no_bars = chart_data.BarChartData("Nothing", (), "Nothing.")
    assert decoded(report_charts.bars_png(no_bars, zero_text="none")).height / report_charts.DPI < 2.0


@pytest.mark.parametrize(
    ("language", "contents", "page_one", "date", "accented"),
    [
        ("fr", "Sommaire", "Page 1 sur", "1 mai 2027", "Étape 1"),
        ("es", "Índice", "Página 1 de", "1 may 2027", "Paso 1"),
    ],
)
def test_the_report_in_french_and_spanish_reads_back_with_accents_and_names_its_translation(
    sqlite_engine, language, contents, page_one, date, accented
):
    data = typed_demo(sqlite_engine)
    with i18n.language(language):
        made = make_report(data)
        note = i18n.t("app.translation_note")
    cover = flat(made.pages[0])
    assert date in cover and flat(note) in cover  # whose translation this is, on the cover
    assert accented in made.flat and contents in made.flat
    assert page_one in made.pages[0]
    assert "GCM kick-off report" not in made.flat  # no English heading left
    assert made.warnings == []
    # What the team typed stays as typed, in whatever language the report is in.
    assert all(flat(text) in made.flat for text in TYPED.values() if text.isascii())


def test_the_english_report_has_no_translation_note(demo_report):
    assert flat(i18n.t("app.translation_note"))[:40] not in demo_report.flat
