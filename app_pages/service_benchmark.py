"""Service benchmark: an English service's rates against its nearest neighbours (or a group the user picks);
for a service outside England, its profile: what is known where ACE collects no activity."""

from dataclasses import replace

import polars as pl
import streamlit as st

from app_pages.kit.controls import briefing_switch, session_service, start_page, year_select
from app_pages.kit.loading import load, load_boundaries, per_build
from app_pages.kit.output import metric_about, show_chart, show_table
from app_pages.kit.width import chart_width
from app_pages.registry import page_path
from components.benchmark import (
    AUDIT_HEADER,
    SHORT_HEADERS,
    benchmark_table,
    group_roll_call,
    matched_members_note,
    missing_table,
)
from components.charts import Labels, benchmark_trend_chart, strip_chart
from components.exports import AUDIT_MARK, AUDIT_NOTE, CAVEAT, audit_columns, caveat_column
from components.profile import (
    NOT_COLLECTED,
    PEER_COUNT,
    known_facts,
    locator_png,
    network_facts,
    service_labels,
    service_points_table,
)
from components.text import ace_years_source, change_sentence, years_words
from observatory_data.serving.catalogue import (
    DENOMINATORS,
    HEADLINE_METRICS,
    POPULATION_VINTAGE,
    WIMD_NAME,
    ace_source,
    years_with_data,
)
from observatory_data.serving.periods import financial_year, span_of
from observatory_data.serving.queries import (
    benchmark,
    change_between,
    left_out_note,
    median_by_year,
    metrics_reported,
    names_words,
    not_comparable,
    peer_codes,
    rates_by_year,
    returned_codes,
    service_caveats,
    service_rates,
    steady_members,
)

PEER_COUNTS = list(range(5, 31))
TABLE_ROW = 66  # px: Streamlit wraps a cell's text only in rows taller than 64 px
COMPARE = {"peers": "ONS nearest neighbours", "custom": "A group I choose"}


@per_build(max_entries=64)
def cached_locator(service_code: str, title: str) -> bytes:
    return locator_png(load_boundaries(), service_code, title)


state = start_page("benchmark")
services, annual, metrics, peers = (load(n) for n in ("services", "annual", "metrics", "peers"))
names = dict(services.select("service_code", "service_name").iter_rows())
nations = dict(services.select("service_code", "nation").iter_rows())
search_labels = service_labels(services)
codes = list(search_labels)
english = [code for code in codes if nations[code] == "England"]
labels = dict(metrics.select("metric", "label").iter_rows())


def nearest(code: str | None) -> list[str]:
    """Where a chosen group starts: the service's nearest neighbours (none before a service is chosen)."""
    return peer_codes(peers, code, PEER_COUNT) if code else []


def group_follows_service(code: str | None) -> None:
    """A chosen group the visitor has not changed follows the service: on a change of service it becomes the new
    service's nearest neighbours (an edited group is kept, as the visitor made it). A link's group is the link's."""
    key, seeded = state.key("group"), state.key("group_from")
    before = st.session_state.get(seeded, code)
    if not state.navigated and before != code and st.session_state.get(key) == nearest(before):
        st.session_state[key] = nearest(code)
    st.session_state[seeded] = code


def pick_service() -> None:
    """The main column's service search: the choice becomes the page's service (and the URL's, once written)."""
    st.session_state[state.key("service")] = st.session_state.pop("benchmark-find", None)


