"""A region's briefing (its services side by side, the region against England) and England's (the estimates with
their intervals and coverage, the change on the same services, the network). Every aggregate carries the number of
services it rests on; every change is measured on the services countable in both years."""

from __future__ import annotations

import polars as pl

from components.briefings.inputs import BriefingTables
from components.briefings.parts import CAVEAT_MARK, footer_lines, labelled, live_link, plain, small_print
from components.briefings.pdf import Block, Briefing, Heading, Paragraph, Table
from components.network_text import listed_sentence, network_tiles, statutory_sentence
from components.sections.overview_sections import england_estimates, headline_tiles
from observatory_data.serving.catalogue import (
    ENGLAND,
    HEADLINE_METRICS,
    HEADLINE_SHORT,
    english_regions,
    years_with_data,
)
from observatory_data.serving.change import matched_change
from observatory_data.serving.coverage import aggregate
from observatory_data.serving.formats import number, signed
from observatory_data.serving.network_queries import latest_year, statutory_change
from observatory_data.serving.periods import financial_year

NO_VALUE = "–"  # a cell with no countable value: never zero


def latest_year_of(tables: BriefingTables) -> int:
    """The newest year with ACE data for any metric: the year a briefing opens on, as the pages do."""
    return years_with_data(tables.annual)[-1]


def _codes(tables: BriefingTables, region: str | None = None) -> list[str]:
    english = tables.services.filter(pl.col("nation") == ENGLAND)
    chosen = english if region is None else english.filter(pl.col("region") == region)
    return chosen.sort("service_name")["service_code"].to_list()


def _rate_cell(rates: pl.DataFrame, code: str) -> str:
    row = rates.filter(pl.col("service_code") == code)
    if row.is_empty() or row["rate"].item() is None:
        return NO_VALUE
    return number(row["rate"].item(), 1) + (CAVEAT_MARK if row["caveat"].item() else "")


def _aggregate_cell(rates: pl.DataFrame, codes: list[str]) -> str:
    total = aggregate(rates, codes)
    return f"{number(total.rate, 1, NO_VALUE)} ({total.reported}/{total.of})"


def _change_cell(tables: BriefingTables, metric: str, first: int, year: int, codes: list[str]) -> str:
    change = matched_change(tables.annual, metric, first, year, codes)
    if change.change is None:
        return NO_VALUE
    return f"{signed(change.change * 100, 1, '%')} ({change.services}/{change.of})"


def _first_year(tables: BriefingTables, metric: str, year: int) -> int:
    """The first year with ACE data for the metric (the year itself if none): where its change is measured from."""
    return next(iter(years_with_data(tables.annual, metric)), year)


