"""Every user-facing interface string, looked up by key, in the language of the person reading it.

English is the source: data/ui/en.yaml (keys → text; count-dependent strings are maps with `one`/`other`).
Other languages are gettext catalogs made from it, data/locale/<lang>/LC_MESSAGES/messages.po (see
gcm_guide.catalogs), with the dotted key as each entry's context. A string not yet translated, or whose
translation is fuzzy, is shown in English.

The language is chosen per person: each thread or context has its own (`language(...)` for plain Python
callers, `use_language_source(...)` for the web layer, which answers from the Streamlit session), and
otherwise the default language.
"""

from __future__ import annotations

import functools
import gettext
import io
from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager
from contextvars import ContextVar
from datetime import date as Date  # noqa: N812 - `date` is also local_time's keyword
from datetime import datetime
from typing import Any

from babel import Locale, dates, numbers
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po

from gcm_guide.content import DATA_DIR, DEFAULT_LANGUAGE, ContentError, read_yaml
from gcm_guide.errors import Conflict, InputError, NotFound, Problem, StoreError, Unavailable

# The languages the app offers, each with its name in itself (how a person finds their own).
LANGUAGES: tuple[str, ...] = ("en", "fr", "es")
LANGUAGE_NAMES: dict[str, str] = {"en": "English", "fr": "Français", "es": "Español"}
SOURCE_FILE = DATA_DIR / "ui" / f"{DEFAULT_LANGUAGE}.yaml"
LOCALE_DIR = DATA_DIR / "locale"
DOMAIN = "messages"
# CLDR locales for dates and numbers: the interface's English is British (organisation, programme), and so
# are its dates and its 24-hour clock.
_FORMAT_LOCALES = {"en": "en_GB"}

# --- Which language ------------------------------------------------------------------------------------------
_chosen: ContextVar[str | None] = ContextVar("gcm_language", default=None)
_source: Callable[[], str | None] | None = None


def supported(language: Any) -> str | None:
    """`language` if the app offers it, else None (for values from a URL or a form)."""
    return language if isinstance(language, str) and language in LANGUAGES else None


def use_language_source(source: Callable[[], str | None] | None) -> Callable[[], str | None] | None:
    """Where the language comes from when this context has not chosen one: the web layer passes a function
    that answers with the language of the Streamlit session running the current thread (None elsewhere).
    Returns the source it replaces."""
    global _source
    previous, _source = _source, source
    return previous


def get_language() -> str:
    """The language of the current context: its own choice, else its source's answer, else the default."""
    chosen = _chosen.get()
    if chosen is None and _source is not None:
        chosen = _source()
    return chosen or DEFAULT_LANGUAGE


def set_language(language: str) -> None:
    """Choose the language for the rest of the current thread or context (other threads keep theirs)."""
    _chosen.set(language)


@contextmanager
def language(language: str) -> Iterator[str]:
    """Use `language` inside the block, in this thread or context only (reports, scripts, tests)."""
    token = _chosen.set(language)
    try:
        yield language
    finally:
        _chosen.reset(token)


# --- The English source --------------------------------------------------------------------------------------
def _flatten(tree: dict[str, Any], prefix: str, flat: dict[str, str], plural: set[str]) -> None:
    for key, value in tree.items():
        path = f"{prefix}{key}"
        if isinstance(value, dict):
            if set(value) == {"one", "other"}:
                plural.add(path)
            _flatten(value, f"{path}.", flat, plural)
        else:
            flat[path] = str(value)


@functools.cache
def _source_strings() -> tuple[dict[str, str], frozenset[str]]:
    tree = read_yaml(SOURCE_FILE)
    if not isinstance(tree, dict):
        raise ContentError(f"{SOURCE_FILE}: expected a mapping of interface strings")
    flat: dict[str, str] = {}
    plural: set[str] = set()
    _flatten(tree, "", flat, plural)
    return flat, frozenset(plural)


def strings() -> dict[str, str]:
    """Every English string, keyed by dotted path ("home.create.submit"; "stakeholders.count.one")."""
    return _source_strings()[0]


def plural_keys() -> frozenset[str]:
    """The keys of count-dependent strings ("stakeholders.count"), whose forms are `<key>.one`/`.other`."""
    return _source_strings()[1]


# --- Translations --------------------------------------------------------------------------------------------
@functools.cache
def translations(language: str) -> gettext.GNUTranslations | None:
    """The language's catalog compiled in memory, holding only finished translations (none missing a plural
    form, none fuzzy); None for English and for a language without a catalog."""
    path = LOCALE_DIR / language / "LC_MESSAGES" / f"{DOMAIN}.po"
    if language == DEFAULT_LANGUAGE or not path.is_file():
        return None
    with path.open("rb") as file:
        catalog = read_po(file, locale=language, domain=DOMAIN)
    unfinished = [
        message
        for message in list(catalog)[1:]
        if message.fuzzy or not (all(message.string) if isinstance(message.string, (list, tuple)) else message.string)
    ]
    for message in unfinished:
        catalog.delete(message.id, context=message.context)
    compiled = io.BytesIO()
    write_mo(compiled, catalog, use_fuzzy=False)
    compiled.seek(0)
    return gettext.GNUTranslations(compiled)


