"""The framework's floor for the benchmark: a one-page Streamlit app with a title and one line of text."""

import streamlit as st

st.title("Bare app")
st.write("One line of text.")
