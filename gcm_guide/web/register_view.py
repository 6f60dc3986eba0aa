"""Action 1's ways into the stakeholder register: one stakeholder at a time, a pasted list, the gaps with the
reasons a team records for them, and the register table with the columns the user picks."""

from __future__ import annotations

from typing import Any

import streamlit as st

from gcm_guide import progress, spreadsheet, store, tables
from gcm_guide.content import Content
from gcm_guide.models import GOVERNMENT_LEVELS, MAX_NAME, REGISTER_TABLE_FIELDS
from gcm_guide.web import frame, table_columns
from gcm_guide.web.autosave import form_submitter, just_added
from gcm_guide.web.saving import show_messages, write
from gcm_guide.web.table_editor import editable_table
from gcm_guide.web.text import joined, name_of, t, t_plain, tn
from gcm_guide.workspace_data import WorkspaceData

ADD = "stakeholders_add"
# Cleared after each entry; the group and the level of government stay, since entries often come in runs.
CLEARED_AFTER_ADD: dict[str, Any] = {
    "name": "",
    "sector": "",
    "affected": None,
    "influence": None,
    "interest": None,
    "voices": [],
}
# The register's columns shown until the user picks: the ones that fit a 1366-pixel-wide screen.
DEFAULT_COLUMNS = ("name", "group_id", "government_level", "influence", "interest", "engagement_status")


def score_label(score: int | None) -> str:
    return t_plain("common.not_scored") if score is None else str(score)


def group_help(content: Content) -> str:
    """What each group of Tool 1 is, in its description's first sentence: the help of the group pickers."""
    lines = []
    for group in content.action1.stakeholder_groups:
        first = group.description.split(". ")[0].rstrip(".")
        lines.append(f"**{group.name}**: {first}.")
    return "\n\n".join(lines)


def add_form(workspace_id: int, data: WorkspaceData, content: Content) -> None:
    """Add one stakeholder; the form stays open for the next, with the group and level kept."""
    group_names = content.group_names
    with st.form(f"{ADD}_form"):
        left, right = st.columns(2)
        left.text_input(t("fields.name"), max_chars=MAX_NAME, key=f"{ADD}_name")
        right.selectbox(
            t("fields.group_id"),
            list(group_names),
            index=None,
            format_func=name_of(group_names),
            placeholder=t("stakeholders.choose_group"),
            help=group_help(content),
            key=f"{ADD}_group_id",
        )
        left.selectbox(
            t("fields.government_level"),
            GOVERNMENT_LEVELS,
            index=None,
            format_func=lambda v: t_plain(f"levels.{v}"),
            help=t("stakeholders.level_help"),
            key=f"{ADD}_government_level",
        )
        right.text_input(
            t("fields.sector"), max_chars=MAX_NAME, placeholder=t("stakeholders.sector_hint"), key=f"{ADD}_sector"
        )
        for column, score in zip(st.columns(3), ("affected", "influence", "interest"), strict=True):
            column.select_slider(
                t(f"fields.{score}"), [None, 1, 2, 3, 4, 5], format_func=score_label, key=f"{ADD}_{score}"
            )
        st.multiselect(
            t("fields.voices"),
            progress.voice_options(data, content),
            format_func=lambda v: progress.voice_label(v, content),
            accept_new_options=True,
            help=t("stakeholders.voices_help"),
            key=f"{ADD}_voices",
        )

        def save(values: dict[str, Any]) -> Any:
            kept = {"group_id": st.session_state.get(f"{ADD}_group_id")}
            kept["government_level"] = st.session_state.get(f"{ADD}_government_level")
            return write(store.add_stakeholder, workspace_id=workspace_id, data=values | kept)

        st.form_submit_button(
            t("stakeholders.add_submit"),
            type="primary",
            icon=":material/add:",
            on_click=form_submitter(ADD, CLEARED_AFTER_ADD, save),
        )
    # Where the eye is: right under the form, and the cursor back in the name for the next entry.
    show_messages()
    if added := just_added(ADD):
        st.success(t("stakeholders.added", name=added.name), icon=":material/check:")
        frame.focus(f"{ADD}_name")


def paste_list(workspace_id: int, data: WorkspaceData, content: Content) -> None:
    """Many names at once (one per line, or a column copied from a spreadsheet) into one group, after a look at
    which are new and which are already there."""
    key = "stakeholders_paste"
    text = st.text_area(t("stakeholders.paste_label"), height=140, key=f"{key}_text", help=t("stakeholders.paste_help"))
    left, right = st.columns(2)
    group = left.selectbox(
        t("fields.group_id"),
        list(content.group_names),
        index=None,
        format_func=name_of(content.group_names),
        placeholder=t("stakeholders.choose_group"),
        help=group_help(content),
        key=f"{key}_group",
    )
    level = right.selectbox(
        t("fields.government_level"),
        GOVERNMENT_LEVELS,
        index=None,
        format_func=lambda v: t_plain(f"levels.{v}"),
        key=f"{key}_level",
    )
    pasted = spreadsheet.pasted_names(text or "")
    if not pasted:
        return
    plan = spreadsheet.sort_pasted(pasted, [s.name for s in data.stakeholders])
    if plan.on_register:
        st.caption(tn("stakeholders.paste_on_register", len(plan.on_register), names=joined(plan.on_register)))
    if plan.repeated:
        st.caption(tn("stakeholders.paste_repeated", len(plan.repeated), names=joined(plan.repeated)))
    if plan.too_long:
        st.caption(tn("stakeholders.paste_too_long", len(plan.too_long), max=MAX_NAME))
    if not plan.new:
        st.info(t("stakeholders.paste_nothing_new"), icon=":material/info:")
        return
    if group is None:
        st.caption(t("stakeholders.paste_choose_group"))
    if st.button(
        tn("stakeholders.paste_submit", len(plan.new)),
        type="primary",
        disabled=group is None,
        icon=":material/playlist_add:",
        key=f"{key}_submit",
    ):
        rows = [{"name": name, "group_id": group, "government_level": level} for name in plan.new]
        if write(store.add_stakeholders, workspace_id=workspace_id, rows=rows):
            st.session_state[f"{key}_done"] = len(rows)
            del st.session_state[f"{key}_text"]
            st.rerun()
    show_messages()


