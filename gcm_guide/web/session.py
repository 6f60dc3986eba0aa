"""This browser session: which workspace it has open (kept in the URL), which workspaces it may open, and a
workshop participant's pass."""

from __future__ import annotations

import hashlib
from typing import cast

import streamlit as st

from gcm_guide import access, participants, store, workshop
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
        # st.user types every claim as any user-info value; the OIDC `email` claim is a string.
        return cast("str | None", st.user.email) if st.user.is_logged_in else None
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
# The participant's pass is kept in the browser (a cookie), so a reload, a phone that slept or a closed tab
# comes back as the same participant, with the same votes; the join page's address only carries the code.
PASS_COOKIE = "gcm_participant"  # noqa: S105 - the name of a cookie, not a secret
CODE_PARAM = "code"


def participant_pass() -> participants.ParticipantPass | None:
    """This browser's workshop pass: from the session, or from the browser's cookie after a reload."""
    held: participants.ParticipantPass | None = st.session_state.get(_PARTICIPANT)
    if held is not None:
        return held
    kept = participants.ParticipantPass.from_text(st.context.cookies.get(PASS_COOKIE, ""))
    if kept is None:
        return None
    try:
        read(participants.check_pass, credential=kept)
    except StoreError:
        return None  # the session closed, or the pass was not genuine: the phone joins afresh
    st.session_state[_PARTICIPANT] = kept
    return kept


def set_participant_pass(credential: participants.ParticipantPass | None) -> None:
    """Keep (or, with None, forget) this browser's pass; `keep_pass_in_browser` then writes the cookie."""
    if credential is None:
        st.session_state.pop(_PARTICIPANT, None)
        st.session_state["_forget_pass"] = True
    else:
        st.session_state[_PARTICIPANT] = credential


def keep_pass_in_browser() -> None:
    """Write the pass into (or remove it from) the browser's cookie when it differs from what the browser holds.
    The script is the app's own; the pass is made of a code, a number and a random URL-safe token."""
    held = st.session_state.get(_PARTICIPANT)
    in_browser = st.context.cookies.get(PASS_COOKIE)
    if held is not None and in_browser != held.as_text():
        value, age = held.as_text(), 24 * 3600
    elif held is None and (in_browser or st.session_state.pop("_forget_pass", False)):
        value, age = "", 0
    else:
        return
    if not all(c.isalnum() or c in "._-" for c in value):
        return
    st.html(
        f"<script>document.cookie = '{PASS_COOKIE}={value}; path=/; max-age={age}; SameSite=Strict';</script>",
        unsafe_allow_javascript=True,
    )


def participant_only() -> bool:
    """A participant's phone: it joined a workshop (or its address carries a join code) and has opened no
    workspace as its owner. It sees the join page only, never an owner's page."""
    if st.session_state.get(_GRANTS):
        return False
    return participant_pass() is not None or bool(st.query_params.get(CODE_PARAM))


def participant_view(credential: participants.ParticipantPass) -> participants.ParticipantView | None:
    """What the participant may see, or None once the session is closed."""
    try:
        return read(participants.participant_view, credential=credential, content=content())
    except StoreError:
        return None


# --- Presenter windows opened by their link ---------------------------------------------------------------------
SHOW_PARAM = "show"


def presenter_link_only() -> bool:
    """A window opened with the read-only presenter link: it sees the projected screen only."""
    return bool(st.query_params.get(SHOW_PARAM)) and not st.session_state.get(_GRANTS)


def projection() -> workshop.Projection | None:
    """The live session the window's presenter link opens (None once closed or replaced)."""
    try:
        return read(workshop.projection, token=st.query_params.get(SHOW_PARAM, ""))
    except StoreError:
        return None


def client_digest() -> str:
    """Where this browser's requests come from, as a digest (the address itself is not kept): to slow down
    passcode guesses and floods of joins per client. "" when unknown (behind some proxies, or in tests)."""
    address = st.context.ip_address
    if not isinstance(address, str) or not address:
        return ""
    return hashlib.sha256(address.encode()).hexdigest()[:32]
