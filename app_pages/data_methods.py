"""Data and methods: definitions, sources and licences, coverage, plausibility flags and table downloads."""

from functools import partial

import polars as pl
import streamlit as st

from app_pages._common import briefing_switch, build_report, load, show_table, start_page
from components.text import METHODS, coverage_by_nation
from observatory_data import plausibility as rules
from observatory_data.tables import TABLE_NAMES

YEAR = 2023
ATTRIBUTION = """
- **Office for National Statistics**: boundaries, code changes, mid-2024 population estimates, statistical
  nearest neighbours and lookups. Contains public sector information licensed under the Open Government
  Licence v3.0 (OGL v3).
- **Ordnance Survey**: Contains OS data © Crown copyright and database right.
- **MHCLG**: English Indices of Deprivation 2019 (OGL v3).
- **Welsh Government**: Welsh Index of Multiple Deprivation 2019 (OGL v3).
- **Arts Council England**: Libraries Activity Data 2023/24, Libraries Location Dataset 2023, Priority Places
  and Levelling Up for Culture Places.
- **Libraries Hacked**: library database and services list (MIT), and the pinned copies of several files.
- **mySociety**: local authority names and codes.
- **Natural Earth**: Crown Dependency outlines (public domain).
"""
RULES = {
    "active_users_above_residents": "More active users than residents: the total against all ages, children "
    "against residents aged 0-11, young people against 12-17.",
    "month_out_of_line": f"A month more than {rules.OUT_OF_LINE_FACTOR:g}x, or under 1/{rules.OUT_OF_LINE_FACTOR:g} "
    f"of, the median of the same series' other months (at least {rules.OUT_OF_LINE_MIN_OTHERS} others and a median "
    f"of at least {rules.OUT_OF_LINE_MIN_MEDIAN:g} a month); a quarterly total counts as three months.",
    "rate_outlier": f"A whole-year rate per 1,000 residents both more than {rules.RATE_RATIO_LIMIT:g}x (or under "
    f"1/{rules.RATE_RATIO_LIMIT:g} of) the median service's and beyond a robust z-score of {rules.ROBUST_Z_LIMIT:g} "
    f"on a log scale, among at least {rules.ROBUST_Z_MIN_SERVICES} services.",
    "pc_hours_beyond_capacity": "More PC hours than the PCs and devices in service (31 March) could give at "
    f"{rules.PC_HOURS_PER_DAY} hours a day, every day of the period.",
    "age_parts_above_total": f"Age lines of one month adding up to more than {rules.PARTS_TOLERANCE:.0%} of the "
    f"total line (and by more than {rules.PARTS_MIN_EXCESS:g}); the age lines are flagged, not the total.",
}
LINE_PARTS = ("mode", "format", "content_age", "user_age", "location")


@st.cache_data(show_spinner=False)
def table_csv(name: str) -> bytes:
    """A prepared table as CSV, made on the first click and kept: lists joined with '; ', missing values empty."""
    frame = load(name)
    lists = [column for column, dtype in frame.schema.items() if isinstance(dtype, pl.List)]
    return frame.with_columns(pl.col(lists).list.join("; ")).write_csv(null_value="").encode()


state = start_page("data")
briefing_switch(state)
state.write()
services, annual, metrics = load("services"), load("annual"), load("metrics")
report = build_report()
names = services.select("service_code", pl.col("service_name").alias("Service"))
metric_labels = metrics.select("metric", pl.col("label").alias("Metric"))

st.title("Data and methods")
st.caption(f"Tables built {report['built_at'].replace('T', ' ')} from the pinned public sources listed below.")

st.subheader("Metrics")
catalogue = metrics.select(
    pl.col("label").alias("Metric"),
    pl.col("unit").alias("Unit"),
    pl.col("definition").alias("Definition"),
    pl.col("offers").list.join(", ").alias("Offers"),
    pl.col("denominator").alias("Denominator"),
    pl.col("polarity").alias("Polarity"),
    pl.col("source").alias("Source"),
    pl.col("metric").alias("Id"),
)
search = st.text_input("Search the metrics", placeholder="e.g. children, eBook, events")
if search:
    text = pl.concat_str(pl.all(), separator=" ", ignore_nulls=True).str.to_lowercase()
    catalogue = catalogue.filter(text.str.contains(search.lower(), literal=True))
