"""Entry point: page config and navigation over the pages in app_pages/.

The pages live in app_pages/, not pages/: a folder named pages/ beside the main script makes Streamlit run
the first session after a server start as an old-style multipage app (PagesManager.uses_pages_directory),
which answers a bookmarked sub-page URL with "Page not found".
"""

import streamlit as st

from app_pages.registry import PAGES

st.set_page_config(page_title="Public Libraries Data Observatory", page_icon="📚", layout="wide")

navigation = [
    st.Page(page.path, title=page.title, icon=page.icon, url_path=page.url_path or None, default=not page.url_path)
    for page in PAGES
]
st.navigation(navigation).run()
