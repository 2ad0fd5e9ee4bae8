"""Data and methods: definitions, sources and licences, coverage, plausibility flags and table downloads."""

from functools import partial

import polars as pl
import streamlit as st

from app_pages.kit.controls import briefing_switch, start_page, year_select
from app_pages.kit.loading import build_info, load, per_build
from app_pages.kit.output import show_table
from components.exports import about_table, readable_csv
from components.network import definitions_markdown
from components.text import attribution, counted_by_year, coverage_by_nation, methods_text, rule_descriptions
from observatory_data.serving.audit_marks import marks_table
from observatory_data.serving.catalogue import DATA_LICENCE, years_with_data
from observatory_data.serving.periods import financial_year
from observatory_data.serving.queries import no_return_by_year, rules_by_year
from observatory_data.serving.schema import describe
from observatory_data.serving.tables import TABLE_NAMES

LINE_PARTS = ("mode", "format", "content_age", "user_age", "location")
# The audit's marks as the Data page shows them: header -> the annual table's column it comes from.
MARK_COLUMNS = {
    "Figure as returned": "value_as_returned",
    "Audit's estimate": "audit_estimate",
    "Value used": "value",
    "Status": "status",
    "Audit's mark": "audit_status",
    "Our outcome": "audit_outcome",
    "Audit's note": "audit_note",
    "Our reason": "note",
}
NOT_JUDGED = "not judged (our own rules decide)"
ALL_YEARS = "All years"


@per_build()
def table_csv(name: str) -> bytes:
    """A prepared table as CSV, made on the first click and kept: each column described from the schema, lists
    joined with '; ', missing values empty, numbers as stored."""
    frame = load(name)
    lists = [column for column, dtype in frame.schema.items() if isinstance(dtype, pl.List)]
    about = about_table(
        f"Public Libraries Data Observatory: the {name} table, built {build_info()['built_at']}",
        "The pinned public sources listed on the Data and methods page",
        DATA_LICENCE,
        tuple((column, describe(name, column)) for column in frame.columns),
    )
    return readable_csv(frame.with_columns(pl.col(lists).list.join("; ")), about, decimals=None)


state = start_page("data")
briefing_switch(state)
services, annual, metrics = load("services"), load("annual"), load("metrics")
built_at = build_info()["built_at"]
year = year_select(state, annual)
state.write()
names = services.select("service_code", pl.col("service_name").alias("Service"))
metric_labels = metrics.select("metric", pl.col("label").alias("Metric"))

st.title("Data and methods")
st.caption(f"Tables built {built_at.replace('T', ' ')} from the pinned public sources listed below.")

st.header("Metrics")
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

st.header(f"Coverage per metric and nation, {financial_year(year)}")
st.caption(
    "Services per status. Only 'reported', 'derived' and 'corrected' values are counted in rates and aggregates "
    "('counted'; those with a caveat are counted, but their rates are left out of medians); 'partial' and "
    "'flagged' values are kept and shown but not summed; ACE collects activity in England only ('not_collected'); "
    "'no_return': the service sent no return for the year; the next column: its return for the year lacks the metric."
)
show_table(coverage_by_nation(annual, services, metrics, year))
st.markdown("**Counted services per metric and year**")
st.caption(
    "English services with a counted value, per year of ACE returns: 2023/24 from ACE's monthly workbook (every "
    "metric), later years from ACE's official statistics (the headline metrics only). "
    "Change over the years is measured on the services counted in every year compared."
)
show_table(counted_by_year(annual, metrics), missing="not in the release")
no_return = no_return_by_year(annual, services)
per_year = no_return.group_by("year").len().sort("year").rows()
st.markdown("**English services with no return, per year**")
st.caption(
    "A service made a return for a year if any of its figures for that year came back, so a service missing one "
    "metric is not listed; each year has its own list. "
    + "; ".join(f"{financial_year(listed)}: {count}" for listed, count in per_year)
    + "."
)
show_table(
    no_return.select(
        pl.col("year").map_elements(financial_year, return_dtype=pl.String).alias("Year"),
        pl.col("service_name").alias("Service"),
        pl.col("service_code").alias("Code"),
    )
)

st.header("Methods")
st.markdown(methods_text())

st.header("The library network: definitions")
st.markdown(definitions_markdown())

