"""The web map's builders on a synthetic fixture (escaping, classes, the two kinds of missing, tooltips, layers,
small screens) and the asset fetcher (checksums, idempotence)."""

from __future__ import annotations

import base64
import hashlib
import io
import json
import re
import tarfile

import folium
import polars as pl
import pytest

from components.classes import NO_DATA, NO_DATA_LABEL, NOT_COLLECTED, NOT_COLLECTED_LABEL, SEQUENTIAL, classify
from components.map_controls import STYLE, legend_markup
from components.map_payload import pack_features, web_geometries
from components.web_map import SELECTED_STYLE, open_points, place_outlines, selected_layer, service_map
from observatory_data.serving import assets
from observatory_data.serving.errors import BuildError
from tests.support.maps import CODES, HOSTILE, fixture_map, fixture_map_data, fixture_service_map

ESCAPED = "&lt;img src=x onerror=alert(1)&gt;"


def test_names_from_data_reach_the_map_as_escaped_text_only() -> None:
    points = pl.DataFrame(
        {"lat": [52.05], "lon": [-1.95], "name": [HOSTILE], "statutory_text": ["Statutory"], "hours_text": ["40"]}
    )
    document = fixture_map(points)
    assert HOSTILE not in document
    assert "<img" not in document
    # Escaped for HTML by us, then written into the map's script as JSON (where & is written \u0026): the
    # tooltip's name and the title both decode to the escaped text, which the browser shows as text.
    names = [json.loads(f'"{raw}"') for raw in re.findall(r'"service_name": ?"([^"]*)"', document)]
    assert ESCAPED in names
    assert ESCAPED in document.replace("\\u0026", "&")


def test_map_loads_nothing_from_outside_the_app() -> None:
    document = fixture_map()
    sources = re.findall(r'<(?:script|link)[^>]+(?:src|href)="([^"]+)"', document)
    assert sources, "the map should load Leaflet from the app's static files"
    assert all(source.startswith("/app/static/vendor/") for source in sources), sources
    assert "tile.openstreetmap" not in document and "cdn" not in document.lower()


def test_basemap_tiles_come_only_when_asked_for() -> None:
    boundaries, rates = fixture_map_data()
    classes = classify(rates, "higher_is_better")
    common = {"title": "t", "unit": "u", "coverage": "c", "outlines": {}, "points": None}
    assert "openstreetmap" not in service_map(boundaries, classes, **common).get_root().render()
    with_tiles = service_map(boundaries, classes, **common, basemap=True).get_root().render()
    assert "tile.openstreetmap.org" in with_tiles


def test_missing_values_are_grey_never_a_class_colour_and_never_zero() -> None:
    _, rates = fixture_map_data()
    frame = classify(rates, "higher_is_better").frame
    missing = frame.filter(pl.col("service_code") == "E06000007").row(0, named=True)
    assert missing["colour"] == NO_DATA and missing["class_index"] is None
    assert missing["rate_text"] == "no countable value" and missing["value_text"] == "missing"
    assert missing["rate"] is None


def test_outside_england_is_not_collected_never_no_return() -> None:
    _, rates = fixture_map_data()
    classes = classify(rates, "higher_is_better")
    welsh = classes.frame.filter(pl.col("service_code") == "W06000001").row(0, named=True)
    assert welsh["colour"] == NOT_COLLECTED and welsh["class_index"] is None
    assert welsh["status_text"] == "not collected"
    assert len({NO_DATA, NOT_COLLECTED, *SEQUENTIAL}) == 7  # a look of its own
    assert classes.legend("per 1,000")[-2:] == [(NO_DATA, NO_DATA_LABEL), (NOT_COLLECTED, NOT_COLLECTED_LABEL)]


def test_a_rate_outside_england_neither_gets_a_class_nor_moves_the_breaks() -> None:
    _, rates = fixture_map_data()
    stray = rates.with_columns(rate=pl.when(pl.col("nation") == "Wales").then(700.0).otherwise(pl.col("rate")))
    classes = classify(stray, "higher_is_better")
    assert classes.breaks[-1] == 6.0
    assert classes.frame.filter(pl.col("service_code") == "W06000001")["colour"].item() == NOT_COLLECTED


