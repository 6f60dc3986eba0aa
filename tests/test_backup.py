"""The JSON backup (gcm_guide.backup): export → file → restore is lossless on SQLite and PostgreSQL, and every
broken, oversized, newer or tampered file is refused with a problem that says where, writing nothing."""

from __future__ import annotations

import copy
import datetime as dt
import json
import re
import tempfile
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import Engine, func, select
from sqlmodel import SQLModel

from gcm_guide import backup, db, long_writes, models, store
from gcm_guide import restore as restoring
from gcm_guide.content import load_content
from gcm_guide.errors import InputError
from gcm_guide.i18n import describe_error
from gcm_guide.models import (
    ACTIVITY_STATUSES,
    CHECKLIST_STATUSES,
    ENGAGEMENT_STATUSES,
    GOVERNMENT_LEVELS,
    MAX_LONG_TEXT,
    MAX_NAME,
    MAX_STAKEHOLDERS,
    MAX_VOICES,
    WORKSPACE_LEVELS,
)

from .conftest import add_stakeholder, load, make_workspace

CONTENT = load_content()

LONG_UNICODE = (
    "Ministère de l'Intérieur — coordination, façade, naïve; Міністерство соціальної політики; "
    "وزارة العمل والهجرة 🌍🤝👩🏽‍⚕️🇯🇲\n\n\tIndented: <b>bold</b>, a < b > c, **markdown**, "
    "[link](https://example.org)\n"
)
# 100,000 characters (code points) of mixed scripts and emoji: exactly the limit of a long text.
AT_LIMIT = (LONG_UNICODE * (MAX_LONG_TEXT // len(LONG_UNICODE) + 1))[:MAX_LONG_TEXT]
# A 200-character name (the limit) in several scripts, none of whose letters grows when case-folded.
NAME_AT_LIMIT = ("Côte d'Ivoire — Україна — مرحبا 🌍 " * 8)[: MAX_NAME - 1] + "!"

# What the database adds on its own, which a backup deliberately does not carry.
DATABASE_ONLY = {"id", "workspace_id", "stakeholder_id", "public_id", "created_at", "updated_at", "version"}


def codes(error: InputError) -> list[tuple[str, str]]:
    return [(p.field, p.code) for p in error.problems]


def exported(data: store.WorkspaceData) -> dict[str, Any]:
    document = backup.export_workspace(data)
    assert dt.datetime.fromisoformat(document.pop("exported_at")).tzinfo is not None
    return document


def entered(row: Any, *, ignore: set[str] = frozenset()) -> dict[str, Any] | None:
    """A table row's fields as the team entered them (not ids, versions or timestamps)."""
    if row is None:
        return None
    return {k: v for k, v in row.model_dump().items() if k not in DATABASE_ONLY | ignore}


def fields_of(row: Any, keys: Any) -> dict[str, Any]:
    return {k: getattr(row, k) for k in keys}


def workspace_fields(data: store.WorkspaceData) -> dict[str, Any]:
    return fields_of(data.workspace, ("name", "country", "level", "language", "custom_voices"))


def table_rows(data: store.WorkspaceData) -> dict[str, Any]:
    """Every row of a workspace straight from store.load_workspace_data, without going through the exporter."""
    return {
        "answers": {q: entered(a) for q, a in data.answers.items()},
        "stakeholders": [entered(s) for s in data.stakeholders],
        "plans": [entered(data.plans.get(s.id)) for s in data.stakeholders],
        "setup_answers": {c: entered(a) for c, a in data.setup_answers.items()},
        "decision": entered(data.decision),
        "roles": [entered(r) for r in data.roles],
        "activities": [entered(a) for a in data.activities],
        "checklist": {i: entered(e) for i, e in data.checklist.items()},
    }


def row_counts(engine: Engine) -> dict[str, int]:
    """How many rows every table of the app holds."""

    def count(*, session: Any) -> dict[str, int]:
        return {
            table.name: session.execute(select(func.count()).select_from(table)).scalar_one()
            for table in SQLModel.metadata.sorted_tables
        }

    counts = db.run_read(engine, count)
    assert {"workspace", "stakeholder", "engagement_plan", "guiding_answer"} <= set(counts)
    return counts


def restore(engine: Engine, raw: bytes, name: str | None = None) -> Any:
    return db.run_write(engine, restoring.restore_workspace, backup=backup.read_backup(raw), name=name)


def document_bytes(document: Any) -> bytes:
    return json.dumps(document, ensure_ascii=False, indent=1).encode("utf-8")


# --- A rich workspace, built through the store ------------------------------------------------------------
STAKEHOLDER_ONE = {
    "name": "Association des femmes migrantes — جمعية النساء المهاجرات",
    "group_id": "civil_society_organizations",
    "government_level": "local",
    "sector": "Protection sociale — соціальний захист 🛡️",
    "affected": 5,
    "influence": 1,
    "interest": 3,
    "voices": ["migrant_women", "undocumented_migrants", "Travailleurs saisonniers", "Домашні працівники"],
    "engagement_status": "partner",
    "engagement_in_governance": "Sits on the municipal migration forum.\nReports twice a year.",
    "role_and_interest": AT_LIMIT,
    "conflicts_of_interest": "None declared — нет",
    "trust_building": LONG_UNICODE,
}
PLAN_ONE = {
    "participation_level": "empower",
    "mechanisms": ["advisory_boards", "working_group_seats"],
    "mediums": ["in_person", "online", "written_feedback", "surveys"],
    "phases": ["planning", "implementation", "follow_up", "review"],
    "time_and_resources": "Two workshops, interpretation (Arabic, Ukrainian) — 4 000 €",
    "capacity_development": "Training on the GCM objectives",
    "fair_representation": "Rotating seats; women-led associations first",
    "accessibility_measures": "Sign language, step-free venues ♿",
    "information_to_share": AT_LIMIT,
}
DECISION = {
    "chosen_option": "new_body",
    "recommended_option": "existing_body",
    "followed_recommendation": False,
    "deviation_reason": "The existing committee has no mandate over labour migration — مبرر",
    "lead_bodies": "Office of the Prime Minister; Міністерство праці",
    "rationale": LONG_UNICODE,
    "terms_of_reference": "Meets monthly; quorum of five ministries.",
    "work_plan": AT_LIMIT,
}
ROLES = [
    {
        "body": "Office of the Prime Minister",
        "role": "lead",
        "responsibilities": "Convenes; signs off the national plan 🖋️",
        "reports_to": "Cabinet",
        "reporting_duties": "Quarterly report to Cabinet",
    },
    {
        "body": "Statistical Institute — Інститут статистики",
        "role": "consulted",
        "responsibilities": "",
        "reports_to": "",
        "reporting_duties": "Data on arrivals, وصول",
    },
]
ACTIVITIES = [
    {
        "title": "Briefing for line ministries",
        "audience": "government",
        "activity_type": "briefings",
        "objective": "Everyone knows the GCM — tout le monde",
        "starts_on": dt.date(2027, 3, 1),
        "ends_on": dt.date(2027, 3, 15),
        "timing_note": "After the budget session",
        "lead": "Ministry of Foreign Affairs",
        "status": "in_progress",
    },
    {
        "title": "Radio spots — رسائل إذاعية",
        "audience": "public",
        "activity_type": "traditional_media",
        "starts_on": dt.date(2027, 12, 31),
        "ends_on": dt.date(2027, 12, 31),
        "status": "done",
    },
    {"title": "Civil society sessions", "audience": "other_stakeholders", "activity_type": "collaborating_with_csos"},
]


def build_rich_workspace(engine: Engine) -> int:
    """A workspace with something in every table and every field, in many scripts and at the length limits."""
    workspace = make_workspace(
        engine, NAME_AT_LIMIT, country="Côte d'Ivoire — ساحل العاج", level="regional", language="fr"
    )
    ws = workspace.id

    def fill(*, session: Any) -> None:
        store.add_custom_voice(session=session, workspace_id=ws, label="Travailleurs saisonniers")
        store.add_custom_voice(session=session, workspace_id=ws, label="Мигранты с инвалидностью 🦽")
        for question_id, text in (
            ("government_bodies", LONG_UNICODE),
            ("policy_sectors", AT_LIMIT),
            ("awareness_raising", "🎉🇯🇲"),
        ):
            store.save_answer(session=session, workspace_id=ws, question_id=question_id, changes={"text": text})
        first = store.add_stakeholder(session=session, workspace_id=ws, data=STAKEHOLDER_ONE)
        store.save_engagement_plan(session=session, workspace_id=ws, stakeholder_id=first.id, changes=PLAN_ONE)
        store.add_stakeholder(
            session=session,
            workspace_id=ws,
            data={"name": "Ministry of Labour", "group_id": "policy_sectors", "government_level": "national"},
        )
        third = store.add_stakeholder(
            session=session,
            workspace_id=ws,
            data={
                "name": "وزارة العمل — UN Network, country team",
                "group_id": "un_network_on_migration",
                "government_level": "intergovernmental",
                "affected": 1,
                "influence": 5,
                "interest": 1,
                "voices": ["children_and_young_people"],
                "engagement_status": "declined",
            },
        )
        store.save_engagement_plan(
            session=session,
            workspace_id=ws,
            stakeholder_id=third.id,
            changes={"participation_level": "consult", "mechanisms": ["listening_sessions"]},
        )
        for criterion_id, changes in (
            ("fragmentation", {"answer": "high", "note": LONG_UNICODE}),
            ("existing_body", {"answer": "no"}),
            ("technical_expertise", {"answer": None, "note": "Only a note — ещё нет ответа"}),
        ):
            store.save_setup_answer(session=session, workspace_id=ws, criterion_id=criterion_id, changes=changes)
        store.save_setup_decision(session=session, workspace_id=ws, changes=DECISION)
        for role in ROLES:
            store.add_role(session=session, workspace_id=ws, data=role)
        for activity in ACTIVITIES:
            store.add_activity(session=session, workspace_id=ws, data=activity)
        store.save_checklist_entry(
            session=session,
            workspace_id=ws,
            item_id="institutional_setup",
            changes={"confirmed_status": "done", "notes": "Decided by Cabinet — قرار"},
        )
        store.save_checklist_entry(
            session=session, workspace_id=ws, item_id="map_stakeholders", changes={"notes": "Still adding 🧭"}
        )

    db.run_write(engine, fill)
    return ws


def check_restored_values(data: store.WorkspaceData) -> None:
    """The restored workspace holds the literal values put in, independent of any comparison with the original."""
    assert data.workspace.name == NAME_AT_LIMIT and len(data.workspace.name) == MAX_NAME
    assert (data.workspace.country, data.workspace.level) == ("Côte d'Ivoire — ساحل العاج", "regional")
    assert data.workspace.custom_voices == [
        "Travailleurs saisonniers",
        "Мигранты с инвалидностью 🦽",
        "Домашні працівники",
    ]
    assert data.answer_text("policy_sectors") == AT_LIMIT and len(AT_LIMIT) == MAX_LONG_TEXT
    assert data.answer_text("government_bodies") == LONG_UNICODE
    assert data.answer_text("awareness_raising") == "🎉🇯🇲"
    first, second, third = data.stakeholders
    assert fields_of(first, STAKEHOLDER_ONE) == STAKEHOLDER_ONE
    assert fields_of(data.plans[first.id], PLAN_ONE) == PLAN_ONE
    assert (second.name, second.government_level, second.affected, second.voices) == (
        "Ministry of Labour",
        "national",
        None,
        [],
    )
    assert second.id not in data.plans
    assert (third.affected, third.influence, third.interest, third.engagement_status) == (1, 5, 1, "declined")
    assert data.plans[third.id].mechanisms == ["listening_sessions"]
    assert {c: (a.answer, a.note) for c, a in data.setup_answers.items()} == {
        "fragmentation": ("high", LONG_UNICODE),
        "existing_body": ("no", ""),
        "technical_expertise": (None, "Only a note — ещё нет ответа"),
    }
    assert fields_of(data.decision, DECISION) == DECISION
    assert data.decision.followed_recommendation is False
    assert [fields_of(r, role) for r, role in zip(data.roles, ROLES, strict=True)] == ROLES
    assert [(a.title, a.starts_on, a.ends_on, a.status) for a in data.activities] == [
        ("Briefing for line ministries", dt.date(2027, 3, 1), dt.date(2027, 3, 15), "in_progress"),
        ("Radio spots — رسائل إذاعية", dt.date(2027, 12, 31), dt.date(2027, 12, 31), "done"),
        ("Civil society sessions", None, None, "planned"),
    ]
    assert fields_of(data.activities[0], ACTIVITIES[0]) == ACTIVITIES[0]
    assert {i: (e.confirmed_status, e.notes) for i, e in data.checklist.items()} == {
        "institutional_setup": ("done", "Decided by Cabinet — قرار"),
        "map_stakeholders": (None, "Still adding 🧭"),
    }


# --- Lossless round trip ----------------------------------------------------------------------------------
def test_export_then_restore_is_lossless(engine):
    original_id = build_rich_workspace(engine)
    original = load(engine, original_id)
    check_restored_values(original)  # the store kept everything as given
    raw = backup.backup_bytes(original)
    assert "Міністерство соціальної політики" in raw.decode("utf-8")  # readable UTF-8, not \u escapes
    parsed = backup.read_backup(raw)
    assert dict(backup.summary(parsed)) == {
        "name": NAME_AT_LIMIT,
        "country": "Côte d'Ivoire — ساحل العاج",
        "exported_at": json.loads(raw)["exported_at"],
        "answers": 3,
        "stakeholders": 3,
        "plans": 2,
        "activities": 3,
        "roles": 2,
        "snapshots": 0,
    }
    # As on a machine that has lost the workspace: restore it under its own name.
    db.run_write(engine, store.delete_workspace, workspace_id=original_id)
    restored_ws = db.run_write(engine, restoring.restore_workspace, backup=parsed, name=None)
    assert restored_ws.public_id != original.workspace.public_id
    restored = load(engine, restored_ws.id)

    assert exported(restored) == exported(original)
    assert table_rows(restored) == table_rows(original)
    assert workspace_fields(restored) == workspace_fields(original)
    check_restored_values(restored)
    # And the restored workspace's own backup file is the same file (apart from when it was made).
    again = json.loads(backup.backup_bytes(restored))
    first = json.loads(raw)
    assert {k: v for k, v in again.items() if k != "exported_at"} == {
        k: v for k, v in first.items() if k != "exported_at"
    }


def test_restore_under_another_name_keeps_the_original_intact(engine):
    original_id = build_rich_workspace(engine)
    original = load(engine, original_id)
    copy_ws = restore(engine, backup.backup_bytes(original), name="  Copy   for   training ")
    assert copy_ws.name == "Copy for training"
    copied = load(engine, copy_ws.id)
    assert exported(copied) == exported(original) | {
        "workspace": exported(original)["workspace"] | {"name": "Copy for training"}
    }
    assert table_rows(copied) == table_rows(original)
    # The original is untouched, and the copy's rows are its own.
    assert table_rows(load(engine, original_id)) == table_rows(original)
    assert {s.id for s in copied.stakeholders}.isdisjoint({s.id for s in original.stakeholders})
    assert row_counts(engine)["stakeholder"] == 2 * len(original.stakeholders)


def test_a_hand_written_backup_restores_exactly_its_contents(engine):
    """File → database → file: what a file holds comes back, with the documented defaults for what it omits."""
    document = valid_document()
    restored = load(engine, restore(engine, document_bytes(document)).id)
    no_text = dict.fromkeys(
        ["engagement_in_governance", "role_and_interest", "conflicts_of_interest", "trust_building"], ""
    )
    plan_texts = ["time_and_resources", "capacity_development", "fair_representation", "accessibility_measures"]
    person_defaults = {"government_level": None, "sector": "", "affected": None, "influence": None, "interest": None}
    person_defaults |= {"voices": [], "engagement_status": "identified", "plan": None, "proposed_by": ""} | no_text
    person_defaults |= {"lead_candidate": None, "next_review_on": None}
    first, second = document["stakeholders"]
    expected = {
        "format": backup.FORMAT,
        "format_version": 1,
        "workspace": document["workspace"] | {"group_reasons": {}, "language": "en"},
        "answers": document["answers"],
        "stakeholders": [
            person_defaults
            | first
            | {"plan": first["plan"] | dict.fromkeys([*plan_texts, "information_to_share"], "")},
            person_defaults | second,
        ],
        "setup_answers": [{"body": ""} | answer for answer in document["setup_answers"]],
        "decision": document["decision"]
        | dict.fromkeys(["lead_bodies", "rationale", "terms_of_reference", "work_plan"], ""),
        "roles": [document["roles"][0] | {"responsibilities": "", "reports_to": "", "reporting_duties": ""}],
        "activities": [
            document["activities"][0] | {"objective": "", "timing_note": "", "lead": "", "status": "planned"}
        ],
        "checklist": [{"reviewed_on": None, "next_review_on": None} | entry for entry in document["checklist"]],
    }
    assert exported(restored) == expected
    assert restored.decision.followed_recommendation is False
    assert restored.workspace.language == "en"  # a file from before workspaces had a language
    assert (restored.activities[0].starts_on, restored.activities[0].ends_on) == (
        dt.date(2027, 3, 1),
        dt.date(2027, 3, 15),
    )


def test_names_whose_case_fold_is_longer_are_restored(engine):
    """'ß' case-folds to 'ss': a 200-character name is within the limit and must restore (or be refused
    politely), not crash with a raw pydantic ValidationError on the derived duplicate-detection key."""
    workspace_name = "Straße " * 28 + "Nord"
    person_name = ("Maßnahmen für Straßen und Grüße — " * 7)[:MAX_NAME].strip()
    for name in (workspace_name, person_name):
        assert len(name) <= MAX_NAME < len(name.casefold())
    document = valid_document()
    document["workspace"]["name"] = workspace_name
    document["stakeholders"][1]["name"] = person_name
    workspace = restore(engine, document_bytes(document))
    data = load(engine, workspace.id)
    assert (data.workspace.name, data.stakeholders[1].name) == (workspace_name, person_name)


@pytest.mark.parametrize(
    "voices_per_stakeholder",
    [
        pytest.param([["Migrant Women"]], id="label-like-a-guidance-voice"),
        pytest.param([["Seasonal workers"], ["seasonal  WORKERS"]], id="labels-differing-in-case"),
    ],
)
def test_voice_labels_the_register_accepted_survive_a_round_trip(sqlite_engine, voices_per_stakeholder):
    """Voices typed on stakeholders, in whatever spelling the register accepted, must survive a restore."""
    workspace = make_workspace(sqlite_engine)
    for index, voices in enumerate(voices_per_stakeholder):
        add_stakeholder(sqlite_engine, workspace.id, f"Organisation {index}", "media", voices=voices)
    original = load(sqlite_engine, workspace.id)
    copy_ws = restore(sqlite_engine, backup.backup_bytes(original), name="Copy")
    copied = load(sqlite_engine, copy_ws.id)
    assert [s.voices for s in copied.stakeholders] == [s.voices for s in original.stakeholders]
    assert copied.workspace.custom_voices == original.workspace.custom_voices


def test_every_stakeholder_the_register_accepts_fits_in_a_backup(sqlite_engine):
    """The register and the backup share their limits: the most voices the register takes restore, and one
    more is refused by the register itself with a message that counts entries."""
    workspace = make_workspace(sqlite_engine)
    with pytest.raises(InputError) as error:
        add_stakeholder(
            sqlite_engine, workspace.id, "Too wide", "media", voices=[f"Voice {n}" for n in range(MAX_VOICES + 1)]
        )
    assert codes(error.value) == [("voices", "too_many")]
    assert "at most 100" in describe_error(error.value) and "characters" not in describe_error(error.value)
    add_stakeholder(
        sqlite_engine,
        workspace.id,
        "Umbrella network",
        "civil_society_organizations",
        voices=[f"Voice {n}" for n in range(MAX_VOICES)],
    )
    original = load(sqlite_engine, workspace.id)
    copy_ws = restore(sqlite_engine, backup.backup_bytes(original), name="Copy")
    assert load(sqlite_engine, copy_ws.id).stakeholders[0].voices == original.stakeholders[0].voices


def test_entries_the_team_cleared_round_trip_exactly(sqlite_engine):
    """A field set and then cleared leaves an empty row; export → restore → export should give the same file."""
    workspace = make_workspace(sqlite_engine)
    ws = workspace.id
    person = add_stakeholder(sqlite_engine, ws, "Media council", "media")
    for save, ids, field, value, empty in (
        (store.save_answer, {"question_id": "policy_sectors"}, "text", "Health", ""),
        (store.save_engagement_plan, {"stakeholder_id": person.id}, "mechanisms", ["meetings"], []),
        (store.save_setup_answer, {"criterion_id": "fragmentation"}, "answer", "high", None),
        (store.save_setup_decision, {}, "chosen_option", "new_body", None),
        (store.save_checklist_entry, {"item_id": "institutional_setup"}, "confirmed_status", "done", None),
    ):
        db.run_write(sqlite_engine, save, workspace_id=ws, changes={field: value}, **ids)
        db.run_write(sqlite_engine, save, workspace_id=ws, changes={field: empty}, **ids)
    original = load(sqlite_engine, ws)
    copied = load(sqlite_engine, restore(sqlite_engine, backup.backup_bytes(original), name="Copy").id)
    first, second = exported(original), exported(copied)
    first["workspace"].pop("name"), second["workspace"].pop("name")
    assert second == first


# --- Property-based round trip ------------------------------------------------------------------------------
# Any Unicode except surrogates (not encodable) and "<" / ":" (which could form active markup by chance, refused
# on purpose and tested below). Control characters are included: the store drops them, as documented.
TEXT_CHARS = st.characters(codec="utf-8", exclude_characters="<:")
_C0_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


def cleaned_text(value: str) -> str:
    """The documented cleaning of stored text: line endings normalised, C0 control characters dropped."""
    return _C0_CONTROL.sub("", value.replace("\r\n", "\n").replace("\r", "\n"))


def cleaned_line(value: str) -> str:
    """Names and short texts are also folded onto one line with single spaces."""
    return " ".join(cleaned_text(value).split())


def name_key(value: str) -> str:
    return cleaned_line(value).casefold()


BUILTIN_VOICE_KEYS = {name_key(v.name) for v in CONTENT.action1.underrepresented_voices} | set(CONTENT.voice_names)
# Line breaks, control characters and Unicode spaces often, so that the cleaning is exercised in most examples.
TRICKY_CHARS = st.sampled_from(
    ["\r\n", "\r", "\n", "\t", "\x00", "\x07", "\x1f", "\x7f", "\x85", "\u00a0", "\u2028", " "]
)
text_pieces = st.one_of(TRICKY_CHARS, st.text(TEXT_CHARS, min_size=1, max_size=8))
texts = st.lists(text_pieces, max_size=6).map("".join)
# Kept short: names whose case-fold grows past 200 characters are a separate, known problem (above).
# A visible core (no spaces or control characters) between tricky pieces, so that most names are not blank.
name_cores = st.text(
    st.characters(codec="utf-8", exclude_characters="<:", exclude_categories=("Cc", "Zs", "Zl", "Zp")),
    min_size=1,
    max_size=10,
)
names = st.builds(
    lambda before, core, after: before + core + after,
    st.lists(text_pieces, max_size=2).map("".join),
    name_cores,
    st.lists(text_pieces, max_size=2).map("".join),
).filter(lambda s: cleaned_line(s) != "")
scores = st.none() | st.integers(min_value=1, max_value=5)
dates = st.dates(min_value=dt.date(2020, 1, 1), max_value=dt.date(2035, 12, 31))


def optional_fields(**fields: st.SearchStrategy) -> st.SearchStrategy:
    return st.fixed_dictionaries({}, optional=fields)


@st.composite
def workspace_specs(draw: st.DrawFn) -> dict[str, Any]:
    # Custom voices differ from each other and from the guidance's voices ignoring case: see the failing test
    # test_voice_labels_the_register_accepted_survive_a_round_trip for labels that do not.
    custom = draw(
        st.lists(names.filter(lambda s: name_key(s) not in BUILTIN_VOICE_KEYS), max_size=3, unique_by=name_key)
    )
    voice_pool = list(CONTENT.voice_names) + custom
    stakeholder = optional_fields(
        government_level=st.none() | st.sampled_from(GOVERNMENT_LEVELS),
        sector=texts,
        affected=scores,
        influence=scores,
        interest=scores,
        voices=st.lists(st.sampled_from(voice_pool), max_size=4),
        engagement_status=st.sampled_from(ENGAGEMENT_STATUSES),
        engagement_in_governance=texts,
        role_and_interest=texts,
        conflicts_of_interest=texts,
        trust_building=texts,
    )
    plan = optional_fields(
        participation_level=st.none() | st.sampled_from(["inform", "consult", "involve", "collaborate", "empower"]),
        mechanisms=st.lists(st.sampled_from(list(CONTENT.mechanism_names)), unique=True),
        mediums=st.lists(st.sampled_from(list(CONTENT.medium_names)), unique=True),
        phases=st.lists(st.sampled_from(list(CONTENT.phase_names)), unique=True),
        time_and_resources=texts,
        capacity_development=texts,
        fair_representation=texts,
        accessibility_measures=texts,
        information_to_share=texts,
    )
    people = []
    for person_name in draw(st.lists(names, max_size=4, unique_by=name_key)):
        fields = draw(stakeholder) | {"name": person_name, "group_id": draw(st.sampled_from(list(CONTENT.group_names)))}
        people.append((fields, draw(st.none() | plan)))
    setup = {}
    for criterion in draw(st.lists(st.sampled_from(CONTENT.action3.criteria), max_size=3, unique_by=lambda c: c.id)):
        scale = [o.id for o in CONTENT.action3.answer_scales[criterion.scale]]
        setup[criterion.id] = draw(optional_fields(answer=st.none() | st.sampled_from(scale), note=texts))
    activities = []
    for _ in range(draw(st.integers(0, 3))):
        activity = draw(
            optional_fields(objective=texts, timing_note=texts, lead=texts, status=st.sampled_from(ACTIVITY_STATUSES))
        )
        start, end = draw(st.none() | dates), draw(st.none() | dates)
        if start and end and end < start:
            start, end = end, start
        activities.append(
            activity
            | {
                "title": draw(names),
                "audience": draw(st.sampled_from(["government", "other_stakeholders", "public"])),
                "activity_type": draw(st.sampled_from(list(CONTENT.activity_type_names))),
                "starts_on": start,
                "ends_on": end,
            }
        )
    roles = [
        draw(
            optional_fields(
                role=st.sampled_from(["lead", "co_lead", "member", "consulted", "informed"]),
                responsibilities=texts,
                reports_to=texts,
                reporting_duties=texts,
            )
        )
        | {"body": draw(names)}
        for _ in range(draw(st.integers(0, 2)))
    ]
    return {
        "workspace": {"name": draw(names), "country": draw(texts), "level": draw(st.sampled_from(WORKSPACE_LEVELS))},
        "custom_voices": custom,
        "answers": draw(
            st.dictionaries(st.sampled_from([q.id for q in CONTENT.guiding_questions.questions]), texts, max_size=3)
        ),
        "stakeholders": people,
        "setup": setup,
        "decision": draw(
            st.none()
            | optional_fields(
                chosen_option=st.none() | st.sampled_from(["existing_body", "new_body"]),
                recommended_option=st.none() | st.sampled_from(["existing_body", "new_body"]),
                followed_recommendation=st.none() | st.booleans(),
                deviation_reason=texts,
                lead_bodies=texts,
                rationale=texts,
                terms_of_reference=texts,
                work_plan=texts,
            )
        ),
        "roles": roles,
        "activities": activities,
        "checklist": draw(
            st.dictionaries(
                # One-off items: an ongoing one is never "done" (a test below covers older backups that say so).
                st.sampled_from([i.id for i in CONTENT.checklist.items if not i.ongoing]),
                optional_fields(confirmed_status=st.none() | st.sampled_from(CHECKLIST_STATUSES), notes=texts),
                max_size=3,
            )
        ),
    }


def populate(engine: Engine, spec: dict[str, Any]) -> int:
    workspace = db.run_write(engine, store.create_workspace, data=spec["workspace"])
    ws = workspace.id

    def fill(*, session: Any) -> None:
        for voice in spec["custom_voices"]:
            store.add_custom_voice(session=session, workspace_id=ws, label=voice)
        for question_id, text in spec["answers"].items():
            store.save_answer(session=session, workspace_id=ws, question_id=question_id, changes={"text": text})
        for fields, plan in spec["stakeholders"]:
            person = store.add_stakeholder(session=session, workspace_id=ws, data=fields)
            if plan is not None:
                store.save_engagement_plan(session=session, workspace_id=ws, stakeholder_id=person.id, changes=plan)
        for criterion_id, changes in spec["setup"].items():
            store.save_setup_answer(session=session, workspace_id=ws, criterion_id=criterion_id, changes=changes)
        if spec["decision"] is not None:
            store.save_setup_decision(session=session, workspace_id=ws, changes=spec["decision"])
        for role in spec["roles"]:
            store.add_role(session=session, workspace_id=ws, data=role)
        for activity in spec["activities"]:
            store.add_activity(session=session, workspace_id=ws, data=activity)
        for item_id, changes in spec["checklist"].items():
            store.save_checklist_entry(session=session, workspace_id=ws, item_id=item_id, changes=changes)

    db.run_write(engine, fill)
    return ws


def fresh_engine(folder: Path, name: str) -> Engine:
    return db.open_database(f"sqlite:///{folder / name}")


@settings(max_examples=40, deadline=None, database=None, suppress_health_check=[HealthCheck.too_slow])
@given(spec=workspace_specs())
def test_random_workspaces_round_trip_exactly(spec):
    with tempfile.TemporaryDirectory(prefix="gcm-backup-") as folder:
        source, target = fresh_engine(Path(folder), "source.sqlite3"), fresh_engine(Path(folder), "target.sqlite3")
        try:
            original = load(source, populate(source, spec))
            before = exported(original)
            # The store cleaned the text as documented (and nothing else).
            assert before["workspace"]["name"] == cleaned_line(spec["workspace"]["name"])
            assert before["workspace"]["country"] == cleaned_line(spec["workspace"]["country"])
            expected_answers = {q: cleaned_text(t) for q, t in spec["answers"].items() if cleaned_text(t)}
            assert {a["question_id"]: a["text"] for a in before["answers"]} == expected_answers
            assert [s["name"] for s in before["stakeholders"]] == [
                cleaned_line(f["name"]) for f, _ in spec["stakeholders"]
            ]
            for record, (fields, _plan) in zip(before["stakeholders"], spec["stakeholders"], strict=True):
                assert record["role_and_interest"] == cleaned_text(fields.get("role_and_interest", ""))
                assert record["voices"] == list(dict.fromkeys(cleaned_line(v) for v in fields.get("voices", [])))

            raw = backup.backup_bytes(original)
            file_document = json.loads(raw)
            assert {k: v for k, v in file_document.items() if k != "exported_at"} == before
            restored_ws = db.run_write(target, restoring.restore_workspace, backup=backup.read_backup(raw))
            restored = load(target, restored_ws.id)
            assert exported(restored) == before
            assert table_rows(restored) == table_rows(original)
        finally:
            source.dispose()
            target.dispose()


# --- Broken, oversized, newer and tampered files -------------------------------------------------------------
def valid_document() -> dict[str, Any]:
    return {
        "format": backup.FORMAT,
        "format_version": backup.FORMAT_VERSION,
        "exported_at": "2027-01-15T09:30:00+00:00",
        "workspace": {
            "name": "Restored kick-off",
            "country": "Jamaica",
            "level": "national",
            "custom_voices": ["Seasonal workers"],
        },
        "answers": [{"question_id": "policy_sectors", "text": "Labour, health — santé, здоров'я, الصحة 🩺"}],
        "stakeholders": [
            {
                "name": "Ministry of Labour",
                "group_id": "policy_sectors",
                "influence": 4,
                "voices": ["migrant_women", "Seasonal workers"],
                "plan": {
                    "participation_level": "involve",
                    "mechanisms": ["meetings"],
                    "mediums": ["online"],
                    "phases": ["planning"],
                },
            },
            {
                "name": "Women Migrant Workers Network",
                "group_id": "civil_society_organizations",
                "affected": 5,
                "influence": 2,
                "interest": 5,
            },
        ],
        "setup_answers": [{"criterion_id": "fragmentation", "answer": "high", "note": "Eleven ministries"}],
        "decision": {
            "chosen_option": "new_body",
            "recommended_option": "existing_body",
            "followed_recommendation": False,
            "deviation_reason": "No mandate over labour migration",
        },
        "roles": [{"body": "Office of the Prime Minister", "role": "lead"}],
        "activities": [
            {
                "title": "Briefing",
                "audience": "government",
                "activity_type": "briefings",
                "starts_on": "2027-03-01",
                "ends_on": "2027-03-15",
            }
        ],
        "checklist": [{"item_id": "institutional_setup", "confirmed_status": "done", "notes": "Cabinet"}],
    }


def place(document: dict[str, Any], path: tuple[Any, ...]) -> Any:
    for step in path:
        document = document[step]
    return document


def refused(raw: bytes) -> InputError:
    with pytest.raises(InputError) as error:
        backup.read_backup(raw)
    return error.value


def refused_document(document: Any) -> InputError:
    return refused(document_bytes(document))


def test_the_valid_document_used_below_is_accepted():
    parsed = backup.read_backup(document_bytes(valid_document()))
    assert parsed.stakeholders[1].interest == 5 and parsed.activities[0].ends_on == dt.date(2027, 3, 15)


RAW = document_bytes(valid_document())


@settings(max_examples=80, deadline=None, database=None)
@given(cut=st.integers(min_value=0, max_value=len(RAW) - 1))
def test_truncated_files_are_refused_with_where_they_break(cut):
    error = refused(RAW[:cut])
    ((field, code),) = codes(error)
    assert field == "file"
    try:
        text = RAW[:cut].decode("utf-8")
    except UnicodeDecodeError:
        assert code == "backup_not_utf8"  # cut inside a multi-byte character
    else:
        assert code == "backup_not_json"
        params = error.problems[0].params
        assert 1 <= params["line"] <= text.count("\n") + 1 and params["column"] >= 1


@settings(max_examples=60, deadline=None, database=None)
@given(raw=st.binary(max_size=300))
def test_arbitrary_bytes_are_refused_as_input_errors(raw):
    refused(raw)


JSON_VALUES = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(max_size=10),
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=8), inner, max_size=3),
    max_leaves=10,
)


