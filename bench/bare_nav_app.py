"""The framework's floor for the browser benchmark (bench/browser.py): a Streamlit app of two pages, each a
title, a horizontal radio and one line of text, with Streamlit's own menu (st.navigation) in the sidebar; and
a third page that is only a title and an editable table (100 rows, 8 columns), the floor of a page whose job
is a table."""

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


st.navigation(
    [
        st.Page(first_page, title="First page", default=True),
        st.Page(second_page, title="Second page"),
        st.Page(table_page, title="Table page"),
    ]
).run()
