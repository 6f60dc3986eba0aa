"""Every user-facing interface string, looked up by key from data/ui/<language>.yaml.

Adding French or Spanish means adding data/ui/fr.yaml and data/content/fr/; pages do not change.
"""

from __future__ import annotations

import functools
from collections.abc import Mapping
from datetime import date, datetime
from typing import Any

from gcm_guide.content import DATA_DIR, DEFAULT_LANGUAGE, ContentError, read_yaml
from gcm_guide.errors import Conflict, InputError, NotFound, Problem, StoreError, Unavailable

_language = DEFAULT_LANGUAGE


def set_language(language: str) -> None:
    """Choose the interface language for this process (set once by the app from its settings)."""
    global _language
    _language = language


def get_language() -> str:
    return _language


def _flatten(tree: dict[str, Any], prefix: str = "") -> dict[str, str]:
    flat: dict[str, str] = {}
    for key, value in tree.items():
        path = f"{prefix}{key}"
        if isinstance(value, dict):
            flat |= _flatten(value, f"{path}.")
        else:
            flat[path] = str(value)
    return flat


@functools.cache
def strings(language: str = DEFAULT_LANGUAGE) -> dict[str, str]:
    """All strings of one language, keyed by dotted path (e.g. "home.create.submit")."""
    path = DATA_DIR / "ui" / f"{language}.yaml"
    tree = read_yaml(path)
    if not isinstance(tree, dict):
        raise ContentError(f"{path}: expected a mapping of interface strings")
    return _flatten(tree)


def t(key: str, /, **params: Any) -> str:
    """The interface string `key` in the active language, with `{placeholders}` filled from `params`."""
    table = strings(_language)
    template = table.get(key)
    if template is None:
        template = strings(DEFAULT_LANGUAGE).get(key)
    if template is None:
        raise KeyError(f"missing interface string {key!r} in data/ui/{_language}.yaml")
    return template.format(**params) if params else template


def local_time(moment: datetime, *, date: bool = True, seconds: bool = False) -> str:
    """A moment in the reader's local time, written the way the active language writes it."""
    if not date:
        return moment.astimezone().strftime(t("formats.time"))
    return moment.astimezone().strftime(t("formats.date_time_seconds") if seconds else t("formats.date_time"))


def local_date(day: date) -> str:
    """A calendar date written the way the active language writes it ("3 Dec 2026")."""
    return day.strftime(t("formats.date"))


def tn(key: str, count: int, /, **params: Any) -> str:
    """A string that depends on a count: `key.one` for exactly one, `key.other` otherwise."""
    return t(f"{key}.{'one' if count == 1 else 'other'}", count=count, **params)


def message(key: str, params: Mapping[str, Any]) -> str:
    """An interface string filled with `params`; a key with count-dependent forms takes `params["count"]`."""
    if _known(f"{key}.one") or _known(f"{key}.other"):
        rest = {name: value for name, value in params.items() if name != "count"}
        return tn(key, params["count"], **rest)
    return t(key, **params)


def _known(key: str) -> bool:
    return key in strings(_language) or key in strings(DEFAULT_LANGUAGE)


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
