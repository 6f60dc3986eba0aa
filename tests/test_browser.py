"""What a person sees: the real app server driven in Debian's Chromium through Playwright."""

import uuid
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect
from pypdf import PdfReader

from gcm_guide import access, db, store

from .conftest import (
    PASSCODE,
    PLAIN_STREAMLIT_COMMAND,
    SERVER_COMMAND,
    add_stakeholder_in_browser,
    create_workspace,
    nav,
    settle,
    start_app_server,
    unlock,
)

pytestmark = pytest.mark.browser


def test_a_stakeholder_is_still_there_after_a_reload(page: Page, app_server):
    name = f"Kick-off {uuid.uuid4().hex[:6]}"
    create_workspace(page, app_server.url, name)
    assert "?ws=" in page.url
    nav(page, "stakeholders")
    add_stakeholder_in_browser(page, "Ministry of Labour and Social Security", "Various policy sectors")
    expect(page.get_by_text("Added Ministry of Labour and Social Security to the register.")).to_be_visible()
    expect(page.get_by_text("15 groups not yet covered")).to_be_visible()

    page.reload()
    settle(page)
    # The reload lands on the same page of the same workspace; the new browser session enters the passcode.
    assert page.url.split("/")[-1].startswith("stakeholders?ws=")
    expect(page.get_by_text(f"{name} is locked")).to_be_visible()
    unlock(page)
    expect(page.get_by_text("1 stakeholder · 1 of 16 stakeholder groups covered")).to_be_visible()
    nav(page, "engagement")
    expect(page.get_by_text("Ministry of Labour and Social Security").first).to_be_visible()

    # And it is in the database the server writes to.
    engine = db.open_database(app_server.database_url)
    workspace = next(w for w in db.run_read(engine, store.list_workspaces) if w.name == name)
    data = db.run_read(engine, store.load_workspace_data, workspace_id=workspace.id)
    assert [(s.name, s.group_id) for s in data.stakeholders] == [
        ("Ministry of Labour and Social Security", "policy_sectors")
    ]
    engine.dispose()


def test_an_answer_typed_just_before_navigating_away_is_kept(page: Page, app_server):
    """Typing and then clicking another page (without leaving the field first) must not lose the text."""
    create_workspace(page, app_server.url, f"Kick-off {uuid.uuid4().hex[:6]}")
    answer = "Ministry of National Security; PICA — مرحبا"
    box = page.get_by_label("1. What government bodies/entities are involved in migration-related policy?")
    box.fill(answer)
    page.locator('[data-testid="stSidebar"] a[href="stakeholders"]').first.click()
    settle(page)
    # Streamlit may swallow that first click while it saves; the text must be shown and saved either way.
    if "/stakeholders" not in page.url:
        expect(box).to_have_value(answer)
        nav(page, "stakeholders")
    nav(page, "guiding-questions")
    expect(
        page.get_by_label("1. What government bodies/entities are involved in migration-related policy?")
    ).to_have_value(answer)
    expect(page.get_by_text("1 of 6 questions answered")).to_be_visible()


@pytest.mark.parametrize(
    ("command", "notice_possible"), [(SERVER_COMMAND, False), (PLAIN_STREAMLIT_COMMAND, True)], ids=["server", "plain"]
)
def test_a_deep_link_works_on_a_freshly_started_server(browser, tmp_path, command, notice_possible):
    """After a restart, the first visitor may arrive on a bookmarked page: it must open, not 'Page not found'.
    Started as plain `streamlit run app.py` (without gcm_guide.server's correction), the page still opens, but
    Streamlit may first lay its "Page not found" notice over it (streamlit/streamlit#9624), which a person
    closes."""
    server = start_app_server(f"sqlite:///{tmp_path / 'fresh.sqlite3'}", tmp_path / "server.log", command=command)
    engine = db.open_database(server.database_url)
    try:
        workspace = db.run_write(
            engine, access.create_protected_workspace, data={"name": "Bookmarked kick-off"}, passcode=PASSCODE
        )
        page = browser.new_page()
        page.goto(f"{server.url}/stakeholders?ws={workspace.public_id}")
        settle(page)
        if notice_possible and page.get_by_text("Page not found").count():
            page.keyboard.press("Escape")
        expect(page.get_by_text("Page not found")).to_have_count(0)
        unlock(page)
        expect(page.get_by_role("heading", name="Action 1 — Identify stakeholders")).to_be_visible()
        expect(page.get_by_text("Page not found")).to_have_count(0)
        expect(page.locator('[data-testid="stSidebar"]').get_by_text("Bookmarked kick-off")).to_be_visible()
        page.close()
    finally:
        engine.dispose()
        server.process.terminate()
        server.process.wait(timeout=10)


def test_the_summary_downloads_a_pdf_that_holds_the_answers(page: Page, app_server):
    import io

    from pypdf import PdfReader

    name = f"Report {uuid.uuid4().hex[:6]}"
    create_workspace(page, app_server.url, name)
    box = page.get_by_label(
        "2. Which policy sectors significantly affect – or are affected by – migrants and migration?"
    )
    box.fill("Santé, travail, éducation — الصحة")
    box.press("Tab")
    settle(page)
    nav(page, "summary")
    with page.expect_download(timeout=60_000) as download_info:
        page.get_by_role("button", name="PDF report").click()
    download = download_info.value
    assert download.suggested_filename == f"{name}.pdf"
    pdf = PdfReader(io.BytesIO(download.path().read_bytes()))
    text = " ".join(p.extract_text() for p in pdf.pages)
    assert name in text and "Santé, travail, éducation" in text and "DRAFT" in text
    assert len(pdf.pages) >= 8


