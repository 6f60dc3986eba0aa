"""Reads and writes through gcm_guide.store, on real SQLite and PostgreSQL databases."""

import datetime as dt

import pytest

from gcm_guide import backup, db, store
from gcm_guide.errors import Conflict, InputError, NotFound
from gcm_guide.models import MAX_CUSTOM_VOICES, MAX_LONG_TEXT, MAX_VOICES

from .conftest import add_stakeholder, load, make_workspace
from .test_backup import row_counts

LONG_UNICODE = (
    "Ministère de l'Intérieur — coordination; Міністерство соціальної політики; "
    "وزارة العمل والهجرة 🌍🤝\n\n" + "Paragraph with details. " * 400
)


def codes(error: InputError) -> list[tuple[str, str]]:
    return [(p.field, p.code) for p in error.problems]


def test_workspace_is_created_listed_and_found(engine):
    workspace = make_workspace(engine, "Plan national", country="Sénégal", level="regional")
    assert workspace.id and len(workspace.public_id) >= 12 and workspace.version == 1
    found = db.run_read(engine, store.get_workspace, public_id=workspace.public_id)
    assert (found.name, found.country, found.level) == ("Plan national", "Sénégal", "regional")
    summaries = db.run_read(engine, store.workspace_summaries)
    assert [(s.workspace.name, s.stakeholders, s.answers) for s in summaries] == [("Plan national", 0, 0)]


@pytest.mark.parametrize("name", ["", "   ", "\t\n"])
def test_empty_workspace_name_is_refused(engine, name):
    with pytest.raises(InputError) as error:
        make_workspace(engine, name)
    assert codes(error.value) == [("name", "empty")]
    assert db.run_read(engine, store.list_workspaces) == []


def test_duplicate_workspace_name_is_refused_ignoring_case_and_spaces(engine):
    make_workspace(engine, "GCM Kick-off")
    with pytest.raises(InputError) as error:
        make_workspace(engine, "  gcm   KICK-OFF ")
    assert codes(error.value) == [("name", "duplicate_workspace")]
    assert len(db.run_read(engine, store.list_workspaces)) == 1


def test_rename_keeps_everything_and_refuses_a_taken_name(engine):
    first = make_workspace(engine, "First")
    make_workspace(engine, "Second")
    add_stakeholder(engine, first.id, "IOM country office", "un_network_on_migration")
    renamed = db.run_write(engine, store.update_workspace, workspace_id=first.id, changes={"name": "Premier"})
    assert renamed.name == "Premier" and renamed.version == 2
    with pytest.raises(InputError):
        db.run_write(engine, store.update_workspace, workspace_id=first.id, changes={"name": "second"})
    data = load(engine, first.id)
    assert data.workspace.name == "Premier"
    assert [s.name for s in data.stakeholders] == ["IOM country office"]


def test_delete_workspace_removes_everything_in_it_and_nothing_else(engine):
    doomed, kept = make_workspace(engine, "Doomed"), make_workspace(engine, "Kept")
    for workspace in (doomed, kept):
        person = add_stakeholder(engine, workspace.id, "Trade union federation", "trade_unions")
        db.run_write(
            engine,
            store.save_engagement_plan,
            workspace_id=workspace.id,
            stakeholder_id=person.id,
            changes={"mechanisms": ["meetings"]},
        )
        db.run_write(
            engine,
            store.save_answer,
            workspace_id=workspace.id,
            question_id="policy_sectors",
            changes={"text": "Labour, health"},
        )
    db.run_write(engine, store.delete_workspace, workspace_id=doomed.id)
    with pytest.raises(NotFound):
        load(engine, doomed.id)
    kept_data = load(engine, kept.id)
    assert len(kept_data.stakeholders) == 1 and len(kept_data.plans) == 1 and len(kept_data.answers) == 1
    # Nothing of the deleted workspace is left behind: the kept workspace's rows are all there are.
    counts = row_counts(engine)
    assert (counts["workspace"], counts["stakeholder"], counts["engagement_plan"], counts["guiding_answer"]) == (
        1,
        1,
        1,
        1,
    )
    with pytest.raises(NotFound):
        db.run_write(engine, store.delete_workspace, workspace_id=doomed.id)


