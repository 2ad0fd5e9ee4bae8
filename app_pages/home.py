"""Overview: England's headline figures with coverage and their change over the years, what is known elsewhere,
and a door to each Offer."""

from dataclasses import replace

import polars as pl
import streamlit as st

from app_pages.kit.controls import briefing_switch, session_service, start_page, year_select
from app_pages.kit.loading import build_info, load
from app_pages.kit.output import metric_about, show_chart, show_table
from app_pages.registry import page_path
from components.charts.estimates import estimate_chart
from components.figure_layout import Labels
from components.network_text import network_tiles
from components.profile import service_labels
from components.text import (
    about_the_data,
    change_delta,
    estimate_text,
    estimates_table,
    matched_change_text,
    nation_summary,
)
from observatory_data.serving.catalogue import COVERAGE_THRESHOLD, HEADLINE_METRICS, OFFERS, ace_years_source
from observatory_data.serving.change import matched_change
from observatory_data.serving.coverage import services_returning
from observatory_data.serving.periods import financial_year, span

state = start_page("overview")
services, annual, metrics, branches = load("services"), load("annual"), load("metrics"), load("branches")
england = load("national").filter(pl.col("nation") == "England")
labels = dict(metrics.select("metric", "label").iter_rows())
charted = [metric for metric in HEADLINE_METRICS if metric in set(england["metric"])]
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
shown = england.filter(pl.col("year") <= year)  # the years up to the chosen one
first = shown["year"].min() or year

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
st.caption(
    "Each figure: England's level in the year, estimated for the whole of England (grossed up by population within "
    "each region from the services that reported countable values, with a 95% interval, beside the reported sum); "
    "and its change, measured on the same services: the total of the services countable in both years. Two "
    "estimates rest on different services, so their difference is not given as a change."
)
english = services.filter(pl.col("nation") == "England")["service_code"].to_list()
for row_start in range(0, len(HEADLINE_METRICS), 3):
    for column, headline in zip(st.columns(3), HEADLINE_METRICS[row_start : row_start + 3], strict=False):
        entry = metrics.filter(pl.col("metric") == headline).row(0, named=True)
        by_year = {row["year"]: row for row in shown.filter(pl.col("metric") == headline).iter_rows(named=True)}
        with column, st.container(border=True, height="stretch"):
            if year not in by_year:
                st.metric(entry["label"], "No estimate", help=entry["definition"])
                st.caption(f"No estimate for {period}.")
                continue
            changes = [
                matched_change(annual, headline, before, year, english)
                for before in sorted({year - 1, first} - {year}, reverse=True)
                if before in by_year
            ]
            value, detail = estimate_text(by_year[year], entry["unit"])
            # The label in full (a metric's label is cut to one line): it says what is counted.
            st.markdown(f"**{entry['label']}**", help=f"{entry['definition']} Method: {by_year[year]['method']}")
            st.metric(
                entry["label"],
                value,
                delta=change_delta(changes[-1]) if changes else None,
                delta_color="off",
                label_visibility="collapsed",
            )
            if change := matched_change_text(changes):
                st.markdown(change)
            st.caption(detail)

st.header(f"England's estimates per year, {span(first, year)}")
entry = metrics.filter(pl.col("metric") == metric).row(0, named=True)
rows = shown.filter(pl.col("metric") == metric).sort("year")
years = rows["year"].to_list()
title = f"{entry['label']} in England: estimated per year, {span(first, year)}"
coverage = "; ".join(
    f"{financial_year(row['year'])}: {row['services_reporting']} of {row['services_total']} services reported "
    f"({row['population_share']:.1%} of residents)"
    for row in rows.iter_rows(named=True)
)
figure = estimate_chart(
    rows.with_columns(pl.col("year").map_elements(financial_year, return_dtype=pl.String)),
    Labels(
        title=title,
        subtitle=f"Levels, grossed up by population within each region; bars: 95% interval; open circles: "
        f"indicative (reporting services below {COVERAGE_THRESHOLD:.0%} of authorities and of residents). Each year "
        "rests on the services that reported it: read change from the same services, above",
        source=ace_years_source(years),
        note=f"Coverage: {coverage}.",
        axis=f"{entry['unit']} per year",
    ),
)
show_chart(
    figure,
    rows.select(
        pl.col("year").map_elements(financial_year, return_dtype=pl.String).alias("Year"),
        pl.col("estimate").round(0).alias("Estimate"),
        pl.col("estimate_low").round(0).alias("95% interval, lower"),
        pl.col("estimate_high").round(0).alias("95% interval, upper"),
        pl.col("reported_total").round(0).alias("Reported sum"),
        pl.col("services_reporting").alias("Services reporting"),
        pl.col("services_total").alias("English services"),
        (pl.col("population_share") * 100).round(1).alias("Residents in reporting services (%)"),
        pl.col("indicative").alias("Indicative"),
        pl.col("indicative_reason").alias("Why indicative"),
    ),
    replace(
        metric_about(entry, title, f"financial years {span(first, year)}", ace_years_source(years)),
        unit=f"{entry['unit']} per year",
        denominator="none: estimated totals for the whole of England",
    ),
    "estimates",
    briefing,
)
if not briefing:
    st.markdown("**Every headline metric per year**")
    show_table(estimates_table(shown.filter(pl.col("metric").is_in(HEADLINE_METRICS)), labels))

st.header("Wales, Northern Ireland and the Crown Dependencies")
st.markdown(nation_summary(services, branches))

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
tiles = st.columns(3)
for index, (offer_id, offer) in enumerate(OFFERS.items()):
    count = metrics.filter(pl.col("offers").list.contains(offer)).height
    with tiles[index % 3], st.container(border=True):
        st.markdown(f"**{offer}**")
        st.caption(f"{count} metrics")
        st.page_link(
            page_path("trends"),
            label="See the trends",
            icon=":material/show_chart:",
            query_params={"offer": offer_id},
        )

with st.container(border=True):
    st.markdown("**About the data**")
    st.markdown(about_the_data(year, services_returning(annual, year), build_info()["built_at"]))
    st.page_link(
        page_path("data"),
        label="Data and methods: definitions, coverage, sources",
        icon=":material/menu_book:",
    )
