"""Every page, run through the real app (app.py and its st.navigation) with Streamlit's AppTest."""

import itertools
import re

import pytest
from streamlit.testing.v1 import AppTest

from gcm_guide import db, recommender, store
from gcm_guide.navigation import PAGES

from .conftest import APP, add_stakeholder, answer_setup, load, make_workspace, open_page, open_panel

WORKSPACE_PAGES = [spec.file for spec in PAGES if spec.needs_workspace]


@pytest.fixture
def workspace(engine_for_app):
    workspace = make_workspace(engine_for_app, "Kick-off Kingston", country="Jamaica")
    return workspace


def texts(at: AppTest) -> str:
    """Everything the page says, with the escaping of user text (ui.plain) undone."""
    parts = []
    for kind in ("markdown", "caption", "info", "warning", "error", "success", "title", "subheader"):
        parts += [str(element.value) for element in getattr(at, kind)]
    return unescaped("\n".join(parts)).replace("**", "")


def unescaped(text: str) -> str:
    """Markdown escapes undone and the invisible word joiners that keep addresses from becoming links removed:
    the text as a reader sees it."""
    return re.sub(r"\\(.)", r"\1", text).replace("\u2060", "")


def test_every_page_file_is_registered_and_nothing_else():
    """st.navigation lists exactly the files in pages/, so the old pages/ auto-discovery adds nothing."""
    from pathlib import Path

    files = {f"pages/{p.name}" for p in (Path(APP).parent / "pages").glob("*.py")}
    assert files == {spec.file for spec in PAGES}


def test_home_creates_a_workspace_and_opens_it(app, engine_for_app):
    app.run()
    assert not app.exception
    app.text_input(key="home_create_name").input("Plan national de mise en œuvre")
    app.text_input(key="home_create_country").input("Côte d'Ivoire")
    app.text_input(key="home_create_passcode").input("long enough passcode")
    app.text_input(key="home_create_passcode_again").input("long enough passcode")
    app.button(key="FormSubmitter:home_create-Create workspace").click().run()
    assert not app.exception
    (created,) = db.run_read(engine_for_app, store.list_workspaces)
    assert (created.name, created.country, created.level) == (
        "Plan national de mise en œuvre",
        "Côte d'Ivoire",
        "national",
    )
    # It is open: the guiding questions page shows, and the workspace is in the URL.
    assert app.query_params["ws"] == [created.public_id] or app.query_params["ws"] == created.public_id
    assert "Guiding questions" in texts(app)


@pytest.mark.parametrize("name", ["", "   "])
def test_home_refuses_an_empty_name_with_a_message(app, engine_for_app, name):
    app.run()
    app.text_input(key="home_create_name").input(name)
    app.text_input(key="home_create_passcode").input("long enough passcode")
    app.text_input(key="home_create_passcode_again").input("long enough passcode")
    app.button(key="FormSubmitter:home_create-Create workspace").click().run()
    assert not app.exception
    assert "Name: it cannot be empty" in texts(app)
    assert db.run_read(engine_for_app, store.list_workspaces) == []


def test_home_refuses_a_duplicate_name_and_keeps_the_original(app, engine_for_app, workspace):
    app.run()
    app.text_input(key="home_create_name").input("kick-off  KINGSTON")
    app.text_input(key="home_create_passcode").input("long enough passcode")
    app.text_input(key="home_create_passcode_again").input("long enough passcode")
    app.button(key="FormSubmitter:home_create-Create workspace").click().run()
    assert "already exists" in texts(app)
    assert [w.name for w in db.run_read(engine_for_app, store.list_workspaces)] == ["Kick-off Kingston"]


def test_home_lists_and_renames_workspaces(app, engine_for_app, workspace):
    app.session_state["_owner_grants"] = {workspace.public_id}
    app.run()
    assert "Kick-off Kingston" in texts(app)
    form_key = f"home_rename_{workspace.id}"
    app.text_input(key=f"home_rename_name_{workspace.id}").input("Kick-off Montego Bay")
    app.button(key=f"FormSubmitter:{form_key}-Save name").click().run()
    assert not app.exception
    assert load(engine_for_app, workspace.id).workspace.name == "Kick-off Montego Bay"


def test_home_deletes_only_after_confirmation(app, engine_for_app, workspace):
    app.session_state["_owner_grants"] = {workspace.public_id}
    app.run()
    app.button(key=f"home_delete_{workspace.id}").click().run()
    assert not app.exception
    confirm = next(b for b in app.button if b.label == "Delete for good")
    assert confirm.disabled
    assert len(db.run_read(engine_for_app, store.list_workspaces)) == 1
    app.text_input(key="home_delete_typed").input("Kick-off Kingston").run()
    next(b for b in app.button if b.label == "Delete for good").click().run()
    assert not app.exception
    assert db.run_read(engine_for_app, store.list_workspaces) == []


@pytest.mark.parametrize("page_file", WORKSPACE_PAGES)
def test_each_page_asks_for_a_workspace_when_none_is_open(app_db, page_file):
    at = open_page(app_db, page_file, None)
    assert not at.exception
    assert "Open or create a workspace first" in texts(at)


EXPECTED_ON_PAGE = {
    "pages/guiding_questions.py": "0 of 6 questions answered",
    "pages/identify_stakeholders.py": "15 groups not yet covered",
    "pages/meaningful_engagement.py": "Every stakeholder has an engagement plan.",
    "pages/institutional_setup.py": "Is there a standing inter-agency working group",
    "pages/raise_awareness.py": "No activity planned yet for: Government actors across sectors",
    "pages/checklist.py": "Suggested: Done — 1 of 1 stakeholder has an engagement plan.",
    "pages/summary.py": "Kick-off summary — Kick-off Kingston",
    "pages/workshop.py": "No session is open.",
    "pages/presenter.py": "No workshop session is open: the room cannot join yet.",
    "pages/history.py": "Added stakeholder: Ministry of Health",
    "pages/snapshots.py": "Take a snapshot first",
}


