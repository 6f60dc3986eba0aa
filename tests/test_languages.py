"""French and Spanish, chosen per person: the catalogs and their tooling, the lookups with each language's
plural rule, dates and numbers, one language per thread, and the language of a browser session."""

from __future__ import annotations

import datetime as dt
import re
import shutil
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from babel.messages.catalog import Catalog
from playwright.sync_api import Page, expect
from streamlit.testing.v1 import AppTest

from gcm_guide import catalogs, db, i18n, recommender, spreadsheet, store, work_processes
from gcm_guide.content import load_content
from gcm_guide.navigation import PAGES

from .conftest import (
    APP,
    APP_TIMEOUT,
    OWNER_GRANTS,
    add_stakeholder,
    load,
    make_workspace,
    nav,
    open_page,
    settle,
)

UPDATE = "python -m gcm_guide.catalogs update"
# The keys translated in data/locale as a demonstration (the rest waits for the translators). Keys added to
# en.yaml later do not touch these tests; changing the English of one of these makes its translation fuzzy
# until a translator checks it (and removes the fuzzy flag).
DEMO_KEYS = [
    "app.title",
    "home.title",
    *(f"nav.{key}" for key in ("start", "kickoff", "home", "guiding_questions", "action1", "action2", "action3")),
    *(f"nav.{key}" for key in ("action4", "checklist", "summary", "workshop_section", "workshop", "presenter")),
    *(f"nav.{key}" for key in ("history", "join")),
    *(f"common.{key}" for key in ("guidance", "no_workspace", "go_home", "next", "saved_at", "autosave_note")),
    *(f"common.{key}" for key in ("autosave_help", "none", "not_scored")),
    "sidebar.no_workspace",
    "sidebar.switch",
    "stakeholders.count",
    "home.list.stakeholders",
    "summary.groups_missing",
]


@pytest.fixture(autouse=True)
def english_outside() -> Iterator[None]:
    with i18n.language("en"):
        yield


# --- The catalogs are in step with en.yaml ------------------------------------------------------------------
def test_the_template_has_every_english_string_as_it_is_now():
    """A developer who adds or changes a string in en.yaml and forgets the catalogs learns it here."""
    assert catalogs.template_path().is_file(), f"data/locale/messages.pot is missing: run `{UPDATE}`"
    stored = {m.context: m.id for m in list(catalogs.read_catalog(catalogs.template_path()))[1:]}
    current = {m.context: m.id for m in list(catalogs.build_template())[1:]}
    missing = sorted(set(current) - set(stored))
    changed = sorted(key for key in set(current) & set(stored) if tuple(current[key]) != tuple(stored[key]))
    removed = sorted(set(stored) - set(current))
    assert (missing, changed, removed) == ([], [], []), (
        f"data/locale/messages.pot differs from data/ui/en.yaml (new: {missing}, changed: {changed}, "
        f"removed: {removed}): run `{UPDATE}` and commit data/locale"
    )


def test_update_would_change_no_committed_catalog(tmp_path):
    """Every language's catalog holds exactly what `update` makes of en.yaml (so no key is missing there)."""
    shutil.copytree(i18n.LOCALE_DIR, tmp_path / "locale")
    changed = [path for path, change in catalogs.update(tmp_path / "locale").items() if change]
    behind = [str(path.relative_to(tmp_path)) for path in changed]
    assert behind == [], f"{behind} are behind data/ui/en.yaml: run `{UPDATE}` and commit data/locale"


@pytest.mark.parametrize("language", catalogs.TRANSLATED)
def test_no_committed_translation_is_wrong(language):
    """Missing translations are fine for now (English shows); a wrong placeholder never is."""
    catalog = catalogs.read_catalog(catalogs.catalog_path(language), language)
    findings = catalogs.check_catalog(catalog, catalogs.build_template())
    assert [str(f) for f in findings if f.kind not in ("missing", "fuzzy")] == []


@pytest.mark.parametrize("language", catalogs.TRANSLATED)
def test_the_demonstration_keys_are_translated_and_pass_the_check(language):
    catalog = catalogs.read_catalog(catalogs.catalog_path(language), language)
    assert catalogs.check_catalog(catalog, catalogs.build_template(DEMO_KEYS)) == []


