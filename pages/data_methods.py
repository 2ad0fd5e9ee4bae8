"""Data and methods: definitions, sources and licences, coverage, plausibility flags and table downloads."""

from functools import partial

import polars as pl
import streamlit as st

from components.text import METHODS, coverage_by_nation
from observatory_data.tables import TABLE_NAMES
from pages._common import briefing_mode, build_report, load, require_tables

ATTRIBUTION = """
- Contains public sector information licensed under the Open Government Licence v3.0: Office for National
  Statistics (boundaries, code changes, mid-2024 population, nearest neighbours, lookups), MHCLG (English
  Indices of Deprivation 2019) and the Welsh Government (WIMD 2019).
- Contains OS data © Crown copyright and database right.
- Libraries Activity Data 2023/24 and Libraries Location Dataset 2023 © Arts Council England.
- Library database and services list: Libraries Hacked (MIT); local authority names: mySociety.
- Crown Dependency outlines: Natural Earth (public domain) via the world-atlas package (ISC).
- Long-run series: LibrariesWest (OGL v3) and Newcastle City Council (via Open Innovations).
"""


def table_csv(frame: pl.DataFrame) -> bytes:
    """The table as CSV (lists joined with '; '; missing values as empty cells); made only when clicked."""
    lists = [column for column, dtype in frame.schema.items() if isinstance(dtype, pl.List)]
    return frame.with_columns(pl.col(lists).list.join("; ")).write_csv().encode()


require_tables()
briefing_mode()
services, annual, metrics = load("services"), load("annual"), load("metrics")
report = build_report()

st.title("Data and methods")
st.caption(f"Tables built {report['built_at'].replace('T', ' ')} from the pinned public sources below.")

st.subheader("Metrics")
st.dataframe(
    metrics.with_columns(pl.col("offers").list.join("; ")).select(
        "label", "unit", "offers", "denominator", "polarity", "definition", "metric", "source"
    ),
    hide_index=True,
    width="stretch",
)

st.subheader("Coverage per metric and nation, 2023/24")
st.caption("Services per status. Only 'reported' and 'derived' values enter aggregates.")
st.dataframe(coverage_by_nation(annual, services, metrics, 2023), hide_index=True, width="stretch")

st.subheader("Methods")
st.markdown(METHODS)

st.subheader("Values flagged by the plausibility rules")
flagged = pl.DataFrame(report["flagged"], infer_schema_length=None)
st.caption(f"{flagged.height} values are kept as returned but left out of every aggregate.")
if flagged.height:
    names = services.select("service_code", "service_name")
    headers = {
        "service_name": "Service",
        "metric": "Metric",
        "period": "Month",
        "value": "Value as returned",
        "rule": "Rule",
        "flag_reason": "Why",
    }
    shown = [c for c in headers if c in flagged.columns or c == "service_name"]
    table = flagged.join(names, on="service_code", how="left").select(shown).rename({c: headers[c] for c in shown})
    st.dataframe(table, hide_index=True, width="stretch")
quarterly = pl.DataFrame(report["quarterly_totals"])
st.caption(f"{quarterly.height} series were entered as quarterly totals (shown as quarters in trends).")
with st.expander("Series entered as quarterly totals"):
    st.dataframe(quarterly, hide_index=True, width="stretch")

st.subheader("Sources and licences")
st.dataframe(pl.DataFrame(report["sources"]), hide_index=True, width="stretch")
st.markdown(ATTRIBUTION)

st.subheader("Download the prepared tables")
st.caption("CSV, one file per table (boundaries excepted). Missing values are empty cells, never zero.")
columns = st.columns(3)
for index, name in enumerate(TABLE_NAMES):
    with columns[index % 3]:
        st.download_button(
            f"{name}.csv",
            partial(table_csv, load(name)),
            file_name=f"observatory-{name}.csv",
            mime="text/csv",
            key=f"download-{name}",
            on_click="ignore",
            icon=":material/download:",
        )
