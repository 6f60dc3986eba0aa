"""A workshop as a room runs it, in Chromium: the facilitator's console, a presenter window opened with its
read-only link, and two phones; a phone reloads mid-session and stays the same participant."""

import uuid

import pytest
from playwright.sync_api import Page, expect

from gcm_guide import access, db, room, store, workshop

from .conftest import ARTIFACTS, PASSCODE, choose_option, settle, unlock

pytestmark = pytest.mark.browser


def _join(phone: Page, base: str, code: str, person: str) -> None:
    phone.goto(f"{base}/join?code={code}")
    settle(phone)
    expect(phone.get_by_text("Page not found")).to_have_count(0)  # its own address, not a fallback
    phone.get_by_label("Your name").fill(person)
    phone.get_by_role("button", name="Join").click()
    settle(phone)


MEASURE_SCREEN = """() => {
    const shown = (selector) => [...document.querySelectorAll(selector)]
        .filter(p => p.offsetParent !== null && p.innerText.trim())
        .map(p => parseFloat(getComputedStyle(p).fontSize));
    const captions = '[data-testid="stMain"] [data-testid="stCaptionContainer"] p';
    const body = shown('[data-testid="stMain"] .stMarkdown p').length - shown(captions).length;
    return {
        smallest: Math.min(...shown('[data-testid="stMain"] .stMarkdown p:not([data-testid="stCaptionContainer"] p)')),
        smallest_caption: Math.min(...shown(captions), 99),
        body_paragraphs: body,
        height: document.querySelector('[data-testid="stMain"]').scrollHeight,
        window: window.innerHeight,
        toolbars: document.querySelectorAll('.modebar').length,
    };
}"""


def assert_legible_from_the_back(screen) -> None:
    """Body text at least 32 px at 1280×720 (who said it, in a caption, at least 24 px), the whole screen
    without scrolling, no chart toolbar."""
    measured = screen.evaluate(MEASURE_SCREEN)
    assert measured["body_paragraphs"] > 0 and measured["smallest"] >= 32, measured
    assert measured["smallest_caption"] >= 24, measured
    assert measured["height"] <= measured["window"], measured
    assert measured["toolbars"] == 0, measured


