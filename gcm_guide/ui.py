"""The Streamlit side of the package: cached resources, the open workspace, and autosaving widgets.

Everything else in gcm_guide is plain Python; this is the one module pages lean on for Streamlit glue.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from datetime import datetime
from typing import Any

import streamlit as st
from sqlalchemy import Engine

from gcm_guide import access, db, history, navigation, store, tables, workshop
from gcm_guide.content import Content, Paragraph, load_content
from gcm_guide.errors import Conflict, NotFound, StoreError
from gcm_guide.i18n import describe_error, field_label, get_language, local_time, set_language, t
from gcm_guide.models import Workspace
from gcm_guide.settings import get_settings

WORKSPACE_PARAM = "ws"
_STATUS_KEY = "_save_status"
_ERROR_KEY = "_save_errors"
_CONFLICT_KEY = "_save_conflicts"


# --- Resources ------------------------------------------------------------------------------------------
@st.cache_resource(show_spinner=False)
def _engine_for(url: str) -> Engine:
    # One engine (and connection pool) per database URL per process; migrations run once here.
    return db.open_database(url)


def engine() -> Engine:
    """The process's engine for the configured database; stops the page with a clear message if it fails."""
    url = get_settings().resolved_database_url
    try:
        return _engine_for(url)
    except db.DatabaseUnavailable as exc:
        st.error(t("errors.database_unavailable", detail=str(exc)))
        st.stop()
        raise  # unreachable: st.stop() raises


def content() -> Content:
    return load_content(get_language())


def configure() -> None:
    """Per-run set-up from settings (interface language) and who is making changes (for the history)."""
    set_language(get_settings().gcm_language)
    history.set_actor(signed_in_subject() or "")


def oidc_mode() -> bool:
    return get_settings().gcm_auth == "oidc"


def signed_in_subject() -> str | None:
    """The signed-in person's e-mail (OIDC deployments only)."""
    if not oidc_mode():
        return None
    try:
        return st.user.email if st.user.is_logged_in else None  # type: ignore[attr-defined, return-value]
    except (AttributeError, KeyError):
        return None


def read(work: Callable[..., Any], /, **kwargs: Any) -> Any:
    return db.run_read(engine(), work, **kwargs)


def write(work: Callable[..., Any], /, **kwargs: Any) -> Any:
    """Run a store write and return its result (True if it returns nothing).

    On a user-fixable error, nothing is written, the message waits for `show_messages()`, and the
    result is None.
    """
    try:
        result = db.run_write(engine(), work, **kwargs)
    except StoreError as exc:
        st.session_state[_ERROR_KEY] = describe_error(exc)
        return None
    mark_saved()
    return True if result is None else result


# --- The open workspace ------------------------------------------------------------------------------------
def open_workspace(public_id: str | None) -> None:
    """Make `public_id` the open workspace for this browser session (None closes it)."""
    if public_id is None:
        st.session_state.pop(WORKSPACE_PARAM, None)
        st.query_params.pop(WORKSPACE_PARAM, None)
    else:
        st.session_state[WORKSPACE_PARAM] = public_id
        st.query_params[WORKSPACE_PARAM] = public_id


def current_workspace() -> Workspace | None:
    """The open workspace: from session state, or from the URL after a reload or a shared link."""
    # The URL first: a link, a bookmark or an edited address says which workspace is meant (access is
    # checked per workspace, so this never opens one the session has not unlocked).
    public_id = st.query_params.get(WORKSPACE_PARAM) or st.session_state.get(WORKSPACE_PARAM)
    if not public_id:
        return None
    try:
        workspace = read(store.get_workspace, public_id=public_id)
    except NotFound:
        open_workspace(None)
        return None
    # Keep it in the URL on every page, so a reload lands the user back here.
    open_workspace(workspace.public_id)
    return workspace


# --- Workshop participants ------------------------------------------------------------------------------------
_PARTICIPANT = "_participant_pass"


def participant_pass() -> workshop.ParticipantPass | None:
    """This browser session's workshop pass (its token lives only here, never in the URL)."""
    return st.session_state.get(_PARTICIPANT)


