"""Interface strings: every key the code asks for exists in data/ui/en.yaml, no page shows hard-coded text,
and errors, counts and missing keys read as intended."""

from __future__ import annotations

import ast
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from pydantic import ValidationError

from gcm_guide import chart_data, errors, i18n, models, report, store, tables
from gcm_guide.errors import Conflict, InputError, NotFound, Problem, StoreError
from gcm_guide.i18n import describe_error, t, tn
from gcm_guide.navigation import PAGES

ROOT = Path(__file__).resolve().parent.parent
PACKAGE = ROOT / "gcm_guide"
SOURCES = sorted([ROOT / "app.py", *(ROOT / "pages").glob("*.py"), *PACKAGE.glob("**/*.py")])


def parse(path: Path) -> ast.Module:
    return ast.parse(path.read_text(encoding="utf-8"), filename=str(path))


def english_strings() -> dict[str, str]:
    return i18n.strings()


@pytest.fixture(autouse=True)
def english() -> Iterator[None]:
    with i18n.language("en"):
        yield


# --- Finding the keys the code uses ------------------------------------------------------------------------
@dataclass(frozen=True)
class KeyUse:
    where: str  # file:line
    function: str  # "t" or "tn"
    kind: str  # "literal", "template" (an f-string key) or "dynamic" (a variable)
    key: str  # the key, or a template's constant prefix


# The interface-string functions: gcm_guide.i18n's, and gcm_guide.web.text's markdown and plain versions.
_STRING_FUNCTIONS = {"t": "t", "tn": "tn", "t_plain": "t", "tn_plain": "tn"}


def _called_name(node: ast.Call) -> str | None:
    func = node.func
    if isinstance(func, ast.Name):
        return _STRING_FUNCTIONS.get(func.id, func.id)
    if isinstance(func, ast.Attribute) and isinstance(func.value, ast.Name) and func.value.id == "i18n":
        return func.attr
    return None


def _keys_of(expr: ast.expr) -> Iterator[tuple[str, str]]:
    if isinstance(expr, ast.Constant) and isinstance(expr.value, str):
        yield "literal", expr.value
    elif isinstance(expr, ast.IfExp):  # t("a" if x else "b")
        yield from _keys_of(expr.body)
        yield from _keys_of(expr.orelse)
    elif isinstance(expr, ast.JoinedStr):
        prefix = ""
        for part in expr.values:
            if not (isinstance(part, ast.Constant) and isinstance(part.value, str)):
                break
            prefix += part.value
        # Only "prefix.{value}" is a template whose values we can list.
        simple = len(expr.values) == 2 and isinstance(expr.values[1], ast.FormattedValue)
        yield "template", prefix if simple else f"<unsupported f-string {ast.unparse(expr)}>"
    else:
        yield "dynamic", ast.unparse(expr)


def key_uses() -> list[KeyUse]:
    uses = []
    for path in SOURCES:
        for node in ast.walk(parse(path)):
            if isinstance(node, ast.Call) and _called_name(node) in ("t", "tn") and node.args:
                where = f"{path.relative_to(ROOT)}:{node.lineno}"
                for kind, key in _keys_of(node.args[0]):
                    uses.append(KeyUse(where, _called_name(node), kind, key))
    return uses


def store_entities() -> set[str]:
    """Entity names the store (and the snapshots, kept beside it) put in NotFound and (through _apply) Conflict
    errors."""
    found = set()
    for module in ("store.py", "snapshots.py"):
        for node in ast.walk(parse(PACKAGE / module)):
            if isinstance(node, ast.Call) and isinstance(node.func, ast.Name):
                if node.func.id == "NotFound" and isinstance(node.args[0], ast.Constant):
                    found.add(node.args[0].value)
                elif node.func.id in ("_apply", "_owned"):  # _owned(session, Model, kind, ...) raises NotFound(kind)
                    found.add(ast.literal_eval(node.args[1 if node.func.id == "_apply" else 2]))
    return found