def test_each_kind_of_missing_has_its_own_fill_on_the_web_map() -> None:
    web = fixture_service_map()
    layer = next(child for child in web._children.values() if getattr(child, "layer_name", "") == "Library services")
    styles = {
        feature["properties"]["service_code"]: layer.style_function(feature) for feature in layer.data["features"]
    }
    assert (styles["E06000007"]["fillColor"], styles["E06000007"]["className"]) == (NO_DATA, "texture-hatch")
    assert (styles["W06000001"]["fillColor"], styles["W06000001"]["className"]) == (NOT_COLLECTED, "texture-dots")
    assert (styles["E06000001"]["fillColor"], styles["E06000001"]["className"]) == (SEQUENTIAL[0], "")
    document = web.get_root().render()
    # The textures the class names point at are defined in the page, on the missing-data greys.
    for texture, colour in (("hatch", NO_DATA), ("dots", NOT_COLLECTED)):
        assert f"path.texture-{texture} {{fill: url(#texture-{texture});}}" in document
        assert re.search(f"<pattern id='texture-{texture}'[^>]*><rect [^>]*fill='{colour}'", document)
    markup = legend_markup(classify(fixture_map_data()[1], "higher_is_better"), "per 1,000", "note")
    for texture, label in (("hatch", NO_DATA_LABEL), ("dots", NOT_COLLECTED_LABEL)):
        assert re.search(rf"fill='url\(#texture-{texture}\)'[^<]*</svg>{re.escape(label)}<", markup)


def test_tooltips_are_lifted_over_the_controls() -> None:
    """Leaflet's control corners stack at 1000 over the map pane (400), which holds the tooltip pane: a tooltip can
    only draw over the legend once its pane is moved out of the map pane and stacked above 1000."""
    lifted = re.search(r"\.leaflet-container > \.leaflet-tooltip-pane \{z-index: (\d+);\}", STYLE)
    assert lifted and int(lifted.group(1)) > 1000
    assert "map.getContainer().appendChild(tooltips)" in fixture_map()


def test_small_screens_get_a_compact_legend_and_a_collapsed_layer_list() -> None:
    small = STYLE[STYLE.index("@media (max-width: 600px)") :]
    assert re.search(r"\.map-legend \.map-box \{[^}]*font-size: 10px;[^}]*max-width: 70vw;", small)
    document = fixture_map()
    assert "\"collapsed\": window.matchMedia('(max-width: 600px)').matches" in document
    # The legend is a <details>, open as sent and closed by the control's script on a small screen.
    assert "<details class='map-box' open><summary>Key" in _unescaped(document)
    assert 'window.matchMedia("(max-width: 600px)").matches' in document
    assert "part.removeAttribute('open')" in document


def _unescaped(document: str) -> str:
    """The markup the map's script writes into the page (Jinja's tojson writes <, >, ' and & as \\u escapes)."""
    for code, character in (("003c", "<"), ("003e", ">"), ("0027", "'"), ("0026", "&")):
        document = document.replace(f"\\u{code}", character)
    return document


def _selected_geojson(web: folium.Map) -> list[folium.GeoJson]:
    """The GeoJson layers drawn for the selected service (inside its feature group), halo first."""
    groups = [child for child in web._children.values() if getattr(child, "layer_name", "").startswith("Selected: ")]
    return [item for group in groups for item in group._children.values() if isinstance(item, folium.GeoJson)]


def test_the_selected_service_is_outlined_thick_and_named_in_the_map_html() -> None:
    assert _selected_geojson(fixture_service_map()) == []
    web = fixture_service_map(selected="E06000003")
    outline = _selected_geojson(web)[-1]
    assert [feature["properties"]["service_code"] for feature in outline.data["features"]] == ["E06000003"]
    style = outline.style_function(outline.data["features"][0])
    assert style == SELECTED_STYLE and style["weight"] >= 4 > 0.6  # thicker than every other service's edge
    document = web.get_root().render()
    assert '"color": "#000000"' in document and '"weight": 4' in document
    assert "<div class='selected-name'>E06000003</div>" in _unescaped(document)
    # Not interactive: a click goes through to the service's own polygon, which selects it.
    assert '"interactive": false' in document


def test_the_selected_layer_escapes_the_name_and_skips_an_unknown_code() -> None:
    boundaries, _ = fixture_map_data()
    geometries = web_geometries(boundaries)
    assert selected_layer(geometries, "E99999999", "Nowhere") is None
    layer = selected_layer(geometries, CODES[0], HOSTILE)
    document = folium.Map(tiles=None).add_child(layer).get_root().render()
    assert HOSTILE not in document and f"<div class='selected-name'>{ESCAPED}</div>" in _unescaped(document)