def test_the_catalogs_carry_what_translators_need():
    fr = catalogs.read_catalog(catalogs.catalog_path("fr"), "fr")
    assert fr.plural_forms == "nplurals=3; plural=(n == 0 || n == 1) ? 0 : n != 0 && n % 1000000 == 0 ? 1 : 2;"
    assert catalogs.read_catalog(catalogs.catalog_path("es"), "es").num_plurals == 3
    plural = entry(fr, "summary.groups_missing")
    assert plural.id == (
        "1 of {total} stakeholder groups has nobody.",
        "{count} of {total} stakeholder groups have nobody.",
    )
    assert "Placeholders: {count}, {total} (keep them exactly as they are)" in plural.auto_comments
    assert "python-brace-format" in plural.flags
    keys = [m.context for m in list(fr)[1:]]
    assert keys == sorted(keys)


# --- check --------------------------------------------------------------------------------------------------
def demo_catalog(language: str) -> tuple[Catalog, Catalog]:
    """A catalog of the demonstration keys only, with their committed translations, and its template."""
    template = catalogs.build_template(DEMO_KEYS)
    catalog = catalogs.read_catalog(catalogs.catalog_path(language), language)
    catalogs.merge(catalog, template)
    return catalog, template


def entry(catalog: Catalog, key: str):
    return next(m for m in list(catalog)[1:] if m.context == key)


def test_check_passes_when_every_string_is_translated():
    for language in catalogs.TRANSLATED:
        catalog, template = demo_catalog(language)
        assert catalogs.check_catalog(catalog, template) == []
        assert catalogs.counts(catalog, template) == (len(DEMO_KEYS), 0, len(DEMO_KEYS))


def test_check_lists_a_blanked_translation_and_a_fuzzy_one():
    catalog, template = demo_catalog("fr")
    entry(catalog, "nav.home").string = ""
    entry(catalog, "stakeholders.count").string = ("{count} partie prenante", "", "{count} parties prenantes")
    entry(catalog, "nav.history").flags.add("fuzzy")
    found = [(f.key, f.kind) for f in catalogs.check_catalog(catalog, template)]
    assert found == [("nav.history", "fuzzy"), ("nav.home", "missing"), ("stakeholders.count", "missing")]


def test_check_lists_a_translation_whose_placeholders_differ():
    catalog, template = demo_catalog("es")
    entry(catalog, "common.next").string = "Siguiente: {pagina}"
    entry(catalog, "common.saved_at").string = "Todo guardado a las {time"
    entry(catalog, "summary.groups_missing").string = (
        "{count} de los {total} grupos no tiene a nadie.",
        "{count} de los grupos no tienen a nadie.",
        "{count} de los {total} grupos no tienen a nadie.",
    )
    found = {f.key: f.detail for f in catalogs.check_catalog(catalog, template)}
    assert set(found) == {"common.next", "common.saved_at", "summary.groups_missing"}
    assert found["common.next"] == "has {pagina} where the English has {page}"
    assert found["common.saved_at"].startswith("not a valid template")
    assert "form 1 has {count}" in found["summary.groups_missing"]


def test_check_knows_that_french_uses_the_singular_for_zero_too():
    """In French "1 partie prenante" would also be said of 0: the form for 0 and 1 needs {count}."""
    catalog, template = demo_catalog("fr")
    entry(catalog, "stakeholders.count").string = (
        "1 partie prenante",
        "{count} de parties prenantes",
        "{count} parties prenantes",
    )
    (finding,) = catalogs.check_catalog(catalog, template)
    assert (finding.key, finding.kind) == ("stakeholders.count", "placeholders")
    assert "form 0 is used for several counts (0, 1" in finding.detail
    # In Spanish the first form is for 1 alone, as in English.
    catalog, template = demo_catalog("es")
    entry(catalog, "stakeholders.count").string = (
        "1 parte interesada",
        "{count} de partes interesadas",
        "{count} partes interesadas",
    )
    assert catalogs.check_catalog(catalog, template) == []


