"""The checklist's suggested statuses and the progress figures behind them, from data saved through the store on
real SQLite and PostgreSQL databases. Thresholds come from data/checklist_rules.yaml."""

import datetime as dt

import pytest

from gcm_guide import checklist, db, progress, store
from gcm_guide.content import load_checklist_rules, load_content
from gcm_guide.errors import InputError
from gcm_guide.i18n import message

from .conftest import add_stakeholder, load, make_workspace

CONTENT = load_content()
RULES = load_checklist_rules()
GROUPS = [group.id for group in CONTENT.action1.stakeholder_groups]
VOICES = [voice.id for voice in CONTENT.action1.underrepresented_voices]
AUDIENCES = [audience.id for audience in CONTENT.action4.audiences]
ITEMS = [item.id for item in CONTENT.checklist.items]


def statuses(engine, workspace_id):
    return {item.item_id: item for item in checklist.checklist_status(load(engine, workspace_id), CONTENT)}


def suggestion(engine, workspace_id, item_id):
    suggested = statuses(engine, workspace_id)[item_id].suggested
    reason = " ".join(message(key, params) for key, params in suggested.messages)
    assert reason and "{" not in reason  # its reason reads as sentences, every placeholder filled
    return suggested


def suggested(engine, workspace_id, item_id):
    return suggestion(engine, workspace_id, item_id).status


def update(engine, workspace_id, person, **changes):
    db.run_write(engine, store.update_stakeholder, workspace_id=workspace_id, stakeholder_id=person.id, changes=changes)


def plan(engine, workspace_id, person, **changes):
    db.run_write(
        engine, store.save_engagement_plan, workspace_id=workspace_id, stakeholder_id=person.id, changes=changes
    )


def answer_criterion(engine, workspace_id, criterion_id, **changes):
    db.run_write(engine, store.save_setup_answer, workspace_id=workspace_id, criterion_id=criterion_id, changes=changes)


def decide(engine, workspace_id, **changes):
    db.run_write(engine, store.save_setup_decision, workspace_id=workspace_id, changes=changes)


def add_activity(engine, workspace_id, title, audience, status="planned"):
    data = {"title": title, "audience": audience, "activity_type": "briefings", "status": status}
    return db.run_write(engine, store.add_activity, workspace_id=workspace_id, data=data)


def set_activity_status(engine, workspace_id, activity, status):
    db.run_write(
        engine, store.update_activity, workspace_id=workspace_id, activity_id=activity.id, changes={"status": status}
    )


def confirm(engine, workspace_id, item_id, **changes):
    db.run_write(engine, store.save_checklist_entry, workspace_id=workspace_id, item_id=item_id, changes=changes)


def fill_workspace(engine, workspace_id):
    """Enough data for every rule to suggest "done" (or, for an ongoing item, "in progress")."""
    answers = {field: "Works with the national coordination body" for field in progress.UNDERSTAND_FIELDS}
    for group in GROUPS[8:]:
        db.run_write(engine, store.set_group_reason, workspace_id=workspace_id, group_id=group, reason="Not here")
    for number, group in enumerate(GROUPS[:8]):
        person = add_stakeholder(
            engine,
            workspace_id,
            f"Stakeholder {number}",
            group,
            voices=VOICES if number == 0 else [],
            engagement_status="engaged",
            **answers,
        )
        plan(engine, workspace_id, person, mechanisms=["meetings"])
    decide(engine, workspace_id, chosen_option="existing_body", lead_bodies="Ministry of Foreign Affairs")
    for audience in AUDIENCES:
        add_activity(engine, workspace_id, f"Briefing for {audience}", audience, status="done")


