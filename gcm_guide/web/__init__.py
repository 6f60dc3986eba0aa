"""The Streamlit edge: what pages call to read and save, ask for access, and draw shared parts of a page.

Everything outside this package is plain Python, testable without Streamlit.
"""
