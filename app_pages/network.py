"""Library network: England's statutory libraries since 2010 (ACE) first; then the volunteer list's service points
listed as open, opened and closed in every nation (or "not recorded"), per 100,000 residents; weekly hours
(England); change per service."""

import polars as pl
import streamlit as st

from app_pages.kit.controls import briefing_switch, start_page
from app_pages.kit.loading import load, load_boundaries, per_build
from app_pages.kit.output import show_chart, show_table
from components.charts import Labels
from components.exports import csv_file_name, readable_csv
from components.hexmap import hex_layout
from components.network import (
    HOURS,
    LAG_NOTE,
    NOT_SCOTLAND,
    POPULATION_NOTE,
    SOURCE_ACE,
    SOURCE_HOURS,
    SOURCE_LISTED,
    SOURCE_RATE,
    about,
    ace_chart,
    ace_table,
    area_name,
    area_option,
    change_classes,
    change_map,
    change_table,
    coverage,
    coverage_note,
    definitions_markdown,
    hours_chart,
    hours_frame,
    hours_table,
    listed_change_text,
    listed_sentence,
    listed_subtitle,
    network_chart,
    network_table,
    openings_and_closures,
    rate_chart,
    rate_table,
    statutory_sentence,
    unrecorded_note,
)
from components.profile import network_facts
from observatory_data.serving.catalogue import POPULATION_VINTAGE
from observatory_data.serving.formats import sentence_case
from observatory_data.serving.geography import service_centroids
from observatory_data.serving.network_queries import (
    BASE_YEAR,
    NATIONS,
    UK,
    area_codes,
    area_kind,
    area_totals,
    change_since,
    comparison_areas,
    latest_year,
    listed_change,
    listed_now,
    paired_totals,
    recorded_codes,
    statutory_change,
    statutory_years,
)

MEASURES = {"percent": "Percentage change", "count": "Change in number"}
HOURS_YEARS = (2016, 2023)


@per_build(max_entries=32)
def cached_hex_layout(codes: tuple[str, ...]) -> pl.DataFrame:
    boundaries = load_boundaries()
    return hex_layout(service_centroids(boundaries[boundaries["service_code"].isin(codes)]))


state = start_page("network")
services, network, branches, peers = (load(n) for n in ("services", "network", "branches", "peers"))
# The year the page runs to (its "now"): any year after the base year, the latest by default.
years = [y for y in sorted(network["year"].unique().to_list()) if BASE_YEAR < y <= latest_year(network)]
ordered = services.sort(pl.col("nation").replace_strict(list(NATIONS), list(range(len(NATIONS)))), "service_name")
regions = sorted(services.filter(pl.col("nation") == "England")["region"].unique().to_list())
areas = [UK, *[n for n in NATIONS if n in services["nation"].to_list()], *regions, *ordered["service_code"]]
options = {choice: area_option(services, choice) for choice in areas}
with st.sidebar:
    area = st.selectbox(
        "Area (type to search)", areas, key=state.choice("area", areas, UK, "area"), format_func=options.get
    )
    year = st.selectbox("Up to the end of", years, key=state.choice("year", years, years[-1], "year"))
    measure = st.radio(
        "Map colour", list(MEASURES), key=state.choice("change", list(MEASURES), "percent", "map colour"),
        format_func=MEASURES.get,
    )  # fmt: skip
briefing = briefing_switch(state)
state.write()

kind = area_kind(services, area)
place = area_name(services, area)
codes = area_codes(services, area)
english = services.filter(pl.col("service_code").is_in(codes), pl.col("nation") == "England")["service_code"]
place_in_england = "England" if kind == "uk" else place
last = latest_year(network)
ace_last = statutory_years(network)[-1]
uk_note = NOT_SCOTLAND if kind == "uk" else ""
st.title(f"Library network: {sentence_case(place)}")
st.caption(
    "Statutory libraries in England from Arts Council England's Libraries Location Dataset (returned by the services, "
    f"{BASE_YEAR} to {ace_last}); service points in every nation from Libraries Hacked's list (kept by volunteers from "
    "public information), with openings and closures only where it records a year. The two sources differ: see the "
    f"definitions at the foot of the page. {uk_note}"
)
if kind == "service":
    facts = network_facts(network, services, area, peers, branches)
    st.markdown("\n".join(f"- **{label}**: {value}" for label, value in facts))
