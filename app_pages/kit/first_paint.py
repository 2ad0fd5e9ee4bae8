"""A new visitor's first chart sooner: a page's top is sent and drawn first, the rest once the browser has drawn it.

The browser draws every element that arrives before Plotly's code (about 4.7 MB, 1.3 s to evaluate) in the same
commit as the first chart, so a page's later charts and tables held its first chart back (issue 22: the Overview,
Priority Places, the benchmark and the network at 1.4-1.5x a one-chart page). In a browser session's first run a page
stops at its split; the reporter mounted there tells the server once that top is drawn, and the rerun it causes sends
the whole page. Later runs of the session (Plotly's code is loaded by then) send the whole page at once.

A client that does not name itself a browser (AppTest) could never report, so it gets the whole page at once; the
load benchmark's readers name themselves browsers and report as one does.
"""

from __future__ import annotations

import streamlit as st

from app_pages.kit.width import IDLE_JS

_DRAWN_KEY = "_top_drawn"
REPORTER_KEY = "top-drawn"  # its element's id ends with it (the load benchmark's readers report as a browser does)
# Reports once the run has finished and no element in the main column is still waiting for its code (Streamlit shows
# a skeleton in its place), twice in a row 100 ms apart: the top, its first chart included, is on screen.
_DRAWN_JS = (
    IDLE_JS
    + """
export default function (component) {
    const { setStateValue } = component;
    let timer = null;
    const drawn = () => idle() && !document.querySelector('[data-testid="stMain"] [data-testid="stSkeleton"]');
    const check = (settled = false) => {
        timer = setTimeout(() => {
            if (!drawn()) return check(false);
            if (!settled) return check(true);
            setStateValue("drawn", true);
        }, 100);
    };
    check();
    return () => clearTimeout(timer);
}
"""
)
_drawn_reporter = st.components.v2.component("observatory_top_drawn", js=_DRAWN_JS)


def rest_after_first_paint() -> None:
    """A page's split: in a browser session's first run the page ends here until the browser reports its top drawn.
    Once the top is drawn (or without a browser) it returns at once, so a later call in the same run costs nothing."""
    if st.session_state.get(_DRAWN_KEY) or not _in_a_browser():
        return
    with st.sidebar:  # takes no room in the page; gone from it once the rest is sent
        _drawn_reporter(key=REPORTER_KEY, default={"drawn": False}, on_drawn_change=_mark_drawn, height=0)
    st.stop()


def _mark_drawn() -> None:
    """The report: set before the rerun it causes, so that run sends the whole page."""
    st.session_state[_DRAWN_KEY] = True


def _in_a_browser() -> bool:
    """Whether the session is a browser's (every browser names itself "Mozilla/5.0 ..."), the only client that
    reports."""
    return "Mozilla/" in (st.context.headers.get("User-Agent") or "")
