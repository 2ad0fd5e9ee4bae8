"""Every page of app.py runs in Streamlit's AppTest with default state, with valid links and with junk in the URL."""

from __future__ import annotations

import json
from collections.abc import Iterator
from functools import cache

import pytest
from streamlit.testing.v1 import AppTest
from streamlit.testing.v1.element_tree import Block

from app_pages.url_state import url_text
from tests.app_pages import ROOT, app_pages, page_state_name, url_parameters

PAGES = [path for path, _ in app_pages()]
NOTICE = "not recognised"  # the wording of app_pages.url_state's notices
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


def run_page(page: str, params: dict[str, str]) -> AppTest:
    """The page as a visitor with this link meets it: through app.py's navigation."""
    app = AppTest.from_file(str(ROOT / "app.py"), default_timeout=30)
    app.run()  # register app.py's pages so switch_page resolves their url paths
    app.query_params.clear()
    for key, value in params.items():
        app.query_params[key] = value
    app.switch_page(page)
    app.run(timeout=30)
    return app


def shown_strings(app: AppTest) -> Iterator[str]:
    """Every string the reader can see: text, labels, help, widget options, and the strings in chart specs."""
    for node in [*app.main, *app.sidebar]:
        if isinstance(node, Block):
            continue
        proto = node.proto
        if node.type == "plotly_chart":
            yield from _json_strings(json.loads(proto.spec))
        for field in ("body", "label", "help", "placeholder", "value"):
            text = getattr(proto, field, None)
            if isinstance(text, str):
                yield text
        yield from (option for option in getattr(proto, "options", []) if isinstance(option, str))


def _json_strings(value: object) -> Iterator[str]:
    if isinstance(value, str):
        yield value
    elif isinstance(value, dict):
        for item in value.values():
            yield from _json_strings(item)
    elif isinstance(value, list):
        for item in value:
            yield from _json_strings(item)


@cache
def default_warnings(page: str) -> int:
    """Warnings the page shows without any link (data notices), so a junk link's notice can be told apart."""
    return len(run_page(page, {}).warning)


def notices(app: AppTest) -> list[str]:
    return [str(warning.value) for warning in app.warning if NOTICE in str(warning.value)]


def exceptions(app: AppTest) -> list[str]:
    return [f"{e.message}\n{''.join(e.stack_trace)}" for e in app.exception]


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