@settings(max_examples=60, deadline=None, database=None)
@given(
    value=JSON_VALUES,
    where=st.sampled_from(
        [
            ("workspace",),
            ("answers", 0),
            ("stakeholders", 0),
            ("stakeholders", 0, "plan"),
            ("decision",),
            ("activities", 0),
            ("checklist", 0),
            ("setup_answers", 0),
            ("roles", 0),
        ]
    ),
    key=st.text(min_size=1, max_size=12),
)
def test_any_tampered_value_is_accepted_or_refused_never_a_crash(value, where, key):
    document = valid_document()
    place(document, where)[key] = value
    try:
        backup.read_backup(document_bytes(document))
    except InputError as error:
        assert error.problems and all(p.field and p.code for p in error.problems)


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        (b"", ("file", "backup_not_json")),
        (b"   \n", ("file", "backup_not_json")),
        (b"Name,Group\nMinistry of Labour,policy_sectors\n", ("file", "backup_not_json")),
        (b"{'format': 'gcm-kickoff-guide-backup'}", ("file", "backup_not_json")),
        (b"[" * 200_000, ("file", "backup_too_deep")),  # nested too deeply to parse: said so, not "line 0"
        (document_bytes(valid_document()).decode("utf-8").encode("utf-16"), ("file", "backup_not_utf8")),
        (
            json.dumps(valid_document(), ensure_ascii=False).encode("cp1252", errors="replace"),
            ("file", "backup_not_utf8"),
        ),
        (b"\x89PNG\r\n\x1a\n\x00\x00", ("file", "backup_not_utf8")),
        (b"[]", ("file", "backup_wrong_format")),
        (document_bytes([valid_document()]), ("file", "backup_wrong_format")),
        (b'"gcm-kickoff-guide-backup"', ("file", "backup_wrong_format")),
        (b"null", ("file", "backup_wrong_format")),
        (b"{}", ("file", "backup_wrong_format")),
    ],
    ids=[
        "empty",
        "whitespace",
        "csv",
        "python-not-json",
        "deeply-nested",
        "utf-16",
        "cp1252",
        "png",
        "empty-array",
        "array-of-backups",
        "string",
        "null",
        "empty-object",
    ],
)
def test_files_that_are_not_backups_are_refused(raw, expected):
    assert codes(refused(raw)) == [expected]


