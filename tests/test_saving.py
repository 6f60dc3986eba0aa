"""A save that cannot land (the database busy with someone else's long write, or unreachable) never shows a
traceback and never loses what the user typed: the text stays in the field, with a message and Try again."""

import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager

import pytest
import streamlit as st
from sqlalchemy import create_engine, make_url, text
from streamlit.testing.v1 import AppTest

from gcm_guide import db

from .conftest import APP, APP_TIMEOUT, OWNER_GRANTS, new_postgres_database
from .factories import load, make_workspace

QUESTION = "gq_answer_government_bodies"


@contextmanager
def sqlite_busy(url: str) -> Iterator[None]:
    """Another writer holds SQLite's write lock (as a long restore in one transaction once did)."""
    holder = sqlite3.connect(make_url(url).database, isolation_level=None)
    holder.execute("BEGIN IMMEDIATE")
    try:
        yield
    finally:
        holder.execute("ROLLBACK")
        holder.close()


@contextmanager
def postgres_busy(url: str, workspace_id: int) -> Iterator[None]:
    """Another transaction holds the workspace's row, which every save to the workspace updates."""
    other = create_engine(make_url(url).difference_update_query(["timeout"]))
    with other.connect() as connection:
        transaction = connection.begin()
        connection.execute(text("SELECT id FROM workspace WHERE id = :id FOR UPDATE"), {"id": workspace_id})
        try:
            yield
        finally:
            transaction.rollback()
    other.dispose()


@pytest.fixture
def busy_app(backend, tmp_path, monkeypatch, request) -> Iterator[tuple[str, object]]:
    """The app on a database where a save gives up after a short wait, and a way to make the database busy."""
    if backend == "sqlite":
        url = f"sqlite:///{tmp_path / 'busy.sqlite3'}?timeout=0.3"
        drop = None
    else:
        base, drop = new_postgres_database(request.getfixturevalue("postgres_url"))
        url = f"{base}?timeout=0.3"
    monkeypatch.setenv("DATABASE_URL", url)
    yield url, backend
    st.cache_resource.clear()
    if drop is not None:
        drop()


def test_a_save_while_the_database_is_busy_keeps_the_text_and_can_be_tried_again(busy_app):
    url, backend = busy_app
    engine = db.open_database(url)
    workspace = make_workspace(engine, "Busy day")
    at = AppTest.from_file(APP, default_timeout=APP_TIMEOUT)
    at.query_params["ws"] = workspace.public_id
    at.session_state[OWNER_GRANTS] = {workspace.public_id}
    at.run()
    at.switch_page("pages/guiding_questions.py").run()
    typed = "Ministry of National Security; PICA; Ministry of Labour"
    busy = sqlite_busy(url) if backend == "sqlite" else postgres_busy(url, workspace.id)
    with busy:
        at.text_area(key=QUESTION).input(typed).run()
    assert not at.exception
    assert at.text_area(key=QUESTION).value == typed  # still in the field
    assert any("Not saved yet" in w.value for w in at.warning)
    assert load(engine, workspace.id).answer_text("government_bodies") == ""
    # The database is free again: Try again saves what was typed.
    at.button(key=f"{QUESTION}__retry").click().run()
    assert not at.exception
    assert load(engine, workspace.id).answer_text("government_bodies") == typed
    assert not any("Not saved yet" in w.value for w in at.warning)
    assert at.text_area(key=QUESTION).value == typed
    engine.dispose()


def test_a_form_submitted_while_the_database_is_busy_keeps_what_was_entered(busy_app):
    url, backend = busy_app
    engine = db.open_database(url)
    workspace = make_workspace(engine, "Busy form")
    at = AppTest.from_file(APP, default_timeout=APP_TIMEOUT)
    at.query_params["ws"] = workspace.public_id
    at.session_state[OWNER_GRANTS] = {workspace.public_id}
    at.run()
    at.switch_page("pages/identify_stakeholders.py").run()
    at.text_input(key="stakeholders_add_name").input("Migrant Workers Union")
    at.selectbox(key="stakeholders_add_group_id").set_value("trade_unions")
    busy = sqlite_busy(url) if backend == "sqlite" else postgres_busy(url, workspace.id)
    with busy:
        at.button(key="FormSubmitter:stakeholders_add_form-Add to register").click().run()
    assert not at.exception
    assert any("Not saved yet" in e.value for e in at.error)
    assert at.text_input(key="stakeholders_add_name").value == "Migrant Workers Union"
    assert load(engine, workspace.id).stakeholders == []
    at.button(key="FormSubmitter:stakeholders_add_form-Add to register").click().run()
    assert [s.name for s in load(engine, workspace.id).stakeholders] == ["Migrant Workers Union"]
    engine.dispose()