# Metrics with ACE figures in any year (a service's own long-run count cannot be benchmarked).
metric_ids = [metric for metric in metrics_reported(metrics, annual) if years_with_data(annual, metric)]
with st.sidebar:
    service = st.selectbox(
        "Service (type to search)",
        codes,
        index=None,
        key=state.choice("service", codes, None, "service"),  # no default: a link without a service asks for one
        format_func=search_labels.get,
        placeholder="Choose a service",
    )
    in_england = service is None or nations[service] == "England"
    if in_england:
        compare = st.radio(
            "Compare with",
            list(COMPARE),
            key=state.choice(
                "compare",
                list(COMPARE),
                "peers",
                "comparison group",
                implied="custom" if "group" in state.url else None,  # a link with a group compares with it
            ),
            format_func=COMPARE.get,
        )
        if compare == "peers":
            count = st.slider(
                "Number of nearest neighbours",
                5,
                30,
                key=state.choice("peers", PEER_COUNTS, PEER_COUNT, "number of peers"),
            )
            group = peer_codes(peers, service, count) if service else []
            group_label = f"of its {count} nearest neighbours (ONS)"
            members = "neighbours"
        else:
            choices = [code for code in english if code != service]
            group_follows_service(service)
            group = st.multiselect(
                "Services to compare with",
                choices,
                key=state.many(
                    "group",
                    choices,
                    nearest(service),
                    label="comparison group",
                    left_out=f"Some services in the link's comparison group were not recognised, or are "
                    f"{names[service]} itself, and are left out."
                    if service
                    else None,
                ),
                format_func=names.get,
                help=f"Starts from the service's {PEER_COUNT} nearest neighbours (ONS); add or remove any.",
            )
            group_label = f"in a chosen group of {len(group)}"
            members = "services"
        metric = st.selectbox(
            "Metric for the chart",
            metric_ids,
            key=state.choice("metric", metric_ids, "loans", "metric"),
            format_func=labels.get,
        )
        year = year_select(state, annual, metric)
briefing = briefing_switch(state)
state.write()

if service is None:  # no service in the link: ask for it, never open on a service the visitor did not choose
    st.title("Service benchmark")
    st.markdown(
        "How a library service compares with its statistically similar services (ONS nearest neighbours), its "
        f"region and England, metric by metric, in {financial_year(year)}. **Which service is yours?**"
    )
    st.selectbox(
        "Find your library service",
        codes,
        index=None,
        key="benchmark-find",
        format_func=search_labels.get,
        placeholder="Type a service's name, e.g. Kent",
        on_change=pick_service,
    )
    if yours := session_service():
        st.page_link(
            page_path("benchmark"),
            label=f"Your service: {names[yours]} — open its benchmark",
            icon=":material/bookmark:",
            query_params={"service": yours},
        )
    st.caption(
        "English services are benchmarked on Arts Council England's returns; for Wales, Northern Ireland and the "
        "Crown Dependencies the page gives a profile of what is known. The link of a benchmark can be bookmarked."
    )
    st.stop()

session_service(service)
name = names[service]
row = services.filter(pl.col("service_code") == service).row(0, named=True)

if not in_england:
    st.title(f"{name}: profile")
    st.info(NOT_COLLECTED.format(name=name), icon=":material/info:")
    facts_column, map_column = st.columns([3, 2])
    with facts_column:
        branches = load("branches")
        facts = known_facts(row, branches) + network_facts(load("network"), services, service, peers, branches)
        st.markdown("\n".join(f"- **{label}**: {value}" for label, value in facts))
        st.page_link(page_path("network"), label="The library network over time", icon=":material/hub:",
                     query_params={"area": service})  # fmt: skip
        if row["nation"] == "Wales":
            st.caption(f"{WIMD_NAME} (Welsh Government) is not comparable with the English IMD.")
    with map_column:
        st.image(cached_locator(service, f"{name} ({row['nation']})"), width="stretch")
    st.header("Service points")
    points = service_points_table(branches, service)
    if points.is_empty():
        st.caption("No service points are listed for this service in the Libraries Hacked database.")
    else:
        st.caption("Libraries Hacked's database, kept by volunteers from public information; empty: not known.")
        show_table(points)
    st.stop()

st.title(f"{name}: benchmark")
period = financial_year(year)
returned = service in returned_codes(annual, year)  # this year's return, not the 2023/24 workbook's
st.caption(
    f"{period}: {name} made {'a' if returned else 'no'} return to ACE for the year. Rates per 1,000 of the right "
    f"population; comparison: the service and those {group_label}."
)
caveats = service_caveats(annual, service, year)
if caveats:
    st.info(
        f"**{name}'s per-resident rates are not comparable with other services'** ({'; '.join(caveats)}). "
        "Its rates are shown with this caveat, but not ranked, and they are left out of other services' group "
        "medians and of the map's classes; its counts still go into regional and England totals.",
        icon=":material/info:",
    )
