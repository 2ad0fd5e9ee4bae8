"""The library network over time: definitions in words, briefing charts, the change map and the tables behind them.

Frames in (from observatory_data.network), figures, text and reader-ready tables out. No data access here.
The definitions are those of the build (observatory_data/build/network.py), which the app may not import.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import plotly.graph_objects as go
import polars as pl
from plotly.subplots import make_subplots

from components.briefing import BLUE, GREEN, ORANGE, PURPLE, SKY, VERMILLION, briefing_layout, escape_markup
from components.charts import Labels
from components.classes import NO_DATA, Classes
from components.exports import About
from components.hexmap import hex_figure
from observatory_data.catalogue import POPULATION_VINTAGE
from observatory_data.network import BASE_YEAR, NATIONS, area_kind, area_totals, change_since, latest_year

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
LAG_NOTE = "Openings and closures reach the list as volunteers learn of them: the latest years may be incomplete."
# (term, definition): the build's definitions in the reader's words, for the page and the CSV files.
DEFINITIONS = (
    (
        "Libraries open",
        "Service points in Libraries Hacked's list (all nations) open at the end of the year: opened in or before "
        "the year, or with no opening year, and not closed by its end. A point opened and closed in the same year "
        "is an opening and a closure of that year, not open at its end.",
    ),
    ("Openings and closures", "Points in the list whose opening or closing year is the year."),
    (
        "Statutory libraries",
        "England, in 2010, 2016, 2019, 2021, 2022 and 2023: points ACE's Libraries Location Dataset marks "
        "statutory in that year ('Facility Not Open', 'Temporary Closure', No and unknown are not counted).",
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
MODELS = (
    ("statutory_libraries", "Statutory libraries", BLUE, "circle"),
    ("local_authority", "Local authority run", ORANGE, "square"),
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
NOT_LISTED = "Not in Libraries Hacked's list"


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
    """Libraries open at the end of each year (top; from zero, so a small change looks small) and the year's
    openings and closures (bottom). Years with no known count are gaps."""
    figure = make_subplots(rows=2, cols=1, shared_xaxes=True, row_heights=[0.62, 0.38], vertical_spacing=0.08)
    years = totals["year"].to_list()
    figure.add_trace(
        go.Scatter(
            x=years,
            y=totals["libraries_open"].to_list(),
            name="Libraries open at the end of the year",
            mode="lines+markers",
            line={"color": BLUE, "width": 2.5},
            hovertemplate="End of %{x}: %{y:,} libraries open<extra></extra>",
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
    figure.update_yaxes(title="Libraries open", rangemode="tozero", row=1, col=1)
    most = max(totals["openings"].max() or 0, totals["closures"].max() or 0)
    figure.update_yaxes(title="In the year", rangemode="tozero", dtick=1 if most <= 5 else None, row=2, col=1)
    figure.update_xaxes(dtick=1, tickangle=0, row=2, col=1)
    return briefing_layout(
        figure, title=labels.title, subtitle=labels.subtitle, source=labels.source, note=labels.note, height=560
    )


def network_table(totals: pl.DataFrame) -> pl.DataFrame:
    return totals.select(
        pl.col("year").alias("Year"),
        pl.col("libraries_open").alias("Libraries open at the end of the year"),
        pl.col("openings").alias("Openings"),
        pl.col("closures").alias("Closures"),
        pl.col("libraries_open_known").alias("Services with a count"),
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
    figure.update_xaxes(title="Libraries open per 100,000 residents", rangemode="tozero")
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
        pl.col("rate_libraries").alias("Libraries open (services with a population)"),
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
    """The like-for-like hours per measure (HOURS column -> observatory_data.network.paired_totals) in one frame."""
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
    of one region reads like a map of the UK) and its tooltip. `change` is observatory_data.network.change_since."""
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
                "change_text": change_text(row["change"], row["change_pct"]),
                "from_text": "not known" if row["before"] is None else f"{row['before']:,}",
                "to_text": "not known" if row["after"] is None else f"{row['after']:,}",
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
            ("from_text", f"Open at the end of {BASE_YEAR}"),
            ("to_text", f"Open at the end of {year}"),
            ("place_text", "Region or nation"),
        ),
        labels=tuple(label for _, label in classes),
        no_data_label=NOT_LISTED,
    )


def change_map(layout: pl.DataFrame, classes: Classes, labels: Labels, year: int) -> go.Figure:
    """The hex cartogram (components.hexmap) coloured by change in libraries open since 2010."""
    unit = f"change in libraries open, end of {BASE_YEAR} to end of {year}"
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
            pl.col("before").alias(f"Libraries open, end of {BASE_YEAR}"),
            pl.col("after").alias(f"Libraries open, end of {year}"),
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


@dataclass(frozen=True)
class NetworkTile:
    """One nation's tile for the Overview: st.metric(label, value, delta, delta_color="off"), then the detail."""

    label: str
    value: str
    delta: str | None
    detail: str


def network_tiles(network: pl.DataFrame, services: pl.DataFrame) -> list[NetworkTile]:
    """Per nation, in NATIONS order: libraries open at the end of the latest year and the change since 2010, with the
    coverage it rests on; a nation with no count says so."""
    year = latest_year(network)
    totals = area_totals(network, services, by="nation")
    rows = change_since(totals, year, keys=("nation",)).join(totals.filter(pl.col("year") == year), on="nation")
    order = pl.col("nation").replace_strict(list(NATIONS), list(range(len(NATIONS))), default=len(NATIONS))
    tiles = []
    for row in rows.sort(order).iter_rows(named=True):
        nation = "Crown Dependencies" if row["nation"] == "Crown Dependency" else row["nation"]
        if row["after"] is None:
            tiles.append(NetworkTile(nation, "not known", None, f"No service here is in {LISTED}."))
            continue
        known = coverage(row["libraries_open_known"], row["services"])
        detail = f"Libraries open at the end of {year}; {known} in {LISTED}."
        delta = f"{change_text(row['change'], row['change_pct'])} since {BASE_YEAR}"
        tiles.append(NetworkTile(nation, f"{row['after']:,}", delta, detail))
    return tiles


def headline(totals: pl.DataFrame, place: str, years: Sequence[int]) -> str:
    """'**2,991** libraries open in England at the end of 2010, **2,914** at the end of 2023: a change of −77 (−2.6%)
    since 2010; all 153 services have a count.' from area_totals (the base year first); empty when nothing is known."""
    at = {row["year"]: row["libraries_open"] for row in totals.iter_rows(named=True)}
    first, *rest = years
    if at[first] is None or at[rest[-1]] is None:
        return ""
    change = at[rest[-1]] - at[first]
    percent = 100 * change / at[first] if at[first] else None
    changed = "no change" if change == 0 else f"a change of {change_text(change, percent)}"
    last = totals.filter(pl.col("year") == rest[-1]).row(0, named=True)
    later = ", ".join(f"**{at[year]:,}** at the end of {year}" for year in rest)
    return (
        f"**{at[first]:,}** libraries open in {place} at the end of {first}, {later}: {changed} since {first}; "
        f"{coverage(last['libraries_open_known'], last['services'])}."
    )
