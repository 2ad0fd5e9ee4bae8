"""Priority Places: services in ACE's Priority Places and Levelling Up for Culture Places against the rest."""

from dataclasses import replace

import polars as pl
import streamlit as st

from app_pages.kit.controls import briefing_switch, start_page, year_select
from app_pages.kit.loading import load, per_build
from app_pages.kit.output import RATES_PER, metric_about, show_chart, show_table
from components.charts import Labels, distribution_chart, grouped_bar_chart
from components.exports import AUDIT_MARK, AUDIT_NOTE, CAVEAT, about_table, audit_columns, caveat_column
from components.gaps import gap_bars
from observatory_data.serving.catalogue import (
    ACE_ACTIVITY,
    CODES_VINTAGE,
    DATA_LICENCE,
    DENOMINATORS,
    IMD_NAME,
    POPULATION_VINTAGE,
    ace_source,
    years_with_data,
)
from observatory_data.serving.formats import sentence_case
from observatory_data.serving.periods import financial_year, span
from observatory_data.serving.places_groups import (
    ANY_CULTURE,
    ANY_PRIORITY,
    GROUPS,
    IMD_DECILE_NOTE,
    NEITHER,
    UNKNOWN,
    assign_groups,
    decile_summary,
    gap_over_years,
    gap_sentence,
    gap_trend_sentence,
    group_summary,
    overlap_table,
    places_note,
    rates_by_year,
)
from observatory_data.serving.queries import left_out_note, metrics_reported, not_comparable, service_rates

PLACES_SOURCE = " Places: Arts Council England (evidence list in this observatory)."
GAP_VALUES = ("gap", "gap_percent", "gap_change", "gap_percent_change")


@per_build(max_entries=4)
def cached_gaps(gap_years: tuple[tuple[str, tuple[int, ...]], ...]) -> pl.DataFrame:
    """The gap per metric and year on fixed services: the same for every visitor of a build, so computed once."""
    annual, services, metrics = load("annual"), load("services"), load("metrics")
    return gap_over_years(rates_by_year(annual, services, metrics, {m: list(found) for m, found in gap_years}))


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
per = DENOMINATORS[entry["denominator"]]
note_on_places = places_note(load("places"))

st.title("Priority Places and Levelling Up for Culture Places")
st.caption(
    "English library services (ACE's activity data covers England only) that contain at least one ACE Priority "
    "Place or Levelling Up for Culture Place (LUCP), against services known to contain neither. Most Priority "
    "Places are also culture places, so services are grouped by the combination of the two flags. A service "
    f"with an unknown flag on either list is in '{UNKNOWN}', never in the rest. " + note_on_places
)
if year is None:
    st.warning(
        f"{entry['label']} has no ACE figures (it is one service's own open data), so services cannot be compared "
        "on it: choose another metric.",
        icon=":material/info:",
    )
    st.stop()
period = financial_year(year)
source = ace_source(year) + PLACES_SOURCE

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

st.header(f"{entry['label']} {per}, {period}")
st.caption(
    f"The gap in {period}: each group's population-weighted rate against that of '{NEITHER}', over every service "
    f"countable in {period}. A level in one year; how the gap changed is measured on the same services every year, "
    "below."
)
for group in (ANY_PRIORITY, ANY_CULTURE):
    st.markdown("- " + gap_sentence(summary, group, entry["unit"], per, year))

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
        *audit_columns(),
    ),
    metric_about(entry, title, period, source, (CAVEAT, AUDIT_MARK, AUDIT_NOTE, (decile_header, IMD_DECILE_NOTE))),
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

st.header("The same within each deprivation decile")
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