def test_answers_keep_long_unicode_text_exactly(engine):
    workspace = make_workspace(engine)
    saved = db.run_write(
        engine,
        store.save_answer,
        workspace_id=workspace.id,
        question_id="government_bodies",
        changes={"text": LONG_UNICODE},
        expected_version=0,
    )
    assert saved.version == 1
    assert load(engine, workspace.id).answer_text("government_bodies") == LONG_UNICODE


def test_text_at_the_limit_is_kept_and_beyond_it_refused(engine):
    workspace = make_workspace(engine)
    at_limit = "x" * MAX_LONG_TEXT
    db.run_write(
        engine, store.save_answer, workspace_id=workspace.id, question_id="policy_sectors", changes={"text": at_limit}
    )
    with pytest.raises(InputError) as error:
        db.run_write(
            engine,
            store.save_answer,
            workspace_id=workspace.id,
            question_id="policy_sectors",
            changes={"text": at_limit + "y"},
        )
    assert codes(error.value)[0][1] == "too_long"
    assert load(engine, workspace.id).answer_text("policy_sectors") == at_limit


def test_control_characters_are_dropped_but_lines_kept(engine):
    workspace = make_workspace(engine)
    db.run_write(
        engine,
        store.save_answer,
        workspace_id=workspace.id,
        question_id="policy_sectors",
        changes={"text": "a\x00b\x07c\r\nd\te"},
    )
    assert load(engine, workspace.id).answer_text("policy_sectors") == "abc\nd\te"


def test_unknown_question_is_refused(engine):
    workspace = make_workspace(engine)
    with pytest.raises(InputError):
        db.run_write(engine, store.save_answer, workspace_id=workspace.id, question_id="nope", changes={"text": "x"})


def test_stakeholder_with_all_fields_round_trips(engine):
    workspace = make_workspace(engine)
    person = add_stakeholder(
        engine,
        workspace.id,
        "Association des femmes migrantes",
        "civil_society_organizations",
        government_level=None,
        sector="Protection",
        affected=5,
        influence=2,
        interest=4,
        voices=["migrant_women", "undocumented_migrants", "Travailleuses domestiques"],
        engagement_status="contacted",
        role_and_interest=LONG_UNICODE,
    )
    data = load(engine, workspace.id)
    (loaded,) = data.stakeholders
    assert loaded.id == person.id
    assert (loaded.affected, loaded.influence, loaded.interest) == (5, 2, 4)
    assert loaded.voices == ["migrant_women", "undocumented_migrants", "Travailleuses domestiques"]
    assert loaded.role_and_interest == LONG_UNICODE
    # A voice typed on a stakeholder joins the workspace's own list.
    assert data.workspace.custom_voices == ["Travailleuses domestiques"]


@pytest.mark.parametrize(
    ("fields", "expected"),
    [
        ({"name": ""}, ("name", "empty")),
        ({"name": "   "}, ("name", "empty")),
        ({"affected": 6}, ("affected", "less_than_equal")),
        ({"influence": 0}, ("influence", "greater_than_equal")),
        ({"interest": "high"}, ("interest", "int_parsing")),
        ({"group_id": "astronauts"}, ("group_id", "unknown_choice")),
        ({"government_level": "galactic"}, ("government_level", "literal_error")),
        ({"name": "x" * 201}, ("name", "too_long")),
    ],
)
def test_bad_stakeholder_input_is_refused_and_nothing_is_written(engine, fields, expected):
    workspace = make_workspace(engine)
    data = {"name": "Ministry of Health", "group_id": "policy_sectors"} | fields
    with pytest.raises(InputError) as error:
        db.run_write(engine, store.add_stakeholder, workspace_id=workspace.id, data=data)
    assert expected in codes(error.value)
    assert load(engine, workspace.id).stakeholders == []


