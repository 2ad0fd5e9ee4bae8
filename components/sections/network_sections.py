"""The Library network page's sections, each as a heading and either a chart (with its table and About) or the
words that say why there is none: no section is left blank, and none draws a line its source cannot support."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import polars as pl

from components.exports import About
from components.figure_layout import Labels
from components.network_change_map import change_classes, change_map
from components.network_definitions import (
    HOURS,
    LAG_NOTE,
    POPULATION_NOTE,
    SOURCE_ACE,
    SOURCE_HOURS,
    SOURCE_LISTED,
    SOURCE_RATE,
    about,
)
from components.network_figures import ace_chart, hours_chart, network_chart, rate_chart
from components.network_tables import (
    ace_table,
    change_table,
    hours_frame,
    hours_table,
    network_table,
    openings_and_closures,
    rate_table,
)
from components.network_text import (
    area_name,
    coverage,
    coverage_note,
    listed_change_text,
    listed_subtitle,
    unrecorded_note,
)
from components.sections.chart_section import ChartSection
from components.sections.network_area import NetworkArea, network_area, opening_words, sources_caption
from observatory_data.serving.catalogue import POPULATION_VINTAGE
from observatory_data.serving.network_queries import (
    BASE_YEAR,
    area_codes,
    area_totals,
    change_since,
    comparison_areas,
    latest_year,
    listed_change,
    listed_now,
    paired_totals,
    recorded_codes,
    statutory_years,
)

MEASURES = {"percent": "Percentage change", "count": "Change in number"}  # the map's colour: the URL's `change`
HOURS_YEARS = (2016, 2023)  # DCMS's dataset (2016) and ACE's (2023): the two years with weekly hours


@dataclass(frozen=True)
class NetworkSection:
    """A heading, then the chart, or (`chart` None) the notice saying why there is none; a caption under the chart."""

    heading: str
    chart: ChartSection | None = None
    notice: str = ""
    caption: str = ""


@dataclass(frozen=True)
class EventsSection:
    """A service's openings and closures: the table (empty: none recorded) and the words its CSV opens with."""

    heading: str
    caption: str
    table: pl.DataFrame
    about: About


@dataclass(frozen=True)
class NetworkPage:
    """What the page shows of an area up to a year, but the change map (its colour is a control of its own): the
    area, the words under the title, the sections (a)-(d) by key in the page's order (None: not for this area) and
    (f) the openings and closures. Made once per build, area and year, and shared unchanged."""

    chosen: NetworkArea
    caption: str
    words: str
    sections: tuple[tuple[str, NetworkSection | None], ...]
    events: EventsSection | None


def network_page(
    network: pl.DataFrame,
    services: pl.DataFrame,
    branches: pl.DataFrame,
    peers: pl.DataFrame,
    area: str,
    year: int,
) -> NetworkPage:
    """The page of an area (the URL's `area`) up to the end of `year`; change_section draws its map."""
    chosen = network_area(services, area, year)
    sections = (
        ("ace", statutory_section(network, services, chosen)),  # (a) the strong series first: ACE, England (or none)
        ("network", listed_section(network, services, chosen)),  # (b) the volunteer list, every nation
        ("rate", rate_section(network, services, chosen)),  # (c) per 100,000 residents, beside wider areas
        ("hours", hours_section(network, chosen)),  # (d) weekly hours, England only
    )
    words = opening_words(network, services, peers, branches, chosen)
    return NetworkPage(chosen, sources_caption(network, chosen), words, sections, events_section(branches, chosen))


def _note(*parts: str) -> str:
    return " ".join(filter(None, parts))


def statutory_section(network: pl.DataFrame, services: pl.DataFrame, chosen: NetworkArea) -> NetworkSection | None:
    """(a) England's statutory libraries and who runs them, from ACE: the strong series, first. None outside
    England, where ACE's dataset has nothing."""
    if not chosen.english:
        return None
    heading = "Statutory libraries (Arts Council England)"
    ace = area_totals(network, services, chosen.english)
    last_ace = ace.filter(pl.col("statutory_libraries_known") > 0).tail(1)
    if last_ace.is_empty():
        return NetworkSection(heading, notice=f"ACE's dataset has no points of {chosen.place}.")
    ace_last = statutory_years(network)[-1]
    title = f"Statutory and community-run libraries in {chosen.place_in_england}, {BASE_YEAR} to {ace_last}"
    known = "".join(
        coverage_note(row["statutory_libraries_known"], row["services"]) for row in last_ace.iter_rows(named=True)
    )
    labels = Labels(
        title=title,
        subtitle="Points the services returned to ACE as statutory (2010, 2016, 2019, 2021-2023) and points by "
        "operating model (2016, 2019, 2021-2023): points in the years the dataset gives, nothing known between "
        "them. " + known,
        source=SOURCE_ACE,
        note="ACE's counts are not the same as Libraries Hacked's list below (see the definitions)."
        + (
            " England only: Wales, Northern Ireland and the Crown Dependencies are not in ACE's dataset."
            if chosen.kind == "uk"
            else ""
        ),
    )
    period = f"{BASE_YEAR} to {ace_last} (ACE's years)"
    about_it = about(title, "Statutory libraries", "service points", period, SOURCE_ACE)
    return NetworkSection(heading, ChartSection(ace_chart(ace, labels), ace_table(ace), about_it))


