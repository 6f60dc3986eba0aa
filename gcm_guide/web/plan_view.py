"""Action 2 on screen: the plan table (filters, the editable grid with every edit saved at once, all of a batch
or none, a clash shown with both values, and copying one stakeholder's plan to the rows ticked), and one
stakeholder in detail."""

from __future__ import annotations

from typing import Any

import streamlit as st

from gcm_guide import plan_table, progress, store
from gcm_guide.content import Content
from gcm_guide.errors import Conflict
from gcm_guide.i18n import field_label
from gcm_guide.models import ENGAGEMENT_STATUSES, MAX_LONG_TEXT
from gcm_guide.web.autosave import autosave, both_values, choose_row, chosen_row
from gcm_guide.web.saving import show_messages, write, write_table_edit
from gcm_guide.web.text import name_of, t, t_plain, tn
from gcm_guide.workspace_data import WorkspaceData

KEY = "plan_table"


def _columns(content: Content) -> dict[str, Any]:
    levels = content.participation_level_names
    return {
        "selected": st.column_config.CheckboxColumn(t_plain("engagement.table.select"), width="small"),
        "name": st.column_config.TextColumn(t_plain("fields.name"), disabled=True, width="medium"),
        "group": st.column_config.TextColumn(t_plain("fields.group_id"), disabled=True, width="small"),
        "participation_level": st.column_config.SelectboxColumn(
            t_plain("engagement.table.level"),
            options=["", *levels],
            format_func=lambda v: levels.get(str(v), "") if v else "",
        ),
        **{
            field: st.column_config.MultiselectColumn(
                t_plain(f"fields.{field}"), options=list(names), format_func=name_of(names)
            )
            for field, names in (
                ("mechanisms", content.mechanism_names),
                ("mediums", content.medium_names),
                ("phases", content.phase_names),
            )
        },
        "engagement_status": st.column_config.SelectboxColumn(
            t_plain("fields.engagement_status"),
            options=list(ENGAGEMENT_STATUSES),
            format_func=lambda v: t_plain(f"status.{v}"),
            required=True,
        ),
    }


def plan_table_view(workspace_id: int, data: WorkspaceData, content: Content) -> None:
    """Filters, the plan table, and the copy control."""
    group_column, planless_column = st.columns([3, 1], vertical_alignment="bottom")
    groups = group_column.multiselect(
        t("engagement.table.groups"),
        list(content.group_names),
        format_func=name_of(content.group_names),
        placeholder=t_plain("engagement.table.all_groups"),
        key=f"{KEY}_groups",
    )
    only_planless = planless_column.toggle(t("engagement.table.no_plan_only"), key=f"{KEY}_planless")
    planless = {s.id for s in progress.stakeholders_without_plan(data)}
    shown = [
        s for s in data.stakeholders if (not groups or s.group_id in groups) and (not only_planless or s.id in planless)
    ]
    selected: set[int] = st.session_state.setdefault(f"{KEY}_selected", set())
    selected &= {s.id for s in data.stakeholders}
    rows = plan_table.rows_for(shown, data.plans, content, selected)
    round_key = f"{KEY}__round"
    editor_key = f"{KEY}__editor_{st.session_state.get(round_key, 0)}"
    st.session_state[f"{KEY}__rows"] = rows  # the rows as drawn: the editor reports edits by position in them

    def save_edits() -> None:
        edits = plan_table.read_edits(st.session_state[f"{KEY}__rows"], st.session_state[editor_key])
        for stakeholder_id, ticked in edits.selection.items():
            (selected.add if ticked else selected.discard)(stakeholder_id)
        if edits.empty:
            return
        if not write_table_edit(plan_table.apply_edits, f"{KEY}__conflict", workspace_id=workspace_id, edits=edits):
            return
        st.session_state.pop(f"{KEY}__conflict", None)
        st.session_state[round_key] = st.session_state.get(round_key, 0) + 1

    if rows:
        st.data_editor(
            plan_table.frame_for(rows),
            key=editor_key,
            column_config=_columns(content),
            num_rows="fixed",
            hide_index=True,
            width="stretch",
            placeholder="",
            on_change=save_edits,
        )
    else:
        st.caption(t("engagement.table.nobody_shown"))
    show_messages()
    _conflict(workspace_id, round_key)
    _copy(workspace_id, data, content, selected)


