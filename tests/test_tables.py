"""The editable tables: rows and frames for st.data_editor, the editor's state read as edits, and those edits
written all-or-nothing on real SQLite and PostgreSQL databases."""

import datetime as dt
import math

import pandas as pd
import pytest

from gcm_guide import db, store, tables
from gcm_guide.errors import Conflict, InputError, NotFound
from gcm_guide.i18n import describe_error
from gcm_guide.tables import ACTIVITIES, STAKEHOLDERS

from .conftest import add_stakeholder, load, make_workspace

# A snapshot as rows_for makes it from saved stakeholders, and one for activities.
STAKEHOLDER_ROWS = [
    {
        "id": 11,
        "version": 3,
        "name": "Ministry of Labour",
        "group_id": "policy_sectors",
        "government_level": "national",
        "sector": "Labour",
        "affected": 3,
        "influence": None,
        "interest": 4,
        "voices": ["migrant_women"],
        "engagement_status": "contacted",
    },
    {
        "id": 12,
        "version": 1,
        "name": "Diaspora council",
        "group_id": "diasporas",
        "government_level": None,
        "sector": "",
        "affected": None,
        "influence": None,
        "interest": None,
        "voices": [],
        "engagement_status": "identified",
    },
]
ACTIVITY_ROWS = [
    {
        "id": 21,
        "version": 2,
        "title": "Briefing for line ministries",
        "audience": "government",
        "activity_type": "briefings",
        "objective": "Explain the GCM",
        "starts_on": dt.date(2027, 3, 1),
        "ends_on": None,
        "timing_note": "",
        "lead": "Ministry of Foreign Affairs",
        "status": "planned",
    },
]


def editor(edited=None, added=None, deleted=None):
    """The state st.data_editor keeps for its edits."""
    return {"edited_rows": edited or {}, "added_rows": added or [], "deleted_rows": deleted or []}


def codes(error):
    return [(p.field, p.code) for p in error.problems]


def add_activity(engine, workspace_id, title, audience="government", activity_type="briefings", **fields):
    data = {"title": title, "audience": audience, "activity_type": activity_type, **fields}
    return db.run_write(engine, store.add_activity, workspace_id=workspace_id, data=data)


def saved_rows(engine, spec, workspace_id):
    data = load(engine, workspace_id)
    return tables.rows_for(spec, data.stakeholders if spec is STAKEHOLDERS else data.activities)


def apply(engine, spec, workspace_id, rows, state):
    """Read the editor's state against `rows` and write it, as the page does."""
    edits = tables.read_edits(spec, rows, state)
    return db.run_write(engine, tables.apply_edits, spec=spec, workspace_id=workspace_id, edits=edits)


# --- Rows and frames ------------------------------------------------------------------------------------------
def test_rows_keep_id_and_version_beside_the_editable_columns(engine):
    workspace = make_workspace(engine)
    person = add_stakeholder(engine, workspace.id, "Chamber of Commerce", "private_sector", influence=4)
    (row,) = saved_rows(engine, STAKEHOLDERS, workspace.id)
    assert list(row) == ["id", "version", *STAKEHOLDERS.columns]
    assert row == {
        "id": person.id,
        "version": 1,
        "name": "Chamber of Commerce",
        "group_id": "private_sector",
        "government_level": None,
        "sector": "",
        "affected": None,
        "influence": 4,
        "interest": None,
        "voices": [],
        "engagement_status": "identified",
        "lead_candidate": None,
    }


DATED_ACTIVITY_ROWS = [
    ACTIVITY_ROWS[0],
    {**ACTIVITY_ROWS[0], "id": 22, "starts_on": None, "ends_on": dt.date(2027, 6, 30)},
]


@pytest.mark.parametrize(("spec", "rows"), [(STAKEHOLDERS, STAKEHOLDER_ROWS), (ACTIVITIES, DATED_ACTIVITY_ROWS)])
def test_an_empty_frame_has_the_columns_and_types_of_a_full_one(spec, rows):
    empty, full = tables.frame_for(spec, []), tables.frame_for(spec, rows)
    assert list(empty.columns) == list(full.columns) == list(spec.columns)
    assert len(empty) == 0 and len(full) == len(rows)
    for column in spec.columns:
        expected = "Int64" if column in spec.int_columns else "object"
        assert str(empty[column].dtype) == expected, column
        assert str(full[column].dtype) == expected, column