def test_duplicate_stakeholder_names_are_refused_within_a_workspace_only(engine):
    first, second = make_workspace(engine, "A"), make_workspace(engine, "B")
    add_stakeholder(engine, first.id, "Ministry of Labour", "policy_sectors")
    with pytest.raises(InputError) as error:
        add_stakeholder(engine, first.id, "ministry of  labour", "policy_sectors")
    assert codes(error.value) == [("name", "duplicate_stakeholder")]
    add_stakeholder(engine, second.id, "Ministry of Labour", "policy_sectors")


def test_update_changes_only_the_given_fields_and_bumps_the_version(engine):
    workspace = make_workspace(engine)
    person = add_stakeholder(engine, workspace.id, "Chamber of Commerce", "private_sector", influence=3, interest=2)
    updated = db.run_write(
        engine,
        store.update_stakeholder,
        workspace_id=workspace.id,
        stakeholder_id=person.id,
        changes={"influence": 5},
        expected_version=1,
    )
    assert (updated.influence, updated.interest, updated.version) == (5, 2, 2)


def test_out_of_range_score_on_update_keeps_the_saved_value(engine):
    workspace = make_workspace(engine)
    person = add_stakeholder(engine, workspace.id, "Chamber of Commerce", "private_sector", influence=3)
    with pytest.raises(InputError):
        db.run_write(
            engine,
            store.update_stakeholder,
            workspace_id=workspace.id,
            stakeholder_id=person.id,
            changes={"influence": 9},
        )
    assert load(engine, workspace.id).stakeholders[0].influence == 3


def test_editing_a_stakeholder_of_another_workspace_is_not_found(engine):
    mine, theirs = make_workspace(engine, "Mine"), make_workspace(engine, "Theirs")
    person = add_stakeholder(engine, theirs.id, "Parliament committee", "parliamentarians")
    with pytest.raises(NotFound):
        db.run_write(
            engine,
            store.update_stakeholder,
            workspace_id=mine.id,
            stakeholder_id=person.id,
            changes={"name": "Hijacked"},
        )
    assert load(engine, theirs.id).stakeholders[0].name == "Parliament committee"


def test_stale_edit_of_the_same_field_is_a_conflict_with_both_values(engine):
    workspace = make_workspace(engine)
    saved = db.run_write(
        engine, store.save_answer, workspace_id=workspace.id, question_id="policy_sectors", changes={"text": "Health"}
    )
    # Two people loaded version 1; the first saves, the second's save of the same field must not overwrite.
    db.run_write(
        engine,
        store.save_answer,
        workspace_id=workspace.id,
        question_id="policy_sectors",
        changes={"text": "Health, labour"},
        expected_version=saved.version,
        base={"text": "Health"},
    )
    with pytest.raises(Conflict) as conflict:
        db.run_write(
            engine,
            store.save_answer,
            workspace_id=workspace.id,
            question_id="policy_sectors",
            changes={"text": "Health, education"},
            expected_version=saved.version,
            base={"text": "Health"},
        )
    assert (conflict.value.mine, conflict.value.theirs) == ("Health, education", "Health, labour")
    assert load(engine, workspace.id).answer_text("policy_sectors") == "Health, labour"


def test_stale_edit_of_a_different_field_is_saved(engine):
    workspace = make_workspace(engine)
    person = add_stakeholder(engine, workspace.id, "Ombudsperson", "national_human_rights_institutions")
    db.run_write(
        engine,
        store.update_stakeholder,
        workspace_id=workspace.id,
        stakeholder_id=person.id,
        changes={"influence": 4},
        expected_version=1,
        base={"influence": None},
    )
    db.run_write(
        engine,
        store.update_stakeholder,
        workspace_id=workspace.id,
        stakeholder_id=person.id,
        changes={"interest": 5},
        expected_version=1,
        base={"interest": None},
    )
    (loaded,) = load(engine, workspace.id).stakeholders
    assert (loaded.influence, loaded.interest, loaded.version) == (4, 5, 3)