def test_check_on_the_command_line_lists_what_is_left_and_fails(capsys, tmp_path):
    locale = tmp_path / "locale"
    shutil.copytree(i18n.LOCALE_DIR, locale)
    path = catalogs.catalog_path("fr", locale)
    catalog = catalogs.read_catalog(path, "fr")
    entry(catalog, "home.create.submit").string = ""  # whatever the translators have done, one is left
    path.write_bytes(catalogs.serialise(catalog))
    assert catalogs.main(["check", "fr"], locale_dir=locale) == 1
    out = capsys.readouterr().out
    assert re.search(r"^fr: (\d+ problems|1 problem)$", out, re.MULTILINE)
    assert "  missing      home.create.submit\n" in out
    assert "nav.home" not in out  # translated
    assert catalogs.main(["stats"], locale_dir=locale) == 0
    stats = capsys.readouterr().out
    fr = re.search(r"^fr: (\d+)/(\d+) translated \(\d+%\), 0 fuzzy$", stats, re.MULTILINE)
    assert fr and int(fr[1]) == int(fr[2]) - 1  # all but the one blanked above
    assert re.search(r"^es: (\d+)/\1 translated \(100%\), 0 fuzzy$", stats, re.MULTILINE)  # Spanish is complete


# --- update -------------------------------------------------------------------------------------------------
def template_of(entries: dict[str, str | tuple[str, str]]) -> Catalog:
    template = Catalog(fuzzy=False)
    for key, english in entries.items():
        template.add(english, context=key)
    return template


def test_update_brings_in_new_strings_marks_changed_ones_fuzzy_and_keeps_removed_ones_as_obsolete():
    catalog = Catalog(locale="fr")
    catalog.add("Workspaces", "Espaces de travail", context="nav.home")
    catalog.add("History", "Historique", context="nav.history")
    catalog.add("Guidance", "Orientations", context="common.guidance")
    catalog.add(
        ("1 stakeholder", "{count} stakeholders"),
        ("{count} partie prenante", "{count} de parties prenantes", "{count} parties prenantes"),
        context="stakeholders.count",
    )
    template = template_of(
        {
            "nav.home": "Workspaces",  # the same
            "nav.history": "Change history",  # changed
            "nav.join": "Join a workshop",  # new
            "stakeholders.count": ("1 stakeholder", "{count} stakeholders"),
        }  # common.guidance: removed
    )
    catalogs.merge(catalog, template)
    assert (entry(catalog, "nav.home").string, entry(catalog, "nav.home").fuzzy) == ("Espaces de travail", False)
    history = entry(catalog, "nav.history")
    assert (history.id, history.string, history.fuzzy, history.previous_id) == (
        "Change history",
        "Historique",
        True,
        ["History"],
    )
    assert (entry(catalog, "nav.join").string or "", entry(catalog, "nav.join").fuzzy) == ("", False)
    assert entry(catalog, "stakeholders.count").string[2] == "{count} parties prenantes"
    assert [m.context for m in catalog.obsolete.values()] == ["common.guidance"]
    # Written and merged again, nothing moves: the files stay as they are until en.yaml changes.
    written = catalogs.serialise(catalog)
    assert b'#| msgid "History"' in written and b'#~ msgctxt "common.guidance"' in written
    again = catalogs.parse_catalog(written, "fr")
    assert again.get("Change history", context="nav.history").previous_id == ["History"]
    catalogs.merge(again, template)
    assert catalogs.serialise(again) == written


def test_a_long_changed_english_string_survives_being_written_and_read_again():
    """Babel wraps a long `#| msgid` like prose, without quotes on the next line; reading it back must give
    the English as it was, or every update would mangle it a little more."""
    old = "Close it: the join code stops working at once. Everything sent so far stays here, with its history."
    catalog = catalogs.parse_catalog(catalogs.serialise(template_of({"workshop.close": old})), "fr")
    entry(catalog, "workshop.close").string = "La fermer"
    catalogs.merge(catalog, template_of({"workshop.close": "Close it now."}))
    written = catalogs.serialise(catalog)
    assert written.count(b"#| ") >= 2  # the old English was long enough to wrap
    again = catalogs.parse_catalog(written, "fr")
    assert entry(again, "workshop.close").previous_id == [old]
    catalogs.merge(again, template_of({"workshop.close": "Close it now."}))
    assert catalogs.serialise(again) == written


def test_update_creates_a_missing_catalog_with_the_languages_plural_rule(tmp_path):
    locale = tmp_path / "locale"
    changed = catalogs.update(locale, ["fr"])
    assert list(changed.values()) == [True, True]
    fr = catalogs.read_catalog(catalogs.catalog_path("fr", locale), "fr")
    assert fr.num_plurals == 3 and len(list(fr)) == len(list(catalogs.build_template()))
    assert entry(fr, "stakeholders.count").string == ("", "", "")
    assert catalogs.update(locale, ["fr"]) == dict.fromkeys(changed, False)


