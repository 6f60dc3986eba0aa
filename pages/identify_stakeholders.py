"""Action 1 — Identify stakeholders: the register, who is not yet covered, and the voices nobody carries."""

import streamlit as st

from gcm_guide import progress
from gcm_guide.models import stored_id
from gcm_guide.web import charts_view, frame, import_view, register_view, resources, unlock
from gcm_guide.web.autosave import adding
from gcm_guide.web.text import t, tn

workspace = unlock.require_workspace()
workspace_id = stored_id(workspace)
content = resources.content()
action = content.action1
data = resources.workspace_data(workspace)

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
with side, frame.guidance("stakeholders_guidance", expanded=not data.stakeholders) as shown:
    if shown:
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

with main:
    expanded = not data.stakeholders or adding(register_view.ADD)
    with st.expander(t("stakeholders.add_title"), expanded=expanded, icon=":material/person_add:"):
        register_view.add_form(workspace_id, data, content)
    # Drawn only while open: most visits do not paste or import.
    with frame.folded("paste", t("stakeholders.paste_title"), ":material/playlist_add:") as shown:
        if shown:
            register_view.paste_list(workspace_id, data, content)
    with frame.folded("import", t("import.title"), ":material/upload_file:") as shown:
        if shown:
            import_view.spreadsheet_import(workspace_id, data, content)
    register_view.pasted_confirmation()
    if imported := st.session_state.pop("import_done", None):
        st.success(tn("import.done", imported), icon=":material/check:")
    gaps, voices = st.columns(2)
    with gaps.container(border=True):
        register_view.gaps(workspace_id, data, content)
    with voices.container(border=True):
        register_view.voices(workspace_id, data, content)

# The table gets the full width: it has many columns.
st.subheader(t("stakeholders.register_title"))
register_view.register_table(workspace_id, data, content)
with frame.details("stakeholders_charts", t("stakeholders.charts_title")) as shown:
    if shown:
        charts_view.stakeholder_charts(data, content, key="stakeholders")
frame.next_step_link("stakeholders")