def listed_section(network: pl.DataFrame, services: pl.DataFrame, chosen: NetworkArea) -> NetworkSection:
    """(b) Service points in the volunteer list, every nation: drawn only where the list records the area's
    changes (a flat line would read as no change)."""
    heading = "Service points in Libraries Hacked's list"
    place, year = chosen.place, chosen.year
    now, _ = listed_now(network, chosen.codes)
    change = listed_change(network, chosen.codes, year)
    if now is None:
        return NetworkSection(
            heading, notice=f"No service in {place} has points in Libraries Hacked's list, so its network is not known."
        )
    if not change.publishable:
        return NetworkSection(
            heading,
            notice=f"Libraries Hacked's list shows {now:,} service points as open in {place} at the end of "
            f"{latest_year(network)}, but their change since {BASE_YEAR} is {listed_change_text(change)}. No line is "
            "drawn: a flat one would read as no change.",
        )
    recorded = recorded_codes(network, chosen.codes)
    title = f"Service points listed as open in {place}, end of {BASE_YEAR} to end of {year}"
    totals = area_totals(network, services, recorded).filter(pl.col("year").is_between(BASE_YEAR, year))
    labels = Labels(
        title=title,
        subtitle=listed_subtitle(change),
        source=SOURCE_LISTED,
        note=_note(unrecorded_note(services, chosen.codes, recorded), LAG_NOTE, chosen.uk_note),
    )
    period = f"end of {BASE_YEAR} to end of {year}"
    about_it = about(title, "Listed as open", "service points", period, SOURCE_LISTED)
    return NetworkSection(heading, ChartSection(network_chart(totals, labels), network_table(totals), about_it))


def compared_rates(network: pl.DataFrame, services: pl.DataFrame, chosen: NetworkArea) -> pl.DataFrame:
    """The year's totals of the area and of each area it sits in (a service: its region, nation and the UK), one
    row each, named in `area`."""
    return pl.concat(
        area_totals(network, services, area_codes(services, other))
        .filter(pl.col("year") == chosen.year)
        .with_columns(area=pl.lit(area_name(services, other)))
        for other in comparison_areas(services, chosen.area)
    )


def rate_section(network: pl.DataFrame, services: pl.DataFrame, chosen: NetworkArea) -> NetworkSection:
    """(c) Listed as open per 100,000 residents beside the areas the area sits in; areas without a rate are named,
    and a rate counted over some of an area's services says over how many."""
    heading = "Service points per 100,000 residents"
    place, year = chosen.place, chosen.year
    rates = compared_rates(network, services, chosen)
    unknown = rates.filter(pl.col("libraries_per_100k").is_null())["area"].unique(maintain_order=True).to_list()
    if place in unknown:
        missing = f"it has no {POPULATION_VINTAGE} population, or no count, in these sources"
        return NetworkSection(heading, notice=f"No rate for {place}: {missing}.")
    title = f"Service points listed as open per 100,000 residents: {place} compared, end of {year}"
    partial = rates.filter(pl.col("rate_services") < pl.col("services"), pl.col("rate_services") > 0)
    notes = [f"Not shown, no population or no count: {', '.join(unknown)}." if unknown else ""]
    if not partial.is_empty():
        notes.append(
            "Counted over the services with both a count and a population: "
            + "; ".join(f"{r['area']} {r['rate_services']} of {r['services']}" for r in partial.iter_rows(named=True))
            + "."
        )
    labels = Labels(
        title=title,
        subtitle=f"Service points Libraries Hacked's list shows as open (community-run ones included) per 100,000 "
        f"residents, {POPULATION_VINTAGE} population.",
        source=SOURCE_RATE,
        note=_note(*notes),
    )
    about_it = about(
        title,
        "Listed as open",
        "service points per 100,000 residents",
        f"end of {year}",
        SOURCE_RATE,
        f"{POPULATION_VINTAGE} population, all ages",
    )
    chart = ChartSection(rate_chart(rates, labels, (year,)), rate_table(rates), about_it)
    return NetworkSection(heading, chart, caption=POPULATION_NOTE)