# --- Lookups ------------------------------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("language", "expected"),
    [
        ("en", ["0 stakeholders", "1 stakeholder", "2 stakeholders"]),
        ("fr", ["0 partie prenante", "1 partie prenante", "2 parties prenantes"]),
        ("es", ["0 partes interesadas", "1 parte interesada", "2 partes interesadas"]),
    ],
)
def test_tn_follows_each_languages_plural_rule(language, expected):
    with i18n.language(language):
        assert [i18n.tn("stakeholders.count", n) for n in (0, 1, 2)] == expected


def test_tn_fills_other_values_and_writes_large_counts_the_languages_way():
    with i18n.language("fr"):
        assert (
            i18n.tn("summary.groups_missing", 0, total=16) == "0 groupe de parties prenantes sur 16 ne compte personne."
        )
        assert i18n.tn("stakeholders.count", 1_000_000) == "1\u202f000\u202f000 de parties prenantes"
    with i18n.language("es"):
        assert (
            i18n.tn("summary.groups_missing", 3, total=16)
            == "3 de los 16 grupos de partes interesadas no tienen a nadie."
        )
        assert i18n.tn("stakeholders.count", 1500) == "1.500 partes interesadas"
    assert i18n.tn("stakeholders.count", 1500) == "1,500 stakeholders"


def test_an_untranslated_string_shows_in_english_and_an_unknown_key_still_fails(own_catalogs):
    path = catalogs.catalog_path("fr", own_catalogs)
    catalog = catalogs.read_catalog(path, "fr")
    entry(catalog, "home.create.submit").string = ""  # not translated yet
    entry(catalog, "workshop.connected").string = ("", "", "")
    path.write_bytes(catalogs.serialise(catalog))
    with i18n.language("fr"):
        assert i18n.t("nav.home") == "Espaces de travail"
        assert i18n.t("common.next", page="Atelier") == "Suivant\u00a0: Atelier"
        assert i18n.t("home.create.submit") == "Create workspace"
        assert i18n.tn("workshop.connected", 2) == "2 phones connected"
        with pytest.raises(KeyError, match=r"home\.no_such_string"):
            i18n.t("home.no_such_string")


@pytest.fixture
def own_catalogs(tmp_path, monkeypatch) -> Iterator[Path]:
    """A copy of data/locale that a test may change; the app reads it instead."""
    locale = tmp_path / "locale"
    shutil.copytree(i18n.LOCALE_DIR, locale)
    monkeypatch.setattr(i18n, "LOCALE_DIR", locale)
    i18n.translations.cache_clear()
    yield locale
    i18n.translations.cache_clear()


def test_a_fuzzy_or_broken_translation_shows_in_english(own_catalogs):
    path = catalogs.catalog_path("fr", own_catalogs)
    catalog = catalogs.read_catalog(path, "fr")
    entry(catalog, "nav.home").flags.add("fuzzy")
    entry(catalog, "common.next").string = "Suivant : {pagee}"
    entry(catalog, "stakeholders.count").string = ("{count} partie prenante", "", "{count} parties prenantes")
    path.write_bytes(catalogs.serialise(catalog))
    with i18n.language("fr"):
        assert i18n.t("nav.home") == "Workspaces"
        assert i18n.t("common.next", page="Atelier") == "Next: Atelier"
        assert i18n.tn("stakeholders.count", 0) == "0 stakeholders"
        assert i18n.t("nav.history") == "Historique"


def test_each_thread_has_its_own_language():
    """Two people at the same moment, one in French and one in Spanish (Streamlit runs sessions in threads)."""
    barrier = threading.Barrier(3)
    seen: dict[str, set[str]] = {}

    def person(language: str) -> None:
        with i18n.language(language):
            barrier.wait()
            seen[language] = {i18n.t("nav.home") for _ in range(300)} | {i18n.tn("stakeholders.count", 0)}

    threads = [threading.Thread(target=person, args=(language,)) for language in ("fr", "es")]
    for thread in threads:
        thread.start()
    barrier.wait()
    english = {i18n.t("nav.home") for _ in range(300)}
    for thread in threads:
        thread.join()
    assert seen == {
        "fr": {"Espaces de travail", "0 partie prenante"},
        "es": {"Espacios de trabajo", "0 partes interesadas"},
    }
    assert english == {"Workspaces"}


def language_in_a_new_thread() -> str:
    seen: list[str] = []
    thread = threading.Thread(target=lambda: seen.append(i18n.get_language()))
    thread.start()
    thread.join()
    return seen[0]