def _conflict(workspace_id: int, round_key: str) -> None:
    """Both values of a cell someone else changed meanwhile, and the choice of which to keep."""
    conflict: Conflict | None = st.session_state.get(f"{KEY}__conflict")
    if conflict is None:
        return

    def fresh_table() -> None:
        st.session_state.pop(f"{KEY}__conflict", None)
        st.session_state[round_key] = st.session_state.get(round_key, 0) + 1

    def keep_mine() -> None:
        # Saved over the version now on record; a further clash is shown again.
        version = conflict.current_version
        row = {
            "id": conflict.row_id,
            "name": conflict.row_label,
            "plan_version": version,
            "stakeholder_version": version,
        }
        edits = plan_table.PlanEdits()
        if conflict.field == "engagement_status":
            edits.statuses.append((row, conflict.mine))
        else:
            edits.plans.append((row, {conflict.field: conflict.mine}))
        if write_table_edit(plan_table.apply_edits, f"{KEY}__conflict", workspace_id=workspace_id, edits=edits):
            fresh_table()

    message = t("conflict.table_message", row=str(conflict.row_label or ""), field=field_label(conflict.field))
    both_values(conflict, message, KEY, keep_mine, fresh_table)


def _copy(workspace_id: int, data: WorkspaceData, content: Content, selected: set[int]) -> None:
    """Copy the level, mechanisms, mediums and timing of one stakeholder's plan to the rows ticked."""
    planless = {p.id for p in progress.stakeholders_without_plan(data)}
    names = {s.id: s.name for s in data.stakeholders if s.id not in planless}
    # Drawn (disabled) before the first plan too: appearing after the first click would push the form below
    # down under the user's next click.
    source_column, button_column = st.columns([3, 2], vertical_alignment="bottom")
    with source_column:
        source = choose_row(
            st.selectbox,
            key=f"{KEY}_copy_source",
            options=list(names),
            default=None,
            format_func=name_of(names),
            label=t("engagement.table.copy_from"),
            placeholder=t_plain("engagement.table.copy_choose"),
            disabled=not names,
        )
    targets = [i for i in selected if i != source]
    if button_column.button(
        tn("engagement.table.copy_to", len(targets)) if targets else t("engagement.table.copy_to_none"),
        disabled=source is None or not targets,
        icon=":material/content_copy:",
        key=f"{KEY}_copy",
        help=t("engagement.table.copy_help"),
    ):
        copied = write(plan_table.copy_plan, workspace_id=workspace_id, source_id=source, target_ids=targets)
        if copied:
            selected.clear()
            st.session_state[f"{KEY}__round"] = st.session_state.get(f"{KEY}__round", 0) + 1
            st.session_state[f"{KEY}__copied"] = copied
            st.rerun()
    copied = st.session_state.pop(f"{KEY}__copied", None)
    if copied:
        st.success(tn("engagement.table.copied", copied), icon=":material/check:")


CHOOSER = "engagement_selected"


def _chooser_note(listed: plan_table.ChooserList, query: str, total: int) -> str:
    """What the chooser lists, when it lists fewer stakeholders than the register holds."""
    if not query.strip():
        return tn("engagement.find_listed", total, shown=plan_table.CHOOSER_LIMIT)
    if not listed.matches:
        return t("engagement.find_none", query=query.strip())
    if listed.matches > plan_table.CHOOSER_LIMIT:
        return tn("engagement.find_first", listed.matches, shown=plan_table.CHOOSER_LIMIT)
    return tn("engagement.find_matches", listed.matches)


