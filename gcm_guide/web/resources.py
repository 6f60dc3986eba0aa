"""What every page run needs: the process's database engine, the guidance content, reads, and the workspace's
data shared between sessions until it changes."""

from __future__ import annotations

import gc
import importlib
import pkgutil
import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any, TypeVar

import streamlit as st
from sqlalchemy import Engine

from gcm_guide import db, history, long_writes, store
from gcm_guide.content import Content, load_content
from gcm_guide.i18n import LANGUAGES, get_language
from gcm_guide.models import Workspace
from gcm_guide.settings import Settings, get_settings
from gcm_guide.web import language
from gcm_guide.workspace_data import WorkspaceData

T = TypeVar("T")


def _close(engine: Engine) -> None:
    engine.dispose()  # an engine dropped from the cache closes its pooled connections, not the collector later


@st.cache_resource(show_spinner=False, on_release=_close)
def _engine_for(url: str) -> Engine:
    # One engine (and connection pool) per database URL per process; migrations run once here, and what a
    # stopped server left half restored or half removed is cleared away.
    engine = db.open_database(url)
    long_writes.clean_up(engine)
    return engine


_settled = False
_settling = threading.Lock()


def settle_startup() -> None:
    """Once per process: import what the pages use and read the guidance in every language, then set all of it
    aside from Python's garbage collector (gc.freeze). Those objects live as long as the process; without this,
    each full collection walks the ~300,000 of them again (100-250 ms on a modest laptop), in the middle of
    whichever run triggered it. A flag, not st.cache_resource: clearing the caches must not freeze again
    (frozen objects are never collected)."""
    global _settled
    with _settling:  # two first runs at once (plain `streamlit run`) settle once
        if _settled:
            return
        _settled = True
        import gcm_guide.web

        for module in pkgutil.iter_modules(gcm_guide.web.__path__, "gcm_guide.web."):
            importlib.import_module(module.name)
        for language_code in LANGUAGES:
            load_content(language_code)
        from gcm_guide.web import pending_edits

        pending_edits.install()  # before anyone's edit reaches this server
        gc.collect()  # what is garbage now is collected, not frozen
        gc.freeze()


def settings() -> Settings:
    return get_settings()


def engine() -> Engine:
    """The process's engine for the configured database; stops the page with a clear message if it fails."""
    from gcm_guide.web.text import t  # the message names the database, which is configuration, not user text

    url = settings().resolved_database_url
    try:
        return _engine_for(url)
    except db.DatabaseUnavailable as exc:
        st.error(t("errors.database_unavailable", detail=str(exc)))
        st.stop()
        raise  # unreachable: st.stop() raises


def content() -> Content:
    """The guidance in the interface language of this session."""
    return load_content(get_language())


def configure(actor: str) -> None:
    """Per-run set-up: this session's language, and who is making changes (for the history)."""
    language.apply(default=settings().gcm_language)
    history.set_actor(actor)


def read(work: Callable[..., T], /, **kwargs: Any) -> T:
    """Run a store read on the process's engine."""
    return db.run_read(engine(), work, **kwargs)


OPEN_WORKSPACES_KEPT = 32  # the loads kept in memory: one per workspace, for this many workspaces


@dataclass
class _Loads:
    """The last load of each workspace, with the last-change time it was loaded for."""

    lock: threading.Lock = field(default_factory=threading.Lock)
    latest: dict[tuple[str, int], tuple[str, WorkspaceData]] = field(default_factory=dict)


@st.cache_resource(show_spinner=False)
def _loads() -> _Loads:
    return _Loads()


def _workspace_data(url: str, workspace_id: int, version: str) -> WorkspaceData:
    # Keyed by the workspace's last-change time, which every write moves on (store._touch_workspace):
    # sessions and reruns share one load until something changes. Treated as read-only. Only the newest load
    # of a workspace is kept: older ones are never asked for again, and each held thousands of objects that
    # every garbage collection walked (a save at 5,000 stakeholders took ever longer as they piled up).
    loads, key = _loads(), (url, workspace_id)
    with loads.lock:
        kept = loads.latest.get(key)
    if kept is not None and kept[0] == version:
        return kept[1]
    data = db.run_read(engine(), store.load_workspace_data, workspace_id=workspace_id)
    with loads.lock:
        loads.latest.pop(key, None)
        # Kept under the time the load itself read (it may be newer than `version`), which is what a write
        # that follows it finds as its `before` (see `saved`).
        loads.latest[key] = (data.workspace.updated_at.isoformat(), data)
        while len(loads.latest) > OPEN_WORKSPACES_KEPT:
            loads.latest.pop(next(iter(loads.latest)))  # the workspace loaded longest ago
    return data


def saved(write: store.KnownWrite) -> None:
    """After a committed write that says exactly what it changed (one answer, plan, decision or checklist
    entry): if the workspace's newest load is of the state that write started from, the state after it is
    that load with the saved rows in place. The next run then need not read the whole workspace again (at
    1,000 stakeholders that read was half of an Action 3 answer's wait). Any other write in between, here or
    on another server, moved the workspace's last-change time on, and the workspace is read again."""
    loads, key = _loads(), (settings().resolved_database_url, write.workspace_id)
    with loads.lock:
        kept = loads.latest.get(key)
        if kept is None or kept[0] != write.before.isoformat():
            return
        after = kept[1].with_saved(write.rows, updated_at=write.after)
        if after is not None:
            loads.latest[key] = (write.after.isoformat(), after)


def workspace_data(workspace: Workspace, *, refresh: bool = False) -> WorkspaceData:
    """Everything in the workspace as it is now. `refresh`: re-read its last-change time first (a fragment
    that reruns on its own holds the workspace row of the page's last full run)."""
    if refresh:
        workspace = read(store.get_workspace, public_id=workspace.public_id)
    assert workspace.id is not None
    return _workspace_data(settings().resolved_database_url, workspace.id, workspace.updated_at.isoformat())
