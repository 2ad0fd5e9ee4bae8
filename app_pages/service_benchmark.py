"""Service benchmark: an English service's rates against its nearest neighbours (or a group the user picks);
for a service outside England, its profile: what is known where ACE collects no activity."""

import polars as pl
import streamlit as st

from app_pages._common import (
    briefing_switch,
    current_build,
    load,
    load_boundaries,
    metric_about,
    show_chart,
    show_table,
    start_page,
)
from components.benchmark import benchmark_table, missing_table
from components.charts import Labels, strip_chart
from components.exports import CAVEAT, caveat_column
from components.profile import NOT_COLLECTED, known_facts, locator_png, service_points_table
from observatory_data.catalogue import (
    DENOMINATORS,
    HEADLINE_METRICS,
    WIMD_NAME,
    ace_source,
    financial_year,
    years_with_data,
)
from observatory_data.queries import (
    benchmark,
    left_out_note,
    metrics_reported,
    not_comparable,
    peer_codes,
    service_caveats,
    service_rates,
)

PEER_COUNTS = list(range(5, 31))
COMPARE = {"peers": "ONS nearest neighbours", "custom": "A group I choose"}


@st.cache_data(show_spinner=False, max_entries=64)
def cached_locator(service_code: str, title: str, build: str) -> bytes:
    return locator_png(load_boundaries(), service_code, title)


state = start_page("benchmark")
services, annual, metrics, peers = (load(n) for n in ("services", "annual", "metrics", "peers"))
ordered = services.sort(pl.col("nation") != "England", "nation", "service_name")
names = dict(ordered.select("service_code", "service_name").iter_rows())
nations = dict(ordered.select("service_code", "nation").iter_rows())
codes = list(names)
english = [code for code in codes if nations[code] == "England"]
labels = dict(metrics.select("metric", "label").iter_rows())


def service_label(code: str) -> str:
    return names[code] if nations[code] == "England" else f"{names[code]} ({nations[code]})"


years = years_with_data(annual)
year = st.session_state[state.choice("year", years, years[-1], "year")]
metric_ids = metrics_reported(metrics, annual, year)
with st.sidebar:
    service = st.selectbox(
        "Service (type to search)",
        codes,
        key=state.choice("service", codes, english[0], "service"),
        format_func=service_label,
    )
    in_england = nations[service] == "England"
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
                "Number of nearest neighbours", 5, 30, key=state.choice("peers", PEER_COUNTS, 15, "number of peers")
            )
            group = peer_codes(peers, service, count)
            group_label = f"of its {count} nearest neighbours (ONS)"
        else:
            choices = [code for code in english if code != service]
            group = st.multiselect(
                "Services to compare with",
                choices,
                key=state.many(
                    "group",
                    choices,
                    label="comparison group",
                    left_out=f"Some services in the link's comparison group were not recognised, or are "
                    f"{names[service]} itself, and are left out.",
                ),
                format_func=names.get,
            )
            group_label = f"in a chosen group of {len(group)}"
        metric = st.selectbox(
            "Metric for the chart",
            metric_ids,
            key=state.choice("metric", metric_ids, "loans", "metric"),
            format_func=labels.get,
        )
briefing = briefing_switch(state)
state.write()

name = names[service]
row = services.filter(pl.col("service_code") == service).row(0, named=True)
period = financial_year(year)

if not in_england:
    st.title(f"{name}: profile")
    st.info(NOT_COLLECTED.format(name=name), icon=":material/info:")
    facts_column, map_column = st.columns([3, 2])
    with facts_column:
        st.markdown("\n".join(f"- **{label}**: {value}" for label, value in known_facts(row, load("branches"))))
        if row["nation"] == "Wales":
            st.caption(f"{WIMD_NAME} (Welsh Government) is not comparable with the English IMD.")
    with map_column:
        st.image(cached_locator(service, f"{name} ({row['nation']})", current_build()), width="stretch")
    st.subheader("Service points")
    points = service_points_table(load("branches"), service)
    if points.is_empty():
        st.caption("No service points are listed for this service in the Libraries Hacked database.")
    else:
        st.caption("Libraries Hacked's database, kept by volunteers from public information; empty: not known.")
        show_table(points)
    st.stop()

st.title(f"{name}: benchmark")
st.caption(f"{period}. Rates per 1,000 of the right population; comparison: the service and those {group_label}.")
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
results = {m: (entries[m], benchmark(english_rates[m], service, group, entries[m]["polarity"])) for m in shown_metrics}
table = benchmark_table(
    {m: results[m] for m in HEADLINE_METRICS},
    "similar services" if compare == "peers" else "services in the group",
    region_name=row["region"],
)
st.markdown("\n".join(f"- **{line['Metric']}**: {line['In words']}" for line in table.iter_rows(named=True)))
show_table(table.drop("In words"))
left_out = sorted({member for _, result in results.values() for member in result.left_out})
st.caption(
    f"Rank: among {name} and its comparison group, counting only services with a comparable value (1 = highest). "
    "Group median: the comparison group without the service itself"
    + (f" ({left_out_note(left_out)})" if left_out else "")
    + ". Region and England: population-weighted, with the number of services they rest on (every countable "
    "value, caveated or not)."
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
title = f"{entry['label']} {per}: {name} among English library services, {period}"
figure = strip_chart(
    rates,
    Labels(
        title=title,
        subtitle=f"Each dot is a service; coloured: its comparison group ({len(group)} services, {group_label}).",
        source=ace_source(year),
        note=" ".join(notes),
        axis=f"{entry['unit']} {per}",
    ),
    highlight=service,
    group=group,
    group_name="Comparison group",
    polarity=entry["polarity"],
    reference_lines={"Group median": result.group_median, "England": result.england_rate.rate},
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
    ),
    metric_about(entry, title, period, ace_source(year), (CAVEAT,)),
    "strip",
    briefing,
)

if not briefing:
    st.subheader("What is missing, and why")
    missing = missing_table(annual, metrics, service, year)
    if missing.is_empty():
        st.success("Every metric has a countable value for this service.")
    else:
        show_table(missing)
