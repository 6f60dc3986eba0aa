"""The drafts of the work processes (terms of reference, work plan, roles) filled from workspaces saved through the
store on real SQLite and PostgreSQL databases. Template wording comes from data/content/en/work_processes.yaml."""

import datetime as dt

import pytest
import yaml

from gcm_guide import db, recommender, store, work_processes
from gcm_guide.content import load_content
from gcm_guide.errors import InputError
from gcm_guide.i18n import t

from .conftest import ROOT, add_stakeholder, answer_setup, load, make_workspace

CONTENT = load_content()
TEMPLATES = yaml.safe_load((ROOT / "data" / "content" / "en" / "work_processes.yaml").read_text(encoding="utf-8"))
MARKER = TEMPLATES["draft_marker"]
TOR = TEMPLATES["terms_of_reference"]
NOBODY = TOR["nobody"]
ROLE_TEXT = TEMPLATES["roles"]
PLAN = TEMPLATES["work_plan"]

# name, group, government level, influence
REGISTER = [
    ("Ministry of National Security", "policy_sectors", None, 5),
    ("Ministry of Labour and Social Security", "policy_sectors", None, 4),
    ("Statistical Institute of Jamaica", "policy_sectors", None, 3),
    ("Parish council", "local_and_regional_authorities", None, 2),
    ("Press council", "media", "national", 2),  # a government body by its level
    ("Diaspora council", "diasporas", None, 3),
    ("Trade union congress", "trade_unions", None, 3),
    ("University migration unit", "academia", None, 1),
]
GOVERNMENT = [
    "Ministry of National Security",
    "Ministry of Labour and Social Security",
    "Statistical Institute of Jamaica",
    "Parish council",
    "Press council",
]


def filled_workspace(engine, name="Kick-off 2027"):
    """A register, and answers that make the app recommend Option 1 with the security ministry (the existing body
    the team names) to lead."""
    workspace = make_workspace(engine, name)
    for person, group, level, influence in REGISTER:
        add_stakeholder(engine, workspace.id, person, group, government_level=level, influence=influence)
    answer_setup(
        engine,
        workspace.id,
        {"existing_body": "yes", "fragmentation": "low", "technical_expertise": "yes"},
        bodies={"existing_body": "Ministry of National Security"},
    )
    return workspace


def decide(engine, workspace_id, **changes):
    db.run_write(engine, store.save_setup_decision, workspace_id=workspace_id, changes=changes)


def add_role(engine, workspace_id, body, role="member", **fields):
    return db.run_write(engine, store.add_role, workspace_id=workspace_id, data={"body": body, "role": role, **fields})


def add_activity(engine, workspace_id, title, **fields):
    data = {"title": title, "audience": "government", "activity_type": "briefings", **fields}
    return db.run_write(engine, store.add_activity, workspace_id=workspace_id, data=data)


def recommendation(data):
    return recommender.recommend_for(data, CONTENT)


def sections(draft):
    """The terms of reference by section heading, after checking the draft marker and the title."""
    lines = draft.split("\n")
    assert lines[0] == MARKER and lines[1] == ""
    headings = [section["heading"] for section in TOR["sections"]]
    found = {"title": lines[2]}
    for index, line in enumerate(lines):
        if line in headings:
            found[line] = lines[index + 1]
    assert list(found) == ["title", *headings]
    return found


def roles_table(engine, workspace_id):
    return [
        (r.body, r.role, r.responsibilities, r.reports_to, r.reporting_duties) for r in load(engine, workspace_id).roles
    ]


def as_rows(suggested):
    return [(r["body"], r["role"], r["responsibilities"], r["reports_to"], r["reporting_duties"]) for r in suggested]


# --- Terms of reference -------------------------------------------------------------------------------------
def test_terms_of_reference_use_the_chosen_option_the_typed_leads_members_and_reporting(engine):
    workspace = filled_workspace(engine)
    decide(
        engine,
        workspace.id,
        chosen_option="new_body",
        lead_bodies="Office of the Prime Minister\nMinistry of National Security",
    )
    add_role(engine, workspace.id, "Statistical Institute of Jamaica", reporting_duties="Quarterly data report to lead")
    add_role(engine, workspace.id, "Parish council", "consulted", reporting_duties="  \n")  # no duties: not listed
    add_role(engine, workspace.id, "Ministry of Labour", "member", reporting_duties="Annual labour migration brief")
    data = load(engine, workspace.id)
    assert recommendation(data).option == "existing_body"  # the team chose otherwise

    draft = work_processes.draft_terms_of_reference(data, CONTENT, recommendation(data))
    found = sections(draft)
    assert found["title"] == "Terms of reference: GCM implementation — Kick-off 2027"
    assert " in Jamaica, " in found["Purpose"]
    assert found["Institutional set-up"] == (
        f"{CONTENT.option_names['new_body']}. Lead: Office of the Prime Minister, Ministry of National Security."
    )
    # Government members in name order, without the leads; everyone else by group.
    assert found["Members"] == "Ministry of Labour and Social Security, Parish council, Press council, " + (
        "Statistical Institute of Jamaica"
    )
    assert found["Stakeholder engagement"] == (
        "Stakeholders to engage beyond government: Academia, Diasporas, Trade unions."
    )
    assert found["Reporting"] == (
        "Statistical Institute of Jamaica: Quarterly data report to lead; "
        "Ministry of Labour: Annual labour migration brief"
    )