if not group:
    st.info("Choose at least one service to compare with.")
    st.stop()

# Each metric's rates and benchmark once, for the table and (if it is the chart's metric) the chart.
shown_metrics = list(dict.fromkeys([*HEADLINE_METRICS, metric]))
entries = {m: metrics.filter(pl.col("metric") == m).row(0, named=True) for m in shown_metrics}
english_rates = {
    m: service_rates(annual, services, metrics, m, year).filter(pl.col("nation") == "England") for m in shown_metrics
}
results = {
    m: (entries[m], benchmark(english_rates[m], service, group, entries[m]["polarity"]))
    for m in shown_metrics
}
table = benchmark_table(
    {m: results[m] for m in HEADLINE_METRICS},
    "similar services" if compare == "peers" else "services in the group",
    region_name=row["region"],
)
st.markdown("\n".join(f"- **{line['Metric']}**: {line['In words']}" for line in table.iter_rows(named=True)))
show_table(  # the metric's name wraps in a narrower column, so every column fits beside the sidebar at 1440 px
    table.drop("In words"),
    column_config={
        "Metric": st.column_config.TextColumn(width=230),
        **{long: st.column_config.TextColumn(short, help=long) for long, short in SHORT_HEADERS.items()},
    },
    row_height=TABLE_ROW,
    height=TABLE_ROW * table.height + 40,  # every row and the header (about 36 px) in sight, without a scroll bar
)
left_out = sorted({member for _, result in results.values() for member in result.left_out})
st.caption(
    f"Rank: among {name} and its comparison group, counting only services with a comparable value (1 = highest). "
    "Group median: the comparison group without the service itself"
    + (f" ({left_out_note(left_out)})" if left_out else "")
    + ". Region and England: population-weighted, with the number of services they rest on (every countable "
    "value, caveated or not). "
    + (
        f"The comparison group, its {len(group)} nearest neighbours (ONS), nearest first: "
        if compare == "peers"
        else f"The comparison group, {len(group)} services chosen: "
    )
    + f"{names_words([names[code] for code in group])}."
)
if AUDIT_HEADER in table.columns:  # the marks in full, as the table's cells cut long text short
    marked = table.filter(pl.col(AUDIT_HEADER) != "").select("Metric", AUDIT_HEADER).rows()
    st.markdown(
        f"**The Libraries Hacked audit's marks on {name}'s {period} figures**\n"
        + "\n".join(f"- **{label}**: {sentence}" for label, sentence in marked)
    )

entry, result = results[metric]
rates = english_rates[metric]
per = DENOMINATORS[entry["denominator"]]
shown = rates.filter(pl.col("rate").is_not_null())
apart = [member for member in not_comparable(rates) if member != name]
notes = [
    f"{shown.height} of {rates.height} English services have a countable value; "
    "partial, flagged and missing returns are not shown."
]
if apart:
    notes.append(
        left_out_note(apart, " of the group median, drawn apart (open diamond, or an arrow at the axis end)") + "."
    )
if result.caveat:
    notes.append(f"{name}'s rate is not comparable: {result.caveat.rstrip('.')}.")
notes.append(group_roll_call(rates, service, group))
title = f"{entry['label']} {per}: {name} among English library services, {period}"
figure = strip_chart(
    rates,
    Labels(
        title=title,
        subtitle=f"Each dot is a service; coloured: its comparison group ({len(group)} services, {group_label}); "
        "named: the group's highest, lowest and middle rates, where they fit.",
        source=ace_source(year),
        note=" ".join(notes),
        axis=f"{entry['unit']} {per}",
    ),
    highlight=service,
    group=group,
    group_name="Comparison group",
    polarity=entry["polarity"],
    reference_lines={"Group median": result.group_median, "England": result.england_rate.rate},
    width=chart_width(),  # on a phone, fewer names fit on the strip (all are in the footer)
)
show_chart(
    figure,
    shown.sort("rate", descending=True).select(
        pl.col("service_name").alias("Service"),
        pl.col("service_code").alias("Service code"),
        pl.col("region").alias("Region"),
        pl.col("value").alias(f"{entry['label']} ({entry['unit']})"),
        pl.col("denominator").alias(f"Population ({per.removeprefix('per 1,000 ')})"),
        pl.col("rate").round(1).alias(f"Rate {per}"),
        pl.col("service_code").is_in(group).alias("In comparison group"),
        (pl.col("service_code") == service).alias("Selected service"),
        caveat_column(),
        *audit_columns(),
    ),
    metric_about(entry, title, period, ace_source(year), (CAVEAT, AUDIT_MARK, AUDIT_NOTE)),
    "strip",
    briefing,
)