def test_a_backup_with_a_byte_order_mark_is_read():
    assert backup.read_backup(b"\xef\xbb\xbf" + RAW).workspace.name == "Restored kick-off"


@pytest.mark.parametrize(
    ("change", "expected"),
    [
        ({"format": "gcm-kickoff-guide-backup-v2"}, ("file", "backup_wrong_format")),
        ({"format": "GCM-KICKOFF-GUIDE-BACKUP"}, ("file", "backup_wrong_format")),
        ({"format": None}, ("file", "backup_wrong_format")),
        ({"format_version": 3}, ("format_version", "backup_too_new")),
        ({"format_version": 10**30}, ("format_version", "backup_too_new")),
        ({"format_version": 0}, ("format_version", "backup_wrong_format")),
        ({"format_version": -1}, ("format_version", "backup_wrong_format")),
        ({"format_version": "1"}, ("format_version", "backup_wrong_format")),
        ({"format_version": 1.0}, ("format_version", "backup_wrong_format")),
        ({"format_version": True}, ("format_version", "backup_wrong_format")),
        ({"format_version": None}, ("format_version", "backup_wrong_format")),
    ],
)
def test_wrong_format_or_version_is_refused(change, expected):
    assert codes(refused_document(valid_document() | change)) == [expected]


def test_missing_format_version_is_refused():
    document = valid_document()
    del document["format_version"]
    assert codes(refused_document(document)) == [("format_version", "backup_wrong_format")]


