"""Map: every library service coloured by a metric, with place outlines, service points and exports."""

from functools import partial

import folium
import polars as pl
import streamlit as st
from streamlit_folium import st_folium

from app_pages._common import (
    briefing_switch,
    current_build,
    load,
    load_boundaries,
    metric_about,
    numbers_behind,
    show_chart,
    start_page,
)
from components.classes import Classes, classify
from components.exports import CAVEAT, caveat_column
from components.hexmap import hex_figure, hex_layout
from components.maps import open_points, place_outlines, service_at, service_map
from components.static_map import map_png
from observatory_data.assets import missing_files
from observatory_data.catalogue import DENOMINATORS, POPULATION_VINTAGE, ace_source, financial_year, years_with_data
from observatory_data.geography import service_centroids
from observatory_data.queries import aggregate, metrics_reported, service_rates

LAYERS = {
    "priority": "Priority Places outlines",
    "lucp": "Culture Places outlines",
    "branches": "Service points",
    "basemap": "Basemap (OpenStreetMap, needs the internet)",
}
DEFAULT_LAYERS = ("priority", "lucp")
VIEWS = {"map": "Map", "hex": "Equal-area hexagons"}


def _labels(metric: str, year: int, rates: pl.DataFrame) -> dict[str, str]:
    entry = load("metrics").filter(pl.col("metric") == metric).row(0, named=True)
    per = DENOMINATORS[entry["denominator"]]
    summary = aggregate(rates.filter(pl.col("nation") == "England"))
    span = financial_year(year)
    return {
        "title": f"{entry['label']} {per}, library services in England, {span}",
        "subtitle": f"{entry['label']} {per} ({POPULATION_VINTAGE}), by library service. ACE collects activity in "
        "England only: Wales, Northern Ireland and the Crown Dependencies are shown as not collected; Scotland is "
        "not covered",
        "unit": per,
        "unit_word": entry["unit"],
        "polarity": entry["polarity"],
        "coverage": f"England: {summary.reported} of {summary.of} services reported",
        "span": span,
        "source": ace_source(year),
    }


@st.cache_resource(show_spinner="Drawing the map…")
def cached_classes(metric: str, year: int, build: str) -> tuple[Classes, dict[str, str]]:
    rates = service_rates(load("annual"), load("services"), load("metrics"), metric, year)
    labels = _labels(metric, year, rates)
    return classify(rates, labels["polarity"]), labels


@st.cache_resource(show_spinner=False)
def cached_points(build: str) -> pl.DataFrame:
    return open_points(load("branches"))


def web_map(metric: str, year: int, layers: tuple[str, ...]) -> folium.Map:
    """Built afresh each run from cached parts: st_folium renames a map's elements in place, so one map
    object cannot be shown twice. Stable element ids make every rerun send the same script (no flicker)."""
    classes, labels = cached_classes(metric, year, current_build())
    return service_map(
        load_boundaries(),
        classes,
        title=labels["title"],
        unit=labels["unit"],
        coverage=labels["coverage"],
        outlines=place_outlines(load("services"), layers),
        points=cached_points(current_build()) if "branches" in layers else None,
        source=labels["source"],
        basemap="basemap" in layers,
    )


@st.cache_data(show_spinner="Drawing the PNG…", max_entries=8)
def cached_png(metric: str, year: int, build: str) -> bytes:
    """Made on the first click for a metric, then served from the cache."""
    classes, labels = cached_classes(metric, year, build)
    return map_png(
        load_boundaries(),
        classes,
        title=labels["title"],
        subtitle=labels["subtitle"],
        unit=labels["unit"],
        note=labels["coverage"]
        + ". "
        + labels["source"]
        + " Hatched grey: an English service with no countable return, or a rate that is not comparable; dotted: "
        "ACE does not collect activity outside England.",
    )


def numbers_table(classes: Classes, labels: dict[str, str], metric_label: str, selected: str) -> pl.DataFrame:
    """The numbers behind the map or the hexagons, as a person reads them."""
    return classes.frame.sort("service_name").select(
        pl.col("service_name").alias("Service"),
        pl.col("service_code").alias("Service code"),
        pl.col("nation").alias("Nation"),
        pl.col("value").alias(f"{metric_label} ({labels['unit_word']})"),
        pl.col("rate").round(1).alias(f"Rate {labels['unit']}"),
        pl.col("status").str.replace_all("_", " ").alias("Status"),
        (pl.col("class_index") + 1).alias("Map class (1 = lowest)"),
        (pl.col("service_code") == selected).alias("Selected service"),
        caveat_column(),
    )