def set_participant_pass(credential: workshop.ParticipantPass | None) -> None:
    if credential is None:
        st.session_state.pop(_PARTICIPANT, None)
    else:
        st.session_state[_PARTICIPANT] = credential


def participant_only() -> bool:
    """A participant's phone: it joined a workshop and has opened no workspace as its owner."""
    return participant_pass() is not None and not st.session_state.get(_GRANTS)


def participant_view(credential: workshop.ParticipantPass) -> workshop.ParticipantView | None:
    try:
        return read(workshop.participant_view, credential=credential, content=content())
    except StoreError:
        return None


# --- Access -------------------------------------------------------------------------------------------------
_GRANTS = "_owner_grants"


def granted(workspace: Workspace) -> bool:
    """Whether this browser session may open and change the workspace."""
    if oidc_mode():
        return access.owner_may_open(workspace, signed_in_subject())
    return workspace.public_id in st.session_state.get(_GRANTS, set())


def grant(public_id: str) -> None:
    st.session_state.setdefault(_GRANTS, set()).add(public_id)


def new_passcode_fields(key: str) -> tuple[str, str] | None:
    """Ask for a new workspace's passcode, twice. None in OIDC deployments: the signed-in user owns it."""
    if oidc_mode():
        return None
    passcode = st.text_input(
        t("access.new_passcode"),
        type="password",
        key=f"{key}_passcode",
        help=t("access.passcode_help", min=access.MIN_PASSCODE),
    )
    again = st.text_input(t("access.passcode_again"), type="password", key=f"{key}_passcode_again")
    return passcode, again


def new_owner(entered: tuple[str, str] | None) -> dict[str, str | None] | None:
    """Who will own a new workspace, as arguments for access.create_/restore_protected_workspace:
    the signed-in user in OIDC deployments, else the passcode typed twice. None, with a message,
    when the two passcodes differ."""
    if entered is None:
        return {"owner_subject": signed_in_subject()}
    passcode, again = entered
    if passcode != again:
        st.error(t("access.mismatch"))
        return None
    return {"passcode": passcode}


def require_workspace() -> Workspace:
    """The open workspace, if this session may open it; otherwise what it takes to open one, and a stop."""
    workspace = current_workspace()
    if workspace is None:
        st.info(t("common.no_workspace"))
        st.page_link("pages/home.py", label=t("common.go_home"), icon=":material/home:")
        st.stop()
    assert workspace is not None
    if not granted(workspace):
        unlock_form(workspace)
        st.stop()
    return workspace


def unlock_form(workspace: Workspace) -> None:
    """Ask for the workspace's passcode (or, in OIDC deployments, for the owner's sign-in)."""
    st.subheader(t("access.locked_title", name=plain(workspace.name)))
    if oidc_mode():
        st.info(t("access.oidc_owner_only"), icon=":material/lock:")
        if signed_in_subject() is None:
            st.button(t("access.sign_in"), on_click=st.login, icon=":material/login:")
        return
    legacy = workspace.passcode_hash is None and workspace.owner_subject is None
    with st.form("access_unlock", border=True):
        st.caption(t("access.set_first" if legacy else "access.enter"))
        passcode = st.text_input(
            t("access.passcode"), type="password", max_chars=access.MAX_PASSCODE, key="access_passcode"
        )
        again = (
            st.text_input(t("access.passcode_again"), type="password", key="access_passcode_again") if legacy else None
        )
        submitted = st.form_submit_button(
            t("access.set" if legacy else "access.open"), type="primary", icon=":material/lock_open:"
        )
    if not submitted:
        return
    if legacy:
        if passcode != again:
            st.error(t("access.mismatch"))
            return
        if write(access.set_first_passcode, public_id=workspace.public_id, passcode=passcode):
            grant(workspace.public_id)
            st.rerun()
        show_messages()
        return
    attempt = db.run_write(engine(), access.try_passcode, public_id=workspace.public_id, passcode=passcode)
    if attempt.granted:
        grant(workspace.public_id)
        st.rerun()
    elif attempt.wait_seconds:
        st.error(t("access.wait", seconds=attempt.wait_seconds), icon=":material/timer:")
    else:
        st.error(t("access.wrong"), icon=":material/lock:")


