"""GCM Kick-off Guide: the entry point. It sets up the frame and the page list, then runs the page."""

import streamlit as st

from gcm_guide.navigation import PAGES
from gcm_guide.web import frame, resources, session, unlock
from gcm_guide.web.text import t_plain

resources.settle_startup()  # once per process; python -m gcm_guide.server has done it before starting
resources.configure(actor=session.signed_in_subject() or "")
st.set_page_config(page_title=t_plain("app.title"), page_icon=str(frame.PAGE_ICON), layout="wide")

# A workshop participant's phone gets the join page only, and a window opened with the read-only presenter link
# the projected screen only: neither has the app's menu, nor any page of the workspace's owner.
only = "presenter" if session.presenter_link_only() else "join" if session.participant_only() else None
sections: dict[str, list[st.Page]] = {}
pages: dict[str, st.Page] = {}
for spec in PAGES:
    if only is not None and spec.id != only:
        continue
    pages[spec.id] = st.Page(
        spec.file,
        title=t_plain(spec.title_key),
        icon=spec.icon,
        url_path=spec.id,
        default=only is None and spec.id == "home",
        visibility="visible" if spec.visible else "hidden",
    )
    sections.setdefault(t_plain(spec.section), []).append(pages[spec.id])
    if only is not None:
        # Streamlit serves its default page at the root address only, so a lone default page would answer its
        # own address (/join?code=..., /presenter?show=...) with "Page not found". The page keeps its address
        # and the same script also answers the root address.
        root = st.Page(spec.file, title=t_plain(spec.title_key), url_path=f"{spec.id}-start", default=True)
        sections[t_plain(spec.section)].append(root)
frame.register_pages(pages)

# The menu is drawn by frame.sidebar() with page links: Streamlit's own menu markup puts non-list items inside
# its lists, which screen readers (and the accessibility check) trip over.
page = st.navigation(sections, position="hidden")
frame.global_style()
if only is None and page.url_path != "join":  # the join page is for phones: no menu to open by mistake
    frame.sidebar()
    unlock.recovery_code_notice()  # a new workspace's recovery code, until its owner has kept it
page.run()
