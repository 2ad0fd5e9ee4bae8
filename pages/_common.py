"""What every page shares: cached loading at the data boundary, URL state, briefing mode, chart output."""

from __future__ import annotations

from collections.abc import Sequence

import geopandas as gpd
import plotly.graph_objects as go
import polars as pl
import streamlit as st

from components.briefing import export_config, slug
from observatory_data import tables

BRIEFING_CSS = """
<style>
header[data-testid="stHeader"], section[data-testid="stSidebar"], div[data-testid="stToolbar"],
div[data-testid="stDecoration"], div[data-testid="stSidebarCollapsedControl"], footer {display: none !important;}
.block-container {padding-top: 1rem;}
</style>
"""


@st.cache_resource(show_spinner=False)
def load(name: str) -> pl.DataFrame:
    """A prepared table, read once per process and shared (Polars frames are not changed in place)."""
    return tables.read_table(name)


@st.cache_resource(show_spinner=False)
def load_boundaries() -> gpd.GeoDataFrame:
    """The boundaries, read once per process."""
    return tables.read_boundaries()


@st.cache_data(show_spinner=False)
def build_report() -> dict:
    return tables.read_build_report()


def require_tables() -> None:
    """Stops the page with a clear instruction when the tables have not been built."""
    try:
        load("services")
    except tables.PreparedTablesMissing as exc:
        st.error(str(exc))
        st.stop()


def url_choice(name: str, options: Sequence[str], default: str, label: str | None = None) -> str:
    """A value from the URL if it is one of `options`; otherwise a short notice and the default.

    The bad value itself is never echoed back into the page.
    """
    raw = st.query_params.get(name)
    if raw is None or raw == "":
        return default
    if raw in options:
        return raw
    st.warning(f"The link's {label or name} was not recognised, so the default is shown.", icon="⚠️")
    return default


def url_int(name: str, allowed: Sequence[int], default: int, label: str | None = None) -> int:
    """An integer from the URL if allowed, else a notice and the default."""
    value = url_choice(name, [str(option) for option in allowed], str(default), label)
    return int(value)


def set_url(**values: str | int | None) -> None:
    """Write the view's state into the URL so the link reproduces it."""
    for key, value in values.items():
        if value is None or value == "":
            st.query_params.pop(key, None)
        elif st.query_params.get(key) != str(value):
            st.query_params[key] = str(value)


def briefing_mode() -> bool:
    """`?briefing=1` (or the toggle) hides the sidebar, header and toolbar for clean screenshots."""
    on = st.query_params.get("briefing") in ("1", "true", "yes")
    if on:
        st.markdown(BRIEFING_CSS, unsafe_allow_html=True)
    return on


def show_chart(figure: go.Figure, data: pl.DataFrame, name: str, key: str) -> None:
    """The chart, then the numbers it shows and a CSV download: every chart has its table."""
    st.plotly_chart(figure, width="stretch", config=export_config(name), key=f"chart-{key}")
    with st.expander("Numbers behind this chart"):
        st.dataframe(data, hide_index=True, width="stretch")
        st.download_button(
            "Download CSV",
            data.write_csv(null_value="missing").encode(),
            file_name=f"{slug(name)}.csv",
            mime="text/csv",
            key=f"csv-{key}",
            on_click="ignore",
        )
