"""Action 1 — Identify stakeholders: the register, who is not yet covered, and the voices nobody carries."""

import streamlit as st

from gcm_guide import progress, store, tables
from gcm_guide.models import GOVERNMENT_LEVELS, MAX_NAME
from gcm_guide.web import charts_view, frame, import_view, resources, table_columns, unlock
from gcm_guide.web.autosave import adding, form_submitter, just_added
from gcm_guide.web.saving import show_messages, write
from gcm_guide.web.table_editor import editable_table
from gcm_guide.web.text import joined, t, t_plain, tn

workspace = unlock.require_workspace()
content = resources.content()
action = content.action1
data = resources.workspace_data(workspace)
group_names = content.group_names
voice_options = progress.voice_options(data, content)

st.title(t("action.title", number=action.number, title=action.title))
counts = progress.group_counts(data, content)
covered = sum(1 for n in counts.values() if n)
frame.progress(
    covered,
    len(counts),
    t(
        "stakeholders.progress",
        people=tn("stakeholders.count", len(data.stakeholders)),
        covered=covered,
        total=len(counts),
    ),
)

main, side = st.columns([3, 2], gap="large")
# Expanded for a first look; once there are entries the register below comes first, the guidance a click away.
with side, frame.guidance(expanded=not data.stakeholders):
    frame.paragraphs(action.intro)
    st.markdown(action.prompts_intro)
    st.markdown(frame.bullet_list([prompt.text for prompt in action.identification_prompts]))
    st.markdown(f"**{t('stakeholders.groups_title')}**")
    for group in action.stakeholder_groups:
        with st.expander(group.name):
            st.markdown(group.description)
            for example in group.examples:
                st.info(t("stakeholders.example", text=example.text) + frame.footnote_marks(example.footnotes))
    frame.footnote_sources(
        [n for p in action.intro for n in p.footnotes]
        + [n for g in action.stakeholder_groups for e in g.examples for n in e.footnotes]
    )


def score_label(score: int | None) -> str:
    return t_plain("common.not_scored") if score is None else str(score)


ADD_FIELDS = {
    "name": "",
    "group_id": None,
    "government_level": None,
    "sector": "",
    "affected": None,
    "influence": None,
    "interest": None,
    "voices": [],
}


with main:
    with (
        st.expander(
            t("stakeholders.add_title"),
            expanded=not data.stakeholders or adding("stakeholders_add"),
            icon=":material/person_add:",
        ),
        st.form("stakeholders_add_form"),
    ):
        left, right = st.columns(2)
        left.text_input(t("fields.name"), max_chars=MAX_NAME, key="stakeholders_add_name")
        right.selectbox(
            t("fields.group_id"),
            list(group_names),
            index=None,
            format_func=group_names.get,
            placeholder=t("stakeholders.choose_group"),
            key="stakeholders_add_group_id",
        )
        left.selectbox(
            t("fields.government_level"),
            GOVERNMENT_LEVELS,
            index=None,
            format_func=lambda v: t_plain(f"levels.{v}"),
            help=t("stakeholders.level_help"),
            key="stakeholders_add_government_level",
        )
        right.text_input(
            t("fields.sector"),
            max_chars=MAX_NAME,
            placeholder=t("stakeholders.sector_hint"),
            key="stakeholders_add_sector",
        )
        for column, score in zip(st.columns(3), ("affected", "influence", "interest"), strict=True):
            column.select_slider(
                t(f"fields.{score}"),
                [None, 1, 2, 3, 4, 5],
                format_func=score_label,
                key=f"stakeholders_add_{score}",
            )
        st.multiselect(
            t("fields.voices"),
            voice_options,
            format_func=lambda v: progress.voice_label(v, content),
            accept_new_options=True,
            help=t("stakeholders.voices_help"),
            key="stakeholders_add_voices",
        )
        st.form_submit_button(
            t("stakeholders.add_submit"),
            type="primary",
            icon=":material/add:",
            on_click=form_submitter(
                "stakeholders_add",
                ADD_FIELDS,
                lambda values: write(store.add_stakeholder, workspace_id=workspace.id, data=values),
            ),
        )
    with st.expander(t("import.title"), icon=":material/upload_file:"):
        import_view.spreadsheet_import(workspace.id, data, content)
    show_messages()
    if imported := st.session_state.pop("import_done", None):
        st.success(tn("import.done", imported), icon=":material/check:")
    if added := just_added("stakeholders_add"):
        st.success(t("stakeholders.added", name=added.name), icon=":material/check:")

    missing_groups = progress.uncovered_groups(data, content)
    unspoken = progress.unspoken_voices(data, content)
    gaps, voices = st.columns(2)
    with gaps.container(border=True):
        st.markdown(f"**{tn('stakeholders.uncovered_title', len(missing_groups))}**")
        st.markdown(joined((group_names[g] for g in missing_groups), " · ") or t("stakeholders.all_covered"))
    with voices.container(border=True):
        st.markdown(f"**{tn('stakeholders.unspoken_title', len(unspoken))}**")
        st.markdown(joined((v.name for v in unspoken), " · ") or t("stakeholders.all_voices"))
        with (
            st.popover(t("stakeholders.add_voice"), icon=":material/record_voice_over:"),
            st.form("stakeholders_voice_form", clear_on_submit=True, border=False),
        ):
            label = st.text_input(
                t("fields.voice"),
                max_chars=MAX_NAME,
                help=t("stakeholders.add_voice_help"),
                key="stakeholders_voice_label",
            )
            if st.form_submit_button(t("stakeholders.add_voice_submit")):
                if write(store.add_custom_voice, workspace_id=workspace.id, label=label):
                    st.rerun()
                show_messages()

# The table gets the full width: it has many columns.
st.subheader(t("stakeholders.register_title"))
shown_groups = st.pills(
    t("stakeholders.filter"),
    list(group_names),
    selection_mode="multi",
    format_func=group_names.get,
    key="stakeholders_filter",
)
shown = [s for s in data.stakeholders if not shown_groups or s.group_id in shown_groups]
editable_table(
    tables.STAKEHOLDERS,
    shown,
    key="stakeholders_table",
    workspace_id=workspace.id,
    column_config=table_columns.stakeholder_columns(content, voice_options),
    incomplete_message=t("stakeholders.incomplete_rows"),
)
st.caption(t("stakeholders.table_help"))
st.subheader(t("stakeholders.charts_title"))
charts_view.stakeholder_charts(data, content, key="stakeholders")
frame.next_step_link("stakeholders")