def hours_section(network: pl.DataFrame, chosen: NetworkArea) -> NetworkSection:
    """(d) Weekly opening and staffed hours, England only: 2016 (DCMS) beside 2023 (ACE), over the services known in
    both years, so the sums compare like with like."""
    heading = "Weekly hours"
    place, english = chosen.place, chosen.english
    if not english:
        ace_only = "Arts Council England's Libraries Location Dataset covers England only"
        return NetworkSection(heading, notice=f"{ace_only}: nothing for {place}.")
    hours = hours_frame({column: paired_totals(network, english, column, HOURS_YEARS) for column, _ in HOURS})
    if hours.is_empty():
        return NetworkSection(heading, notice=f"Weekly hours are not known for both 2016 and 2023 in {place}.")
    served = hours.group_by("measure", maintain_order=True).agg(pl.col("services").first())
    both = "; ".join(
        f"{measure.lower()}: {coverage(count, len(english), 'have them in both years')}"
        for measure, count in served.iter_rows()
    )
    title = f"Weekly library hours in {chosen.place_in_england}, 2016 and 2023"
    labels = Labels(
        title=title,
        subtitle="Opening and staffed hours a week summed over the open points, like for like"
        + (f" ({both})." if len(english) > 1 else "."),
        source=SOURCE_HOURS,
        note="2016 and 2023 come from different datasets, which may count hours differently.",
    )
    about_it = about(title, "Weekly hours", "hours a week", "2016 and 2023", SOURCE_HOURS)
    return NetworkSection(heading, ChartSection(hours_chart(hours, labels), hours_table(hours), about_it))


def change_section(
    network: pl.DataFrame,
    services: pl.DataFrame,
    chosen: NetworkArea,
    measure: str,
    layout_of: Callable[[tuple[str, ...]], pl.DataFrame],
) -> NetworkSection:
    """(e) Change since the base year, service by service, on the hex cartogram of the area (a service: of its
    region, or its nation outside England). `layout_of` gives the cartogram of some services (sorted codes): the
    page caches it, and it is asked for only when the map is drawn."""
    map_area = chosen.area if chosen.kind != "service" else comparison_areas(services, chosen.area)[1]
    map_codes = area_codes(services, map_area)
    map_place = area_name(services, map_area)
    year = chosen.year
    heading = f"Change since {BASE_YEAR}, service by service"
    by_service = change_since(network.filter(pl.col("service_code").is_in(map_codes)), year)
    if len(map_codes) == 1 or by_service["change"].is_null().all():
        return NetworkSection(
            heading, notice=f"No map for {map_place}: it has one service, or the list records no service's change."
        )
    title = f"Change in service points listed as open since {BASE_YEAR}: {map_place}, by service"
    one_of = f"{chosen.place} is one of the services in this map ({map_place})." if chosen.kind == "service" else ""
    labels = Labels(
        title=title,
        subtitle=f"Each hexagon is a library service, coloured by the {MEASURES[measure].lower()} in service points "
        f"Libraries Hacked's list shows as open, from the end of {BASE_YEAR} to the end of {year}; grey where the "
        "list records no opening or closure.",
        source=SOURCE_LISTED,
        note=_note(one_of, chosen.uk_note),
    )
    figure = change_map(
        layout_of(tuple(sorted(map_codes))), change_classes(by_service, services, measure, year), labels, year
    )
    period = f"end of {BASE_YEAR} to end of {year}"
    about_it = about(title, "Listed as open", "change in service points", period, SOURCE_LISTED)
    return NetworkSection(heading, ChartSection(figure, change_table(by_service, services, year), about_it))


def events_section(branches: pl.DataFrame, chosen: NetworkArea) -> EventsSection | None:
    """(f) A service's openings and closures, point by point, latest first (None for a wider area)."""
    if chosen.kind != "service":
        return None
    title = f"Openings and closures in {chosen.place}"
    events = openings_and_closures(branches, chosen.area)
    caption = (
        "No point of this service has an opening or closing year in Libraries Hacked's list."
        if events.is_empty()
        else "Points with an opening or closing year in Libraries Hacked's list (every year it records, latest "
        "first). A blank year: the list gives none (an open point has no closing year)."
    )
    about_it = about(title, "Openings and closures", "service points", "all years", SOURCE_LISTED)
    return EventsSection(title, caption, events, about_it)
