"""A service's briefing. An English service: its headline rates against its comparison group, region and England
(the benchmark page's view, built by the same function), the gap to the group's median in counts, two small charts,
the change since the first year on the same services, its library network and context, and every caveat that touches
a number. A service outside England: the profile of what is known, and what ACE does not collect there."""

from __future__ import annotations

from collections.abc import Sequence

import polars as pl

from components.benchmark import AUDIT_HEADER, COVERAGE_HEADER, SHORT_HEADERS
from components.briefings.charts import dot_comparison_svg, trend_lines_svg
from components.briefings.inputs import BriefingTables
from components.briefings.parts import (
    CAVEAT_MARK,
    footer_lines,
    gap_in_counts,
    list_items,
    live_link,
    paragraphs,
    plain,
    small_print,
    table_block,
)
from components.briefings.pdf import Block, Briefing, Chart, Columns, Heading, Paragraph, Run, Table
from components.profile import network_facts
from components.sections.benchmark_profile import profile_section
from components.sections.benchmark_sections import Measured
from components.sections.benchmark_view import BenchmarkView, ViewKey, benchmark_view
from observatory_data.serving.benchmarks import peer_codes
from observatory_data.serving.catalogue import (
    COUNTABLE,
    CROWN_DEPENDENCY,
    ENGLAND,
    HEADLINE_METRICS,
    HEADLINE_SHORT,
    IMD_NAME,
    PEER_COUNT,
    POPULATION_VINTAGE,
    years_with_data,
)
from observatory_data.serving.formats import number
from observatory_data.serving.periods import financial_year

DEFAULT_METRIC = "loans"  # the benchmark page's chart metric when a link names none
FACT_ALIGN = ("left", "left")
# Each headline column's share of the table's width: the metric's label and the words widest, the figures narrow.
HEADLINE_WIDTHS = {"Metric": 2.8, SHORT_HEADERS[COVERAGE_HEADER]: 1.9}
FIGURE_WIDTH = 0.95


def briefing_key(
    tables: BriefingTables,
    service: str,
    group: Sequence[str] | None = None,
    count: int | None = PEER_COUNT,
    metric: str = DEFAULT_METRIC,
    year: int | None = None,
) -> ViewKey:
    """The benchmark page's choices for a briefing: its nearest `count` neighbours unless a `group` is given, the
    chart's `metric` and the latest year with data for it unless a `year` is given (as the page opens)."""
    year = year or years_with_data(tables.annual, metric)[-1]
    if group is None:
        return ViewKey(
            service, tuple(peer_codes(tables.peers, service, count or PEER_COUNT)), count or PEER_COUNT, metric, year
        )
    return ViewKey(service, tuple(code for code in group if code != service), None, metric, year)


def service_briefing(tables: BriefingTables, key: ViewKey, base_url: str) -> Briefing:
    """The briefing of the service in `key` (its comparison, metric and year as the benchmark page holds them)."""
    row = tables.service_row(key.service)
    if row["nation"] != ENGLAND:
        return profile_briefing(tables, row, base_url)
    names = dict(tables.services.select("service_code", "service_name").iter_rows())
    view = benchmark_view(tables.annual, tables.services, tables.metrics, key, names, tables.rates_of)
    return english_briefing(tables, row, key, view, base_url)


def english_briefing(tables: BriefingTables, row: dict, key: ViewKey, view: BenchmarkView, base_url: str) -> Briefing:
    """An English service against its comparison group in the key's year."""
    name, year = row["service_name"], key.year
    title = f"{name}: library service briefing, {financial_year(year)}"
    choices = {"service": key.service, "metric": key.metric, "year": str(year)}
    choices |= {"peers": str(key.count)} if key.count else {"compare": "custom", "group": ",".join(key.group)}
    link = live_link(base_url, "benchmark", choices)
    blocks: list[Block] = [*paragraphs(plain(view.opening.caption), plain(view.opening.caveat))]
    caveats = _caveats(view)
    if view.headline is not None and view.trend is not None:
        headline = view.headline
        table = _headline_table(headline.table)
        blocks += [
            Heading(f"Headline rates, {financial_year(year)}"),
            table_block(
                table,
                f"{name}'s rates per 1,000 residents in {financial_year(year)}, against {_compared(view)}, the "
                f"{row['region']} region and England",
                plain(headline.note),
                tuple(HEADLINE_WIDTHS.get(column, FIGURE_WIDTH) for column in table.columns),
            ),
            Heading("What the gap to the group's median means"),
            _gaps(key.service, name, view.measured, view.comparison.table_label, year),
            Heading(f"{_short(view.measured[key.metric].entry)}: where {name} stands, and its years"),
            _charts(name, row["region"], view, key),
            Paragraph(plain(view.trend.change)),
        ]
    else:
        blocks.append(Paragraph("No comparison group: choose at least one service to compare with."))
    blocks += [
        Heading("Library network"),
        _facts(
            network_facts(tables.network, tables.services, key.service, tables.peers, tables.branches),
            "In 2010 and now, against its nation and nearest neighbours",
            name,
        ),
        Heading("Context"),
        _facts(_context(row), "Who the service serves", name),
        *small_print(title, tables.built_at, link, caveats),
    ]
    return Briefing(
        title=title,
        subtitle=f"Compared with {_compared(view)}, the {row['region']} region and England",
        keywords=(name, key.service, "public libraries", "benchmark"),
        date_line=f"Arts Council England's library activity data, {financial_year(year)}",
        blocks=tuple(blocks),
        footer_lines=footer_lines(title, tables.built_at),
    )


