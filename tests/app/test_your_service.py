"""The visitor's own service, remembered for the session, is offered on the map (AppTest)."""

from __future__ import annotations

from streamlit.testing.v1 import AppTest

from tests.support.apptest import exceptions
from tests.support.pages import ROOT

KENT = "E10000016"


def test_the_map_offers_your_service_and_selects_it() -> None:
    app = AppTest.from_file(str(ROOT / "app.py"), default_timeout=60)
    app.run()
    app.session_state["your_service"] = KENT  # as a benchmark opened earlier in the session leaves it
    app.switch_page("app_pages/map.py")
    app.run()
    assert not app.exception, exceptions(app)
    offer = next(button for button in app.button if button.label == "Show your service: Kent")
    offer.click()
    app.run()
    assert "Selected: Kent. Open its benchmark profile" in [link.label for link in app.get("page_link")]
    assert not [button for button in app.button if button.label.startswith("Show your service")]
