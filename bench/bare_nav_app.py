"""The framework's floor for the browser benchmark (bench/browser.py): a Streamlit app of two pages, each a
title, a horizontal radio and one line of text, with Streamlit's own menu (st.navigation) in the sidebar; and
a third page that is only a title and an editable table (100 rows, 8 columns), the floor of a page whose job
is a table; and a fourth page holding the widgets of Action 3 (the set-up page) with a workspace of 1,000
stakeholders, in the app's wide layout, without the app's data, saves or menu: the floor of opening that page
and of a click on one of its answers."""

import pandas as pd
import streamlit as st

OPTIONS = ["One", "Two", "Three"]


def first_page() -> None:
    st.title("Bare app")
    st.radio("A choice", OPTIONS, horizontal=True, key="first_choice")
    st.write("One line of text.")


def second_page() -> None:
    st.title("Second page")
    st.radio("A choice", OPTIONS, horizontal=True, key="second_choice")
    st.write("Another line of text.")


def table_page() -> None:
    st.title("Table page")
    rows = pd.DataFrame(
        {
            "Name": [f"Stakeholder {n}" for n in range(100)],
            "Group": ["Academia", "Trade unions", "Diasporas", "The media"] * 25,
            "Level": ["National", "Local"] * 50,
            "Sector": ["Labour"] * 100,
            "Influence": [n % 5 + 1 for n in range(100)],
            "Interest": [(n * 3) % 5 + 1 for n in range(100)],
            "Affected": [(n * 7) % 5 + 1 for n in range(100)],
            "Status": ["Planned"] * 100,
        }
    )
    st.data_editor(rows, key="table", hide_index=True)


# Action 3 at 1,000 stakeholders (the demo workspace of the benchmark): ten criteria, each a horizontal radio of
# four answers with a help tooltip and a one-line note; two of them answered "yes" or "partly", so each asks for
# a body from the register's government bodies: the 100 the app lists (recommender.BODY_CHOOSER_LIMIT) of the
# demo's 722, and a caption saying so.
CRITERIA = 10
BODY_CRITERIA = (0, 6)
ANSWERS = ["Yes", "Partly", "No", "Not sure yet"]
BODIES = [f"Government body {n}" for n in range(100)]


def criteria_page() -> None:
    st.set_page_config(layout="wide")  # as the app's pages
    st.title("Criteria page")
    st.progress(0.3, text="3 of 10 criteria answered")
    main, side = st.columns([3, 2], gap="large")
    with side:
        with st.container(border=True):
            st.subheader("Recommendation")
            st.success("The answers so far point to an existing body.")
            st.markdown("\n".join(f"- Reason {n}: what the answer says about the set-up." for n in range(4)))
            st.markdown("**Bodies that could lead**")
            st.markdown("\n".join(f"- Government body {n}: named in an answer." for n in range(6)))
            st.markdown("**Keep in mind**")
            st.markdown("- A caveat about the set-up.\n- Another caveat about the set-up.")
            st.expander("How the answers are weighed")
        st.expander("Guidance")
    with main:
        st.subheader("Criteria")
        st.caption("Answer each question; every answer is saved at once.")
        for n in range(CRITERIA):
            with st.container(border=True):
                answer_column, note_column = st.columns([3, 2])
                answer_column.radio(
                    f"Question {n + 1}: could this body lead the implementation?",
                    ANSWERS,
                    index=None,
                    horizontal=True,
                    key=f"criterion_{n}",
                    help="Source: the guidance, Action 3.",
                )
                if n in BODY_CRITERIA:
                    note_column.selectbox("Which body?", BODIES, index=None, accept_new_options=True, key=f"body_{n}")
                    note_column.caption("The list shows 100 of the register's 722 government bodies.")
                note_column.text_input("Note", label_visibility="collapsed", max_chars=2000, key=f"note_{n}")
        st.subheader("Decision")
        st.radio("Chosen set-up", ["An existing body", "A new dedicated body"], index=None, key="decision")
        for name, height in (("Lead bodies", 80), ("Rationale", 120)):
            st.text_area(name, height=height, key=f"decision_{name}")
        st.subheader("Work processes")
        st.caption("- Terms of reference\n- Work plan")
        for name in ("Terms of reference", "Work plan"):
            st.button(f"Draft the {name.lower()}", key=f"draft_{name}")
            st.text_area(name, height=220, key=f"work_{name}")
    st.subheader("Roles")
    st.caption("Who does what in the set-up.")
    st.button("Add the lead body and government stakeholders")
    st.caption("No body in the roles table yet.")
    st.expander("The roles table")


st.navigation(
    [
        st.Page(first_page, title="First page", default=True),
        st.Page(second_page, title="Second page"),
        st.Page(table_page, title="Table page"),
        st.Page(criteria_page, title="Criteria page"),
    ]
).run()
