"""Keep an edit the browser sent just before a page switch.

Leaving a text field sends a rerun carrying its new text; a click on the menu right after sends a page-switch
rerun. When the first is still queued as the second arrives (a busy server), Streamlit merges the two
(`script_requests._coalesce_widget_states`) and the newer request's widget states win. The page-switch request
does not carry the field, so its text was dropped before any callback ran: the answer was neither saved nor
shown (tests/test_browser.py). Here the merge keeps an older widget state that the newer request lacks, so the
field's autosave callback runs and saves it; a state the newer request carries still wins.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from streamlit.runtime.scriptrunner_utils import script_requests

# Read without failing here, so that an upgrade that removes it stops the server with install()'s message.
_streamlit_merge: Callable[[Any, Any], Any] = getattr(script_requests, "_coalesce_widget_states", lambda old, new: new)


def keep_pending_widget_states(old_states: Any, new_states: Any) -> Any:
    """Streamlit's merge of two queued reruns' widget states, plus every older state the newer request lacks."""
    merged = _streamlit_merge(old_states, new_states)
    if not old_states or merged is None or merged is old_states:
        return merged
    present = {state.id for state in merged.widgets}
    merged.widgets.extend(state for state in old_states.widgets if state.id not in present)
    return merged


def install() -> None:
    """Use the merge above in this process (calling it again changes nothing)."""
    if not hasattr(script_requests, "_coalesce_widget_states"):
        raise SystemExit(
            "Streamlit no longer has script_requests._coalesce_widget_states (private API used by "
            "gcm_guide/web/pending_edits.py to keep a field's edit sent just before a page switch): check "
            "whether the upstream merge now keeps it, then update that module."
        )
    script_requests._coalesce_widget_states = keep_pending_widget_states