def test_the_summary_draws_a_sections_charts_and_table_when_they_are_opened(page: Page, app_server):
    """The summary opens with each section in words; a section's charts and table are drawn on request (so the
    page opens quickly at any size), and closing the panel takes them away again."""
    create_workspace(page, app_server.url, f"Summary {uuid.uuid4().hex[:6]}")
    nav(page, "stakeholders")
    add_stakeholder_in_browser(page, "Ministry of Labour and Social Security", "Various policy sectors")
    nav(page, "summary")
    charts = page.locator(".js-plotly-plot")
    expect(page.get_by_text("1 stakeholder in 1 of 16 stakeholder groups.", exact=False)).to_be_visible()
    assert charts.count() == 0 and page.get_by_test_id("stDataFrame").count() == 0
    panels = page.get_by_test_id("stExpander").filter(has_text="Charts and tables")
    expect(panels).to_have_count(5)
    panels.nth(0).get_by_text("Charts and tables").click()
    settle(page)
    expect(charts).to_have_count(1)  # the open tab's chart (the others are drawn when their tab is chosen)
    expect(page.get_by_test_id("stDataFrame")).to_have_count(1)  # the register, by group
    expect(page.get_by_test_id("stDataFrame").first).to_be_visible()
    panels.nth(4).get_by_text("Charts and tables").click()  # the checklist's, further down
    settle(page)
    expect(charts).to_have_count(2)
    panels.nth(0).get_by_text("Charts and tables").click()
    settle(page)
    expect(charts).to_have_count(1)


def test_text_a_person_typed_is_shown_as_text_in_messages(page: Page, app_server):
    """A name with markdown, HTML and addresses in it, added twice: the confirmation and the refusal show it as
    typed, with no link, image or bold made of it, and the browser fetches nothing from the addresses."""
    fetched: list[str] = []
    page.on("request", lambda request: fetched.append(request.url) if "evil.com" in request.url else None)
    create_workspace(page, app_server.url, f"Kick-off {uuid.uuid4().hex[:6]}")
    nav(page, "stakeholders")
    name = "![x](http://evil.com/x.png) **Union** <b>big</b> [Verify](https://evil.com/p) www.evil.com a@evil.com"
    for _ in range(2):
        add_stakeholder_in_browser(page, name, "Civil society organizations")
    refusal = page.get_by_test_id("stAlertContentError").filter(has_text="is already on the register")
    expect(refusal).to_be_visible()
    shown = refusal.inner_text().replace("\u2060", "")  # word joiners keep addresses from becoming links
    assert f"“{name}” is already on the register." in shown
    main = page.get_by_test_id("stMain")
    expect(main.locator('img[src*="evil.com"]')).to_have_count(0)
    expect(main.locator('a[href*="evil.com"]')).to_have_count(0)
    expect(main.locator('a[href^="mailto"]')).to_have_count(0)
    expect(main.locator("strong", has_text="Union")).to_have_count(0)
    expect(main.locator("b", has_text="big")).to_have_count(0)
    assert fetched == []


def test_a_french_workspace_downloads_its_report_and_register_in_french(browser, app_server):
    """The files are made on a worker thread when the button is clicked: they must still be in the workspace's
    language (they came out in English before), here opened by a colleague whose screen is in Spanish."""
    engine = db.open_database(app_server.database_url)
    workspace = db.run_write(
        engine,
        access.create_protected_workspace,
        data={"name": "Lancement — Sénégal", "language": "fr"},
        passcode=PASSCODE,
    )
    db.run_write(
        engine,
        store.add_stakeholder,
        workspace_id=workspace.id,
        data={"name": "Ministère de l'Intérieur", "group_id": "policy_sectors"},
    )
    engine.dispose()
    context = browser.new_context(viewport={"width": 1366, "height": 1000}, accept_downloads=True)
    page = context.new_page()
    page.goto(f"{app_server.url}/summary?ws={workspace.public_id}&lang=es")
    settle(page)
    page.locator("input[type=password]").first.fill(PASSCODE)
    page.get_by_role("button", name="Abrir", exact=True).click()
    settle(page)
    expect(page.get_by_text("Idioma del informe y de los archivos")).to_be_visible()
    with page.expect_download(timeout=60_000) as download:
        page.get_by_role("button", name="Informe en PDF").click()
    cover = PdfReader(download.value.path()).pages[0].extract_text()
    assert "Rapport de lancement" in cover and "Kick-off report" not in cover
    with page.expect_download(timeout=60_000) as download:
        page.get_by_role("button", name="Registro de partes interesadas (CSV)").click()
    heading = Path(download.value.path()).read_text(encoding="utf-8-sig").splitlines()[0]
    assert heading.startswith("Nom,") and "Stakeholder group" not in heading
    context.close()


def test_the_app_asks_nothing_of_the_internet(browser, app_server):
    """Every request the page makes goes to the app's own server: a ministry laptop may have no internet, and
    the tab's icon is bundled rather than fetched from a font service."""
    context = browser.new_context()
    page = context.new_page()
    hosts: set[str] = set()
    page.on("request", lambda request: hosts.add(request.url.split("/")[2]))
    page.goto(app_server.url)
    settle(page)
    create_workspace(page, app_server.url, f"Offline {uuid.uuid4().hex[:6]}")
    nav(page, "engagement")
    context.close()
    assert hosts == {app_server.url.split("/")[2]}
