"""Issue 19, change you can quote: every view's change is on the services countable in every year it compares, says
how many and names its measure, in the words on the page and in its CSV. Each expected figure is computed here from
the annual table by hand, so a view that went back to an estimate-to-estimate change, a median of whoever reported,
or dropped its n, fails."""

from __future__ import annotations

import json
import re
import statistics
from collections.abc import Iterator

import polars as pl
import pytest

from app_pages.kit import output
from components.exports import About
from components.map_text import IN_TOTAL_COLUMN
from components.text import change_words
from observatory_data.serving.catalogue import CATALOGUE
from observatory_data.serving.change import rate_change
from observatory_data.serving.tables import read_table
from tests.support.apptest import exceptions, run_page
from tests.support.matched_change import COUNTED, by_hand, countable, english_codes, map_headline, up_or_down

MAP, PLACES = "app_pages/map.py", "app_pages/priority_places.py"
TRENDS, BENCHMARK = "app_pages/offer_trends.py", "app_pages/service_benchmark.py"
KENT = "E10000016"


@pytest.fixture(scope="module")
def tables() -> dict[str, pl.DataFrame]:
    return {name: read_table(name) for name in ("annual", "services", "metrics", "peers")}


def _chart_text(app, heading: str) -> str:
    """The words of the first chart whose spec holds `heading`, lines joined and markup dropped."""
    layouts = [
        json.dumps(json.loads(chart.proto.spec)["layout"], ensure_ascii=False) for chart in app.get("plotly_chart")
    ]
    texts = [re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", layout)) for layout in layouts]
    return next(text for text in texts if heading in text)


@pytest.fixture
def downloads(monkeypatch: pytest.MonkeyPatch) -> Iterator[list[tuple[pl.DataFrame, About]]]:
    """Every (table, About) a page hands to its CSV download, as the page wires them."""
    seen: list[tuple[pl.DataFrame, About]] = []
    original = output.numbers_behind

    def record(frame: pl.DataFrame, about: About, *args, **kwargs) -> None:
        seen.append((frame, about))
        return original(frame, about, *args, **kwargs)

    monkeypatch.setattr(output, "numbers_behind", record)
    yield seen


def test_map_change_view_headlines_the_matched_change_and_names_the_median(
    tables: dict[str, pl.DataFrame], downloads: list[tuple[pl.DataFrame, About]]
) -> None:
    app = run_page(MAP, {"show": "change", "metric": "loans", "from": "2023", "to": "2025", "view": "hex"})
    assert not app.exception, exceptions(app)
    caption = app.caption[0].value
    assert map_headline(tables) in caption
    # The median is named, with its n: the English services with a change and a comparable (uncaveated) rate.
    medians = re.findall(r"median of the services' own changes: (?:up|down) \d+\.\d% \((\d+) services\)", caption)
    changes = rate_change(tables["annual"], tables["services"], tables["metrics"], "loans", 2023, 2025)
    compared = changes.filter(
        pl.col("nation") == "England", pl.col("change").is_not_null(), pl.col("caveat").is_null()
    ).height
    assert medians == [str(compared)], caption
    assert not re.search(r"median change [+\-−]", caption)  # the old, unnamed figure
    frame, about = next((frame, about) for frame, about in downloads if IN_TOTAL_COLUMN[0] in frame.columns)
    assert map_headline(tables) in about.notes and "median of the services' own changes" in about.notes.lower()
    label = tables["metrics"].filter(pl.col("metric") == "loans")["label"].item()
    first, last = (f"{label} (loans), {year}" for year in ("2023/24", "2025/26"))
    assert {first, last, "Status, 2023/24", "Status, 2025/26", "Change in the rate (%)"} <= set(frame.columns)
    marked = frame.filter(pl.col(IN_TOTAL_COLUMN[0]))
    change, services = by_hand(tables, "loans", [2023, 2025], english_codes(tables["services"]))
    assert marked.height == services
    assert marked[last].sum() / marked[first].sum() - 1 == pytest.approx(change)  # the CSV reproduces the headline


def _panel(tables: dict[str, pl.DataFrame], years: list[int]) -> dict[str, tuple[int, int]]:
    """{group: (services countable in every year, services)} for any Priority Place and Neither (known), by hand."""
    values = countable(tables["annual"], "loans")
    services = [row for row in tables["services"].iter_rows(named=True) if row["nation"] == "England"]
    groups = {
        "group": [row for row in services if row["priority_place"] == "yes"],
        "rest": [row for row in services if row["priority_place"] == "no" and row["lucp"] == "no"],
    }
    return {
        name: (sum(all((row["service_code"], y) in values for y in years) and row["population"] > 0 for row in rows),
               len(rows))
        for name, rows in groups.items()
    }  # fmt: skip


def test_places_says_which_gap_is_a_years_level_and_which_its_change_on_the_same_services(
    tables: dict[str, pl.DataFrame], downloads: list[tuple[pl.DataFrame, About]]
) -> None:
    app = run_page(PLACES, {"metric": "loans", "year": "2025"})
    assert not app.exception, exceptions(app)
    bullets = [block.value for block in app.markdown if block.value.startswith("- Any Priority Place")]
    level = next(text for text in bullets if ", gap in 2025/26:" in text)
    (reported, size), (rest_reported, rest_size) = (_panel(tables, [2025])[name] for name in ("group", "rest"))
    assert (
        f"among the services countable in 2025/26 ({reported} of {size} in the group; {rest_reported} of {rest_size} "
        "in Neither (known))"
    ) in level
    over = next(text for text in bullets if "change of the gap on the same services" in text)
    (kept, size), (rest_kept, rest_size) = (_panel(tables, [2023, 2024, 2025])[name] for name in ("group", "rest"))
    assert (
        f"(the {kept} of {size} services in the group and {rest_kept} of {rest_size} in Neither (known) countable in "
        "every year from 2023/24 to 2025/26)"
    ) in over
    assert kept < reported  # fewer services than one year's: the reason the two gaps differ, said on the page
    captions = " ".join(caption.value for caption in app.caption)
    assert "read the gap in a year above, and how it changed here" in captions
    _, about = next((frame, about) for frame, about in downloads if "Group: services compared" in frame.columns)
    assert "same services in every year" in about.notes


def test_trends_name_the_total_of_the_matched_services_and_give_englands_headline(
    tables: dict[str, pl.DataFrame], downloads: list[tuple[pl.DataFrame, About]]
) -> None:
    app = run_page(TRENDS, {"offer": "reading", "metric": "loans", "year": "2025"})
    assert not app.exception, exceptions(app)
    english = english_codes(tables["services"])
    change, services = by_hand(tables, "loans", [2023, 2024, 2025], english)
    line = (
        f"England {up_or_down(change)} (the total of the {services} of {len(english)} services countable in all three "
        "years)"
    )
    headline = map_headline(tables).removeprefix("England: ")
    captions = " ".join(caption.value for caption in app.caption)
    assert f"Change from 2023/24 to 2025/26: {line}." in captions
    assert f"England's headline change: {headline}." in captions
    spec = _chart_text(app, "by year, 2023/24 to 2025/26")
    assert "the total of its services countable in all three years" in spec
    assert f"({services} of 153 services in England)" in spec
    _, about = next((frame, about) for frame, about in downloads if "Services counted" in frame.columns)
    assert line in about.notes and headline in about.notes


def test_benchmark_change_is_the_median_of_the_same_neighbours_every_year_with_its_n(
    tables: dict[str, pl.DataFrame], downloads: list[tuple[pl.DataFrame, About]]
) -> None:
    app = run_page(BENCHMARK, {"service": KENT, "metric": "loans", "year": "2025", "peers": "15"})
    assert not app.exception, exceptions(app)
    peers = tables["peers"].filter(pl.col("service_code") == KENT, pl.col("rank") <= 15)["peer_code"].to_list()
    population = dict(tables["services"].select("service_code", "population").iter_rows())
    comparable = {
        (row["service_code"], row["year"]): row["value"] / population[row["service_code"]] * 1000
        for row in tables["annual"].filter(pl.col("metric") == "loans").iter_rows(named=True)
        if row["status"] in COUNTED and row["value"] is not None and row["caveat"] is None
    }
    steady = [code for code in peers if all((code, year) in comparable for year in (2023, 2024, 2025))]
    medians = [statistics.median(comparable[code, year] for code in steady) for year in (2023, 2025)]
    half = (
        f"the median rate of the {len(steady)} neighbours comparable in all three years "
        f"{up_or_down(medians[1] / medians[0] - 1)}."
    )
    sentence = next(md.value for md in app.markdown if md.value.startswith("Loans") and "from 2023/24" in md.value)
    assert sentence.endswith(half) and "(its own rate)" in sentence
    spec = _chart_text(app, "by year, 2023/24 to 2025/26")
    assert f"the {len(steady)} of 15 neighbours comparable in all three years" in spec
    _, about = next((frame, about) for frame, about in downloads if "Members comparable that year" in frame.columns)
    assert half in about.notes and f"the {len(steady)} of 15 neighbours" in about.notes


def test_the_overview_headlines_englands_loans_change_on_the_same_services() -> None:
    # Computed here from the annual table: English services with a countable loans figure in 2023/24 and 2025/26.
    annual, services = read_table("annual"), read_table("services")
    english = services.filter(pl.col("nation") == "England")["service_code"]
    counted = annual.filter(
        pl.col("metric") == "loans",
        pl.col("status").is_in(["reported", "derived", "corrected"]),
        pl.col("service_code").is_in(english.implode()),
    )
    both = counted.filter(pl.col("year") == 2023).join(counted.filter(pl.col("year") == 2025), on="service_code")
    change = both["value_right"].sum() / both["value"].sum() - 1
    app = run_page("app_pages/home.py", {"year": "2025"})
    loans = next(metric for metric in app.metric if metric.label == CATALOGUE["loans"].label)
    assert loans.proto.delta == f"{change:+.1%} on 2023/24, same {both.height} services"
    texts = [block.value for block in app.markdown]
    assert any(f"{change_words(change)} from 2023/24 to 2025/26" in text and f"the {both.height} of " in text
               for text in texts)  # fmt: skip