@st.cache_resource(max_entries=32, show_spinner=False)
def _workspace_data(url: str, workspace_id: int, version: str) -> store.WorkspaceData:
    # Keyed by the workspace's last-change time, which every write moves on (store._touch_workspace):
    # sessions and reruns share one load until something changes. Treated as read-only.
    return db.run_read(engine(), store.load_workspace_data, workspace_id=workspace_id)


def workspace_data(workspace: Workspace, *, refresh: bool = False) -> store.WorkspaceData:
    """Everything in the workspace as it is now. `refresh`: re-read its last-change time first (a fragment
    that reruns on its own holds the workspace row of the page's last full run)."""
    if refresh:
        workspace = read(store.get_workspace, public_id=workspace.public_id)
    return _workspace_data(get_settings().resolved_database_url, workspace.id, workspace.updated_at.isoformat())


# --- Save status and messages -------------------------------------------------------------------------------
def mark_saved() -> None:
    st.session_state[_STATUS_KEY] = datetime.now().astimezone()


def show_save_status(container: Any = None) -> None:
    """'All changes saved' with the time of the last save, and any message from the last attempt."""
    target = container or st
    saved_at = st.session_state.get(_STATUS_KEY)
    if saved_at:
        target.caption(t("common.saved_at", time=local_time(saved_at, date=False)), help=t("common.autosave_help"))
    else:
        target.caption(t("common.autosave_note"), help=t("common.autosave_help"))


def show_messages() -> None:
    """Show (once) the error message left by the last write, if any."""
    message = st.session_state.pop(_ERROR_KEY, None)
    if message:
        st.error(message, icon=":material/error:")


# --- Text that users typed ----------------------------------------------------------------------------------
_MARKDOWN_SPECIAL = re.compile(r"([\\`*_{}\[\]()#+\-.!|<>:$~=&])")


def plain(text: str) -> str:
    """User text made safe for st.markdown: every markdown, emoji-shortcode and LaTeX character escaped."""
    return _MARKDOWN_SPECIAL.sub(r"\\\1", text).replace("\n", "  \n")


def paragraphs(items: Sequence[Paragraph | str], container: Any = None) -> None:
    """Guidance paragraphs, with footnote markers."""
    target = container or st
    for item in items:
        if isinstance(item, str):
            target.markdown(item)
        else:
            target.markdown(item.text + footnote_marks(item.footnotes))


@contextmanager
def guidance(title: str | None = None, *, expanded: bool = True) -> Iterator[Any]:
    """A collapsible panel holding the guidance text for the step, beside the inputs."""
    with st.expander(title or t("common.guidance"), expanded=expanded, icon=":material/menu_book:") as panel:
        yield panel


_SUPERSCRIPT = str.maketrans("0123456789,", "⁰¹²³⁴⁵⁶⁷⁸⁹˒")


def footnote_marks(numbers: Sequence[int]) -> str:
    """Footnote numbers as superscript characters (no HTML needed)."""
    return ",".join(str(n) for n in numbers).translate(_SUPERSCRIPT)


def footnote_sources(numbers: Sequence[int]) -> None:
    if numbers:
        data = content()
        lines = [f"{n}. {data.footnote(n).source}" for n in sorted(set(numbers))]
        st.caption("  \n".join(lines))