st.caption(f"{catalogue.height} of {metrics.height} metrics.")
show_table(
    catalogue,
    column_config={"Definition": st.column_config.TextColumn(width="large")},
)

st.subheader(f"Coverage per metric and nation, {YEAR}/{(YEAR + 1) % 100:02d}")
st.caption(
    "Services per status. Only 'reported' and 'derived' values enter rates and aggregates; 'partial' and "
    "'flagged' values are kept and shown but not summed; ACE collects activity in England only ('not_collected')."
)
coverage = coverage_by_nation(annual, services, metrics, YEAR)
show_table(
    coverage.select(
        "Metric",
        "Nation",
        pl.sum_horizontal("reported", "derived").alias("counted (reported + derived)"),
        pl.exclude("Metric", "Nation"),
    ),
)

st.subheader("Methods")
st.markdown(METHODS)

st.subheader("Values flagged by the plausibility rules")
flagged = pl.DataFrame(report["flagged"], infer_schema_length=None)
rule_counts = dict(flagged.select(pl.col("rule").str.split(", ")).explode("rule")["rule"].value_counts().iter_rows())
st.markdown("\n".join(f"- `{rule}` ({rule_counts.get(rule, 0)} values): {text}" for rule, text in RULES.items()))
st.caption(
    f"{flagged.height} values are kept as returned, with status 'flagged', and left out of every aggregate; an "
    "annual total that contains a flagged month is flagged too."
)
show_table(
    flagged.join(names, on="service_code", how="left")
    .join(metric_labels, on="metric", how="left")
    .select(
        "Service",
        pl.coalesce("Metric", "metric").alias("Metric"),
        pl.concat_str([pl.col(part) for part in LINE_PARTS], separator=", ", ignore_nulls=True).alias("Line"),
        pl.col("period").fill_null("year figure or 31 March count").alias("Period"),
        pl.col("value").alias("Value as returned"),
        pl.col("rule").alias("Rule"),
        pl.col("flag_reason").alias("Reason"),
    ),
)
quarterly = pl.DataFrame(report["quarterly_totals"], infer_schema_length=None)
st.markdown(f"**{quarterly.height} series entered as quarterly totals**")
st.caption(
    "ACE's returns allow a quarter's total in its last month. These are kept as quarterly totals (trend "
    "charts draw them as flat quarters), never spread or mistaken for a one-month spike."
)
show_table(
    quarterly.join(metric_labels, on="metric", how="left").select(
        pl.col("service_name").alias("Service"),
        pl.coalesce("Metric", "metric").alias("Metric"),
        pl.col("months").alias("Values entered as quarterly totals (all lines)"),
    ),
)

st.subheader("Sources and licences")
show_table(
    pl.DataFrame(report["sources"]).select(
        pl.col("publisher").alias("Publisher"),
        pl.col("path").alias("File"),
        pl.col("licence").alias("Licence"),
        pl.col("url").alias("Pinned URL"),
    ),
    column_config={"Pinned URL": st.column_config.LinkColumn()},
)
st.markdown("**Attribution**" + ATTRIBUTION)

st.subheader("Download the prepared tables")
st.caption(
    "CSV, one file per table (the boundaries are geometries and are left out). Missing values are written as "
    "empty cells, never as zero; list columns are joined with '; '. Column definitions: observatory_data/schema.py."
)
columns = st.columns(4)
for index, name in enumerate(TABLE_NAMES):
    with columns[index % 4]:
        st.download_button(
            f"{name}.csv",
            partial(table_csv, name),
            file_name=f"observatory-{name}.csv",
            mime="text/csv",
            key=f"download-{name}",
            on_click="ignore",
            icon=":material/download:",
        )