def test_a_newer_format_says_which_versions():
    error = refused_document(valid_document() | {"format_version": 3})
    assert error.problems[0].params == {"version": 3, "supported": 2}
    message = describe_error(error)
    assert "format 3" in message and "format 2" in message and "newer" in message


def test_oversized_file_is_refused_before_it_is_parsed():
    at_limit = RAW + b" " * (backup.MAX_BYTES - len(RAW))
    assert len(at_limit) == backup.MAX_BYTES
    assert backup.read_backup(at_limit).workspace.name == "Restored kick-off"
    # One byte more, and not even JSON: the size is what is reported.
    oversized = b"[" + b" " * backup.MAX_BYTES
    error = refused(oversized)
    assert codes(error) == [("file", "backup_too_large")]
    assert error.problems[0].params == {"size_mb": 50.0, "limit_mb": 50}
    assert "50 MB" in describe_error(error)


@pytest.mark.parametrize(
    ("path", "field"),
    [
        ((), "surprise"),
        (("workspace",), "workspace.surprise"),
        (("answers", 0), "answers.0.surprise"),
        (("stakeholders", 0), "stakeholders.0.surprise"),
        (("stakeholders", 1), "stakeholders.1.surprise"),
        (("stakeholders", 0, "plan"), "stakeholders.0.plan.surprise"),
        (("setup_answers", 0), "setup_answers.0.surprise"),
        (("decision",), "decision.surprise"),
        (("roles", 0), "roles.0.surprise"),
        (("activities", 0), "activities.0.surprise"),
        (("checklist", 0), "checklist.0.surprise"),
    ],
)
def test_unknown_fields_are_refused_at_every_level(path, field):
    document = valid_document()
    place(document, path)["surprise"] = "tampered"
    assert codes(refused_document(document)) == [(field, "extra_forbidden")]


