"""Data and methods: definitions, sources and licences, coverage, plausibility flags and table downloads."""

from functools import partial

import streamlit as st

from app_pages.kit.controls import briefing_switch, start_page, year_select
from app_pages.kit.loading import build_info, load, per_build
from app_pages.kit.output import show_table
from components.exports import readable_csv
from components.network_definitions import definitions_markdown
from components.sections.data_marks import (
    MARKS_CAPTION,
    MARKS_FILE,
    WORDY,
    audit_marks,
    mark_outcomes,
    mark_years,
    marks_about,
    shown_marks,
)
from components.sections.data_tables import (
    DOWNLOADS_CAPTION,
    TableSection,
    counted_section,
    coverage_section,
    metric_catalogue,
    no_return_section,
    prepared_table_csv,
    quarterly_series,
    rule_list,
    rule_outcomes,
    rule_runs,
    sources_table,
)
from components.text import attribution, methods_text, rule_descriptions
from observatory_data.serving.periods import financial_year
from observatory_data.serving.tables import TABLE_NAMES


@per_build()
def table_csv(name: str) -> bytes:
    """A prepared table as CSV, made on the first click and kept."""
    return prepared_table_csv(name, load(name), build_info()["built_at"])


def show_section(section: TableSection, **options) -> None:
    """A table's title (if any), the caption that says how to read it, then the table."""
    if section.title:
        st.markdown(f"**{section.title}**")
    st.caption(section.caption)
    show_table(section.table, **options)


state = start_page("data")
briefing_switch(state)
services, annual, metrics, flags = load("services"), load("annual"), load("metrics"), load("flags")
built_at = build_info()["built_at"]
year = year_select(state, annual)
state.write()

st.title("Data and methods")
st.caption(f"Tables built {built_at.replace('T', ' ')} from the pinned public sources listed below.")

st.header("Metrics")
search = st.text_input("Search the metrics", placeholder="e.g. children, eBook, events")
show_section(
    metric_catalogue(metrics, search), column_config={"Definition": st.column_config.TextColumn(width="large")}
)

st.header(f"Coverage per metric and nation, {financial_year(year)}")
show_section(coverage_section(annual, services, metrics, year))
show_section(counted_section(annual, metrics), missing="not in the release")
show_section(no_return_section(annual, services))

st.header("Methods")
st.markdown(methods_text())

st.header("The library network: definitions")
st.markdown(definitions_markdown())

st.header("What the rules did: values flagged, corrected, derived or caveated")
st.markdown(rule_list(flags, rule_descriptions()))
show_section(rule_outcomes(flags, services, metrics))
show_section(rule_runs(annual, load("activity"), flags))

st.header("The Libraries Hacked audit's marks, per year")
st.caption(MARKS_CAPTION)
marks = audit_marks(annual, services, metrics)
year_column, outcome_column = st.columns(2)
shown_year = year_column.selectbox("Year of the marks", mark_years(annual, marks), key="audit-marks-year")
shown_outcomes = outcome_column.multiselect(
    "Our outcome", mark_outcomes(marks), key="audit-marks-outcome", placeholder="Every outcome"
)
marks = shown_marks(marks, shown_year, shown_outcomes)
st.caption(f"{marks.height} marks shown.")
show_table(
    marks, missing="none", column_config={header: st.column_config.TextColumn(width="large") for header in WORDY}
)
st.download_button(
    "Download these marks (CSV)",
    readable_csv(marks, marks_about(shown_year, built_at), decimals=0),
    file_name=MARKS_FILE,
    mime="text/csv",
    key="download-audit-marks",
    on_click="ignore",
    icon=":material/download:",
)
show_section(quarterly_series(load("quarterly_totals"), services, metrics))

st.header("Sources and licences")
show_table(sources_table(load("sources")), column_config={"Pinned URL": st.column_config.LinkColumn()})
st.markdown("**Attribution**" + attribution())

st.header("Download the prepared tables")
st.caption(DOWNLOADS_CAPTION)
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
