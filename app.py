"""GCM Kick-off Guide: the entry point. It sets up the frame and the page list, then runs the page."""

import streamlit as st

from gcm_guide import ui
from gcm_guide.i18n import t
from gcm_guide.navigation import PAGES

ui.configure()
st.set_page_config(page_title=t("app.title"), page_icon=":material/diversity_3:", layout="wide")

sections: dict[str, list[st.Page]] = {}
for spec in PAGES:
    sections.setdefault(t(spec.section), []).append(
        st.Page(spec.file, title=t(spec.title_key), icon=spec.icon, url_path=spec.id, default=spec.id == "home")
    )

page = st.navigation(sections)
ui.sidebar()
page.run()