def test_five_quantile_classes_and_a_legend_that_names_them() -> None:
    rates = pl.DataFrame(
        {
            "service_code": [f"E0600{i:04d}" for i in range(20)],
            "service_name": [f"S{i}" for i in range(20)],
            "nation": ["England"] * 20,
            "value": [float(i) for i in range(20)],
            "status": ["reported"] * 20,
            "rate": [float(i) for i in range(20)],
            "caveat": pl.Series([None] * 20, dtype=pl.String),
        }
    )
    classes = classify(rates, "higher_is_better")
    assert classes.colours == SEQUENTIAL
    # 20 even values in 5 quantile classes: four services in each.
    assert _class_sizes(classes.frame) == [4, 4, 4, 4, 4]
    markup = legend_markup(classes, "per 1,000", "note")
    assert "quantiles" in markup and "per 1,000" in markup
    # Every service reported: no key for a kind of missing that nothing on the map shows.
    assert len(classes.legend("per 1,000")) == 5
    assert NO_DATA_LABEL not in markup and NOT_COLLECTED_LABEL not in markup
    with_outline = legend_markup(classes, "per 1,000", "note", ["lucp"])
    assert "Levelling Up for Culture Places (outline)" in with_outline and "dashed" in with_outline
    assert "Priority Places" not in with_outline


def _class_sizes(frame: pl.DataFrame) -> list[int]:
    return frame.group_by("class_index").len().drop_nulls().sort("class_index")["len"].to_list()


def test_lower_is_better_reverses_the_palette() -> None:
    _, rates = fixture_map_data()
    low_first = classify(rates, "lower_is_better").frame.filter(pl.col("service_code") == "E06000001")
    high_first = classify(rates, "higher_is_better").frame.filter(pl.col("service_code") == "E06000001")
    assert low_first["colour"].item() == SEQUENTIAL[-1] and high_first["colour"].item() == SEQUENTIAL[0]


def test_tooltip_gives_rate_count_and_rank_among_english_services_only() -> None:
    _, rates = fixture_map_data()
    frame = classify(rates, "higher_is_better").frame
    top = frame.filter(pl.col("service_code") == "E06000006").row(0, named=True)
    assert top["rate_text"] == "6.0" and top["value_text"] == "60"
    # The Welsh service has the highest rate of all but is not ranked with the English services.
    assert top["position_text"] == "1st highest of 6 English services with data"
    assert frame.filter(pl.col("service_code") == "W06000001")["position_text"].item() == "not ranked"


def test_place_outlines_take_only_services_flagged_yes() -> None:
    services = pl.DataFrame(
        {
            "service_code": ["A", "B", "C"],
            "priority_place": ["yes", "no", "unknown"],
            "lucp": ["no", "yes", "yes"],
        }
    )
    assert place_outlines(services, ["priority", "lucp"]) == {"priority": ["A"], "lucp": ["B", "C"]}
    assert place_outlines(services, ["branches"]) == {}


def test_service_points_are_open_located_and_described_in_plain_words() -> None:
    branches = pl.DataFrame(
        {
            "name": ["Open", "Closed", "Nowhere", "Unknown"],
            "status": ["open", "closed", "open", "open"],
            "lat": [52.123456, 52.0, None, 51.0],
            "lon": [-1.987654, -1.0, None, -1.0],
            "statutory": [True, True, False, None],
            "staffed_hours_week": [37.5, 10.0, 5.0, None],
        }
    )
    points = open_points(branches)
    assert points["name"].to_list() == ["Open", "Unknown"]
    assert points.row(0) == (52.1235, -1.9877, "Open", "Statutory", "37.5 staffed h/week")
    assert points.row(1)[3:] == ("Statutory status unknown", "Hours unknown")


def _tarball(files: dict[str, bytes]) -> bytes:
    buffer = io.BytesIO()
    with tarfile.open(fileobj=buffer, mode="w:gz") as archive:
        for name, data in files.items():
            info = tarfile.TarInfo(f"package/{name}")
            info.size = len(data)
            archive.addfile(info, io.BytesIO(data))
    return buffer.getvalue()


def _serve(monkeypatch, data: bytes) -> list[str]:
    """Answer every download with `data`; returns the list of URLs asked for."""
    asked: list[str] = []

    class Response(io.BytesIO):
        def __enter__(self):
            return self

        def __exit__(self, *_):
            return False

    def urlopen(url: str, timeout: float):
        asked.append(url)
        return Response(data)

    monkeypatch.setattr(assets.urllib.request, "urlopen", urlopen)
    return asked