@pytest.mark.parametrize(
    ("path", "key", "value", "expected"),
    [
        (("stakeholders", 1), "influence", "4", ("stakeholders.1.influence", "int_parsing")),
        (("stakeholders", 1), "influence", 4.0, ("stakeholders.1.influence", "int_parsing")),
        (("stakeholders", 1), "influence", True, ("stakeholders.1.influence", "int_parsing")),
        (("stakeholders", 1), "affected", 6, ("stakeholders.1.affected", "less_than_equal")),
        (("stakeholders", 1), "interest", 0, ("stakeholders.1.interest", "greater_than_equal")),
        (("stakeholders", 0), "name", "", ("stakeholders.0.name", "empty")),
        (("stakeholders", 0), "name", " \t ", ("stakeholders.0.name", "empty")),
        (("stakeholders", 0), "name", "x" * 201, ("stakeholders.0.name", "too_long")),
        (("stakeholders", 0), "group_id", None, ("stakeholders.0.group_id", "string_type")),
        (("stakeholders", 0), "voices", "migrant_women", ("stakeholders.0.voices", "list_type")),
        (("stakeholders", 0), "plan", "yes", ("stakeholders.0.plan", "model_type")),
        (("stakeholders", 0), "engagement_status", "friends", ("stakeholders.0.engagement_status", "literal_error")),
        (("stakeholders", 0, "plan"), "mechanisms", "meetings", ("stakeholders.0.plan.mechanisms", "list_type")),
        (("workspace",), "name", 42, ("workspace.name", "string_type")),
        (("workspace",), "level", "galactic", ("workspace.level", "literal_error")),
        (("workspace",), "custom_voices", [""], ("workspace.custom_voices.0", "empty")),
        (("answers", 0), "text", "x" * (MAX_LONG_TEXT + 1), ("answers.0.text", "too_long")),
        (("answers", 0), "text", 7, ("answers.0.text", "string_type")),
        (("decision",), "followed_recommendation", "no", ("decision.followed_recommendation", "bool_type")),
        (("activities", 0), "starts_on", "tomorrow", ("activities.0.starts_on", "date_from_datetime_parsing")),
        (("activities", 0), "ends_on", "2027-02-30", ("activities.0.ends_on", "date_from_datetime_parsing")),
        (("checklist", 0), "confirmed_status", "finished", ("checklist.0.confirmed_status", "literal_error")),
        ((), "exported_at", 5, ("exported_at", "string_type")),
        ((), "workspace", [], ("workspace", "model_type")),
        ((), "stakeholders", {"name": "x"}, ("stakeholders", "list_type")),
    ],
)
def test_wrong_types_and_values_are_refused_naming_the_field(path, key, value, expected):
    document = valid_document()
    place(document, path)[key] = value
    assert codes(refused_document(document)) == [expected]