# --- Choosing the row a form edits ---------------------------------------------------------------------------
def choose_row(
    widget: Callable[..., Any],
    *,
    key: str,
    options: Sequence[Any],
    default: Any,
    format_func: Callable[[Any], str],
    **widget_kwargs: Any,
) -> Any:
    """A select box (or radio) choosing which row the form below edits; returns the chosen option.

    The choice changes only when the user changes it. Streamlit keeps a select box's value as the *label*
    of the option, so a label that changes after a save ("no plan yet" → "planned", a rename elsewhere)
    would otherwise lose the choice and the page would fall back to another row; here the chosen option is
    kept under its own key and handed back to the widget on every run. The row drawn below is recorded as
    the one on screen (see `shown_row` in `autosave`).
    """
    chosen_key = f"{key}__chosen"
    chosen = st.session_state.get(chosen_key)
    if chosen not in options:
        chosen = default
    st.session_state[chosen_key] = chosen
    st.session_state[key] = chosen
    st.session_state[f"{key}__on_screen"] = chosen

    def remember() -> None:
        # Read with the labels the user saw when choosing (the previous run's), so this is an option.
        picked = st.session_state.get(key)
        if picked in options:
            st.session_state[chosen_key] = picked

    widget(key=key, options=list(options), format_func=format_func, on_change=remember, **widget_kwargs)
    message = st.session_state.pop(f"{key}__refused", None)
    if message:
        st.warning(message, icon=":material/sync_problem:")
    return chosen


def _moved_away(shown_row: tuple[str, Any] | None, key: str, loaded_key: str) -> bool:
    """Whether a change arrived from a form for a row that is no longer the one on screen (a click that
    landed while the page moved to another row). The change is refused, with a message by the chooser."""
    if shown_row is None:
        return False
    chooser_key, row = shown_row
    if st.session_state.get(f"{chooser_key}__on_screen") == row:
        return False
    st.session_state[key] = st.session_state[loaded_key][0]  # the widget shows what is saved again
    st.session_state[f"{chooser_key}__refused"] = t("errors.moved_row")
    return True


# --- Autosaving widgets -------------------------------------------------------------------------------------
def autosave(
    widget: Callable[..., Any],
    *,
    key: str,
    stored: Any,
    version: int,
    save: Callable[..., Any],
    read_value: Callable[[Any], Any] = lambda value: value,
    shown_row: tuple[str, Any] | None = None,
    **widget_kwargs: Any,
) -> Any:
    """Draw `widget` showing `stored` and save each change through `save(value=, expected_version=, base=)`.

    `save` returns the saved row (with its new `version`). If another person saved this field since we
    loaded it, and this user has no unsaved edit, the widget shows their value. A Conflict keeps the
    user's text in the widget and shows both values so the user can choose. `shown_row`: (the key of the
    `choose_row` chooser, the row this widget edits); a change is saved only while that row is on screen.
    """
    loaded_key = f"{key}__loaded"
    loaded = st.session_state.get(loaded_key)
    if key not in st.session_state or (
        loaded is not None and loaded[1] != version and st.session_state[key] == loaded[0]
    ):
        st.session_state[key] = stored
        st.session_state[loaded_key] = (stored, version)
    else:
        if loaded is None:
            st.session_state[loaded_key] = (stored, version)
        # Re-assign every run: the browser then always shows the server's value, even after it
        # remounts the widget (which happens when a page switch races with a save on blur).
        st.session_state[key] = st.session_state[key]

    def on_change() -> None:
        if _moved_away(shown_row, key, loaded_key):
            return
        value = read_value(st.session_state[key])
        base_value, base_version = st.session_state[loaded_key]
        try:
            saved = db.run_write(
                engine(), save, value=value, expected_version=base_version, base=read_value(base_value)
            )
        except Conflict as conflict:
            st.session_state.setdefault(_CONFLICT_KEY, {})[key] = conflict
            return
        except StoreError as exc:
            st.session_state[_ERROR_KEY] = describe_error(exc)
            return
        st.session_state[loaded_key] = (st.session_state[key], saved.version)
        st.session_state.get(_CONFLICT_KEY, {}).pop(key, None)
        mark_saved()

    result = widget(key=key, on_change=on_change, **widget_kwargs)
    _show_conflict(key, loaded_key, save)
    return result


