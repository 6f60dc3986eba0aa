"""What a person sees: the real app server driven in Debian's Chromium through Playwright."""

import uuid

import pytest
from playwright.sync_api import Page, expect

from gcm_guide import access, db, store

from .conftest import (
    ARTIFACTS,
    PASSCODE,
    add_stakeholder_in_browser,
    choose_option,
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


def test_a_deep_link_works_on_a_freshly_started_server(browser, tmp_path):
    """After a restart, the first visitor may arrive on a bookmarked page: it must open, not 'Page not found'."""
    server = start_app_server(f"sqlite:///{tmp_path / 'fresh.sqlite3'}", tmp_path / "server.log")
    engine = db.open_database(server.database_url)
    try:
        workspace = db.run_write(
            engine, access.create_protected_workspace, data={"name": "Bookmarked kick-off"}, passcode=PASSCODE
        )
        page = browser.new_page()
        page.goto(f"{server.url}/stakeholders?ws={workspace.public_id}")
        settle(page)
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


def test_a_participants_proposal_reaches_the_presenter_once_the_facilitator_accepts_it(browser, app_server):
    """The facilitator projects the presenter view; two participants join on phones; one proposes a stakeholder,
    the facilitator accepts it in the console, and the projected screen shows it without anyone reloading."""
    engine = db.open_database(app_server.database_url)
    name = f"Workshop {uuid.uuid4().hex[:6]}"
    workspace = db.run_write(engine, access.create_protected_workspace, data={"name": name}, passcode=PASSCODE)
    engine.dispose()
    facilitator = browser.new_context(viewport={"width": 1280, "height": 720})
    phones = [browser.new_context(viewport={"width": 390, "height": 844}, is_mobile=True) for _ in range(2)]
    try:
        console = facilitator.new_page()
        console.goto(f"{app_server.url}/workshop?ws={workspace.public_id}")
        settle(console)
        unlock(console)
        console.get_by_role("button", name="Open a workshop session").click()
        settle(console)
        code = console.get_by_role("heading", level=2).first.inner_text().strip()
        assert len(code) == 6

        presenter = facilitator.new_page()
        presenter.goto(f"{app_server.url}/presenter?ws={workspace.public_id}")
        settle(presenter)
        unlock(presenter)
        for _ in range(6):  # past the six guiding questions, to Action 1
            presenter.get_by_role("button", name="Next").click()
            settle(presenter)
        expect(presenter.get_by_role("heading", name="Action 1 — Identify stakeholders")).to_be_visible()
        expect(presenter.get_by_text("0 stakeholders in 0 of 16 stakeholder groups.")).to_be_visible()

        amina, jorge = (context.new_page() for context in phones)
        for page, person in ((amina, "Amina"), (jorge, "Jorge")):
            page.goto(f"{app_server.url}/join?code={code}")
            settle(page)
            page.get_by_label("Your name").fill(person)
            page.get_by_role("button", name="Join").click()
            settle(page)
            expect(page.get_by_text(f"You are in {name} as {person}.")).to_be_visible()
            # The phone follows the projected screen.
            expect(page.get_by_text("Action 1 — Identify stakeholders")).to_be_visible()
        amina.get_by_label("Name").fill("Domestic Workers Union")
        choose_option(amina, amina.get_by_role("combobox", name="Stakeholder group"), "Trade unions")
        amina.get_by_role("button", name="Send proposal").click()
        settle(amina)
        expect(amina.get_by_text("Sent to the facilitator. Thank you!")).to_be_visible()

        # The console's queue refreshes itself; the facilitator accepts the proposal.
        expect(console.get_by_text("Domestic Workers Union").first).to_be_visible(timeout=15_000)
        console.get_by_role("button", name="Accept").first.click()
        settle(console)

        # The projected screen updates by itself within a few seconds.
        expect(presenter.get_by_text("1 stakeholder in 1 of 16 stakeholder groups.")).to_be_visible(timeout=15_000)

        # Jorge places the new stakeholder on the grid; the room's placement appears beside the register's.
        jorge.get_by_role("tab", name="Place on the grid").click()
        jorge.get_by_role("button", name="Update the list").last.click()
        settle(jorge)
        jorge.get_by_role("tab", name="Place on the grid").click()
        choose_option(jorge, jorge.get_by_label("Stakeholder", exact=True), "Domestic Workers Union")
        jorge.get_by_role("button", name="Place it").click()
        settle(jorge)
        expect(presenter.get_by_text("The room placed 1 stakeholder (up to 1 person each)")).to_be_visible(
            timeout=15_000
        )
        presenter.screenshot(path=str(ARTIFACTS / "workshop-presenter.png"))
        amina.screenshot(path=str(ARTIFACTS / "workshop-participant.png"), full_page=True)
    finally:
        facilitator.close()
        for context in phones:
            context.close()