def test_deleting_a_stakeholder_removes_its_plan(engine):
    workspace = make_workspace(engine)
    person = add_stakeholder(engine, workspace.id, "Media council", "media")
    db.run_write(
        engine,
        store.save_engagement_plan,
        workspace_id=workspace.id,
        stakeholder_id=person.id,
        changes={"participation_level": "consult", "mediums": ["online"], "phases": ["planning", "review"]},
    )
    db.run_write(engine, store.delete_stakeholder, workspace_id=workspace.id, stakeholder_id=person.id)
    data = load(engine, workspace.id)
    assert data.stakeholders == [] and data.plans == {}
    with pytest.raises(NotFound):
        db.run_write(
            engine,
            store.save_engagement_plan,
            workspace_id=workspace.id,
            stakeholder_id=person.id,
            changes={"mechanisms": ["meetings"]},
        )


def test_engagement_plan_refuses_unknown_mechanisms(engine):
    workspace = make_workspace(engine)
    person = add_stakeholder(engine, workspace.id, "Diaspora council", "diasporas")
    with pytest.raises(InputError) as error:
        db.run_write(
            engine,
            store.save_engagement_plan,
            workspace_id=workspace.id,
            stakeholder_id=person.id,
            changes={"mechanisms": ["meetings", "telepathy"]},
        )
    assert codes(error.value) == [("mechanisms", "unknown_choice")]
    assert load(engine, workspace.id).plans == {}


def test_setup_answers_and_decision(engine):
    workspace = make_workspace(engine)
    db.run_write(
        engine,
        store.save_setup_answer,
        workspace_id=workspace.id,
        criterion_id="fragmentation",
        changes={"answer": "high", "note": "Eleven ministries"},
    )
    with pytest.raises(InputError):
        db.run_write(
            engine,
            store.save_setup_answer,
            workspace_id=workspace.id,
            criterion_id="fragmentation",
            changes={"answer": "yes"},
        )
    db.run_write(
        engine,
        store.save_setup_decision,
        workspace_id=workspace.id,
        changes={"chosen_option": "new_body", "lead_bodies": "Office of the Prime Minister"},
    )
    data = load(engine, workspace.id)
    assert (data.setup_answers["fragmentation"].answer, data.setup_answers["fragmentation"].note) == (
        "high",
        "Eleven ministries",
    )
    assert data.decision.chosen_option == "new_body"


def test_activities_refuse_an_end_before_the_start(engine):
    workspace = make_workspace(engine)
    base = {"title": "Briefing", "audience": "government", "activity_type": "briefings"}
    with pytest.raises(InputError) as error:
        db.run_write(
            engine,
            store.add_activity,
            workspace_id=workspace.id,
            data=base | {"starts_on": dt.date(2027, 3, 1), "ends_on": dt.date(2027, 2, 1)},
        )
    assert codes(error.value) == [("ends_on", "ends_before_start")]
    activity = db.run_write(engine, store.add_activity, workspace_id=workspace.id, data=base)
    with pytest.raises(InputError):
        db.run_write(
            engine,
            store.update_activity,
            workspace_id=workspace.id,
            activity_id=activity.id,
            changes={"activity_type": "skywriting"},
        )
    assert load(engine, workspace.id).activities[0].activity_type == "briefings"


def test_checklist_entry_override_and_back_to_suggestion(engine):
    workspace = make_workspace(engine)
    save = store.save_checklist_entry
    db.run_write(
        engine,
        save,
        workspace_id=workspace.id,
        item_id="institutional_setup",
        changes={"confirmed_status": "done", "notes": "Decided by Cabinet"},
    )
    assert load(engine, workspace.id).checklist["institutional_setup"].confirmed_status == "done"
    db.run_write(
        engine, save, workspace_id=workspace.id, item_id="institutional_setup", changes={"confirmed_status": None}
    )
    entry = load(engine, workspace.id).checklist["institutional_setup"]
    assert entry.confirmed_status is None and entry.notes == "Decided by Cabinet"
    with pytest.raises(InputError):
        db.run_write(
            engine, save, workspace_id=workspace.id, item_id="institutional_setup", changes={"confirmed_status": "x"}
        )