# --- Suggested statuses, rule by rule --------------------------------------------------------------------------
def test_map_stakeholders_is_done_only_when_every_group_is_covered_or_explained_and_every_voice_carried(engine):
    workspace = make_workspace(engine)
    assert suggestion(engine, workspace.id, "map_stakeholders").reason == "checklist.reason.no_stakeholders"
    assert suggested(engine, workspace.id, "map_stakeholders") == "not_started"

    people = [add_stakeholder(engine, workspace.id, f"Stakeholder {i}", g) for i, g in enumerate(GROUPS[:10])]
    update(engine, workspace.id, people[0], voices=VOICES)
    result = suggestion(engine, workspace.id, "map_stakeholders")
    assert result.status == "in_progress"
    assert result.more == (("checklist.reason.groups_unexplained", {"count": 6}),)

    # A group left empty on purpose, with the reason recorded, is not a gap.
    for group in GROUPS[10:15]:
        db.run_write(engine, store.set_group_reason, workspace_id=workspace.id, group_id=group, reason="None here")
    assert suggestion(engine, workspace.id, "map_stakeholders").more == (
        ("checklist.reason.groups_unexplained", {"count": 1}),
    )
    add_stakeholder(engine, workspace.id, "The last group", GROUPS[15])
    assert suggested(engine, workspace.id, "map_stakeholders") == "done"

    # A voice of the team's own that nobody carries yet does not hold the item back...
    db.run_write(engine, store.add_custom_voice, workspace_id=workspace.id, label="Seasonal workers")
    assert suggested(engine, workspace.id, "map_stakeholders") == "done"
    # ...a voice the guidance names does.
    update(engine, workspace.id, people[0], voices=VOICES[1:])
    result = suggestion(engine, workspace.id, "map_stakeholders")
    assert (result.status, result.params["covered"]) == ("in_progress", 11)
    assert result.more == (("checklist.reason.voices", {"count": 1}),)
    # An empty reason takes a reason back.
    db.run_write(engine, store.set_group_reason, workspace_id=workspace.id, group_id=GROUPS[10], reason="  ")
    assert progress.unexplained_groups(load(engine, workspace.id), CONTENT) == [GROUPS[10]]


def test_understand_stakeholders_needs_enough_answers_for_everyone(engine):
    needed = RULES["understand_stakeholders"]["min_answers_per_stakeholder"]
    fields = progress.UNDERSTAND_FIELDS
    assert 1 < needed <= len(fields)
    workspace = make_workspace(engine)
    assert suggested(engine, workspace.id, "understand_stakeholders") == "not_started"
    first = add_stakeholder(engine, workspace.id, "Ministry of Labour", "policy_sectors")
    second = add_stakeholder(engine, workspace.id, "Diaspora council", "diasporas")
    assert suggested(engine, workspace.id, "understand_stakeholders") == "not_started"

    update(engine, workspace.id, first, **{fields[0]: "   \n "})  # blank answers do not count
    assert suggested(engine, workspace.id, "understand_stakeholders") == "not_started"
    update(engine, workspace.id, first, **{fields[0]: "Chairs the migration working group"})
    assert suggested(engine, workspace.id, "understand_stakeholders") == "in_progress"

    update(engine, workspace.id, first, **{field: "Known" for field in fields[:needed]})
    result = suggestion(engine, workspace.id, "understand_stakeholders")
    assert (result.status, result.params) == ("in_progress", {"done": 1, "count": 2, "needed": needed})

    update(engine, workspace.id, second, **{field: "Known" for field in fields[-needed:]})
    assert suggested(engine, workspace.id, "understand_stakeholders") == "done"


def test_decide_engagement_needs_a_plan_for_everyone(engine):
    workspace = make_workspace(engine)
    assert suggested(engine, workspace.id, "decide_engagement") == "not_started"
    first = add_stakeholder(engine, workspace.id, "Ministry of Labour", "policy_sectors")
    second = add_stakeholder(engine, workspace.id, "Diaspora council", "diasporas")
    assert suggested(engine, workspace.id, "decide_engagement") == "not_started"

    # A plan counts once it says how (a mechanism) or how much (a participation level).
    plan(engine, workspace.id, first, mediums=["online"], phases=["planning"])
    assert suggested(engine, workspace.id, "decide_engagement") == "not_started"
    plan(engine, workspace.id, first, mechanisms=["meetings"])
    result = suggestion(engine, workspace.id, "decide_engagement")
    assert (result.status, result.params) == ("in_progress", {"done": 1, "count": 2})

    plan(engine, workspace.id, second, participation_level="consult")
    assert suggested(engine, workspace.id, "decide_engagement") == "done"


