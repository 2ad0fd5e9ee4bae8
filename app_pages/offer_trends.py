"""Offer trends: an Offer's metrics across years (England, a region, a service and its peers, each group on the
same services every year) and by month within 2023/24, the one year with monthly detail."""

import polars as pl
import streamlit as st

from app_pages.kit.controls import briefing_switch, start_page, year_select
from app_pages.kit.loading import load
from app_pages.kit.output import show_chart
from app_pages.registry import page_path
from components.sections.trends_choices import (
    NO_REGION,
    NO_SERVICE,
    default_offer,
    english_services,
    measure_options,
    offer_metrics,
    reported_metrics,
    trend_groups,
)
from components.sections.trends_sections import TrendSection, long_run_section, months_section, years_section
from observatory_data.serving.catalogue import OFFERS, PEER_COUNT, PEER_COUNTS, years_with_data

state = start_page("trends")
services, monthly, metrics, peers, annual = (load(n) for n in ("services", "monthly", "metrics", "peers", "annual"))
english = english_services(services)
names, region_of = english.names, english.region_of
reported = reported_metrics(metrics, annual)


def follow_service_region() -> None:
    """Choosing a service shows its region beside it (the user can still pick another)."""
    chosen = st.session_state[state.key("service")]
    st.session_state[state.key("region")] = region_of.get(chosen, NO_REGION)


def show_section(section: TrendSection, key: str) -> None:
    """A section's heading, then its chart and the numbers behind it (and the words under it), or why there is none."""
    st.header(section.heading)
    if section.chart is None:
        st.info(section.notice, icon=":material/info:")
        return
    show_chart(section.chart.figure, section.chart.table, section.chart.about, key, briefing)
    for caption in section.captions:
        st.caption(caption)


# A link with a metric but no Offer opens the first Offer the metric belongs to.
linked_metric = state.url.get("metric") if "offer" not in state.url else None
with st.sidebar:
    offers = list(OFFERS)
    offer_key = state.choice("offer", offers, default_offer(reported, linked_metric), "Offer")
    offer_id = st.selectbox("Offer", offers, key=offer_key, format_func=OFFERS.get)
    metric_ids = offer_metrics(reported, offer_id)
    labels = dict(reported.select("metric", "label").iter_rows())
    metric = st.selectbox(
        "Metric", metric_ids, key=state.choice("metric", metric_ids, metric_ids[0], "metric"), format_func=labels.get
    )
    ace_years = years_with_data(annual, metric)  # none for a service's own count, such as Newcastle's issues
    year = year_select(state, annual, metric if ace_years else None)
    service_options = [NO_SERVICE, *names]
    service = st.selectbox(
        "Service (type to search)",
        service_options,
        key=state.choice("service", service_options, NO_SERVICE, "service"),
        format_func=lambda code: names.get(code, "None: England and region only"),
        on_change=follow_service_region,
    )
    region_options = [NO_REGION, *english.regions]
    region = st.selectbox(
        "Region",
        region_options,
        key=state.choice("region", region_options, region_of.get(service, NO_REGION), "region"),
        format_func=lambda name: name or "None: England only",
    )
    peers_key = state.choice("peers", PEER_COUNTS, PEER_COUNT, "number of peers")
    # Shown only with a service: a greyed-out slider's faded label failed axe's colour-contrast check.
    peer_count = st.slider("Nearest neighbours", 5, 30, key=peers_key) if service else st.session_state[peers_key]
    measures = measure_options(metrics, metric, monthly["period"].min())
    measure = st.radio(
        "Measure", list(measures), key=state.choice("measure", list(measures), "rate", "measure"),
        format_func=measures.get,
    )  # fmt: skip
briefing = briefing_switch(state)
state.write()

offer = OFFERS[offer_id]
entry = metrics.filter(pl.col("metric") == metric).row(0, named=True)
st.title(f"{entry['label']}: trends")
st.caption(f"Offer: {offer}. The metric and the Offer are chosen in the sidebar.")
if not briefing:
    with st.expander(f"Definition: {entry['label']}"):
        st.markdown(entry["definition"])

groups = trend_groups(services, peers, region, service, peer_count)
show_section(years_section(annual, services, entry, groups, service, measure, year), "years")
show_section(months_section(monthly, annual, services, entry, groups, service, measure), "monthly")
st.page_link(page_path("network"), label="The library network since 2010: libraries open, closed, who runs them",
             icon=":material/hub:")  # fmt: skip
show_section(long_run_section(annual, metrics, entry, offer, service, groups.service_name), "annual")