gap_years = {m: found for m in metric_ids if len(found := years_with_data(annual, m)) > 1}
if gap_years:
    st.header("How the gap changed over the years, on the same services")
    gaps = cached_gaps(tuple((m, tuple(found)) for m, found in gap_years.items()))
    first_year = gaps["year"].min()
    since, compared = financial_year(first_year), span(first_year, gaps["year"].max())
    st.caption(
        "Every metric with ACE figures for more than one year, each compared on the same services in every year "
        "(those with a countable figure in each), so a gap does not move because other services reported. The gap "
        f"is the difference between the group's population-weighted rate and that of '{NEITHER}', in the metric's "
        f"unit and in %; its change is counted from {since}. These are fewer services than the gap in one year above "
        "counts (every service countable in that year), so a year's gap here can differ from it: read the gap in a "
        "year above, and how it changed here."
    )
    if metric in gap_years:
        st.markdown(f"**{entry['label']} {per}, {span(gap_years[metric][0], gap_years[metric][-1])}**")
        for group in (ANY_PRIORITY, ANY_CULTURE):
            st.markdown("- " + gap_trend_sentence(gaps, metric, group))
    pers = {row["metric"]: DENOMINATORS[row["denominator"]] for row in metrics.iter_rows(named=True)}
    units = {row["metric"]: f"{row['unit']} {pers[row['metric']]}" for row in metrics.iter_rows(named=True)}
    gaps = gaps.with_columns(
        label=pl.col("metric").replace_strict(labels),
        unit=pl.col("metric").replace_strict(units),
        year_name=pl.col("year").map_elements(financial_year, return_dtype=pl.String),
    ).sort(pl.col("metric").cast(pl.Enum(list(gap_years))), "group", "year")
    gap_title = f"Gap between library services with a Priority Place and the rest of England, {compared}"
    gap_source = f"Source: {ACE_ACTIVITY}, {compared}; {POPULATION_VINTAGE} population (OGL v3).{PLACES_SOURCE}"
    gap_figure = gap_bars(
        gaps.filter(pl.col("group") == ANY_PRIORITY).with_columns(
            category=pl.format("{}<br>{} + {} services", "label", "services", "rest_services")
        ),
        Labels(
            title=gap_title,
            subtitle=(
                f"Population-weighted rate {' or '.join(sorted({pers[m] for m in gap_years}))} of services with any "
                "Priority Place against services "
                f"known to have neither kind of place ('{NEITHER}'): % difference by year, each metric on the same "
                "services in every year"
            ),
            source=gap_source,
            note=(
                "Under each metric: services with a Priority Place + services in the rest, countable in every year. "
                "Services with an unknown flag are in neither group. Below 0: the Priority Place services' rate is "
                "lower."
            ),
            axis=f"Gap to '{NEITHER}' (%)",
        ),
        category="category",
        series="year_name",
        value="gap_percent",
    )
    gap_columns = (
        ("Unit", f"What the rates count, {RATES_PER} ({POPULATION_VINTAGE})"),
        (
            "Group: services compared",
            "Services in the group with a countable figure in every year (the same each year)",
        ),
        ("Gap in the rate", f"The group's population-weighted rate minus {NEITHER}'s, in the unit"),
        ("Gap (%)", f"The group's population-weighted rate against {NEITHER}'s, as a % difference"),
        (f"Change since {since}: gap in the rate", f"This year's gap in the rate less {since}'s (empty in {since})"),
        (f"Change since {since}: gap (% points)", f"This year's gap (%) less {since}'s, in percentage points"),
    )
    show_chart(
        gap_figure,
        gaps.select(
            pl.col("label").alias("Metric"),
            pl.col("unit").alias("Unit"),
            pl.col("year_name").alias("Year"),
            pl.col("group").alias("Group"),
            pl.col("services").alias("Group: services compared"),
            pl.col("of").alias("Group: services"),
            pl.col("rate").round(1).alias("Group: weighted rate"),
            pl.col("rest_services").alias(f"{NEITHER}: services compared"),
            pl.col("rest_of").alias(f"{NEITHER}: services"),
            pl.col("rest_rate").round(1).alias(f"{NEITHER}: weighted rate"),
            *(
                pl.col(column).round(1).alias(header)
                for column, (header, _) in zip(GAP_VALUES, gap_columns[2:], strict=True)
            ),
        ),
        replace(
            about_table(gap_title, gap_source, DATA_LICENCE, gap_columns),
            notes="Each metric's gap on the same services in every year (those countable in every year of the metric: "
            "the counts in 'services compared'), so its change is a change in use, not in who reported. The gap in a "
            "single year over every service countable that year is a different figure (on the page, above).",
        ),
        "gap-years",
        briefing,
    )

if not briefing:
    st.header("Services and the districts behind their flags")
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
