"""Priority Places: services in ACE's Priority Places and Levelling Up for Culture Places against the rest."""

import polars as pl
import streamlit as st

from app_pages._common import briefing_switch, load, metric_about, show_chart, show_table, start_page
from components.charts import Labels, distribution_chart, grouped_bar_chart
from components.exports import CAVEAT, caveat_column
from components.text import sentence_case
from observatory_data.catalogue import (
    CODES_VINTAGE,
    DENOMINATORS,
    IMD_NAME,
    POPULATION_VINTAGE,
    ace_source,
    financial_year,
    years_with_data,
)
from observatory_data.place_comparison import (
    ANY_CULTURE,
    ANY_PRIORITY,
    GROUPS,
    IMD_DECILE_NOTE,
    NEITHER,
    UNKNOWN,
    assign_groups,
    decile_summary,
    gap_sentence,
    group_summary,
    overlap_table,
    places_note,
)
from observatory_data.queries import left_out_note, metrics_reported, not_comparable, service_rates

state = start_page("places")
services, annual, metrics = load("services"), load("annual"), load("metrics")
years = years_with_data(annual)
year = st.session_state[state.choice("year", years, years[-1], "year")]
source = ace_source(year) + " Places: Arts Council England (evidence list in this observatory)."
labels = dict(metrics.select("metric", "label").iter_rows())
metric_ids = metrics_reported(metrics, annual, year)
with st.sidebar:
    metric = st.selectbox(
        "Metric", metric_ids, key=state.choice("metric", metric_ids, "loans", "metric"), format_func=labels.get
    )
briefing = briefing_switch(state)
state.write()

entry = metrics.filter(pl.col("metric") == metric).row(0, named=True)
per = DENOMINATORS[entry["denominator"]]
period = financial_year(year)
note_on_places = places_note(load("places"))

st.title("Priority Places and Levelling Up for Culture Places")
st.caption(
    "English library services (ACE's activity data covers England only) that contain at least one ACE Priority "
    "Place or Levelling Up for Culture Place (LUCP), against services known to contain neither. Most Priority "
    "Places are also culture places, so services are grouped by the combination of the two flags. A service "
    f"with an unknown flag on either list is in '{UNKNOWN}', never in the rest. " + note_on_places
)

grouped = assign_groups(service_rates(annual, services, metrics, metric, year))
summary = group_summary(grouped)
exclusive = summary.filter(pl.col("kind") == "exclusive")
coverage_note = "; ".join(f"{r['group']} {r['reported']} of {r['services']}" for r in exclusive.iter_rows(named=True))
apart = not_comparable(grouped)
apart_note = (
    f"{left_out_note(apart, ' of the boxes, drawn apart (open diamond, or an arrow at the axis end)')}; "
    "counted in the weighted rates. "
    if apart
    else ""
)
decile_header = f"{IMD_NAME} decile (1 = most deprived)"

st.subheader(f"{entry['label']} {per}, {period}")
for group in (ANY_PRIORITY, ANY_CULTURE):
    st.markdown("- " + gap_sentence(summary, group, entry["unit"], per))

title = f"{entry['label']} {per} in Priority Places and the rest of England, {period}"
figure = distribution_chart(
    grouped,
    Labels(
        title=title,
        subtitle=(
            f"Rate {per} ({POPULATION_VINTAGE}), {period}; each dot a library service, diamond the population-weighted "
            f"rate; compared with '{NEITHER}'"
        ),
        source=source,
        note=(
            f"Services reported: {coverage_note}. Partial, flagged and missing returns are not shown or counted. "
            f"{apart_note}{UNKNOWN}: a flag is unknown on either list."
        ),
        axis=f"{sentence_case(entry['unit'])} {per}",
    ),
    group_order=list(GROUPS),
    weighted=dict(exclusive.select("group", "rate").iter_rows()),
)
show_chart(
    figure,
    grouped.sort("group", "service_name").select(
        pl.col("group").alias("Group"),
        pl.col("service_name").alias("Service"),
        pl.col("service_code").alias("Service code"),
        pl.col("imd_decile").alias(decile_header),
        pl.col("value").alias(f"{entry['label']} ({entry['unit']})"),
        pl.col("status").str.replace_all("_", " ").alias("Status"),
        pl.col("denominator").alias(f"Population ({per.removeprefix('per 1,000 ')})"),
        pl.col("rate").round(1).alias(f"Rate {per}"),
        caveat_column(),
    ),
    metric_about(entry, title, period, source, (CAVEAT, (decile_header, IMD_DECILE_NOTE))),
    "distribution",
    briefing,
)

