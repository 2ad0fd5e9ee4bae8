"""Offer trends: the monthly 2023/24 series of an Offer's metrics for England, a region, a service and its peers."""

import polars as pl
import streamlit as st

from components.briefing import SOURCE_ACE
from components.charts import Labels, line_chart
from components.trends import annual_lines, trend_lines
from observatory_data.annual import MONTHLY_METRICS
from observatory_data.metrics import OFFERS
from observatory_data.queries import peer_codes
from pages._common import briefing_mode, load, require_tables, set_url, show_chart, url_choice, url_int

MEASURES = {"rate": "Per 1,000 of the right population", "count": "Counts", "index": "Indexed (April 2023 = 100)"}
PEER_COUNTS = list(range(5, 31))

require_tables()
briefing_mode()
services, monthly, metrics, peers, annual = (load(n) for n in ("services", "monthly", "metrics", "peers", "annual"))
english = services.filter(pl.col("nation") == "England").sort("service_name")
names = dict(english.select("service_code", "service_name").iter_rows())
regions = sorted(english["region"].unique().to_list())

offer_id = url_choice("offer", list(OFFERS), "reading", "Offer")
with st.sidebar:
    offer_id = st.selectbox("Offer", list(OFFERS), index=list(OFFERS).index(offer_id), format_func=OFFERS.get)
offer = OFFERS[offer_id]
offer_metrics = metrics.filter(pl.col("offers").list.contains(offer) & pl.col("metric").is_in(list(MONTHLY_METRICS)))
metric_ids = offer_metrics["metric"].to_list()
labels = dict(offer_metrics.select("metric", "label").iter_rows())

metric = url_choice("metric", metric_ids, metric_ids[0], "metric")
service = url_choice("service", ["", *names], "", "service")
with st.sidebar:
    metric = st.selectbox("Metric", metric_ids, index=metric_ids.index(metric), format_func=labels.get)
    service = st.selectbox(
        "Service (type to search)",
        ["", *names],
        index=["", *names].index(service),
        format_func=lambda code: names.get(code, "None: England and region only"),
    )
    default_region = english.filter(pl.col("service_code") == service)["region"].item() if service else "London"
    region = url_choice("region", regions, default_region, "region")
    region = st.selectbox("Region", regions, index=regions.index(region))
    peer_count = st.slider("Nearest neighbours", 5, 30, url_int("peers", PEER_COUNTS, 15, "number of peers"))
    measure = url_choice("measure", list(MEASURES), "rate", "measure")
    measure = st.radio("Measure", list(MEASURES), index=list(MEASURES).index(measure), format_func=MEASURES.get)
set_url(offer=offer_id, metric=metric, service=service or None, region=region, peers=peer_count, measure=measure)

entry = metrics.filter(pl.col("metric") == metric).row(0, named=True)
st.title(f"{offer}: trends")
with st.expander(f"Definition: {entry['label']}"):
    st.markdown(entry["definition"])

group = {
    "England": english["service_code"].to_list(),
    region: english.filter(pl.col("region") == region)["service_code"].to_list(),
}
if service:
    group[f"{names[service]}'s {peer_count} nearest neighbours"] = peer_codes(peers, service, peer_count)
lines = trend_lines(monthly, services, entry, group, service, names.get(service, ""), measure)
figure = line_chart(
    lines.frame,
    Labels(
        title=f"{entry['label']} by month, 2023/24: {(service and names[service] + ', ') or ''}{region}, England",
        subtitle=f"{lines.axis.capitalize()}. England, region and peers: services that reported every month.",
        source=SOURCE_ACE,
        note=lines.note,
        axis=lines.axis,
    ),
)
show_chart(figure, lines.frame, f"{entry['label']} monthly {service or region} 2023-24", "monthly")

st.subheader("Across years")
years = annual_lines(annual, metrics, service, names[service], offer) if service else None
if years is None:
    st.info(
        "Only one year (2023/24) of ACE returns is in the observatory, so there is no annual series for this "
        "selection yet. Long-run open data exists for Newcastle (visits and issues, 2008-24) and the LibrariesWest "
        "services (loans, 2019-21): choose one of them to see it."
    )
else:
    show_chart(years.figure, years.frame, f"{entry['label']} annual {service}", "annual")