def _show_conflict(key: str, loaded_key: str, save: Callable[..., Any]) -> None:
    conflict: Conflict | None = st.session_state.get(_CONFLICT_KEY, {}).get(key)
    if conflict is None:
        return

    def keep_mine() -> None:
        saved = db.run_write(engine(), save, value=conflict.mine, expected_version=conflict.current_version, base=None)
        st.session_state[loaded_key] = (st.session_state[key], saved.version)
        st.session_state[_CONFLICT_KEY].pop(key, None)
        mark_saved()

    def keep_theirs() -> None:
        st.session_state.pop(key, None)
        st.session_state.pop(loaded_key, None)
        st.session_state[_CONFLICT_KEY].pop(key, None)

    _both_values(conflict, t("conflict.message"), key, keep_mine, keep_theirs)


def _both_values(
    conflict: Conflict, message: str, key: str, keep_mine: Callable[[], None], keep_theirs: Callable[[], None]
) -> None:
    """A conflict as the user sees it: what they typed beside what someone else saved, and a choice."""
    with st.container(border=True):
        st.warning(message, icon=":material/sync_problem:")
        mine, theirs = st.columns(2)
        mine.caption(t("conflict.mine"))
        mine.text(_as_text(conflict.mine))
        theirs.caption(t("conflict.theirs"))
        theirs.text(_as_text(conflict.theirs))
        buttons = st.columns(2)
        buttons[0].button(t("conflict.keep_mine"), key=f"{key}__keep_mine", on_click=keep_mine)
        buttons[1].button(t("conflict.keep_theirs"), key=f"{key}__keep_theirs", on_click=keep_theirs)


def _as_text(value: Any) -> str:
    if isinstance(value, (list, tuple)):
        return ", ".join(str(v) for v in value) or "—"
    return "—" if value in (None, "") else str(value)


def score_label(score: int | None) -> str:
    return t("common.not_scored") if score is None else str(score)


def progress(done: int, total: int, label: str) -> None:
    st.progress(done / total if total else 0.0, text=label)


# --- Frame -------------------------------------------------------------------------------------------------
# The st.Page objects app.py makes, by page id (the same in every session). Linking to one of them skips
# resolving the page's file again, which is most of what a link costs, and the menu draws a dozen per run.
_pages: dict[str, Any] = {}


def register_pages(pages: Mapping[str, Any]) -> None:
    _pages.update(pages)


def _link_target(spec: navigation.PageSpec) -> Any:
    return _pages.get(spec.id) or spec.file


def link(page_id: str, label: str | None = None, *, icon: str | None = None) -> None:
    """A link to one of the app's pages (keeping the open workspace)."""
    spec = navigation.page(page_id)
    st.page_link(_link_target(spec), label=label or t(spec.title_key), icon=icon or spec.icon)


def next_step_link(page_id: str) -> None:
    """The "Next: …" link at the foot of a page of the guided flow."""
    spec = navigation.next_step(page_id)
    if spec is not None:
        link(spec.id, t("common.next", page=t(spec.title_key)), icon=":material/arrow_forward:")


GLOBAL_STYLE = """
<style>
/* Captions in a darker grey than Streamlit's default: at least 7:1 contrast on white (WCAG AAA). */
[data-testid="stCaptionContainer"] { opacity: 1 !important; }
[data-testid="stCaptionContainer"], [data-testid="stCaptionContainer"] p { color: #46535f !important; }
</style>
"""


def global_style() -> None:
    """Static styling for every page (no user text involved)."""
    st.html(GLOBAL_STYLE)


def sidebar() -> None:
    """The menu, the open workspace and the save status, on every page."""
    workspace = current_workspace()
    with st.sidebar:
        section = None
        for spec in navigation.PAGES:
            if not spec.visible:
                continue
            if spec.section != section:
                section = spec.section
                st.caption(t(section))
            st.page_link(_link_target(spec), label=t(spec.title_key), icon=spec.icon)
        st.divider()
        if workspace is None:
            st.caption(t("sidebar.no_workspace"))
            return
        st.markdown(f"**{plain(workspace.name)}**" + ("" if granted(workspace) else t("access.locked_marker")))
        details = [workspace.country, t(f"levels.{workspace.level}")]
        st.caption(" · ".join(plain(d) for d in details if d))
        show_save_status()
        link("home", t("sidebar.switch"), icon=":material/swap_horiz:")


