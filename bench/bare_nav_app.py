"""The framework's floor for the browser benchmark (bench/browser.py): a two-page Streamlit app, each page a
title, a horizontal radio and one line of text, with Streamlit's own menu (st.navigation) in the sidebar."""

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


st.navigation([st.Page(first_page, title="First page", default=True), st.Page(second_page, title="Second page")]).run()
