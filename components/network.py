"""The library network over time: definitions in words, briefing charts, the change map and the tables behind them.

Frames in (from serving.network_queries), figures, text and reader-ready tables out. No data access here.
The definitions are those of the build (observatory_data/build/network_table.py), which the app may not import.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import plotly.graph_objects as go
import polars as pl
from plotly.subplots import make_subplots

from components.briefing import BLUE, GREEN, PURPLE, SKY, VERMILLION, briefing_layout, escape_markup
from components.charts import Labels
from components.classes import NO_DATA, Classes
from components.exports import About
from components.hexmap import hex_figure
from observatory_data.serving.catalogue import COVERAGE_THRESHOLD, POPULATION_VINTAGE
from observatory_data.serving.network_queries import (
    BASE_YEAR,
    NATIONS,
    Change,
    area_codes,
    area_kind,
    latest_year,
    listed_change,
    listed_now,
    statutory_change,
)

LISTED = "Libraries Hacked's UK library database (kept by volunteers from public information)"
ACE_LOCATIONS = "Arts Council England's Libraries Location Dataset 2023 (returned by the services)"
DCMS_2016 = "the DCMS 2016 libraries dataset"
SOURCE_LISTED = f"Source: {LISTED}."
SOURCE_ACE = f"Source: {ACE_LOCATIONS}."
SOURCE_HOURS = f"Source: {DCMS_2016} (2016); {ACE_LOCATIONS} (2023)."
SOURCE_RATE = f"Source: {LISTED}; {POPULATION_VINTAGE} population (OGL v3)."
LICENCE = (
    "Libraries Hacked database: MIT, compiled from public information; ACE Libraries Location Dataset: ACE open "
    "data (attribute Arts Council England); DCMS 2016 dataset: OGL v3; ONS population: Open Government Licence v3.0"
)
NOT_SCOTLAND = (
    "Scotland's services are not in the observatory's register, so the UK here is England, Wales, Northern Ireland "
    "and the Crown Dependencies."
)
SOURCES_DIFFER = (
    "The two sources differ: Libraries Hacked's list is kept by volunteers from public information and covers the "
    "UK; ACE's dataset is returned by the English services and also lists mobile and prison libraries and archives, "
    "which the list mostly does not. Their counts for the same year differ, for a few services by ten or more; the "
    "build report lists the largest differences per service."
)
POPULATION_NOTE = (
    f"Residents: {POPULATION_VINTAGE} for every year (one vintage), so the rate moves only with the libraries. "
    "Northern Ireland and the Crown Dependencies have no population in these sources."
)
LAG_NOTE = (
    "Openings and closures reach the list as volunteers learn of them: the latest years may be incomplete. The list "
    "runs to the last year it records any opening or closure."
)
NOT_RECORDED = "not recorded"
# What the volunteer list counts, in a clause a subtitle or a sentence can carry.
LISTED_COUNTS = (
    "service points listed as open, including community-run ones and those with no opening year; openings and "
    "closures only where the list records a year"
)
# (term, definition): the build's definitions in the reader's words, for the page and the CSV files.
DEFINITIONS = (
    (
        "Statutory libraries",
        "England, in the years ACE's Libraries Location Dataset gives (2010, 2016, 2019, 2021, 2022 and 2023): points "
        "the services returned as statutory in that year ('Facility Not Open', 'Temporary Closure', No and unknown "
        "are not counted). The strong series for England: returned by the services themselves.",
    ),
    (
        "Listed as open",
        "Service points in Libraries Hacked's list (all nations) open at the end of the year: opened in or before "
        "the year, or with no opening year, and not closed by its end. Community-run points count, and so do points "
        "handed to community groups that the list still shows as open. A point opened and closed in the same year "
        "is an opening and a closure of that year, not open at its end.",
    ),
    ("Openings and closures", "Points in the list whose opening or closing year is the year."),
    (
        "Not recorded",
        "A service none of whose points has an opening or closing year in the list from 2010 on (Libraries NI, 21 of "
        "the 22 Welsh services, a few English ones): the list says nothing about its change, so only the points it "
        "lists as open now are counted. An area's change is given only when the list records the changes of at least "
        f"{COVERAGE_THRESHOLD:.0%} of its services, and then on those services alone.",
    ),
    (
        "Operating model",
        "England, in 2016, 2019 and 2021 to 2023 (ACE): run by the local authority (including unstaffed), "
        "community run, commissioned, or independent community library; closed, not open and unknown are not "
        "counted.",
    ),
    (
        "Weekly hours",
        "England: opening and staffed hours a week summed over the points open, 2016 from the DCMS 2016 dataset "
        "and 2023 from ACE's dataset (numeric cells only). The two datasets may count hours differently.",
    ),
)
# Operating models are categories, not roles: none takes orange, which always means the chosen service (briefing.ROLES).
MODELS = (
    ("statutory_libraries", "Statutory libraries", BLUE, "circle"),
    ("local_authority", "Local authority run", VERMILLION, "square"),
    ("community_run", "Community run", GREEN, "diamond"),
    ("commissioned", "Commissioned", PURPLE, "triangle-up"),
    ("independent_community", "Independent community", SKY, "x"),
)
DODGE = 0.13  # years between the markers of one year
HOURS = (("weekly_hours", "Opening hours"), ("weekly_staffed_hours", "Staffed hours"))
# Change since 2010: fewer in browns, no change white, more in teal (ColorBrewer BrBG, as the other change maps;
# safe for the common colour-vision deficiencies):
# (upper bound of the class, inclusive; label) per measure.
CHANGE_COLOURS = ("#8c510a", "#d8b365", "#f6e8c3", "#ffffff", "#5ab4ac")
CHANGE_CLASSES = {
    "percent": ((-25, "25% fewer or more"), (-10, "10% to 25% fewer"), (-1e-9, "Under 10% fewer"),
                (0, "No change"), (float("inf"), "More")),
    "count": ((-5, "5 fewer or more"), (-2, "2 to 4 fewer"), (-1, "1 fewer"), (0, "No change"),
              (float("inf"), "More")),
}  # fmt: skip
NOT_LISTED = "Change not recorded in Libraries Hacked's list"


def definitions_markdown() -> str:
    """The definitions and the caveats as a list, for the page."""
    lines = [f"- **{term}**: {text}" for term, text in DEFINITIONS]
    return "\n".join([*lines, f"- **Population**: {POPULATION_NOTE}", f"- **Sources**: {SOURCES_DIFFER}"])


def about(title: str, what: str, unit: str, period: str, source: str, denominator: str = "") -> About:
    """What a downloaded table is, with the definition of `what` (a DEFINITIONS term)."""
    definition = dict(DEFINITIONS).get(what, "")
    return About(title, what, definition, unit, period, denominator, source, LICENCE, notes=SOURCES_DIFFER)


def area_name(services: pl.DataFrame, area: str) -> str:
    """The area as a title names it."""
    kind = area_kind(services, area)
    if kind == "uk":
        return "the UK (not Scotland)"
    if area == "Crown Dependency":
        return "the Crown Dependencies"
    if kind == "service":
        return services.filter(pl.col("service_code") == area)["service_name"].item()
    return area


def area_option(services: pl.DataFrame, area: str) -> str:
    """The area as the select box lists it: kind and, for a service outside England, its nation."""
    kind = area_kind(services, area)
    if kind == "uk":
        return "UK (England, Wales, Northern Ireland, Crown Dependencies)"
    if kind == "nation":
        return "Crown Dependencies" if area == "Crown Dependency" else area
    if kind == "region":
        return f"{area} (region)"
    row = services.filter(pl.col("service_code") == area).row(0, named=True)
    return f"{row['service_name']} ({'service' if row['nation'] == 'England' else row['nation']})"


def coverage(known: int, total: int, have: str = "have a count") -> str:
    """'152 of 153 services have a count', 'all 22 services have a count' or 'the one service has a count'."""
    if total == 1:
        return f"the one service {have.replace('have', 'has', 1)}".rstrip()
    return f"{'all ' if known == total else f'{known} of '}{total:,} services {have}".rstrip()


def coverage_note(known: int, total: int, have: str = "have a count") -> str:
    """The coverage as a sentence for a subtitle; nothing for a single service that has the value."""
    if total == 1 and known == 1:
        return ""
    text = coverage(known, total, have)
    return f"{text[0].upper()}{text[1:]}."


def _signed(value: float | None, suffix: str = "", digits: int = 0) -> str:
    return "not known" if value is None else f"{value:+,.{digits}f}{suffix}".replace("-", "−")


def change_text(change: int | None, change_pct: float | None) -> str:
    """'−3 (−12.5%)', 'no change'; 'not known' rather than zero when either end is missing."""
    if change is None:
        return "not known"
    if change == 0:
        return "no change"
    return _signed(change) + ("" if change_pct is None else f" ({_signed(change_pct, '%', 1)})")


def network_chart(totals: pl.DataFrame, labels: Labels) -> go.Figure:
    """Service points listed as open at the end of each year (top; from zero, so a small change looks small) and
    the year's openings and closures (bottom). Years with no known count are gaps; `totals` should be over the
    services whose changes the list records, the same in every year."""
    figure = make_subplots(rows=2, cols=1, shared_xaxes=True, row_heights=[0.62, 0.38], vertical_spacing=0.08)
    years = totals["year"].to_list()
    figure.add_trace(
        go.Scatter(
            x=years,
            y=totals["libraries_open"].to_list(),
            name="Listed as open at the end of the year",
            mode="lines+markers",
            line={"color": BLUE, "width": 2.5},
            hovertemplate="End of %{x}: %{y:,} listed as open<extra></extra>",
        ),
        row=1,
        col=1,
    )
    for column, name, colour in (("openings", "Openings", GREEN), ("closures", "Closures", VERMILLION)):
        figure.add_trace(
            go.Bar(
                x=years,
                y=totals[column].to_list(),
                name=name,
                marker_color=colour,
                hovertemplate=f"%{{x}}: %{{y:,}} {name.lower()}<extra></extra>",
            ),
            row=2,
            col=1,
        )
    figure.update_layout(barmode="group", bargap=0.25)
    figure.update_yaxes(title="Listed as open", rangemode="tozero", row=1, col=1)
    most = max(totals["openings"].max() or 0, totals["closures"].max() or 0)
    figure.update_yaxes(title="In the year", rangemode="tozero", dtick=1 if most <= 5 else None, row=2, col=1)
    figure.update_xaxes(dtick=1, tickangle=0, row=2, col=1)
    return briefing_layout(
        figure, title=labels.title, subtitle=labels.subtitle, source=labels.source, note=labels.note, height=560
    )


def network_table(totals: pl.DataFrame) -> pl.DataFrame:
    return totals.select(
        pl.col("year").alias("Year"),
        pl.col("libraries_open").alias("Service points listed as open at the end of the year"),
        pl.col("openings").alias("Openings"),
        pl.col("closures").alias("Closures"),
        pl.col("libraries_open_known").alias("Services counted (the list records their changes)"),
        pl.col("services").alias("Services in the area"),
    )


def rate_chart(rates: pl.DataFrame, labels: Labels, years: Sequence[int]) -> go.Figure:
    """Libraries per 100,000 residents for each area (rows) at the end of each of `years` (bars), the value
    printed on each bar. `rates` needs area, year and libraries_per_100k; areas without a rate are left out."""
    shown = rates.filter(pl.col("libraries_per_100k").is_not_null())
    order = shown["area"].unique(maintain_order=True).to_list()
    figure = go.Figure()
    for year, colour in zip(years, (SKY, BLUE), strict=False):
        part = shown.filter(pl.col("year") == year)
        figure.add_trace(
            go.Bar(
                y=[_capital(escape_markup(area)) for area in part["area"]],
                x=part["libraries_per_100k"].to_list(),
                name=f"End of {year}",
                orientation="h",
                marker_color=colour,
                text=[f"{value:,.1f}" for value in part["libraries_per_100k"]],
                textposition="outside",
                cliponaxis=False,
                hovertemplate=f"%{{y}}, end of {year}: %{{x:,.1f}} per 100,000 residents<extra></extra>",
            )
        )
    figure.update_layout(barmode="group")
    figure.update_yaxes(
        autorange="reversed", categoryorder="array", categoryarray=[_capital(escape_markup(a)) for a in order]
    )
    figure.update_xaxes(title="Service points listed as open per 100,000 residents", rangemode="tozero")
    height = 200 + 60 * max(len(order), 1)
    return briefing_layout(
        figure, title=labels.title, subtitle=labels.subtitle, source=labels.source, note=labels.note, height=height
    )


def _capital(text: str) -> str:
    return text[:1].upper() + text[1:]


def rate_table(rates: pl.DataFrame) -> pl.DataFrame:
    return rates.select(
        pl.col("area").alias("Area"),
        pl.col("year").alias("Year"),
        pl.col("rate_libraries").alias("Listed as open (services with a population)"),
        pl.col("rate_population").alias(f"Residents ({POPULATION_VINTAGE})"),
        pl.col("libraries_per_100k").round(1).alias("Libraries per 100,000 residents"),
        pl.col("rate_services").alias("Services counted"),
        pl.col("services").alias("Services in the area"),
    )


def ace_chart(totals: pl.DataFrame, labels: Labels) -> go.Figure:
    """Statutory libraries and libraries per operating model, as points in the years ACE's dataset gives them
    (never lines: nothing is known between those years)."""
    figure = go.Figure()
    for index, (column, name, colour, symbol) in enumerate(MODELS):
        part = totals.filter(pl.col(column).is_not_null())
        figure.add_trace(
            go.Scatter(
                # Side by side within the year, so equal counts do not hide each other.
                x=[year + DODGE * (index - len(MODELS) // 2) for year in part["year"]],
                y=part[column].to_list(),
                customdata=part["year"].to_list(),
                name=name,
                mode="markers",
                marker={"color": colour, "symbol": symbol, "size": 11, "line": {"color": "white", "width": 1}},
                hovertemplate=f"{name}, %{{customdata}}: %{{y:,}}<extra></extra>",
            )
        )
    years = sorted(set(totals.filter(pl.col("statutory_libraries").is_not_null())["year"].to_list()))
    figure.update_xaxes(tickvals=years, range=[min(years, default=BASE_YEAR) - 0.7, max(years, default=2023) + 0.7])
    figure.update_yaxes(title="Libraries", rangemode="tozero")
    return briefing_layout(figure, title=labels.title, subtitle=labels.subtitle, source=labels.source, note=labels.note)


def ace_table(totals: pl.DataFrame) -> pl.DataFrame:
    shown = totals.filter(pl.any_horizontal(pl.col(column).is_not_null() for column, *_ in MODELS))
    return shown.select(
        pl.col("year").alias("Year"),
        *[pl.col(column).alias(name) for column, name, *_ in MODELS],
        pl.col("statutory_libraries_known").alias("Services with a statutory count"),
        pl.col("community_run_known").alias("Services with operating models"),
        pl.col("services").alias("Services in the area"),
    )


def hours_frame(paired: dict[str, pl.DataFrame]) -> pl.DataFrame:
    """The like-for-like hours per measure (HOURS column -> network_queries.paired_totals) in one frame."""
    names = dict(HOURS)
    return pl.concat(
        [
            frame.select(pl.lit(names[column]).alias("measure"), "year", "total", "services")
            for column, frame in paired.items()
        ]
    )


def hours_chart(hours: pl.DataFrame, labels: Labels) -> go.Figure:
    """Weekly opening and staffed hours, one bar per year, the value printed on each bar."""
    figure = go.Figure()
    for year, colour in zip(sorted(set(hours["year"].to_list())), (SKY, BLUE), strict=False):
        part = hours.filter(pl.col("year") == year)
        figure.add_trace(
            go.Bar(
                x=part["measure"].to_list(),
                y=part["total"].to_list(),
                name=str(year),
                marker_color=colour,
                text=[f"{value:,.0f}" for value in part["total"]],
                textposition="outside",
                cliponaxis=False,
                hovertemplate=f"%{{x}}, {year}: %{{y:,.0f}} a week<extra></extra>",
            )
        )
    figure.update_layout(barmode="group")
    figure.update_yaxes(title="Hours a week, all points", rangemode="tozero")
    return briefing_layout(figure, title=labels.title, subtitle=labels.subtitle, source=labels.source, note=labels.note)


def hours_table(hours: pl.DataFrame) -> pl.DataFrame:
    return hours.select(
        pl.col("measure").alias("Measure"),
        pl.col("year").alias("Year"),
        pl.col("total").round(1).alias("Hours a week"),
        pl.col("services").alias("Services with hours in both years"),
    )


def change_classes(change: pl.DataFrame, services: pl.DataFrame, measure: str, year: int) -> Classes:
    """Each service's class of change since 2010 (`measure`: 'percent' or 'count', fixed CHANGE_CLASSES so a map
    of one region reads like a map of the UK) and its tooltip. `change` is network_queries.change_since."""
    classes = CHANGE_CLASSES[measure]
    records = []
    for row in change.join(services, on="service_code").iter_rows(named=True):
        value = row["change_pct"] if measure == "percent" else row["change"]
        index = None if value is None else next(i for i, (upper, _) in enumerate(classes) if value <= upper)
        records.append(
            {
                "service_code": row["service_code"],
                "service_name": row["service_name"],
                "colour": NO_DATA if index is None else CHANGE_COLOURS[index],
                "change_text": NOT_RECORDED if row["change"] is None else change_text(row["change"], row["change_pct"]),
                "from_text": NOT_RECORDED if row["before"] is None else f"{row['before']:,}",
                "to_text": "no points listed" if row["after"] is None else f"{row['after']:,}",
                "place_text": row["region"] if row["nation"] == "England" else row["nation"],
            }
        )
    return Classes(
        frame=pl.DataFrame(records),
        breaks=[],
        colours=CHANGE_COLOURS,
        method="fixed steps",
        fields=(
            ("change_text", "Change"),
            ("from_text", f"Listed as open, end of {BASE_YEAR}"),
            ("to_text", f"Listed as open, end of {year}"),
            ("place_text", "Region or nation"),
        ),
        labels=tuple(label for _, label in classes),
        no_data_label=NOT_LISTED,
    )


def change_map(layout: pl.DataFrame, classes: Classes, labels: Labels, year: int) -> go.Figure:
    """The hex cartogram (components.hexmap) coloured by change in libraries open since 2010."""
    unit = f"change in service points listed as open, end of {BASE_YEAR} to end of {year}"
    return hex_figure(
        layout, classes, title=labels.title, subtitle=labels.subtitle, unit=unit, source=labels.source, note=labels.note
    )


def change_table(change: pl.DataFrame, services: pl.DataFrame, year: int) -> pl.DataFrame:
    return (
        change.join(services, on="service_code")
        .sort("change_pct", "service_name", nulls_last=True)
        .select(
            pl.col("service_name").alias("Service"),
            pl.col("service_code").alias("Service code"),
            pl.col("nation").alias("Nation"),
            pl.col("region").alias("Region"),
            pl.col("before").alias(f"Listed as open, end of {BASE_YEAR} (empty: not recorded)"),
            pl.col("after").alias(f"Listed as open, end of {year}"),
            pl.col("change").alias("Change"),
            pl.col("change_pct").round(1).alias("Change (%)"),
        )
    )


def openings_and_closures(branches: pl.DataFrame, service_code: str) -> pl.DataFrame:
    """The service's points with an opening or closing year in the list, latest first; unknown years stay empty."""
    dated = branches.filter(
        pl.col("service_code") == service_code,
        pl.col("year_opened").is_not_null() | pl.col("year_closed").is_not_null(),
    )
    return dated.sort(pl.max_horizontal("year_opened", "year_closed"), "name", descending=[True, False]).select(
        pl.col("name").alias("Service point"),
        pl.col("year_opened").alias("Year opened"),
        pl.col("year_closed").alias("Year closed"),
        pl.col("status").alias("Status now"),
        pl.col("type_label").alias("Run as"),
    )


