"""Every page of app.py runs in Streamlit's AppTest with default state, with valid links and with junk in the URL."""

from __future__ import annotations

import json
from functools import cache

import pytest
from streamlit.testing.v1 import AppTest

from app_pages.kit.url_state import url_text
from observatory_data.serving import tables
from observatory_data.serving.benchmarks import peer_codes
from observatory_data.serving.catalogue import PEER_COUNT
from tests.support.apptest import exceptions, json_strings, notices, run_page, shown_strings
from tests.support.pages import app_pages, page_state_name, url_parameters

PAGES = [path for path, _ in app_pages()]
# Valid links, each with values that differ from the page's defaults, so that taking effect can be seen.
VALID = [
    {"service": "E08000016"},  # Barnsley
    {"metric": "visits"},
    {"year": "2023"},
    {"offer": "health"},
    {"region": "London"},
    {"service": "E08000016", "compare": "custom", "group": "E08000019,E08000036"},  # Sheffield, Wakefield
    {"service": "E08000016", "peers": "10"},
    {"measure": "index"},
    {"layers": "priority,branches"},
    {"layers": "none"},
    {"view": "hex"},
    {"briefing": "1"},
]
JUNK = [
    ("service", "<script>alert(1)</script>"),
    ("metric", "nope"),
    ("year", "1800"),
    ("offer", "../../x"),
    ("region", "<b>Atlantis</b>"),
    ("compare", "everyone"),
    ("group", "junk"),
    ("group", "<img src=x onerror=alert(1)>"),
    ("peers", "minus3"),
    ("measure", "%00"),
    ("layers", "junk"),
    ("view", "<svg onload=alert(1)>"),
    ("briefing", "<b>on</b>"),
]


@cache
def default_warnings(page: str) -> int:
    """Warnings the page shows without any link (data notices), so a junk link's notice can be told apart."""
    return len(run_page(page, {}).warning)


@pytest.mark.parametrize("page", PAGES)
def test_page_runs_with_default_state(page: str) -> None:
    app = run_page(page, {})
    assert not app.exception, exceptions(app)
    assert app.title, f"{page} shows no title"
    assert not notices(app), f"{page} complains about a link it was not given"


def test_pages_are_reached_through_the_navigation() -> None:
    """A switch that silently fell back to the default page would test the overview six times."""
    titles = {page: run_page(page, {}).title[0].value for page in PAGES}
    assert len(set(titles.values())) == len(PAGES), titles


def control_values(app: AppTest, page: str, names: set[str]) -> dict[str, str]:
    """The page's controls as the URL would spell them, read from their widget keys."""
    prefix = page_state_name(page)
    values = {}
    for name in names:
        key = f"{prefix}:{name}"
        if key in app.session_state:
            value = app.session_state[key]
            values[name] = (",".join(value) or "none") if isinstance(value, list) else url_text(value)
    return values


# Only the pairs where the page reads the parameter: each run then has something to prove. Every page meets
# every junk parameter at once in the last test, which is where "must not break" is checked.
VALID_RUNS = [(page, link) for page in PAGES for link in VALID if url_parameters(page) & set(link)]
JUNK_RUNS = [(page, name, value) for page in PAGES for name, value in JUNK if name in url_parameters(page)]


@pytest.mark.parametrize(
    ("page", "link"),
    VALID_RUNS,
    ids=[f"{page}?{'&'.join(f'{k}={v}' for k, v in link.items())}" for page, link in VALID_RUNS],
)
def test_page_takes_a_valid_link(page: str, link: dict[str, str]) -> None:
    app = run_page(page, link)
    assert not app.exception, exceptions(app)
    assert not notices(app), f"{page} rejects the valid {link}: {notices(app)}"
    read = url_parameters(page) & set(link)
    taken = control_values(app, page, read)
    assert taken == {name: link[name] for name in read}, f"{page} did not take {link}: its controls hold {taken}"