def test_scores_are_nullable_integers_and_voices_stay_lists():
    frame = tables.frame_for(STAKEHOLDERS, STAKEHOLDER_ROWS)
    assert frame["affected"].tolist()[0] == 3 and frame["affected"].isna().tolist() == [False, True]
    assert frame["interest"].iloc[0] == 4 and frame["influence"].isna().all()
    assert frame["voices"].tolist() == [["migrant_women"], []]
    # An unset level is an empty cell (read back as None), not the word "None".
    assert frame["government_level"].tolist() == ["national", ""]


def test_a_frame_of_some_columns_holds_only_those_in_the_tables_order_with_the_same_types():
    """The register sends the browser only the columns a person chose to see."""
    full = tables.frame_for(STAKEHOLDERS, STAKEHOLDER_ROWS)
    some = tables.frame_for(STAKEHOLDERS, STAKEHOLDER_ROWS, ["influence", "name"])
    assert list(some.columns) == ["name", "influence"]
    assert dict(some.dtypes) == {"name": full.dtypes["name"], "influence": full.dtypes["influence"]}
    assert some.to_dict("records") == full[["name", "influence"]].to_dict("records")


def test_dates_are_date_objects():
    frame = tables.frame_for(ACTIVITIES, DATED_ACTIVITY_ROWS)
    starts, ends = frame["starts_on"].tolist(), frame["ends_on"].tolist()
    assert type(starts[0]) is dt.date and starts[0] == dt.date(2027, 3, 1)
    assert type(ends[1]) is dt.date and ends[1] == dt.date(2027, 6, 30)
    assert pd.isna(starts[1]) and pd.isna(ends[0])


# --- Reading the editor's state --------------------------------------------------------------------------------
def test_edited_cells_are_cleaned_and_unchanged_ones_dropped():
    state = editor(
        edited={
            # Whole numbers come back as floats, cleared numbers as NaN; equal values are not changes.
            0: {"influence": 4.0, "affected": 3.0, "sector": "Labour", "interest": float("nan")},
            # Nothing really changed in this row: None in a text or list cell means "empty".
            "1": {"sector": None, "voices": None, "affected": None, "government_level": ""},
        }
    )
    edits = tables.read_edits(STAKEHOLDERS, STAKEHOLDER_ROWS, state)
    assert edits.updates == [(STAKEHOLDER_ROWS[0], {"influence": 4, "interest": None})]
    assert type(edits.updates[0][1]["influence"]) is int
    assert (edits.additions, edits.deletions, edits.incomplete) == ([], [], 0)


def test_cleared_cells_become_empty_values_of_their_column():
    state = editor(edited={0: {"sector": None, "voices": None, "affected": math.nan, "government_level": ""}})
    (update,) = tables.read_edits(STAKEHOLDERS, STAKEHOLDER_ROWS, state).updates
    assert update[1] == {"sector": "", "voices": [], "affected": None, "government_level": None}


def test_columns_outside_the_table_are_ignored():
    state = editor(edited={0: {"id": 99, "version": 7, "_index": 3}})
    edits = tables.read_edits(STAKEHOLDERS, STAKEHOLDER_ROWS, state)
    assert edits.empty and edits.updates == []


def test_added_rows_are_cleaned_and_incomplete_ones_counted_not_saved():
    state = editor(
        added=[
            {
                "name": "Trade union federation",
                "group_id": "trade_unions",
                "affected": 2.0,
                "government_level": "",
                "sector": None,
                "voices": None,
                "engagement_status": "identified",
            },
            {"name": "Chamber of Commerce", "engagement_status": "identified"},  # no group yet
            {"group_id": "media"},  # no name yet
            {},  # a row just added, nothing typed
            {"name": None, "sector": "", "voices": [], "influence": math.nan},
        ]
    )
    edits = tables.read_edits(STAKEHOLDERS, STAKEHOLDER_ROWS, state)
    assert edits.additions == [
        {"name": "Trade union federation", "group_id": "trade_unions", "affected": 2, "engagement_status": "identified"}
    ]
    assert edits.incomplete == 2
    assert edits.updates == [] and edits.deletions == []


def test_only_empty_added_rows_are_no_edit_at_all():
    edits = tables.read_edits(STAKEHOLDERS, STAKEHOLDER_ROWS, editor(added=[{}, {"name": "", "voices": None}]))
    assert edits.empty and edits.incomplete == 0