def test_terms_of_reference_fall_back_to_the_recommended_option_and_lead(engine):
    workspace = filled_workspace(engine)
    data = load(engine, workspace.id)
    advice = recommendation(data)
    assert advice.option == "existing_body"
    assert advice.lead_bodies[0].name == "Ministry of National Security"
    expected_setup = f"{CONTENT.option_names['existing_body']}. Lead: Ministry of National Security."

    found = sections(work_processes.draft_terms_of_reference(data, CONTENT, advice))
    assert found["Institutional set-up"] == expected_setup
    assert "Ministry of National Security" not in found["Members"]
    assert found["Members"] == ", ".join(sorted(GOVERNMENT[1:]))
    assert found["Reporting"] == NOBODY

    # A decision with neither an option nor a lead (only a rationale, a blank lead) still falls back.
    decide(engine, workspace.id, rationale="To be discussed at Cabinet", lead_bodies="  \n ")
    data = load(engine, workspace.id)
    found = sections(work_processes.draft_terms_of_reference(data, CONTENT, recommendation(data)))
    assert found["Institutional set-up"] == expected_setup


def test_terms_of_reference_of_an_empty_workspace_leave_everything_to_be_decided(engine):
    workspace = make_workspace(engine, "Blank")
    data = load(engine, workspace.id)
    advice = recommendation(data)
    assert advice.option is None and advice.lead_bodies == ()
    found = sections(work_processes.draft_terms_of_reference(data, CONTENT, advice))
    assert found["Institutional set-up"] == f"{NOBODY}. Lead: {NOBODY}."
    assert found["Members"] == found["Reporting"] == NOBODY
    assert found["Stakeholder engagement"] == f"Stakeholders to engage beyond government: {NOBODY}."


def test_a_lead_typed_in_other_case_is_not_listed_again_as_a_member(sqlite_engine):
    """BUG: the terms of reference drop the leads from the members by exact name, while suggested_roles matches
    ignoring case, so a lead typed "ministry of national security" is also listed among the members."""
    workspace = filled_workspace(sqlite_engine)
    decide(sqlite_engine, workspace.id, chosen_option="existing_body", lead_bodies="ministry of national security")
    data = load(sqlite_engine, workspace.id)
    found = sections(work_processes.draft_terms_of_reference(data, CONTENT, recommendation(data)))
    assert found["Institutional set-up"].endswith("Lead: ministry of national security.")
    assert "national security" not in found["Members"].casefold()


# --- Work plan ----------------------------------------------------------------------------------------------
NOT_STARTED = "not_started"
STATUS_NOW = {"awareness_activities": "in_progress"}


def test_work_plan_lists_open_checklist_items_then_activities_by_date(engine):
    workspace = make_workspace(engine)
    decide(engine, workspace.id, chosen_option="existing_body", lead_bodies="Ministry of Foreign Affairs")  # done
    db.run_write(
        engine,
        store.save_checklist_entry,
        workspace_id=workspace.id,
        item_id="decide_engagement",
        changes={"confirmed_status": "done"},
    )
    add_activity(engine, workspace.id, "Radio spots", audience="public", starts_on=dt.date(2027, 4, 2))
    add_activity(engine, workspace.id, "Budget briefing", timing_note="After the budget speech")
    add_activity(engine, workspace.id, "Line ministries briefing", starts_on=dt.date(2027, 2, 1), status="done")
    add_activity(engine, workspace.id, "Open day", audience="public")
    add_activity(engine, workspace.id, "Workshop", starts_on=dt.date(2027, 3, 3), status="in_progress")

    draft = work_processes.draft_work_plan(load(engine, workspace.id), CONTENT)
    open_items = [
        item for item in CONTENT.checklist.items if item.id not in ("institutional_setup", "decide_engagement")
    ]
    assert draft.split("\n") == [
        MARKER,
        "",
        PLAN["title"],
        "",
        *(f"- {step}" for step in PLAN["steps"]),
        # The awareness item is ongoing work, under way now that activities are planned.
        *(f"- {item.text} ({t(f'checklist_status.{STATUS_NOW.get(item.id, NOT_STARTED)}')})" for item in open_items),
        "- Line ministries briefing — 2027-02-01 (Done)",
        "- Workshop — 2027-03-03 (In progress)",
        "- Radio spots — 2027-04-02 (Planned)",
        "- Budget briefing — After the budget speech (Planned)",
        f"- Open day — {PLAN['no_date']} (Planned)",
    ]


