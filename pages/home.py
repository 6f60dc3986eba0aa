"""Home: what the guide is for, and creating, opening, renaming and deleting workspaces."""

import streamlit as st

from gcm_guide import access, long_writes, store
from gcm_guide.i18n import get_language, local_time
from gcm_guide.models import MAX_NAME, WORKSPACE_LEVELS, stored_id
from gcm_guide.web import frame, resources, restore_view, session, unlock
from gcm_guide.web.saving import show_messages, write, write_in_steps
from gcm_guide.web.text import plain, t, t_plain, tn

content = resources.content()
st.title(t("home.title"))
st.markdown(t("home.lead"))
show_messages()

open_now = session.current_workspace()
if open_now is not None:
    with st.container(border=True):
        st.markdown(t("home.open_now", name=open_now.name))
        frame.link("guiding-questions", t("home.continue"), icon=":material/arrow_forward:")

main, side = st.columns([3, 2], gap="large")

with side:
    st.subheader(t("home.create.title"))
    with st.form("home_create", border=True):
        name = st.text_input(
            t("fields.name"), max_chars=MAX_NAME, placeholder=t("home.create.name_placeholder"), key="home_create_name"
        )
        country = st.text_input(
            t("fields.country"),
            max_chars=MAX_NAME,
            placeholder=t("home.create.country_placeholder"),
            key="home_create_country",
        )
        level = st.segmented_control(
            t("fields.level"), WORKSPACE_LEVELS, default="national", format_func=lambda v: t_plain(f"levels.{v}")
        )
        entered = unlock.new_passcode_fields("home_create")
        if st.form_submit_button(
            t("home.create.submit"),
            type="primary",
            icon=":material/add:",
            disabled=session.oidc_mode() and session.signed_in_subject() is None,
        ):
            owner = unlock.new_owner(entered)
            if owner is not None:
                data = {"name": name, "country": country, "level": level, "language": get_language()}
                created = write(access.create_protected_workspace, data=data, **owner)
                if created is not None:
                    unlock.keep_recovery_code(owner)
                    session.grant(created.public_id)
                    session.open_workspace(created.public_id)
                    st.switch_page(
                        "pages/guiding_questions.py", query_params={session.WORKSPACE_PARAM: created.public_id}
                    )
                show_messages()
    if session.oidc_mode() and session.signed_in_subject() is None:
        st.button(t("access.sign_in"), on_click=st.login, icon=":material/login:")
    with st.expander(t("restore.title"), icon=":material/restore:"):
        restore_view.restore_from_backup()
    with frame.guidance("home_guidance", content.overview.using_this_material.title) as shown:
        if shown:
            frame.paragraphs(content.overview.intro)
            frame.paragraphs(content.overview.using_this_material.paragraphs)


def cancel_delete() -> None:
    st.session_state.pop("home_delete_pending", None)


@st.dialog(t("home.delete.title"), on_dismiss=cancel_delete)
def confirm_delete(workspace_id: int, workspace_name: str) -> None:
    st.markdown(t("home.delete.warning", name=workspace_name))
    typed = st.text_input(t("home.delete.type_name"), key="home_delete_typed")
    confirm, cancel = st.columns(2)
    if confirm.button(t("home.delete.confirm"), type="primary", disabled=typed.strip() != workspace_name.strip()):
        if write_in_steps(long_writes.remove_workspace, workspace_id=workspace_id):
            cancel_delete()
            if open_now is not None and open_now.id == workspace_id:
                session.open_workspace(None)
            st.rerun()
        show_messages()
    if cancel.button(t("home.delete.cancel"), on_click=cancel_delete):
        st.rerun()


with main:
    summaries = resources.read(store.workspace_summaries)
    st.subheader(t("home.list.title"))
    if not summaries:
        st.info(t("home.list.empty"))
    for summary in summaries:
        workspace = summary.workspace
        mine = session.granted(workspace)
        with st.container(border=True):
            st.markdown(f"**{plain(workspace.name)}**" + ("" if mine else t("access.locked_marker")))
            # Only the name and place of a workspace this session has not opened: its contents stay private.
            facts = [
                plain(workspace.country) if workspace.country else None,
                t(f"levels.{workspace.level}"),
                tn("home.list.stakeholders", summary.stakeholders) if mine else None,
                t("home.list.answers", count=summary.answers, total=len(content.guiding_questions.questions))
                if mine
                else None,
                t("home.list.edited", when=local_time(workspace.updated_at)),
            ]
            st.caption(" · ".join(fact for fact in facts if fact))
            open_col, rename_col, delete_col = st.columns([1, 1, 1])
            if open_col.button(
                t("home.list.open"), key=f"home_open_{workspace.id}", type="primary", icon=":material/folder_open:"
            ):
                session.open_workspace(workspace.public_id)
                st.switch_page(
                    "pages/guiding_questions.py", query_params={session.WORKSPACE_PARAM: workspace.public_id}
                )
            if not mine:
                continue
            with (
                rename_col.popover(t("home.list.rename"), icon=":material/edit:"),
                st.form(f"home_rename_{workspace.id}", border=False),
            ):
                new_name = st.text_input(
                    t("fields.name"), value=workspace.name, max_chars=MAX_NAME, key=f"home_rename_name_{workspace.id}"
                )
                if st.form_submit_button(t("home.list.rename_submit")):
                    if write(store.update_workspace, workspace_id=workspace.id, changes={"name": new_name}):
                        st.rerun()
                    show_messages()
            if delete_col.button(t("home.list.delete"), key=f"home_delete_{workspace.id}", icon=":material/delete:"):
                st.session_state["home_delete_pending"] = workspace.id
            if st.session_state.get("home_delete_pending") == workspace.id:
                confirm_delete(stored_id(workspace), workspace.name)
