"""The map page when the map's asset files are missing: it says how to fetch them."""

from __future__ import annotations

from observatory_data.serving import assets
from tests.support.pages import ROOT


def test_map_page_says_how_to_fetch_missing_assets(monkeypatch) -> None:
    from streamlit.testing.v1 import AppTest

    from observatory_data.serving.tables import read_table

    read_table("services")
    monkeypatch.setattr(assets, "missing_files", lambda: [assets.VENDOR_DIR / "leaflet" / "leaflet.js"])
    app = AppTest.from_file(str(ROOT / "app.py"), default_timeout=120)
    app.switch_page("app_pages/map.py")
    app.run()
    assert not app.exception
    assert any("python -m observatory_data.serving.assets fetch" in error.value for error in app.error)
