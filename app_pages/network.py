"""Library network: England's statutory libraries since 2010 (ACE) first; then the volunteer list's service points
listed as open, opened and closed in every nation (or "not recorded"), per 100,000 residents; weekly hours
(England); change per service."""

from functools import partial

import polars as pl
import streamlit as st

from app_pages.kit.controls import briefing_switch, start_page
from app_pages.kit.first_paint import rest_after_first_paint
from app_pages.kit.loading import load, load_boundaries, per_build
from app_pages.kit.output import show_section, show_table
from components.exports import csv_file_name, readable_csv
from components.hexmap import hex_layout
from components.network_definitions import definitions_markdown
from components.sections.network_area import area_choices, page_years
from components.sections.network_sections import MEASURES, NetworkPage, NetworkSection, change_section, network_page
from observatory_data.serving.formats import sentence_case
from observatory_data.serving.geography import service_centroids
from observatory_data.serving.network_queries import UK


@per_build(max_entries=32)
def cached_hex_layout(codes: tuple[str, ...]) -> pl.DataFrame:
    boundaries = load_boundaries()
    return hex_layout(service_centroids(boundaries[boundaries["service_code"].isin(codes)]))


@per_build(max_entries=2)
def cached_choices() -> tuple[list[int], dict[str, str]]:
    """The years the page can run to and the areas it offers, with their words."""
    return page_years(load("network")), area_choices(load("services"))


@per_build(resource=True, max_entries=32, show_spinner="Counting the network…")
def cached_page(area: str, year: int) -> NetworkPage:
    """An area's page up to a year, made once per build and shared by every visitor (nothing changes it)."""
    return network_page(*(load(name) for name in ("network", "services", "branches", "peers")), area, year)


@per_build(resource=True, max_entries=32)
def cached_change(area: str, year: int, measure: str) -> NetworkSection:
    """(e) The change map of an area up to a year, in the measure its colour shows."""
    chosen = cached_page(area, year).chosen
    return change_section(load("network"), load("services"), chosen, measure, cached_hex_layout)


state = start_page("network")
years, options = cached_choices()
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

page = cached_page(area, year)
st.title(f"Library network: {sentence_case(page.chosen.place)}")
st.caption(page.caption)
st.markdown(page.words)

for key, section in (*page.sections, ("change", cached_change(area, year, measure))):
    if section is not None:
        show_section(section.heading, section.chart, section.notice, [section.caption], key, briefing)
        if section.chart is not None:  # the first chart drawn is the top's end (Wales draws no line: its rate chart)
            rest_after_first_paint()

if events := page.events:  # (f) a service's openings and closures, point by point
    st.header(events.heading)
    st.caption(events.caption)
    if not events.table.is_empty():
        show_table(events.table, missing="")
        st.download_button(
            "Download CSV",
            partial(readable_csv, events.table, events.about),  # made when the button is pressed
            file_name=csv_file_name(events.about.title),
            mime="text/csv",
            key="csv-events",
            on_click="ignore",
        )

if not briefing:
    with st.expander("Definitions, sources and caveats", expanded=False):
        st.markdown(definitions_markdown())