def stakeholder_detail(workspace_id: int, data: WorkspaceData, content: Content) -> None:
    """One stakeholder at a time: the four "understand" questions, and the whole plan with its long answers.
    The chooser keeps the stakeholder chosen; a change is saved only while its stakeholder is on screen."""
    action = content.action2
    group_names = content.group_names
    without_plan = progress.stakeholders_without_plan(data)
    by_id = {s.id: s for s in data.stakeholders}
    planless = {s.id for s in without_plan}
    # Opens on the first stakeholder without a plan; after that only the user moves the choice.
    chosen = chosen_row(CHOOSER)
    if chosen not in by_id:
        chosen = without_plan[0].id if without_plan else next(iter(by_id))
    listed, query = None, ""
    if len(by_id) > plan_table.CHOOSER_LIMIT:
        # A long register is searched first: the chooser lists the first stakeholders found, and the chosen one.
        query = st.text_input(
            t("engagement.find"),
            key=f"{CHOOSER}_find",
            max_chars=200,
            placeholder=t_plain("engagement.find_placeholder"),
        )
        listed = plan_table.chooser_list(data.stakeholders, group_names, chosen, query)
    selected_id = choose_row(
        st.selectbox,
        key=CHOOSER,
        options=listed.ids if listed else list(by_id),
        default=chosen,
        label=t("engagement.choose"),
        format_func=lambda i: t_plain(
            "engagement.option_missing" if i in planless else "engagement.option_planned",
            name=by_id[i].name,
            group=group_names[by_id[i].group_id],
        ),
    )
    if listed:
        st.caption(_chooser_note(listed, query, len(by_id)))
    on_screen = (CHOOSER, selected_id)
    stakeholder = by_id[selected_id]
    plan = data.plans.get(selected_id)
    # Keyed and tracked, so the open tab stays open while each click saves and redraws the page.
    understand_tab, plan_tab = st.tabs(
        [t("engagement.tab_understand"), t("engagement.tab_plan")], key="engagement_tab", on_change="rerun"
    )

    with understand_tab:
        for question in action.understand.questions:
            autosave(
                st.text_area,
                key=f"eng_{selected_id}_{question.id}",
                stored=getattr(stakeholder, question.id),
                version=stakeholder.version,
                label=question.text,
                height=110,
                max_chars=MAX_LONG_TEXT,
                save=store.field_saver(
                    store.update_stakeholder, question.id, workspace_id=workspace_id, stakeholder_id=selected_id
                ),
                shown_row=on_screen,
            )

    def plan_field(widget: Any, field: str, stored: Any, **kwargs: Any) -> Any:
        return autosave(
            widget,
            key=f"eng_{selected_id}_plan_{field}",
            stored=stored,
            version=plan.version if plan else 0,
            label=t(f"fields.{field}"),
            save=store.field_saver(
                store.save_engagement_plan, field, workspace_id=workspace_id, stakeholder_id=selected_id
            ),
            shown_row=on_screen,
            **kwargs,
        )

    prompts = {q.id: q.text for q in (*action.determine.consider, *action.ensure.questions)}
    with plan_tab:
        levels = action.participation_levels.levels
        chosen = plan_field(
            st.segmented_control,
            "participation_level",
            plan.participation_level if plan else None,
            options=[lvl.id for lvl in levels],
            format_func=name_of(content.participation_level_names),
        )
        # Always a line here, so the options below do not move under a quick second click.
        st.caption(
            next(lvl.description for lvl in levels if lvl.id == chosen) if chosen else t("engagement.level_not_chosen")
        )
        for field, names in (
            ("mechanisms", content.mechanism_names),
            ("mediums", content.medium_names),
            ("phases", content.phase_names),
        ):
            plan_field(
                st.pills,
                field,
                list(getattr(plan, field)) if plan else [],
                options=list(names),
                selection_mode="multi",
                format_func=name_of(names),
                read_value=lambda v: list(v or []),
                help=prompts["modalities"] if field == "mechanisms" else None,
            )
        for field in (
            "time_and_resources",
            "capacity_development",
            "fair_representation",
            "accessibility_measures",
            "information_to_share",
        ):
            plan_field(
                st.text_area,
                field,
                getattr(plan, field) if plan else "",
                height=100,
                max_chars=MAX_LONG_TEXT,
                help=prompts[field],
            )
        autosave(
            st.selectbox,
            key=f"eng_{selected_id}_status",
            stored=stakeholder.engagement_status,
            version=stakeholder.version,
            label=t("fields.engagement_status"),
            options=ENGAGEMENT_STATUSES,
            format_func=lambda v: t_plain(f"status.{v}"),
            save=store.field_saver(
                store.update_stakeholder, "engagement_status", workspace_id=workspace_id, stakeholder_id=selected_id
            ),
            shown_row=on_screen,
        )
        autosave(
            st.date_input,
            key=f"eng_{selected_id}_next_review",
            stored=stakeholder.next_review_on,
            version=stakeholder.version,
            label=t("engagement.next_review"),
            help=t("engagement.next_review_help"),
            save=store.field_saver(
                store.update_stakeholder, "next_review_on", workspace_id=workspace_id, stakeholder_id=selected_id
            ),
            shown_row=on_screen,
        )
