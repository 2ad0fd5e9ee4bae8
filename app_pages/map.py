"""Map: every library service coloured by a metric, with place outlines, service points and exports."""

from functools import partial

import streamlit as st

from app_pages.kit.controls import briefing_switch, session_service, start_page, year_select
from app_pages.kit.folium_map import show_map
from app_pages.kit.loading import load, load_boundaries
from app_pages.kit.map_views import (
    cached_choices,
    cached_classes,
    cached_hex_map,
    cached_numbers,
    cached_png,
    cached_selected_layer,
    cached_web_map,
    cached_years,
)
from app_pages.kit.output import numbers_behind, show_chart
from app_pages.kit.url_state import UrlState
from app_pages.registry import page_path
from components.sections import map_sections as sections
from components.web_map import service_at
from observatory_data.serving.assets import missing_files
from observatory_data.serving.periods import financial_year

MAP_KEY = "service-map"
VIEWS = {"map": "Map", "hex": "Equal-area hexagons"}
# On a phone a hexagon is about 10 px across, too small for any label: the labels give way (a tap names the service).
HEX_LABELS_ON_PHONES = "<style>@media (max-width: 640px) {.st-key-chart-hexmap .textpoint {display: none;}}</style>"
SHOW = {"rate": "Rate in one year", "change": "Change between two years"}


def year_pair(state: UrlState, years: list[int]) -> tuple[int, int]:
    """The change view's two years (URL `from` and `to`): the earliest and the latest with data by default."""
    chosen = []
    for name, label, default, words in (
        ("from", "From", years[0], "first year"),
        ("to", "To", years[-1], "second year"),
    ):
        key = state.choice(name, years, default, words)
        st.sidebar.selectbox(label, years, key=key, format_func=financial_year)
        chosen.append(st.session_state[key])
    return chosen[0], chosen[1]


def take_click(click: tuple | None, code: str | None) -> None:
    """A click selects the service under it, once: the map and the chart keep reporting their last click on every
    run, and a link, Back or Forward must not be overridden by a click from before it."""
    clicks_key = state.key("last-click")
    if state.navigated:
        st.session_state[clicks_key] = click
    elif click != st.session_state.get(clicks_key):
        st.session_state[clicks_key] = click
        if code in names:
            st.session_state[service_key] = code


state = start_page("map")
metric_ids, labels_by_id, names = cached_choices()
annual = load("annual")

with st.sidebar:
    metric = st.selectbox(
        "Metric", metric_ids, key=state.choice("metric", metric_ids, "loans", "metric"), format_func=labels_by_id.get
    )
    show = st.radio(
        "Show", list(SHOW), key=state.choice("show", list(SHOW), "rate", "what to show"), format_func=SHOW.get
    )
metric_years = cached_years(metric)
if not metric_years:
    years: tuple[int, ...] = ()
elif show == "change":
    years = year_pair(state, metric_years)
else:
    years = (year_select(state, annual, metric),)
with st.sidebar:
    view = st.radio("View", list(VIEWS), key=state.choice("view", list(VIEWS), "map", "view"), format_func=VIEWS.get)
    layers_key = state.many("layers", list(sections.LAYERS), sections.DEFAULT_LAYERS, "map layers")
    if view == "map":
        st.pills("Layers", list(sections.LAYERS), selection_mode="multi", key=layers_key,
                 format_func=sections.LAYERS.get, persist_state="page")  # fmt: skip
    layers = st.session_state[layers_key]
service_key = state.choice("service", ["", *names], "", "service")
briefing = briefing_switch(state)

st.title("Map of library services")
refused = sections.refusal(labels_by_id[metric], metric_years, years)
if refused:
    state.write()
    st.warning(refused, icon=":material/info:")
    st.stop()
classes, labels = cached_classes(metric, years)
st.caption(sections.map_caption(classes, labels))
selected_box = st.container()

if view == "map":
    if missing_files():
        st.error(sections.LEAFLET_MISSING)
        st.stop()
    # The click is read before the map is drawn (the map keeps its last report under MAP_KEY), so the service it
    # selects is highlighted in this run; the highlight goes as a layer apart, so the map keeps its zoom and pan.
    point = (st.session_state.get(MAP_KEY) or {}).get("last_object_clicked") or {}
    click = (point["lat"], point["lng"]) if "lat" in point else None
    take_click(click, service_at(load_boundaries(), *click) if click else None)
    chosen = st.session_state[service_key]
    show_map(
        cached_web_map(metric, years, tuple(layers), MAP_KEY),
        height=640,
        use_container_width=True,
        layers_script=cached_selected_layer(chosen, names[chosen]) if chosen else None,
    )
else:
    st.html(HEX_LABELS_ON_PHONES)
    numbers = cached_numbers(metric, years, st.session_state[service_key])
    event = show_chart(cached_hex_map(metric, years), numbers.table, numbers.about, "hexmap", briefing, select=True)
    points = event.selection.points if event else []
    click = tuple(points[0]["customdata"][:1]) if points else None
    take_click(click, click[0] if click else None)
service = st.session_state[service_key]
state.write()

with selected_box:
    # The keyboard's way to a service (and a search for everyone): the same choice as a click on the map.
    st.selectbox(
        "Find a service (type to search)",
        ["", *sorted(names, key=names.get)],
        key=service_key,
        format_func=lambda code: names.get(code, "Choose a service"),
    )
    if service:
        st.page_link(page_path("benchmark"), label=f"Selected: {names[service]}. Open its benchmark profile",
                     icon=":material/balance:", query_params={"service": service})  # fmt: skip
    else:
        st.caption("Click a service on the map, or find it above, to select it and open its benchmark profile.")
        if (yours := session_service()) in names:
            st.button(f"Show your service: {names[yours]}", icon=":material/my_location:",
                      on_click=lambda: st.session_state.update({service_key: yours}))  # fmt: skip

st.download_button(
    "Download map (PNG)",
    partial(cached_png, metric, years, sections.png_layers(layers), service),
    file_name=sections.png_file_name(labels),
    mime="image/png",
    on_click="ignore",
    icon=":material/download:",
)
if view == "map" and not briefing:
    numbers = cached_numbers(metric, years, service)
    numbers_behind(numbers.table, numbers.about, "map", what="map")
