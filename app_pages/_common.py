"""What every page shares: cached loading at the data boundary, the page's start, briefing mode, chart output."""

from __future__ import annotations

import geopandas as gpd
import plotly.graph_objects as go
import polars as pl
import streamlit as st
from streamlit.elements.plotly_chart import PlotlyState

from app_pages.url_state import UrlState
from components.briefing import NARROW, export_config, fit_width
from components.exports import About, csv_file_name, readable_csv, whole_number_columns
from observatory_data.serving import tables
from observatory_data.serving.catalogue import DATA_LICENCE, DENOMINATORS, financial_year, years_with_data

# What a rate is per, for a sentence about several metrics at once (one metric: its own DENOMINATORS entry).
RATES_PER = (
    f"{DENOMINATORS['population']} (children's metrics {DENOMINATORS['population_0_11']}, young people's "
    f"{DENOMINATORS['population_12_17']})"
)

# The main column's width, for laying charts out on a phone (components.briefing.fit_width): the browser measures
# it and reports it (0 when it is NARROW or wider, else rounded down to WIDTH_STEP px), and only when that changes,
# so a desktop never reruns for it and a phone reruns once a session, or when it turns. It reports only once the
# page has finished running and settled (Streamlit's script state on the app's root, twice in a row): a rerun asked
# for mid-run reset the sidebar's controls to their first options, as the browser had not yet taken in the values
# the run gave them (a phone draws its hidden sidebar last, and shows no status widget).
WIDTH_STEP = 20
_WIDTH_KEY = "_chart_width"
_WIDTH_JS = """
let sent = null;  // the last width reported: the run it causes still passes the width known before it
export default function (component) {
    const { setStateValue, data } = component;
    const main = document.querySelector('[data-testid="stMainBlockContainer"]');
    if (!main) return;
    let timer = null;
    const idle = () => {
        const app = document.querySelector('[data-testid="stApp"]');
        const running = document.querySelector('[data-testid="stStatusWidget"]');
        return app?.dataset.testScriptState === "notRunning" && !running;
    };
    const report = (settled = false) => {
        clearTimeout(timer);
        timer = setTimeout(() => {
            if (!idle()) return report(false);
            if (!settled) return report(true);
            const style = getComputedStyle(main);
            const width = main.clientWidth - parseFloat(style.paddingLeft) - parseFloat(style.paddingRight);
            const planned = width >= data.narrow ? 0 : Math.max(data.step, Math.floor(width / data.step) * data.step);
            if (planned === data.planned || planned === sent) return;
            sent = planned;
            setStateValue("planned", planned);
        }, 300);
    };
    const observer = new ResizeObserver(() => report(false));
    observer.observe(main);
    return () => { observer.disconnect(); clearTimeout(timer); };
}
"""
_width_reporter = st.components.v2.component("observatory_chart_width", js=_WIDTH_JS)

# Briefing mode hides Streamlit's chrome and the tables under the charts; the sidebar stays, so the
# controls (and the switch back) remain usable. Collapse the sidebar for a clean screenshot.
BRIEFING_CSS = """
<style>
div[data-testid="stToolbar"], div[data-testid="stDecoration"], footer {display: none !important;}
.block-container {padding-top: 1.5rem;}
</style>
"""


def current_build() -> str:
    """The key that page caches add to their own, so nothing outlives the build it was made from."""
    return tables.build_id()


def load(name: str) -> pl.DataFrame:
    """A prepared table of the current build (a new build is served without restarting the server)."""
    return _load(name, current_build())


def load_boundaries() -> gpd.GeoDataFrame:
    """The boundaries of the current build."""
    return _load_boundaries(current_build())


def build_info() -> dict:
    return load(tables.BUILD_INFO).row(0, named=True)


@st.cache_resource(show_spinner=False, max_entries=2 * len(tables.TABLE_NAMES))
def _load(name: str, build: str) -> pl.DataFrame:
    """Read once per build and shared across sessions (Polars frames are not changed in place)."""
    return tables.read_table(name)


@st.cache_resource(show_spinner=False, max_entries=2)
def _load_boundaries(build: str) -> gpd.GeoDataFrame:
    return tables.read_boundaries()


@st.cache_data(show_spinner=False, max_entries=4)
def _checked(build: str) -> str:
    """Every table checked once per build (an exception is not cached, so a fixed build is checked again)."""
    tables.check_prepared()
    return build


def start_page(page: str) -> UrlState:
    """Every page's first step: the tables must be there, then the URL state of this page."""
    try:
        _checked(current_build())
    except (tables.PreparedTablesMissing, tables.PreparedTableInvalid) as exc:
        st.error(str(exc))
        st.stop()
    _measure_width()
    return UrlState(page)


def _measure_width() -> None:
    """Mounts the width reporter (in the sidebar, where it takes no room in the page) and keeps its last report."""
    planned = st.session_state.get(_WIDTH_KEY, 0)
    with st.sidebar:
        reported = _width_reporter(
            key="chart-width",
            data={"planned": planned, "narrow": NARROW, "step": WIDTH_STEP},
            default={"planned": planned},
            on_planned_change=_ignore,
            height=0,
        )
    st.session_state[_WIDTH_KEY] = reported.planned or 0


def _ignore() -> None:
    """The reporter's change needs a callback to be a state; the rerun it causes is all it needs."""


def chart_width() -> int | None:
    """The main column's width in px when it is narrower than NARROW (a phone), else None (the standard plan)."""
    return st.session_state.get(_WIDTH_KEY) or None


def year_select(state: UrlState, annual: pl.DataFrame, metric: str | None = None, label: str = "Year") -> int:
    """The sidebar's year control (URL `year`): the years with ACE data for `metric` (for any metric if None),
    the latest by default, so a link without `year` always opens on the newest figures.

    A year the metric does not have (one the user chose for another metric, or a link's) moves to the latest, and a
    notice says why: the page never changes the year without saying so.
    """
    years = years_with_data(annual, metric)
    key = state.key("year")
    before = st.session_state.get(key)
    linked = state.url.get("year") if state.navigated else None
    other_years = {str(year) for year in years_with_data(annual)} - {str(year) for year in years}
    notice = year_notice(_metric_label(metric), years) if metric else None
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


def _metric_label(metric: str | None) -> str:
    labels = load("metrics").filter(pl.col("metric") == metric)["label"]
    return labels.item() if labels.len() == 1 else str(metric)


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


def metric_about(entry: dict, title: str, period: str, source: str, columns: tuple[tuple[str, str], ...] = ()) -> About:
    """What a CSV download says about itself: the metric's catalogue entry, the period, the source and what any
    column that needs words holds."""
    return About(
        title=title,
        metric=entry["label"],
        definition=entry["definition"],
        unit=entry["unit"],
        period=period,
        denominator=DENOMINATORS[entry["denominator"]],
        source=source,
        licence=DATA_LICENCE,
        columns=columns,
    )


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
            readable_csv(data, about),
            file_name=csv_file_name(about.title),
            mime="text/csv",
            key=f"csv-{key}",
            on_click="ignore",
        )