def test_a_room_with_a_presenter_link_a_console_and_two_phones(browser, app_server):
    engine = db.open_database(app_server.database_url)
    name = f"Workshop {uuid.uuid4().hex[:6]}"
    workspace = db.run_write(engine, access.create_protected_workspace, data={"name": name}, passcode=PASSCODE)
    facilitator = browser.new_context(viewport={"width": 1366, "height": 900})
    projector = browser.new_context(viewport={"width": 1280, "height": 720})
    phones = [browser.new_context(viewport={"width": 360, "height": 640}, is_mobile=True) for _ in range(2)]
    try:
        console = facilitator.new_page()
        console.goto(f"{app_server.url}/workshop?ws={workspace.public_id}")
        settle(console)
        unlock(console)
        console.get_by_role("button", name="Open a workshop session").click()
        settle(console)
        live = db.run_read(engine, workshop.current_session, workspace_id=workspace.id)
        expect(console.get_by_text(f"code {live.code}")).to_be_visible()

        # The presenter link opens the projected screen elsewhere: no passcode, no menu, no control.
        console.get_by_role("button", name="Make a presenter link").click()
        settle(console)
        address = console.locator('[data-testid="stCode"]').first.inner_text().strip()
        assert "/presenter?show=" in address
        screen = projector.new_page()
        screen.goto(address.replace("http://localhost", app_server.url).split(" ")[0])
        settle(screen)
        expect(screen.get_by_text("Page not found")).to_have_count(0)
        expect(screen.get_by_text(f"{name} · Question 1 (1/11)")).to_be_visible()
        expect(screen.get_by_text(f"code {live.code}")).to_be_visible()  # the join bar on every screen
        for owner_control in ("Previous", "Next", "Close the session", "Accept", "Open"):
            expect(screen.get_by_role("button", name=owner_control, exact=True)).to_have_count(0)
        expect(screen.locator('[data-testid="stSidebar"] a')).to_have_count(0)
        expect(screen.locator("input[type=password]")).to_have_count(0)

        amina, jorge = (context.new_page() for context in phones)
        _join(amina, app_server.url, live.code, "Amina")
        _join(jorge, app_server.url, live.code, "Jorge")
        expect(amina.get_by_text(f"You are in {name} as Amina.")).to_be_visible()
        # The phone follows the projected question, with the answer tab open.
        expect(jorge.get_by_text("1. What government bodies/entities are involved")).to_be_visible()
        jorge.get_by_label("Your answer or comment on this question").fill("Ministry of National Security")
        jorge.get_by_role("button", name="Send", exact=True).click()
        settle(jorge)
        expect(jorge.get_by_text("Sent to the facilitator. Thank you!")).to_be_visible()
        # The answer appears on the projected screen as a card, by itself.
        expect(screen.get_by_text("Ministry of National Security")).to_be_visible(timeout=15_000)
        expect(screen.get_by_text("2 phones connected")).to_be_visible(timeout=15_000)
        assert_legible_from_the_back(screen)

        # Amina proposes a stakeholder; the facilitator accepts it from the console's queue, which refreshes.
        amina.get_by_role("tab", name="Propose").click()
        amina.get_by_label("Name").fill("Domestic Workers Union")
        choose_option(amina, amina.get_by_role("combobox", name="Stakeholder group"), "Trade unions")
        amina.get_by_role("button", name="Send proposal").click()
        settle(amina)
        expect(console.get_by_text("Domestic Workers Union").first).to_be_visible(timeout=15_000)
        console.locator('[class*="st-key-queue_"]').filter(has_text="Domestic Workers Union").get_by_role(
            "button", name="Accept", exact=True
        ).click()
        settle(console)
        expect(console.get_by_text("Score Domestic Workers Union now?")).to_be_visible()
        assert (
            "Domestic Workers Union" in db.run_read(engine, store.stakeholder_names, workspace_id=workspace.id).values()
        )

        # Through the console, the facilitator moves every screen on to Action 1.
        for _ in range(6):
            console.get_by_role("button", name="Next", exact=True).click()
            settle(console)
        expect(screen.get_by_role("heading", name="Action 1 — Identify stakeholders")).to_be_visible(timeout=15_000)
        # Each phone follows by itself, opening the tab that goes with the new item; wait for both before
        # clicking a tab, as a person would look at the phone first.
        for phone in (amina, jorge):
            expect(phone.get_by_text("Action 1 — Identify stakeholders")).to_be_visible(timeout=15_000)
        settle(jorge)

        # Amina votes; the bars on the projected screen grow.
        amina.get_by_role("tab", name="Vote").click()
        choose_option(amina, amina.get_by_role("combobox", name="Your votes"), "Domestic Workers Union")
        settle(amina)
        expect(amina.get_by_text("2 votes left of 3")).to_be_visible(timeout=15_000)
        expect(screen.locator('[class*="st-key-room_votes"], [data-testid="stPlotlyChart"]').first).to_be_visible()
        assert db.run_read(engine, room.vote_counts, workspace_id=workspace.id) == [("Domestic Workers Union", 1)]
        settle(screen)
        assert_legible_from_the_back(screen)

        # Jorge places it on the grid; the room's grid counts it.
        jorge.get_by_role("tab", name="Grid").click()
        choose_option(jorge, jorge.get_by_role("combobox", name="Stakeholder", exact=True), "Domestic Workers Union")
        jorge.get_by_role("button", name="Place it").click()
        settle(jorge)
        expect(jorge.get_by_text("You have placed 1 stakeholder.")).to_be_visible()
        assert db.run_read(engine, room.heat, workspace_id=workspace.id) == {(3, 3): 1}

        # The phone reloads (or slept): the same participant, with the same vote, no second "Amina".
        amina.reload()
        settle(amina)
        expect(amina.get_by_text(f"You are in {name} as Amina.")).to_be_visible()
        amina.get_by_role("tab", name="Vote").click()
        expect(amina.get_by_text("2 votes left of 3")).to_be_visible(timeout=15_000)
        joined = [p.display_name for p in db.run_read(engine, room.participants, workspace_id=workspace.id)]
        assert sorted(joined) == ["Amina", "Jorge"]
        # A phone is never shown an owner page.
        expect(amina.get_by_text("Your workspaces")).to_have_count(0)
        expect(amina.locator('[data-testid="stSidebar"] a')).to_have_count(0)
        screen.screenshot(path=str(ARTIFACTS / "workshop-presenter-link.png"))
        amina.screenshot(path=str(ARTIFACTS / "workshop-phone.png"), full_page=True)
    finally:
        # Whatever happened, what each screen showed last is kept for whoever reads a failure.
        screens = [("console", facilitator), ("screen", projector)]
        screens += [(f"phone-{number}", phone) for number, phone in enumerate(phones, start=1)]
        for label, context in screens:
            for page in context.pages:
                page.screenshot(path=str(ARTIFACTS / f"workshop-room-{label}.png"), full_page=True)
        for context in (facilitator, projector, *phones):
            context.close()
        engine.dispose()
