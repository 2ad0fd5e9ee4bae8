"""Overview: England's headline figures with coverage and their change over the years, what is known elsewhere,
and a door to each Offer."""

import streamlit as st

from app_pages.kit.controls import briefing_switch, session_service, start_page, year_select
from app_pages.kit.loading import build_info, load
from app_pages.kit.output import show_chart, show_table
from app_pages.registry import page_path
from components.network_text import network_tiles
from components.profile import service_labels
from components.sections.overview_sections import (
    HEADLINES_CAPTION,
    about_the_data_text,
    charted_metrics,
    england_estimates,
    estimates_section,
    every_headline_table,
    headline_tiles,
    offer_doors,
)
from components.text import nation_summary
from observatory_data.serving.periods import financial_year

state = start_page("overview")
services, annual, metrics, national = load("services"), load("annual"), load("metrics"), load("national")
labels = dict(metrics.select("metric", "label").iter_rows())
charted = charted_metrics(national)
with st.sidebar:
    metric = st.selectbox(
        "Metric for the chart",
        charted,
        key=state.choice("metric", charted, charted[0], "metric"),
        format_func=labels.get,
    )
year = year_select(state, annual, metric)
briefing = briefing_switch(state)
state.write()
period = financial_year(year)
england = england_estimates(national, year)

st.title("Public Libraries Data Observatory")
st.caption(
    "Evidence on the UK's public library services: how each service compares with similar services, "
    f"its region and England. Figures are for the financial year {period} unless stated."
)

# Find a service from the front page: the choice opens its benchmark (a service is chosen once, then remembered).
BENCHMARK = page_path("benchmark")
search = service_labels(services)


def open_benchmark() -> None:
    """The search's choice is carried to the next run, which opens the benchmark (a callback cannot switch page)."""
    st.session_state["overview-open"] = st.session_state.pop("overview-find", None)


if chosen := st.session_state.pop("overview-open", None):
    st.switch_page(BENCHMARK, query_params={"service": chosen})
with st.container(border=True):
    st.selectbox(
        "Find your library service",
        list(search),
        index=None,
        key="overview-find",
        format_func=search.get,
        placeholder="Type a service's name, e.g. Kent",
        on_change=open_benchmark,
        help="Opens the service's benchmark: against its nearest neighbours, its region and England.",
    )
    if (yours := session_service()) in search:
        st.page_link(
            BENCHMARK,
            label=f"Your service: {search[yours]} — open its benchmark",
            icon=":material/bookmark:",
            query_params={"service": yours},
        )

st.header(f"England, {period}")
st.caption(HEADLINES_CAPTION)
tiles = headline_tiles(england, annual, services, metrics)
for row_start in range(0, len(tiles), 3):
    for column, tile in zip(st.columns(3), tiles[row_start : row_start + 3], strict=False):
        with column, st.container(border=True, height="stretch"):
            if not tile.estimated:
                st.metric(tile.label, tile.value, help=tile.help)
                st.caption(tile.detail)
                continue
            # The label in full (a metric's label is cut to one line): it says what is counted.
            st.markdown(f"**{tile.label}**", help=tile.help)
            st.metric(tile.label, tile.value, delta=tile.delta, delta_color="off", label_visibility="collapsed")
            if tile.change:
                st.markdown(tile.change)
            st.caption(tile.detail)

st.header(f"England's estimates per year, {england.span}")
estimates = estimates_section(england, metrics, metric)
show_chart(estimates.figure, estimates.table, estimates.about, "estimates", briefing)
if not briefing:
    st.markdown("**Every headline metric per year**")
    show_table(every_headline_table(england, metrics))

st.header("Wales, Northern Ireland and the Crown Dependencies")
st.markdown(nation_summary(services, load("branches")))

st.header("The library network")
for column, tile in zip(st.columns(4), network_tiles(load("network"), services), strict=False):
    with column, st.container(border=True, height="stretch"):
        st.metric(tile.label, tile.value, tile.delta, delta_color="off")
        st.caption(tile.detail)
st.page_link(
    page_path("network"),
    label="Statutory libraries since 2010 (ACE), the listed service points, who runs them, their hours",
    icon=":material/hub:",
)

st.header("The Universal Library Offers")
doors = st.columns(3)
for index, (offer_id, offer, count) in enumerate(offer_doors(metrics)):
    with doors[index % 3], st.container(border=True):
        st.markdown(f"**{offer}**")
        st.caption(f"{count} metrics")
        st.page_link(
            page_path("trends"), label="See the trends", icon=":material/show_chart:", query_params={"offer": offer_id}
        )

with st.container(border=True):
    st.markdown("**About the data**")
    st.markdown(about_the_data_text(annual, year, build_info()["built_at"]))
    st.page_link(
        page_path("data"), label="Data and methods: definitions, coverage, sources", icon=":material/menu_book:"
    )