@pytest.mark.parametrize(
    ("path", "key"), [((), "workspace"), (("stakeholders", 1), "group_id"), (("activities", 0), "audience")]
)
def test_missing_required_fields_are_refused(path, key):
    document = valid_document()
    del place(document, path)[key]
    field = ".".join(str(p) for p in (*path, key))
    assert codes(refused_document(document)) == [(field, "missing")]


@pytest.mark.parametrize(
    ("path", "key", "value"),
    [
        (("stakeholders", 1), "name", "<script>alert(1)</script>"),
        (("answers", 0), "text", 'Photo: <img src=x onerror="alert(1)">'),
        (("roles", 0), "responsibilities", "See javascript:alert(document.cookie)"),
        (("workspace",), "country", '<iframe src="https://evil.example">'),
        (("decision",), "rationale", "<a href=# onclick=alert(1)>why</a>"),
        (("activities", 0), "objective", "data:text/html;base64,PHNjcmlwdD4="),
        (("stakeholders", 0, "plan"), "information_to_share", "<SCRIPT SRC=//evil.example></SCRIPT>"),
        (("setup_answers", 0), "note", "<svg onload=alert(1)>"),
        (("checklist", 0), "notes", "<style>body{display:none}</style>"),
    ],
)
def test_active_markup_in_any_text_is_refused(path, key, value):
    document = valid_document()
    place(document, path)[key] = value
    field = ".".join(str(p) for p in (*path, key))
    assert codes(refused_document(document)) == [(field, "active_markup")]


