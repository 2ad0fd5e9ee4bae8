"""Overview: England's headline figures with coverage, what is known elsewhere, and a door to each Offer."""

import polars as pl
import streamlit as st

from app_pages._common import briefing_switch, build_report, load, start_page
from components.text import headline_text, nation_summary
from observatory_data.metrics import HEADLINE_METRICS, OFFERS
from observatory_data.queries import aggregate, service_rates

YEAR = 2023

state = start_page("overview")
briefing_switch(state)
state.write()
services, annual, metrics, branches = load("services"), load("annual"), load("metrics"), load("branches")

st.title("Public Libraries Data Observatory")
st.caption(
    "Evidence on the UK's public library services: how each service compares with similar services, "
    "its region and England. Figures are for the financial year 2023/24 unless stated."
)

st.subheader("England, 2023/24")
columns = st.columns(3)
for index, metric in enumerate(HEADLINE_METRICS):
    entry = metrics.filter(pl.col("metric") == metric).row(0, named=True)
    rates = service_rates(annual, services, metrics, metric, YEAR).filter(pl.col("nation") == "England")
    summary = aggregate(rates)
    value, detail = headline_text(entry["label"], entry["unit"], summary)
    with columns[index % 3]:
        st.metric(entry["label"], value, border=True, help=entry["definition"])
        st.caption(detail)

st.subheader("Wales, Northern Ireland and the Crown Dependencies")
st.markdown(nation_summary(services, branches))

st.subheader("The Universal Library Offers")
tiles = st.columns(3)
for index, (offer_id, offer) in enumerate(OFFERS.items()):
    count = metrics.filter(pl.col("offers").list.contains(offer)).height
    with tiles[index % 3], st.container(border=True):
        st.markdown(f"**{offer}**")
        st.caption(f"{count} metrics")
        st.page_link(
            "app_pages/offer_trends.py",
            label="See the trends",
            icon=":material/show_chart:",
            query_params={"offer": offer_id},
        )

with st.container(border=True):
    report = build_report()
    st.markdown("**About the data**")
    st.markdown(
        "Activity: Arts Council England, *Libraries Activity Data 2023/24* (April 2023 to March 2024, England only, "
        f"{int(services['has_activity_return'].sum())} returns). Population: ONS mid-2024 estimates. Boundaries: ONS "
        "(OGL v3; contains OS data © Crown copyright and database right). Service points: Libraries Hacked. "
        "Deprivation: MHCLG IMD 2019 and Welsh Government WIMD 2019. "
        f"Tables built {report['built_at'][:10]}."
    )
    st.page_link(
        "app_pages/data_methods.py",
        label="Data and methods: definitions, coverage, sources",
        icon=":material/menu_book:",
    )
