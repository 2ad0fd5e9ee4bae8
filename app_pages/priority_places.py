"""Priority Places: services in ACE's Priority Places and Levelling Up for Culture Places against the rest."""

import polars as pl
import streamlit as st

from app_pages.kit.controls import briefing_switch, start_page, year_select
from app_pages.kit.loading import load, per_build
from app_pages.kit.output import show_chart, show_table
from components.sections.places_gaps import gap_metric_years, gap_years_section
from components.sections.places_sections import (
    DECILE_CAPTION,
    SUMMARY_CAPTION,
    SUMMARY_HEADING,
    decile_section,
    distribution_section,
    flags_table,
    gap_lines,
    intro,
    no_figures,
    summary_table,
    year_caption,
    year_heading,
)
from components.sentences import places_note
from observatory_data.serving.catalogue import years_with_data
from observatory_data.serving.places_groups import (
    assign_groups,
    gap_over_years,
    group_summary,
    overlap_table,
    service_rates_by_metric,
)
from observatory_data.serving.rates import metrics_reported, service_rates


@per_build(max_entries=4)
def cached_gaps(gap_years: tuple[tuple[str, tuple[int, ...]], ...]) -> pl.DataFrame:
    """The gap per metric and year on fixed services: the same for every visitor of a build, so computed once."""
    annual, services, metrics = load("annual"), load("services"), load("metrics")
    return gap_over_years(
        service_rates_by_metric(annual, services, metrics, {m: list(found) for m, found in gap_years})
    )


state = start_page("places")
services, annual, metrics = load("services"), load("annual"), load("metrics")
labels = dict(metrics.select("metric", "label").iter_rows())
metric_ids = metrics_reported(metrics, annual)
with st.sidebar:
    metric = st.selectbox(
        "Metric", metric_ids, key=state.choice("metric", metric_ids, "loans", "metric"), format_func=labels.get
    )
year = year_select(state, annual, metric) if years_with_data(annual, metric) else None
briefing = briefing_switch(state)
state.write()

entry = metrics.filter(pl.col("metric") == metric).row(0, named=True)
note_on_places = places_note(load("places"))

st.title("Priority Places and Levelling Up for Culture Places")
st.caption(intro(note_on_places))
if year is None:
    st.warning(no_figures(entry), icon=":material/info:")
    st.stop()

grouped = assign_groups(service_rates(annual, services, metrics, metric, year))
summary = group_summary(grouped)
st.header(year_heading(entry, year))
st.caption(year_caption(year))
for line in gap_lines(summary, entry, year):
    st.markdown(line)
distribution = distribution_section(grouped, summary, entry, year)
show_chart(distribution.figure, distribution.table, distribution.about, "distribution", briefing)

st.markdown(SUMMARY_HEADING)
st.caption(SUMMARY_CAPTION)
show_table(summary_table(summary, entry), missing="not compared")

st.header("The same within each deprivation decile")
st.caption(DECILE_CAPTION)
deciles = decile_section(grouped, entry, year)
show_chart(deciles.figure, deciles.table, deciles.about, "decile", briefing)

gap_years = gap_metric_years(annual, metric_ids)
if gap_years:
    st.header("How the gap changed over the years, on the same services")
    gaps = cached_gaps(tuple((m, tuple(found)) for m, found in gap_years.items()))
    over_years = gap_years_section(gaps, metrics, gap_years, entry)
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
    show_table(overlap_table(services))
    show_table(flags_table(grouped, services))
    with st.expander("The places list with its evidence (one row per district)"):
        st.caption(note_on_places)
        show_table(load("places"))