def test_active_markup_in_a_list_of_labels_is_refused_with_its_position():
    document = valid_document()
    document["workspace"]["custom_voices"].append("<script>alert(1)</script>")
    document["stakeholders"][0]["voices"].append("x onerror=")  # not inside a tag: ordinary text
    assert codes(refused_document(document)) == [("workspace.custom_voices.1", "active_markup")]


def test_too_many_stakeholders_are_refused():
    document = valid_document()
    document["stakeholders"] = [{"name": f"S{n}", "group_id": "media"} for n in range(MAX_STAKEHOLDERS + 1)]
    error = refused_document(document)
    assert codes(error) == [("stakeholders", "too_many")]
    assert error.problems[0].params["max_length"] == MAX_STAKEHOLDERS
    # Exactly at the limit is fine.
    document["stakeholders"].pop()
    assert len(backup.read_backup(document_bytes(document)).stakeholders) == MAX_STAKEHOLDERS


def test_too_many_stakeholders_message_counts_entries_not_characters():
    document = valid_document()
    document["stakeholders"] = [{"name": f"S{n}", "group_id": "media"} for n in range(MAX_STAKEHOLDERS + 1)]
    message = describe_error(refused_document(document))
    assert str(MAX_STAKEHOLDERS) in message
    assert "characters" not in message, message


def test_many_problems_are_summed_up_after_the_first_ones():
    document = valid_document()
    document["stakeholders"] = [{"name": f"S{n}", "group_id": "media", "influence": "high"} for n in range(12)]
    error = refused_document(document)
    shown = codes(error)
    assert shown[: backup.MAX_PROBLEMS_SHOWN] == [
        (f"stakeholders.{n}.influence", "int_parsing") for n in range(backup.MAX_PROBLEMS_SHOWN)
    ]
    assert shown[-1] == ("file", "backup_more_problems")
    assert error.problems[-1].params == {"count": 12 - backup.MAX_PROBLEMS_SHOWN}
    assert "and 4 more problems" in describe_error(error)


# --- Refusals found while restoring: nothing is written ------------------------------------------------------
def _set(path: tuple[Any, ...], key: str, value: Any) -> Any:
    def change(document: dict[str, Any]) -> None:
        place(document, path)[key] = value

    return change


def _append(path: tuple[Any, ...], value: Any) -> Any:
    def change(document: dict[str, Any]) -> None:
        place(document, path).append(value)

    return change


SEMANTIC_PROBLEMS = {
    "unknown-group": (_set(("stakeholders", 1), "group_id", "astronauts"), "stakeholders.1.group_id", "unknown_choice"),
    "unknown-mechanism": (
        _set(("stakeholders", 0, "plan"), "mechanisms", ["meetings", "telepathy"]),
        "stakeholders.0.plan.mechanisms",
        "unknown_choice",
    ),
    "unknown-medium": (
        _set(("stakeholders", 0, "plan"), "mediums", ["carrier_pigeon"]),
        "stakeholders.0.plan.mediums",
        "unknown_choice",
    ),
    "unknown-phase": (
        _set(("stakeholders", 0, "plan"), "phases", ["someday"]),
        "stakeholders.0.plan.phases",
        "unknown_choice",
    ),
    "duplicate-stakeholder": (
        _set(("stakeholders", 1), "name", "  ministry OF   labour "),
        "stakeholders.1.name",
        "duplicate_stakeholder",
    ),
    "unknown-activity-type": (
        _set(("activities", 0), "activity_type", "skywriting"),
        "activities.0.activity_type",
        "unknown_choice",
    ),
    "ends-before-start": (
        _set(("activities", 0), "ends_on", "2027-02-28"),
        "activities.0.ends_on",
        "ends_before_start",
    ),
    "unknown-type-in-last-activity": (
        _append(("activities",), {"title": "Late", "audience": "public", "activity_type": "nope"}),
        "activities.1.activity_type",
        "unknown_choice",
    ),
    "unknown-question": (
        _set(("answers", 0), "question_id", "meaning_of_life"),
        "answers.0.question_id",
        "unknown_choice",
    ),
    "unknown-criterion": (
        _set(("setup_answers", 0), "criterion_id", "vibes"),
        "setup_answers.0.criterion_id",
        "unknown_choice",
    ),
    "unknown-setup-answer": (_set(("setup_answers", 0), "answer", "maybe"), "setup_answers.0.answer", "unknown_choice"),
    "unknown-checklist-item": (_set(("checklist", 0), "item_id", "bake_cake"), "checklist.0.item_id", "unknown_choice"),
    "duplicate-custom-voice": (
        _append(("workspace", "custom_voices"), "seasonal   WORKERS"),
        "workspace.custom_voices.1",
        "duplicate_voice",
    ),
}


def test_semantic_problems_are_refused_in_the_preview_and_at_restore_and_nothing_is_written(engine):
    """Each file below is well-formed but wrong in a way only a look at the guidance's ids finds. Reading it (the
    preview shown before anything is written) already says what and where; a restore handed such a backup
    anyway refuses it and writes nothing, in one transaction or in steps."""
    existing = make_workspace(engine, "Already here")
    add_stakeholder(engine, existing.id, "Ministry of Labour", "policy_sectors")
    before = row_counts(engine)
    assert (before["workspace"], before["stakeholder"]) == (1, 1)
    for case, (change, field, code) in SEMANTIC_PROBLEMS.items():
        document = valid_document()
        change(document)
        assert codes(refused_document(document)) == [(field, code)], case
        well_formed = backup.Backup.model_validate(document)
        with pytest.raises(InputError) as error:
            db.run_write(engine, restoring.restore_workspace, backup=well_formed)
        assert codes(error.value) == [(field, code)], case
        with pytest.raises(InputError) as error:
            long_writes.restore_backup(engine, well_formed, passcode="long enough passcode")
        assert codes(error.value) == [(field, code)], case
        assert row_counts(engine) == before, case  # no half-imported workspace: not an answer, plan or activity more
    assert [w.name for w in db.run_read(engine, store.list_workspaces)] == ["Already here"]
    # The same file without the problem restores.
    restore(engine, RAW)
    assert row_counts(engine)["stakeholder"] == 3