def test_institutional_setup_needs_a_set_up_and_its_lead(engine):
    workspace = make_workspace(engine)
    assert suggested(engine, workspace.id, "institutional_setup") == "not_started"
    answer_criterion(engine, workspace.id, "existing_body", answer="unsure", note="Ask the Cabinet Office")
    assert suggested(engine, workspace.id, "institutional_setup") == "not_started"

    decide(engine, workspace.id, chosen_option="existing_body")
    assert suggested(engine, workspace.id, "institutional_setup") == "in_progress"
    decide(engine, workspace.id, lead_bodies="  \n ")
    assert suggested(engine, workspace.id, "institutional_setup") == "in_progress"
    decide(engine, workspace.id, lead_bodies="Ministry of Foreign Affairs")
    assert suggested(engine, workspace.id, "institutional_setup") == "done"


def test_institutional_setup_is_in_progress_once_a_criterion_is_answered(engine):
    workspace = make_workspace(engine)
    answer_criterion(engine, workspace.id, "fragmentation", answer="high")
    result = suggestion(engine, workspace.id, "institutional_setup")
    assert (result.status, result.params) == ("in_progress", {"answered": 1, "total": len(CONTENT.action3.criteria)})


def test_carry_out_engagement_is_ongoing_under_way_once_someone_is_engaged_and_never_done(engine):
    workspace = make_workspace(engine)
    assert suggested(engine, workspace.id, "carry_out_engagement") == "not_started"
    people = [add_stakeholder(engine, workspace.id, f"Stakeholder {i}", group) for i, group in enumerate(GROUPS[:4])]
    update(engine, workspace.id, people[0], engagement_status="contacted")
    update(engine, workspace.id, people[1], engagement_status="declined")
    assert suggested(engine, workspace.id, "carry_out_engagement") == "not_started"
    for person in people:
        update(engine, workspace.id, person, engagement_status="partner")
        assert suggested(engine, workspace.id, "carry_out_engagement") == "in_progress"
    assert suggestion(engine, workspace.id, "carry_out_engagement").params == {"engaged": 4, "count": 4}
    # The team cannot mark it done either: ongoing work is under way, with the date of its last review.
    with pytest.raises(InputError):
        confirm(engine, workspace.id, "carry_out_engagement", confirmed_status="done")
    confirm(engine, workspace.id, "carry_out_engagement", reviewed_on=dt.date(2027, 3, 1))
    item = statuses(engine, workspace.id)["carry_out_engagement"]
    assert (item.status, item.settled, item.reviewed_on) == ("in_progress", True, dt.date(2027, 3, 1))


def test_awareness_activities_are_ongoing_under_way_once_planned(engine):
    workspace = make_workspace(engine)
    assert suggested(engine, workspace.id, "awareness_activities") == "not_started"
    first, *others = [add_activity(engine, workspace.id, f"Briefing {a}", a) for a in AUDIENCES]
    result = suggestion(engine, workspace.id, "awareness_activities")
    assert (result.status, result.params) == ("in_progress", {"reached": len(AUDIENCES), "total": len(AUDIENCES)})
    set_activity_status(engine, workspace.id, first, "done")
    assert suggested(engine, workspace.id, "awareness_activities") == "in_progress"
    # A cancelled activity reaches nobody.
    set_activity_status(engine, workspace.id, others[-1], "cancelled")
    assert suggestion(engine, workspace.id, "awareness_activities").params["reached"] == len(AUDIENCES) - 1


