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


def test_jamaica_like_standing_working_group_gives_option_1(engine):
    workspace = make_workspace(engine, "Jamaica-like")
    add_stakeholder(engine, workspace.id, "Planning Institute of Jamaica", "policy_sectors", influence=5)
    add_stakeholder(
        engine, workspace.id, "Ministry of Foreign Affairs and Foreign Trade", "policy_sectors", influence=4
    )
    answer_setup(
        engine,
        workspace.id,
        {
            "existing_body": "yes",
            "interagency_working_group": "yes",
            "relationships_and_convening_power": "yes",
            "fragmentation": "moderate",
        },
        notes={"interagency_working_group": "NWGIMD, co-chaired by PIOJ and the Ministry of Foreign Affairs"},
    )
    result = recommend(engine, workspace.id)
    assert result.ready and result.option == "existing_body" and result.strength == "clear"
    assert "NWGIMD" in reasons(result) and "Jamaica" in reasons(result)
    assert result.contributions[0].criterion_id in {"existing_body", "interagency_working_group"}
    assert result.notes == ("NWGIMD, co-chaired by PIOJ and the Ministry of Foreign Affairs",)
    # The planning institute is suggested as a lead (development planning), from the register.
    assert ("Planning Institute of Jamaica", "Ministry of development planning") in [
        (lead.name, lead.candidate) for lead in result.lead_bodies
    ]


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


def test_fragmented_country_without_a_coordinating_body_gives_option_2(engine):
    workspace = make_workspace(engine, "Fragmented")
    for name, level in [
        ("Ministry of Interior", "national"),
        ("Ministry of Labour", "national"),
        ("Ministry of Health", "national"),
        ("Ministry of Education", "national"),
        ("Ministry of Social Affairs", "national"),
        ("Regional Council of the North", "regional"),
        ("City of the Capital", "local"),
        ("Border Police", "national"),
    ]:
        add_stakeholder(engine, workspace.id, name, "policy_sectors", government_level=level)
    answer_setup(
        engine,
        workspace.id,
        {
            "existing_body": "no",
            "interagency_working_group": "no",
            "whole_of_government_reach": "no",
            "fragmentation": "high",
        },
    )
    result = recommend(engine, workspace.id)
    assert result.option == "new_body" and result.strength == "clear" and result.score < 0
    text = reasons(result)
    assert "cross-governmental coordinating institution" in text
    assert "8 government bodies across 3 levels" in text
    assert any("inter-agency at all levels" in caveat for caveat in result.caveats)
    # The interior ministry is the migration-ministry candidate.
    assert result.lead_bodies[0].name == result.suggested_lead == "Ministry of Interior"
    # Offered until the team chooses it.
    assert result.awaits_acceptance(None) and result.awaits_acceptance("existing_body")
    assert not result.awaits_acceptance("new_body")


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
            "whole_of_government_reach": "yes",
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
