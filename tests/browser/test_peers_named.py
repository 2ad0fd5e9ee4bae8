"""Peers by name (issue 20): Kent's neighbours named on the page in Chromium."""

from __future__ import annotations

import pytest

from observatory_data.serving import tables
from observatory_data.serving.benchmarks import peer_codes
from observatory_data.serving.catalogue import PEER_COUNT
from tests.support.browser import add_to_multiselect, choose, open_page, wait_for_chart_title, wait_for_query

# In Chromium: Kent's neighbours on its benchmark.
KENT = "E10000016"


def _names(codes: list[str]) -> list[str]:
    names = dict(tables.read_table("services").select("service_code", "service_name").iter_rows())
    return [names[code] for code in codes]


def _figure_texts(page, index: int) -> list[str]:
    """The text of every annotation of the page's `index`th Plotly chart, as the figure holds it (the camera's PNG
    is drawn from the same figure)."""
    chart = page.locator(".js-plotly-plot").nth(index)
    return chart.evaluate("gd => (gd.layout.annotations || []).map(a => (a.text || '').replace(/<br>/g, ' '))")


@pytest.mark.browser
def test_kents_peers_are_named_on_its_chart_and_in_its_footer(browser_page, app_server: str) -> None:
    open_page(browser_page, f"{app_server}/benchmark?service={KENT}")
    wait_for_chart_title(browser_page, "Kent among English library services")
    strip = browser_page.locator(".js-plotly-plot").first
    drawn = strip.locator(".annotation-text").evaluate_all("nodes => nodes.map(n => n.textContent)")
    for role in ("highest", "lowest", "middle"):
        assert any(text.endswith(f"({role})") for text in drawn), (role, drawn)
    assert "Kent" in strip.locator(".textpoint").evaluate_all("nodes => nodes.map(n => n.textContent)")
    footer = " ".join(_figure_texts(browser_page, 0))
    neighbours = _names(peer_codes(tables.read_table("peers"), KENT, PEER_COUNT))
    assert [name for name in neighbours if name not in footer] == []
    assert "No countable value: " in footer  # five of Kent's fifteen sent no figure for 2025/26
    trend = " ".join(_figure_texts(browser_page, 1))
    assert "The median rests on the " in trend and "left out (not comparable in all three years)" in trend
    caption = browser_page.get_by_text("The comparison group, its 15 nearest neighbours (ONS), nearest first").first
    assert caption.inner_text().count(",") >= PEER_COUNT - 2


@pytest.mark.browser
def test_a_chosen_group_starts_from_the_neighbours_and_keeps_every_service_added(browser_page, app_server: str) -> None:
    """Replaces the test that added services to an empty chosen group: the group now starts from Kent's neighbours."""
    open_page(browser_page, f"{app_server}/benchmark?service={KENT}&compare=custom")
    wait_for_chart_title(browser_page, f"({PEER_COUNT} services, in a chosen group of {PEER_COUNT})")
    nearest = peer_codes(tables.read_table("peers"), KENT, PEER_COUNT)
    added = list(nearest)
    for name, code in (("Leicestershire", "E10000018"), ("Surrey", "E10000030"), ("Medway", "E06000035")):
        add_to_multiselect(browser_page, "Services to compare with", name)
        added.append(code)
        wait_for_query(browser_page, {"group": ",".join(added)})
        wait_for_chart_title(browser_page, f"({len(added)} services, in a chosen group of {len(added)})")


@pytest.mark.browser
def test_a_chosen_group_left_as_it_started_follows_the_next_service(browser_page, app_server: str) -> None:
    """Replaces the test whose chosen group emptied when its one member became the service."""
    open_page(browser_page, f"{app_server}/benchmark?service={KENT}&compare=custom")
    choose(browser_page, "Service (type to search)", "Essex")
    wait_for_query(browser_page, {"service": "E10000012", "group": None})
    wait_for_chart_title(browser_page, "Essex among English library services")
    wait_for_chart_title(browser_page, f"in a chosen group of {PEER_COUNT})")
