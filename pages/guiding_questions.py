"""Guiding questions: the six questions to reflect on before the kick-off actions."""

import streamlit as st

from gcm_guide import progress, store, ui
from gcm_guide.i18n import t
from gcm_guide.models import MAX_LONG_TEXT

workspace = ui.require_workspace()
content = ui.content()
questions = content.guiding_questions
data = ui.workspace_data(workspace)

st.title(questions.title)
ui.show_messages()
answered = progress.answered_questions(data, content)
ui.progress(
    len(answered), len(questions.questions), t("guiding.progress", done=len(answered), total=len(questions.questions))
)

main, side = st.columns([3, 2], gap="large")
with side, ui.guidance():
    st.markdown(questions.intro)
    ui.paragraphs(content.overview.using_this_material.paragraphs)

with main:
    for question in questions.questions:
        answer = data.answers.get(question.id)
        ui.autosave(
            st.text_area,
            key=f"gq_answer_{question.id}",
            stored=answer.text if answer else "",
            version=answer.version if answer else 0,
            save=store.field_saver(store.save_answer, "text", workspace_id=workspace.id, question_id=question.id),
            label=f"{question.number}. {question.text}",
            height=160,
            max_chars=MAX_LONG_TEXT,
            placeholder=t("guiding.placeholder"),
        )
    ui.next_step_link("guiding-questions")
