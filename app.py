"""Entry point: page config and navigation over the pages in pages/.

URL paths never equal a page's file name: Streamlit routes a server's very first session by the pages/
folder, and a match there would run the page without this navigation (and keep doing so).
"""

import streamlit as st

st.set_page_config(page_title="Public Libraries Data Observatory", page_icon="📚", layout="wide")

PAGES = [
    st.Page("pages/home.py", title="Overview", icon=":material/home:", default=True),
    st.Page("pages/offer_trends.py", title="Offer trends", icon=":material/show_chart:", url_path="trends"),
    st.Page("pages/priority_places.py", title="Priority Places", icon=":material/place:", url_path="places"),
    st.Page("pages/service_benchmark.py", title="Service benchmark", icon=":material/balance:", url_path="benchmark"),
    st.Page("pages/map.py", title="Map", icon=":material/map:", url_path="map"),
    st.Page("pages/data_methods.py", title="Data and methods", icon=":material/menu_book:", url_path="data"),
]

st.navigation(PAGES).run()
