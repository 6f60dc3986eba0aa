"""Action 3 — Choose institutional set-up: the criteria, the decision and the work processes."""

import streamlit as st

from gcm_guide import progress, store, ui
from gcm_guide.i18n import t
from gcm_guide.models import MAX_LONG_TEXT

workspace = ui.require_workspace()
content = ui.content()
action = content.action3
data = ui.workspace_data(workspace)

st.title(t("action.title", number=action.number, title=action.title))
ui.show_messages()
answered = progress.answered_criteria(data, content)
ui.progress(len(answered), len(action.criteria), t("setup.progress", done=len(answered), total=len(action.criteria)))

main, side = st.columns([3, 2], gap="large")
with side, ui.guidance():
    ui.paragraphs(action.intro)
    for option in action.options:
        st.markdown(f"**{option.name}**")
        ui.paragraphs(option.paragraphs)
        for example in option.examples:
            st.info(t("setup.example", title=example.title, text=example.text) + ui.footnote_marks(example.footnotes))
    ui.footnote_sources([n for o in action.options for e in o.examples for n in e.footnotes])

with main:
    st.subheader(t("setup.criteria_title"))
    st.caption(t("setup.criteria_help"))
    for criterion in action.criteria:
        saved = data.setup_answers.get(criterion.id)
        scale = {option.id: option.name for option in action.answer_scales[criterion.scale]}
        with st.container(border=True):
            ui.autosave(
                st.radio,
                key=f"setup_{criterion.id}_answer",
                stored=saved.answer if saved else None,
                version=saved.version if saved else 0,
                label=criterion.question,
                options=list(scale),
                format_func=scale.get,
                index=None,
                horizontal=True,
                help=t("setup.source", source=criterion.source),
                save=store.field_saver(
                    store.save_setup_answer, "answer", workspace_id=workspace.id, criterion_id=criterion.id
                ),
            )
            ui.autosave(
                st.text_input,
                key=f"setup_{criterion.id}_note",
                stored=saved.note if saved else "",
                version=saved.version if saved else 0,
                label=t("setup.note_label"),
                placeholder=t("setup.note_placeholder"),
                max_chars=2000,
                save=store.field_saver(
                    store.save_setup_answer, "note", workspace_id=workspace.id, criterion_id=criterion.id
                ),
            )

    # The recommendation (gcm_guide.recommender) is shown here once the criteria are answered.
    recommendation_area = st.container(border=True, key="setup_recommendation")
    with recommendation_area:
        st.subheader(t("setup.recommendation_title"))
        st.caption(t("setup.recommendation_pending"))

    st.subheader(t("setup.decision_title"))
    decision = data.decision
    version = decision.version if decision else 0

    def decision_field(widget, field, stored, **kwargs):
        return ui.autosave(
            widget,
            key=f"setup_decision_{field}",
            stored=stored,
            version=version,
            label=t(f"fields.{field}"),
            save=store.field_saver(store.save_setup_decision, field, workspace_id=workspace.id),
            **kwargs,
        )

    decision_field(
        st.radio,
        "chosen_option",
        decision.chosen_option if decision else None,
        options=[o.id for o in action.options],
        format_func=content.option_names.get,
        index=None,
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
    st.caption(t("setup.work_processes_help", items=", ".join(w.name.lower() for w in action.work_processes)))
    decision_field(
        st.text_area,
        "terms_of_reference",
        decision.terms_of_reference if decision else "",
        height=140,
        max_chars=MAX_LONG_TEXT,
    )
    decision_field(
        st.text_area, "work_plan", decision.work_plan if decision else "", height=140, max_chars=MAX_LONG_TEXT
    )
    ui.link("awareness", t("common.next", page=t("nav.action4")), icon=":material/arrow_forward:")