else:
    statutory = statutory_change(network, english.to_list()) if not english.is_empty() else None
    sentences = (statutory_sentence(statutory, place_in_england), listed_sentence(network, codes, place, year))
    st.markdown("\n\n".join(filter(None, sentences)))

# (a) England's statutory libraries and who runs them (ACE): the strong series first
if not english.is_empty():
    ace = area_totals(network, services, english.to_list())
    last_ace = ace.filter(pl.col("statutory_libraries_known") > 0).tail(1)
    st.header("Statutory libraries (Arts Council England)")
    if last_ace.is_empty():
        st.info(f"ACE's dataset has no points of {place}.")
    else:
        title = f"Statutory and community-run libraries in {place_in_england}, {BASE_YEAR} to {ace_last}"
        period = f"{BASE_YEAR} to {ace_last} (ACE's years)"
        labels = Labels(
            title=title,
            subtitle="Points the services returned to ACE as statutory (2010, 2016, 2019, 2021-2023) and points by "
            "operating model (2016, 2019, 2021-2023): points in the years the dataset gives, nothing known between "
            "them. "
            + "".join(
                coverage_note(row["statutory_libraries_known"], row["services"])
                for row in last_ace.iter_rows(named=True)
            ),
            source=SOURCE_ACE,
            note="ACE's counts are not the same as Libraries Hacked's list below (see the definitions)."
            + (
                " England only: Wales, Northern Ireland and the Crown Dependencies are not in ACE's dataset."
                if kind == "uk"
                else ""
            ),
        )
        show_chart(
            ace_chart(ace, labels),
            ace_table(ace),
            about(title, "Statutory libraries", "service points", period, SOURCE_ACE),
            "ace",
            briefing,
        )

# (b) The volunteer list, all nations: listed as open, opened and closed, on the services whose changes it records
st.header("Service points in Libraries Hacked's list")
now, _ = listed_now(network, codes)
change = listed_change(network, codes, year)
recorded = recorded_codes(network, codes)
if now is None:
    st.info(f"No service in {place} has points in Libraries Hacked's list, so its network is not known.")
elif not change.publishable:
    st.info(
        f"Libraries Hacked's list shows {now:,} service points as open in {place} at the end of {last}, but their "
        f"change since {BASE_YEAR} is {listed_change_text(change)}. No line is drawn: a flat one would read as "
        "no change."
    )
else:
    title = f"Service points listed as open in {place}, end of {BASE_YEAR} to end of {year}"
    totals = area_totals(network, services, recorded).filter(pl.col("year").is_between(BASE_YEAR, year))
    labels = Labels(
        title=title,
        subtitle=listed_subtitle(change),
        source=SOURCE_LISTED,
        note=" ".join(filter(None, (unrecorded_note(services, codes, recorded), LAG_NOTE, uk_note))),
    )
    period = f"end of {BASE_YEAR} to end of {year}"
    show_chart(
        network_chart(totals, labels),
        network_table(totals),
        about(title, "Listed as open", "service points", period, SOURCE_LISTED),
        "network",
        briefing,
    )

# (c) Listed as open per 100,000 residents, beside the areas the area sits in
compared = comparison_areas(services, area)
rates = pl.concat(
    area_totals(network, services, area_codes(services, other))
    .filter(pl.col("year") == year)
    .with_columns(area=pl.lit(area_name(services, other)))
    for other in compared
)
unknown = rates.filter(pl.col("libraries_per_100k").is_null())["area"].unique(maintain_order=True).to_list()
st.header("Service points per 100,000 residents")
if place in unknown:
    st.info(f"No rate for {place}: it has no {POPULATION_VINTAGE} population, or no count, in these sources.")
