"""The one way a page's change reaches the store, and what the user is told about it.

Every write from a page (a button, a form, an autosaving field, a table edit, a conflict's "keep mine", the
passcode form) goes through `attempt`. A refused input, a clash with someone else's change, and a database
that is busy or unreachable are handled alike: nothing is half-written, no traceback is shown, the message
waits for the page to show it, and what the user typed stays where they typed it.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from typing import Any, TypeVar

import streamlit as st

from gcm_guide import db, store
from gcm_guide.errors import Conflict, StoreError, Unavailable
from gcm_guide.i18n import describe_error, local_time
from gcm_guide.web import resources
from gcm_guide.web.resources import engine
from gcm_guide.web.text import plain, t

T = TypeVar("T")
_STATUS_KEY = "_save_status"
_ERROR_KEY = "_save_errors"


@dataclass(frozen=True)
class Refused:
    """Why a write did not land. Nothing was written."""

    message: str
    conflict: Conflict | None = None
    retry: bool = False  # the database could not take it just now: the same write may succeed later


def attempt(work: Callable[..., T], /, **kwargs: Any) -> T | Refused:
    """Run a store write in one transaction: its result, or why it was refused."""
    known: store.KnownWrite | None = None

    def work_and_note(*, session: Any, **work_kwargs: Any) -> T:
        nonlocal known
        result = work(session=session, **work_kwargs)
        known = store.known_write(session)  # each try of the transaction says it afresh
        return result

    outcome = _guarded(lambda: db.run_write(engine(), work_and_note, **kwargs))
    if not isinstance(outcome, Refused) and known is not None:
        resources.saved(known)  # the next run need not read the whole workspace again for it
    return outcome


def attempt_in_steps(procedure: Callable[..., T], /, **kwargs: Any) -> T | Refused:
    """Run a write made of several short transactions (gcm_guide.long_writes), given the engine."""
    return _guarded(lambda: procedure(engine(), **kwargs))


def _guarded(call: Callable[[], T]) -> T | Refused:
    # The error's wording carries what the user typed (a duplicate name): shown as text, never as markdown.
    try:
        return call()
    except Conflict as conflict:
        return Refused(plain(describe_error(conflict)), conflict=conflict)
    except Unavailable as exc:
        return Refused(plain(describe_error(exc)), retry=True)
    except StoreError as exc:
        return Refused(plain(describe_error(exc)))


def write(work: Callable[..., T], /, **kwargs: Any) -> T | None:
    """A write for a button or a form: its result, or None with the message left for `show_messages()`."""
    return _written(attempt(work, **kwargs))


def write_in_steps(procedure: Callable[..., T], /, **kwargs: Any) -> T | None:
    """`write` for a write made of several short transactions (gcm_guide.long_writes)."""
    return _written(attempt_in_steps(procedure, **kwargs))


def _written(result: T | Refused) -> T | None:
    if isinstance(result, Refused):
        leave_message(result.message)
        return None
    mark_saved()
    return result


def leave_message(message: str) -> None:
    st.session_state[_ERROR_KEY] = message


def write_table_edit(work: Callable[..., object], conflict_key: str, /, **kwargs: Any) -> bool:
    """A table edit's write: True if it landed. If not, nothing was written: a clash with someone else's
    change waits under `conflict_key` (the table offers mine or theirs), any other reason as the message."""
    outcome = attempt(work, **kwargs)
    if isinstance(outcome, Refused):
        if outcome.conflict is not None:
            st.session_state[conflict_key] = outcome.conflict
        else:
            leave_message(outcome.message)
        return False
    mark_saved()
    return True


def show_messages() -> None:
    """Show (once) the message left by the last write, if any."""
    message = st.session_state.pop(_ERROR_KEY, None)
    if message:
        st.error(message, icon=":material/error:")


def mark_saved() -> None:
    st.session_state[_STATUS_KEY] = datetime.now().astimezone()


def show_save_status(container: Any = None) -> None:
    """'All changes saved' with the time of the last save."""
    target = container or st
    saved_at = st.session_state.get(_STATUS_KEY)
    if saved_at:
        target.caption(t("common.saved_at", time=local_time(saved_at, date=False)), help=t("common.autosave_help"))
    else:
        target.caption(t("common.autosave_note"), help=t("common.autosave_help"))
