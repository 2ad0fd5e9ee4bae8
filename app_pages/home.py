"""Overview: England's headline figures with coverage and their change over the years, what is known elsewhere,
and a door to each Offer."""

import polars as pl
import streamlit as st

from app_pages.kit.briefings import area_briefing_buttons
from app_pages.kit.controls import briefing_switch, session_service, start_page, year_select
from app_pages.kit.first_paint import rest_after_first_paint
from app_pages.kit.loading import build_info, load, per_build
from app_pages.kit.output import show_chart, show_table
from app_pages.registry import page_path
from components.network_text import NetworkTile, network_tiles
from components.profile import service_labels
from components.sections.chart_section import ChartSection
from components.sections.overview_sections import (
    HEADLINES_CAPTION,
    EnglandEstimates,
    HeadlineTile,
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


@per_build(resource=True, max_entries=2)
def front() -> tuple[list[str], dict[str, str], dict[str, str], str, list[NetworkTile], list[tuple[str, str, int]]]:
    """What the page shows whatever the choices: the chart's metrics and their labels, the services to find, the
    nations' summary, the network's tiles and the Offers' doors (once per build, not on every rerun)."""
    services, metrics = load("services"), load("metrics")
    return (
        charted_metrics(load("national")),
        dict(metrics.select("metric", "label").iter_rows()),
        service_labels(services),
        nation_summary(services, load("branches")),
        network_tiles(load("network"), services),
        offer_doors(metrics),
    )


@per_build(resource=True, max_entries=16)
def headlines(year: int) -> tuple[EnglandEstimates, list[HeadlineTile], pl.DataFrame, str]:
    """The year's estimates, its headline tiles (each change on the same services), the table of every headline
    metric per year and the words about the data."""
    annual, metrics = load("annual"), load("metrics")
    england = england_estimates(load("national"), year)
    return (
        england,
        headline_tiles(england, annual, load("services"), metrics),
        every_headline_table(england, metrics),
        about_the_data_text(annual, year, build_info()["built_at"]),
    )


@per_build(resource=True, max_entries=64)
def estimates(year: int, metric: str) -> ChartSection:
    """One metric's estimates per year up to the year: the chart, its table and its About."""
    return estimates_section(england_estimates(load("national"), year), load("metrics"), metric)


state = start_page("overview")
charted, labels, search, nations, network, doors = front()
with st.sidebar:
    metric = st.selectbox(
        "Metric for the chart",
        charted,
        key=state.choice("metric", charted, charted[0], "metric"),
        format_func=labels.get,
    )
year = year_select(state, load("annual"), metric)
briefing = briefing_switch(state)
state.write()
period = financial_year(year)
england, tiles, every_headline, about_the_data = headlines(year)

st.title("Public Libraries Data Observatory")
st.caption(
    "Evidence on the UK's public library services: how each service compares with similar services, "
    f"its region and England. Figures are for the financial year {period} unless stated."
)

# Find a service from the front page: the choice opens its benchmark (a service is chosen once, then remembered).
BENCHMARK = page_path("benchmark")


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
chart = estimates(year, metric)
show_chart(chart.figure, chart.table, chart.about, "estimates", briefing)
rest_after_first_paint()
if not briefing:
    st.markdown("**Every headline metric per year**")
    show_table(every_headline)
    area_briefing_buttons(year)  # after the first chart: nothing above it but the figures it is drawn from

st.header("Wales, Northern Ireland and the Crown Dependencies")
st.markdown(nations)

st.header("The library network")
for column, tile in zip(st.columns(4), network, strict=False):
    with column, st.container(border=True, height="stretch"):
        st.metric(tile.label, tile.value, tile.delta, delta_color="off")
        st.caption(tile.detail)
st.page_link(
    page_path("network"),
    label="Statutory libraries since 2010 (ACE), the listed service points, who runs them, their hours",
    icon=":material/hub:",
)

st.header("The Universal Library Offers")
door_columns = st.columns(3)
for index, (offer_id, offer, count) in enumerate(doors):
    with door_columns[index % 3], st.container(border=True):
        st.markdown(f"**{offer}**")
        st.caption(f"{count} metrics")
        st.page_link(
            page_path("trends"), label="See the trends", icon=":material/show_chart:", query_params={"offer": offer_id}
        )

with st.container(border=True):
    st.markdown("**About the data**")
    st.markdown(about_the_data)
    st.page_link(
        page_path("data"), label="Data and methods: definitions, coverage, sources", icon=":material/menu_book:"
    )
