"""Map: every library service coloured by a metric, with place outlines, service points and exports."""

from functools import partial

import folium
import polars as pl
import streamlit as st
from streamlit_folium import st_folium

from components.briefing import SOURCE_ACE
from components.classes import Classes, classify
from components.hexmap import hex_figure, hex_layout
from components.maps import open_points, place_outlines, service_at, service_map
from components.static_map import map_png
from components.trends import DENOMINATOR_LABELS
from observatory_data.assets import missing_files
from observatory_data.boundaries import service_centroids
from observatory_data.queries import aggregate, service_rates
from pages._common import briefing_mode, load, load_boundaries, require_tables, set_url, show_chart, url_choice

YEAR = 2023
LAYERS = {
    "priority": "Priority Places outlines",
    "lucp": "Culture Places outlines",
    "branches": "Service points",
    "basemap": "Basemap (OpenStreetMap, needs the internet)",
}
VIEWS = {"map": "Map", "hex": "Equal-area hexagons"}


def _labels(metric: str, year: int, rates: pl.DataFrame) -> dict[str, str]:
    entry = load("metrics").filter(pl.col("metric") == metric).row(0, named=True)
    per = DENOMINATOR_LABELS[entry["denominator"]]
    summary = aggregate(rates.filter(pl.col("nation") == "England"))
    span = f"{year}/{(year + 1) % 100:02d}"
    return {
        "title": f"{entry['label']} {per}, library services of the UK, {span}",
        "subtitle": f"{entry['label']} {per} (ONS mid-2024), by library service; "
        "ACE collects activity for England only",
        "unit": per,
        "polarity": entry["polarity"],
        "coverage": f"England: {summary.reported} of {summary.of} services reported",
        "span": span,
    }


@st.cache_resource(show_spinner="Drawing the map…")
def cached_classes(metric: str, year: int) -> tuple[Classes, dict[str, str]]:
    rates = service_rates(load("annual"), load("services"), load("metrics"), metric, year)
    labels = _labels(metric, year, rates)
    return classify(rates, labels["polarity"]), labels


@st.cache_resource(show_spinner=False)
def cached_points() -> pl.DataFrame:
    return open_points(load("branches"))


def web_map(metric: str, year: int, layers: tuple[str, ...]) -> folium.Map:
    """Built afresh each run from cached parts: st_folium renames a map's elements in place, so one map
    object cannot be shown twice. Stable element ids make every rerun send the same script (no flicker)."""
    classes, labels = cached_classes(metric, year)
    return service_map(
        load_boundaries(),
        classes,
        title=labels["title"],
        unit=labels["unit"],
        coverage=labels["coverage"],
        outlines=place_outlines(load("services"), layers),
        points=cached_points() if "branches" in layers else None,
        basemap="basemap" in layers,
    )


@st.cache_data(show_spinner="Drawing the PNG…", max_entries=8)
def cached_png(metric: str, year: int) -> bytes:
    """Made on the first click for a metric, then served from the cache."""
    classes, labels = cached_classes(metric, year)
    return map_png(
        load_boundaries(),
        classes,
        title=labels["title"],
        subtitle=labels["subtitle"],
        unit=labels["unit"],
        note=labels["coverage"] + ". Grey, hatched: no return or not comparable.",
    )


@st.cache_resource(show_spinner=False)
def cached_hex_layout() -> pl.DataFrame:
    return hex_layout(service_centroids(load_boundaries()))


require_tables()
briefing_mode()
metrics = load("metrics")
labels_by_id = dict(metrics.select("metric", "label").iter_rows())
metric_ids = [m for m in labels_by_id if m in set(load("annual").filter(pl.col("year") == YEAR)["metric"])]
names = dict(load("services").select("service_code", "service_name").iter_rows())

metric = url_choice("metric", metric_ids, "loans", "metric")
view = url_choice("view", list(VIEWS), "map", "view")
raw_layers = st.query_params.get("layers")
# "none" keeps an all-off choice in the link (an empty value would fall back to the default layers).
asked_layers = [] if raw_layers in (None, "none") else raw_layers.split(",")
layers = ["priority", "lucp"] if raw_layers is None else [x for x in asked_layers if x in LAYERS]
if raw_layers is not None and len(layers) != len(asked_layers):
    st.warning("Some map layers in the link were not recognised and are left out.", icon="⚠️")
service = url_choice("service", ["", *names], "", "service")
with st.sidebar:
    metric = st.selectbox("Metric", metric_ids, index=metric_ids.index(metric), format_func=labels_by_id.get)
    view = st.radio("View", list(VIEWS), index=list(VIEWS).index(view), format_func=VIEWS.get)
    layers = [key for key, label in LAYERS.items() if st.checkbox(label, value=key in layers, key=f"layer-{key}")]
set_url(metric=metric, view=view, layers=",".join(layers) or "none", service=service or None)

classes, labels = cached_classes(metric, YEAR)
st.title("Map of library services")
st.caption(f"{labels['subtitle']}. {labels['coverage']}. Grey: no return, not comparable or not collected.")

if view == "map":
    missing = missing_files()
    if missing:
        st.error(
            "The map's Leaflet files are not installed (they are fetched at setup, never from a CDN). "
            "Run `make setup` or `python -m observatory_data.assets fetch`."
        )
        st.stop()
    clicked = st_folium(
        web_map(metric, YEAR, tuple(layers)),
        key="service-map",
        height=720,
        use_container_width=True,
        returned_objects=["last_object_clicked"],
    )
    point = (clicked or {}).get("last_object_clicked") or {}
    code = service_at(load_boundaries(), point["lat"], point["lng"]) if "lat" in point else None
    if code in names and code != service:
        service = code
        set_url(service=code)
else:
    layout = cached_hex_layout()
    figure = hex_figure(
        layout,
        classes,
        title=labels["title"],
        subtitle=labels["subtitle"],
        unit=labels["unit"],
        source=SOURCE_ACE + " Boundaries: ONS (OGL v3), contains OS data.",
        note=labels["coverage"] + ".",
    )
    show_chart(
        figure,
        layout.join(classes.frame.select("service_code", "service_name", "rate", "status"), on="service_code"),
        f"{labels_by_id[metric]} hex map {labels['span']}",
        "hexmap",
    )

if service:
    st.markdown(f"**Selected:** {names[service]}")
    st.page_link(
        "pages/service_benchmark.py",
        label=f"Open the benchmark profile of {names[service]}",
        icon=":material/balance:",
        query_params={"service": service, "metric": metric},
    )
else:
    st.caption("Click a service on the map to select it and open its benchmark profile.")

st.download_button(
    "Download map (PNG)",
    partial(cached_png, metric, YEAR),
    file_name=f"library-services-map-{metric}-{labels['span'].replace('/', '-')}.png",
    mime="image/png",
    on_click="ignore",
    icon=":material/download:",
)
with st.expander("Numbers behind this map"):
    table = classes.frame.select("service_name", "nation", "value", "denominator", "rate", "status", "class_index")
    st.dataframe(table.sort("service_name"), hide_index=True, width="stretch")
