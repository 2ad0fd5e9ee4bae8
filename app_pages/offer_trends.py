"""Offer trends: an Offer's metrics across years (England, a region, a service and its peers, each group on the
same services every year) and by month within 2023/24, the one year with monthly detail."""

from dataclasses import replace

import polars as pl
import streamlit as st

from app_pages.kit.controls import briefing_switch, start_page, year_select
from app_pages.kit.loading import load
from app_pages.kit.output import metric_about, show_chart
from app_pages.registry import page_path
from components.briefing import ENGLAND, GROUP, REGION
from components.charts import Labels
from components.text import ace_years_source, long_run_note, matched_words
from components.trends import annual_lines, trend_chart, trend_lines, year_trend_lines
from observatory_data.serving.catalogue import (
    DENOMINATORS,
    OFFER_PRIMARY_METRIC,
    OFFERS,
    POPULATION_VINTAGE,
    ace_source,
    years_with_data,
)
from observatory_data.serving.change import england_change
from observatory_data.serving.formats import sentence_case
from observatory_data.serving.periods import financial_year, span_of, year_of
from observatory_data.serving.queries import metrics_reported, peer_codes, service_caveats

PEER_COUNTS = list(range(5, 31))
NO_REGION = ""

state = start_page("trends")
services, monthly, metrics, peers, annual = (load(n) for n in ("services", "monthly", "metrics", "peers", "annual"))
english = services.filter(pl.col("nation") == "England").sort("service_name")
names = dict(english.select("service_code", "service_name").iter_rows())
region_of = dict(english.select("service_code", "region").iter_rows())
regions = sorted(english["region"].unique().to_list())
monthly_metrics = set(monthly["metric"].unique())
reported = metrics.filter(pl.col("metric").is_in(metrics_reported(metrics, annual)))
first_month, last_month = monthly["period"].min(), monthly["period"].max()
monthly_year = year_of(first_month)
MEASURES = {
    "rate": "Rate",  # followed by the metric's own population in the radio: "Rate per 1,000 children aged 0-11"
    "count": "Counts",
    "index": f"Indexed ({first_month:%B %Y} = 100)",
}


def offer_metrics(offer_id: str) -> list[str]:
    """The Offer's metrics with values in any year, its primary metric first."""
    ids = reported.filter(pl.col("offers").list.contains(OFFERS[offer_id]))["metric"].to_list()
    return sorted(ids, key=lambda metric: metric != OFFER_PRIMARY_METRIC[offer_id])


def follow_service_region() -> None:
    """Choosing a service shows its region beside it (the user can still pick another)."""
    chosen = st.session_state[state.key("service")]
    st.session_state[state.key("region")] = region_of.get(chosen, NO_REGION)


# A link with a metric but no Offer opens the first Offer the metric belongs to.
linked_metric = state.url.get("metric") if "offer" not in state.url else None
default_offer = next((offer for offer in OFFERS if linked_metric and linked_metric in offer_metrics(offer)), "reading")
with st.sidebar:
    offer_id = st.selectbox(
        "Offer", list(OFFERS), key=state.choice("offer", list(OFFERS), default_offer, "Offer"), format_func=OFFERS.get
    )
    metric_ids = offer_metrics(offer_id)
    labels = dict(reported.select("metric", "label").iter_rows())
    metric = st.selectbox(
        "Metric", metric_ids, key=state.choice("metric", metric_ids, metric_ids[0], "metric"), format_func=labels.get
    )
    ace_years = years_with_data(annual, metric)  # none for a service's own count, such as Newcastle's issues
    year = year_select(state, annual, metric if ace_years else None)
    service_options = ["", *names]
    service = st.selectbox(
        "Service (type to search)",
        service_options,
        key=state.choice("service", service_options, "", "service"),
        format_func=lambda code: names.get(code, "None: England and region only"),
        on_change=follow_service_region,
    )
    region_options = [NO_REGION, *regions]
    region = st.selectbox(
        "Region",
        region_options,
        key=state.choice("region", region_options, region_of.get(service, NO_REGION), "region"),
        format_func=lambda name: name or "None: England only",
    )
    peers_key = state.choice("peers", PEER_COUNTS, 15, "number of peers")
    # Shown only with a service: a greyed-out slider's faded label failed axe's colour-contrast check.
    peer_count = st.slider("Nearest neighbours", 5, 30, key=peers_key) if service else st.session_state[peers_key]
    per = DENOMINATORS[metrics.filter(pl.col("metric") == metric)["denominator"].item()]
    measure = st.radio(
        "Measure",
        list(MEASURES),
        key=state.choice("measure", list(MEASURES), "rate", "measure"),
        format_func=lambda option: f"Rate {per}" if option == "rate" else MEASURES[option],
    )
briefing = briefing_switch(state)
state.write()

offer = OFFERS[offer_id]
entry = metrics.filter(pl.col("metric") == metric).row(0, named=True)
st.title(f"{entry['label']}: trends")
st.caption(f"Offer: {offer}. The metric and the Offer are chosen in the sidebar.")
if not briefing:
    with st.expander(f"Definition: {entry['label']}"):
        st.markdown(entry["definition"])

