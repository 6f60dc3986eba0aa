"""The app's pages in order: one list used by app.py, by links between pages, and by the tests."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class PageSpec:
    id: str  # also the URL path
    file: str
    title_key: str
    icon: str
    section: str  # key of the navigation section title
    needs_workspace: bool = True
    visible: bool = True  # hidden pages are reached by link only (the participants' join page)


PAGES: tuple[PageSpec, ...] = (
    PageSpec("home", "pages/home.py", "nav.home", ":material/home:", "nav.start", needs_workspace=False),
    PageSpec(
        "guiding-questions", "pages/guiding_questions.py", "nav.guiding_questions", ":material/help:", "nav.kickoff"
    ),
    PageSpec("stakeholders", "pages/identify_stakeholders.py", "nav.action1", ":material/groups:", "nav.kickoff"),
    PageSpec("engagement", "pages/meaningful_engagement.py", "nav.action2", ":material/handshake:", "nav.kickoff"),
    PageSpec("setup", "pages/institutional_setup.py", "nav.action3", ":material/account_balance:", "nav.kickoff"),
    PageSpec("awareness", "pages/raise_awareness.py", "nav.action4", ":material/campaign:", "nav.kickoff"),
    PageSpec("checklist", "pages/checklist.py", "nav.checklist", ":material/checklist:", "nav.kickoff"),
    PageSpec("summary", "pages/summary.py", "nav.summary", ":material/summarize:", "nav.kickoff"),
    PageSpec("workshop", "pages/workshop.py", "nav.workshop", ":material/groups_3:", "nav.workshop_section"),
    PageSpec("presenter", "pages/presenter.py", "nav.presenter", ":material/present_to_all:", "nav.workshop_section"),
    PageSpec("history", "pages/history.py", "nav.history", ":material/history:", "nav.workshop_section"),
    PageSpec("snapshots", "pages/snapshots.py", "nav.snapshots", ":material/compare_arrows:", "nav.workshop_section"),
    PageSpec(
        "join",
        "pages/join.py",
        "nav.join",
        ":material/login:",
        "nav.workshop_section",
        needs_workspace=False,
        visible=False,
    ),
)


def page(page_id: str) -> PageSpec:
    return next(spec for spec in PAGES if spec.id == page_id)


def next_step(page_id: str) -> PageSpec | None:
    """The page after `page_id` in the guided Kick-off flow (None at its end or outside it)."""
    flow = [spec for spec in PAGES if spec.section == "nav.kickoff"]
    ids = [spec.id for spec in flow]
    if page_id not in ids or page_id == ids[-1]:
        return None
    return flow[ids.index(page_id) + 1]