@pytest.mark.parametrize("page_file", WORKSPACE_PAGES)
def test_each_page_renders_a_populated_workspace(app_db, engine_for_app, workspace, page_file):
    person = add_stakeholder(engine_for_app, workspace.id, "Ministry of Health", "policy_sectors", influence=4)
    db.run_write(
        engine_for_app,
        store.save_engagement_plan,
        workspace_id=workspace.id,
        stakeholder_id=person.id,
        changes={"participation_level": "involve"},
    )
    at = open_page(app_db, page_file, workspace.public_id)
    assert not at.exception
    shown = (
        texts(at)
        + "\n".join(str(getattr(w, "label", "")) for w in at.radio)
        + "\n".join(p.proto.text for p in at.main.get("progress"))
    )
    assert EXPECTED_ON_PAGE[page_file] in shown


def test_an_unknown_workspace_in_the_url_opens_nothing(app_db, engine_for_app, workspace):
    at = open_page(app_db, "pages/guiding_questions.py", "not-a-real-id")
    assert not at.exception
    assert "Open or create a workspace first" in texts(at)


def test_guiding_answers_are_saved_and_still_there_in_a_new_session(app_db, engine_for_app, workspace):
    at = open_page(app_db, "pages/guiding_questions.py", workspace.public_id)
    assert "0 of 6 questions answered" in at.main.get("progress")[0].proto.text
    answer = "Ministry of National Security; PICA.\n\nالهجرة 🌍"
    at.text_area(key="gq_answer_government_bodies").input(answer).run()
    assert not at.exception
    assert load(engine_for_app, workspace.id).answer_text("government_bodies") == answer
    at.run()
    assert at.text_area(key="gq_answer_government_bodies").value == answer
    # A browser reload starts a new session: the URL brings the user back to the same answers.
    again = open_page(app_db, "pages/guiding_questions.py", workspace.public_id)
    assert again.text_area(key="gq_answer_government_bodies").value == answer
    assert "1 of 6 questions answered" in again.main.get("progress")[0].proto.text


def test_another_persons_saved_answer_appears_without_overwriting(app_db, engine_for_app, workspace):
    at = open_page(app_db, "pages/guiding_questions.py", workspace.public_id)
    db.run_write(
        engine_for_app,
        store.save_answer,
        workspace_id=workspace.id,
        question_id="policy_sectors",
        changes={"text": "Typed by a colleague"},
    )
    at.run()
    assert at.text_area(key="gq_answer_policy_sectors").value == "Typed by a colleague"


def test_a_conflicting_edit_shows_both_versions_and_keeps_the_saved_one(app_db, engine_for_app, workspace):
    at = open_page(app_db, "pages/guiding_questions.py", workspace.public_id)
    db.run_write(
        engine_for_app,
        store.save_answer,
        workspace_id=workspace.id,
        question_id="policy_sectors",
        changes={"text": "Colleague's answer"},
    )
    at.text_area(key="gq_answer_policy_sectors").input("My answer").run()
    assert not at.exception
    assert "Someone else changed this" in texts(at)
    shown = [t.value for t in at.text]
    assert "My answer" in shown and "Colleague's answer" in shown
    assert load(engine_for_app, workspace.id).answer_text("policy_sectors") == "Colleague's answer"
    next(b for b in at.button if b.label == "Keep mine").click().run()
    assert load(engine_for_app, workspace.id).answer_text("policy_sectors") == "My answer"
    assert "Someone else changed this" not in texts(at)


def test_action1_adds_a_stakeholder_and_updates_the_gaps(app_db, engine_for_app, workspace):
    at = open_page(app_db, "pages/identify_stakeholders.py", workspace.public_id)
    assert "16 groups not yet covered" in texts(at)
    assert "Migrant women" in texts(at)
    at.text_input(key="stakeholders_add_name").input("Réseau des femmes migrantes")
    at.selectbox(key="stakeholders_add_group_id").set_value("civil_society_organizations")
    at.multiselect(key="stakeholders_add_voices").set_value(["migrant_women"])
    at.button(key="FormSubmitter:stakeholders_add_form-Add to register").click().run()
    assert not at.exception
    (person,) = load(engine_for_app, workspace.id).stakeholders
    assert (person.name, person.group_id, person.voices) == (
        "Réseau des femmes migrantes",
        "civil_society_organizations",
        ["migrant_women"],
    )
    assert "15 groups not yet covered" in texts(at)
    unspoken_box = next(m.value for m in at.markdown if "nobody speaks for" in m.value)
    assert "3 under-represented voices" in unspoken_box
    assert "Migrant women" not in next(m.value for m in at.markdown if "Migrants themselves" in m.value)


def test_action1_refuses_a_stakeholder_without_a_name(app_db, engine_for_app, workspace):
    at = open_page(app_db, "pages/identify_stakeholders.py", workspace.public_id)
    at.selectbox(key="stakeholders_add_group_id").set_value("media")
    at.button(key="FormSubmitter:stakeholders_add_form-Add to register").click().run()
    assert not at.exception
    assert "Name: it cannot be empty" in texts(at)
    assert load(engine_for_app, workspace.id).stakeholders == []


def test_action1_adds_a_voice_of_the_teams_own(app_db, engine_for_app, workspace):
    at = open_page(app_db, "pages/identify_stakeholders.py", workspace.public_id)
    at.text_input(key="stakeholders_voice_label").input("Seasonal agricultural workers")
    at.button(key="FormSubmitter:stakeholders_voice_form-Add voice").click().run()
    assert load(engine_for_app, workspace.id).workspace.custom_voices == ["Seasonal agricultural workers"]
    assert "Seasonal agricultural workers" in texts(at)