def test_assets_are_checked_unpacked_and_fetched_only_once(monkeypatch, tmp_path) -> None:
    data = _tarball({"dist/thing.js": b"// js", "LICENSE": b"MIT", "dist/unused.js": b"no"})
    integrity = "sha512-" + base64.b64encode(hashlib.sha512(data).digest()).decode()
    package = assets.Package("thing", "1.0.0", integrity, ("dist/thing.js", "LICENSE"))
    monkeypatch.setattr(assets, "PACKAGES", (package,))
    asked = _serve(monkeypatch, data)
    assert assets.missing_files(tmp_path) == [tmp_path / "thing" / "thing.js", tmp_path / "thing" / "LICENSE"]
    assets.fetch(tmp_path)
    assert (tmp_path / "thing" / "thing.js").read_bytes() == b"// js"
    assert not (tmp_path / "thing" / "unused.js").exists()
    assert assets.missing_files(tmp_path) == []
    assert assets.fetch(tmp_path) == [] and len(asked) == 1  # nothing downloaded the second time


def test_a_tarball_that_fails_its_checksum_is_refused(monkeypatch, tmp_path) -> None:
    data = _tarball({"dist/thing.js": b"// tampered"})
    package = assets.Package("thing", "1.0.0", "sha512-" + "A" * 86 + "==", ("dist/thing.js",))
    monkeypatch.setattr(assets, "PACKAGES", (package,))
    _serve(monkeypatch, data)
    expected = re.escape("integrity mismatch for https://registry.npmjs.org/thing/-/thing-1.0.0.tgz")
    with pytest.raises(BuildError, match=expected):
        assets.fetch(tmp_path)
    assert not (tmp_path / "thing").exists()


def test_every_file_the_map_loads_is_one_the_fetcher_pins() -> None:
    from components.web_map import CLUSTER_CSS, CLUSTER_JS, LEAFLET_CSS, LEAFLET_JS

    served = {path for _, path in (*LEAFLET_JS, *LEAFLET_CSS, *CLUSTER_JS, *CLUSTER_CSS)}
    pinned = {
        f"/app/static/vendor/{package.name}/{member.removeprefix('dist/')}"
        for package in assets.PACKAGES
        for member in package.files
    }
    assert served <= pinned, served - pinned


def test_packed_features_rebuild_the_same_polygons() -> None:
    # A square with a hole and a two-part polygon: the browser's unpackFeatures sums the steps back up.
    square = [[[-1.0, 52.0], [-0.9, 52.0], [-0.9, 52.1], [-1.0, 52.1], [-1.0, 52.0]],
              [[-0.98, 52.02], [-0.96, 52.02], [-0.96, 52.04], [-0.98, 52.02]]]  # fmt: skip
    collection = {
        "type": "FeatureCollection",
        "features": [
            {"type": "Feature", "properties": {"service_code": "A"},
             "geometry": {"type": "Polygon", "coordinates": square}},
            {"type": "Feature", "properties": {"service_code": "B"},
             "geometry": {"type": "MultiPolygon", "coordinates": [square, [square[0]]]}},
        ],
    }  # fmt: skip
    packed = pack_features(collection)

    def unpack(steps: list[int]) -> list[list[float]]:
        points, x, y = [], 0, 0
        for dx, dy in zip(steps[::2], steps[1::2], strict=True):
            x, y = x + dx, y + dy
            points.append([x * packed["grid"], y * packed["grid"]])
        return points

    kind, rings = packed["features"][0][1]
    assert kind == "Polygon" and packed["features"][0][0] == {"service_code": "A"}
    for original, steps in zip(square, rings, strict=True):
        flat = [value for point in unpack(steps) for value in point]
        assert flat == pytest.approx([value for point in original for value in point], abs=1e-9)
    assert rings[0][:4] == [-5000, 260000, 500, 0]  # the first point on the grid, then a step east
    kind, polygons = packed["features"][1][1]
    assert kind == "MultiPolygon" and len(polygons) == 2 and polygons[1][0] == rings[0]
    with pytest.raises(ValueError, match="only polygons"):
        pack_features({"features": [{"properties": {}, "geometry": {"type": "Point", "coordinates": [0, 0]}}]})
