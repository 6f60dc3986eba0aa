"""Action 3 — Choose institutional set-up: the criteria, the recommendation, the decision and the work processes."""

from collections.abc import Callable
from typing import Any

import streamlit as st

from gcm_guide import progress, recommender, store, tables, work_processes
from gcm_guide.models import MAX_LONG_TEXT, stored_id
from gcm_guide.web import frame, resources, setup_view, table_columns, unlock
from gcm_guide.web.autosave import autosave
from gcm_guide.web.saving import show_messages, write
from gcm_guide.web.table_editor import editable_table
from gcm_guide.web.text import t, tn

workspace = unlock.require_workspace()
workspace_id = stored_id(workspace)
content = resources.content()
action = content.action3
data = resources.workspace_data(workspace)
recommendation = recommender.recommend_for(data, content)
decision = data.decision
version = decision.version if decision else 0

st.title(t("action.title", number=action.number, title=action.title))
show_messages()
answered = progress.answered_criteria(data, content)
applicable = progress.applicable_criteria(data, content)
frame.progress(len(answered), len(applicable), t("setup.progress", done=len(answered), total=len(applicable)))

main, side = st.columns([3, 2], gap="large")
with side:
    # The recommendation sits beside the questions and changes as they are answered.
    with st.container(border=True, key="setup_recommendation"):
        st.subheader(t("setup.recommendation_title"))
        setup_view.recommendation_panel(recommendation, content, key="setup_weighing", compact=True)
        chosen = decision.chosen_option if decision else None
        if recommendation.awaits_acceptance(chosen) and st.button(
            t("setup.rec.accept"), type="primary", icon=":material/check:"
        ):
            write(
                store.accept_recommendation,
                workspace_id=workspace_id,
                option=recommendation.option,
                lead_body=recommendation.suggested_lead,
            )
            st.rerun()
    with frame.guidance("setup_guidance", expanded=False) as shown:
        if shown:
            frame.paragraphs(action.intro)
            for option in action.options:
                st.markdown(f"**{option.name}**")
                frame.paragraphs(option.paragraphs)
                for example in option.examples:
                    example_text = t("setup.example", title=example.title, text=example.text)
                    st.info(example_text + frame.footnote_marks(example.footnotes))
            frame.footnote_sources([n for o in action.options for e in o.examples for n in e.footnotes])


def decision_field(widget: Callable[..., Any], field: str, stored: Any, **kwargs: Any) -> Any:
    return autosave(
        widget,
        key=f"setup_decision_{field}",
        stored=stored,
        version=version,
        label=t(f"fields.{field}"),
        save=store.field_saver(store.save_setup_decision, field, workspace_id=workspace_id),
        **kwargs,
    )