def input_fields() -> set[str]:
    """Every field an InputError from the store or the tables can name."""
    fields: set[str] = set()
    for node in ast.walk(parse(PACKAGE / "store.py")):
        if not (isinstance(node, ast.Call) and node.args):
            continue
        name = ast.unparse(node.func)
        # Every input model the store validates with (_changes hands its own on to _validate).
        if name in ("_validate", "_changes") and node.args[0].id != "update_model":
            fields |= set(getattr(store, node.args[0].id).model_fields)
        elif name in ("InputError.single", "_require_known") and isinstance(node.args[0], ast.Constant):
            fields.add(node.args[0].value)
    # read_edits names a table's date column whose cell does not parse.
    specs = [spec for spec in vars(tables).values() if isinstance(spec, tables.TableSpec)]
    return fields | {column for spec in specs for column in spec.date_columns}


def input_error_codes() -> set[str]:
    codes = {"empty", "invalid", *errors._SAME_MEANING.values()}
    for path in (PACKAGE / "store.py", PACKAGE / "tables.py"):
        for node in ast.walk(parse(path)):
            if isinstance(node, ast.Call) and ast.unparse(node.func) == "InputError.single":
                codes.add(ast.literal_eval(node.args[1]))
    return codes


# Keys built with an f-string, by their constant prefix, and every value the variable part can take.
TEMPLATE_VALUES: dict[str, tuple[str, ...]] = {
    "levels.": (*models.WORKSPACE_LEVELS, *models.GOVERNMENT_LEVELS),
    "status.": models.ENGAGEMENT_STATUSES,
    "activity_status.": models.ACTIVITY_STATUSES,
    "checklist_status.": models.CHECKLIST_STATUSES,
    "checklist_icon.": models.CHECKLIST_STATUSES,
    "entities.": tuple(sorted(store_entities())),
    "roles.": models.SETUP_ROLES,
    "charts.quadrants.": chart_data.QUADRANTS,
    "setup.rec.strength.": ("clear", "lean", "balanced"),
    "setup.rec.points_to.": ("clear", "lean", "balanced"),
    "report.because.": ("clear", "lean", "balanced"),
    "files.suffix.": ("register_csv", "backup"),
    "join.tab_": ("propose", "answer", "vote", "place"),
    "counts.": ("stakeholders", "plans", "answers", "activities", "roles", "people", "snapshots"),
    "snapshots.timeline_series.": ("groups", "voices", "plans"),
    "snapshots.metrics.": ("stakeholders", "groups", "voices", "plans"),
    "snapshots.kinds.": models.SNAPSHOT_KINDS,
    "snapshots.table.": ("stakeholder", "what", "before", "after"),
    "items.": ("stakeholders", "answers", "setup_answers", "roles", "activities", "checklist", "rows"),
    "report.register.": report._REGISTER_HEADINGS,
    "nav.action": ("1", "2", "3", "4"),
    "history.actions.": ("create", "update", "delete", "restore"),
    "workshop.status.": ("accepted", "merged", "dismissed"),
    # Pages label the fields of stakeholders, plans, set-up decisions and activities with f"fields.{name}".
    "fields.": tuple(
        field
        for model in (
            models.StakeholderUpdate,
            models.EngagementPlanUpdate,
            models.SetupDecisionUpdate,
            models.AwarenessActivityUpdate,
            models.SetupRoleUpdate,
        )
        for field in model.model_fields
    ),
}


# --- (a) Every key exists ------------------------------------------------------------------------------------
def test_the_key_scan_sees_the_code():
    uses = key_uses()
    literal = {(u.function, u.key) for u in uses if u.kind == "literal"}
    assert ("t", "home.title") in literal and ("tn", "stakeholders.count") in literal
    # Both branches of t("a" if ... else "b") are found.
    assert ("t", "engagement.option_missing") in literal and ("t", "engagement.option_planned") in literal
    assert {u.key for u in uses if u.kind == "template"} >= {"levels.", "fields.", "checklist_status."}
    assert len(literal) > 80