@pytest.mark.parametrize("name", [None, "  restored KICK-OFF "])
def test_restore_under_an_existing_name_is_refused_and_writes_nothing(engine, name):
    make_workspace(engine, "Restored kick-off")
    before = row_counts(engine)
    with pytest.raises(InputError) as error:
        restore(engine, RAW, name=name)
    assert codes(error.value) == [("name", "duplicate_workspace")]
    assert row_counts(engine) == before
    # Under a free name the same file restores.
    restore(engine, RAW, name="Restored kick-off (2)")
    assert row_counts(engine)["workspace"] == before["workspace"] + 1


@pytest.mark.parametrize(("name", "code"), [("   ", "empty"), ("<script>x</script>", "active_markup")])
def test_restore_under_an_invalid_name_is_refused_and_writes_nothing(engine, name, code):
    before = row_counts(engine)
    with pytest.raises(InputError) as error:
        restore(engine, RAW, name=name)
    assert codes(error.value) == [("name", code)]
    assert row_counts(engine) == before


# --- Messages -----------------------------------------------------------------------------------------------
def test_messages_name_the_place_in_the_file(sqlite_engine):
    document = valid_document()
    document["stakeholders"][1]["influence"] = "high"
    message = describe_error(refused_document(document))
    assert message.startswith("Not saved:")
    assert "stakeholder 2 › Influence" in message and "whole number" in message

    document = valid_document()
    document["stakeholders"][1]["name"] = "MINISTRY of labour"
    with pytest.raises(InputError) as error:
        restore(sqlite_engine, document_bytes(document))
    message = describe_error(error.value)
    assert "stakeholder 2 › Name" in message and "MINISTRY of labour" in message and "already" in message

    document = valid_document()
    document["activities"][0]["ends_on"] = "2027-01-01"
    with pytest.raises(InputError) as error:
        restore(sqlite_engine, document_bytes(document))
    assert "activity 1 › Ends" in describe_error(error.value)

    document = valid_document()
    document["stakeholders"][0]["plan"]["mechanisms"] = ["telepathy"]
    with pytest.raises(InputError) as error:
        restore(sqlite_engine, document_bytes(document))
    message = describe_error(error.value)
    assert "stakeholder 1 › Engagement plan › Engagement mechanisms" in message and "telepathy" in message

    message = describe_error(refused(RAW[:200]))
    assert re.search(r"line \d+, column \d+", message) and "cut short" in message
    assert row_counts(sqlite_engine)["workspace"] == 0


def test_message_for_unknown_fields_names_the_entry(sqlite_engine):
    document = valid_document()
    document["stakeholders"][0]["plan"]["budget"] = 1000
    message = describe_error(refused_document(document))
    assert "stakeholder 1 › Engagement plan › budget" in message and "not recognised" in message


def test_one_parsed_file_restores_twice_identically(sqlite_engine):
    document = valid_document()
    parsed = backup.read_backup(document_bytes(copy.deepcopy(document)))
    first = db.run_write(sqlite_engine, restoring.restore_workspace, backup=parsed, name="One")
    second = db.run_write(sqlite_engine, restoring.restore_workspace, backup=parsed, name="Two")
    one, two = exported(load(sqlite_engine, first.id)), exported(load(sqlite_engine, second.id))
    one["workspace"].pop("name"), two["workspace"].pop("name")
    assert one == two


# The database's own bookkeeping, and who may open a workspace (a backup never carries access).
NOT_IN_BACKUPS = {"id", "workspace_id", "stakeholder_id", "version", "created_at", "updated_at", "name_key"}
ACCESS = {"public_id", "passcode_hash", "recovery_hash", "owner_subject", "failed_attempts", "locked_until"}
# A workspace being restored or removed in steps is hidden meanwhile: a state of the database, not of the team's work.
IN_PROGRESS = {"hidden_since"}


@pytest.mark.parametrize(
    ("record", "table"),
    [
        (backup.WorkspaceRecord, models.Workspace),
        (backup.AnswerRecord, models.GuidingAnswer),
        (backup.StakeholderRecord, models.Stakeholder),
        (backup.PlanRecord, models.EngagementPlan),
        (backup.SetupAnswerRecord, models.SetupAnswer),
        (backup.DecisionRecord, models.SetupDecision),
        (backup.RoleRecord, models.SetupRole),
        (backup.ActivityRecord, models.AwarenessActivity),
        (backup.ChecklistRecord, models.ChecklistEntry),
    ],
    ids=lambda value: value.__name__,
)
def test_every_column_a_team_fills_in_has_a_place_in_the_backup(record, table):
    """A column added to a table but not to its backup record would be silently left out of every backup."""
    columns = {column.name for column in table.__table__.columns}
    # A stakeholder's `ref` is its id, written only to link it across the snapshots a file carries.
    assert columns - NOT_IN_BACKUPS - ACCESS - IN_PROGRESS == set(record.model_fields) - {"plan", "ref"}


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        (
            b'{"format": "gcm-kickoff-guide-backup", "format_version": 1' + b', "x": ' + b"9" * 5000 + b"}",
            "backup_bad_number",
        ),
        (b'{"format": "gcm-kickoff-guide-backup", "format": "other", "format_version": 1}', "backup_duplicate_key"),
        (
            b'{"format": "gcm-kickoff-guide-backup", "format_version": 1, "a": ' + b"[" * 40 + b"]" * 40 + b"}",
            "backup_too_deep",
        ),
    ],
    ids=["5000-digit-number", "duplicate-key", "nested-40-deep"],
)
def test_hostile_files_get_a_clean_message(raw, expected):
    error = refused(raw)
    assert [p.code for p in error.problems] == [expected]
    assert "line 0" not in describe_error(error)


def test_a_name_with_half_a_character_is_refused_with_its_place():
    document = valid_document()
    raw = document_bytes(document).replace(b'"Ministry of Labour', b'"\\ud800Ministry of Labour', 1)
    error = refused(raw)
    assert codes(error) == [("stakeholders.0.name", "not_text")]
    assert "stakeholder 1 › Name" in describe_error(error)


def test_every_check_runs_in_the_preview_not_only_at_restore():
    """Names used twice and ids the app does not know are found when the file is read, before anything is
    written, so the preview already says what a restore would refuse."""
    document = valid_document()
    document["stakeholders"][1]["name"] = document["stakeholders"][0]["name"].upper()
    document["answers"][0]["question_id"] = "not_a_question"
    assert {code for _, code in codes(refused_document(document))} == {"duplicate_stakeholder", "unknown_choice"}


def test_an_older_backup_that_marks_ongoing_work_done_restores_it_as_under_way(sqlite_engine):
    document = valid_document()
    document["checklist"] = [{"item_id": "carry_out_engagement", "confirmed_status": "done", "notes": "Yearly forum"}]
    restored = load(sqlite_engine, restore(sqlite_engine, document_bytes(document)).id)
    entry = restored.checklist["carry_out_engagement"]
    assert (entry.confirmed_status, entry.notes) == ("in_progress", "Yearly forum")
