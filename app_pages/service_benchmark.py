"""Service benchmark: an English service's rates against its nearest neighbours (or a group the user picks);
for a service outside England, its profile: what is known where ACE collects no activity."""

import polars as pl
import streamlit as st

from app_pages.kit.briefings import profile_briefing_button, service_briefing_button
from app_pages.kit.controls import briefing_switch, session_service, start_page, year_select
from app_pages.kit.first_paint import rest_after_first_paint
from app_pages.kit.loading import load, load_boundaries, per_build
from app_pages.kit.output import show_chart, show_table
from app_pages.kit.width import chart_width
from app_pages.registry import page_path
from components.benchmark import SHORT_HEADERS
from components.profile import locator_png, network_facts
from components.sections import benchmark_sections as sections
from components.sections.benchmark_charts import strip_section
from components.sections.benchmark_profile import PROMPT_CAPTION, Profile, facts_list, profile_section, prompt_words
from components.sections.benchmark_view import BenchmarkView, ViewKey, benchmark_view
from components.sections.chart_section import ChartSection
from observatory_data.serving.benchmarks import peer_codes
from observatory_data.serving.catalogue import ENGLAND, PEER_COUNT, PEER_COUNTS
from observatory_data.serving.rates import service_rates

TABLE_ROW = 66  # px: Streamlit wraps a cell's text only in rows taller than 64 px
COMPARE = {"peers": "ONS nearest neighbours", "custom": "A group I choose"}
# Cached per build from the visitor's choices, never from frames (hashing one costs as much as the work).


@per_build(resource=True, max_entries=2)
def cached_choices() -> sections.Choices:
    return sections.benchmark_choices(load("services"), load("annual"), load("metrics"))


@per_build(max_entries=512)  # a copy per call, as a chosen group starts from it in the session
def nearest(code: str | None, count: int = PEER_COUNT) -> list[str]:
    """Where a chosen group starts: the service's nearest neighbours (none before a service is chosen)."""
    return peer_codes(load("peers"), code, count) if code else []


@per_build(resource=True, max_entries=128)  # 27 metrics x 3 years, 179 services each (~80 KB)
def rates_in(metric: str, year: int) -> pl.DataFrame:
    return service_rates(load("annual"), load("services"), load("metrics"), metric, year)


@per_build(resource=True, max_entries=256)  # eight benchmarks, two tables and the years' figure (~150 KB)
def cached_view(key: ViewKey) -> BenchmarkView:
    return benchmark_view(load("annual"), load("services"), load("metrics"), key, cached_choices().names, rates_in)


@per_build(resource=True, max_entries=256)  # a figure of ~150 named dots and its table (~200 KB)
def cached_strip(key: ViewKey, width: int | None) -> ChartSection:
    view = cached_view(key)
    return strip_section(view.measured[key.metric], view.comparison, key.year, width=width)


@per_build(max_entries=256)
def network_words(service: str) -> str:
    return facts_list(network_facts(load("network"), load("services"), service, load("peers"), load("branches")))


@per_build(resource=True, max_entries=64)  # services outside England (about 30): facts, service points, a PNG
def cached_profile(service: str) -> tuple[Profile, bytes]:
    services = load("services")
    row = services.filter(pl.col("service_code") == service).row(0, named=True)
    profile = profile_section(row, services, load("branches"), load("network"), load("peers"))
    return profile, locator_png(load_boundaries(), service, profile.locator_title)


state = start_page("benchmark")
annual = load("annual")
choices = cached_choices()
names, codes = choices.names, list(choices.search)


def group_follows_service(code: str | None) -> None:
    """A chosen group the visitor has not changed follows the service: on a change of service it becomes the new
    service's nearest neighbours (an edited group is kept, as the visitor made it). A link's group is the link's."""
    key, seeded = state.key("group"), state.key("group_from")
    before = st.session_state.get(seeded, code)
    if not state.navigated and before != code and st.session_state.get(key) == nearest(before):
        st.session_state[key] = nearest(code)
    st.session_state[seeded] = code


def pick_service() -> None:
    """The main column's service search: the choice becomes the page's service (and the URL's, once written)."""
    st.session_state[state.key("service")] = st.session_state.pop("benchmark-find", None)