st.header("What the rules did: values flagged, corrected, derived or caveated")
outcomes = load("flags")
rule_counts = dict(outcomes["rule"].value_counts().iter_rows())
st.markdown(
    "\n".join(f"- `{rule}` ({rule_counts.get(rule, 0)} values): {text}" for rule, text in rule_descriptions().items())
)
st.caption(
    f"{outcomes.height} rule outcomes. Every value keeps the figure as returned beside the figure used. Flagged "
    "values are left out of every aggregate, and an annual total containing a flagged month is flagged too; "
    "corrected and derived values are counted, with the reason; caveated values are counted and explained."
)
show_table(
    outcomes.join(names, on="service_code", how="left")
    .join(metric_labels, on="metric", how="left")
    .select(
        "Service",
        pl.coalesce("Metric", "metric").alias("Metric"),
        pl.concat_str([pl.col(part) for part in LINE_PARTS], separator=", ", ignore_nulls=True).alias("Line"),
        pl.coalesce(
            pl.col("period").dt.strftime("%b %Y"),
            pl.col("year").map_elements(financial_year, return_dtype=pl.String) + " year",
        ).alias("Period"),
        pl.col("value_as_returned").alias("Value as returned"),
        pl.col("value_used").alias("Value used"),
        pl.col("outcome").alias("Outcome"),
        pl.col("rule").alias("Rule"),
        pl.col("reason").alias("Reason"),
    ),
)
st.markdown("**Which rules could run in each year, and what they did**")
st.caption(
    "Rules on monthly lines need a year of ACE's monthly workbook; rules on whole-year figures run on every year; "
    "the audit's rules need the audit's marks (and set a figure against the service's other years only in a year "
    "published as whole-year figures). Counts are rule outcomes in the flags table."
)
show_table(
    rules_by_year(annual, load("activity"), outcomes).select(
        pl.col("year").map_elements(financial_year, return_dtype=pl.String).alias("Year"),
        pl.col("rule").alias("Rule"),
        pl.col("needs").alias("Reads"),
        pl.col("ran").alias("Could run"),
        pl.col("values").alias("Values"),
        pl.col("outcomes").alias("What it did"),
    )
)

st.header("The Libraries Hacked audit's marks, per year")
st.caption(
    "Libraries Hacked's independent audit marks some of ACE's published figures replaced (with its estimate), "
    "excluded or suspicious, often with the service's own explanation. A mark is evidence for our rules, never a "
    "decision copied: where a year is published as whole-year figures, a replaced figure is set against the "
    "service's other years, and the estimate is used only where it agrees with them and the figure as returned "
    "does not; a suspicious mark is shown beside the value, which still counts. In a year of monthly lines our "
    "own line rules decide, and the mark is shown beside the value."
)
marks = (
    marks_table(annual)
    .join(names, on="service_code", how="left")
    .join(metric_labels, on="metric", how="left")
    .select(
        "Service",
        pl.coalesce("Metric", "metric").alias("Metric"),
        "year",
        *(pl.col(column).alias(header) for header, column in MARK_COLUMNS.items()),
    )
    .with_columns(
        pl.col("Figure as returned", "Audit's estimate", "Value used").round(0).cast(pl.Int64),
        pl.col("Status", "Our outcome").str.replace_all("_", " "),
    )
    .with_columns(
        pl.col("Our outcome").fill_null(NOT_JUDGED),
    )
)
year_column, outcome_column = st.columns(2)
mark_years = [ALL_YEARS, *(financial_year(marked) for marked in years_with_data(annual) if marked in marks["year"])]
shown_year = year_column.selectbox("Year of the marks", mark_years, key="audit-marks-year")
shown_outcomes = outcome_column.multiselect(
    "Our outcome", sorted(marks["Our outcome"].unique()), key="audit-marks-outcome", placeholder="Every outcome"
)
marks = marks.with_columns(pl.col("year").map_elements(financial_year, return_dtype=pl.String).alias("Year"))
if shown_year != ALL_YEARS:
    marks = marks.filter(pl.col("Year") == shown_year)
if shown_outcomes:
    marks = marks.filter(pl.col("Our outcome").is_in(shown_outcomes))
marks = marks.select("Service", "Metric", "Year", *MARK_COLUMNS)
st.caption(f"{marks.height} marks shown.")
show_table(
    marks,
    missing="none",
    column_config={header: st.column_config.TextColumn(width="large") for header in ("Audit's note", "Our reason")},
)
st.download_button(
    "Download these marks (CSV)",
    readable_csv(
        marks,
        about_table(
            f"Public Libraries Data Observatory: the Libraries Hacked audit's marks ({shown_year.lower()}), built "
            f"{built_at}",
            "ACE Libraries Activity Data (official statistics) with Libraries Hacked's audit",
            DATA_LICENCE,
            tuple((header, describe("annual", column)) for header, column in MARK_COLUMNS.items()),
        ),
        decimals=0,
    ),
    file_name="observatory-audit-marks.csv",
    mime="text/csv",
    key="download-audit-marks",
    on_click="ignore",
    icon=":material/download:",
)

quarterly = load("quarterly_totals").join(names, on="service_code")
st.markdown(f"**{quarterly.height} series entered as quarterly totals**")
st.caption(
    "ACE's returns allow a quarter's total in its last month. These are kept as quarterly totals (trend "
    "charts draw them as flat quarters), never spread or mistaken for a one-month spike."
)
show_table(
    quarterly.join(metric_labels, on="metric", how="left").select(
        pl.col("Service"),
        pl.coalesce("Metric", "metric").alias("Metric"),
        pl.col("months").alias("Values entered as quarterly totals (all lines)"),
    ),
)

st.header("Sources and licences")
show_table(
    load("sources").select(
        pl.col("publisher").alias("Publisher"),
        pl.col("path").alias("File"),
        pl.col("licence").alias("Licence"),
        pl.col("url").alias("Pinned URL"),
    ),
    column_config={"Pinned URL": st.column_config.LinkColumn()},
)
st.markdown("**Attribution**" + attribution())

st.header("Download the prepared tables")
st.caption(
    "CSV, one file per table (the boundaries are geometries and are left out), each opening with what every "
    "column holds. Missing values are written as empty cells, never as zero; list columns are joined with '; '."
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
