"""The guidance in data/ is complete, validated, and faithful to the source text."""

import shutil
from pathlib import Path

import pytest

from gcm_guide.content import DATA_DIR, ContentError, load_checklist_rules, load_content, load_content_from

SOURCE = Path(__file__).resolve().parent.parent / "data" / "content" / "en"


def all_texts(value):
    """Every string in a dumped content tree."""
    if isinstance(value, str):
        yield value
    elif isinstance(value, dict):
        for item in value.values():
            yield from all_texts(item)
    elif isinstance(value, (list, tuple)):
        for item in value:
            yield from all_texts(item)


def test_counts_match_the_guidance():
    content = load_content()
    assert len(content.guiding_questions.questions) == 6
    assert [q.number for q in content.guiding_questions.questions] == [1, 2, 3, 4, 5, 6]
    assert len(content.action1.identification_prompts) == 7
    assert len(content.action1.stakeholder_groups) == 16
    assert len(content.action2.understand.questions) == 4
    assert len(content.action2.determine.mechanisms) == 8
    assert len(content.action2.determine.mediums) == 4
    assert len(content.action2.determine.consider) + len(content.action2.ensure.questions) == 6
    assert len(content.action2.participation_levels.levels) == 5
    assert [o.id for o in content.action3.options] == ["existing_body", "new_body"]
    assert {e.id for e in content.action3.options[0].examples} == {"jamaica", "sweden"}
    assert len(content.action3.work_processes) == 5
    assert len(content.action4.audiences) == 3
    assert len(content.action4.activity_types) == 8
    assert len(content.checklist.items) == 6
    assert [f.number for f in content.footnotes] == list(range(13, 21))


def test_every_item_has_text():
    content = load_content()
    texts = list(all_texts(content.model_dump()))
    assert len(texts) > 150
    assert all(text.strip() for text in texts)


def test_groups_carry_their_gcm_references_and_examples():
    groups = {g.id: g for g in load_content().action1.stakeholder_groups}
    refs = {g: [r.label for r in groups[g].gcm_references] for g in groups if groups[g].gcm_references}
    assert refs == {
        "local_communities": ["GCM objective 17, action g", "GCM objective 19, action j"],
        "national_human_rights_institutions": ["GCM objective 15, action d"],
        "recruitment_agencies": ["GCM objective 6, action c"],
    }
    assert "Chicago" in groups["local_and_regional_authorities"].examples[0].text
    assert groups["local_and_regional_authorities"].examples[0].footnotes == (14,)
    assert "COVID-19" in groups["policy_sectors"].examples[0].text


def test_setup_criteria_cover_what_the_guidance_names():
    action3 = load_content().action3
    ids = {c.id for c in action3.criteria}
    assert {
        "existing_body",
        "technical_expertise",
        "relationships_and_convening_power",
        "whole_of_government_reach",
        "capacity_and_resources",
        "agenda_2030_structure",
        "interagency_working_group",
        "fragmentation",
        "planning_and_budgeting_links",
        "statistical_office_monitoring",
    } == ids
    assert {b.name for b in action3.candidate_lead_bodies} >= {"Office of the President/Prime Minister"}
    jamaica = action3.options[0].examples[0]
    assert "Planning Institute of Jamaica" in jamaica.text and jamaica.footnotes == (17, 18)


def test_ocr_glitches_are_fixed_and_sources_kept():
    raw = "\n".join(path.read_text(encoding="utf-8") for path in SOURCE.glob("*.yaml"))
    assert "stakeholders" in raw  # the content files were found and read
    for glitch in ("SUIDING", "whole-ofgovernment", "\\rightarrow", "■", "^{"):
        assert glitch not in raw
    content = load_content()
    assert "de la Mata" in content.footnote(13).source
    assert "Cranfield" in content.footnote(16).source


def copy_content(tmp_path: Path) -> Path:
    target = tmp_path / "content"
    shutil.copytree(DATA_DIR / "content" / "en", target)
    return target


def test_a_missing_field_is_reported_with_file_and_field(tmp_path):
    directory = copy_content(tmp_path)
    path = directory / "guiding_questions.yaml"
    path.write_text(path.read_text(encoding="utf-8").replace("    number: 3\n", ""), encoding="utf-8")
    with pytest.raises(ContentError) as error:
        load_content_from(directory)
    assert "guiding_questions.yaml" in str(error.value)
    assert "questions.2.number" in str(error.value)


def test_an_empty_text_is_refused(tmp_path):
    directory = copy_content(tmp_path)
    path = directory / "checklist.yaml"
    path.write_text(path.read_text(encoding="utf-8").replace('"Understand who the stakeholders are."', '""'))
    with pytest.raises(ContentError, match=r"checklist.yaml: field items.1.text"):
        load_content_from(directory)


def test_a_cited_footnote_must_exist(tmp_path):
    directory = copy_content(tmp_path)
    path = directory / "action2_engagement.yaml"
    path.write_text(path.read_text(encoding="utf-8").replace("footnotes: [16]", "footnotes: [99]"))
    with pytest.raises(ContentError, match="footnote 99"):
        load_content_from(directory)


def test_broken_yaml_names_the_file(tmp_path):
    directory = copy_content(tmp_path)
    (directory / "overview.yaml").write_text("title: [unclosed", encoding="utf-8")
    with pytest.raises(ContentError, match=r"overview\.yaml: not valid YAML"):
        load_content_from(directory)


def test_checklist_rules_cover_every_item():
    rules = load_checklist_rules()
    assert set(rules) == {item.id for item in load_content().checklist.items}


def test_the_audience_guidance_gives_each_source_passage_once():
    """The source speaks of other stakeholders and the public in one sentence; the page shows it once."""
    passages = load_content().action4.audience_passages()
    assert [names for names, _ in passages] == [
        ["Government actors across sectors"],
        ["Other stakeholders", "The public"],
    ]
    assert passages[1][1].startswith("Meanwhile, the goal of awareness-raising for other stakeholders and the public")
