"""Priority Places: services in ACE's Priority Places and Levelling Up for Culture Places against the rest."""

import polars as pl
import streamlit as st

from components.briefing import SOURCE_ACE
from components.charts import Labels, distribution_chart, grouped_bar_chart
from components.trends import DENOMINATOR_LABELS
from observatory_data.place_comparison import (
    GROUPS,
    REST,
    UNKNOWN,
    group_members,
    group_rates,
    overlap_table,
    rates_by_decile,
)
from observatory_data.places import read_places
from observatory_data.queries import service_rates
from pages._common import briefing_mode, load, require_tables, set_url, show_chart, url_choice, url_int

YEARS = [2023]
PLACES_NOTE = (
    "Places lists: ACE Priority Places (54 districts, 2021-24, extended to 2027) and Levelling Up for Culture "
    "Places (109 districts outside London, 2022-26); 87 of the 109 culture places are identified in the "
    "evidence list. A district missing from the list is unknown, not 'no'."
)


@st.cache_data(show_spinner=False)
def places_evidence() -> pl.DataFrame:
    return read_places()


require_tables()
briefing_mode()
services, annual, metrics = load("services"), load("annual"), load("metrics")
labels = dict(metrics.select("metric", "label").iter_rows())
metric_ids = [m for m in labels if m in set(annual.filter(pl.col("year") == 2023)["metric"])]

metric = url_choice("metric", metric_ids, "loans", "metric")
year = url_int("year", YEARS, YEARS[-1], "year")
with st.sidebar:
    metric = st.selectbox("Metric", metric_ids, index=metric_ids.index(metric), format_func=labels.get)
set_url(metric=metric, year=year)

entry = metrics.filter(pl.col("metric") == metric).row(0, named=True)
per = DENOMINATOR_LABELS[entry["denominator"]]
period = f"{year}/{(year + 1) % 100:02d}"
st.title("Priority Places and Levelling Up for Culture Places")
st.caption(
    "English library services containing at least one ACE Priority Place or Levelling Up for Culture Place, "
    "against services known to contain neither. " + PLACES_NOTE
)

rates = service_rates(annual, services, metrics, metric, year)
members = group_members(rates)
summary = group_rates(members)
coverage = "; ".join(f"{r['group']}: {r['reported']} of {r['services']}" for r in summary.iter_rows(named=True))

st.subheader(f"{entry['label']} {per}, {period}")
figure = distribution_chart(
    members.filter(pl.col("group").is_in(GROUPS)),
    Labels(
        title=f"{entry['label']} {per}: Priority Places, Levelling Up for Culture Places and the rest of England",
        subtitle=f"{period}; each dot a library service; diamond: population-weighted rate. Groups overlap.",
        source=SOURCE_ACE + " Places: Arts Council England.",
        note=f"Services reporting: {coverage}. {UNKNOWN}: a district of the service is missing from the places lists.",
        axis=f"{entry['unit']} {per}",
    ),
    group_order=list(GROUPS),
    weighted=dict(summary.filter(pl.col("group").is_in(GROUPS)).select("group", "rate").iter_rows()),
)
show_chart(
    figure,
    members.select("group", "service_name", "value", "denominator", "rate", "status").sort("group", "service_name"),
    f"{entry['label']} priority places {period}",
    "distribution",
)

st.markdown("**Population-weighted rate per group, and the gap to the rest of England**")
st.dataframe(
    summary.with_columns(pl.col("rate", "gap").round(1), pl.col("gap_percent").round(1)).rename(
        {
            "group": "Group",
            "rate": f"Rate {per}",
            "reported": "Services reported",
            "services": "Services in group",
            "gap": f"Gap to '{REST}'",
            "gap_percent": "Gap (%)",
        }
    ),
    hide_index=True,
    width="stretch",
)

st.subheader("The same by deprivation")
by_decile = rates_by_decile(members)
decile_figure = grouped_bar_chart(
    by_decile.with_columns(pl.col("imd_decile").cast(pl.String)),
    Labels(
        title=f"{entry['label']} {per} by IMD 2019 decile of the service, {period}",
        subtitle="Population-weighted rate per group within each decile (1 = most deprived tenth of English services)",
        source=SOURCE_ACE + " MHCLG IMD 2019 rebuilt on 2023 services.",
        note="A missing bar means no service in that group and decile reported; counts in the table.",
        axis=f"{entry['unit']} {per}",
    ),
    x="imd_decile",
    group="group",
    value="rate",
    x_title="IMD 2019 decile of the service (1 = most deprived)",
)
show_chart(decile_figure, by_decile, f"{entry['label']} priority places by decile {period}", "decile")

st.subheader("Services and the districts behind their flags")
st.markdown("**How the two lists overlap (English services)**")
st.dataframe(overlap_table(services), hide_index=True)
flags = services.filter(pl.col("nation") == "England").select(
    pl.col("service_name").alias("Service"),
    pl.col("priority_place").alias("Priority Place"),
    pl.col("priority_place_districts").alias("Priority Place districts"),
    pl.col("lucp").alias("Culture Place"),
    pl.col("lucp_districts").alias("Culture Place districts"),
    pl.col("priority_place_unknown_districts").alias("Districts not on the list"),
)
st.dataframe(flags.fill_null(""), hide_index=True, width="stretch")
with st.expander("The places list with its evidence (one row per district)"):
    st.caption(PLACES_NOTE)
    st.dataframe(places_evidence(), hide_index=True, width="stretch")