st.header(f"{entry['label']} over the years")
years = [known for known in years_with_data(annual, metric) if known <= year]
span = span_of(years)
yearly_rates = rates_by_year(annual, services, metrics, metric, years)
over = median_by_year(yearly_rates, service, group).join(
    median_by_year(yearly_rates, service, group, matched=True).select("year", "median", "members"),
    on="year",
    suffix="_matched",
)
steady = over["members_matched"].max() or 0
steady_codes = steady_members(yearly_rates, service, group)
rests_on = matched_members_note(
    [names[code] for code in steady_codes],
    [names[code] for code in group if code not in steady_codes],
    members,
    years_words(years),
)
change = change_sentence(f"{entry['label']} {per}", change_between(yearly_rates, service, group), members)
st.markdown(change)
title = f"{entry['label']} {per} by year, {span}: {name} and its comparison group's median"
median_label = (
    f"Median rate of the {steady} {members} comparable {years_words(years)}"
    if len(years) > 1
    else "Group median (without the service)"
)
measure = (
    f"Its rate per year against the median rate of its comparison group: the {steady} of {len(group)} {members} "
    f"comparable {years_words(years)} (the same every year; the service left out), so the median moves with their "
    "use, not with who reported"
    if len(years) > 1
    else f"Its rate against the median rate of its comparison group's {members} (the service left out)"
)
lines = pl.concat(
    [  # the median first, so the service keeps the strip chart's orange
        over.select(series=pl.lit(median_label), year="year", value="median_matched"),
        over.select(series=pl.lit(name), year="year", value="rate"),
    ]
).select(
    "series",
    pl.col("year").map_elements(financial_year, return_dtype=pl.String).alias("period"),
    "value",
    shape=pl.lit("linear"),
)
show_chart(
    benchmark_trend_chart(
        lines,
        Labels(
            title=title,
            subtitle=f"{measure}. Comparison group: {len(group)} services, {group_label}.",
            source=ace_years_source(years),
            note=f"{change} {rests_on} Each year's median over every member with a comparable rate (that year's "
            f"benchmark) is in the table. Every year's rate uses the {POPULATION_VINTAGE} population.",
            axis=f"{entry['unit']} {per}",
        ),
    ),
    over.select(
        pl.col("year").map_elements(financial_year, return_dtype=pl.String).alias("Year"),
        pl.col("rate").round(1).alias(f"{name}: rate {per}"),
        pl.col("status").str.replace_all("_", " ").alias(f"{name}: status"),
        pl.col("median_matched").round(1).alias(f"Group median, the same {steady} members every year"),
        pl.col("median").round(1).alias("Group median, every member comparable that year"),
        pl.col("members").alias("Members comparable that year"),
        pl.col("of").alias("Group members"),
        caveat_column(),
    ),
    replace(
        metric_about(entry, title, f"financial years {span}", ace_years_source(years), (CAVEAT,)),
        notes=f"{measure}. {change} {rests_on}",
    ),
    "years",
    briefing,
)

with st.container():  # the network and what is missing stay in briefing mode: words, not a chart's table
    st.header("Library network")
    facts = network_facts(load("network"), services, service, peers, load("branches"))
    st.markdown("\n".join(f"- **{label}**: {value}" for label, value in facts))
    st.page_link(page_path("network"), label="Its library network since 2010", icon=":material/hub:",
                 query_params={"area": service})  # fmt: skip
    st.header("What is missing, and why")
    missing = missing_table(annual, metrics, service, year)
    if missing.is_empty():
        st.success("Every metric has a countable value for this service.")
    else:
        show_table(missing)
