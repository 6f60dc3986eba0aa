"""Action 2 — Create meaningful engagement: understand each stakeholder and plan how to engage them."""

import streamlit as st

from gcm_guide import progress, store
from gcm_guide.models import ENGAGEMENT_STATUSES, MAX_LONG_TEXT
from gcm_guide.web import charts_view, frame, resources, unlock
from gcm_guide.web.autosave import autosave, choose_row
from gcm_guide.web.saving import show_messages
from gcm_guide.web.text import joined, t, t_plain, tn

workspace = unlock.require_workspace()
content = resources.content()
action = content.action2
data = resources.workspace_data(workspace)
group_names = content.group_names

st.title(t("action.title", number=action.number, title=action.title))
show_messages()
without_plan = progress.stakeholders_without_plan(data)
total = len(data.stakeholders)
frame.progress(total - len(without_plan), total, tn("engagement.progress", total, done=total - len(without_plan)))

CHOOSER = "engagement_selected"
main, side = st.columns([3, 2], gap="large")
with side, frame.guidance():
    frame.paragraphs(action.intro)
    st.markdown(f"**{action.understand.title}**")
    st.markdown(frame.bullet_list([q.text for q in action.understand.questions]))
    st.markdown(f"**{action.determine.title}**  \n{action.determine.mechanisms_intro}")
    st.markdown(frame.bullet_list([m.name for m in action.determine.mechanisms]))
    st.markdown(action.determine.mediums_intro + "\n" + frame.bullet_list([m.name for m in action.determine.mediums]))
    st.markdown(action.determine.closing)
    st.markdown(action.determine.consider_intro + "\n" + frame.bullet_list([q.text for q in action.determine.consider]))
    st.markdown(f"**{action.ensure.title}**")
    st.markdown(frame.bullet_list([q.text + frame.footnote_marks(q.footnotes) for q in action.ensure.questions]))
    st.caption(t("engagement.iap2_note", source=action.participation_levels.source))
    frame.footnote_sources([n for q in action.ensure.questions for n in q.footnotes])

with main:
    if not data.stakeholders:
        st.info(t("engagement.no_stakeholders"))
        frame.link("stakeholders")
        st.stop()
    if without_plan:
        names = joined((s.name for s in without_plan[:25]), "; ")
        more = len(without_plan) - 25
        st.warning(
            tn("engagement.missing_plans", len(without_plan), names=names)
            + (t("engagement.and_more", count=more) if more > 0 else ""),
            icon=":material/assignment_late:",
        )
    else:
        st.success(t("engagement.all_planned"), icon=":material/task_alt:")

    by_id = {s.id: s for s in data.stakeholders}
    planless = {s.id for s in without_plan}
    # Opens on the first stakeholder without a plan; after that only the user moves the choice.
    selected_id = choose_row(
        st.selectbox,
        key=CHOOSER,
        options=list(by_id),
        default=without_plan[0].id if without_plan else next(iter(by_id)),
        label=t("engagement.choose"),
        format_func=lambda i: t_plain(
            "engagement.option_missing" if i in planless else "engagement.option_planned",
            name=by_id[i].name,
            group=group_names[by_id[i].group_id],
        ),
    )
    on_screen = (CHOOSER, selected_id)
    stakeholder = by_id[selected_id]
    plan = data.plans.get(selected_id)
    understand_tab, plan_tab = st.tabs([t("engagement.tab_understand"), t("engagement.tab_plan")])

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
                    store.update_stakeholder, question.id, workspace_id=workspace.id, stakeholder_id=selected_id
                ),
                shown_row=on_screen,
            )

    def plan_field(widget, field, stored, **kwargs):
        return autosave(
            widget,
            key=f"eng_{selected_id}_plan_{field}",
            stored=stored,
            version=plan.version if plan else 0,
            label=t(f"fields.{field}"),
            save=store.field_saver(
                store.save_engagement_plan, field, workspace_id=workspace.id, stakeholder_id=selected_id
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
            format_func=content.participation_level_names.get,
        )
        if chosen:
            st.caption(next(lvl.description for lvl in levels if lvl.id == chosen))
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
                format_func=names.get,
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
                store.update_stakeholder, "engagement_status", workspace_id=workspace.id, stakeholder_id=selected_id
            ),
            shown_row=on_screen,
        )

st.subheader(t("engagement.charts_title"))
charts_view.engagement_charts(data, content, key="engagement")
frame.next_step_link("engagement")