def editable_table(
    spec: tables.TableSpec,
    records: Sequence[Any],
    *,
    key: str,
    workspace_id: int,
    column_config: dict[str, Any],
    incomplete_message: str,
) -> None:
    """A `st.data_editor` over `records` whose every edit is saved at once (all of a batch, or none)."""
    rows = tables.rows_for(spec, records)
    round_key = f"{key}__round"
    editor_key = f"{key}__editor_{st.session_state.get(round_key, 0)}"
    st.session_state[f"{key}__rows"] = rows

    def save_edits() -> None:
        try:
            edits = tables.read_edits(spec, st.session_state[f"{key}__rows"], st.session_state[editor_key])
        except StoreError as exc:
            st.session_state[_ERROR_KEY] = describe_error(exc)
            return
        st.session_state[f"{key}__incomplete"] = edits.incomplete
        if edits.empty:
            return
        try:
            db.run_write(engine(), tables.apply_edits, spec=spec, workspace_id=workspace_id, edits=edits)
        except Conflict as conflict:
            # Nothing was saved; the user's edit stays in the table until they choose below.
            st.session_state[f"{key}__conflict"] = conflict
            return
        except StoreError as exc:
            st.session_state[_ERROR_KEY] = describe_error(exc)
            return
        mark_saved()
        st.session_state.pop(f"{key}__conflict", None)
        # A fresh editor shows the saved rows (and anything others saved meanwhile).
        st.session_state[round_key] = st.session_state.get(round_key, 0) + 1

    st.data_editor(
        tables.frame_for(spec, rows),
        key=editor_key,
        column_config=column_config,
        column_order=spec.columns,
        num_rows="dynamic",
        hide_index=True,
        width="stretch",
        on_change=save_edits,
    )
    if st.session_state.get(f"{key}__incomplete"):
        st.info(incomplete_message, icon=":material/pending:")
    _table_conflict(spec, key, workspace_id, round_key)


def _table_conflict(spec: tables.TableSpec, key: str, workspace_id: int, round_key: str) -> None:
    """Both values of a cell someone else changed meanwhile, and the choice of which to keep."""
    conflict: Conflict | None = st.session_state.get(f"{key}__conflict")
    if conflict is None:
        return

    def fresh_table() -> None:
        st.session_state.pop(f"{key}__conflict", None)
        st.session_state[round_key] = st.session_state.get(round_key, 0) + 1

    def keep_mine() -> None:
        if write(
            spec.update,
            workspace_id=workspace_id,
            **{spec.id_argument: conflict.row_id},
            changes={conflict.field: conflict.mine},
            expected_version=conflict.current_version,
        ):
            fresh_table()

    message = t("conflict.table_message", row=plain(str(conflict.row_label or "")), field=field_label(conflict.field))
    _both_values(conflict, message, key, keep_mine, fresh_table)


def form_submitter(prefix: str, defaults: dict[str, Any], save: Callable[[dict[str, Any]], Any]) -> Callable[[], None]:
    """An on_click callback for a form whose widgets are keyed `{prefix}_{field}`.

    It saves the values; on success it clears the form for the next entry and leaves the result in
    `just_added(prefix)`. On failure the form keeps what the user typed and the message waits.
    """

    def submit() -> None:
        values = {field: st.session_state.get(f"{prefix}_{field}", empty) for field, empty in defaults.items()}
        result = save(values)
        if result:
            for field, empty in defaults.items():
                st.session_state[f"{prefix}_{field}"] = empty
            st.session_state[f"{prefix}__added"] = result

    return submit


def adding(prefix: str) -> bool:
    """Whether the `prefix` form just saved an entry (keep it open for the next one)."""
    return f"{prefix}__added" in st.session_state


def just_added(prefix: str) -> Any:
    """What the last submit of the `prefix` form saved (once), or None."""
    return st.session_state.pop(f"{prefix}__added", None)
