"""Entry point: page config and navigation over the pages in app_pages/.

The pages live in app_pages/, not pages/: a folder named pages/ beside the main script makes Streamlit run
the first session after a server start as an old-style multipage app (PagesManager.uses_pages_directory),
which answers a bookmarked sub-page URL with "Page not found".
"""

import streamlit as st

st.set_page_config(page_title="Public Libraries Data Observatory", page_icon="📚", layout="wide")

PAGES = [
    st.Page("app_pages/home.py", title="Overview", icon=":material/home:", default=True),
    st.Page("app_pages/offer_trends.py", title="Offer trends", icon=":material/show_chart:", url_path="trends"),
    st.Page("app_pages/priority_places.py", title="Priority Places", icon=":material/place:", url_path="places"),
    st.Page(
        "app_pages/service_benchmark.py", title="Service benchmark", icon=":material/balance:", url_path="benchmark"
    ),
    st.Page("app_pages/map.py", title="Map", icon=":material/map:", url_path="map"),
    st.Page("app_pages/data_methods.py", title="Data and methods", icon=":material/menu_book:", url_path="data"),
]

st.navigation(PAGES).run()