def test_a_thread_without_a_choice_asks_the_source_then_takes_the_default():
    """The web layer's source answers for Streamlit's script threads (callbacks included); elsewhere, English."""
    from gcm_guide.web import language  # registers the session's language as the source

    assert language_in_a_new_thread() == "en"  # not a Streamlit script thread
    assert language.session_language() is None
    previous = i18n.use_language_source(lambda: "es")
    try:
        assert previous is language.session_language
        assert language_in_a_new_thread() == "es"
        with i18n.language("fr"):
            assert i18n.get_language() == "fr"  # a context's own choice comes first
        i18n.use_language_source(lambda: None)
        assert language_in_a_new_thread() == "en"
    finally:
        i18n.use_language_source(previous)


# --- Dates, times and numbers ---------------------------------------------------------------------------------
MOMENT = dt.datetime(2026, 11, 30, 14, 5, 7, tzinfo=dt.UTC)


@pytest.fixture
def utc(monkeypatch) -> Iterator[None]:
    """The reader's local time is the server's: UTC here, whatever the machine says."""
    monkeypatch.setenv("TZ", "UTC")
    time.tzset()
    yield
    monkeypatch.undo()
    time.tzset()


@pytest.mark.parametrize(
    ("language", "moment", "with_seconds", "number"),
    [
        ("en", "30 Nov 2026, 14:05", "30 Nov 2026, 14:05:07", "1,234,567"),
        ("fr", "30 nov. 2026, 14:05", "30 nov. 2026, 14:05:07", "1\u202f234\u202f567"),
        ("es", "30 nov 2026, 14:05", "30 nov 2026, 14:05:07", "1.234.567"),
    ],
)
def test_dates_times_and_numbers_are_written_the_languages_way(utc, language, moment, with_seconds, number):
    with i18n.language(language):
        assert i18n.local_time(MOMENT) == moment
        assert i18n.local_time(MOMENT, seconds=True) == with_seconds
        assert i18n.local_time(MOMENT, date=False) == "14:05:07"
        assert i18n.number(1_234_567) == number
        assert i18n.number(12) == "12"


# --- Content in each language -------------------------------------------------------------------------------
@pytest.mark.parametrize("language", ["fr", "es"])
def test_the_guidance_in_each_language_has_the_english_ids(language):
    english, other = load_content("en"), load_content(language)
    for name, items in english.id_lists().items():
        assert [item.id for item in other.id_lists()[name]] == [item.id for item in items], name
    assert other.action1.title != english.action1.title


@pytest.mark.parametrize("language", ["fr", "es"])
def test_a_file_not_yet_translated_falls_back_to_english_and_a_translated_one_keeps_the_numbers(language):
    """rubric.yaml and spreadsheet_import.yaml are English until a language has its own; a translated rubric
    changes only words: thresholds, weights, points, lead order and caveats stay as in English."""
    english, rubric = recommender.load_rubric("en"), recommender.load_rubric(language)
    if not (content_dir := i18n.DATA_DIR / "content" / language).joinpath("rubric.yaml").is_file():
        assert rubric == english
    else:
        assert rubric != english  # its words are the language's own
    assert (rubric.thresholds, rubric.lead_order) == (english.thresholds, english.lead_order)
    assert set(rubric.service_departments) == set(english.service_departments)
    assert {k: (c.weight, c.points) for k, c in rubric.criteria.items()} == {
        k: (c.weight, c.points) for k, c in english.criteria.items()
    }
    assert [(c.id, c.check, c.only_for, bool(c.missing)) for c in rubric.caveats] == [
        (c.id, c.check, c.only_for, bool(c.missing)) for c in english.caveats
    ]
    words, english_words = spreadsheet.vocabulary(language), spreadsheet.vocabulary("en")
    if not content_dir.joinpath("spreadsheet_import.yaml").is_file():
        assert words == english_words
    assert {section: set(words[section]) for section in english_words} == {
        section: set(english_words[section]) for section in english_words
    }


def test_the_work_process_templates_are_translated():
    french = work_processes.load_templates("fr")
    assert french["draft_marker"] != work_processes.load_templates("en")["draft_marker"]