def test_action1_keeps_the_group_and_level_for_the_next_entry(app_db, engine_for_app, workspace):
    at = open_page(app_db, "pages/identify_stakeholders.py", workspace.public_id)
    at.text_input(key="stakeholders_add_name").input("Ministry of Labour")
    at.selectbox(key="stakeholders_add_group_id").set_value("policy_sectors")
    at.selectbox(key="stakeholders_add_government_level").set_value("national")
    at.button(key="FormSubmitter:stakeholders_add_form-Add to register").click().run()
    assert "Added Ministry of Labour to the register." in texts(at)
    assert at.text_input(key="stakeholders_add_name").value == ""
    assert at.selectbox(key="stakeholders_add_group_id").value == "policy_sectors"
    assert at.selectbox(key="stakeholders_add_government_level").value == "national"
    at.text_input(key="stakeholders_add_name").input("Ministry of Health")
    at.button(key="FormSubmitter:stakeholders_add_form-Add to register").click().run()
    people = {(p.name, p.group_id, p.government_level) for p in load(engine_for_app, workspace.id).stakeholders}
    assert people == {
        ("Ministry of Labour", "policy_sectors", "national"),
        ("Ministry of Health", "policy_sectors", "national"),
    }


def test_action1_adds_a_pasted_list_after_saying_what_is_left_out(app_db, engine_for_app, workspace):
    add_stakeholder(engine_for_app, workspace.id, "Ministry of Labour", "policy_sectors")
    at = open_panel(open_page(app_db, "pages/identify_stakeholders.py", workspace.public_id), "paste")
    pasted = "Ministry of Health\tHealth\n  ministry of labour \n\n- Ministry of Education\nMinistry of health\n"
    at.text_area(key="stakeholders_paste_text").input(pasted).run()
    shown = texts(at)
    assert "Already on the register, left out: ministry of labour." in shown
    assert "Listed twice, added once: Ministry of health." in shown
    submit = at.button(key="stakeholders_paste_submit")
    assert submit.label == "Add 2 stakeholders" and submit.disabled  # no group chosen yet
    at.selectbox(key="stakeholders_paste_group").set_value("policy_sectors").run()
    at.button(key="stakeholders_paste_submit").click().run()
    assert not at.exception
    assert "Added 2 stakeholders to the register." in texts(at)
    names = sorted(p.name for p in load(engine_for_app, workspace.id).stakeholders)
    assert names == ["Ministry of Education", "Ministry of Health", "Ministry of Labour"]


def test_action1_records_why_a_group_has_nobody(app_db, engine_for_app, workspace):
    add_stakeholder(engine_for_app, workspace.id, "Ministry of Labour", "policy_sectors")
    at = open_page(app_db, "pages/identify_stakeholders.py", workspace.public_id)
    assert "15 groups not yet covered" in texts(at)
    at.selectbox(key="stakeholders_reason_group").set_value("recruitment_agencies")
    at.text_area(key="stakeholders_reason_text").input("No private recruitment agencies operate here.")
    at.button(key="FormSubmitter:stakeholders_reason-Save the reason").click().run()
    assert not at.exception
    assert load(engine_for_app, workspace.id).workspace.group_reasons == {
        "recruitment_agencies": "No private recruitment agencies operate here."
    }
    assert "Recruitment agencies: No private recruitment agencies operate here." in texts(at)


def test_action1_register_shows_the_columns_that_fit_and_the_ones_picked(app_db, engine_for_app, workspace):
    add_stakeholder(engine_for_app, workspace.id, "Ministry of Labour", "policy_sectors")
    at = open_page(app_db, "pages/identify_stakeholders.py", workspace.public_id)
    editor = at.get("data_editor")[0].proto
    assert list(editor.column_order) == [
        "name",
        "group_id",
        "government_level",
        "influence",
        "interest",
        "engagement_status",
    ]
    at.multiselect(key="stakeholders_columns").select("voices").run()
    assert "voices" in list(at.get("data_editor")[0].proto.column_order)


def test_action2_shows_who_has_no_plan_and_saves_a_plan(app_db, engine_for_app, workspace):
    first = add_stakeholder(engine_for_app, workspace.id, "Ministry of Labour", "policy_sectors")
    add_stakeholder(engine_for_app, workspace.id, "Diaspora federation", "diasporas")
    at = open_page(app_db, "pages/meaningful_engagement.py", workspace.public_id)
    assert "No engagement plan yet" in texts(at) and "Diaspora federation" in texts(at)
    assert at.selectbox(key="engagement_selected").value == first.id
    at.button_group(key=f"eng_{first.id}_plan_participation_level").set_value("collaborate").run()
    at.button_group(key=f"eng_{first.id}_plan_mechanisms").set_value(["meetings", "advisory_boards"]).run()
    at.text_area(key=f"eng_{first.id}_role_and_interest").input("Leads labour migration policy").run()
    assert not at.exception
    data = load(engine_for_app, workspace.id)
    plan = data.plans[first.id]
    assert (plan.participation_level, plan.mechanisms) == ("collaborate", ["meetings", "advisory_boards"])
    assert data.stakeholder(first.id).role_and_interest == "Leads labour migration policy"
    assert "for 1 stakeholder" in texts(at)


def test_action2_keeps_the_chosen_stakeholder_once_its_plan_counts(app_db, engine_for_app, workspace):
    add_stakeholder(engine_for_app, workspace.id, "Ministry of Labour", "policy_sectors")
    second = add_stakeholder(engine_for_app, workspace.id, "Diaspora federation", "diasporas")
    add_stakeholder(engine_for_app, workspace.id, "City of Kingston", "local_and_regional_authorities")
    at = open_page(app_db, "pages/meaningful_engagement.py", workspace.public_id)
    at.selectbox(key="engagement_selected").set_value(second.id).run()
    # The first click makes the plan count as planned, which changes the chooser's label for it.
    at.button_group(key=f"eng_{second.id}_plan_participation_level").set_value("consult").run()
    at.button_group(key=f"eng_{second.id}_plan_mechanisms").set_value(["dialogues"]).run()
    assert not at.exception
    assert at.selectbox(key="engagement_selected").value == second.id
    data = load(engine_for_app, workspace.id)
    assert set(data.plans) == {second.id}
    assert (data.plans[second.id].participation_level, data.plans[second.id].mechanisms) == ("consult", ["dialogues"])


