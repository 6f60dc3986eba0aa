"""GCM Kick-off Guide: the entry point. It sets up the frame and the page list, then runs the page."""

import streamlit as st

from gcm_guide.navigation import PAGES
from gcm_guide.web import frame, resources, session
from gcm_guide.web.text import t_plain

resources.configure(actor=session.signed_in_subject() or "")
st.set_page_config(page_title=t_plain("app.title"), page_icon=":material/diversity_3:", layout="wide")

# A workshop participant's phone gets the join page only, without the app's menu.
participant = session.participant_only()
sections: dict[str, list[st.Page]] = {}
pages: dict[str, st.Page] = {}
for spec in PAGES:
    if participant and spec.id != "join":
        continue
    pages[spec.id] = st.Page(
        spec.file,
        title=t_plain(spec.title_key),
        icon=spec.icon,
        url_path=spec.id,
        default=spec.id == ("join" if participant else "home"),
        visibility="visible" if spec.visible else "hidden",
    )
    sections.setdefault(t_plain(spec.section), []).append(pages[spec.id])
frame.register_pages(pages)

# The menu is drawn by frame.sidebar() with page links: Streamlit's own menu markup puts non-list items inside
# its lists, which screen readers (and the accessibility check) trip over.
page = st.navigation(sections, position="hidden")
frame.global_style()
if not participant and page.url_path != "join":  # the join page is for phones: no menu to open by mistake
    frame.sidebar()
page.run()
