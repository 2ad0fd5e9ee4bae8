"""Map: every library service coloured by a metric, with place outlines, service points and exports."""

from functools import partial

import polars as pl
import streamlit as st
from streamlit_folium import st_folium

from components.briefing import SOURCE_ACE
from components.classes import classify
from components.hexmap import hex_figure, hex_layout
from components.maps import service_at, service_map
from components.static_map import map_png
from components.trends import DENOMINATOR_LABELS
from observatory_data.assets import missing_files
from observatory_data.boundaries import service_centroids
from observatory_data.queries import aggregate, service_rates
from pages._common import briefing_mode, load, load_boundaries, require_tables, set_url, show_chart, url_choice

YEAR = 2023
LAYERS = {"priority": "Priority Places outlines", "lucp": "Culture Places outlines", "branches": "Service points"}
VIEWS = {"map": "Map", "hex": "Equal-area hexagons"}


def _labels(metric: str) -> dict[str, str]:
    entry = load("metrics").filter(pl.col("metric") == metric).row(0, named=True)
    per = DENOMINATOR_LABELS[entry["denominator"]]
    rates = service_rates(load("annual"), load("services"), load("metrics"), metric, YEAR)
    summary = aggregate(rates.filter(pl.col("nation") == "England"))
    return {
        "title": f"{entry['label']} {per}, library services of the UK, 2023/24",
        "subtitle": f"{entry['label']} {per} (ONS mid-2024), by library service; "
        "ACE collects activity for England only",
        "unit": per,
        "polarity": entry["polarity"],
        "coverage": f"England: {summary.reported} of {summary.of} services reported",
    }


@st.cache_resource(show_spinner="Drawing the map…")
def cached_classes(metric: str):
    labels = _labels(metric)
    rates = service_rates(load("annual"), load("services"), load("metrics"), metric, YEAR)
    return classify(rates, labels["polarity"]), labels


@st.cache_resource(show_spinner=False)
def cached_points() -> pl.DataFrame:
    """Open service points with coordinates, their popup lines as plain text."""
    return (
        load("branches")
        .filter((pl.col("status") == "open") & pl.col("lat").is_not_null())
        .select(
            pl.col("lat").round(4),
            pl.col("lon").round(4),
            "name",
            statutory_text=pl.when(pl.col("statutory"))
            .then(pl.lit("Statutory"))
            .when(pl.col("statutory").not_())
            .then(pl.lit("Not statutory"))
            .otherwise(pl.lit("Statutory status unknown")),
            hours_text=pl.when(pl.col("staffed_hours_week").is_not_null())
            .then(pl.format("{} staffed h/week", pl.col("staffed_hours_week").round(1)))
            .otherwise(pl.lit("Hours unknown")),
        )
    )


def web_map(metric: str, layers: tuple[str, ...]):
    """Built afresh each run from cached parts: st_folium renames a map's elements in place, so one map
    object cannot be shown twice. Stable element ids make every rerun send the same script (no flicker)."""
    classes, labels = cached_classes(metric)
    services = load("services")
    outlines = {
        key: services.filter(pl.col(flag) == "yes")["service_code"].to_list()
        for key, flag in (("priority", "priority_place"), ("lucp", "lucp"))
        if key in layers
    }
    points = cached_points() if "branches" in layers else None
    return service_map(
        load_boundaries(),
        classes,
        title=labels["title"],
        unit=labels["unit"],
        coverage=labels["coverage"],
        outlines=outlines,
        points=points,
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
layers = ["priority", "lucp"] if raw_layers is None else [x for x in raw_layers.split(",") if x in LAYERS]
if raw_layers and len(layers) != len(raw_layers.split(",")):
    st.warning("Some map layers in the link were not recognised and are left out.", icon="⚠️")
service = url_choice("service", ["", *names], "", "service")
with st.sidebar:
    metric = st.selectbox("Metric", metric_ids, index=metric_ids.index(metric), format_func=labels_by_id.get)
    view = st.radio("View", list(VIEWS), index=list(VIEWS).index(view), format_func=VIEWS.get)
    layers = [key for key, label in LAYERS.items() if st.checkbox(label, value=key in layers, key=f"layer-{key}")]
set_url(metric=metric, view=view, layers=",".join(layers), service=service or None)

classes, labels = cached_classes(metric)
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
        web_map(metric, tuple(layers)),
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
        f"{labels_by_id[metric]} hex map 2023-24",
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

png = partial(
    map_png,
    load_boundaries(),
    classes,
    title=labels["title"],
    subtitle=labels["subtitle"],
    unit=labels["unit"],
    note=labels["coverage"] + ". Grey, hatched: no return or not comparable.",
)
st.download_button(
    "Download map (PNG)",
    png,
    file_name=f"library-services-map-{metric}-2023-24.png",
    mime="image/png",
    on_click="ignore",
    icon=":material/download:",
)
with st.expander("Numbers behind this map"):
    table = classes.frame.select("service_name", "nation", "value", "denominator", "rate", "status", "class_index")
    st.dataframe(table.sort("service_name"), hide_index=True, width="stretch")