def test_work_plan_of_a_new_workspace_lists_every_checklist_item(sqlite_engine):
    workspace = make_workspace(sqlite_engine)
    lines = work_processes.draft_work_plan(load(sqlite_engine, workspace.id), CONTENT).split("\n")
    assert lines[0] == MARKER
    assert lines[-len(CONTENT.checklist.items) :] == [
        f"- {item.text} (Not started)" for item in CONTENT.checklist.items
    ]


# --- Roles ----------------------------------------------------------------------------------------------------
def test_suggested_roles_put_the_leads_first_and_skip_bodies_already_in_the_table(engine):
    workspace = filled_workspace(engine)
    decide(engine, workspace.id, lead_bodies="Ministry of National Security; Office of the Prime Minister")
    add_role(engine, workspace.id, "press COUNCIL", "informed")  # already there, in other case
    data = load(engine, workspace.id)
    suggested = work_processes.suggested_roles(data, recommendation(data))

    lead = "Ministry of National Security"
    cabinet = ROLE_TEXT["reports_to_government"]
    assert as_rows(suggested) == [
        (lead, "lead", ROLE_TEXT["lead"], cabinet, ""),
        ("Office of the Prime Minister", "co_lead", ROLE_TEXT["co_lead"], cabinet, ""),
        ("Ministry of Labour and Social Security", "member", ROLE_TEXT["member"], lead, ""),
        ("Statistical Institute of Jamaica", "member", ROLE_TEXT["statistics"], lead, ""),
        ("Parish council", "member", ROLE_TEXT["member"], lead, ""),
    ]
    bodies = [row["body"].casefold() for row in suggested]
    assert len(bodies) == len(set(bodies))
    assert not {"diaspora council", "trade union congress", "university migration unit"} & set(bodies)


def test_suggested_roles_take_the_recommended_lead_when_none_is_typed(sqlite_engine):
    workspace = filled_workspace(sqlite_engine)
    data = load(sqlite_engine, workspace.id)
    suggested = work_processes.suggested_roles(data, recommendation(data))
    assert [(row["body"], row["role"]) for row in suggested] == [
        ("Ministry of National Security", "lead"),
        *((body, "member") for body in GOVERNMENT[1:]),
    ]
    assert [row["reports_to"] for row in suggested[1:]] == ["Ministry of National Security"] * 4


def test_an_empty_workspace_has_no_roles_to_suggest(sqlite_engine):
    workspace = make_workspace(sqlite_engine)
    data = load(sqlite_engine, workspace.id)
    assert work_processes.suggested_roles(data, recommendation(data)) == []
    assert not work_processes.has_suggested_roles(data, recommendation(data))


def test_the_suggest_button_is_offered_exactly_while_there_are_roles_to_suggest(sqlite_engine):
    """The page asks the cheap question on every run and writes the rows out only on a click: both must agree,
    down to the last body added (here a lead typed in other case, and a government body)."""
    engine = sqlite_engine
    workspace = filled_workspace(engine)
    decide(engine, workspace.id, lead_bodies="Ministry of National Security")
    while True:
        data = load(engine, workspace.id)
        suggested = work_processes.suggested_roles(data, recommendation(data))
        assert work_processes.has_suggested_roles(data, recommendation(data)) == bool(suggested)
        if not suggested:
            break
        add_role(engine, workspace.id, suggested[-1]["body"].upper(), "member")
    assert len(roles_table(engine, workspace.id)) == 5


def test_adding_the_suggested_roles_is_all_or_nothing(engine):
    workspace = filled_workspace(engine)
    add_role(engine, workspace.id, "Cabinet Office", "informed")
    before = roles_table(engine, workspace.id)
    data = load(engine, workspace.id)
    suggested = work_processes.suggested_roles(data, recommendation(data))
    assert len(suggested) == 5

    # The last row is refused: the rows before it, already flushed, are not kept either.
    with pytest.raises(InputError):
        db.run_write(engine, store.add_roles, workspace_id=workspace.id, rows=[*suggested, {"body": "   "}])
    assert roles_table(engine, workspace.id) == before

    # A lead typed as a long sentence is cut to the length a body's name may have, so it can be added.
    decide(engine, workspace.id, lead_bodies="Ministry " + "of migration " * 20)
    data = load(engine, workspace.id)
    long_lead = work_processes.suggested_roles(data, recommendation(data))
    assert len(long_lead[0]["body"]) == 200 and long_lead[0]["role"] == "lead"

    decide(engine, workspace.id, lead_bodies="")
    added = db.run_write(engine, store.add_roles, workspace_id=workspace.id, rows=suggested)
    assert len(added) == len(suggested)
    assert roles_table(engine, workspace.id) == [*before, *as_rows(suggested)]
    data = load(engine, workspace.id)
    assert work_processes.suggested_roles(data, recommendation(data)) == []  # nothing left to suggest