def test_a_review_date_that_has_passed_is_due(engine):
    workspace = make_workspace(engine)
    confirm(engine, workspace.id, "decide_engagement", next_review_on=dt.date(2027, 6, 1))
    item = statuses(engine, workspace.id)["decide_engagement"]
    assert not item.due(dt.date(2027, 5, 31)) and item.due(dt.date(2027, 6, 1))


# --- The team's own status, and completion -----------------------------------------------------------------------
def test_a_confirmed_status_overrides_and_none_follows_the_suggestion_again(engine):
    workspace = make_workspace(engine)
    confirm(engine, workspace.id, "institutional_setup", confirmed_status="done", notes="Decided by Cabinet")
    item = statuses(engine, workspace.id)["institutional_setup"]
    assert (item.suggested.status, item.confirmed, item.status, item.overridden) == (
        "not_started",
        "done",
        "done",
        True,
    )
    assert item.notes == "Decided by Cabinet"

    confirm(engine, workspace.id, "institutional_setup", confirmed_status=None)
    item = statuses(engine, workspace.id)["institutional_setup"]
    assert (item.confirmed, item.status, item.overridden) == (None, "not_started", False)
    assert item.notes == "Decided by Cabinet"

    decide(engine, workspace.id, chosen_option="new_body", lead_bodies="Office of the Prime Minister")
    assert statuses(engine, workspace.id)["institutional_setup"].status == "done"
    confirm(engine, workspace.id, "institutional_setup", confirmed_status="done")
    assert statuses(engine, workspace.id)["institutional_setup"].overridden is False  # it agrees
    confirm(engine, workspace.id, "institutional_setup", confirmed_status="in_progress")
    item = statuses(engine, workspace.id)["institutional_setup"]
    assert (item.suggested.status, item.status, item.overridden) == ("done", "in_progress", True)


def test_a_new_workspace_has_every_item_not_started(engine):
    workspace = make_workspace(engine)
    items = checklist.checklist_status(load(engine, workspace.id), CONTENT)
    assert [item.item_id for item in items] == ITEMS
    assert {item.status for item in items} == {"not_started"}
    assert not checklist.is_complete(items)


def test_the_checklist_is_complete_when_the_data_says_every_item_is_done(engine):
    workspace = make_workspace(engine)
    fill_workspace(engine, workspace.id)
    items = checklist.checklist_status(load(engine, workspace.id), CONTENT)
    ongoing = {item.id for item in CONTENT.checklist.items if item.ongoing}
    assert [(item.item_id, item.suggested.status) for item in items] == [
        (i, "in_progress" if i in ongoing else "done") for i in ITEMS
    ]
    assert checklist.is_complete(items) and checklist.done_count(items) == len(ITEMS)

    confirm(engine, workspace.id, "carry_out_engagement", confirmed_status="not_started")
    assert not checklist.is_complete(checklist.checklist_status(load(engine, workspace.id), CONTENT))


def test_the_team_can_declare_the_checklist_complete(engine):
    workspace = make_workspace(engine)
    for item in CONTENT.checklist.items:
        confirm(engine, workspace.id, item.id, confirmed_status="in_progress" if item.ongoing else "done")
    assert checklist.is_complete(checklist.checklist_status(load(engine, workspace.id), CONTENT))
    confirm(engine, workspace.id, ITEMS[-1], confirmed_status=None)
    assert not checklist.is_complete(checklist.checklist_status(load(engine, workspace.id), CONTENT))


