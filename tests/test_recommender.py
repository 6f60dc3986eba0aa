"""The institutional set-up recommendation: scenarios from the guidance, with the reasons that must appear."""

import shutil

import pytest
import yaml

from gcm_guide import recommender
from gcm_guide.content import DATA_DIR, ContentError, load_content
from gcm_guide.models import Stakeholder

from .conftest import add_stakeholder, answer_setup, load, make_workspace


def recommend(engine, workspace_id):
    return recommender.recommend_for(load(engine, workspace_id), load_content())


def reasons(recommendation):
    return " ".join(c.explanation for c in recommendation.contributions)


MINISTRIES = [
    "Ministry of Labour",
    "Ministry of Health",
    "Ministry of Education",
    "Ministry of Foreign Affairs",
    "Ministry of Finance",
    "Ministry of Justice",
    "Child Development Agency",
    "Immigration Service",
]


def test_existing_migration_commission_with_a_consultative_council_gives_a_clear_option_1(engine):
    """A long register (every ministry, a dozen municipalities) is what the guidance asks of every team: it does
    not count against using the existing body."""
    workspace = make_workspace(engine, "Commission")
    add_stakeholder(engine, workspace.id, "National Commission on Migration", "policy_sectors", influence=5)
    for name in MINISTRIES:
        add_stakeholder(engine, workspace.id, name, "policy_sectors", government_level="national")
    for number in range(12):
        add_stakeholder(engine, workspace.id, f"Municipality {number}", "local_and_regional_authorities")
    answer_setup(
        engine,
        workspace.id,
        {
            "existing_body": "yes",
            "technical_expertise": "yes",
            "relationships_and_convening_power": "yes",
            "whole_of_government_reach": "partly",
            "capacity_and_resources": "yes",
            "interagency_working_group": "no",
            "fragmentation": "moderate",
            "agenda_2030_structure": "no",
        },
        notes={"relationships_and_convening_power": "Its consultative council meets civil society every quarter."},
        bodies={"existing_body": "National Commission on Migration"},
    )
    result = recommend(engine, workspace.id)
    assert (result.option, result.strength) == ("existing_body", "clear")
    assert result.suggested_lead == "National Commission on Migration"
    assert result.lead_bodies[0].named and "Existing body" in result.lead_bodies[0].candidate
    # The reasons given first are the answers that weigh most for Option 1.
    assert result.reasons_for()[0].criterion_id == "existing_body"
    assert not any(c.criterion_id == "fragmentation_evidence" for c in result.contributions)


def test_fragmented_government_with_an_ad_hoc_committee_gives_a_clear_option_2_led_by_the_marked_ministry(engine):
    workspace = make_workspace(engine, "Fragmented")
    add_stakeholder(
        engine,
        workspace.id,
        "Ministry of the Interior",
        "policy_sectors",
        government_level="national",
        influence=4,
        lead_candidate="migration_ministry",
    )
    for name in MINISTRIES:
        add_stakeholder(engine, workspace.id, name, "policy_sectors", government_level="national", influence=5)
    answer_setup(
        engine,
        workspace.id,
        {
            "existing_body": "no",
            # Answered before the team said no body exists: not asked any more, and not counted.
            "technical_expertise": "yes",
            "capacity_and_resources": "yes",
            "interagency_working_group": "no",
            "fragmentation": "high",
            "agenda_2030_structure": "no",
        },
        notes={"interagency_working_group": "Only an ad-hoc steering committee met before the GCM review."},
    )
    result = recommend(engine, workspace.id)
    assert (result.option, result.strength) == ("new_body", "clear")
    assert {"technical_expertise", "relationships_and_convening_power"} <= set(result.not_asked)
    assert "technical_expertise" not in {c.criterion_id for c in result.contributions}
    # Only the body the team marked is suggested; nothing is guessed from names ("Child Development Agency",
    # "Immigration Service").
    assert [(lead.name, lead.candidate) for lead in result.lead_bodies] == [
        ("Ministry of the Interior", "Ministry responsible for migration")
    ]
    assert any("inter-agency at all levels" in caveat for caveat in result.caveats)
    assert result.awaits_acceptance(None) and not result.awaits_acceptance("new_body")