def test_every_literal_key_exists():
    known = english_strings()
    missing = []
    for use in key_uses():
        if use.kind != "literal":
            continue
        wanted = [use.key] if use.function == "t" else [f"{use.key}.one", f"{use.key}.other"]
        missing += [f"{use.where}: {key}" for key in wanted if key not in known]
    assert missing == []


def test_every_f_string_key_has_a_known_set_of_values():
    unknown = [
        f"{use.where}: {use.key!r}"
        for use in key_uses()
        if use.kind == "template"
        and use.key not in TEMPLATE_VALUES
        # tn() itself builds "<key>.one" / "<key>.other".
        and not (use.where.startswith("gcm_guide/i18n.py:") and use.key.startswith('<unsupported f-string f"{key}.'))
    ]
    assert unknown == []


@pytest.mark.parametrize("prefix", sorted(TEMPLATE_VALUES))
def test_every_value_of_an_f_string_key_exists(prefix):
    values = TEMPLATE_VALUES[prefix]
    assert values
    english = english_strings()
    missing = [
        f"{prefix}{value}"
        for value in values
        if f"{prefix}{value}" not in english and f"{prefix}{value}.one" not in english  # a plain or a counted string
    ]
    assert missing == []


def test_every_entity_in_store_errors_has_a_name():
    entities = store_entities()
    assert {"workspace", "stakeholder", "activity", "checklist_entry"} <= entities
    assert [e for e in sorted(entities) if f"entities.{e}" not in english_strings()] == []


def test_every_field_an_input_error_can_name_has_a_label():
    """describe_error falls back to the raw field id (e.g. "custom_voices.0") when the label is missing."""
    fields = input_fields()
    assert {"name", "voice", "influence", "starts_on", "mechanisms"} <= fields
    assert sorted(f for f in fields if f"fields.{f}" not in english_strings()) == []


def test_every_input_error_code_has_a_message():
    codes = input_error_codes()
    assert {"duplicate_stakeholder", "ends_before_start", "date_parsing", "unknown_choice"} <= codes
    assert sorted(c for c in codes if f"errors.input.{c}" not in english_strings()) == []


def test_every_page_title_and_navigation_section_exists():
    keys = {spec.title_key for spec in PAGES} | {spec.section for spec in PAGES}
    assert {"nav.home", "nav.start"} <= keys
    assert sorted(k for k in keys if k not in english_strings()) == []


def test_every_checklist_reason_exists_and_every_suggested_status_is_known():
    suggestions = [
        node
        for node in ast.walk(parse(PACKAGE / "checklist.py"))
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.func.id == "Suggestion"
    ]
    statuses, reasons = set(), set()
    for call in suggestions:
        statuses |= {key for kind, key in _keys_of(call.args[0]) if kind == "literal"}
        reasons |= {key for kind, key in _keys_of(call.args[1]) if kind == "literal"}
        assert all(kind == "literal" for kind, _ in _keys_of(call.args[1])), ast.unparse(call)
    assert statuses == set(models.CHECKLIST_STATUSES)
    assert len(reasons) >= 6
    english = english_strings()
    assert sorted(r for r in reasons if r not in english and f"{r}.one" not in english) == []


# --- (b) No hard-coded text in the interface -----------------------------------------------------------------
# Streamlit calls whose first positional argument is text the user reads (a label, a title or a body).
LABELLED_CALLS = {
    "title", "header", "subheader", "caption", "markdown", "write", "text", "code", "latex",
    "info", "warning", "error", "success", "toast", "exception",
    "button", "form_submit_button", "download_button", "link_button",
    "text_input", "text_area", "number_input", "date_input", "time_input", "checkbox", "toggle",
    "selectbox", "multiselect", "radio", "select_slider", "slider", "segmented_control", "pills",
    "file_uploader", "color_picker", "feedback",
    "expander", "popover", "tabs", "metric", "dialog", "spinner", "status",
    "Column", "TextColumn", "NumberColumn", "CheckboxColumn", "SelectboxColumn", "MultiselectColumn",
    "DateColumn", "DatetimeColumn", "TimeColumn", "ListColumn", "LinkColumn", "ProgressColumn",
}  # fmt: skip
# Keyword arguments of any call that hold text the user reads.
TEXT_KEYWORDS = {"label", "help", "placeholder", "text", "title", "page_title", "caption"}


