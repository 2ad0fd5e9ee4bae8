"""The Data page offers the whole dataset as one zip (the open data package), made only when the button is pressed."""

from __future__ import annotations

from tests.support.apptest import exceptions, run_page

DATA = "app_pages/data_methods.py"
LABEL = "The whole dataset: open data package (zip)"


def test_the_data_page_offers_the_open_data_package_made_on_click() -> None:
    app = run_page(DATA, {})
    assert not app.exception, exceptions(app)
    buttons = {button.proto.label: button.proto for button in app.get("download_button")}
    assert LABEL in buttons, list(buttons)
    package = buttons[LABEL]
    assert package.deferred_file_id and not package.url  # a callable: nothing made until the reader asks
    assert package.ignore_rerun  # pressing it does not rerun the page
