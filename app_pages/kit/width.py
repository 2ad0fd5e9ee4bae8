"""The main column's width on a phone, measured in the browser, so charts can lay out their words for it."""

from __future__ import annotations

import streamlit as st

from components.figure_layout import NARROW

# The main column's width, for laying charts out on a phone (components.figure_layout.fit_width): the browser measures
# it and reports it (0 when it is NARROW or wider, else rounded down to WIDTH_STEP px), and only when that changes,
# so a desktop never reruns for it and a phone reruns once a session, or when it turns. It reports only once the
# page has finished running and settled (Streamlit's script state on the app's root, twice in a row): a rerun asked
# for mid-run reset the sidebar's controls to their first options, as the browser had not yet taken in the values
# the run gave them (a phone draws its hidden sidebar last, and shows no status widget).
WIDTH_STEP = 20
_WIDTH_KEY = "_chart_width"
# Whether the page's script has finished and Streamlit shows no run in progress (a JS function for the reporters).
IDLE_JS = """
const idle = () => {
    const app = document.querySelector('[data-testid="stApp"]');
    const running = document.querySelector('[data-testid="stStatusWidget"]');
    return app?.dataset.testScriptState === "notRunning" && !running;
};
"""
_WIDTH_JS = (
    IDLE_JS
    + """
let sent = null;  // the last width reported: the run it causes still passes the width known before it
export default function (component) {
    const { setStateValue, data } = component;
    const main = document.querySelector('[data-testid="stMainBlockContainer"]');
    if (!main) return;
    let timer = null;
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
)
_width_reporter = st.components.v2.component("observatory_chart_width", js=_WIDTH_JS)


def measure_width() -> None:
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