def test_drafts_are_written_in_the_active_language(sqlite_engine):
    """The pages call the drafts without naming a language: they get the reader's."""
    workspace = make_workspace(sqlite_engine, "Lancement")
    data = load(sqlite_engine, workspace.id)
    for language in ("en", "fr"):
        with i18n.language(language):
            content = load_content(language)
            plan = work_processes.draft_work_plan(data, content)
            assert plan.startswith(work_processes.load_templates(language)["draft_marker"])
            assert recommender.recommend_for(data, content).missing


# --- The language of a browser session ----------------------------------------------------------------------
@pytest.fixture
def as_served(monkeypatch):
    """AppTest with the correction gcm_guide.server makes for the real server: without it, AppTest takes the
    pages/ folder for an old-style page folder on every run after the first, and reruns the page's file
    alone (no app.py: no sidebar, no language set-up)."""
    from streamlit.runtime.pages_manager import PagesManager

    original = PagesManager.__init__

    def init(self, *args, **kwargs):
        original(self, *args, **kwargs)
        PagesManager.uses_pages_directory = False

    monkeypatch.setattr(PagesManager, "__init__", init)


def run_app(*, lang: str | None = None, workspace: str | None = None) -> AppTest:
    at = AppTest.from_file(APP, default_timeout=APP_TIMEOUT)
    if lang:
        at.query_params["lang"] = lang
    if workspace:
        at.query_params["ws"] = workspace
        at.session_state[OWNER_GRANTS] = {workspace}
    return at.run()


def menu(at: AppTest) -> list[str]:
    return [link.value for link in at.sidebar.get("page_link")]


def page_language(at: AppTest) -> str:
    (script,) = [e.proto.body for e in at.get("html") if e.proto.body.startswith('<script id="gcm-page-language"')]
    return re.search(r'lang = "(\w+)"', script).group(1)


def test_a_link_with_lang_shows_the_app_in_that_language(app_db):
    at = run_app(lang="fr")
    assert not at.exception
    assert at.title[0].value == "Guide de lancement du Pacte mondial sur les migrations"
    assert menu(at)[:3] == ["Espaces de travail", "Questions d'orientation", "1 · Identifier les parties prenantes"]
    assert "Étape 1 — Lancement" in [c.value for c in at.sidebar.caption]
    assert at.button_group(key="language_switch").value == "fr"
    assert page_language(at) == "fr"


def test_without_lang_the_app_is_in_the_default_language(app_db, monkeypatch):
    at = run_app()
    assert at.title[0].value == "GCM Kick-off Guide" and menu(at)[0] == "Workspaces"
    assert page_language(at) == "en" and "lang" not in at.query_params
    monkeypatch.setenv("GCM_LANGUAGE", "es")
    at = run_app()
    assert at.title[0].value == "Guía de puesta en marcha del Pacto Mundial sobre Migración"
    # A language the app does not offer is dropped from the link.
    at = run_app(lang="de")
    assert menu(at)[0] == "Espacios de trabajo" and "lang" not in at.query_params


def test_the_chosen_language_survives_a_page_switch_and_goes_into_the_link(app_db, as_served):
    at = run_app()
    at.button_group(key="language_switch").set_value("es").run()
    assert at.title[0].value == "Guía de puesta en marcha del Pacto Mundial sobre Migración"
    assert at.query_params["lang"] in ("es", ["es"])
    # A page link drops the URL's parameters; the session remembers and puts it back.
    at.query_params.pop("lang")
    at.switch_page("pages/guiding_questions.py").run()
    assert not at.exception
    assert menu(at)[0] == "Espacios de trabajo"
    assert "Primero abra o cree un espacio de trabajo" in "\n".join(str(e.value) for e in [*at.info, *at.warning])
    assert at.query_params["lang"] in ("es", ["es"]) and page_language(at) == "es"
    # Clicking the language already chosen keeps it.
    at.button_group(key="language_switch").set_value(None).run()
    assert menu(at)[0] == "Espacios de trabajo"
    at.button_group(key="language_switch").set_value("en").run()
    assert menu(at)[0] == "Workspaces" and page_language(at) == "en"


WORKSPACE_PAGES = [spec.file for spec in PAGES if spec.needs_workspace]


@pytest.mark.parametrize("language", ["fr", "es"])
@pytest.mark.parametrize("page_file", WORKSPACE_PAGES)
def test_every_page_runs_in_each_language_with_its_guidance(app_db, as_served, engine_for_app, page_file, language):
    workspace = make_workspace(engine_for_app, "Lancement", country="Sénégal")
    add_stakeholder(engine_for_app, workspace.id, "Ministère de la Santé", "policy_sectors", influence=4)
    at = run_app(lang=language, workspace=workspace.public_id)
    at.switch_page(page_file).run()
    assert not at.exception, at.exception
    assert menu(at)[0] == {"fr": "Espaces de travail", "es": "Espacios de trabajo"}[language]


