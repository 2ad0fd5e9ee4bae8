"""Priority Places: services in ACE's Priority Places and Levelling Up for Culture Places against the rest."""

import polars as pl
import streamlit as st

from app_pages.kit.controls import briefing_switch, start_page, year_select
from app_pages.kit.first_paint import rest_after_first_paint
from app_pages.kit.loading import load, per_build
from app_pages.kit.output import opened, show_chart, show_table
from components.sections.chart_section import ChartSection
from components.sections.places_gaps import GapYears, gap_metric_years, gap_years_chart, gap_years_section
from components.sections.places_sections import (
    DECILE_CAPTION,
    SUMMARY_CAPTION,
    SUMMARY_HEADING,
    PlacesYear,
    intro,
    no_figures,
    places_year,
)
from components.sentences import places_note
from observatory_data.serving.catalogue import years_with_data
from observatory_data.serving.places_groups import gap_over_years, overlap_table, service_rates_by_metric
from observatory_data.serving.rates import metrics_reported, service_rates

# Built once per build (kit.loading.per_build) from the visitor's choices, never from frames (hashing one costs as
# much as the work); a resource cache's objects are shared by every session and never changed.


@per_build(max_entries=2)
def page_words() -> tuple[dict[str, str], list[str], str]:
    """The metrics' labels, the metrics with ACE figures, and the words on how complete the places list is."""
    metrics, labels = load("metrics"), dict(load("metrics").select("metric", "label").iter_rows())
    return labels, metrics_reported(metrics, load("annual")), places_note(load("places"))


@per_build(max_entries=64)
def metric_entry(metric: str) -> tuple[dict, bool]:
    """The metric's catalogue row, and whether it has ACE figures in any year."""
    entry = load("metrics").filter(pl.col("metric") == metric).row(0, named=True)
    return entry, bool(years_with_data(load("annual"), metric))


@per_build(resource=True, max_entries=96)  # 27 metrics x 3 years: two figures and four tables (~300 KB)
def cached_year(metric: str, year: int) -> PlacesYear:
    services = load("services")
    rates = service_rates(load("annual"), services, load("metrics"), metric, year)
    return places_year(rates, services, metric_entry(metric)[0], year)


@per_build(resource=True, max_entries=2)
def cached_gaps() -> tuple[dict[str, list[int]], pl.DataFrame | None, ChartSection | None]:
    """The metrics with more than one year, the gap per metric and year on fixed services, and its chart (the same
    for every metric)."""
    annual, services, metrics = load("annual"), load("services"), load("metrics")
    gap_years = gap_metric_years(annual, metrics_reported(metrics, annual))
    if not gap_years:
        return gap_years, None, None
    gaps = gap_over_years(service_rates_by_metric(annual, services, metrics, gap_years))
    return gap_years, gaps, gap_years_chart(gaps, metrics, gap_years)


@per_build(resource=True, max_entries=64)  # per metric: a caption and a few sentences (the chart is shared)
def cached_gap_section(metric: str) -> GapYears | None:
    gap_years, gaps, chart = cached_gaps()
    return gap_years_section(gaps, load("metrics"), gap_years, metric_entry(metric)[0], chart) if gap_years else None


@per_build(resource=True, max_entries=2)
def cached_overlap() -> pl.DataFrame:
    return overlap_table(load("services"))


state = start_page("places")
labels, metric_ids, note_on_places = page_words()
with st.sidebar:
    metric = st.selectbox(
        "Metric", metric_ids, key=state.choice("metric", metric_ids, "loans", "metric"), format_func=labels.get
    )
entry, has_years = metric_entry(metric)
year = year_select(state, load("annual"), metric) if has_years else None
briefing = briefing_switch(state)
state.write()

st.title("Priority Places and Levelling Up for Culture Places")
st.caption(intro(note_on_places))
if year is None:
    st.warning(no_figures(entry), icon=":material/info:")
    st.stop()

view = cached_year(metric, year)
st.header(view.heading)
st.caption(view.caption)
for line in view.gap_lines:
    st.markdown(line)
distribution = view.distribution
show_chart(distribution.figure, distribution.table, distribution.about, "distribution", briefing)
rest_after_first_paint()

st.markdown(SUMMARY_HEADING)
st.caption(SUMMARY_CAPTION)
show_table(view.summary, missing="not compared")

st.header("The same within each deprivation decile")
st.caption(DECILE_CAPTION)
deciles = view.deciles
show_chart(deciles.figure, deciles.table, deciles.about, "decile", briefing)

if over_years := cached_gap_section(metric):
    st.header("How the gap changed over the years, on the same services")
    st.caption(over_years.caption)
    if over_years.heading:
        st.markdown(over_years.heading)
        for line in over_years.trend:
            st.markdown(line)
    chart = over_years.chart
    show_chart(chart.figure, chart.table, chart.about, "gap-years", briefing)

if not briefing:
    st.header("Services and the districts behind their flags")
    st.markdown("**How the two lists overlap: English services by flag**")
    show_table(cached_overlap())
    show_table(view.flags)
    if evidence := opened("The places list with its evidence (one row per district)", "places-evidence"):
        with evidence:
            st.caption(note_on_places)
            show_table(load("places"))
