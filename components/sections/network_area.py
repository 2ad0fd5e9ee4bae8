"""The Library network page's area: the choices its controls offer, the area chosen as every section needs it,
and the page's opening words.

The UK, a nation, an English region or one service: each section asks the same questions of it (which services,
which of them are English, what to call it), answered once here.
"""

from __future__ import annotations

from dataclasses import dataclass

import polars as pl

from components.network_definitions import NOT_SCOTLAND
from components.network_text import area_name, area_option, listed_sentence, statutory_sentence
from components.profile import network_facts
from observatory_data.serving.catalogue import ENGLAND, NATIONS, english_regions
from observatory_data.serving.network_queries import (
    BASE_YEAR,
    UK,
    area_codes,
    area_kind,
    latest_year,
    statutory_change,
    statutory_years,
)


@dataclass(frozen=True)
class NetworkArea:
    """The chosen area and year as the sections use them."""

    area: str  # UK, a nation, a region or a service code (the URL's `area`)
    kind: str  # 'uk', 'nation', 'region' or 'service'
    place: str  # as a title names it: "the UK (not Scotland)", "Kent"
    codes: list[str]  # its services
    english: list[str]  # its English services: the ones ACE's dataset covers
    year: int  # the year the page runs to (the end of it)

    @property
    def place_in_england(self) -> str:
        """Where ACE's England-only counts are from: England for the UK, else the area itself."""
        return ENGLAND if self.kind == "uk" else self.place

    @property
    def uk_note(self) -> str:
        """The UK's footnote: Scotland is not in the sources (empty for any other area)."""
        return NOT_SCOTLAND if self.kind == "uk" else ""


def network_area(services: pl.DataFrame, area: str, year: int) -> NetworkArea:
    """The area chosen in the sidebar, with its services and its English services."""
    codes = area_codes(services, area)
    english = services.filter(pl.col("service_code").is_in(codes), pl.col("nation") == ENGLAND)["service_code"]
    return NetworkArea(area, area_kind(services, area), area_name(services, area), codes, english.to_list(), year)


def page_years(network: pl.DataFrame) -> list[int]:
    """The years the page can run to (its "now"): every year of the table after the base year, up to the list's
    last; the latest is the default."""
    return [y for y in sorted(network["year"].unique().to_list()) if BASE_YEAR < y <= latest_year(network)]


def area_choices(services: pl.DataFrame) -> dict[str, str]:
    """The areas the select box offers, in its order (the UK, the nations, England's regions, then the services
    nation by nation), each with the words it is listed as."""
    nation_order = pl.col("nation").replace_strict(list(NATIONS), list(range(len(NATIONS))))
    ordered = services.sort(nation_order, "service_name")
    regions = english_regions(services)
    nations = [nation for nation in NATIONS if nation in services["nation"].to_list()]
    areas = [UK, *nations, *regions, *ordered["service_code"]]
    return {choice: area_option(services, choice) for choice in areas}


def sources_caption(network: pl.DataFrame, chosen: NetworkArea) -> str:
    """The caption under the title: which source each count comes from, and the years ACE's dataset gives."""
    return (
        "Statutory libraries in England from Arts Council England's Libraries Location Dataset (returned by the "
        f"services, {BASE_YEAR} to {statutory_years(network)[-1]}); service points in every nation from Libraries "
        "Hacked's list (kept by volunteers from public information), with openings and closures only where it "
        "records a year. The two sources differ: see the definitions at the foot of the page. "
        f"{chosen.uk_note}"
    )


def opening_words(
    network: pl.DataFrame,
    services: pl.DataFrame,
    peers: pl.DataFrame,
    branches: pl.DataFrame,
    chosen: NetworkArea,
) -> str:
    """The page's first words, as markdown: a service's facts as a list (as on its benchmark); for a wider area the
    statutory count's change (England only) and the list's, in sentences."""
    if chosen.kind == "service":
        facts = network_facts(network, services, chosen.area, peers, branches)
        return "\n".join(f"- **{label}**: {value}" for label, value in facts)
    statutory = statutory_change(network, chosen.english) if chosen.english else None
    sentences = (
        statutory_sentence(statutory, chosen.place_in_england),
        listed_sentence(network, chosen.codes, chosen.place, chosen.year),
    )
    return "\n\n".join(filter(None, sentences))