def test_action2_refuses_a_click_from_a_stakeholder_no_longer_on_screen(app_db, engine_for_app, workspace):
    """A click that lands after the page moved to another stakeholder is refused with a message, not saved."""
    first = add_stakeholder(engine_for_app, workspace.id, "Ministry of Labour", "policy_sectors")
    second = add_stakeholder(engine_for_app, workspace.id, "Diaspora federation", "diasporas")
    at = open_page(app_db, "pages/meaningful_engagement.py", workspace.public_id)
    at.selectbox(key="engagement_selected").set_value(second.id).run()
    # The page has moved to the first stakeholder meanwhile; the click was on the second one's form.
    at.session_state["engagement_selected__on_screen"] = first.id
    at.button_group(key=f"eng_{second.id}_plan_mechanisms").set_value(["meetings"]).run()
    assert not at.exception
    assert "Your last click was not saved" in texts(at)
    assert load(engine_for_app, workspace.id).plans == {}
    assert at.button_group(key=f"eng_{second.id}_plan_mechanisms").value == []
    # On screen again, the same click saves.
    at.button_group(key=f"eng_{second.id}_plan_mechanisms").set_value(["meetings"]).run()
    assert load(engine_for_app, workspace.id).plans[second.id].mechanisms == ["meetings"]
    assert "Your last click was not saved" not in texts(at)


def test_action2_saves_a_click_whose_callback_was_cut_short(app_db, engine_for_app, workspace):
    """Streamlit stops a callback (or skips it) when the next click arrives meanwhile. The widget then holds a
    value its callback never saved: the next run saves it, so what the page shows is what is stored."""
    person = add_stakeholder(engine_for_app, workspace.id, "Radio Jamaica", "media")
    at = open_page(app_db, "pages/meaningful_engagement.py", workspace.public_id)
    at.button_group(key=f"eng_{person.id}_plan_mediums").set_value(["in_person"]).run()
    # The second click's value reached the session, but its callback never ran.
    at.session_state[f"eng_{person.id}_plan_mediums"] = ["in_person", "surveys"]
    at.run()
    assert not at.exception
    assert load(engine_for_app, workspace.id).plans[person.id].mediums == ["in_person", "surveys"]
    assert at.button_group(key=f"eng_{person.id}_plan_mediums").value == ["in_person", "surveys"]


def test_action2_a_save_whose_bookkeeping_was_cut_short_is_not_a_clash(app_db, engine_for_app, workspace):
    """A save that reached the database before its callback was stopped: the next click on the same field is
    saved as usual, not shown as a clash with the user's own earlier click."""
    person = add_stakeholder(engine_for_app, workspace.id, "Radio Jamaica", "media")
    at = open_page(app_db, "pages/meaningful_engagement.py", workspace.public_id)
    key = f"eng_{person.id}_plan_mechanisms"
    # The click's value is in the session and in the database, but the page never recorded the save.
    at.session_state[key] = ["meetings"]
    db.run_write(
        engine_for_app,
        store.save_engagement_plan,
        workspace_id=workspace.id,
        stakeholder_id=person.id,
        changes={"mechanisms": ["meetings"]},
    )
    at.run()
    at.button_group(key=key).set_value(["meetings", "partnerships"]).run()
    assert not at.exception
    assert "Someone else" not in texts(at)
    plan = load(engine_for_app, workspace.id).plans[person.id]
    assert (plan.mechanisms, plan.version) == (["meetings", "partnerships"], 2)


def test_action2_keeps_its_layout_when_the_first_plan_is_saved(app_db, engine_for_app, workspace):
    """The copy control is there, disabled, before any plan: appearing on the first click would push the form
    under the user's next click."""
    person = add_stakeholder(engine_for_app, workspace.id, "Radio Jamaica", "media")
    at = open_page(app_db, "pages/meaningful_engagement.py", workspace.public_id)
    assert at.selectbox(key="plan_table_copy_source").disabled
    before = len(list(at.main))  # top-level elements (a notice may change kind, not number)
    at.button_group(key=f"eng_{person.id}_plan_participation_level").set_value("consult").run()
    assert not at.selectbox(key="plan_table_copy_source").disabled
    assert len(list(at.main)) == before


def test_action3_saves_criteria_answers_and_the_decision(app_db, engine_for_app, workspace):
    at = open_page(app_db, "pages/institutional_setup.py", workspace.public_id)
    at.radio(key="setup_interagency_working_group_answer").set_value("yes").run()
    at.text_input(key="setup_interagency_working_group_note").input("NWGIMD, co-chaired by PIOJ").run()
    at.radio(key="setup_decision_chosen_option").set_value("existing_body").run()
    assert not at.exception
    data = load(engine_for_app, workspace.id)
    assert data.setup_answers["interagency_working_group"].answer == "yes"
    assert data.setup_answers["interagency_working_group"].note == "NWGIMD, co-chaired by PIOJ"
    assert data.decision.chosen_option == "existing_body"
    assert "1 of 10 criteria answered" in at.main.get("progress")[0].proto.text


def test_action4_adds_an_activity_and_shows_audiences_left(app_db, engine_for_app, workspace):
    at = open_page(app_db, "pages/raise_awareness.py", workspace.public_id)
    at.text_input(key="awareness_add_title").input("Briefing for line ministries")
    at.selectbox(key="awareness_add_audience").set_value("government")
    at.selectbox(key="awareness_add_activity_type").set_value("briefings")
    at.button(key="FormSubmitter:awareness_add_form-Add to plan").click().run()
    assert not at.exception
    (activity,) = load(engine_for_app, workspace.id).activities
    assert (activity.title, activity.audience, activity.status) == (
        "Briefing for line ministries",
        "government",
        "planned",
    )
    assert "Other stakeholders, The public" in texts(at)


def test_checklist_ongoing_items_are_never_done_and_record_their_review(app_db, engine_for_app, workspace):
    import datetime as dt

    at = open_page(app_db, "pages/checklist.py", workspace.public_id)
    assert "done" not in at.selectbox(key="checklist_carry_out_engagement_status").options
    assert "Done" in at.selectbox(key="checklist_map_stakeholders_status").options
    assert "Not reviewed yet." in texts(at)
    at.button(key="checklist_carry_out_engagement_review").click().run()
    assert not at.exception
    entry = load(engine_for_app, workspace.id).checklist["carry_out_engagement"]
    assert entry.reviewed_on == dt.date.today()
    assert "Last reviewed" in texts(at)


