"""Interface strings as pages show them: markdown in which every value put into a message is shown as text.

Streamlit renders messages, captions, labels and buttons as markdown, so a name typed by a user could
otherwise become a link, an image that the browser fetches, or bold text. `t` and `tn` here escape every
value they put into a template, by construction; pages import them instead of gcm_guide.i18n's.
Only text the app itself wrote as markdown (another message, guidance content) is passed as `Markdown`.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from typing import Any

from gcm_guide import i18n


class Markdown(str):
    """Markdown the app wrote itself (an interface string, guidance content): inserted as it is."""


# Every character that means something in Streamlit's markdown: emphasis, links and images, headings,
# lists, code, tables, HTML, emoji and icon shortcodes (":…:") and LaTeX ("$").
_MARKDOWN_SPECIAL = re.compile(r"([\\`*_{}\[\]()#+\-.!|<>:$~=&@])")


# Streamlit's renderer turns bare addresses into links even when their ":" and "." are escaped (GitHub's
# autolink literals are found after escapes are resolved; checked in Chromium). An invisible word joiner
# (U+2060) after "http", "https", "ftp" or "www" and before "@" breaks them without changing what is read.
_AUTOLINK_START = re.compile(r"(?i)(https?|ftp|www)(?=\\[:.])")
_WORD_JOINER = "\u2060"


def plain(text: str) -> Markdown:
    """Text shown exactly as typed: every markdown character escaped, no address made a link, line breaks
    kept."""
    if isinstance(text, Markdown):
        return text
    escaped = _MARKDOWN_SPECIAL.sub(r"\\\1", str(text))
    escaped = _AUTOLINK_START.sub(r"\1" + _WORD_JOINER, escaped).replace("\\@", _WORD_JOINER + "\\@")
    return Markdown(escaped.replace("\n", "  \n"))


def _shown_as_text(value: Any) -> Any:
    if isinstance(value, Markdown) or (isinstance(value, (int, float)) and not isinstance(value, bool)):
        return value
    return plain("" if value is None else str(value))


def t(key: str, /, **params: Any) -> Markdown:
    """The interface string `key` as markdown, each value shown as text."""
    return Markdown(i18n.t(key, **{name: _shown_as_text(value) for name, value in params.items()}))


def tn(key: str, count: int, /, **params: Any) -> Markdown:
    """A count-dependent interface string as markdown, each value shown as text."""
    return Markdown(i18n.tn(key, count, **{name: _shown_as_text(value) for name, value in params.items()}))


def message(key: str, params: Any) -> Markdown:
    """`i18n.message` as markdown, each value shown as text."""
    return Markdown(i18n.message(key, {name: _shown_as_text(value) for name, value in params.items()}))


def joined(values: Any, separator: str = ", ") -> Markdown:
    """Several values in one message (names in a list), each shown as text."""
    return Markdown(separator.join(plain(str(value)) for value in values))


# Plain-text sinks (select-box options, tables, file names, st.text) show strings as they are.
t_plain = i18n.t
tn_plain = i18n.tn


def name_of(names: Mapping[Any, str]) -> Callable[[Any], str]:
    """A widget's `format_func` for options that are the keys of `names`: each option shown by its name (a
    value that is not a key, such as a voice typed into a multiselect, as itself)."""
    return lambda key: names.get(key, str(key))