# --- Progress figures --------------------------------------------------------------------------------------------
def test_group_counts_list_all_sixteen_groups_in_order_with_zeros(engine):
    workspace = make_workspace(engine)
    counts = progress.group_counts(load(engine, workspace.id), CONTENT)
    assert list(counts) == GROUPS and len(counts) == 16 and set(counts.values()) == {0}
    assert progress.uncovered_groups(load(engine, workspace.id), CONTENT) == GROUPS

    add_stakeholder(engine, workspace.id, "Ministry of Labour", "policy_sectors")
    add_stakeholder(engine, workspace.id, "Ministry of Health", "policy_sectors")
    add_stakeholder(engine, workspace.id, "Press council", "media")
    data = load(engine, workspace.id)
    counts = progress.group_counts(data, CONTENT)
    assert list(counts) == GROUPS
    assert counts == {group: {"policy_sectors": 2, "media": 1}.get(group, 0) for group in GROUPS}
    assert progress.uncovered_groups(data, CONTENT) == [g for g in GROUPS if g not in ("policy_sectors", "media")]


def test_voice_coverage_lists_the_guidance_voices_then_the_workspaces_own(engine):
    workspace = make_workspace(engine)
    association = "Association of migrant women"
    add_stakeholder(
        engine, workspace.id, association, "civil_society_organizations", voices=["migrant_women", "Domestic workers"]
    )
    add_stakeholder(engine, workspace.id, "Youth council", "children_and_young_people")  # a group, not a voice
    db.run_write(engine, store.add_custom_voice, workspace_id=workspace.id, label="Seasonal workers")
    data = load(engine, workspace.id)

    coverage = progress.voice_coverage(data, CONTENT)
    assert [(v.id, v.builtin, v.carried_by) for v in coverage] == [
        *[(voice, True, (association,) if voice == "migrant_women" else ()) for voice in VOICES],
        ("Domestic workers", False, (association,)),
        ("Seasonal workers", False, ()),
    ]
    assert [v.name for v in coverage[: len(VOICES)]] == [CONTENT.voice_names[voice] for voice in VOICES]
    assert [v.id for v in progress.unspoken_voices(data, CONTENT)] == [
        *(voice for voice in VOICES if voice != "migrant_women"),
        "Seasonal workers",
    ]


def test_stakeholders_without_plan_are_those_whose_plan_says_neither_how_nor_how_much(engine):
    workspace = make_workspace(engine)
    planned = add_stakeholder(engine, workspace.id, "Ministry of Labour", "policy_sectors")
    timed_only = add_stakeholder(engine, workspace.id, "Diaspora council", "diasporas")
    add_stakeholder(engine, workspace.id, "Press council", "media")
    plan(engine, workspace.id, planned, participation_level="involve")
    plan(engine, workspace.id, timed_only, phases=["planning"], time_and_resources="Two meetings a year")
    without = progress.stakeholders_without_plan(load(engine, workspace.id))
    assert [s.name for s in without] == ["Diaspora council", "Press council"]


def test_answered_criteria_ignore_unsure_and_unanswered_ones(engine):
    workspace = make_workspace(engine)
    answer_criterion(engine, workspace.id, "statistical_office_monitoring", answer="partly")
    answer_criterion(engine, workspace.id, "fragmentation", answer="unsure")
    answer_criterion(engine, workspace.id, "existing_body", answer="yes")
    answer_criterion(engine, workspace.id, "capacity_and_resources", note="To be checked with Finance")
    answer_criterion(engine, workspace.id, "technical_expertise", answer="no")
    # In guidance order, whatever order they were answered in.
    assert progress.answered_criteria(load(engine, workspace.id), CONTENT) == [
        "existing_body",
        "technical_expertise",
        "statistical_office_monitoring",
    ]


def test_activities_by_audience_ignore_cancelled_ones(engine):
    workspace = make_workspace(engine)
    add_activity(engine, workspace.id, "Briefing for line ministries", "government", status="done")
    add_activity(engine, workspace.id, "Inter-ministerial workshop", "government")
    add_activity(engine, workspace.id, "Open day", "public", status="cancelled")
    counts = progress.activities_by_audience(load(engine, workspace.id), CONTENT)
    assert counts == {"government": 2, "other_stakeholders": 0, "public": 0}
    assert list(counts) == AUDIENCES
