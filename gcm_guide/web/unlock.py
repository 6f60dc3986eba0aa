"""Opening a workspace: the passcode check (or the owner's OIDC sign-in) before any page shows its contents,
and the passcode a new workspace is given."""

from __future__ import annotations

import streamlit as st

from gcm_guide import access
from gcm_guide.models import Workspace
from gcm_guide.web import session
from gcm_guide.web.saving import Refused, attempt, show_messages, write
from gcm_guide.web.text import t


def require_workspace() -> Workspace:
    """The open workspace, if this session may open it; otherwise what it takes to open one, and a stop."""
    workspace = session.current_workspace()
    if workspace is None:
        st.info(t("common.no_workspace"))
        st.page_link("pages/home.py", label=t("common.go_home"), icon=":material/home:")
        st.stop()
    assert workspace is not None
    if not session.granted(workspace):
        unlock_form(workspace)
        if workspace.passcode_hash is not None:
            recovery_form(workspace)
        st.stop()
    return workspace


def unlock_form(workspace: Workspace) -> None:
    """Ask for the workspace's passcode (or, in OIDC deployments, for the owner's sign-in)."""
    st.subheader(t("access.locked_title", name=workspace.name))
    if session.oidc_mode():
        st.info(t("access.oidc_owner_only"), icon=":material/lock:")
        if session.signed_in_subject() is None:
            st.button(t("access.sign_in"), on_click=st.login, icon=":material/login:")
        return
    legacy = workspace.passcode_hash is None and workspace.owner_subject is None
    with st.form("access_unlock", border=True):
        st.caption(t("access.set_first" if legacy else "access.enter"))
        passcode = st.text_input(
            t("access.passcode"), type="password", max_chars=access.MAX_PASSCODE, key="access_passcode"
        )
        again = (
            st.text_input(t("access.passcode_again"), type="password", key="access_passcode_again") if legacy else None
        )
        submitted = st.form_submit_button(
            t("access.set" if legacy else "access.open"), type="primary", icon=":material/lock_open:"
        )
    if not submitted:
        return
    if legacy:
        if passcode != again:
            st.error(t("access.mismatch"))
            return
        if write(access.set_first_passcode, public_id=workspace.public_id, passcode=passcode):
            session.grant(workspace.public_id)
            st.rerun()
        show_messages()
        return
    outcome = attempt(
        access.try_passcode, public_id=workspace.public_id, passcode=passcode, client=session.client_digest()
    )
    if isinstance(outcome, Refused):
        st.error(outcome.message, icon=":material/error:")
    elif outcome.granted:
        session.grant(workspace.public_id)
        st.rerun()
    elif outcome.wait_seconds:
        st.error(t("access.wait", seconds=outcome.wait_seconds), icon=":material/timer:")
    else:
        st.error(t("access.wrong"), icon=":material/lock:")


def recovery_form(workspace: Workspace) -> None:
    """A forgotten passcode: the recovery code shown when the workspace was made sets a new one."""
    with st.expander(t("access.recover.title"), icon=":material/key:"):
        with st.form("access_recover", border=False):
            st.caption(t("access.recover.intro"))
            code = st.text_input(t("access.recover.code"), max_chars=40, key="access_recovery_code")
            entered = new_passcode_fields("access_recover")
            submitted = st.form_submit_button(t("access.recover.submit"), icon=":material/lock_reset:")
        if not submitted or entered is None:
            return
        passcode, again = entered
        if passcode != again:
            st.error(t("access.mismatch"))
            return
        outcome = attempt(
            access.recover,
            public_id=workspace.public_id,
            recovery_code=code,
            new_passcode=passcode,
            client=session.client_digest(),
        )
        if isinstance(outcome, Refused):
            st.error(outcome.message, icon=":material/error:")
        elif outcome.workspace is not None:
            st.session_state[_RECOVERY_CODE] = outcome.next_code
            session.grant(workspace.public_id)
            st.rerun()
        elif outcome.wait_seconds:
            st.error(t("access.wait", seconds=outcome.wait_seconds), icon=":material/timer:")
        else:
            st.error(t("access.recover.wrong"), icon=":material/lock:")


_RECOVERY_CODE = "_recovery_code_to_keep"


def keep_recovery_code(owner: dict[str, str | None]) -> None:
    """After a workspace was made with `owner` (from new_owner): show its recovery code until the owner says
    they have kept it."""
    if owner.get("recovery_code"):
        st.session_state[_RECOVERY_CODE] = owner["recovery_code"]


def recovery_code_notice() -> None:
    """The recovery code, shown once (until dismissed) on whatever page the owner is on."""
    code = st.session_state.get(_RECOVERY_CODE)
    if not code:
        return
    with st.container(border=True):
        st.markdown(t("access.recovery_notice"))
        st.code(code, language=None)
        if st.button(t("access.recovery_kept"), icon=":material/check:", key="access_recovery_kept"):
            st.session_state.pop(_RECOVERY_CODE, None)
            st.rerun()


def new_passcode_fields(key: str) -> tuple[str, str] | None:
    """Ask for a new workspace's passcode, twice. None in OIDC deployments: the signed-in user owns it."""
    if session.oidc_mode():
        return None
    passcode = st.text_input(
        t("access.new_passcode"),
        type="password",
        key=f"{key}_passcode",
        help=t("access.passcode_help", min=access.MIN_PASSCODE),
    )
    again = st.text_input(t("access.passcode_again"), type="password", key=f"{key}_passcode_again")
    return passcode, again


def new_owner(entered: tuple[str, str] | None) -> dict[str, str | None] | None:
    """Who will own a new workspace, as arguments for access.create_/restore_protected_workspace:
    the signed-in user in OIDC deployments, else the passcode typed twice. None, with a message,
    when the two passcodes differ."""
    if entered is None:
        return {"owner_subject": session.signed_in_subject()}
    passcode, again = entered
    if passcode != again:
        st.error(t("access.mismatch"))
        return None
    return {"passcode": passcode, "recovery_code": access.new_recovery_code()}
