"""The app in AppTest as a visitor meets it: a page through app.py's navigation; what it shows, its notices."""

from __future__ import annotations

import json
from collections.abc import Iterator

from streamlit.testing.v1 import AppTest
from streamlit.testing.v1.element_tree import Block

from tests.support.pages import ROOT

NOTICE = "not recognised"  # the wording of app_pages.kit.url_state's notices


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


def open_expanders(app: AppTest, label: str) -> AppTest:
    """Opens every expander whose label holds `label` and reruns, as a reader's click does: a page sends the contents
    of such an expander only once it is open (app_pages.kit.output.opened).

    AppTest has no public way to open one, so the expander's widget state is set in the next run's states.
    """
    states = app._tree.get_widget_states()
    for expander in app.expander:
        if label in expander.label and expander.proto.id:
            state = states.widgets.add()
            state.id, state.bool_value = expander.proto.id, True
    return app._run(states)


def shown_strings(app: AppTest) -> Iterator[str]:
    """Every string the reader can see: text, labels, help, widget options, and the strings in chart specs."""
    for node in [*app.main, *app.sidebar]:
        if isinstance(node, Block):
            continue
        proto = node.proto
        if node.type == "plotly_chart":
            yield from json_strings(json.loads(proto.spec))
        for field in ("body", "label", "help", "placeholder", "value"):
            text = getattr(proto, field, None)
            if isinstance(text, str):
                yield text
        yield from (option for option in getattr(proto, "options", []) if isinstance(option, str))


def json_strings(value: object) -> Iterator[str]:
    """Every string in a JSON value, however deep (a chart's spec)."""
    if isinstance(value, str):
        yield value
    elif isinstance(value, dict):
        for item in value.values():
            yield from json_strings(item)
    elif isinstance(value, list):
        for item in value:
            yield from json_strings(item)


def notices(app: AppTest) -> list[str]:
    return [str(warning.value) for warning in app.warning if NOTICE in str(warning.value)]


def exceptions(app: AppTest) -> list[str]:
    return [f"{e.message}\n{''.join(e.stack_trace)}" for e in app.exception]