def test_planning_institute_chairing_a_standing_working_group_gives_option_1_led_by_the_institute(engine):
    """Jamaica-like: the body the team names as chairing its standing working group is the first suggested lead,
    before any body marked on the register."""
    workspace = make_workspace(engine, "Jamaica-like")
    add_stakeholder(engine, workspace.id, "Planning Institute of Jamaica", "policy_sectors", influence=5)
    add_stakeholder(
        engine,
        workspace.id,
        "Ministry of Foreign Affairs and Foreign Trade",
        "policy_sectors",
        influence=4,
        lead_candidate="head_of_government_office",
    )
    answer_setup(
        engine,
        workspace.id,
        {
            "existing_body": "partly",
            "interagency_working_group": "yes",
            "relationships_and_convening_power": "yes",
            "whole_of_government_reach": "yes",
            "fragmentation": "moderate",
        },
        notes={"interagency_working_group": "NWGIMD, co-chaired by PIOJ and the Ministry of Foreign Affairs"},
        bodies={"interagency_working_group": "Planning Institute of Jamaica"},
    )
    result = recommend(engine, workspace.id)
    assert (result.option, result.strength) == ("existing_body", "clear")
    assert "NWGIMD" in reasons(result) and "Jamaica" in reasons(result)
    assert [lead.name for lead in result.lead_bodies] == [
        "Planning Institute of Jamaica",
        "Ministry of Foreign Affairs and Foreign Trade",
    ]
    assert result.notes == ("NWGIMD, co-chaired by PIOJ and the Ministry of Foreign Affairs",)


def test_sweden_like_agenda_2030_structure_gives_option_1(engine):
    workspace = make_workspace(engine, "Sweden-like")
    answer_setup(
        engine,
        workspace.id,
        {
            "existing_body": "partly",
            "agenda_2030_structure": "yes",
            "whole_of_government_reach": "yes",
            "fragmentation": "moderate",
            "planning_and_budgeting_links": "yes",
        },
    )
    result = recommend(engine, workspace.id)
    assert result.option == "existing_body"
    assert "Sweden" in reasons(result) and "Agenda 2030" in reasons(result)
    # Zero-weight criteria are explained, not counted.
    links = next(c for c in result.contributions if c.criterion_id == "planning_and_budgeting_links")
    assert links.points == 0


def test_no_lead_is_suggested_that_the_team_did_not_name_or_mark(engine):
    workspace = make_workspace(engine, "Unmarked")
    add_stakeholder(engine, workspace.id, "Ministry of Immigration", "policy_sectors", government_level="national")
    answer_setup(
        engine, workspace.id, {"existing_body": "yes", "fragmentation": "low", "capacity_and_resources": "yes"}
    )
    result = recommend(engine, workspace.id)
    assert result.option == "existing_body" and result.lead_bodies == () and result.suggested_lead is None
    # A body named for an answer of "no" is not suggested either.
    answer_setup(engine, workspace.id, {"existing_body": "no"}, bodies={"existing_body": "Old Migration Council"})
    assert recommend(engine, workspace.id).lead_bodies == ()


def test_an_empty_workspace_gets_no_recommendation_and_the_missing_answers(engine):
    workspace = make_workspace(engine, "Empty")
    result = recommend(engine, workspace.id)
    assert not result.ready and result.option is None and result.strength is None
    assert not result.awaits_acceptance(None) and result.suggested_lead is None
    rubric = recommender.load_rubric()
    assert set(rubric.thresholds.required) <= set(result.blocking)
    assert len(result.blocking) == rubric.thresholds.minimum_answered
    assert len(result.missing) == len(load_content().action3.criteria)
    # The caveats stand whatever happens, and say what the register lacks.
    assert any("Not on your register yet: Education, Health, Child protection." in c for c in result.caveats)


def test_not_sure_answers_do_not_count(engine):
    workspace = make_workspace(engine, "Unsure")
    answer_setup(
        engine, workspace.id, {"existing_body": "unsure", "fragmentation": "unsure", "capacity_and_resources": "yes"}
    )
    result = recommend(engine, workspace.id)
    assert not result.ready
    assert {"existing_body", "fragmentation"} <= set(result.blocking)


BALANCED = {
    "existing_body": "yes",
    "technical_expertise": "partly",
    "whole_of_government_reach": "partly",
    "interagency_working_group": "no",
}


@pytest.mark.parametrize(("fragmentation", "expected"), [("low", "existing_body"), ("high", "new_body")])
def test_one_decisive_answer_flips_the_outcome(fragmentation, expected):
    result = recommender.recommend_setup(answers=BALANCED | {"fragmentation": fragmentation})
    assert result.option == expected
    decisive = next(c for c in result.contributions if c.criterion_id == "fragmentation")
    assert (decisive.points > 0) == (expected == "existing_body")


def test_evenly_balanced_answers_recommend_nothing_and_say_so():
    result = recommender.recommend_setup(
        answers={
            "existing_body": "yes",
            "fragmentation": "high",
            "interagency_working_group": "partly",
            "technical_expertise": "no",
            "relationships_and_convening_power": "yes",
            "capacity_and_resources": "no",
            "whole_of_government_reach": "partly",
            "agenda_2030_structure": "no",
        }
    )
    assert result.ready
    assert abs(result.score) / result.max_score < 0.15
    assert result.strength == "balanced"


def test_register_with_service_departments_and_statistics_has_no_missing_caveats():
    people = [
        Stakeholder(name=name, group_id="policy_sectors", government_level="national", influence=3)
        for name in (
            "Ministry of Education",
            "Ministry of Health",
            "Child Protection Agency",
            "National Statistics Office",
        )
    ]
    without = recommender.recommend_setup(answers={}, stakeholders=people[:1])
    assert any("Not on your register yet" in c for c in without.caveats)
    assert any("No statistics body" in c for c in without.caveats)
    result = recommender.recommend_setup(answers={}, stakeholders=people)
    assert not any("Not on your register yet" in c for c in result.caveats)
    assert not any("No statistics body" in c for c in result.caveats)


