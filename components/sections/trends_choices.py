"""The Offer trends page's choices: the services, regions, metrics and measures its controls offer, and the lines the
choice draws (England, a region, a service's nearest neighbours), each in its role's colour.

The controls stay on the page; what they offer, and what a choice means for the charts, is decided here.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

import polars as pl

from components.palette import ENGLAND, GROUP, REGION
from observatory_data.serving.benchmarks import peer_codes
from observatory_data.serving.catalogue import DENOMINATORS, OFFER_PRIMARY_METRIC, OFFERS, english_regions
from observatory_data.serving.catalogue import ENGLAND as ENGLAND_NAME
from observatory_data.serving.rates import metrics_reported

NO_REGION = ""  # the region control's "None: England only"
NO_SERVICE = ""  # the service control's "None: England and region only"
DEFAULT_OFFER = "reading"


@dataclass(frozen=True)
class English:
    """England's services as the controls offer them, by name."""

    names: dict[str, str]  # service code -> name, in order of name
    region_of: dict[str, str]  # service code -> its region
    regions: list[str]  # in alphabetical order


def english_services(services: pl.DataFrame) -> English:
    """The English services (ACE's returns are England's) and their regions."""
    english = services.filter(pl.col("nation") == ENGLAND_NAME).sort("service_name")
    return English(
        dict(english.select("service_code", "service_name").iter_rows()),
        dict(english.select("service_code", "region").iter_rows()),
        english_regions(services),
    )


def reported_metrics(metrics: pl.DataFrame, annual: pl.DataFrame) -> pl.DataFrame:
    """The catalogue's metrics with a value in some year: a metric nobody reported is never offered."""
    return metrics.filter(pl.col("metric").is_in(metrics_reported(metrics, annual)))


def offer_metrics(reported: pl.DataFrame, offer_id: str) -> list[str]:
    """The Offer's metrics with values in any year, its primary metric first (then in catalogue order)."""
    ids = reported.filter(pl.col("offers").list.contains(OFFERS[offer_id]))["metric"].to_list()
    return sorted(ids, key=lambda metric: metric != OFFER_PRIMARY_METRIC[offer_id])


def default_offer(reported: pl.DataFrame, linked_metric: str | None) -> str:
    """The Offer a link opens on: with a metric but no Offer, the first Offer the metric belongs to (so the metric
    can be shown); otherwise reading."""
    offers = (offer for offer in OFFERS if linked_metric and linked_metric in offer_metrics(reported, offer))
    return next(offers, DEFAULT_OFFER)


def measure_options(metrics: pl.DataFrame, metric: str, first_month: date) -> dict[str, str]:
    """The measure control's options in words: the rate names the metric's own population ("Rate per 1,000
    children aged 0-11"); the index, the month it starts from."""
    per = DENOMINATORS[metrics.filter(pl.col("metric") == metric)["denominator"].item()]
    return {"rate": f"Rate {per}", "count": "Counts", "index": f"Indexed ({first_month:%B %Y} = 100)"}


@dataclass(frozen=True)
class Groups:
    """The lines a choice draws: each group's services, each group's role colour, and where they are in words."""

    members: dict[str, list[str]]  # line name -> its services
    roles: dict[str, str]  # line name -> its role's colour
    where: str  # "Barnsley, Yorkshire and The Humber, England"
    service_name: str  # the service's name, "" without one


def trend_groups(services: pl.DataFrame, peers: pl.DataFrame, region: str, service: str, peer_count: int) -> Groups:
    """England's line always; the region's with a region; the service's `peer_count` nearest neighbours with a
    service (the service's own line is drawn apart, from its own returns)."""
    english = english_services(services)
    members = {ENGLAND_NAME: list(english.names)}
    if region:
        members[region] = [code for code in english.names if english.region_of[code] == region]
    roles = {ENGLAND_NAME: ENGLAND, region: REGION}
    if service:
        peers_label = f"{english.names[service]}'s {peer_count} nearest neighbours"
        members[peers_label] = peer_codes(peers, service, peer_count)
        roles[peers_label] = GROUP
    where = ", ".join(part for part in (english.names.get(service), region, ENGLAND_NAME) if part)
    return Groups(members, roles, where, english.names.get(service, ""))
