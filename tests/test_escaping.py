"""User text in messages is shown as text: every interface template, filled with hostile values, rendered by
Streamlit (AppTest) and read back as markdown, gains no link, image, emphasis, heading or HTML from the values.

The markdown Streamlit sends is parsed here with markdown-it-py (CommonMark). GitHub's autolinks, which
Streamlit's renderer applies, are found in the text as the reader sees it (escapes resolved: that is how
Chromium showed them), with linkify-it. The browser test in test_browser.py checks the same in Chromium.
"""

from __future__ import annotations

import re
import string
from collections import Counter

import pytest
from linkify_it import LinkifyIt
from markdown_it import MarkdownIt
from streamlit.testing.v1 import AppTest

from gcm_guide import i18n
from gcm_guide.web import text

HOSTILE = {
    "image": "![x](http://evil.com/x.png)",
    "link": "[Verify your passcode](https://evil.com/login)",
    "bold": "**urgent** _now_",
    "html": '<img src=x onerror="alert(1)"><b>big</b>',
    "bare url": "see http://evil.com/a, HTTPS://evil.com/b, www.evil.org and mail@evil.com",
    "heading": "# Heading",
    "streamlit directives": ":red[alarm] :material/warning: $x^2$",
}

# Token types a value must never bring into a message (emphasis, links, images, headings, HTML, lists, code).
STRUCTURE = {
    "link_open",
    "image",
    "strong_open",
    "em_open",
    "s_open",
    "heading_open",
    "html_inline",
    "html_block",
    "code_inline",
    "fence",
    "code_block",
    "bullet_list_open",
    "ordered_list_open",
    "blockquote_open",
    "table_open",
}

markdown = MarkdownIt("commonmark").enable(["strikethrough", "table"])
autolinks = LinkifyIt().set({"fuzzy_link": False, "fuzzy_email": True})  # scheme:// and e-mail, as GitHub


def autolinked(source: str) -> int:
    """How many addresses GitHub-style autolinking would make links of in the text a reader sees."""
    shown = shown_text(source)
    return len(autolinks.match(shown) or []) + len(re.findall(r"(?i)(?<![\w.])www\.\w", shown))


def structure(source: str) -> Counter[str]:
    found: Counter[str] = Counter({"autolink": autolinked(source)})
    for token in markdown.parse(source):
        for inner in [token, *(token.children or [])]:
            if inner.type in STRUCTURE:
                found[inner.type] += 1
    return found


def shown_text(source: str) -> str:
    """The characters a reader sees (text nodes), line breaks as spaces."""
    parts = []
    for token in markdown.parse(source):
        for inner in token.children or []:
            if inner.type in ("text", "text_special", "code_inline"):
                parts.append(inner.content)
            elif inner.type in ("softbreak", "hardbreak"):
                parts.append(" ")
    return "".join(parts)


def read(source: str) -> str:
    return shown_text(source).replace("\u2060", "")


def templates() -> dict[str, list[str]]:
    """Every interface string with a user-fillable placeholder ({count} is a number), keyed by its lookup key."""
    found: dict[str, list[str]] = {}
    plural = i18n.plural_keys()
    for key, english in i18n.strings().items():
        lookup = key.rsplit(".", 1)[0] if key.rsplit(".", 1)[0] in plural else key
        names = {name for _, name, _, _ in string.Formatter().parse(english) if name}
        if lookup in plural:
            names.discard("count")  # tn fills it with the number
        if names - {"count"}:  # a value a person typed can reach it
            found.setdefault(lookup, [])
            found[lookup] = sorted(set(found[lookup]) | names)
    return found


TEMPLATES = templates()


def test_there_are_templates_to_check():
    assert len(TEMPLATES) > 100  # the check below covers the whole of en.yaml, not a sample


def render_all(kind: str) -> dict[str, str]:
    """Each template filled with one hostile value, drawn by Streamlit as a markdown element, read back."""

    def script(keys: list[str], names: dict[str, list[str]], value: str, plural: list[str]) -> None:
        import streamlit as st

        from gcm_guide.web.text import t, tn

        for key in keys:
            params = {name: 2 if name == "count" else value for name in names[key]}
            st.markdown(tn(key, 2, **params) if key in plural else t(key, **params))

    keys = sorted(TEMPLATES)
    app = AppTest.from_function(
        script,
        kwargs={
            "keys": keys,
            "names": TEMPLATES,
            "value": HOSTILE[kind],
            "plural": sorted(i18n.plural_keys()),
        },
        default_timeout=60,
    ).run()
    assert not app.exception
    return dict(zip(keys, [element.value for element in app.markdown], strict=True))


def harmless_params(names: list[str]) -> dict[str, object]:
    return {name: 2 if name == "count" else "X" for name in names}


@pytest.mark.parametrize("kind", list(HOSTILE))
def test_no_template_lets_a_value_become_markup(kind):
    rendered = render_all(kind)
    harmless = {
        key: text.tn(key, 2, **harmless_params(names))
        if key in i18n.plural_keys()
        else text.t(key, **harmless_params(names))
        for key, names in TEMPLATES.items()
    }
    interpreted = {key: source for key, source in rendered.items() if structure(source) != structure(harmless[key])}
    assert interpreted == {}, f"{len(interpreted)} templates let a {kind} through: {list(interpreted)[:5]}"
    # And the value is there to read, character for character (not dropped to make it safe; the invisible
    # word joiners that keep addresses from becoming links aside).
    visible = re.sub(r"\s+", " ", HOSTILE[kind])
    lost = [key for key, source in rendered.items() if visible not in re.sub(r"\s+", " ", read(source))]
    assert lost == [], f"{len(lost)} templates do not show the {kind} as typed, e.g. {lost[:3]}"


def test_streamlit_only_syntax_reaches_the_browser_escaped():
    """Colour and icon directives and LaTeX are Streamlit's own, unknown to CommonMark: every template must
    carry their markers escaped."""
    escaped = r"\:red\[alarm\] \:material/warning\: \$x^2\$"
    assert text.plain(HOSTILE["streamlit directives"]) == escaped
    rendered = render_all("streamlit directives")
    assert [key for key, source in rendered.items() if escaped not in source] == []


def test_the_parser_here_would_see_markup_if_it_were_there():
    """Guards the test itself: unescaped values are seen as links, images, bold and HTML."""
    assert structure(HOSTILE["image"])["image"] == 1
    assert structure(HOSTILE["link"])["link_open"] == 1
    assert structure(HOSTILE["bold"])["strong_open"] == 1
    assert structure(HOSTILE["html"])["html_inline"] >= 1
    assert structure(HOSTILE["bare url"])["autolink"] == 4
    assert structure(r"http\:\/\/evil\.com and www\.evil\.org")["autolink"] == 2  # escapes do not stop them
    assert structure(HOSTILE["heading"])["heading_open"] == 1