def test_checklist_suggests_from_data_and_accepts_an_override(app_db, engine_for_app, workspace):
    add_stakeholder(engine_for_app, workspace.id, "Ministry of Labour", "policy_sectors")
    at = open_page(app_db, "pages/checklist.py", workspace.public_id)
    assert "Suggested: In progress — 1 of 16 groups covered" in texts(at)
    at.selectbox(key="checklist_map_stakeholders_status").set_value("done").run()
    at.text_area(key="checklist_map_stakeholders_notes").input("Validated at the inter-ministerial meeting").run()
    assert not at.exception
    entry = load(engine_for_app, workspace.id).checklist["map_stakeholders"]
    assert (entry.confirmed_status, entry.notes) == ("done", "Validated at the inter-ministerial meeting")
    assert "1 of 6 items done" in at.main.get("progress")[0].proto.text


def test_user_text_is_shown_as_text_not_markup(app_db, engine_for_app):
    hostile = "<b>big</b> <img src=x> **bold** [link](https://example.org) :red[x] $x$ # heading"
    workspace = make_workspace(engine_for_app, hostile[:200])
    db.run_write(
        engine_for_app,
        store.save_answer,
        workspace_id=workspace.id,
        question_id="policy_sectors",
        changes={"text": hostile},
    )
    at = open_page(app_db, "pages/summary.py", workspace.public_id)
    assert not at.exception
    rendered = [m.value for m in at.markdown] + [t.value for t in at.title]
    carrying = [source for source in rendered if "img src" in source]
    assert len(carrying) >= 2  # the title and the answer
    for source in carrying:
        # Every markdown-significant character arrives escaped, so it shows as typed.
        assert "\\<b\\>big\\</b\\>" in source and "\\<img src\\=x\\>" in source
        assert "\\*\\*bold\\*\\*" in source and "\\[link\\]\\(https\u2060\\://example\\.org\\)" in source
        assert "\\:red\\[x\\]" in source and "\\$x\\$" in source and "\\# heading" in source


@pytest.mark.parametrize(
    "typed", ["<script>alert(1)</script>", "[x](javascript:alert(1))", '<img src=x onerror="alert(1)">']
)
def test_active_markup_is_refused_with_a_message_and_nothing_saved(app_db, engine_for_app, workspace, typed):
    at = open_page(app_db, "pages/guiding_questions.py", workspace.public_id)
    at.text_area(key="gq_answer_policy_sectors").input(f"Health and labour {typed}").run()
    assert not at.exception
    assert "web page code" in texts(at)
    assert load(engine_for_app, workspace.id).answer_text("policy_sectors") == ""
    # What the user typed is still in the field, to fix.
    assert at.text_area(key="gq_answer_policy_sectors").value == f"Health and labour {typed}"


def test_action3_shows_the_recommendation_and_records_acceptance(app_db, engine_for_app, workspace):
    add_stakeholder(
        engine_for_app,
        workspace.id,
        "Ministry of Labour",
        "policy_sectors",
        influence=4,
        lead_candidate="labour_ministry",
    )
    answer_setup(
        engine_for_app,
        workspace.id,
        {"existing_body": "yes", "interagency_working_group": "yes", "fragmentation": "low"},
    )
    at = open_page(app_db, "pages/institutional_setup.py", workspace.public_id)
    assert "Your answers point clearly to Option 1: Assign to an existing body, because:" in texts(at)
    assert "Ministry of Labour — Ministry of labour" in texts(at)
    # The signed scores are in the details, not in the headline.
    assert "score" not in at.success[0].value
    next(b for b in at.button if b.label == "Accept this recommendation").click().run()
    assert not at.exception
    decision = load(engine_for_app, workspace.id).decision
    assert (decision.chosen_option, decision.recommended_option, decision.followed_recommendation) == (
        "existing_body",
        "existing_body",
        True,
    )
    assert decision.lead_bodies == "Ministry of Labour"
    assert at.radio(key="setup_decision_chosen_option").value == "existing_body"


def test_action3_names_the_existing_body_from_the_register_and_suggests_it_as_lead(app_db, engine_for_app, workspace):
    add_stakeholder(engine_for_app, workspace.id, "National Commission on Migration", "policy_sectors")
    add_stakeholder(engine_for_app, workspace.id, "Child Development Agency", "policy_sectors")
    at = open_page(app_db, "pages/institutional_setup.py", workspace.public_id)
    assert not [s for s in at.selectbox if s.key == "setup_existing_body_body"]  # asked once the answer is yes
    at.radio(key="setup_existing_body_answer").set_value("yes").run()
    picker = at.selectbox(key="setup_existing_body_body")
    assert picker.options == ["National Commission on Migration", "Child Development Agency"]
    picker.set_value("National Commission on Migration").run()
    at.radio(key="setup_fragmentation_answer").set_value("low").run()
    at.radio(key="setup_capacity_and_resources_answer").set_value("yes").run()
    assert not at.exception
    assert load(engine_for_app, workspace.id).setup_answers["existing_body"].body == "National Commission on Migration"
    assert "National Commission on Migration — named in your answer on “Existing body”" in texts(at)
    assert "Child Development Agency —" not in texts(at)
    next(b for b in at.button if b.label == "Accept this recommendation").click().run()
    assert load(engine_for_app, workspace.id).decision.lead_bodies == "National Commission on Migration"


