"""Service benchmark: one service's rates against its nearest neighbours (or a group the user picks)."""

import polars as pl
import streamlit as st

from components.benchmark import benchmark_table, missing_table
from components.briefing import SOURCE_ACE
from components.charts import Labels, strip_chart
from components.trends import DENOMINATOR_LABELS
from observatory_data.metrics import HEADLINE_METRICS
from observatory_data.queries import benchmark, peer_codes, service_rates
from pages._common import briefing_mode, load, require_tables, set_url, show_chart, url_choice, url_int

YEARS = [2023]
PEER_COUNTS = list(range(5, 31))

require_tables()
briefing_mode()
services, annual, metrics, peers = (load(n) for n in ("services", "annual", "metrics", "peers"))
english = services.filter(pl.col("nation") == "England").sort("service_name")
names = dict(english.select("service_code", "service_name").iter_rows())
codes = list(names)
labels = dict(metrics.select("metric", "label").iter_rows())
metric_ids = [m for m in metrics["metric"].to_list() if m in annual.filter(pl.col("year") == 2023)["metric"]]

service = url_choice("service", codes, codes[0], "service")
year = url_int("year", YEARS, YEARS[-1], "year")
compare = url_choice("compare", ["peers", "custom"], "peers", "comparison group")
raw_group = st.query_params.get("group", "")
custom = [code for code in raw_group.split(",") if code in names] if raw_group else []
if raw_group and len(custom) != len(raw_group.split(",")):
    st.warning("Some services in the link's comparison group were not recognised and are left out.", icon="⚠️")
metric = url_choice("metric", metric_ids, "loans", "metric")

with st.sidebar:
    service = st.selectbox("Service (type to search)", codes, index=codes.index(service), format_func=names.get)
    compare = st.radio(
        "Compare with",
        ["peers", "custom"],
        index=["peers", "custom"].index(compare),
        format_func={"peers": "ONS nearest neighbours", "custom": "A group I choose"}.get,
    )
    if compare == "peers":
        count = st.slider("Number of nearest neighbours", 5, 30, url_int("peers", PEER_COUNTS, 15, "number of peers"))
        group = peer_codes(peers, service, count)
        group_label = f"of its {count} nearest neighbours (ONS)"
    else:
        count = None
        group = st.multiselect(
            "Services to compare with", [c for c in codes if c != service], default=custom, format_func=names.get
        )
        group_label = f"in a chosen group of {len(group)}"
    metric = st.selectbox("Metric for the chart", metric_ids, index=metric_ids.index(metric), format_func=labels.get)
set_url(
    service=service,
    year=year,
    compare=compare,
    peers=count,
    metric=metric,
    group=",".join(group) if compare == "custom" else None,
)

name = names[service]
st.title(f"{name}: benchmark")
st.caption(
    f"{year}/{(year + 1) % 100:02d}. Rates per 1,000 of the right population; comparison: the service and "
    f"those {group_label}."
)
if not group:
    st.info("Choose at least one service to compare with.")
    st.stop()

results = {}
for metric_id in HEADLINE_METRICS:
    entry = metrics.filter(pl.col("metric") == metric_id).row(0, named=True)
    rates = service_rates(annual, services, metrics, metric_id, year)
    results[metric_id] = (entry, benchmark(rates, service, group, entry["polarity"]))
table = benchmark_table(results, "similar services" if compare == "peers" else "services in the group")
st.markdown("\n".join(f"- **{row['Metric']}**: {row['In words']}" for row in table.iter_rows(named=True)))
st.dataframe(table.drop("In words"), hide_index=True, width="stretch")

entry = metrics.filter(pl.col("metric") == metric).row(0, named=True)
rates = service_rates(annual, services, metrics, metric, year).filter(pl.col("nation") == "England")
result = benchmark(rates, service, group, entry["polarity"])
per = DENOMINATOR_LABELS[entry["denominator"]]
shown = rates.filter(pl.col("rate").is_not_null())
figure = strip_chart(
    rates,
    Labels(
        title=f"{entry['label']} {per}: {name} among English library services, {year}/{(year + 1) % 100:02d}",
        subtitle=f"Each dot is a service; coloured: its comparison group ({len(group)} services, {group_label}).",
        source=SOURCE_ACE,
        note=f"{shown.height} of {rates.height} English services have a countable value; "
        "partial, flagged and missing returns are not shown.",
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
    shown.select("service_name", "region", "value", "denominator", "rate")
    .with_columns(in_group=pl.col("service_name").is_in([names[c] for c in group]))
    .sort("rate", descending=True),
    f"{entry['label']} {name} benchmark {year}",
    "strip",
)

st.subheader("What is missing, and why")
missing = missing_table(annual, metrics, service, year)
if missing.is_empty():
    st.success("Every metric has a countable value for this service.")
else:
    st.dataframe(missing, hide_index=True, width="stretch")