def test_work_survives_a_new_engine(backend, tmp_path, request):
    """Stop and resume: what one app process saved, the next one (a new engine) reads back."""
    if backend == "sqlite":
        url = f"sqlite:///{tmp_path / 'resume.sqlite3'}"
    else:
        from .conftest import new_postgres_database

        url, drop = new_postgres_database(request.getfixturevalue("postgres_url"))
        request.addfinalizer(drop)
    first = db.open_database(url)
    workspace = make_workspace(first)
    db.run_write(
        first, store.save_answer, workspace_id=workspace.id, question_id="awareness_raising", changes={"text": "Days"}
    )
    first.dispose()
    second = db.open_database(url)
    assert load(second, workspace.id).answer_text("awareness_raising") == "Days"
    second.dispose()


@pytest.mark.parametrize(
    "text",
    [
        "<script>alert(1)</script>",
        "<SCRIPT src=//evil.example></SCRIPT>",
        '<iframe src="https://evil.example">',
        "<a href=# onclick=alert(1)>x</a>",
        "see javascript:alert(1)",
        "data:text/html;base64,PHNjcmlwdD4=",
    ],
)
def test_active_markup_is_refused_everywhere_text_is_stored(engine, text):
    workspace = make_workspace(engine)
    with pytest.raises(InputError) as error:
        add_stakeholder(engine, workspace.id, f"Name {text}"[:200], "media")
    assert ("name", "active_markup") in codes(error.value)
    with pytest.raises(InputError):
        db.run_write(
            engine, store.save_answer, workspace_id=workspace.id, question_id="policy_sectors", changes={"text": text}
        )
    data = load(engine, workspace.id)
    assert data.stakeholders == [] and data.answers == {}


@pytest.mark.parametrize(
    "text", ["a < b and c > d", "<b>bold</b> and <i>italics</i>", "**bold** [link](https://x.org)"]
)
def test_ordinary_text_with_angle_brackets_is_kept_as_typed(engine, text):
    workspace = make_workspace(engine)
    db.run_write(
        engine, store.save_answer, workspace_id=workspace.id, question_id="policy_sectors", changes={"text": text}
    )
    assert load(engine, workspace.id).answer_text("policy_sectors") == text


@pytest.mark.parametrize(
    "voices",
    [["Seasonal workers", "SEASONAL  workers"], ["Migrant women"], ["Returnees", "migrant WOMEN"]],
    ids=["same-but-for-case", "a-guidance-voice", "a-guidance-voice-in-other-case"],
)
def test_a_workspaces_own_voices_are_each_different_whichever_way_they_are_saved(engine, voices):
    """Through the add form or a whole-list update, the list stays one a backup can restore."""
    workspace = make_workspace(engine)
    with pytest.raises(InputError) as error:
        db.run_write(engine, store.update_workspace, workspace_id=workspace.id, changes={"custom_voices": voices})
    assert codes(error.value) == [("voice", "duplicate_voice")]
    for voice in voices[:-1]:
        db.run_write(engine, store.add_custom_voice, workspace_id=workspace.id, label=voice)
    with pytest.raises(InputError) as error:
        db.run_write(engine, store.add_custom_voice, workspace_id=workspace.id, label=voices[-1])
    assert codes(error.value) == [("voice", "duplicate_voice")]
    assert load(engine, workspace.id).workspace.custom_voices == voices[:-1]


