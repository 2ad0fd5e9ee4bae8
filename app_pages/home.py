"""Overview: England's headline figures with coverage, what is known elsewhere, and a door to each Offer."""

import polars as pl
import streamlit as st

from app_pages._common import briefing_switch, build_info, load, start_page
from components.text import about_the_data, estimate_text, nation_summary
from observatory_data.catalogue import HEADLINE_METRICS, OFFERS, financial_year, years_with_data

state = start_page("overview")
services, annual, metrics, branches = load("services"), load("annual"), load("metrics"), load("branches")
years = years_with_data(annual)
year = st.session_state[state.choice("year", years, years[-1], "year")]
briefing_switch(state)
state.write()
period = financial_year(year)

st.title("Public Libraries Data Observatory")
st.caption(
    "Evidence on the UK's public library services: how each service compares with similar services, "
    f"its region and England. Figures are for the financial year {period} unless stated."
)

st.subheader(f"England, {period}")
st.caption(
    "Estimates for the whole of England, grossed up by population within each region from the services that "
    "reported countable values, with a 95% interval; the sum of what was reported is given beside each."
)
estimates = load("national").filter((pl.col("nation") == "England") & (pl.col("year") == year))
for row_start in range(0, len(HEADLINE_METRICS), 3):
    for column, metric in zip(st.columns(3), HEADLINE_METRICS[row_start : row_start + 3], strict=False):
        entry = metrics.filter(pl.col("metric") == metric).row(0, named=True)
        national = estimates.filter(pl.col("metric") == metric).row(0, named=True)
        value, detail = estimate_text(national, entry["unit"])
        with column, st.container(border=True, height="stretch"):
            st.metric(entry["label"], value, help=f"{entry['definition']} Method: {national['method']}")
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
    st.markdown("**About the data**")
    returns = int(services["has_activity_return"].sum())
    st.markdown(about_the_data(year, returns, build_info()["built_at"]))
    st.page_link(
        "app_pages/data_methods.py",
        label="Data and methods: definitions, coverage, sources",
        icon=":material/menu_book:",
    )