def _literal_parts(expr: ast.expr) -> Iterator[str]:
    """The hard-coded pieces of text an argument is built from (calls such as t(...) are not looked into)."""
    if isinstance(expr, ast.Constant) and isinstance(expr.value, str):
        yield expr.value
    elif isinstance(expr, ast.JoinedStr):
        yield from (part.value for part in expr.values if isinstance(part, ast.Constant))
    elif isinstance(expr, ast.IfExp):
        yield from _literal_parts(expr.body)
        yield from _literal_parts(expr.orelse)
    elif isinstance(expr, ast.BoolOp):
        for value in expr.values:
            yield from _literal_parts(value)
    elif isinstance(expr, ast.BinOp) and isinstance(expr.op, ast.Add):
        yield from _literal_parts(expr.left)
        yield from _literal_parts(expr.right)
    elif isinstance(expr, (ast.List, ast.Tuple)):  # st.tabs(["...", "..."])
        for item in expr.elts:
            yield from _literal_parts(item)


def _is_hard_coded(expr: ast.expr) -> bool:
    if isinstance(expr, ast.Constant):
        return isinstance(expr.value, str) and expr.value != ""
    # Markup around translated text ("**{...}**", " · ") is fine; words are not.
    return any(any(ch.isalpha() for ch in part) for part in _literal_parts(expr))


def hard_coded_text(source: str, filename: str) -> list[str]:
    found = []
    for node in ast.walk(ast.parse(source, filename=filename)):
        if not isinstance(node, ast.Call):
            continue
        texts = [kw.value for kw in node.keywords if kw.arg in TEXT_KEYWORDS]
        if isinstance(node.func, ast.Attribute) and node.func.attr in LABELLED_CALLS and node.args:
            texts.append(node.args[0])
        found += [f"{filename}:{node.lineno}: {ast.unparse(node)[:100]}" for text in texts if _is_hard_coded(text)]
    return found


def interface_files() -> list[Path]:
    """The app, its pages, and the package modules that draw with Streamlit."""
    modules = [path for path in PACKAGE.glob("**/*.py") if "import streamlit" in path.read_text(encoding="utf-8")]
    return [ROOT / "app.py", *sorted((ROOT / "pages").glob("*.py")), *sorted(modules)]


def test_the_hard_coded_text_check_finds_literals():
    source = "\n".join(
        [
            'st.title("Welcome")',
            'left.text_input("Name", key="name")',
            'st.tabs(["Plan", t("engagement.tab_plan")])',
            'st.button(f"Save {name}")',
            'st.text_input(t("fields.name"), help="Type a name")',
            'st.column_config.TextColumn("Sector", max_chars=200)',
            'st.markdown("")',
            'st.title(t("home.title"))',
            "st.markdown(f\"**{t('home.list.title')}**\")",
            'st.form("home_create", border=True)',
            'st.page_link("pages/home.py", label=t("common.go_home"), icon=":material/home:")',
            "st.caption(' · '.join(parts))",
        ]
    )
    assert [line.split(":")[1] for line in hard_coded_text(source, "example.py")] == ["1", "2", "3", "4", "5", "6"]


def test_no_interface_file_hard_codes_text():
    files = interface_files()
    assert ROOT / "pages" / "home.py" in files and PACKAGE / "web" / "autosave.py" in files
    found = []
    for path in files:
        found += hard_coded_text(path.read_text(encoding="utf-8"), str(path.relative_to(ROOT)))
    assert found == []