def _fewer_or_more_parts(change: Change) -> tuple[str, str]:
    """('351 fewer than in 2010', ' (−11.2%)'): the words and the percentage, apart so a sentence can bold one."""
    if change.change == 0:
        return f"as many as in {change.first}", ""
    words = f"{abs(change.change or 0):,} {'fewer' if (change.change or 0) < 0 else 'more'} than in {change.first}"
    return words, "" if change.change_pct is None else f" ({_signed(change.change_pct, '%', 1)})"


def fewer_or_more(change: Change) -> str:
    """'351 fewer than in 2010 (−11.2%)', '2 more than in 2010 (+4.0%)', 'as many as in 2010'."""
    return "".join(_fewer_or_more_parts(change))


def _of_services(change: Change, what: str) -> str:
    """'all 153 services' or 'the 136 of 153 services whose changes the list records' (what: the clause)."""
    if change.services == change.of:
        return "the one service" if change.of == 1 else f"all {change.of:,} services"
    return f"the {change.services:,} of {change.of:,} services {what}"


def statutory_sentence(change: Change | None, place: str) -> str:
    """'**2,787** statutory libraries in England in 2023; **351 fewer** than in 2010 (−11.2%). ...' from
    network_queries.statutory_change over the area's English services; empty when ACE has none."""
    if change is None or change.after is None:
        return ""
    words, percent = _fewer_or_more_parts(change)
    counted = _of_services(change, "ACE's dataset counts in both years")
    return (
        f"**{change.after:,}** statutory libraries in {place} in {change.last}; **{words}**{percent} "
        f"(Arts Council England's Libraries Location Dataset, returned by the services; {counted})."
    )


