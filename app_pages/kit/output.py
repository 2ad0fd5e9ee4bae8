"""What a page shows and hands over: tables as people read numbers, charts with the numbers behind them, CSVs
that say what they are (made only when the button is pressed)."""

from __future__ import annotations

import weakref
from collections.abc import Iterable
from functools import partial

import plotly.graph_objects as go
import polars as pl
import pyarrow as pa
import streamlit as st
from streamlit.delta_generator import DeltaGenerator
from streamlit.elements.plotly_chart import PlotlyState

from app_pages.kit.width import chart_width
from components.exports import About, csv_file_name, readable_csv, whole_number_columns
from components.figure_layout import fit_width
from components.png_export import export_config
from components.sections.chart_section import ChartSection


def show_table(frame: pl.DataFrame, missing: str = "not known", **options) -> None:
    """A table as people read numbers: thousands separators, one decimal, missing said in words, never "None".

    Columns without gaps stay numbers, formatted by their column config (so they sort as numbers); a column with
    gaps becomes text, because Streamlit draws a missing cell as "None". A caller's `column_config` for a column
    keeps the number format unless it sets its own.
    """
    table, config = _readable(frame, missing)
    given = options.pop("column_config", None) or {}
    config = {**config, **{column: _with_format(config.get(column), each) for column, each in given.items()}}
    # An Arrow table is sent as it is (a Polars or pandas frame would be converted through pandas on every rerun).
    st.dataframe(table, hide_index=True, column_config=config, **{"width": "stretch", **options})


# A frame as shown, kept while the frame lives: a cached frame (the same object on every rerun) is made readable
# once, not on every rerun. Keyed by the frame's identity, never its contents (Polars frames are not changed in place).
_READABLE: dict[tuple[int, str], tuple[weakref.ref, pa.Table, dict]] = {}


def _readable(source: pl.DataFrame, missing: str) -> tuple[pa.Table, dict]:
    """The table Streamlit is given and the number format of each numeric column."""
    key = (id(source), missing)
    if (kept := _READABLE.get(key)) is not None and kept[0]() is source:
        return kept[1], kept[2]
    frame = source.with_columns(pl.col(whole_number_columns(source)).cast(pl.Int64))  # counts: 1,234 not 1,234.0
    gappy = [column for column in frame.columns if frame[column].null_count()]
    frame = frame.with_columns(_as_text(frame[column], missing) for column in gappy)
    config = {column: _number_format(column, dtype) for column, dtype in frame.schema.items() if dtype.is_numeric()}
    table = frame.to_arrow()
    _READABLE[key] = (weakref.ref(source, lambda _: _READABLE.pop(key, None)), table, config)
    return table, config


def _number_format(column: str, dtype: pl.DataType) -> dict:
    """A numeric column's config: a year as it is (2023), a whole number with separators (1,234), else one decimal
    (1,234.5)."""
    if dtype.is_integer():
        return st.column_config.NumberColumn(format="%d" if _is_year(column) else "%,d")
    return st.column_config.NumberColumn(format="%,.1f")


def _with_format(number: dict | None, given: str | dict | None) -> str | dict | None:
    """A caller's config for a column, keeping the number format where it is a label only or sets no format (None
    hides the column)."""
    if number is None or given is None:
        return given
    if isinstance(given, str):
        return {**number, "label": given}
    if given.get("type_config") is None or given["type_config"].get("type") == "number":
        type_config = {**number["type_config"], **{k: v for k, v in (given.get("type_config") or {}).items() if v}}
        return {**given, "type_config": type_config}
    return given


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


def show_section(
    heading: str,
    chart: ChartSection | None,
    notice: str,
    captions: Iterable[str],
    key: str,
    briefing: bool = False,
    icon: str | None = None,
) -> None:
    """A page section: its heading, then its chart with the numbers behind it and the captions under it (an empty
    one is left out), or, with no chart, the notice saying why there is none (with the page's `icon`)."""
    st.header(heading)
    if chart is None:
        st.info(notice, icon=icon)
        return
    show_chart(chart.figure, chart.table, chart.about, key, briefing)
    for caption in captions:
        if caption:
            st.caption(caption)


def opened(label: str, key: str) -> DeltaGenerator | None:
    """An expander whose contents are sent only once the reader opens it (a rerun): None while it is closed.

    A closed expander's tables cost the browser their grids all the same, drawn unseen while the page's first chart
    waited (issue 22); opened, it stays open across the page's later reruns.
    """
    expander = st.expander(label, key=key, on_change="rerun")
    return expander if expander.open else None


def numbers_behind(data: pl.DataFrame, about: About, key: str, what: str = "chart") -> None:
    """The table under a chart or map, and its CSV with the words that say what it is."""
    if (expander := opened(f"Numbers behind this {what}", f"numbers-{key}")) is None:
        return
    with expander:
        show_table(data, missing="no value")
        st.download_button(
            "Download CSV",
            partial(readable_csv, data, about),  # made when the button is pressed, not on every rerun
            file_name=csv_file_name(about.title),
            mime="text/csv",
            key=f"csv-{key}",
            on_click="ignore",
        )
