"""What a page shows and hands over: tables as people read numbers, charts with the numbers behind them, CSVs
that say what they are (made only when the button is pressed)."""

from __future__ import annotations

from functools import partial

import plotly.graph_objects as go
import polars as pl
import streamlit as st
from streamlit.elements.plotly_chart import PlotlyState

from app_pages.kit.width import chart_width
from components.exports import About, csv_file_name, readable_csv, whole_number_columns
from components.figure_layout import fit_width
from components.png_export import export_config


def show_table(frame: pl.DataFrame, missing: str = "not known", **options) -> None:
    """A table as people read numbers: thousands separators, one decimal, missing said in words, never "None".

    Columns without gaps stay numbers (Streamlit shows a Styler's text but sorts by the values); a column with
    gaps becomes text, because Streamlit draws a missing cell as "None" whatever the Styler says.
    """
    frame = frame.with_columns(pl.col(whole_number_columns(frame)).cast(pl.Int64))  # counts: 1,234 not 1,234.0
    gappy = [column for column in frame.columns if frame[column].null_count()]
    frame = frame.with_columns(_as_text(frame[column], missing) for column in gappy)
    numbers = [column for column, dtype in frame.schema.items() if dtype.is_numeric()]
    styler = frame.to_pandas().style.format(precision=1, thousands=",", subset=[c for c in numbers if not _is_year(c)])
    st.dataframe(styler, hide_index=True, **{"width": "stretch", **options})


def _is_year(column: str) -> bool:
    return column.lower().startswith("year")


def _as_text(series: pl.Series, missing: str) -> pl.Series:
    """One column as the words a reader sees: numbers formatted, booleans yes/no, gaps in words."""
    if series.dtype == pl.Boolean:
        texts = [None if value is None else ("yes" if value else "no") for value in series]
    elif series.dtype.is_integer():
        pattern = "{:d}" if _is_year(series.name) else "{:,d}"
        texts = [None if value is None else pattern.format(value) for value in series]
    elif series.dtype.is_float():
        texts = [None if value is None else f"{value:,.1f}" for value in series]
    else:
        texts = [None if value is None else str(value) for value in series]
    return pl.Series(series.name, texts, dtype=pl.String).fill_null(missing)


def show_chart(
    figure: go.Figure, data: pl.DataFrame, about: About, key: str, briefing: bool = False, select: bool = False
) -> PlotlyState | None:
    """The chart, then the numbers it shows and a CSV a person can read: every chart has its table.

    With `select`, a click on a point reruns the page and the selection is returned.
    """
    options = {"on_select": "rerun", "selection_mode": "points"} if select else {}
    figure = fit_width(figure, chart_width())  # on a phone, the heading and notes wrap inside the chart's width
    event = st.plotly_chart(figure, width="stretch", config=export_config(about.title), key=f"chart-{key}", **options)
    if not briefing:
        numbers_behind(data, about, key)
    return event if select else None


def numbers_behind(data: pl.DataFrame, about: About, key: str, what: str = "chart") -> None:
    """The table under a chart or map, and its CSV with the words that say what it is."""
    with st.expander(f"Numbers behind this {what}"):
        show_table(data, missing="no value")
        st.download_button(
            "Download CSV",
            partial(readable_csv, data, about),  # made when the button is pressed, not on every rerun
            file_name=csv_file_name(about.title),
            mime="text/csv",
            key=f"csv-{key}",
            on_click="ignore",
        )
