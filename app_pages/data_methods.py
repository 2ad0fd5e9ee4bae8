"""Data and methods: definitions, sources and licences, coverage, plausibility flags and table downloads."""

from functools import partial

import polars as pl
import streamlit as st

from app_pages.kit.controls import briefing_switch, start_page, year_select
from app_pages.kit.loading import build_info, load, load_boundaries, per_build
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
    OPEN_DATA_CAPTION,
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
from observatory_data.serving.open_data import package_file_name, package_files, package_zip
from observatory_data.serving.periods import financial_year
from observatory_data.serving.tables import TABLE_NAMES


@per_build()
def table_csv(name: str) -> bytes:
    """A prepared table as CSV, made on the first click and kept."""
    return prepared_table_csv(name, load(name), build_info()["built_at"])


@per_build(max_entries=2)
def open_data_zip() -> bytes:
    """The whole dataset as an open data package (zip), made on the first click and kept for the build."""
    return package_zip(package_files(load, load_boundaries))


@per_build(resource=True, max_entries=64)
def catalogue(search: str) -> TableSection:
    return metric_catalogue(load("metrics"), search)


@per_build(resource=True, max_entries=16)
def coverage(year: int) -> TableSection:
    return coverage_section(load("annual"), load("services"), load("metrics"), year)


@per_build(resource=True, max_entries=2)
def build_tables() -> tuple[TableSection, TableSection, str, TableSection, TableSection, TableSection, pl.DataFrame]:
    """The page's tables that depend on the build only: made once per build, not on every rerun."""
    annual, services, metrics, flags = load("annual"), load("services"), load("metrics"), load("flags")
    return (
        counted_section(annual, metrics),
        no_return_section(annual, services),
        rule_list(flags, rule_descriptions()),
        rule_outcomes(flags, services, metrics),
        rule_runs(annual, load("activity"), flags),
        quarterly_series(load("quarterly_totals"), services, metrics),
        sources_table(load("sources")),
    )


@per_build(resource=True, max_entries=2)
def marks_choices() -> tuple[list[str], list[str]]:
    """The marks' years and outcomes, for the two controls."""
    marks = audit_marks(load("annual"), load("services"), load("metrics"))
    return mark_years(load("annual"), marks), mark_outcomes(marks)


@per_build(resource=True, max_entries=64)
def marks_shown(year: str, outcomes: tuple[str, ...]) -> pl.DataFrame:
    return shown_marks(audit_marks(load("annual"), load("services"), load("metrics")), year, outcomes)


@per_build(max_entries=16)
def marks_csv(year: str, outcomes: tuple[str, ...]) -> bytes:
    """The marks shown as CSV, made when the button is pressed."""
    return readable_csv(marks_shown(year, outcomes), marks_about(year, build_info()["built_at"]), decimals=0)


def show_table_section(section: TableSection, **options) -> None:
    """A table's title (if any), the caption that says how to read it, then the table."""
    if section.title:
        st.markdown(f"**{section.title}**")
    st.caption(section.caption)
    show_table(section.table, **options)


state = start_page("data")
briefing_switch(state)
built_at = build_info()["built_at"]
year = year_select(state, load("annual"))
state.write()
counted, no_return, rules, outcomes, runs, quarterly, sources = build_tables()

st.title("Data and methods")
st.caption(f"Tables built {built_at.replace('T', ' ')} from the pinned public sources listed below.")

st.header("Metrics")
search = st.text_input("Search the metrics", placeholder="e.g. children, eBook, events")
show_table_section(catalogue(search), column_config={"Definition": st.column_config.TextColumn(width="large")})

st.header(f"Coverage per metric and nation, {financial_year(year)}")
show_table_section(coverage(year))
show_table_section(counted, missing="not in the release")
show_table_section(no_return)

st.header("Methods")
st.markdown(methods_text())

st.header("The library network: definitions")
st.markdown(definitions_markdown())

st.header("What the rules did: values flagged, corrected, derived or caveated")
st.markdown(rules)
show_table_section(outcomes)
show_table_section(runs)

st.header("The Libraries Hacked audit's marks, per year")
st.caption(MARKS_CAPTION)
years, outcome_choices = marks_choices()
year_column, outcome_column = st.columns(2)
shown_year = year_column.selectbox("Year of the marks", years, key="audit-marks-year")
shown_outcomes = tuple(
    outcome_column.multiselect("Our outcome", outcome_choices, key="audit-marks-outcome", placeholder="Every outcome")
)
marks = marks_shown(shown_year, shown_outcomes)
st.caption(f"{marks.height} marks shown.")
show_table(
    marks, missing="none", column_config={header: st.column_config.TextColumn(width="large") for header in WORDY}
)
st.download_button(
    "Download these marks (CSV)",
    partial(marks_csv, shown_year, shown_outcomes),  # made when the button is pressed, not on every rerun
    file_name=MARKS_FILE,
    mime="text/csv",
    key="download-audit-marks",
    on_click="ignore",
    icon=":material/download:",
)
show_table_section(quarterly)

st.header("Sources and licences")
show_table(sources, column_config={"Pinned URL": st.column_config.LinkColumn()})
st.markdown("**Attribution**" + attribution())

st.header("Download the prepared tables")
st.caption(OPEN_DATA_CAPTION)
st.download_button(
    "The whole dataset: open data package (zip)",
    open_data_zip,  # made when the button is pressed, once per build
    file_name=package_file_name(built_at),
    mime="application/zip",
    key="download-open-data",
    on_click="ignore",
    icon=":material/folder_zip:",
)
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