def listed_change_text(change: Change) -> str:
    """The list's change since 2010 in words: on the services whose changes it records, or 'not recorded'."""
    if change.services == 0 or change.change is None:
        return f"{NOT_RECORDED} (the list gives no opening or closing year from {BASE_YEAR} on)"
    if not change.publishable:
        return (
            f"{NOT_RECORDED} (the list gives opening or closing years from {BASE_YEAR} on for only "
            f"{change.services:,} of {change.of:,} services)"
        )
    text = change_text(change.change, change.change_pct)
    ends = f"{change.before:,} at the end of {change.first}, {change.after:,} at the end of {change.last}"
    if change.of == 1:
        return f"{text} ({ends})"
    return f"{text} ({ends}) on {_of_services(change, 'whose changes the list records')}"


def listed_sentence(network: pl.DataFrame, codes: Sequence[str], place: str, year: int) -> str:
    """'Libraries Hacked's list ...: **3,274** service points listed as open in the UK at the end of 2023 ...;
    change since 2010: ...' (the volunteer list's view: what it counts, and its change or 'not recorded')."""
    now, known = listed_now(network, codes)
    if now is None:
        return f"Libraries Hacked's list has no service point of {place}."
    last = latest_year(network)
    shown = (
        f"**{now:,}** service points listed as open in {place} at the end of {last} "
        f"({coverage(known, len(codes), 'have points in the list')})"
    )
    change = listed_change(network, codes, year)
    return (
        f"Libraries Hacked's list (kept by volunteers from public information; {LISTED_COUNTS}): {shown}. "
        f"Change since the end of {BASE_YEAR}: {listed_change_text(change)}."
    )