# --- (c) Error messages -----------------------------------------------------------------------------------------
def validation_error(model: type, data: dict) -> InputError:
    with pytest.raises(ValidationError) as error:
        model.model_validate(data)
    return InputError.from_validation(error.value)


def test_an_input_error_names_the_field_and_the_problem():
    error = InputError.single("name", "empty")
    assert describe_error(error) == "Not saved: Name: it cannot be empty."


def test_an_input_error_fills_in_its_values():
    error = InputError.single("name", "duplicate_stakeholder", name="Ministry of Labour")
    assert describe_error(error) == "Not saved: Name: “Ministry of Labour” is already on the register."


def test_a_validation_error_lists_every_problem_with_its_limits():
    error = validation_error(
        models.StakeholderCreate, {"name": "Chamber of Commerce", "group_id": "private_sector", "influence": 9}
    )
    assert describe_error(error) == "Not saved: Influence (1–5): it must be at most 5."
    two = validation_error(models.StakeholderCreate, {"name": " ", "group_id": "media", "affected": 0})
    assert describe_error(two) == "Not saved: Name: it cannot be empty. How affected (1–5): it must be at least 1."


def test_a_problem_in_a_list_item_is_labelled_by_its_field():
    error = validation_error(
        models.StakeholderCreate, {"name": "Diaspora council", "group_id": "diasporas", "voices": [""]}
    )
    assert describe_error(error) == "Not saved: Under-represented voices it carries: it cannot be empty."


def test_an_unknown_problem_code_still_reads_as_a_sentence():
    error = InputError([Problem("sector", "some_new_pydantic_code", {})])
    assert describe_error(error) == "Not saved: Sector: that value is not valid."


def test_not_found_names_the_entity():
    assert describe_error(NotFound("stakeholder", 42)) == (
        "This stakeholder no longer exists (it may have been deleted in another window). Nothing was saved."
    )
    assert describe_error(NotFound("checklist_entry", 7)).startswith("This checklist item no longer exists")


def test_conflict_and_other_errors():
    conflict = Conflict("answer", "text", "Health, education", "Health, labour", 3)
    assert describe_error(conflict) == "Someone else changed this at the same time. Nothing was overwritten."
    assert describe_error(StoreError()) == "Something went wrong. Nothing was saved."


# --- (d) Counts, (e) missing keys -------------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("count", "expected"), [(0, "0 stakeholders"), (1, "1 stakeholder"), (2, "2 stakeholders"), (21, "21 stakeholders")]
)
def test_tn_picks_one_for_exactly_one_and_other_otherwise(count, expected):
    assert tn("stakeholders.count", count) == expected


def test_tn_passes_other_values_through():
    assert tn("summary.groups_missing", 1, total=16) == "1 of 16 stakeholder groups has nobody."
    assert tn("summary.groups_missing", 3, total=16) == "3 of 16 stakeholder groups have nobody."


def test_t_fills_placeholders_and_returns_plain_strings_untouched():
    assert t("guiding.progress", done=2, total=6) == "2 of 6 questions answered"
    assert t("nav.home") == "Workspaces"


def test_a_missing_key_raises_key_error_naming_it():
    with pytest.raises(KeyError, match=r"home\.no_such_string"):
        t("home.no_such_string")
    with pytest.raises(KeyError, match=r"home\.nothing_here\.other"):
        tn("home.nothing_here", 2)
    # A group of strings is not a string.
    with pytest.raises(KeyError, match=r"'home\.create'"):
        t("home.create")


def test_moments_are_written_in_local_time_the_english_way():
    import datetime as dt

    from gcm_guide.i18n import local_time

    moment = dt.datetime(2027, 3, 1, 9, 5, 7, tzinfo=dt.UTC)
    local = moment.astimezone()
    assert local_time(moment) == f"{local:%-d %b %Y, %H:%M}"
    assert local_time(moment, seconds=True) == f"{local:%-d %b %Y, %H:%M:%S}"
    assert local_time(moment, date=False) == f"{local:%H:%M:%S}"
