"""Every page runs in Streamlit's AppTest with default state, with valid links and with junk in the URL."""

from __future__ import annotations

import pytest
from streamlit.testing.v1 import AppTest

from observatory_data.tables import PreparedTablesMissing, read_table
from tests.app_pages import ROOT, app_pages

PAGES = [path for path, _ in app_pages()]
VALID = {
    "service": "E08000016",
    "metric": "visits",
    "year": "2023",
    "offer": "culture",
    "region": "London",
    "compare": "custom",
    "group": "E08000019,E08000036",
    "peers": "10",
    "measure": "index",
    "layers": "priority,branches",
    "briefing": "1",
}
JUNK = {
    "service": "<script>alert(1)</script>",
    "metric": "nope",
    "year": "1800",
    "offer": "../../x",
    "region": "<b>Atlantis</b>",
    "compare": "everyone",
    "group": "<img src=x onerror=alert(1)>",
    "peers": "-3",
    "measure": "%00",
    "layers": "junk",
    "view": "<svg>",
}


@pytest.fixture(scope="module", autouse=True)
def prepared_tables() -> None:
    try:
        read_table("services")
    except PreparedTablesMissing as exc:
        pytest.skip(str(exc))


def _run(page: str, params: dict[str, str]) -> AppTest:
    app = AppTest.from_file(str(ROOT / "app.py"), default_timeout=60)
    for key, value in params.items():
        app.query_params[key] = value
    app.switch_page(page)
    app.run()
    return app


def _texts(app: AppTest) -> list[str]:
    elements = [*app.markdown, *app.caption, *app.title, *app.header, *app.subheader, *app.warning, *app.info]
    return [str(element.value) for element in elements]


@pytest.mark.parametrize("page", PAGES)
def test_page_runs_with_default_state(page: str) -> None:
    app = _run(page, {})
    assert not app.exception, [e.message for e in app.exception]
    assert app.title, f"{page} shows no title"


@pytest.mark.parametrize("page", PAGES)
def test_page_runs_with_every_parameter_valid(page: str) -> None:
    app = _run(page, VALID)
    assert not app.exception, [e.message for e in app.exception]


@pytest.mark.parametrize("page", PAGES)
def test_page_runs_with_junk_parameters_and_never_echoes_them(page: str) -> None:
    app = _run(page, JUNK)
    assert not app.exception, [e.message for e in app.exception]
    for text in _texts(app):
        for value in JUNK.values():
            assert value not in text, f"{page} echoes {value!r}"


@pytest.mark.parametrize("name", ["service", "metric", "year", "offer"])
def test_each_junk_parameter_gets_a_notice_where_it_is_used(name: str) -> None:
    page = {"offer": "pages/offer_trends.py"}.get(name, "pages/service_benchmark.py")
    app = _run(page, {name: JUNK[name]})
    assert not app.exception
    assert any("was not recognised" in str(w.value) for w in app.warning), f"no notice for {name}"
