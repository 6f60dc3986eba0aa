"""What every page shares around its content: the menu and sidebar, links between pages, progress bars,
guidance panels with footnotes, and the static styles."""

from __future__ import annotations

from collections.abc import Iterator, Mapping, Sequence
from contextlib import AbstractContextManager, contextmanager
from pathlib import Path
from typing import Any

import streamlit as st

from gcm_guide import navigation
from gcm_guide.content import Paragraph
from gcm_guide.web import language, session
from gcm_guide.web.resources import content
from gcm_guide.web.saving import show_save_status
from gcm_guide.web.text import Markdown, joined, plain, t

# Bundled, not a material icon: Streamlit fetches those as the tab's icon from a font service on the internet.
PAGE_ICON = Path(__file__).resolve().parent.parent / "assets" / "icon.png"

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


def progress(done: int, total: int, label: str) -> None:
    st.progress(done / total if total else 0.0, text=label)


# --- Folded panels ------------------------------------------------------------------------------------------
@contextmanager
def folded(key: str, label: str, icon: str, *, expanded: bool = False) -> Iterator[bool]:
    """A panel (a tracked expander) whose content is drawn only while it is open: inside it, draw only `if` the
    yielded value is true. Folded away, it costs the page nothing; opening it reruns the page to draw it."""
    with st.expander(label, expanded=expanded, key=key, on_change="rerun", icon=icon) as panel:
        yield bool(panel.open)


def guidance(key: str, title: str | None = None, *, expanded: bool = True) -> AbstractContextManager[bool]:
    """The guidance text for the step, beside the inputs, in a folded panel."""
    return folded(key, title or t("common.guidance"), ":material/menu_book:", expanded=expanded)


def details(key: str, label: str | None = None) -> AbstractContextManager[bool]:
    """Charts and tables ("Charts and tables" unless `label` says otherwise) in a folded panel: a chart is
    hundreds of elements for the browser to lay out, so a page of such panels costs what its open ones cost."""
    return folded(key, label or t("common.details"), ":material/bar_chart:")


def paragraphs(items: Sequence[Paragraph | str], container: Any = None) -> None:
    """Guidance paragraphs (the app's own markdown), with footnote markers."""
    target = container or st
    for item in items:
        if isinstance(item, str):
            target.markdown(item)
        else:
            target.markdown(item.text + footnote_marks(item.footnotes))


_SUPERSCRIPT = str.maketrans("0123456789,", "⁰¹²³⁴⁵⁶⁷⁸⁹˒")


def footnote_marks(numbers: Sequence[int]) -> str:
    """Footnote numbers as superscript characters (no HTML needed)."""
    return ",".join(str(n) for n in numbers).translate(_SUPERSCRIPT)


def footnote_sources(numbers: Sequence[int]) -> None:
    if numbers:
        data = content()
        lines = [f"{n}. {data.footnote(n).source}" for n in sorted(set(numbers))]
        st.caption("  \n".join(lines))


def bullet_list(items: Sequence[str]) -> Markdown:
    """Guidance items (the app's own markdown) as a bulleted list."""
    return Markdown("\n".join(f"- {item}" for item in items))


# --- Styles and the sidebar ------------------------------------------------------------------------------------
GLOBAL_STYLE = """
<style>
/* Captions in a darker grey than Streamlit's default: at least 7:1 contrast on white (WCAG AAA). */
[data-testid="stCaptionContainer"] { opacity: 1 !important; }
[data-testid="stCaptionContainer"], [data-testid="stCaptionContainer"] p { color: #46535f !important; }
/* The element that sets the page's language takes no room. */
[data-testid="stElementContainer"]:has(#gcm-page-language) { display: none; }
</style>
"""


def focus(key: str) -> None:
    """Put the cursor in the text field with widget key `key` (for instance back in "Name" after an entry is
    added, so the next one can be typed at once). Streamlit has no focus API; the script is the app's own and
    names an app-defined key only."""
    nonce = st.session_state["_focus_nonce"] = st.session_state.get("_focus_nonce", 0) + 1
    script = (
        "<script>setTimeout(() => {const field = document.querySelector("
        f"'.st-key-{key} input, .st-key-{key} textarea'); if (field) field.focus();}}, 60); /* {nonce} */</script>"
    )
    st.html(script, unsafe_allow_javascript=True)


def global_style() -> None:
    """Static styling for every page, and the page's language (no user text involved)."""
    st.html(GLOBAL_STYLE)
    st.html(language.page_language_script(), unsafe_allow_javascript=True)


def sidebar() -> None:
    """The language switch, the menu, the open workspace and the save status, on every page."""
    workspace = session.current_workspace()
    with st.sidebar:
        language.language_switch()
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
        st.markdown(f"**{plain(workspace.name)}**" + ("" if session.granted(workspace) else t("access.locked_marker")))
        st.caption(joined([d for d in (workspace.country, t(f"levels.{workspace.level}")) if d], " · "))
        show_save_status()
        link("home", t("sidebar.switch"), icon=":material/swap_horiz:")