with main:
    st.subheader(t("setup.criteria_title"))
    st.caption(t("setup.criteria_help"))
    answers = progress.setup_answers(data)
    # The bodies a named body can be chosen from: the register's government bodies (or any name typed).
    bodies = recommender.body_choices(data.stakeholders, content)
    for criterion in action.criteria:
        saved = data.setup_answers.get(criterion.id)
        with st.container(border=True):
            if not criterion.applies(answers):
                st.markdown(criterion.question)
                st.caption(t("setup.not_asked"))
                continue
            scale = {option.id: option.name for option in action.answer_scales[criterion.scale]}
            saver = {
                f: store.field_saver(store.save_setup_answer, f, workspace_id=workspace_id, criterion_id=criterion.id)
                for f in ("answer", "body", "note")
            }
            answer_column, note_column = st.columns([3, 2])
            autosave(
                answer_column.radio,
                key=f"setup_{criterion.id}_answer",
                stored=saved.answer if saved else None,
                version=saved.version if saved else 0,
                label=criterion.question,
                options=list(scale),
                format_func=scale.get,
                index=None,
                horizontal=True,
                save=saver["answer"],
                help=t("setup.source", source=criterion.source),
            )
            if criterion.body_prompt and answers.get(criterion.id) in ("yes", "partly"):
                named = saved.body if saved else ""
                autosave(
                    note_column.selectbox,
                    key=f"setup_{criterion.id}_body",
                    stored=named or None,
                    version=saved.version if saved else 0,
                    label=criterion.body_prompt,
                    options=list(dict.fromkeys([*bodies.names, *([named] if named else [])])),
                    index=None,
                    accept_new_options=True,
                    placeholder=t("setup.body_placeholder"),
                    read_value=lambda value: value or "",
                    save=saver["body"],
                )
                if bodies.cut:
                    note_column.caption(tn("setup.body_list_cut", bodies.total, shown=len(bodies.names)))
            autosave(
                note_column.text_input,
                key=f"setup_{criterion.id}_note",
                stored=saved.note if saved else "",
                version=saved.version if saved else 0,
                label=t("setup.note_label"),
                label_visibility="collapsed",
                max_chars=2000,
                placeholder=t("setup.note_placeholder"),
                save=saver["note"],
            )

    st.subheader(t("setup.decision_title"))
    autosave(
        st.radio,
        key="setup_decision_chosen_option",
        stored=decision.chosen_option if decision else None,
        version=version,
        label=t("fields.chosen_option"),
        options=[o.id for o in action.options],
        format_func=content.option_names.get,
        index=None,
        save=store.choice_saver(workspace_id, recommendation.option),
    )
    if decision and decision.chosen_option and recommendation.option:
        if decision.chosen_option == recommendation.option:
            st.caption(t("setup.rec.accepted"))
        else:
            st.warning(t("setup.rec.differs"), icon=":material/edit_note:")
            decision_field(
                st.text_area,
                "deviation_reason",
                decision.deviation_reason,
                height=100,
                max_chars=MAX_LONG_TEXT,
                label_visibility="visible",
            )
    decision_field(
        st.text_area,
        "lead_bodies",
        decision.lead_bodies if decision else "",
        height=80,
        max_chars=MAX_LONG_TEXT,
        help=t("setup.lead_help", bodies=", ".join(b.name for b in action.candidate_lead_bodies)),
    )
    decision_field(
        st.text_area, "rationale", decision.rationale if decision else "", height=120, max_chars=MAX_LONG_TEXT
    )

    st.subheader(t("setup.work_processes_title"))
    st.caption(t("setup.work_processes_help") + "\n" + frame.bullet_list([w.name for w in action.work_processes]))
    # Each draft is written when its button is clicked, not on every run (the work plan reads the whole checklist).
    drafts: dict[str, tuple[str, Callable[[], str]]] = {
        "terms_of_reference": (
            t("setup.draft_tor"),
            lambda: work_processes.draft_terms_of_reference(data, content, recommendation),
        ),
        "work_plan": (t("setup.draft_plan"), lambda: work_processes.draft_work_plan(data, content)),
    }
    for field, (button_label, draft) in drafts.items():
        current = getattr(decision, field) if decision else ""
        with st.popover(button_label, icon=":material/edit_document:") if current.strip() else st.container():
            if current.strip():
                st.caption(t("setup.replace_warning"))
            if st.button(t("setup.replace_confirm") if current.strip() else button_label, key=f"setup_draft_{field}"):
                write(store.save_setup_decision, workspace_id=workspace_id, changes={field: draft()})
                st.rerun()
        decision_field(st.text_area, field, current, height=220, max_chars=MAX_LONG_TEXT)

st.subheader(t("setup.roles_title"))
st.caption(t("setup.roles_help"))
suggestions = work_processes.has_suggested_roles(data, recommendation)
if st.button(t("setup.suggest_roles"), icon=":material/group_add:", disabled=not suggestions):
    suggested = work_processes.suggested_roles(data, recommendation)  # written out only when asked for
    if write(store.add_roles, workspace_id=workspace_id, rows=suggested):
        st.toast(tn("setup.roles_added", len(suggested)))
        st.session_state["setup_roles_table"] = True  # the table opens on the rows just added
        st.rerun()
# The table is a data grid, the costliest thing on this page for the browser to start: it waits in a panel
# that stays open once opened, so the answers above redraw without it. The panel's label never changes (a new
# label would be a new panel, folded again), so the count is a line of its own.
st.caption(tn("setup.roles_table", len(data.roles)) if data.roles else t("setup.roles_table_empty"))
with frame.folded("setup_roles_table", t("setup.roles_table_label"), ":material/table:") as shown:
    if shown:
        editable_table(
            tables.ROLES,
            data.roles,
            key="setup_roles",
            workspace_id=workspace_id,
            column_config=table_columns.role_columns(),
            incomplete_message=t("setup.roles_incomplete"),
        )
frame.next_step_link("setup")