def pasted_confirmation() -> None:
    done = st.session_state.pop("stakeholders_paste_done", None)
    if done:
        st.success(tn("stakeholders.paste_done", done), icon=":material/check:")


def gaps(workspace_id: int, data: WorkspaceData, content: Content) -> None:
    """The groups with nobody, with a reason where the team recorded why; and how to record one."""
    group_names = content.group_names
    uncovered = progress.uncovered_groups(data, content)
    reasons = progress.group_reasons(data)
    unexplained = [g for g in uncovered if g not in reasons]
    if not uncovered:
        st.markdown(f"**{t('stakeholders.all_covered_title')}**")
        st.markdown(t("stakeholders.all_covered"))
        return
    st.markdown(f"**{tn('stakeholders.uncovered_title', len(uncovered))}**")
    if unexplained:
        st.markdown(joined((group_names[g] for g in unexplained), " · "))
    explained = [g for g in uncovered if g in reasons]
    if explained:
        st.caption(t("stakeholders.explained_title"))
        st.markdown(
            frame.bullet_list(
                [t("stakeholders.reason_line", group=group_names[g], reason=reasons[g]) for g in explained]
            )
        )
    with (
        st.popover(t("stakeholders.reason_add"), icon=":material/edit_note:"),
        st.form("stakeholders_reason", border=False),
    ):
        group = st.selectbox(
            t("fields.group_id"), uncovered, format_func=name_of(group_names), key="stakeholders_reason_group"
        )
        reason = st.text_area(t("stakeholders.reason_label"), height=80, key="stakeholders_reason_text")
        st.caption(t("stakeholders.reason_help"))
        if st.form_submit_button(t("stakeholders.reason_submit")):
            if write(store.set_group_reason, workspace_id=workspace_id, group_id=group, reason=reason or ""):
                st.rerun()
            show_messages()


def voices(workspace_id: int, data: WorkspaceData, content: Content) -> None:
    """The under-represented voices nobody on the register speaks for, and adding a voice of the team's own."""
    unspoken = progress.unspoken_voices(data, content)
    if unspoken:
        st.markdown(f"**{tn('stakeholders.unspoken_title', len(unspoken))}**")
        st.markdown(joined((v.name for v in unspoken), " · "))
    else:
        st.markdown(f"**{t('stakeholders.all_voices_title')}**")
        st.markdown(t("stakeholders.all_voices"))
    with (
        st.popover(t("stakeholders.add_voice"), icon=":material/record_voice_over:"),
        st.form("stakeholders_voice_form", clear_on_submit=True, border=False),
    ):
        label = st.text_input(
            t("fields.voice"), max_chars=MAX_NAME, help=t("stakeholders.add_voice_help"), key="stakeholders_voice_label"
        )
        if st.form_submit_button(t("stakeholders.add_voice_submit")):
            if write(store.add_custom_voice, workspace_id=workspace_id, label=label):
                st.rerun()
            show_messages()


def register_table(workspace_id: int, data: WorkspaceData, content: Content) -> None:
    """The register, filtered by group, with the columns the user picks (a compact set by default)."""
    group_names = content.group_names
    filter_column, columns_column = st.columns([3, 2])
    shown_groups = filter_column.pills(
        t("stakeholders.filter"),
        list(group_names),
        selection_mode="multi",
        format_func=name_of(group_names),
        key="stakeholders_filter",
    )
    picked = columns_column.multiselect(
        t("stakeholders.columns"),
        [c for c in REGISTER_TABLE_FIELDS if c != "name"],
        default=[c for c in DEFAULT_COLUMNS if c != "name"],
        format_func=lambda c: t_plain(f"fields.{c}"),
        key="stakeholders_columns",
    )
    shown = [s for s in data.stakeholders if not shown_groups or s.group_id in shown_groups]
    editable_table(
        tables.STAKEHOLDERS,
        shown,
        key="stakeholders_table",
        workspace_id=workspace_id,
        column_config=table_columns.stakeholder_columns(content, progress.voice_options(data, content)),
        incomplete_message=t("stakeholders.incomplete_rows"),
        columns=["name", *(c for c in REGISTER_TABLE_FIELDS if c in picked)],
    )
    st.caption(t("stakeholders.table_help"))