def test_action3_lists_the_likeliest_bodies_of_a_long_register_and_the_one_named(app_db, engine_for_app):
    workspace = make_workspace(engine_for_app, "Many government bodies")
    limit = recommender.BODY_CHOOSER_LIMIT
    for n in range(limit + 2):
        add_stakeholder(engine_for_app, workspace.id, f"Ministry {n}", "policy_sectors", government_level="national")
    add_stakeholder(engine_for_app, workspace.id, "Parish Council 7", "local_and_regional_authorities")
    at = open_page(app_db, "pages/institutional_setup.py", workspace.public_id)
    at.radio(key="setup_existing_body_answer").set_value("yes").run()
    picker = at.selectbox(key="setup_existing_body_body")
    assert picker.options == [f"Ministry {n}" for n in range(limit)]
    assert f"The list shows {limit} of the register’s {limit + 3} government bodies" in texts(at)
    picker.set_value("Ministry 99").run()
    assert not at.exception
    assert load(engine_for_app, workspace.id).setup_answers["existing_body"].body == "Ministry 99"
    # A body beyond the list, named on another device (typed in: tests/test_browser_clicks.py), is listed too.
    answer_setup(engine_for_app, workspace.id, {"existing_body": "yes"}, bodies={"existing_body": "Parish Council 7"})
    at = open_page(app_db, "pages/institutional_setup.py", workspace.public_id)
    picker = at.selectbox(key="setup_existing_body_body")
    assert picker.value == "Parish Council 7"
    assert picker.options == [*(f"Ministry {n}" for n in range(limit)), "Parish Council 7"]


def test_action3_choosing_the_other_option_asks_why(app_db, engine_for_app, workspace):
    answer_setup(
        engine_for_app,
        workspace.id,
        {"existing_body": "no", "interagency_working_group": "no", "fragmentation": "high"},
    )
    at = open_page(app_db, "pages/institutional_setup.py", workspace.public_id)
    assert "Your answers point clearly to Option 2: Create a new dedicated body, because:" in texts(at)
    # Questions about "that body" are not asked once the team said there is none.
    assert "Not asked: you said there is no existing body" in texts(at)
    assert not [r for r in at.radio if r.key == "setup_technical_expertise_answer"]
    at.radio(key="setup_decision_chosen_option").set_value("existing_body").run()
    assert "You chose a different set-up from the one recommended" in texts(at)
    at.text_area(key="setup_decision_deviation_reason").input("Cabinet asked the Interior ministry to lead").run()
    decision = load(engine_for_app, workspace.id).decision
    assert (decision.chosen_option, decision.recommended_option, decision.followed_recommendation) == (
        "existing_body",
        "new_body",
        False,
    )
    assert decision.deviation_reason == "Cabinet asked the Interior ministry to lead"


def test_action3_drafts_terms_of_reference_and_roles(app_db, engine_for_app, workspace):
    add_stakeholder(
        engine_for_app, workspace.id, "Ministry of Labour", "policy_sectors", lead_candidate="labour_ministry"
    )
    add_stakeholder(engine_for_app, workspace.id, "Statistical Institute", "policy_sectors")
    at = open_page(app_db, "pages/institutional_setup.py", workspace.public_id)
    next(b for b in at.button if b.label == "Draft the terms of reference from your answers").click().run()
    assert at.get("data_editor") == [] and "No body in the roles table yet." in texts(at)
    next(b for b in at.button if b.label.startswith("Add the lead body and government stakeholders")).click().run()
    assert not at.exception
    # The folded roles table opens on the rows just added, and the line above it counts them.
    assert len(at.get("data_editor")) == 1 and "2 bodies in the roles table." in texts(at)
    data = load(engine_for_app, workspace.id)
    assert data.decision.terms_of_reference.startswith("DRAFT")
    assert at.text_area(key="setup_decision_terms_of_reference").value == data.decision.terms_of_reference
    next(b for b in at.button if b.label == "Draft a work plan from your checklist and awareness plan").click().run()
    assert not at.exception
    plan = load(engine_for_app, workspace.id).decision.work_plan
    assert plan.strip() and at.text_area(key="setup_decision_work_plan").value == plan
    # The labour ministry is the lead the team marked on the register; the statistics body is a member.
    assert {(r.body, r.role) for r in data.roles} == {
        ("Ministry of Labour", "lead"),
        ("Statistical Institute", "member"),
    }
    # It stays open when the table changes (here someone else adds a row).
    db.run_write(engine_for_app, store.add_role, workspace_id=workspace.id, data={"body": "Parliament", "role": "lead"})
    at.run()
    assert len(at.get("data_editor")) == 1 and "3 bodies in the roles table." in texts(at)


def test_summary_lists_what_is_missing_with_links_and_offers_the_files(app_db, engine_for_app, workspace):
    add_stakeholder(engine_for_app, workspace.id, "Ministry of Labour", "policy_sectors")
    at = open_page(app_db, "pages/summary.py", workspace.public_id)
    assert not at.exception
    shown = texts(at)
    assert "15 of 16 stakeholder groups have nobody." in shown
    assert "No engagement plan for 1 stakeholder." in shown
    assert "6 of 6 guiding questions are not answered yet." in shown
    assert "Draft: 0 of 6 checklist items are done (ongoing ones: under way)." in shown
    downloads = at.get("download_button")
    assert [d.proto.label for d in downloads] == [
        "PDF report",
        "Excel workbook",
        "Stakeholder register (CSV)",
        "Backup of the whole workspace (JSON)",
    ]
    # Each missing item links to the page that fixes it, in the order of the step.
    fixes = [link.proto.page for link in at.get("page_link") if link.proto.label == "Fix this"]
    assert fixes == ["guiding-questions", "stakeholders", "stakeholders", "engagement", "setup", "awareness"]