else:
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
        note=" ".join(filter(None, notes)),
    )
    show_chart(
        rate_chart(rates, labels, (year,)),
        rate_table(rates),
        about(
            title,
            "Listed as open",
            "service points per 100,000 residents",
            f"end of {year}",
            SOURCE_RATE,
            f"{POPULATION_VINTAGE} population, all ages",
        ),
        "rate",
        briefing,
    )
    st.caption(POPULATION_NOTE)

# (d) Weekly hours: England only, from ACE's dataset (2023) and DCMS's (2016)
st.header("Weekly hours")
if english.is_empty():
    st.info(f"Arts Council England's Libraries Location Dataset covers England only: nothing for {place}.")
else:
    hours = hours_frame({column: paired_totals(network, english.to_list(), column, HOURS_YEARS) for column, _ in HOURS})
    if hours.is_empty():
        st.info(f"Weekly hours are not known for both 2016 and 2023 in {place}.")
    else:
        served = hours.group_by("measure", maintain_order=True).agg(pl.col("services").first())
        both = "; ".join(
            f"{measure.lower()}: {coverage(count, english.len(), 'have them in both years')}"
            for measure, count in served.iter_rows()
        )
        title = f"Weekly library hours in {place_in_england}, 2016 and 2023"
        labels = Labels(
            title=title,
            subtitle="Opening and staffed hours a week summed over the open points, like for like"
            + (f" ({both})." if english.len() > 1 else "."),
            source=SOURCE_HOURS,
            note="2016 and 2023 come from different datasets, which may count hours differently.",
        )
        show_chart(
            hours_chart(hours, labels),
            hours_table(hours),
            about(title, "Weekly hours", "hours a week", "2016 and 2023", SOURCE_HOURS),
            "hours",
            briefing,
        )

# (e) Change per service since 2010, on the hex cartogram of the area (a service: its region or nation)
map_area = area if kind != "service" else comparison_areas(services, area)[1]  # its region, or its nation
map_codes = area_codes(services, map_area)
map_place = area_name(services, map_area)
st.header(f"Change since {BASE_YEAR}, service by service")
by_service = change_since(network.filter(pl.col("service_code").is_in(map_codes)), year)
if len(map_codes) == 1 or by_service["change"].is_null().all():
    st.info(f"No map for {map_place}: it has one service, or the list records no service's change.")
else:
    title = f"Change in service points listed as open since {BASE_YEAR}: {map_place}, by service"
    labels = Labels(
        title=title,
        subtitle=f"Each hexagon is a library service, coloured by the {MEASURES[measure].lower()} in service points "
        f"Libraries Hacked's list shows as open, from the end of {BASE_YEAR} to the end of {year}; grey where the "
        "list records no opening or closure.",
        source=SOURCE_LISTED,
        note=" ".join(
            filter(
                None,
                (f"{place} is one of the services in this map ({map_place})." if kind == "service" else "", uk_note),
            )
        ),
    )
    show_chart(
        change_map(
            cached_hex_layout(tuple(sorted(map_codes))),
            change_classes(by_service, services, measure, year),
            labels,
            year,
        ),
        change_table(by_service, services, year),
        about(
            title, "Listed as open", "change in service points", f"end of {BASE_YEAR} to end of {year}", SOURCE_LISTED
        ),
        "change",
        briefing,
    )

# (f) A service's openings and closures, point by point
if kind == "service":
    st.header(f"Openings and closures in {place}")
    events = openings_and_closures(branches, area)
    if events.is_empty():
        st.caption("No point of this service has an opening or closing year in Libraries Hacked's list.")
    else:
        st.caption(
            "Points with an opening or closing year in Libraries Hacked's list (every year it records, latest first). "
            "A blank year: the list gives none (an open point has no closing year)."
        )
        show_table(events, missing="")
        title = f"Openings and closures in {place}"
        st.download_button(
            "Download CSV",
            readable_csv(events, about(title, "Openings and closures", "service points", "all years", SOURCE_LISTED)),
            file_name=csv_file_name(title),
            mime="text/csv",
            key="csv-events",
            on_click="ignore",
        )

if not briefing:
    with st.expander("Definitions, sources and caveats", expanded=False):
        st.markdown(definitions_markdown())
