"""Guiding questions: the six questions to reflect on before the kick-off actions."""

import streamlit as st

from gcm_guide import progress, store
from gcm_guide.models import MAX_LONG_TEXT, stored_id
from gcm_guide.web import frame, resources, unlock
from gcm_guide.web.autosave import autosave
from gcm_guide.web.saving import show_messages
from gcm_guide.web.text import t

workspace = unlock.require_workspace()
workspace_id = stored_id(workspace)
content = resources.content()
questions = content.guiding_questions
data = resources.workspace_data(workspace)

st.title(questions.title)
show_messages()
answered = progress.answered_questions(data, content)
frame.progress(
    len(answered), len(questions.questions), t("guiding.progress", done=len(answered), total=len(questions.questions))
)

main, side = st.columns([3, 2], gap="large")
with side, frame.guidance("guiding_guidance") as shown:
    if shown:
        # "Using this material" already says "Before beginning, reflect on the guiding questions below."
        frame.paragraphs(content.overview.using_this_material.paragraphs)

with main:
    for question in questions.questions:
        answer = data.answers.get(question.id)
        autosave(
            st.text_area,
            key=f"gq_answer_{question.id}",
            stored=answer.text if answer else "",
            version=answer.version if answer else 0,
            save=store.field_saver(store.save_answer, "text", workspace_id=workspace_id, question_id=question.id),
            label=f"{question.number}. {question.text}",
            height=160,
            max_chars=MAX_LONG_TEXT,
            placeholder=t("guiding.placeholder"),
        )
    frame.next_step_link("guiding-questions")