def _headline_table(table: pl.DataFrame) -> pl.DataFrame:
    """The page's headline table for a page of print: a caveated rate marked with CAVEAT_MARK (the caveat itself is
    in the small print, once, not in every row), the audit's marks in the small print too, the short headers."""
    if "Caveat" in table.columns:
        marked = pl.when(pl.col("Caveat") != "").then(pl.lit(f" {CAVEAT_MARK}")).otherwise(pl.lit(""))
        table = table.with_columns(pl.col("Rate per 1,000") + marked)
    return table.drop(AUDIT_HEADER, "Caveat", strict=False).rename(SHORT_HEADERS, strict=False)


def _compared(view: BenchmarkView) -> str:
    comparison = view.comparison
    return (
        f"a chosen group of {len(comparison.group)} services"
        if comparison.chosen
        else (f"its {len(comparison.group)} nearest neighbours (ONS)")
    )


def _gaps(service: str, name: str, measured: dict[str, Measured], group_label: str, year: int) -> Table | Paragraph:
    """For each headline metric with a comparable rate: what the group's median rate would mean for the service, in
    counts, beside what it recorded (said without judgement: a difference, not a shortfall)."""
    rows, residents = [], None
    for metric in HEADLINE_METRICS:
        shown = measured[metric]
        result, entry = shown.result, shown.entry
        own = shown.rates.filter(pl.col("service_code") == service)
        if own.is_empty() or result.caveat or result.status not in COUNTABLE:
            continue
        residents = own["denominator"].item()
        counts = gap_in_counts(result.rate, result.group_median, residents, entry["unit"])
        if counts:
            rows.append((HEADLINE_SHORT[metric], number(own["value"].item()), number(result.group_median, 1), counts))
    if not rows:
        return Paragraph("No headline metric has a comparable rate and a group median to measure a gap by.")
    caption = (
        f"At the median rate of {group_label}, {name} would have recorded, in {financial_year(year)} and for its "
        f"{number(residents)} residents:"
    )
    header = ("Metric", f"Recorded, {financial_year(year)}", "Group median per 1,000", "At the group's median rate")
    return Table(caption, header, tuple(rows), ("left", "right", "right", "right"), widths=(3, 1.3, 1.3, 1.9))


def _charts(name: str, region: str, view: BenchmarkView, key: ViewKey) -> Columns:
    """Where the service stands on the chart's metric, and its years against the same group members'."""
    shown = view.measured[key.metric]
    result, unit = shown.result, f"{shown.entry['unit']} per 1,000 residents, {financial_year(key.year)}"
    rows = [
        (name, result.rate),
        ("Group median", result.group_median),
        (f"Region: {region}", result.region_rate.rate),
        ("England", result.england_rate.rate),
    ]
    values = ", ".join(f"{label} {number(value, 1, 'no value')}" for label, value in rows)
    dots = Chart(
        dot_comparison_svg(rows, name, unit, digits=1),
        alt=f"Dot chart of {shown.entry['label'].lower()} per 1,000 residents in {financial_year(key.year)}: {values}.",
        caption=f"{financial_year(key.year)}; region and England population-weighted.",
    )
    trend = view.trend.chart.table
    own, same = (
        trend.columns[1],
        next(column for column in trend.columns if column.startswith("Group median, the same")),
    )
    years = trend["Year"].to_list()
    series = {name: trend[own].to_list(), same.replace(", the same", " of the same"): trend[same].to_list()}
    said = "; ".join(
        f"{year}: {name} {number(mine, 1, 'no value')}, group {number(theirs, 1, 'no value')}"
        for year, mine, theirs in zip(years, trend[own], trend[same], strict=True)
    )
    lines = Chart(
        trend_lines_svg(years, series, f"{shown.entry['unit']} per 1,000 residents", digits=0),
        alt=f"Line chart of {shown.entry['label'].lower()} per 1,000 residents by year: {said}.",
        caption="The group's median over the same members in every year.",
    )
    return Columns(((dots,), (lines,)))


def _short(entry: dict) -> str:
    """A metric's short name where it has one (the headline metrics), else its label."""
    return HEADLINE_SHORT.get(entry["metric"], entry["label"])