def test_home_restores_a_backup_as_a_new_workspace(app, engine_for_app, workspace):
    from gcm_guide import backup

    add_stakeholder(engine_for_app, workspace.id, "Réseau des migrantes", "civil_society_organizations", influence=4)
    raw = backup.backup_bytes(load(engine_for_app, workspace.id))
    app.run()
    app.file_uploader(key="restore_file").set_value(("backup.json", raw, "application/json")).run()
    assert not app.exception
    assert "1 stakeholder, " in texts(app)
    # The name is taken, so a dated variant is proposed.
    proposed = app.text_input(key="restore_name").value
    assert proposed.startswith("Kick-off Kingston (restored ")
    app.text_input(key="restore_passcode").input("another passcode")
    app.text_input(key="restore_passcode_again").input("another passcode")
    app.button(key="restore_submit").click().run()
    assert not app.exception
    restored = next(w for w in db.run_read(engine_for_app, store.list_workspaces) if w.name == proposed)
    people = load(engine_for_app, restored.id).stakeholders
    assert [(p.name, p.influence) for p in people] == [("Réseau des migrantes", 4)]
    # The restored workspace has its own passcode, and this session, which restored it, may open it.
    assert restored.passcode_hash and restored.passcode_hash.startswith("$argon2id$")
    assert "Kick-off summary" in texts(app)


def test_home_refuses_a_broken_backup_and_writes_nothing(app, engine_for_app, workspace):
    app.run()
    app.file_uploader(key="restore_file").set_value(
        ("backup.json", b'{"format": "gcm-kickoff-guide-ba', "application/json")
    ).run()
    assert not app.exception
    assert "This file cannot be restored" in texts(app) and "not complete JSON" in texts(app)
    assert [w.name for w in db.run_read(engine_for_app, store.list_workspaces)] == ["Kick-off Kingston"]


def test_action1_imports_stakeholders_from_a_spreadsheet_after_a_preview(app_db, engine_for_app, workspace):
    csv_file = (
        b"Organisation;Category;Influence;Interest\n"
        b"Ministry of Interior;Ministry;5;4\n"
        b"Women Migrants Network;CSO;2;5\n"
        b"Bad score;Media;9;1\n"
    )
    at = open_page(app_db, "pages/identify_stakeholders.py", workspace.public_id)
    open_panel(at, "import").file_uploader(key="import_file").set_value(
        ("stakeholders.csv", csv_file, "text/csv")
    ).run()
    assert not at.exception
    assert "Preview: 2 of 3 rows can be imported" in texts(at)
    assert load(engine_for_app, workspace.id).stakeholders == []  # nothing before confirming
    next(b for b in at.button if b.label == "Import 2 stakeholders").click().run()
    assert not at.exception
    people = load(engine_for_app, workspace.id).stakeholders
    assert sorted((p.name, p.group_id, p.influence) for p in people) == [
        ("Ministry of Interior", "policy_sectors", 5),
        ("Women Migrants Network", "civil_society_organizations", 2),
    ]
    assert "Imported 2 stakeholders." in texts(at)


def test_action1_import_maps_each_unrecognised_value_once_for_every_row(app_db, engine_for_app, workspace):
    """The groups a real team wrote: most are understood on their own; the one that is not is mapped once."""
    csv_file = (
        b"Name,Type\n"
        b"Bustamante Industrial Trade Union,Trade union\n"
        b"Ministry of Justice,National government\n"
        b"IOM country office,UN system\n"
        b"Embassy of Canada,Development partners\n"
        b"OSCE mission,International organisation\n"
        b"Red Cross delegation,International organisation\n"
        b"Passport Agency,Government agency\n"
    )
    at = open_page(app_db, "pages/identify_stakeholders.py", workspace.public_id)
    open_panel(at, "import").file_uploader(key="import_file").set_value(
        ("stakeholders.csv", csv_file, "text/csv")
    ).run()
    assert "Preview: 5 of 7 rows can be imported" in texts(at)
    (choice,) = [s for s in at.selectbox if s.key and s.key.startswith("import_value_")]
    assert choice.label == "“International organisation” (2 rows)"
    assert not [b for b in at.button if b.label.startswith("Import 0")]
    choice.set_value("development_cooperation_partners").run()
    assert "Preview: 7 of 7 rows can be imported" in texts(at)
    next(b for b in at.button if b.label == "Import 7 stakeholders").click().run()
    assert not at.exception
    groups = {p.name: p.group_id for p in load(engine_for_app, workspace.id).stakeholders}
    assert groups == {
        "Bustamante Industrial Trade Union": "trade_unions",
        "Ministry of Justice": "policy_sectors",
        "IOM country office": "un_network_on_migration",
        "Embassy of Canada": "development_cooperation_partners",
        "OSCE mission": "development_cooperation_partners",
        "Red Cross delegation": "development_cooperation_partners",
        "Passport Agency": "policy_sectors",
    }


def test_action1_import_offers_no_button_when_no_row_can_be_imported(app_db, engine_for_app, workspace):
    at = open_page(app_db, "pages/identify_stakeholders.py", workspace.public_id)
    open_panel(at, "import").file_uploader(key="import_file").set_value(
        ("list.csv", b"Name,Type\nSomeone,Astronauts\n", "text/csv")
    ).run()
    assert "No row can be imported yet" in texts(at)
    assert not [b for b in at.button if b.label.startswith("Import")]


def test_each_page_of_the_guided_flow_links_to_the_next(app_db, engine_for_app, workspace):
    from gcm_guide import navigation
    from gcm_guide.i18n import t

    flow = [spec.id for spec in PAGES if spec.section == "nav.kickoff"]
    assert flow == ["guiding-questions", "stakeholders", "engagement", "setup", "awareness", "checklist", "summary"]
    assert navigation.next_step("summary") is None and navigation.next_step("home") is None
    add_stakeholder(engine_for_app, workspace.id, "Ministry of Labour", "policy_sectors")  # Action 2 needs one
    for here, following in itertools.pairwise(flow):
        at = open_page(app_db, navigation.page(here).file, workspace.public_id)
        assert not at.exception
        labels = [element.proto.label for element in at.get("page_link")]
        assert t("common.next", page=t(navigation.page(following).title_key)) in labels, here


