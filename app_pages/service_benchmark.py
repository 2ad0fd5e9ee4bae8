"""Service benchmark: an English service's rates against its nearest neighbours (or a group the user picks);
for a service outside England, its profile: what is known where ACE collects no activity."""

import polars as pl
import streamlit as st

from app_pages.kit.controls import briefing_switch, session_service, start_page, year_select
from app_pages.kit.loading import load, load_boundaries, per_build
from app_pages.kit.output import show_chart, show_table
from app_pages.kit.width import chart_width
from app_pages.registry import page_path
from components.benchmark import SHORT_HEADERS, missing_table
from components.profile import locator_png, network_facts
from components.sections import benchmark_sections as sections
from components.sections.benchmark_charts import strip_section, trend_section
from components.sections.benchmark_profile import PROMPT_CAPTION, facts_list, profile_section, prompt_words
from observatory_data.serving.benchmarks import peer_codes
from observatory_data.serving.catalogue import PEER_COUNT, PEER_COUNTS

TABLE_ROW = 66  # px: Streamlit wraps a cell's text only in rows taller than 64 px
COMPARE = {"peers": "ONS nearest neighbours", "custom": "A group I choose"}


@per_build(max_entries=64)
def cached_locator(service_code: str, title: str) -> bytes:
    return locator_png(load_boundaries(), service_code, title)


state = start_page("benchmark")
services, annual, metrics, peers = (load(n) for n in ("services", "annual", "metrics", "peers"))
choices = sections.benchmark_choices(services, annual, metrics)
names, codes = choices.names, list(choices.search)


def nearest(code: str | None) -> list[str]:
    """Where a chosen group starts: the service's nearest neighbours (none before a service is chosen)."""
    return peer_codes(peers, code, PEER_COUNT) if code else []


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
        "Service (type to search)",
        codes,
        index=None,
        key=state.choice("service", codes, None, "service"),  # no default: a link without a service asks for one
        format_func=choices.search.get,
        placeholder="Choose a service",
    )
    in_england = service is None or choices.nations[service] == "England"
    if in_england:
        compare_key = state.choice(  # a link with a group compares with it
            "compare", list(COMPARE), "peers", "comparison group", implied="custom" if "group" in state.url else None
        )
        compare = st.radio("Compare with", list(COMPARE), key=compare_key, format_func=COMPARE.get)
        if compare == "peers":
            peers_key = state.choice("peers", PEER_COUNTS, PEER_COUNT, "number of peers")
            count = st.slider("Number of nearest neighbours", 5, 30, key=peers_key)
            group = peer_codes(peers, service, count) if service else []
        else:
            others = [code for code in choices.english if code != service]
            group_follows_service(service)
            group = st.multiselect(
                "Services to compare with",
                others,
                key=state.many(
                    "group",
                    others,
                    nearest(service),
                    label="comparison group",
                    left_out=f"Some services in the link's comparison group were not recognised, or are "
                    f"{names[service]} itself, and are left out."
                    if service
                    else None,
                ),
                format_func=names.get,
                help=f"Starts from the service's {PEER_COUNT} nearest neighbours (ONS); add or remove any.",
            )
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
row = services.filter(pl.col("service_code") == service).row(0, named=True)

if not in_england:
    profile = profile_section(row, services, load("branches"), load("network"), peers)
    st.title(profile.title)
    st.info(profile.notice, icon=":material/info:")
    facts_column, map_column = st.columns([3, 2])
    with facts_column:
        st.markdown(profile.facts)
        st.page_link(page_path("network"), label="The library network over time", icon=":material/hub:",
                     query_params={"area": service})  # fmt: skip
        if profile.nation_note:
            st.caption(profile.nation_note)
    with map_column:
        st.image(cached_locator(service, profile.locator_title), width="stretch")
    st.header("Service points")
    st.caption(profile.points_caption)
    if not profile.points.is_empty():
        show_table(profile.points)
    st.stop()

if compare == "peers":
    comparison = sections.nearest_neighbours(service, names[service], group, count)
else:
    comparison = sections.chosen_group(service, names[service], group)
words = sections.opening(annual, comparison, year)
st.title(words.title)
st.caption(words.caption)
if words.caveat:
    st.info(words.caveat, icon=":material/info:")
if not group:
    st.info("Choose at least one service to compare with.")
    st.stop()

measured = sections.measure(annual, services, metrics, comparison, metric, year)
headline = sections.headline_section(measured, comparison, row["region"], names, year)
st.markdown(headline.sentences)
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

# On a phone, fewer names fit on the strip (all are in the footer).
strip = strip_section(measured[metric], comparison, year, width=chart_width())
show_chart(strip.figure, strip.table, strip.about, "strip", briefing)

trend = trend_section(annual, services, metrics, measured[metric].entry, comparison, year, names)
st.header(trend.heading)
st.markdown(trend.change)
show_chart(trend.chart.figure, trend.chart.table, trend.chart.about, "years", briefing)

with st.container():  # the network and what is missing stay in briefing mode: words, not a chart's table
    st.header("Library network")
    st.markdown(facts_list(network_facts(load("network"), services, service, peers, load("branches"))))
    st.page_link(page_path("network"), label="Its library network since 2010", icon=":material/hub:",
                 query_params={"area": service})  # fmt: skip
    st.header("What is missing, and why")
    missing = missing_table(annual, metrics, service, year)
    if missing.is_empty():
        st.success("Every metric has a countable value for this service.")
    else:
        show_table(missing)