@st.cache_resource(show_spinner=False)
def cached_hex_layout(build: str) -> pl.DataFrame:
    return hex_layout(service_centroids(load_boundaries()))


state = start_page("map")
metrics = load("metrics")
labels_by_id = dict(metrics.select("metric", "label").iter_rows())
annual = load("annual")
years = years_with_data(annual)
year = st.session_state[state.choice("year", years, years[-1], "year")]
metric_ids = metrics_reported(metrics, annual, year)
names = dict(load("services").select("service_code", "service_name").iter_rows())

with st.sidebar:
    metric = st.selectbox(
        "Metric", metric_ids, key=state.choice("metric", metric_ids, "loans", "metric"), format_func=labels_by_id.get
    )
    view = st.radio("View", list(VIEWS), key=state.choice("view", list(VIEWS), "map", "view"), format_func=VIEWS.get)
    layers_key = state.many("layers", list(LAYERS), DEFAULT_LAYERS, "map layers")
    if view == "map":
        st.pills(
            "Layers",
            list(LAYERS),
            selection_mode="multi",
            key=layers_key,
            format_func=LAYERS.get,
            persist_state="page",
        )
    layers = st.session_state[layers_key]
service_key = state.choice("service", ["", *names], "", "service")
briefing = briefing_switch(state)

classes, labels = cached_classes(metric, year, current_build())
entry = metrics.filter(pl.col("metric") == metric).row(0, named=True)
about = metric_about(entry, labels["title"], labels["span"], labels["source"], (CAVEAT,))
st.title("Map of library services")
st.caption(f"{labels['subtitle']}. {labels['coverage']}. {classes.note}")
selected_box = st.container()

if view == "map":
    missing = missing_files()
    if missing:
        st.error(
            "The map's Leaflet files are not installed (they are fetched at setup, never from a CDN). "
            "Run `make setup` or `python -m observatory_data.assets fetch`."
        )
        st.stop()
    clicked = st_folium(
        web_map(metric, year, tuple(layers)),
        key="service-map",
        height=640,
        use_container_width=True,
        returned_objects=["last_object_clicked"],
    )
    point = (clicked or {}).get("last_object_clicked") or {}
    click = (point["lat"], point["lng"]) if "lat" in point else None
    code = service_at(load_boundaries(), *click) if click else None
else:
    layout = cached_hex_layout(current_build())
    figure = hex_figure(
        layout,
        classes,
        title=labels["title"],
        subtitle=labels["subtitle"],
        unit=labels["unit"],
        source=labels["source"] + " Boundaries: ONS (OGL v3), contains OS data.",
        note=labels["coverage"] + ".",
    )
    event = show_chart(
        figure,
        numbers_table(classes, labels, labels_by_id[metric], st.session_state[service_key]),
        about,
        "hexmap",
        briefing,
        select=True,
    )
    points = event.selection.points if event else []
    click = tuple(points[0]["customdata"][:1]) if points else None
    code = click[0] if click else None

# A click counts once: the map and the chart keep reporting their last click on every run, and a link,
# Back or Forward must not be overridden by a click from before it.
clicks_key = state.key("last-click")
if state.navigated:
    st.session_state[clicks_key] = click
elif click != st.session_state.get(clicks_key):
    st.session_state[clicks_key] = click
    if code in names:
        st.session_state[service_key] = code
service = st.session_state[service_key]
state.write()

with selected_box:
    if service:
        st.page_link(
            "app_pages/service_benchmark.py",
            label=f"Selected: {names[service]}. Open its benchmark profile",
            icon=":material/balance:",
            query_params={"service": service},
        )
    else:
        st.caption("Click a service on the map to select it and open its benchmark profile.")

st.download_button(
    "Download map (PNG)",
    partial(cached_png, metric, year, current_build()),
    file_name=f"library-services-map-{metric}-{labels['span'].replace('/', '-')}.png",
    mime="image/png",
    on_click="ignore",
    icon=":material/download:",
)
if view == "map" and not briefing:
    numbers_behind(numbers_table(classes, labels, labels_by_id[metric], service), about, "map", what="map")
