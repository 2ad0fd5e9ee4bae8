"""Entry point: page config and navigation over the pages in pages/."""

import streamlit as st

st.set_page_config(page_title="Public Libraries Data Observatory", page_icon="📚", layout="wide")

PAGES = [
    st.Page("pages/overview.py", title="Overview", icon="🏠", url_path="overview", default=True),
    st.Page("pages/offer_trends.py", title="Offer trends", icon="📈", url_path="trends"),
    st.Page("pages/priority_places.py", title="Priority Places", icon="📍", url_path="places"),
    st.Page("pages/benchmark.py", title="Service benchmark", icon="⚖️", url_path="benchmark"),
    st.Page("pages/map.py", title="Map", icon="🗺️", url_path="map"),
    st.Page("pages/data_methods.py", title="Data and methods", icon="📚", url_path="data"),
]

st.navigation(PAGES).run()