st.markdown(f"**Population-weighted rate per group, and the gap to '{NEITHER}'**")
st.caption(
    "The first five groups do not overlap; the last two add up every service with a Priority Place, and every "
    "service with a culture place. Rates are the group's total over the population of the services that reported."
)
show_table(
    summary.select(
        pl.col("group").alias("Group"),
        pl.col("services").alias("Services"),
        pl.col("coverage").alias("Coverage"),
        pl.col("rate").round(1).alias(f"Weighted rate {per}"),
        pl.col("gap").round(1).alias(f"Gap to {NEITHER}"),
        pl.col("gap_percent").round(1).alias("Gap (%)"),
    ),
    missing="not compared",
)

st.subheader("The same within each deprivation decile")
st.caption(
    "If the place groups differ from the rest within the same decile, the gap is not just deprivation. "
    "Cells rest on few services: the bar labels say how many reported of how many in the cell. " + IMD_DECILE_NOTE
)
by_decile = decile_summary(grouped)
decile_title = f"{entry['label']} {per} by deprivation decile, place groups and the rest of England, {period}"
decile_figure = grouped_bar_chart(
    by_decile.with_columns(pl.col("imd_decile").cast(pl.String)),
    Labels(
        title=decile_title,
        subtitle=(
            f"Population-weighted rate {per} per group within each {IMD_NAME} decile of English services "
            f"(1 = most deprived); compared with '{NEITHER}'"
        ),
        source=f"{source} MHCLG {IMD_NAME} (OGL v3), rebuilt on {CODES_VINTAGE} services.",
        note=f"Bar labels: services reported of services in the cell. No bar: no service in the cell reported. "
        f"{grouped.filter(pl.col('group') == UNKNOWN).height} services with an unknown flag are left out.",
        axis=f"{sentence_case(entry['unit'])} {per}",
    ),
    x="imd_decile",
    group="group",
    value="rate",
    x_title=f"{IMD_NAME} decile of the service (1 = most deprived)",
)
for trace in decile_figure.data:
    cells = by_decile.filter(pl.col("group") == trace.name)
    trace.update(text=cells["coverage"].str.replace(" of ", "/").to_list(), textposition="outside", cliponaxis=False)
show_chart(
    decile_figure,
    by_decile.select(
        pl.col("imd_decile").alias(decile_header),
        pl.col("group").alias("Group"),
        pl.col("services").alias("Services in the cell"),
        pl.col("reported").alias("Services reported"),
        pl.col("rate").round(1).alias(f"Population-weighted rate {per}"),
    ),
    metric_about(entry, decile_title, period, source, ((decile_header, IMD_DECILE_NOTE),)),
    "decile",
    briefing,
)

if not briefing:
    st.subheader("Services and the districts behind their flags")
    st.markdown("**How the two lists overlap: English services by flag**")
    show_table(overlap_table(services))
    flags = grouped.select("service_code", "group").join(services, on="service_code").sort("group", "service_name")
    show_table(
        flags.select(
            pl.col("service_name").alias("Service"),
            pl.col("group").alias("Group"),
            pl.col("priority_place").alias("Priority Place"),
            pl.col("priority_place_districts").fill_null("").alias("Priority Place districts"),
            pl.col("priority_place_unknown_districts").alias("Districts unknown (Priority Places)"),
            pl.col("lucp").alias("LUCP"),
            pl.col("lucp_districts").fill_null("").alias("LUCP districts"),
            pl.col("lucp_unknown_districts").alias("Districts unknown (LUCP)"),
        ),
    )
    with st.expander("The places list with its evidence (one row per district)"):
        st.caption(note_on_places)
        show_table(load("places"))