def test_deleted_rows_are_read_from_the_snapshot():
    edits = tables.read_edits(STAKEHOLDERS, STAKEHOLDER_ROWS, editor(deleted=[1]))
    assert edits.deletions == [STAKEHOLDER_ROWS[1]]
    assert not edits.empty


def test_dates_arrive_as_iso_strings_or_datetimes():
    state = editor(
        edited={0: {"starts_on": "2027-03-01", "ends_on": "2027-04-30T00:00:00.000"}},
        added=[
            {
                "title": "Radio spot",
                "audience": "public",
                "activity_type": "traditional_media",
                "starts_on": "2027-05-02",
            },
            {
                "title": "Workshop",
                "audience": "other_stakeholders",
                "activity_type": "education",
                "ends_on": dt.datetime(2027, 6, 1, 9, 30),
            },
        ],
    )
    edits = tables.read_edits(ACTIVITIES, ACTIVITY_ROWS, state)
    # The start date is the one already saved; only the end date changes.
    assert edits.updates == [(ACTIVITY_ROWS[0], {"ends_on": dt.date(2027, 4, 30)})]
    assert [a.get("starts_on") for a in edits.additions] == [dt.date(2027, 5, 2), None]
    assert [a.get("ends_on") for a in edits.additions] == [None, dt.date(2027, 6, 1)]
    assert type(edits.additions[1]["ends_on"]) is dt.date


def test_a_cleared_date_is_none():
    (update,) = tables.read_edits(ACTIVITIES, ACTIVITY_ROWS, editor(edited={0: {"starts_on": ""}})).updates
    assert update[1] == {"starts_on": None}
    (update,) = tables.read_edits(ACTIVITIES, ACTIVITY_ROWS, editor(edited={0: {"starts_on": None}})).updates
    assert update[1] == {"starts_on": None}


@pytest.mark.parametrize("value", ["2027-02-30", "next week", "31/12/2027", "2027-13-01"])
def test_a_bad_date_is_an_input_error(value):
    with pytest.raises(InputError) as error:
        tables.read_edits(ACTIVITIES, ACTIVITY_ROWS, editor(edited={0: {"ends_on": value}}))
    assert codes(error.value) == [("ends_on", "date_parsing")]
    added = {"title": "Radio spot", "audience": "public", "activity_type": "social_media", "starts_on": value}
    with pytest.raises(InputError) as error:
        tables.read_edits(ACTIVITIES, ACTIVITY_ROWS, editor(added=[added]))
    assert codes(error.value) == [("starts_on", "date_parsing")]


# --- Writing edits ----------------------------------------------------------------------------------------------
def seed_stakeholders(engine, workspace_id):
    add_stakeholder(engine, workspace_id, "Ministry of Labour", "policy_sectors", influence=2)
    add_stakeholder(engine, workspace_id, "Diaspora council", "diasporas")
    add_stakeholder(engine, workspace_id, "Media council", "media")
    return saved_rows(engine, STAKEHOLDERS, workspace_id)


def seed_activities(engine, workspace_id):
    add_activity(engine, workspace_id, "Briefing for line ministries", starts_on=dt.date(2027, 3, 1))
    add_activity(engine, workspace_id, "Open day", audience="public", activity_type="cultural_events")
    add_activity(engine, workspace_id, "NGO round table", audience="other_stakeholders")
    return saved_rows(engine, ACTIVITIES, workspace_id)


def test_stakeholder_updates_additions_and_deletions_land(engine):
    workspace = make_workspace(engine)
    rows = seed_stakeholders(engine, workspace.id)
    state = editor(
        edited={0: {"influence": 4.0, "voices": ["migrant_women", "Seasonal workers"]}, 1: {"government_level": ""}},
        added=[{"name": "Trade union federation", "group_id": "trade_unions", "interest": 5.0}],
        deleted=[2],
    )
    assert apply(engine, STAKEHOLDERS, workspace.id, rows, state) == 3
    data = load(engine, workspace.id)
    assert [s.name for s in data.stakeholders] == ["Ministry of Labour", "Diaspora council", "Trade union federation"]
    labour, diaspora, union = data.stakeholders
    assert (labour.influence, labour.voices, labour.version) == (4, ["migrant_women", "Seasonal workers"], 2)
    assert diaspora.version == 1  # "" for an unset level was no change
    assert (union.group_id, union.interest, union.engagement_status) == ("trade_unions", 5, "identified")
    assert data.workspace.custom_voices == ["Seasonal workers"]