def test_listed_items_reads_lists_as_people_type_them():
    assert recommender.listed_items("Ministry A\nMinistry B\n- Agency C") == ["Ministry A", "Ministry B", "Agency C"]
    assert recommender.listed_items("Ministry A; Ministry B; Agency C") == ["Ministry A", "Ministry B", "Agency C"]
    assert recommender.listed_items("Interior, Labour, Health, Education") == [
        "Interior",
        "Labour",
        "Health",
        "Education",
    ]
    assert recommender.listed_items("") == []


def copy_rubric(tmp_path, monkeypatch, change):
    content = tmp_path / "content" / "en"
    shutil.copytree(DATA_DIR / "content" / "en", content)
    path = content / "rubric.yaml"
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    change(data)
    path.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    shutil.copytree(DATA_DIR / "ui", tmp_path / "ui")
    monkeypatch.setattr(recommender, "DATA_DIR", tmp_path)
    recommender.load_rubric.cache_clear()


def test_a_rubric_missing_a_criterion_is_refused(tmp_path, monkeypatch):
    copy_rubric(tmp_path, monkeypatch, lambda data: data["criteria"].pop("fragmentation"))
    try:
        with pytest.raises(ContentError, match="rubric criteria"):
            recommender.load_rubric()
    finally:
        recommender.load_rubric.cache_clear()


def test_a_rubric_with_an_unexplained_answer_is_refused(tmp_path, monkeypatch):
    copy_rubric(tmp_path, monkeypatch, lambda data: data["criteria"]["existing_body"]["explanations"].pop("no"))
    try:
        with pytest.raises(ContentError, match="explanation"):
            recommender.load_rubric()
    finally:
        recommender.load_rubric.cache_clear()


def test_the_rubric_weights_decide_not_the_code(tmp_path, monkeypatch):
    """Doubling the weight against Option 1 in data/ changes the call: the outcome lives in the rubric."""
    answers = BALANCED | {"fragmentation": "low"}
    assert recommender.recommend_setup(answers=answers).option == "existing_body"
    copy_rubric(tmp_path, monkeypatch, lambda data: data["criteria"]["interagency_working_group"].update(weight=20))
    try:
        assert recommender.recommend_setup(answers=answers, rubric=recommender.load_rubric()).option == "new_body"
    finally:
        recommender.load_rubric.cache_clear()


def test_a_body_chooser_lists_every_government_body_of_a_short_register_in_register_order():
    content = load_content()
    register = [
        Stakeholder(id=1, workspace_id=1, name="Radio Jamaica", group_id="media"),
        Stakeholder(id=2, workspace_id=1, name="City of Kingston", group_id="local_and_regional_authorities"),
        Stakeholder(id=3, workspace_id=1, name="Ministry of Labour", group_id="policy_sectors"),
        Stakeholder(id=4, workspace_id=1, name="Teachers' Union", group_id="trade_unions", government_level="local"),
    ]
    choices = recommender.body_choices(register, content, limit=3)
    assert choices == recommender.BodyChoices(["City of Kingston", "Ministry of Labour", "Teachers' Union"], 3)
    assert not choices.cut


def test_a_body_chooser_lists_the_likeliest_leads_first_when_the_register_holds_more_government_bodies():
    content = load_content()
    register = [
        Stakeholder(id=n, workspace_id=1, name=name, group_id=group, **fields)
        for n, (name, group, fields) in enumerate(
            [
                ("Teachers' Union", "trade_unions", {"government_level": "national", "influence": 5}),
                ("Parish Council", "local_and_regional_authorities", {"government_level": "local", "influence": 2}),
                ("Ministry of Health", "policy_sectors", {"government_level": "national", "influence": 3}),
                ("Ministry of Labour", "policy_sectors", {"government_level": "national", "influence": 5}),
                ("City of Kingston", "local_and_regional_authorities", {"government_level": "local", "influence": 4}),
                ("PIOJ", "policy_sectors", {"lead_candidate": "statistics", "influence": 1}),
                ("Ministry of Health", "policy_sectors", {}),  # the same name twice is listed once
            ],
            start=1,
        )
    ]
    choices = recommender.body_choices(register, content, limit=4)
    # Marked as able to lead; then Tool 1's government groups, national before local, the most influential first.
    assert choices.names == ["PIOJ", "Ministry of Labour", "Ministry of Health", "City of Kingston"]
    assert choices.total == 6 and choices.cut
    assert recommender.body_choices(register, content, limit=6).names == [
        "Teachers' Union",
        "Parish Council",
        "Ministry of Health",
        "Ministry of Labour",
        "City of Kingston",
        "PIOJ",
    ]