def listed_subtitle(change: Change) -> str:
    """The subtitle of the list's chart: what it counts, and the services it is drawn over."""
    return (
        f"Libraries Hacked's list: {LISTED_COUNTS}. Listed as open at the end of each year (top); opened and closed "
        f"in the year (bottom). On {_of_services(change, 'whose changes the list records')}."
    )


def unrecorded_note(services: pl.DataFrame, codes: Sequence[str], recorded: Sequence[str]) -> str:
    """'Not recorded: Libraries NI; 21 of the 22 Welsh services; ...' (names when five or fewer): the services a
    chart of the list's change leaves out, said rather than drawn flat."""
    missing = services.filter(pl.col("service_code").is_in(list(codes)), ~pl.col("service_code").is_in(list(recorded)))
    if missing.is_empty():
        return ""
    if missing.height <= 5:
        return f"Not recorded, so not counted: {', '.join(missing.sort('service_name')['service_name'])}."
    parts = []
    in_area = services.filter(pl.col("service_code").is_in(list(codes)))
    for nation in NATIONS:
        left_out = missing.filter(pl.col("nation") == nation).height
        of = in_area.filter(pl.col("nation") == nation).height
        if not left_out:
            continue
        name = {"England": "English", "Wales": "Welsh"}.get(nation, nation)
        if nation == "Northern Ireland":
            parts.append("Libraries NI")
        elif nation == "Crown Dependency":
            parts.append("the Crown Dependencies" if left_out == of else f"{left_out} of the {of} Crown Dependencies")
        elif left_out == of:
            parts.append(f"all {of} {name} services")
        else:
            parts.append(f"{left_out} of the {of} {name} services")
    return f"Not recorded, so not counted: {'; '.join(parts)}."