@pytest.mark.parametrize(("page", "name", "value"), JUNK_RUNS, ids=[f"{p}?{n}={v}" for p, n, v in JUNK_RUNS])
def test_page_answers_junk_in_a_link_with_a_notice_and_never_echoes_it(page: str, name: str, value: str) -> None:
    app = run_page(page, {name: value})
    assert not app.exception, exceptions(app)
    echoed = [text for text in shown_strings(app) if value in text]
    assert not echoed, f"{page} echoes {name}={value!r} in {echoed}"
    assert len(app.warning) > default_warnings(page), f"{page} reads {name} but gives no notice for {value!r}"


@pytest.mark.parametrize("page", PAGES)
def test_page_survives_every_junk_parameter_at_once(page: str) -> None:
    app = run_page(page, dict(JUNK))
    assert not app.exception, exceptions(app)
    assert not [text for text in shown_strings(app) if "<script" in text or "<img" in text or "<svg" in text]


# Issue 20: a head of service finds their service from anywhere, and a chosen group starts from the neighbours.
BENCHMARK = "app_pages/service_benchmark.py"
KENT = "E10000016"


def _group(app: AppTest) -> list[str]:
    return next(box.value for box in app.multiselect if box.label == "Services to compare with")


def _strip_subtitle(app: AppTest) -> str:
    return " ".join(json_strings(json.loads(app.get("plotly_chart")[0].proto.spec)["layout"]["annotations"]))


def test_benchmark_without_a_service_asks_for_one_instead_of_an_empty_profile() -> None:
    app = run_page(BENCHMARK, {})
    assert not app.exception, exceptions(app)
    assert app.title[0].value == "Service benchmark"
    find = next(box for box in app.selectbox if box.label == "Find your library service")
    assert find.value is None and not app.get("plotly_chart")
    assert not [text for text in shown_strings(app) if "Not ranked" in text or "no return" in text]
    find.select(KENT).run()
    assert not app.exception, exceptions(app)
    assert app.title[0].value == "Kent: benchmark" and app.query_params["service"] == KENT


def test_the_overview_search_opens_the_benchmark_and_remembers_the_service() -> None:
    app = run_page("app_pages/home.py", {})
    assert not [link for link in app.get("page_link") if "Your service" in link.proto.label]
    next(box for box in app.selectbox if box.label == "Find your library service").select(KENT).run()
    assert not app.exception, exceptions(app)
    assert app.title[0].value == "Kent: benchmark" and app.query_params["service"] == KENT
    app.switch_page("app_pages/home.py").run()
    links = [link.proto for link in app.get("page_link") if "Your service" in link.proto.label]
    assert [link.label for link in links] == ["Your service: Kent — open its benchmark"]
    assert links[0].query_string == f"service={KENT}"


def test_a_chosen_group_starts_from_the_nearest_neighbours() -> None:
    nearest = peer_codes(tables.read_table("peers"), KENT, PEER_COUNT)
    app = run_page(BENCHMARK, {"service": KENT, "compare": "custom"})
    assert not app.exception, exceptions(app)
    assert _group(app) == nearest and len(nearest) == PEER_COUNT
    assert f"in a chosen group of {PEER_COUNT}" in _strip_subtitle(app)
    assert "chosen group of 0" not in " ".join(shown_strings(app))
    assert "group" not in app.query_params  # the starting group is the default: the link leaves it out


def test_a_chosen_group_left_as_it_started_follows_the_service_and_an_edited_one_stays() -> None:
    peers = tables.read_table("peers")
    app = run_page(BENCHMARK, {"service": KENT, "compare": "custom"})
    essex = "E10000012"
    next(box for box in app.sidebar.selectbox if box.label == "Service (type to search)").select(essex).run()
    assert _group(app) == peer_codes(peers, essex, PEER_COUNT)
    edited = _group(app)[:3]  # Essex's three nearest: Kent first
    assert KENT in edited
    next(box for box in app.multiselect if box.label == "Services to compare with").set_value(edited).run()
    next(box for box in app.sidebar.selectbox if box.label == "Service (type to search)").select(KENT).run()
    assert not app.exception, exceptions(app)
    assert _group(app) == [code for code in edited if code != KENT]  # as the visitor made it, less the service
