"""Offer trends: an Offer's metrics across years (England, a region, a service and its peers, each group on the
same services every year) and by month within 2023/24, the one year with monthly detail."""

import polars as pl
import streamlit as st

from app_pages.kit.briefings import area_briefing_buttons
from app_pages.kit.controls import briefing_switch, start_page, year_select
from app_pages.kit.first_paint import rest_after_first_paint
from app_pages.kit.loading import ace_years, load, per_build
from app_pages.kit.output import show_section
from app_pages.registry import page_path
from components.sections.trends_choices import (
    NO_REGION,
    NO_SERVICE,
    English,
    Groups,
    default_offer,
    english_services,
    measure_options,
    offer_metrics,
    reported_metrics,
    trend_groups,
)
from components.sections.trends_sections import TrendSection, long_run_section, months_section, years_section
from observatory_data.serving.catalogue import OFFERS, PEER_COUNT, PEER_COUNTS

# Each choice's work is done once per build (the choices are the cache's key), not on every rerun.


@per_build(resource=True, max_entries=2)
def build_choices() -> tuple[English, pl.DataFrame, dict[str, list[str]], dict[str, str]]:
    """England's services, the metrics with values, each Offer's metrics and the metrics' labels."""
    reported = reported_metrics(load("metrics"), load("annual"))
    labels = dict(reported.select("metric", "label").iter_rows())
    return (
        english_services(load("services")),
        reported,
        {offer: offer_metrics(reported, offer) for offer in OFFERS},
        labels,
    )


@per_build(resource=True, max_entries=64)
def offer_for(linked_metric: str | None) -> str:
    """The Offer a link opens on (with a metric but no Offer: the first Offer the metric belongs to)."""
    return default_offer(build_choices()[1], linked_metric)


@per_build(resource=True, max_entries=128)
def metric_entry(metric: str) -> tuple[dict, dict[str, str]]:
    """The metric's catalogue row and the measures it can be shown in."""
    metrics = load("metrics")
    entry = metrics.filter(pl.col("metric") == metric).row(0, named=True)
    return entry, measure_options(metrics, metric, load("monthly")["period"].min())


def groups_of(region: str, service: str, peer_count: int) -> Groups:
    """The lines the choice draws (England, the region, the service's nearest neighbours)."""
    return trend_groups(load("services"), load("peers"), region, service, peer_count)


@per_build(resource=True, max_entries=256)
def years_of(metric: str, service: str, region: str, peer_count: int, measure: str, year: int) -> TrendSection:
    groups = groups_of(region, service, peer_count)
    return years_section(load("annual"), load("services"), metric_entry(metric)[0], groups, service, measure, year)


@per_build(resource=True, max_entries=256)
def months_of(metric: str, service: str, region: str, peer_count: int, measure: str) -> TrendSection:
    groups = groups_of(region, service, peer_count)
    entry = metric_entry(metric)[0]
    return months_section(load("monthly"), load("annual"), load("services"), entry, groups, service, measure)


@per_build(resource=True, max_entries=256)
def long_runs_of(metric: str, offer_id: str, service: str) -> TrendSection:
    service_name = english_services(load("services")).names.get(service, "")
    entry = metric_entry(metric)[0]
    return long_run_section(load("annual"), load("metrics"), entry, OFFERS[offer_id], service, service_name)


state = start_page("trends")
english, _, metrics_of_offer, labels = build_choices()
names, region_of = english.names, english.region_of


def follow_service_region() -> None:
    """Choosing a service shows its region beside it (the user can still pick another)."""
    chosen = st.session_state[state.key("service")]
    st.session_state[state.key("region")] = region_of.get(chosen, NO_REGION)


# A link with a metric but no Offer opens the first Offer the metric belongs to.
linked_metric = state.url.get("metric") if "offer" not in state.url else None
with st.sidebar:
    offers = list(OFFERS)
    offer_key = state.choice("offer", offers, offer_for(linked_metric), "Offer")
    offer_id = st.selectbox("Offer", offers, key=offer_key, format_func=OFFERS.get)
    metric_ids = metrics_of_offer[offer_id]
    metric = st.selectbox(
        "Metric", metric_ids, key=state.choice("metric", metric_ids, metric_ids[0], "metric"), format_func=labels.get
    )
    annual = load("annual")
    has_years = bool(ace_years(annual, metric))  # none for a service's own count, such as Newcastle's issues
    year = year_select(state, annual, metric if has_years else None)
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
    entry, measures = metric_entry(metric)
    measure = st.radio(
        "Measure", list(measures), key=state.choice("measure", list(measures), "rate", "measure"),
        format_func=measures.get,
    )  # fmt: skip
briefing = briefing_switch(state)
state.write()

offer = OFFERS[offer_id]
st.title(f"{entry['label']}: trends")
st.caption(f"Offer: {offer}. The metric and the Offer are chosen in the sidebar.")
if not briefing:
    with st.expander(f"Definition: {entry['label']}"):
        st.markdown(entry["definition"])


def show(section: TrendSection, key: str) -> None:
    """A trend section through the kit's show_section; its notice (no chart) carries the info icon."""
    show_section(section.heading, section.chart, section.notice, section.captions, key, briefing, ":material/info:")


show(years_of(metric, service, region, peer_count, measure, year), "years")
rest_after_first_paint()
if not briefing:
    area_briefing_buttons(year, region or None)
show(months_of(metric, service, region, peer_count, measure), "monthly")
st.page_link(page_path("network"), label="The library network since 2010: libraries open, closed, who runs them",
             icon=":material/hub:")  # fmt: skip
show(long_runs_of(metric, offer_id, service), "annual")