def test_activity_updates_additions_and_deletions_land(engine):
    workspace = make_workspace(engine)
    rows = seed_activities(engine, workspace.id)
    state = editor(
        edited={0: {"ends_on": "2027-03-31", "status": "in_progress"}, 1: {"lead": "City hall"}},
        added=[
            {
                "title": "Radio spot",
                "audience": "public",
                "activity_type": "traditional_media",
                "starts_on": "2027-05-02",
                "status": "planned",
            }
        ],
        deleted=[2],
    )
    assert apply(engine, ACTIVITIES, workspace.id, rows, state) == 4
    briefing, open_day, radio = load(engine, workspace.id).activities
    assert (briefing.starts_on, briefing.ends_on, briefing.status, briefing.version) == (
        dt.date(2027, 3, 1),
        dt.date(2027, 3, 31),
        "in_progress",
        2,
    )
    assert open_day.lead == "City hall"
    assert (radio.title, radio.starts_on, radio.ends_on) == ("Radio spot", dt.date(2027, 5, 2), None)


# Each batch carries a valid update, a valid addition and a deletion besides the refused row.
@pytest.mark.parametrize(
    ("edited", "added", "problem", "row"),
    [
        pytest.param(
            {1: {"influence": 9.0}}, [], ("influence", "less_than_equal"), "Diaspora council", id="score_out_of_range"
        ),
        pytest.param(
            {1: {"name": "ministry of  LABOUR"}},
            [],
            ("name", "duplicate_stakeholder"),
            "Diaspora council",
            id="renamed_to_a_taken_name",
        ),
        pytest.param(
            {1: {"group_id": "astronauts"}}, [], ("group_id", "unknown_choice"), "Diaspora council", id="unknown_group"
        ),
        pytest.param(
            {},
            [{"name": "DIASPORA council", "group_id": "diasporas"}],
            ("name", "duplicate_stakeholder"),
            "DIASPORA council",
            id="added_duplicate",
        ),
        pytest.param(
            {},
            [{"name": "Think tank", "group_id": "academia", "affected": 0.0}],
            ("affected", "greater_than_equal"),
            "Think tank",
            id="added_bad_score",
        ),
    ],
)
def test_one_refused_stakeholder_row_refuses_the_whole_batch(engine, edited, added, problem, row):
    workspace = make_workspace(engine)
    rows = seed_stakeholders(engine, workspace.id)
    state = editor(
        edited={0: {"influence": 5.0, "voices": ["Seasonal workers"]}, **edited},
        added=[{"name": "Trade union federation", "group_id": "trade_unions"}, *added],
        deleted=[2],
    )
    with pytest.raises(InputError) as error:
        apply(engine, STAKEHOLDERS, workspace.id, rows, state)
    assert codes(error.value) == [problem]
    assert error.value.problems[0].params["row"] == row
    assert saved_rows(engine, STAKEHOLDERS, workspace.id) == rows
    assert load(engine, workspace.id).workspace.custom_voices == []


@pytest.mark.parametrize(
    ("edited", "added", "problem", "row"),
    [
        pytest.param(
            {1: {"activity_type": "skywriting"}}, [], ("activity_type", "unknown_choice"), "Open day", id="unknown_type"
        ),
        pytest.param({1: {"title": None}}, [], ("title", "empty"), "Open day", id="title_cleared"),
        pytest.param(
            {1: {"starts_on": "2027-09-01", "ends_on": "2027-08-01"}},
            [],
            ("ends_on", "ends_before_start"),
            "Open day",
            id="ends_before_start",
        ),
        pytest.param(
            {},
            [
                {
                    "title": "Radio spot",
                    "audience": "public",
                    "activity_type": "traditional_media",
                    "starts_on": "2027-05-02",
                    "ends_on": "2027-05-01",
                }
            ],
            ("ends_on", "ends_before_start"),
            "Radio spot",
            id="added_ends_before_start",
        ),
    ],
)
def test_one_refused_activity_row_refuses_the_whole_batch(engine, edited, added, problem, row):
    workspace = make_workspace(engine)
    rows = seed_activities(engine, workspace.id)
    state = editor(
        edited={0: {"status": "done", "ends_on": "2027-03-02"}, **edited},
        added=[{"title": "Poster", "audience": "public", "activity_type": "print_electronic"}, *added],
        deleted=[2],
    )
    with pytest.raises(InputError) as error:
        apply(engine, ACTIVITIES, workspace.id, rows, state)
    assert codes(error.value) == [problem]
    assert error.value.problems[0].params["row"] == row
    assert saved_rows(engine, ACTIVITIES, workspace.id) == rows


