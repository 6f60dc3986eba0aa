"""Widgets that save each change at once, the chooser of the row a form edits, and forms that add an entry.

A field's value and the version it was loaded at are kept in session state; each change is saved with that
version, so a clash with someone else's change shows both values instead of overwriting either.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

import streamlit as st

from gcm_guide.errors import Conflict
from gcm_guide.web.saving import Refused, attempt, leave_message, mark_saved
from gcm_guide.web.text import Markdown, t

_CONFLICT_KEY = "_save_conflicts"
_RETRY_KEY = "_save_retries"


# --- Choosing the row a form edits ---------------------------------------------------------------------------
def choose_row(
    widget: Callable[..., Any],
    *,
    key: str,
    options: Sequence[Any],
    default: Any,
    format_func: Callable[[Any], str],
    **widget_kwargs: Any,
) -> Any:
    """A select box (or radio) choosing which row the form below edits; returns the chosen option.

    The choice changes only when the user changes it. Streamlit keeps a select box's value as the *label*
    of the option, so a label that changes after a save ("no plan yet" → "planned", a rename elsewhere)
    would otherwise lose the choice and the page would fall back to another row; here the chosen option is
    kept under its own key and handed back to the widget on every run. The row drawn below is recorded as
    the one on screen (see `shown_row` in `autosave`).
    """
    chosen_key = f"{key}__chosen"
    chosen = st.session_state.get(chosen_key)
    if chosen not in options:
        chosen = default
    st.session_state[chosen_key] = chosen
    st.session_state[key] = chosen
    st.session_state[f"{key}__on_screen"] = chosen

    def remember() -> None:
        # Read with the labels the user saw when choosing (the previous run's), so this is an option.
        picked = st.session_state.get(key)
        if picked in options:
            st.session_state[chosen_key] = picked

    widget(key=key, options=list(options), format_func=format_func, on_change=remember, **widget_kwargs)
    message = st.session_state.pop(f"{key}__refused", None)
    if message:
        st.warning(message, icon=":material/sync_problem:")
    return chosen


def _moved_away(shown_row: tuple[str, Any] | None, key: str, loaded_key: str) -> bool:
    """Whether a change arrived from a form for a row that is no longer the one on screen (a click that
    landed while the page moved to another row). The change is refused, with a message by the chooser."""
    if shown_row is None:
        return False
    chooser_key, row = shown_row
    if st.session_state.get(f"{chooser_key}__on_screen") == row:
        return False
    st.session_state[key] = st.session_state[loaded_key][0]  # the widget shows what is saved again
    st.session_state[f"{chooser_key}__refused"] = t("errors.moved_row")
    return True


# --- Autosaving widgets -------------------------------------------------------------------------------------
def autosave(
    widget: Callable[..., Any],
    *,
    key: str,
    stored: Any,
    version: int,
    save: Callable[..., Any],
    read_value: Callable[[Any], Any] = lambda value: value,
    shown_row: tuple[str, Any] | None = None,
    **widget_kwargs: Any,
) -> Any:
    """Draw `widget` showing `stored` and save each change through `save(value=, expected_version=, base=)`.

    `save` returns the saved row (with its new `version`). If another person saved this field since we
    loaded it, and this user has no unsaved edit, the widget shows their value. A clash keeps the user's
    value in the widget and shows both values so the user can choose; a database that cannot take the save
    just now keeps it too, with a "Try again" button. `shown_row`: (the key of the `choose_row` chooser,
    the row this widget edits); a change is saved only while that row is on screen.
    """
    loaded_key = f"{key}__loaded"
    loaded = st.session_state.get(loaded_key)
    if key not in st.session_state or (
        loaded is not None and loaded[1] != version and st.session_state[key] == loaded[0]
    ):
        st.session_state[key] = stored
        st.session_state[loaded_key] = (stored, version)
    else:
        if loaded is None:
            st.session_state[loaded_key] = (stored, version)
        # Re-assign every run: the browser then always shows the server's value, even after it
        # remounts the widget (which happens when a page switch races with a save on blur).
        st.session_state[key] = st.session_state[key]

    def save_value() -> None:
        value = read_value(st.session_state[key])
        base_value, base_version = st.session_state[loaded_key]
        _settle(key, loaded_key, attempt(save, value=value, expected_version=base_version, base=read_value(base_value)))

    def on_change() -> None:
        if not _moved_away(shown_row, key, loaded_key):
            save_value()

    result = widget(key=key, on_change=on_change, **widget_kwargs)
    _show_retry(key, save_value)
    _show_conflict(key, loaded_key, save)
    return result


def _settle(key: str, loaded_key: str, outcome: Any) -> None:
    """Record what became of a field's save: saved, a clash to resolve, or a refusal to show."""
    conflicts = st.session_state.setdefault(_CONFLICT_KEY, {})
    retries = st.session_state.setdefault(_RETRY_KEY, {})
    if isinstance(outcome, Refused):
        if outcome.conflict is not None:
            conflicts[key] = outcome.conflict
        elif outcome.retry:
            retries[key] = outcome.message
        else:
            leave_message(outcome.message)
        return
    st.session_state[loaded_key] = (st.session_state[key], outcome.version)
    conflicts.pop(key, None)
    retries.pop(key, None)
    mark_saved()


