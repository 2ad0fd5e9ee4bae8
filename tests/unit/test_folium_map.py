"""The page kit's folium map sends the browser exactly what st_folium sends: the same strings, defaults, links and
component key (so a cached map keeps the reader's zoom and pan), from a map rendered once."""

from __future__ import annotations

import polars as pl
import pytest
import streamlit_folium
from streamlit_folium import st_folium

from app_pages.kit.folium_map import layer_script, render_map, show_map
from components.map_payload import web_geometries
from components.web_map import selected_layer
from tests.support.maps import CODES, HOSTILE, fixture_map_data, fixture_service_map

POINTS = pl.DataFrame(
    {"lat": [52.05], "lon": [-1.95], "name": ["A <b>library</b>"], "statutory_text": ["Statutory"],
     "hours_text": ["Hours unknown"]}
)  # fmt: skip
OPTIONS = {"height": 640, "use_container_width": True, "returned_objects": ["last_object_clicked"]}


def _sent(monkeypatch: pytest.MonkeyPatch, show) -> dict:
    calls: list[dict] = []
    monkeypatch.setattr(streamlit_folium, "_component_func", lambda **kwargs: calls.append(kwargs))
    show()
    (sent,) = calls
    return {name: value for name, value in sent.items() if name != "on_change"}


@pytest.mark.parametrize("selected", ["", CODES[0]])
@pytest.mark.parametrize("points", [None, POINTS])
def test_a_map_rendered_once_is_sent_as_st_folium_sends_it(monkeypatch, selected, points) -> None:
    geometries = web_geometries(fixture_map_data()[0])

    def layer():
        return selected_layer(geometries, selected, HOSTILE) if selected else None

    expected = _sent(
        monkeypatch,
        lambda: st_folium(fixture_service_map(points), key="service-map", feature_group_to_add=layer(), **OPTIONS),
    )
    rendered = render_map(fixture_service_map(points), "service-map", OPTIONS["returned_objects"])
    script = layer_script(layer()) if selected else None
    for _ in range(2):  # the rendered map is not used up: a rerun sends it again
        sent = _sent(
            monkeypatch, lambda: show_map(rendered, height=640, use_container_width=True, layers_script=script)
        )
        assert sent == expected
    assert expected["feature_group"] is None or "selected-name" in expected["feature_group"]


def test_every_report_and_the_bounds_when_all_are_returned(monkeypatch) -> None:
    expected = _sent(monkeypatch, lambda: st_folium(fixture_service_map(), key="k", returned_objects=None))
    rendered = render_map(fixture_service_map(), "k")
    assert _sent(monkeypatch, lambda: show_map(rendered)) == expected
    assert expected["default"]["bounds"]["_southWest"]["lat"] == 52


def test_a_change_on_the_map_lands_under_the_page_key(monkeypatch) -> None:
    import streamlit as st

    calls: list[dict] = []
    monkeypatch.setattr(streamlit_folium, "_component_func", lambda **kwargs: calls.append(kwargs))
    rendered = render_map(fixture_service_map(), "service-map", OPTIONS["returned_objects"])
    changes = []
    show_map(rendered, on_change=lambda: changes.append(1))
    state = {rendered.component_key: {"last_object_clicked": {"lat": 52.05, "lng": -1.95}}}
    monkeypatch.setattr(st, "session_state", state)
    calls[0]["on_change"]()
    assert state["service-map"] == {"last_object_clicked": {"lat": 52.05, "lng": -1.95}} and changes == [1]