def test_the_message_for_a_refused_row_names_the_row(engine):
    """tables._naming_row adds the row "so the message says which row": the user must learn which one."""
    workspace = make_workspace(engine)
    rows = seed_stakeholders(engine, workspace.id)
    with pytest.raises(InputError) as error:
        apply(engine, STAKEHOLDERS, workspace.id, rows, editor(edited={1: {"influence": 9.0}}))
    assert "Diaspora council" in describe_error(error.value)


@pytest.mark.parametrize(
    ("spec", "seed", "field", "theirs", "mine", "other_row_change"),
    [
        (STAKEHOLDERS, seed_stakeholders, "influence", 3, 5, {"sector": "Diaspora affairs"}),
        (ACTIVITIES, seed_activities, "lead", "Ministry of Labour", "Ministry of Interior", {"lead": "City hall"}),
    ],
    ids=["stakeholders", "activities"],
)
def test_a_stale_edit_of_the_same_field_is_a_conflict_and_nothing_is_written(
    engine, spec, seed, field, theirs, mine, other_row_change
):
    workspace = make_workspace(engine)
    rows = seed(engine, workspace.id)  # what this user's table shows
    # Someone else saves the same field of the first row meanwhile.
    db.run_write(
        engine, spec.update, workspace_id=workspace.id, **{spec.id_argument: rows[0]["id"]}, changes={field: theirs}
    )
    after_theirs = saved_rows(engine, spec, workspace.id)
    with pytest.raises(Conflict) as conflict:
        # The other row's change comes first, so it is written and then rolled back.
        apply(engine, spec, workspace.id, rows, editor(edited={1: other_row_change, 0: {field: mine}}))
    assert (conflict.value.field, conflict.value.mine, conflict.value.theirs) == (field, mine, theirs)
    assert saved_rows(engine, spec, workspace.id) == after_theirs


def test_a_stale_edit_of_another_field_is_saved(engine):
    workspace = make_workspace(engine)
    rows = seed_stakeholders(engine, workspace.id)
    db.run_write(
        engine,
        store.update_stakeholder,
        workspace_id=workspace.id,
        stakeholder_id=rows[0]["id"],
        changes={"sector": "Labour"},
    )
    assert apply(engine, STAKEHOLDERS, workspace.id, rows, editor(edited={0: {"interest": 4}})) == 1
    labour = load(engine, workspace.id).stakeholders[0]
    assert (labour.sector, labour.interest, labour.version) == ("Labour", 4, 3)


def test_a_row_deleted_elsewhere_is_not_found_and_nothing_is_written(engine):
    workspace = make_workspace(engine)
    rows = seed_stakeholders(engine, workspace.id)
    db.run_write(engine, store.delete_stakeholder, workspace_id=workspace.id, stakeholder_id=rows[1]["id"])
    before = saved_rows(engine, STAKEHOLDERS, workspace.id)
    state = editor(
        edited={0: {"influence": 5.0}},
        added=[{"name": "Trade union federation", "group_id": "trade_unions"}],
        deleted=[1],
    )
    with pytest.raises(NotFound):
        apply(engine, STAKEHOLDERS, workspace.id, rows, state)
    assert saved_rows(engine, STAKEHOLDERS, workspace.id) == before


@pytest.mark.parametrize(
    "state", [editor(deleted=[2]), editor(edited={2: {"sector": "Press"}})], ids=["delete", "edit"]
)
def test_a_stale_row_never_reaches_a_record_added_since(engine, state):
    """A row of this user's table was deleted elsewhere and someone added a stakeholder since: the stale row
    must be NotFound, not silently become the newcomer (SQLite reuses the highest deleted id)."""
    workspace = make_workspace(engine)
    rows = seed_stakeholders(engine, workspace.id)  # this user's table
    db.run_write(engine, store.delete_stakeholder, workspace_id=workspace.id, stakeholder_id=rows[2]["id"])
    add_stakeholder(engine, workspace.id, "Trade union federation", "trade_unions")
    before = saved_rows(engine, STAKEHOLDERS, workspace.id)
    with pytest.raises(NotFound):
        apply(engine, STAKEHOLDERS, workspace.id, rows, state)
    assert saved_rows(engine, STAKEHOLDERS, workspace.id) == before