def _show_retry(key: str, save_value: Callable[[], None]) -> None:
    message = st.session_state.get(_RETRY_KEY, {}).get(key)
    if message:
        st.warning(message, icon=":material/cloud_off:")
        st.button(t("errors.try_again"), key=f"{key}__retry", on_click=save_value, icon=":material/refresh:")


def _show_conflict(key: str, loaded_key: str, save: Callable[..., Any]) -> None:
    conflict: Conflict | None = st.session_state.get(_CONFLICT_KEY, {}).get(key)
    if conflict is None:
        return

    def keep_mine() -> None:
        # Saved over the version the user has now seen; a further clash is shown the same way.
        _settle(
            key, loaded_key, attempt(save, value=conflict.mine, expected_version=conflict.current_version, base=None)
        )

    def keep_theirs() -> None:
        st.session_state.pop(key, None)
        st.session_state.pop(loaded_key, None)
        st.session_state[_CONFLICT_KEY].pop(key, None)

    both_values(conflict, t("conflict.message"), key, keep_mine, keep_theirs)


def both_values(
    conflict: Conflict, message: Markdown, key: str, keep_mine: Callable[[], None], keep_theirs: Callable[[], None]
) -> None:
    """A clash as the user sees it: what they entered beside what someone else saved, and a choice."""
    with st.container(border=True):
        st.warning(message, icon=":material/sync_problem:")
        mine, theirs = st.columns(2)
        mine.caption(t("conflict.mine"))
        mine.text(_as_text(conflict.mine))
        theirs.caption(t("conflict.theirs"))
        theirs.text(_as_text(conflict.theirs))
        buttons = st.columns(2)
        buttons[0].button(t("conflict.keep_mine"), key=f"{key}__keep_mine", on_click=keep_mine)
        buttons[1].button(t("conflict.keep_theirs"), key=f"{key}__keep_theirs", on_click=keep_theirs)


def _as_text(value: Any) -> str:
    if isinstance(value, (list, tuple)):
        return ", ".join(str(v) for v in value) or "—"
    return "—" if value in (None, "") else str(value)


# --- Forms that add an entry ----------------------------------------------------------------------------------
def form_submitter(prefix: str, defaults: dict[str, Any], save: Callable[[dict[str, Any]], Any]) -> Callable[[], None]:
    """An on_click callback for a form whose widgets are keyed `{prefix}_{field}`.

    It saves the values; on success it clears the fields listed in `defaults` for the next entry and
    leaves the result in `just_added(prefix)`. On failure the form keeps what the user typed and the
    message waits.
    """

    def submit() -> None:
        st.session_state[f"{prefix}__submitted"] = True
        values = {field: st.session_state.get(f"{prefix}_{field}", empty) for field, empty in defaults.items()}
        result = save(values)
        if result:
            for field, empty in defaults.items():
                st.session_state[f"{prefix}_{field}"] = empty
            st.session_state[f"{prefix}__added"] = result

    return submit


def adding(prefix: str) -> bool:
    """Whether the `prefix` form was just submitted: keep it open, for the next entry or to show why the
    entry was refused (a refusal inside a closed expander would go unseen, with the typed text hidden)."""
    return bool(st.session_state.pop(f"{prefix}__submitted", False))


def just_added(prefix: str) -> Any:
    """What the last submit of the `prefix` form saved (once), or None."""
    return st.session_state.pop(f"{prefix}__added", None)