group = {"England": english["service_code"].to_list()}
if region:
    group[region] = english.filter(pl.col("region") == region)["service_code"].to_list()
roles = {"England": ENGLAND, region: REGION}
if service:
    peers_label = f"{names[service]}'s {peer_count} nearest neighbours"
    group[peers_label] = peer_codes(peers, service, peer_count)
    roles[peers_label] = GROUP
where = ", ".join(part for part in (names.get(service), region, "England") if part)
name = names.get(service, "")

years = [known for known in ace_years if known <= year]
span = span_of(years)
st.header(f"Across years, {span}" if years else "Across years")
if not years:
    st.info(
        f"{entry['label']}: not in ACE's returns, only in a service's own data. See the long runs below.",
        icon=":material/info:",
    )
else:
    caveat = "; ".join(service_caveats(annual, service, years[-1], metric)) or None
    yearly = year_trend_lines(annual, services, entry, group, service, name, measure, years, caveat, roles)
    england_set = yearly.frame.filter(pl.col("series") == "England")["services"].max() or 0
    title = f"{entry['label']} by year, {span}: {where}"
    in_england = f"{england_set} of {english.height} services in England"
    subtitle = f"{sentence_case(yearly.axis)}. {yearly.measure} ({in_england})."
    # England's headline (as on the Overview and the map) rests on the services countable in the first and last year
    # only; over more years the lines rest on fewer, so both are given, each named.
    headline = (
        f"England's headline change: {matched_words(england_change(annual, services, metric, years[0], years[-1]))}."
        if len(years) > 2
        else ""
    )
    change = f"{yearly.change} {headline}".strip()
    show_chart(
        trend_chart(
            yearly,
            Labels(
                title=title,
                subtitle=subtitle,
                source=ace_years_source(years),
                note=yearly.note
                + (f" Every year's rate uses the {POPULATION_VINTAGE} population." if measure == "rate" else ""),
                axis=yearly.axis,
            ),
            x_title="Financial year",
        ),
        yearly.frame.select(
            pl.col("series").alias("Line"),
            pl.col("period").alias("Year"),
            pl.col("value").round(1).alias(sentence_case(yearly.axis)),
            pl.col("services").alias("Services counted"),
        ),
        replace(
            metric_about(entry, title, f"financial years {span}", ace_years_source(years)),
            notes=f"{subtitle} {yearly.note} {change}".strip(),
        ),
        "years",
        briefing,
    )
    if change:
        st.caption(change)
    if len(years) == 1 and len(ace_years) > 1:
        st.caption("Choose a later year to see the change over the years.")
    elif len(ace_years) == 1:
        st.caption(
            f"ACE's later releases carry only the headline metrics: {financial_year(ace_years[0])} is the one year "
            "of this metric. Its months are below."
        )

st.header(f"Within {financial_year(monthly_year)}, by month")
if metric not in monthly_metrics:
    st.info(
        f"No monthly series for {entry['label'].lower()}: ACE's {financial_year(monthly_year)} workbook, the one "
        "source with months, does not give it by month.",
        icon=":material/info:",
    )
else:
    caveat = "; ".join(service_caveats(annual, service, monthly_year, metric)) if service else None
    lines = trend_lines(monthly, services, entry, group, service, name, measure, caveat, roles)
    title = f"{entry['label']} by month, {financial_year(monthly_year)}: {where}"
    figure = trend_chart(
        lines,
        Labels(
            title=title,
            subtitle=f"{sentence_case(lines.axis)}. England, region and peers: services that reported every month.",
            source=ace_source(monthly_year),
            note=lines.note,
            axis=lines.axis,
        ),
    )
    show_chart(
        figure,
        lines.frame.select(
            pl.col("series").alias("Line"),
            pl.col("period").dt.strftime("%B %Y").alias("Month"),
            pl.col("value").round(1).alias(sentence_case(lines.axis)),
            pl.when(pl.col("shape") == "hv")
            .then(pl.lit("quarterly total shown as a monthly average"))
            .otherwise(pl.lit("month as returned"))
            .alias("How the month is drawn"),
        ),
        metric_about(entry, title, f"{first_month:%B %Y} to {last_month:%B %Y}, by month", ace_source(monthly_year)),
        "monthly",
        briefing,
    )

st.page_link(page_path("network"), label="The library network since 2010: libraries open, closed, who runs them",
             icon=":material/hub:")  # fmt: skip
st.header("Long runs from services' own data")
long_run = annual_lines(annual, metrics, service, name, offer) if service else None
if long_run is None:
    st.info(long_run_note(annual), icon=":material/info:")
else:
    show_chart(
        long_run.figure,
        long_run.frame.select(
            pl.col("label").alias("Metric"),
            pl.col("year").map_elements(financial_year, return_dtype=pl.String).alias("Year"),
            pl.col("value").alias("Value"),
            pl.col("status").alias("Status"),
            pl.col("source").alias("Source"),
            pl.col("note").alias("Note"),
        ),
        metric_about(entry, f"{name}: long-run series by financial year", "financial years", "various"),
        "annual",
        briefing,
    )