def test_the_guidance_is_in_the_sessions_language(app_db, as_served, engine_for_app):
    workspace = make_workspace(engine_for_app, "Lancement")
    at = run_app(lang="fr", workspace=workspace.public_id)
    at.switch_page("pages/guiding_questions.py").run()
    french = load_content("fr").guiding_questions
    assert at.title[0].value == french.title
    assert at.text_area(key=f"gq_answer_{french.questions[0].id}").label.endswith(french.questions[0].text)


def test_language_names_are_each_in_their_own_language():
    assert i18n.LANGUAGES == ("en", "fr", "es")
    assert [i18n.LANGUAGE_NAMES[code] for code in i18n.LANGUAGES] == ["English", "Français", "Español"]


@pytest.mark.browser
def test_a_person_switches_language_and_the_page_says_which_it_is_in(page: Page, app_server):
    """In the browser: the switch redraws everything in the language chosen, sets the page's lang attribute
    (for screen readers) and keeps the language in the address across pages and a reload."""
    page.goto(f"{app_server.url}/?lang=fr")
    settle(page)
    expect(page.get_by_role("heading", name="Guide de lancement du Pacte mondial sur les migrations")).to_be_visible()
    expect(page.locator("html")).to_have_attribute("lang", "fr")  # set by a script in the page, just after it
    page.get_by_test_id("stSidebar").get_by_role("radio", name="Español").click()
    settle(page)
    expect(
        page.get_by_role("heading", name="Guía de puesta en marcha del Pacto Mundial sobre Migración")
    ).to_be_visible()
    expect(page.locator("html")).to_have_attribute("lang", "es")
    nav(page, "guiding-questions")
    expect(page.get_by_text("Primero abra o cree un espacio de trabajo")).to_be_visible()
    assert page.url.endswith("/guiding-questions?lang=es")
    page.reload()
    settle(page)
    expect(page.get_by_test_id("stSidebar").get_by_text("Preguntas orientativas")).to_be_visible()
    expect(page.locator("html")).to_have_attribute("lang", "es")
    # The element that sets the attribute takes no room on the page.
    assert page.locator("#gcm-page-language").count() == 1
    assert not page.locator('[data-testid="stElementContainer"]:has(#gcm-page-language)').is_visible()


# --- A workspace's own language for its files ----------------------------------------------------------------------
def test_a_workspace_made_in_french_makes_its_files_in_french(app_db):
    at = run_app(lang="fr")
    at.text_input(key="home_create_name").input("Lancement — Sénégal")
    at.text_input(key="home_create_passcode").input("long enough passcode")
    at.text_input(key="home_create_passcode_again").input("long enough passcode")
    (submit,) = [b for b in at.button if str(b.key).startswith("FormSubmitter:home_create")]
    submit.click().run()
    assert not at.exception
    engine = db.open_database(app_db)
    (created,) = db.run_read(engine, store.list_workspaces)
    engine.dispose()
    assert created.language == "fr"


def test_the_summary_sets_the_language_of_the_files_for_everyone(app_db):
    """The choice is saved with the workspace, not with the person: an English screen keeps showing English while
    the files switch, and the next person to open the summary finds the same choice."""
    engine = db.open_database(app_db)
    workspace = make_workspace(engine, "Lanzamiento — Ecuador", language="es")
    at = open_page(app_db, "pages/summary.py", workspace.public_id)
    assert at.selectbox(key="summary_report_language").value == "es"
    at.selectbox(key="summary_report_language").set_value("fr").run()
    assert not at.exception
    assert load(engine, workspace.id).workspace.language == "fr"
    assert at.title[0].value.startswith("Kick-off summary")  # the screen stays in its own language
    colleague = open_page(app_db, "pages/summary.py", workspace.public_id)
    assert colleague.selectbox(key="summary_report_language").value == "fr"
    engine.dispose()


def test_a_workspace_can_be_in_every_language_the_app_speaks():
    from typing import get_args

    from gcm_guide.models import ReportLanguage

    assert get_args(ReportLanguage) == i18n.LANGUAGES
