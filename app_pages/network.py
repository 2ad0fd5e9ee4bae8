"""Library network: England's statutory libraries since 2010 (ACE) first; then the volunteer list's service points
listed as open, opened and closed in every nation (or "not recorded"), per 100,000 residents; weekly hours
(England); change per service."""

import polars as pl
import streamlit as st

from app_pages.kit.controls import briefing_switch, start_page
from app_pages.kit.loading import load, load_boundaries, per_build
from app_pages.kit.output import show_chart, show_table
from components.exports import csv_file_name, readable_csv
from components.hexmap import hex_layout
from components.network_definitions import definitions_markdown
from components.sections.network_area import area_choices, network_area, opening_words, page_years, sources_caption
from components.sections.network_sections import (
    MEASURES,
    NetworkSection,
    change_section,
    events_section,
    hours_section,
    listed_section,
    rate_section,
    statutory_section,
)
from observatory_data.serving.formats import sentence_case
from observatory_data.serving.geography import service_centroids
from observatory_data.serving.network_queries import UK


@per_build(max_entries=32)
def cached_hex_layout(codes: tuple[str, ...]) -> pl.DataFrame:
    boundaries = load_boundaries()
    return hex_layout(service_centroids(boundaries[boundaries["service_code"].isin(codes)]))


def show_section(section: NetworkSection | None, key: str) -> None:
    """A section's heading, then its chart and the numbers behind it, or the notice saying why there is none."""
    if section is None:
        return
    st.header(section.heading)
    if section.chart is None:
        st.info(section.notice)
        return
    show_chart(section.chart.figure, section.chart.table, section.chart.about, key, briefing)
    if section.caption:
        st.caption(section.caption)


state = start_page("network")
services, network, branches, peers = (load(n) for n in ("services", "network", "branches", "peers"))
years = page_years(network)
options = area_choices(services)
areas = list(options)
with st.sidebar:
    area = st.selectbox(
        "Area (type to search)", areas, key=state.choice("area", areas, UK, "area"), format_func=options.get
    )
    year = st.selectbox("Up to the end of", years, key=state.choice("year", years, years[-1], "year"))
    measure = st.radio(
        "Map colour", list(MEASURES), key=state.choice("change", list(MEASURES), "percent", "map colour"),
        format_func=MEASURES.get,
    )  # fmt: skip
briefing = briefing_switch(state)
state.write()

chosen = network_area(services, area, year)
st.title(f"Library network: {sentence_case(chosen.place)}")
st.caption(sources_caption(network, chosen))
st.markdown(opening_words(network, services, peers, branches, chosen))

show_section(statutory_section(network, services, chosen), "ace")  # (a) the strong series first: ACE, England
show_section(listed_section(network, services, chosen), "network")  # (b) the volunteer list, every nation
show_section(rate_section(network, services, chosen), "rate")  # (c) per 100,000 residents, beside wider areas
show_section(hours_section(network, chosen), "hours")  # (d) weekly hours, England only
show_section(change_section(network, services, chosen, measure, cached_hex_layout), "change")  # (e) the hex map

if events := events_section(branches, chosen):  # (f) a service's openings and closures, point by point
    st.header(events.heading)
    st.caption(events.caption)
    if not events.table.is_empty():
        show_table(events.table, missing="")
        st.download_button(
            "Download CSV",
            readable_csv(events.table, events.about),
            file_name=csv_file_name(events.about.title),
            mime="text/csv",
            key="csv-events",
            on_click="ignore",
        )

if not briefing:
    with st.expander("Definitions, sources and caveats", expanded=False):
        st.markdown(definitions_markdown())
