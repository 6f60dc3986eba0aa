"""Widgets that save each change at once, the chooser of the row a form edits, and forms that add an entry.

A field's value and the version it was loaded at are kept in session state; each change is saved with that
version, so a clash with someone else's change shows both values instead of overwriting either.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any, TypeVar

import streamlit as st

from gcm_guide.errors import Conflict
from gcm_guide.web.saving import Refused, attempt, leave_message, mark_saved
from gcm_guide.web.text import Markdown, t

_LEDGER_KEY = "_autosave_ledger"
_NOTHING = object()


# --- Choosing the row a form edits ---------------------------------------------------------------------------
def chosen_row(key: str) -> Any:
    """The option the chooser `key` (see `choose_row`) kept from earlier runs; None before its first run."""
    return st.session_state.get(f"{key}__chosen")


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


def _moved_away(shown_row: tuple[str, Any] | None, key: str, ledger: _Ledger) -> bool:
    """Whether a change arrived from a form for a row that is no longer the one on screen (a click that
    landed while the page moved to another row). The change is refused, with a message by the chooser."""
    if shown_row is None:
        return False
    chooser_key, row = shown_row
    if st.session_state.get(f"{chooser_key}__on_screen") == row:
        return False
    st.session_state[key] = ledger.loaded[key][0]  # the widget shows what is saved again
    st.session_state[f"{chooser_key}__refused"] = t("errors.moved_row")
    return True


# --- Autosaving widgets -------------------------------------------------------------------------------------
@dataclass
class _Ledger:
    """What became of each autosaving field's saves, kept in one plain object in session state.

    Streamlit stops a callback at its next `st.session_state` access when the user clicks again meanwhile
    (each access is a "yield point"), and skips the callbacks still queued. A save that reached the database
    must not be forgotten that way, so after the write only this object is touched (plain dict writes, no
    yield point); and each run compares every field with the database (see `autosave`).
    """

    loaded: dict[str, tuple[Any, int]] = field(default_factory=dict)  # key -> (value saved or loaded, version)
    conflicts: dict[str, Conflict] = field(default_factory=dict)  # key -> the clash to show
    retries: dict[str, str] = field(default_factory=dict)  # key -> why the database could not take it
    refused: dict[str, Any] = field(default_factory=dict)  # key -> a value refused with a message

    def saved(self, key: str, value: Any, version: int) -> None:
        """`value` is what the database holds for the field, at `version`: nothing about it is pending."""
        self.loaded[key] = (value, version)
        for pending in (self.conflicts, self.retries, self.refused):
            pending.pop(key, None)


def _ledger() -> _Ledger:
    ledger = st.session_state.get(_LEDGER_KEY)
    if not isinstance(ledger, _Ledger):
        ledger = st.session_state[_LEDGER_KEY] = _Ledger()
    return ledger


Shown = TypeVar("Shown")  # what the widget returns: a str for a text area, the option for a radio


def autosave(
    widget: Callable[..., Shown],
    *,
    key: str,
    stored: Any,
    version: int,
    save: Callable[..., Any],
    read_value: Callable[[Any], Any] = lambda value: value,
    shown_row: tuple[str, Any] | None = None,
    **widget_kwargs: Any,
) -> Shown:
    """Draw `widget` showing `stored` and save each change through `save(value=, expected_version=, base=)`.

    `save` returns the saved row (with its new `version`). If another person saved this field since we
    loaded it, and this user has no unsaved edit, the widget shows their value. A clash keeps the user's
    value in the widget and shows both values so the user can choose; a database that cannot take the save
    just now keeps it too, with a "Try again" button. `shown_row`: (the key of the `choose_row` chooser,
    the row this widget edits); a change is saved only while that row is on screen.
    """
    ledger = _ledger()

    def save_value() -> None:
        value = read_value(st.session_state[key])
        base_value, base_version = ledger.loaded[key]
        outcome = attempt(save, value=value, expected_version=base_version, base=read_value(base_value))
        _settle(ledger, key, value, outcome)

    loaded = ledger.loaded.get(key)
    if key not in st.session_state or loaded is None:
        st.session_state[key] = stored
        ledger.loaded[key] = (stored, version)
    else:
        shown = read_value(st.session_state[key])
        if loaded[1] != version and shown == read_value(loaded[0]):
            # Someone else saved this field and this user has no unsaved edit: show theirs.
            st.session_state[key] = stored
            ledger.loaded[key] = (stored, version)
        elif shown == read_value(stored):
            # What is shown is what is saved (perhaps by a save whose callback was cut short).
            ledger.saved(key, stored, version)
            st.session_state[key] = st.session_state[key]
        else:
            # Re-assign every run: the browser then always shows the server's value, even after it
            # remounts the widget (which happens when a page switch races with a save on blur).
            st.session_state[key] = st.session_state[key]
            waiting = key in ledger.conflicts or key in ledger.retries or ledger.refused.get(key, _NOTHING) == shown
            if shown != read_value(loaded[0]) and not waiting:
                # A change the user made whose save never ran to the end (a click during a click): save it now.
                save_value()

    def on_change() -> None:
        if not _moved_away(shown_row, key, ledger):
            save_value()

    result = widget(key=key, on_change=on_change, **widget_kwargs)
    _show_retry(ledger, key, save_value)
    _show_conflict(ledger, key, save)
    return result


def _settle(ledger: _Ledger, key: str, value: Any, outcome: Any) -> None:
    """Record what became of a field's save: saved, a clash to resolve, or a refusal to show.

    The ledger is written first and without a yield point; only then the page's messages."""
    if isinstance(outcome, Refused):
        if outcome.conflict is not None:
            ledger.conflicts[key] = outcome.conflict
        elif outcome.retry:
            ledger.retries[key] = outcome.message
        else:
            ledger.refused[key] = value
            leave_message(outcome.message)
        return
    ledger.saved(key, value, outcome.version)
    mark_saved()


def _show_retry(ledger: _Ledger, key: str, save_value: Callable[[], None]) -> None:
    message = ledger.retries.get(key)
    if message:
        st.warning(message, icon=":material/cloud_off:")
        st.button(t("errors.try_again"), key=f"{key}__retry", on_click=save_value, icon=":material/refresh:")


def _show_conflict(ledger: _Ledger, key: str, save: Callable[..., Any]) -> None:
    conflict = ledger.conflicts.get(key)
    if conflict is None:
        return

    def keep_mine() -> None:
        # Saved over the version the user has now seen; a further clash is shown the same way.
        outcome = attempt(save, value=conflict.mine, expected_version=conflict.current_version, base=None)
        _settle(ledger, key, conflict.mine, outcome)

    def keep_theirs() -> None:
        ledger.loaded.pop(key, None)
        ledger.conflicts.pop(key, None)
        st.session_state.pop(key, None)

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