def _fill(template: str, english: str, params: dict[str, Any]) -> str:
    if not params:
        return template
    try:
        return template.format(**params)
    except (KeyError, IndexError, ValueError):  # a translation with a mistyped placeholder: show the English
        return english.format(**params)


def t(key: str, /, **params: Any) -> str:
    """The interface string `key` in the active language, with `{placeholders}` filled from `params`."""
    english = strings().get(key)
    if english is None:
        raise KeyError(f"missing interface string {key!r} in {SOURCE_FILE.relative_to(DATA_DIR.parent)}")
    catalog = translations(get_language())
    template = english if catalog is None else catalog.pgettext(key, english)
    return _fill(template, english, params)


def tn(key: str, count: int, /, **params: Any) -> str:
    """A string that depends on a count, in the form the active language's plural rule picks for `count`
    (English and Spanish: one for exactly 1; French: one for 0 and 1). `{count}` is written with the
    language's digit grouping."""
    source = strings()
    form = f"{key}.{'one' if count == 1 else 'other'}"
    one, other = source.get(f"{key}.one"), source.get(f"{key}.other")
    if one is None or other is None:
        raise KeyError(f"missing interface string {form!r} in {SOURCE_FILE.relative_to(DATA_DIR.parent)}")
    english = one if count == 1 else other
    catalog = translations(get_language())
    # Without a finished translation, npgettext answers with the English forms and the English rule.
    template = english if catalog is None else catalog.npgettext(key, one, other, count)
    return _fill(template, english, {"count": number(count), **params})


def message(key: str, params: Mapping[str, Any]) -> str:
    """An interface string filled with `params`; a key with count-dependent forms takes `params["count"]`."""
    if _known(f"{key}.one") or _known(f"{key}.other"):
        rest = {name: value for name, value in params.items() if name != "count"}
        return tn(key, params["count"], **rest)
    return t(key, **params)


# --- Dates, times and numbers --------------------------------------------------------------------------------
@functools.cache
def _locale(language: str) -> Locale:
    return Locale.parse(_FORMAT_LOCALES.get(language, language))


def number(value: float) -> str:
    """A count or an amount written the active language's way (1,000 · 1 000 · 1.000)."""
    return numbers.format_decimal(value, locale=_locale(get_language()))


def local_time(moment: datetime, *, date: bool = True, seconds: bool = False) -> str:
    """A moment in the reader's local time, written the active language's way ("30 Nov 2026, 14:05",
    "30 nov. 2026, 14:05"). Without the date, the time has its seconds (for "saved at …")."""
    local = moment.astimezone()
    locale = _locale(get_language())
    time = dates.format_time(local, "medium" if seconds or not date else "short", locale=locale)
    if not date:
        return time
    day = dates.format_date(local, "medium", locale=locale)
    pattern = dates.get_datetime_format("medium", locale=locale)
    return str(pattern).replace("'", "").replace("{1}", day).replace("{0}", time)


def local_date(day: Date) -> str:
    """A calendar date written the active language's way ("3 Dec 2026", "3 déc. 2026")."""
    return dates.format_date(day, "medium", locale=_locale(get_language()))


# --- Field names and errors ----------------------------------------------------------------------------------
def _known(key: str) -> bool:
    return key in strings()


def field_label(field: str) -> str:
    """A readable name for a field path such as "name" or "stakeholders.3.influence" (from a file)."""
    parts = field.split(".")
    labels = []
    index = 0
    while index < len(parts):
        part = parts[index]
        following = parts[index + 1] if index + 1 < len(parts) else None
        if following is not None and following.isdigit() and _known(f"items.{part}"):
            labels.append(t(f"items.{part}", number=int(following) + 1))
            index += 2
            continue
        if not part.isdigit():  # a position in a list of values: the field's name says enough
            labels.append(t(f"fields.{part}") if _known(f"fields.{part}") else part)
        index += 1
    return " › ".join(labels)


def describe_problem(problem: Problem) -> str:
    """One problem as a phrase: the field and what is wrong with it."""
    key = f"errors.input.{problem.code}"
    known = _known(key) or _known(f"{key}.one")
    explained = message(key, problem.params) if known else t("errors.input.invalid")
    part = t("errors.field_problem", field=field_label(problem.field), problem=explained)
    if problem.params.get("row"):
        part = t("errors.in_row", row=problem.params["row"], problem=part)
    return part


def problems_text(error: StoreError) -> str:
    """Just the problems of an error, for messages that say themselves what was refused."""
    if isinstance(error, InputError):
        return " ".join(describe_problem(p) for p in error.problems)
    return describe_error(error)


def describe_error(error: StoreError) -> str:
    """A sentence telling the user what was wrong and that nothing was saved."""
    if isinstance(error, InputError):
        return t("errors.not_saved", problems=" ".join(describe_problem(p) for p in error.problems))
    if isinstance(error, NotFound):
        return t("errors.not_found", entity=t(f"entities.{error.entity}"))
    if isinstance(error, Conflict):
        return t("errors.conflict")
    if isinstance(error, Unavailable):
        return t("errors.unavailable")
    return t("errors.generic")