def region_briefing(tables: BriefingTables, region: str, base_url: str, year: int | None = None) -> Briefing:
    """The region's English services side by side on the headline rates, and the region against England."""
    year = year or latest_year_of(tables)
    codes, every = _codes(tables, region), _codes(tables)
    names = dict(tables.services.select("service_code", "service_name").iter_rows())
    title = f"{region}: library services briefing, {financial_year(year)}"
    rates = {metric: tables.rates_of(metric, year) for metric in HEADLINE_METRICS}
    against = [
        (
            HEADLINE_SHORT[metric],
            _aggregate_cell(rates[metric], codes),
            _aggregate_cell(rates[metric], every),
            _change_cell(tables, metric, _first_year(tables, metric, year), year, codes),
            _change_cell(tables, metric, _first_year(tables, metric, year), year, every),
        )
        for metric in HEADLINE_METRICS
    ]
    side_by_side = [(names[code], *(_rate_cell(rates[metric], code) for metric in HEADLINE_METRICS)) for code in codes]
    first = min(_first_year(tables, metric, year) for metric in HEADLINE_METRICS)
    blocks: list[Block] = [
        Paragraph(
            f"The {len(codes)} library services of the {region} region in {financial_year(year)}, per 1,000 "
            "residents, from Arts Council England's annual returns; the region and England are population-weighted "
            "over the services that reported."
        ),
        Heading(f"The region against England, {financial_year(year)}"),
        Table(
            "Rate per 1,000 residents (services reported / services), and the change of the total since the first "
            "year on the services countable in both years (services / services)",
            ("Metric", region, ENGLAND, f"{region}: change since {financial_year(first)}", "England: change"),
            tuple(against),
        ),
        Heading("Its services side by side"),
        Table(
            f"Rates per 1,000 residents, {financial_year(year)}; {NO_VALUE}: no countable value (never zero); "
            f"{CAVEAT_MARK}: not comparable with other services' (a caveat; left out of medians and ranks)",
            ("Service", *(HEADLINE_SHORT[metric] for metric in HEADLINE_METRICS)),
            tuple(side_by_side),
        ),
        Heading("Library network"),
        *[
            Paragraph(plain(text))
            for text in (
                statutory_sentence(statutory_change(tables.network, codes), f"the {region} region"),
                listed_sentence(tables.network, codes, f"the {region} region", latest_year(tables.network)),
            )
            if text
        ],
        *small_print(title, tables.built_at, live_link(base_url, "places", {"year": str(year)})),
    ]
    return Briefing(
        title=title,
        subtitle=f"Its {len(codes)} services side by side, and the region against England",
        keywords=(region, "public libraries", "region"),
        date_line=f"Arts Council England's library activity data, {financial_year(year)}",
        blocks=tuple(blocks),
        footer_lines=footer_lines(title, tables.built_at),
    )


def england_briefing(tables: BriefingTables, base_url: str, year: int | None = None) -> Briefing:
    """England's estimates with their intervals and coverage, the change on the same services, the regions, and the
    library network of each nation."""
    year = year or latest_year_of(tables)
    title = f"England: public libraries briefing, {financial_year(year)}"
    tiles = headline_tiles(england_estimates(tables.national, year), tables.annual, tables.services, tables.metrics)
    estimates = [labelled(f"**{tile.label}: {tile.value}**: {tile.detail} {tile.change}".strip()) for tile in tiles]
    rates = {metric: tables.rates_of(metric, year) for metric in HEADLINE_METRICS}
    regions = [
        (region, *(_aggregate_cell(rates[metric], _codes(tables, region)) for metric in HEADLINE_METRICS))
        for region in english_regions(tables.services)
    ]
    regions.append((ENGLAND, *(_aggregate_cell(rates[metric], _codes(tables)) for metric in HEADLINE_METRICS)))
    blocks: list[Block] = [
        Paragraph(
            "What England's public library services did in the year, estimated for every service from those that "
            "reported, with the interval and the coverage each figure rests on; changes are measured on the same "
            "services in both years."
        ),
        Heading(f"England's headline figures, {financial_year(year)}"),
        *[Paragraph(text) for text in estimates],
        Heading("The regions side by side"),
        Table(
            f"Rates per 1,000 residents, {financial_year(year)}, population-weighted over the services that reported "
            "(services reported / services)",
            ("Region", *(HEADLINE_SHORT[metric] for metric in HEADLINE_METRICS)),
            tuple(regions),
        ),
        Heading("The library network"),
        Table(
            "Statutory libraries (England, from ACE) and service points listed as open elsewhere (Libraries Hacked)",
            ("Nation", "Now", "Change"),
            tuple(
                (tile.label, tile.value, plain(tile.detail)) for tile in network_tiles(tables.network, tables.services)
            ),
            ("left", "right", "left"),
        ),
        *small_print(title, tables.built_at, live_link(base_url, "", {"year": str(year)})),
    ]
    return Briefing(
        title=title,
        subtitle="Estimates with their intervals and coverage, change on the same services, the network",
        keywords=(ENGLAND, "public libraries", "national estimates"),
        date_line=f"Arts Council England's library activity data, {financial_year(year)}",
        blocks=tuple(blocks),
        footer_lines=footer_lines(title, tables.built_at),
    )
