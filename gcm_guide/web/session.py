"""This browser session: which workspace it has open (kept in the URL), which workspaces it may open, and a
workshop participant's pass."""

from __future__ import annotations

import streamlit as st

from gcm_guide import access, store, workshop
from gcm_guide.errors import NotFound, StoreError
from gcm_guide.models import Workspace
from gcm_guide.web.resources import content, read, settings

WORKSPACE_PARAM = "ws"
_GRANTS = "_owner_grants"
_PARTICIPANT = "_participant_pass"


# --- The open workspace ------------------------------------------------------------------------------------
def open_workspace(public_id: str | None) -> None:
    """Make `public_id` the open workspace for this browser session (None closes it)."""
    if public_id is None:
        st.session_state.pop(WORKSPACE_PARAM, None)
        st.query_params.pop(WORKSPACE_PARAM, None)
    else:
        st.session_state[WORKSPACE_PARAM] = public_id
        st.query_params[WORKSPACE_PARAM] = public_id


def current_workspace() -> Workspace | None:
    """The open workspace: from session state, or from the URL after a reload or a shared link."""
    # The URL first: a link, a bookmark or an edited address says which workspace is meant (access is
    # checked per workspace, so this never opens one the session has not unlocked).
    public_id = st.query_params.get(WORKSPACE_PARAM) or st.session_state.get(WORKSPACE_PARAM)
    if not public_id:
        return None
    try:
        workspace = read(store.get_workspace, public_id=public_id)
    except NotFound:
        open_workspace(None)
        return None
    # Keep it in the URL on every page, so a reload lands the user back here.
    open_workspace(workspace.public_id)
    return workspace


# --- Who may open it ----------------------------------------------------------------------------------------
def oidc_mode() -> bool:
    return settings().gcm_auth == "oidc"


def signed_in_subject() -> str | None:
    """The signed-in person's e-mail (OIDC deployments only)."""
    if not oidc_mode():
        return None
    try:
        return st.user.email if st.user.is_logged_in else None  # type: ignore[return-value]
    except (AttributeError, KeyError):
        return None


def granted(workspace: Workspace) -> bool:
    """Whether this browser session may open and change the workspace."""
    if oidc_mode():
        return access.owner_may_open(workspace, signed_in_subject())
    return workspace.public_id in st.session_state.get(_GRANTS, set())


def grant(public_id: str) -> None:
    st.session_state.setdefault(_GRANTS, set()).add(public_id)


# --- Workshop participants ------------------------------------------------------------------------------------
def participant_pass() -> workshop.ParticipantPass | None:
    """This browser session's workshop pass."""
    return st.session_state.get(_PARTICIPANT)


def set_participant_pass(credential: workshop.ParticipantPass | None) -> None:
    if credential is None:
        st.session_state.pop(_PARTICIPANT, None)
    else:
        st.session_state[_PARTICIPANT] = credential


def participant_only() -> bool:
    """A participant's phone: it joined a workshop and has opened no workspace as its owner."""
    return participant_pass() is not None and not st.session_state.get(_GRANTS)


def participant_view(credential: workshop.ParticipantPass) -> workshop.ParticipantView | None:
    """What the participant may see, or None once the session is closed."""
    try:
        return read(workshop.participant_view, credential=credential, content=content())
    except StoreError:
        return None
