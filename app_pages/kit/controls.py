"""A page's start and the controls every page shares: the year, the visitor's own service, briefing mode."""

from __future__ import annotations

import polars as pl
import streamlit as st

from app_pages.kit.loading import ace_years, check_tables, metric_label
from app_pages.kit.url_state import UrlState
from app_pages.kit.width import measure_width
from observatory_data.serving import tables
from observatory_data.serving.periods import financial_year

# Briefing mode hides Streamlit's chrome and the tables under the charts; the sidebar stays, so the
# controls (and the switch back) remain usable. Collapse the sidebar for a clean screenshot.
BRIEFING_CSS = """
<style>
div[data-testid="stToolbar"], div[data-testid="stDecoration"], footer {display: none !important;}
.block-container {padding-top: 1.5rem;}
</style>
"""


def start_page(page: str) -> UrlState:
    """Every page's first step: the tables must be there, then the URL state of this page."""
    try:
        check_tables()
    except (tables.PreparedTablesMissing, tables.PreparedTableInvalid) as exc:
        st.error(str(exc))
        st.stop()
    measure_width()
    return UrlState(page)


def year_select(state: UrlState, annual: pl.DataFrame, metric: str | None = None, label: str = "Year") -> int:
    """The sidebar's year control (URL `year`): the years with ACE data for `metric` (for any metric if None),
    the latest by default, so a link without `year` always opens on the newest figures.

    A year the metric does not have (one the user chose for another metric, or a link's) moves to the latest, and a
    notice says why: the page never changes the year without saying so.
    """
    years = ace_years(annual, metric)
    key = state.key("year")
    before = st.session_state.get(key)
    linked = state.url.get("year") if state.navigated else None
    other_years = {str(year) for year in ace_years(annual)} - {str(year) for year in years}
    notice = year_notice(metric_label(metric), years) if metric else None
    key = state.choice("year", years, years[-1], "year", left_out=notice if linked in other_years else None)
    if notice and not state.navigated and before is not None and before not in years:
        state.notice(notice)
    st.sidebar.selectbox(label, years, key=key, format_func=financial_year)
    return st.session_state[key]


def year_notice(metric_label: str, years: list[int]) -> str:
    """Why the year moved: 'Physical book loans are collected for 2023/24 only: showing 2023/24.'"""
    named = [financial_year(year) for year in years]
    held = named[0] if len(named) == 1 else f"{', '.join(named[:-1])} and {named[-1]}"
    return f"{metric_label} are collected for {held} only: showing {named[-1]}."


def session_service(chosen: str | None = None) -> str | None:
    """The visitor's own service for this session: the one whose benchmark they last opened (pass it to remember it),
    so other pages can offer "your service" without the visitor finding it again. Never in the URL: a link says
    what it shows, not who opened it."""
    if chosen is not None:
        st.session_state["your_service"] = chosen
    return st.session_state.get("your_service")


def briefing_switch(state: UrlState) -> bool:
    """The visible switch for briefing mode (`?briefing=1` in a link)."""
    with st.sidebar:
        on = st.toggle(
            "Briefing mode",
            key=state.choice("briefing", [False, True], False, "briefing mode"),
            help="Hides the toolbar and the tables under the charts, for screenshots and slides.",
        )
    if on:
        st.markdown(BRIEFING_CSS, unsafe_allow_html=True)
    return on