def test_a_table_conflict_shows_both_values_and_keep_mine_saves_mine(app_db, engine_for_app, workspace):
    from gcm_guide.errors import Conflict

    person = add_stakeholder(engine_for_app, workspace.id, "Ministry of Labour", "policy_sectors", influence=3)
    db.run_write(
        engine_for_app,
        store.update_stakeholder,
        workspace_id=workspace.id,
        stakeholder_id=person.id,
        changes={"influence": 5},
    )
    # This user's table still showed version 1 when they typed 4 (as gcm_guide.tables reports it).
    with pytest.raises(Conflict) as raised:
        db.run_write(
            engine_for_app,
            store.update_stakeholder,
            workspace_id=workspace.id,
            stakeholder_id=person.id,
            changes={"influence": 4},
            expected_version=person.version,
        )
    conflict = raised.value
    conflict.row_id, conflict.row_label = person.id, person.name
    at = open_page(app_db, "pages/identify_stakeholders.py", workspace.public_id)
    at.session_state["stakeholders_table__conflict"] = conflict
    at.run()
    assert not at.exception
    assert "Someone else changed “Influence (1–5)” of Ministry of Labour" in texts(at)
    assert {"4", "5"} <= {element.value for element in at.text}
    assert load(engine_for_app, workspace.id).stakeholders[0].influence == 5
    next(b for b in at.button if b.label == "Keep mine").click().run()
    assert not at.exception
    assert load(engine_for_app, workspace.id).stakeholders[0].influence == 4
    assert "Someone else changed" not in texts(at)


@pytest.mark.parametrize(
    ("page_file", "panel"),
    [
        ("pages/identify_stakeholders.py", "stakeholders_charts"),
        ("pages/meaningful_engagement.py", "engagement_charts"),
        ("pages/raise_awareness.py", "awareness_charts"),
        ("pages/checklist.py", "checklist_charts"),
    ],
)
def test_a_pages_charts_are_drawn_only_once_their_panel_is_opened(app_db, engine_for_app, workspace, page_file, panel):
    """A chart is hundreds of elements for the browser to lay out: a page opens without them, and opening the
    panel draws them."""
    add_stakeholder(engine_for_app, workspace.id, "Ministry of Labour", "policy_sectors", influence=5, interest=4)
    add_stakeholder(engine_for_app, workspace.id, "Diaspora Council", "diasporas", influence=2)
    at = open_page(app_db, page_file, workspace.public_id)
    assert not at.exception
    assert at.get("plotly_chart") == []
    assert [e.label for e in at.expander if e.key == panel]  # the panel is there, folded
    opened = open_panel(at, panel)
    assert not opened.exception
    assert len(opened.get("plotly_chart")) >= 1


def test_the_app_keeps_one_load_per_workspace_the_newest(app_db, engine_for_app, monkeypatch):
    """Sessions share a workspace's load until it changes; a change replaces it (older loads are never asked for
    again), and only the most recently loaded workspaces are kept."""
    from gcm_guide.web import resources

    monkeypatch.setattr(resources, "OPEN_WORKSPACES_KEPT", 3)
    current = lambda w: db.run_read(engine_for_app, store.get_workspace, public_id=w.public_id)  # noqa: E731
    first = make_workspace(engine_for_app, "Kingston")
    loaded = resources.workspace_data(current(first))
    assert resources.workspace_data(current(first)) is loaded  # unchanged: the same load
    db.run_write(
        engine_for_app, store.save_answer, workspace_id=first.id, question_id="government_bodies", changes={"text": "x"}
    )
    reloaded = resources.workspace_data(current(first))
    assert reloaded is not loaded and reloaded.answers["government_bodies"].text == "x"
    kept = resources._loads().latest
    assert [data for (_, workspace_id), (_, data) in kept.items() if workspace_id == first.id] == [reloaded]
    others = [make_workspace(engine_for_app, f"Workspace {n}") for n in range(3)]
    for other in others:
        resources.workspace_data(current(other))
    assert sorted(workspace_id for _, workspace_id in kept) == sorted(o.id for o in others)  # Kingston dropped


def test_the_server_sets_the_pages_modules_aside_from_the_garbage_collector_once():
    """What every page imports is frozen out of Python's collections once per process; asking again (as app.py
    does on every run) freezes nothing more, since frozen objects are never collected."""
    import subprocess
    import sys

    script = (
        "import gc, sys\n"
        "from gcm_guide.web import resources\n"
        "resources.settle_startup()\n"
        "frozen = gc.get_freeze_count()\n"
        "garbage = [[n] for n in range(10000)]\n"
        "resources.settle_startup()\n"
        "print(frozen, gc.get_freeze_count(), 'gcm_guide.web.plan_view' in sys.modules)\n"
    )
    done = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, timeout=120, check=True)
    first, again, imported = done.stdout.split()
    assert int(first) > 100_000 and int(again) == int(first) and imported == "True"


def test_an_engine_dropped_from_the_cache_closes_its_connections(app_db):
    """Clearing the caches (or a new database URL) must not leave pooled connections for the collector."""
    import streamlit as st

    from gcm_guide.web import resources

    engine = resources.engine()
    with engine.connect():
        pass
    pool = engine.pool
    assert pool.checkedin() == 1  # kept open for the next read
    st.cache_resource.clear()
    assert pool.checkedin() == 0


@pytest.mark.parametrize(
    ("page_file", "around", "panel"),
    [
        ("pages/institutional_setup.py", None, "setup_weighing"),
        ("pages/summary.py", "summary_setup_details", "summary_weighing"),
    ],
)
def test_how_the_recommendation_weighs_the_answers_is_drawn_once_its_panel_is_opened(
    app_db, engine_for_app, workspace, page_file, around, panel
):
    """Action 3 redraws the recommendation on every answer: its reasons and weights wait in a folded panel."""
    answer_setup(engine_for_app, workspace.id, {"existing_body": "yes", "technical_expertise": "partly"})
    at = open_page(app_db, page_file, workspace.public_id)
    if around:
        at = open_panel(at, around)
    assert not at.exception
    own_reading = "The questions and weights are this app's own reading of the guidance"
    assert own_reading not in texts(at) and [e for e in at.expander if e.key == panel]
    opened = open_panel(at, panel)
    assert not opened.exception
    assert own_reading in texts(opened) and "existing body" in texts(opened).lower()
    assert len(opened.get("plotly_chart")) == (1 if around else 0)  # the weights as a chart, on the summary