@dataclass(frozen=True)
class NetworkTile:
    """One nation's tile for the Overview: st.metric(label, value, delta, delta_color="off"), then the detail.

    Streamlit draws the delta's arrow from its first character (down only for an ASCII '-'), so a fall's delta
    starts with '-' and a nation whose change is not recorded has no delta at all."""

    label: str
    value: str
    delta: str | None
    detail: str


def _arrow_delta(change: Change) -> str | None:
    """'-351 (-11.2%) since 2010' with ASCII minus signs, so the arrow points down; None when unknown or no change
    (Streamlit would draw an up arrow on anything but a bare '0')."""
    if change.change is None:
        return None
    percent = "" if change.change_pct is None else f" ({change.change_pct:+.1f}%)"
    return f"{change.change:+,}{percent} since {change.first}" if change.change else None


def network_tiles(network: pl.DataFrame, services: pl.DataFrame) -> list[NetworkTile]:
    """Per nation, in NATIONS order: England's statutory libraries (ACE) and their change since 2010; elsewhere the
    service points the volunteer list shows as open now, with its change or 'not recorded'. The label says which."""
    year = latest_year(network)
    tiles = []
    for nation in [n for n in NATIONS if n in services["nation"].to_list()]:
        name = "Crown Dependencies" if nation == "Crown Dependency" else nation
        codes = area_codes(services, nation)
        now, known = listed_now(network, codes)
        statutory = statutory_change(network, codes)
        if statutory is not None and statutory.after is not None:
            listed = "" if now is None else f" Libraries Hacked's volunteer list shows {now:,} service points as open."
            detail = (
                f"Statutory libraries in {statutory.last}, as the services returned them to Arts Council England: "
                f"{fewer_or_more(statutory)}, on {_of_services(statutory, 'counted in both years')}.{listed}"
            )
            label = f"{name}: statutory libraries, {statutory.last}"
            tiles.append(NetworkTile(label, f"{statutory.after:,}", _arrow_delta(statutory), detail))
        elif now is None:
            tiles.append(NetworkTile(name, "not known", None, f"No service here is in {LISTED}."))
        else:
            change = listed_change(network, codes, year)
            detail = (
                f"Service points Libraries Hacked's volunteer list shows as open at the end of {year} "
                f"({coverage(known, len(codes), 'have points')}). Change since {BASE_YEAR}: "
                f"{listed_change_text(change)}."
            )
            label = f"{name}: service points listed, {year}"
            tiles.append(NetworkTile(label, f"{now:,}", _arrow_delta(change) if change.publishable else None, detail))
    return tiles