def _facts(facts: Sequence[tuple[str, str]], what: str, name: str) -> Table:
    """Facts as a two-column table headed by what they are and whose."""
    return Table("", (what, name), tuple((label, value) for label, value in facts), FACT_ALIGN, widths=(1.2, 1))


def _context(row: dict) -> list[tuple[str, str]]:
    """Residents, children, area, deprivation and the places lists, each said with what it is."""
    facts = [
        (f"Residents ({POPULATION_VINTAGE})", number(row["population"], missing="not known")),
        ("Children aged 0 to 11", number(row["population_0_11"], missing="not known")),
        ("Young people aged 12 to 17", number(row["population_12_17"], missing="not known")),
        ("Area", f"{number(row['area_km2'])} km²" if row["area_km2"] else "not known"),
    ]
    if row["imd_decile"] is not None:
        facts += [
            (
                f"{IMD_NAME}: decile of its average rank (1 = most deprived tenth of English services)",
                str(row["imd_decile"]),
            ),
            (
                "Share of its areas (LSOAs) in England's most deprived tenth",
                f"{row['imd_share_most_deprived_10pct']:.0%} of {row['imd_lsoas']:,}",
            ),
        ]
    facts += [
        ("ACE Priority Place (2021-24)", _place(row, "priority_place")),
        ("Levelling Up for Culture Place (2022-26)", _place(row, "lucp")),
    ]
    return facts


def _place(row: dict, flag: str) -> str:
    value, districts = row[flag], row[f"{flag}_districts"]
    if value == "yes":
        return f"yes: {districts}" if districts else "yes"
    return {"no": "no", "unknown": "not known"}.get(value or "unknown", str(value))


def _caveats(view: BenchmarkView) -> tuple:
    """Every caveat and flag that touches a number on the page: the rate's caveat, the audit's marks, and each metric
    shown that has no countable value, with why."""
    items: list = []
    if view.opening.caveat:
        items.append(plain(view.opening.caveat))
    caveated = [(m.entry["label"], m.result.caveat) for m in view.measured.values() if m.result.caveat]
    for caveat in dict.fromkeys(caveat for _, caveat in caveated):
        labels = [label for label, said in caveated if said == caveat]
        items.append(f"{CAVEAT_MARK} Not comparable ({'; '.join(labels)}): {caveat}.")
    marked = [view.measured[metric] for metric in HEADLINE_METRICS if metric in view.measured]
    items += [(Run(f"{m.entry['label']}: ", bold=True), Run(m.result.audit)) for m in marked if m.result.audit]
    shown = {measured.entry["label"] for measured in view.measured.values()}
    for row in view.missing.filter(pl.col("Metric").is_in(shown)).iter_rows(named=True):
        audit = f" {row[AUDIT_HEADER]}" if row.get(AUDIT_HEADER) else ""
        items.append(f"{row['Metric']}: {row['Status']}. {row['Why'] or ''}{audit}".strip())
    return tuple(items)


def _no_index(row: dict) -> str:
    """Where the sources hold no deprivation index for the service's nation, say so (never a blank)."""
    if row["wimd_avg_rank"] is None and row["imd_decile"] is None:
        place = row["service_name"] if row["nation"] == CROWN_DEPENDENCY else row["nation"]
        return f"Deprivation on {place}'s own index is not among the observatory's sources."
    return ""


def profile_briefing(tables: BriefingTables, row: dict, base_url: str) -> Briefing:
    """A service outside England: what the other sources know (network, hours, residents, its nation's deprivation
    index), and plainly what ACE does not collect there."""
    profile = profile_section(row, tables.services, tables.branches, tables.network, tables.peers)
    name = row["service_name"]
    title = f"{name}: library service profile"
    link = live_link(base_url, "benchmark", {"service": row["service_code"]})
    facts = [item.split(": ", 1) for item in list_items(profile.facts)]
    blocks: list[Block] = [
        Paragraph(plain(profile.notice)),
        Heading("What is known"),
        _facts([(label, value) for label, value in facts], "Residents, area, network and deprivation", name),
        *paragraphs(plain(profile.nation_note) or _no_index(row)),
        Heading("What is not collected here"),
        Paragraph(
            f"Arts Council England's Libraries Activity Data covers English services only, so {name} has no "
            "loans, visits, active users, events or PC use in these sources, and it is not ranked against "
            "English services."
        ),
        *small_print(title, tables.built_at, link),
    ]
    return Briefing(
        title=title,
        subtitle=f"{row['nation']}: the library network, residents and deprivation",
        keywords=(name, row["service_code"], "public libraries", "profile"),
        date_line=f"Residents {POPULATION_VINTAGE}; library network as listed at the end of 2023",
        blocks=tuple(blocks),
        footer_lines=footer_lines(title, tables.built_at),
    )
