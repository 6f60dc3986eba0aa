"""The language of this browser session: from the link (?lang=fr), else the person's choice, else the default
from the settings; and the switch to choose it.

gcm_guide.i18n asks `session_language` whenever a string is looked up in a Streamlit script thread, so
widget callbacks, which run before the page script, get the session's language too.
"""

from __future__ import annotations

import streamlit as st
from streamlit.runtime.scriptrunner import get_script_run_ctx

from gcm_guide import i18n
from gcm_guide.content import DEFAULT_LANGUAGE
from gcm_guide.web.text import t

LANGUAGE_PARAM = "lang"
SWITCH_KEY = "language_switch"
_CHOSEN = "_language"  # session state: the language this person chose, or came with in a link

# The settings' default language, refreshed by every run (the settings are the same for every session).
_default = DEFAULT_LANGUAGE


def session_language() -> str | None:
    """The current Streamlit session's language; None outside a Streamlit script thread."""
    if get_script_run_ctx(suppress_warning=True) is None:
        return None
    return i18n.supported(st.query_params.get(LANGUAGE_PARAM)) or st.session_state.get(_CHOSEN) or _default


def apply(default: str) -> None:
    """Per-run set-up: the settings' default, and the language kept in both the session and the URL (page
    links drop the URL's parameters; a reload or a shared link keeps the language that way)."""
    global _default
    _default = i18n.supported(default) or DEFAULT_LANGUAGE
    in_url = st.query_params.get(LANGUAGE_PARAM)
    if i18n.supported(in_url):
        st.session_state[_CHOSEN] = in_url
    elif chosen := st.session_state.get(_CHOSEN):
        st.query_params[LANGUAGE_PARAM] = chosen
    elif in_url is not None:  # a language the app does not offer
        st.query_params.pop(LANGUAGE_PARAM, None)


def choose(language: str) -> None:
    """Make `language` this session's language, in the session and in the URL."""
    chosen = i18n.supported(language)
    if chosen is not None:
        st.session_state[_CHOSEN] = chosen
        st.query_params[LANGUAGE_PARAM] = chosen


def _switched(key: str) -> None:
    chosen = st.session_state.get(key)
    if chosen is None:  # the language already chosen was clicked again: it stays chosen
        st.session_state[key] = i18n.get_language()
    else:
        choose(chosen)


def language_switch(key: str = SWITCH_KEY, *, translation_note: bool = True) -> None:
    """The languages, each by its own name; choosing one redraws the app in it. In a translated interface,
    a note says whose translation the guidance is (left out on a phone, where space is short)."""
    current = i18n.get_language()
    if st.session_state.get(key) != current:  # e.g. after a link with another ?lang=
        st.session_state[key] = current
    st.segmented_control(
        # Each name in its own language, so that a person finds theirs whatever the page is in now.
        " · ".join(i18n.LANGUAGE_NAMES[code] for code in i18n.LANGUAGES),
        options=i18n.LANGUAGES,
        format_func=i18n.LANGUAGE_NAMES.__getitem__,
        key=key,
        on_change=_switched,
        args=(key,),
        label_visibility="collapsed",
    )
    if translation_note and current != DEFAULT_LANGUAGE:
        st.caption(t("app.translation_note"))


def page_language_script() -> str:
    """A script that sets the page's `lang` attribute (Streamlit has no setting for it), so screen readers
    and browsers' spelling, hyphenation and translation know which language the page is in."""
    return f'<script id="gcm-page-language">document.documentElement.lang = "{i18n.get_language()}";</script>'


i18n.use_language_source(session_language)