with st.sidebar:
    service = st.selectbox(
        "Service (type to search)", codes, index=None, format_func=choices.search.get, placeholder="Choose a service",
        key=state.choice("service", codes, None, "service"),  # no default: a link without a service asks for one
    )  # fmt: skip
    in_england = service is None or choices.nations[service] == ENGLAND
    if in_england:
        compare_key = state.choice(  # a link with a group compares with it
            "compare", list(COMPARE), "peers", "comparison group", implied="custom" if "group" in state.url else None
        )
        compare = st.radio("Compare with", list(COMPARE), key=compare_key, format_func=COMPARE.get)
        if compare == "peers":
            peers_key = state.choice("peers", PEER_COUNTS, PEER_COUNT, "number of peers")
            count = st.slider("Number of nearest neighbours", 5, 30, key=peers_key)
            group = nearest(service, count)
        else:
            others = [code for code in choices.english if code != service]
            group_follows_service(service)
            left_out = (f"Some services in the link's comparison group were not recognised, or are {names[service]} "
                        "itself, and are left out.") if service else None  # fmt: skip
            group = st.multiselect(
                "Services to compare with", others, format_func=names.get,
                key=state.many("group", others, nearest(service), label="comparison group", left_out=left_out),
                help=f"Starts from the service's {PEER_COUNT} nearest neighbours (ONS); add or remove any.",
            )  # fmt: skip
        metric_key = state.choice("metric", choices.metrics, "loans", "metric")
        metric = st.selectbox("Metric for the chart", choices.metrics, key=metric_key, format_func=choices.labels.get)
        year = year_select(state, annual, metric)
briefing = briefing_switch(state)
state.write()

if service is None:  # no service in the link: ask for it, never open on a service the visitor did not choose
    st.title("Service benchmark")
    st.markdown(prompt_words(year))
    st.selectbox(
        "Find your library service", codes, index=None, key="benchmark-find", format_func=choices.search.get,
        placeholder="Type a service's name, e.g. Kent", on_change=pick_service,
    )  # fmt: skip
    if yours := session_service():
        st.page_link(page_path("benchmark"), label=f"Your service: {names[yours]} — open its benchmark",
                     icon=":material/bookmark:", query_params={"service": yours})  # fmt: skip
    st.caption(PROMPT_CAPTION)
    st.stop()

session_service(service)

if not in_england:
    profile, locator = cached_profile(service)
    st.title(profile.title)
    st.info(profile.notice, icon=":material/info:")
    profile_briefing_button(service, names[service])
    facts_column, map_column = st.columns([3, 2])
    with facts_column:
        st.markdown(profile.facts)
        st.page_link(page_path("network"), label="The library network over time", icon=":material/hub:",
                     query_params={"area": service})  # fmt: skip
        if profile.nation_note:
            st.caption(profile.nation_note)
    map_column.image(locator, width="stretch")
    st.header("Service points")
    st.caption(profile.points_caption)
    if not profile.points.is_empty():
        show_table(profile.points)
    st.stop()

view_key = ViewKey(service, tuple(group), count if compare == "peers" else None, metric, year)
view = cached_view(view_key)
words = view.opening
st.title(words.title)
st.caption(words.caption)
if group and not briefing:
    service_briefing_button(view_key, names[service])
if words.caveat:
    st.info(words.caveat, icon=":material/info:")
if not group:
    st.info("Choose at least one service to compare with.")
    st.stop()

headline = view.headline
st.markdown(headline.sentences)
strip = cached_strip(view_key, chart_width())  # on a phone, fewer names fit on the strip (all are in the footer)
show_chart(strip.figure, strip.table, strip.about, "strip", briefing)
rest_after_first_paint()  # the sentences and where the service sits among its group first; every metric's row after
st.markdown("**Every headline metric against the comparison group**")
show_table(  # the metric's name wraps in a narrower column, so every column fits beside the sidebar at 1440 px
    headline.table,
    column_config={
        "Metric": st.column_config.TextColumn(width=230),
        **{long: st.column_config.TextColumn(short, help=long) for long, short in SHORT_HEADERS.items()},
    },
    row_height=TABLE_ROW,
    height=TABLE_ROW * headline.table.height + 40,  # every row and the header (about 36 px), without a scroll bar
)
st.caption(headline.note)
if headline.audit:
    st.markdown(headline.audit)

trend = view.trend
st.header(trend.heading)
st.markdown(trend.change)
show_chart(trend.chart.figure, trend.chart.table, trend.chart.about, "years", briefing)

with st.container():  # the network and what is missing stay in briefing mode: words, not a chart's table
    st.header("Library network")
    st.markdown(network_words(service))
    st.page_link(page_path("network"), label="Its library network since 2010", icon=":material/hub:",
                 query_params={"area": service})  # fmt: skip
    st.header("What is missing, and why")
    if view.missing.is_empty():
        st.success("Every metric has a countable value for this service.")
    else:
        show_table(view.missing)