def test_voices_typed_on_stakeholders_stay_within_what_a_backup_holds(engine):
    """A stakeholder's own voices join the workspace's list under the same limit as the add form, so the
    workspace always makes a backup that restores; past it the stakeholder is refused and not written."""
    workspace = make_workspace(engine)
    for batch in range(MAX_CUSTOM_VOICES // MAX_VOICES):
        voices = [f"Voice {batch}-{index}" for index in range(MAX_VOICES)]
        add_stakeholder(engine, workspace.id, f"Network {batch}", "civil_society_organizations", voices=voices)
    with pytest.raises(InputError) as error:
        add_stakeholder(engine, workspace.id, "One too many", "civil_society_organizations", voices=["Voice past it"])
    assert codes(error.value) == [("custom_voices", "too_many")]
    data = load(engine, workspace.id)
    assert len(data.workspace.custom_voices) == MAX_CUSTOM_VOICES
    assert "One too many" not in [s.name for s in data.stakeholders]
    restored = backup.read_backup(backup.backup_bytes(data))
    assert len(restored.workspace.custom_voices) == MAX_CUSTOM_VOICES


@pytest.mark.parametrize(
    ("update", "argument", "field"),
    [
        (store.update_workspace, None, "country"),
        (store.update_stakeholder, "stakeholder_id", "sector"),
        (store.update_stakeholder, "stakeholder_id", "engagement_status"),
        (store.update_stakeholder, "stakeholder_id", "trust_building"),
        (store.update_role, "role_id", "responsibilities"),
        (store.update_activity, "activity_id", "objective"),
        (store.save_setup_decision, None, "work_plan"),
    ],
)
def test_none_for_a_field_that_must_hold_a_value_is_refused_with_a_message(engine, update, argument, field):
    """Not an IntegrityError from the database (which the write would retry, then crash on)."""
    workspace = make_workspace(engine)
    ids = {
        "stakeholder_id": add_stakeholder(engine, workspace.id, "Ministry of Labour", "policy_sectors").id,
        "role_id": db.run_write(
            engine, store.add_role, workspace_id=workspace.id, data={"body": "Ministry of Labour", "role": "lead"}
        ).id,
        "activity_id": db.run_write(
            engine,
            store.add_activity,
            workspace_id=workspace.id,
            data={"title": "Briefing", "audience": "government", "activity_type": "briefings"},
        ).id,
    }
    before = load(engine, workspace.id)
    extra = {argument: ids[argument]} if argument else {}
    with pytest.raises(InputError) as error:
        db.run_write(engine, update, workspace_id=workspace.id, changes={field: None}, **extra)
    assert codes(error.value) == [(field, "empty")]
    after = load(engine, workspace.id)
    assert after.workspace.version == before.workspace.version
    assert [s.version for s in after.stakeholders] == [s.version for s in before.stakeholders]


def test_none_for_a_list_clears_it(engine):
    workspace = make_workspace(engine)
    person = add_stakeholder(
        engine, workspace.id, "Ministry of Labour", "policy_sectors", voices=["migrants_themselves"]
    )
    db.run_write(
        engine,
        store.save_engagement_plan,
        workspace_id=workspace.id,
        stakeholder_id=person.id,
        changes={"mechanisms": ["consultations"]},
    )
    db.run_write(
        engine, store.update_stakeholder, workspace_id=workspace.id, stakeholder_id=person.id, changes={"voices": None}
    )
    db.run_write(
        engine,
        store.save_engagement_plan,
        workspace_id=workspace.id,
        stakeholder_id=person.id,
        changes={"mechanisms": None},
    )
    data = load(engine, workspace.id)
    assert data.stakeholders[0].voices == []
    assert data.plans[person.id].mechanisms == []


def test_a_workspace_keeps_the_language_of_its_files_and_refuses_others(engine):
    workspace = make_workspace(engine, language="fr")
    assert load(engine, workspace.id).workspace.language == "fr"
    with pytest.raises(InputError):
        db.run_write(engine, store.update_workspace, workspace_id=workspace.id, changes={"language": "de"})
    assert load(engine, workspace.id).workspace.language == "fr"
    db.run_write(engine, store.update_workspace, workspace_id=workspace.id, changes={"language": "es"})
    assert load(engine, workspace.id).workspace.language == "es"
