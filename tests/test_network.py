"""The library network: the definitions on tiny fixtures, then counts read by hand from the real sources."""

from __future__ import annotations

import polars as pl
import pytest

from observatory_data.build.network import open_counts
from observatory_data.tables import read_table

HARTLEPOOL, DARLINGTON, CARDIFF = "E06000001", "E06000005", "W06000015"


def points(rows: list[tuple[int | None, int | None]]) -> pl.DataFrame:
    return pl.DataFrame(
        [{"service_code": "S", "year_opened": opened, "year_closed": closed} for opened, closed in rows],
        schema={"service_code": pl.String, "year_opened": pl.Int64, "year_closed": pl.Int64},
    )


def by_year(frame: pl.DataFrame) -> dict[int, tuple[int, int, int]]:
    return {r["year"]: (r["libraries_open"], r["openings"], r["closures"]) for r in frame.iter_rows(named=True)}


def test_opened_and_closed_in_the_same_year_is_not_open_at_its_end() -> None:
    assert by_year(open_counts(points([(2012, 2012)]), range(2011, 2014))) == {
        2011: (0, 0, 0),
        2012: (0, 1, 1),
        2013: (0, 0, 0),
    }


def test_no_opening_year_is_open_from_the_start_and_a_2010_closure_is_not() -> None:
    counts = by_year(open_counts(points([(None, None), (None, 2010), (2015, None)]), range(2010, 2017)))
    assert counts[2010] == (1, 0, 1)  # the 2010 closure is gone by the end of 2010
    assert counts[2014] == (1, 0, 0)
    assert counts[2015] == (2, 1, 0)


@pytest.fixture(scope="module")
def network() -> pl.DataFrame:
    return read_table("network")


def value(network: pl.DataFrame, code: str, year: int, column: str) -> int | float | None:
    return network.filter(pl.col("service_code") == code, pl.col("year") == year)[column].item()


def test_hartlepool_by_hand(network: pl.DataFrame) -> None:
    # libraries.csv: Community Hub Central, Community Hub South, Headland and Seaton Carew (no years); Foggy Furze
    # (closed 2011); Throston Grange (closed 2022, and a new Throston Grange opened 2022); West View (opened
    # 2017, closed 2012: never open by the definition). End of 2010: 6; end of 2023: 5.
    assert value(network, HARTLEPOOL, 2010, "libraries_open") == 6
    assert value(network, HARTLEPOOL, 2011, "closures") == 1
    assert (value(network, HARTLEPOOL, 2022, "openings"), value(network, HARTLEPOOL, 2022, "closures")) == (1, 1)
    assert value(network, HARTLEPOOL, 2023, "libraries_open") == 5
    # ACE's dataset: statutory_10 Yes for 8 of its 11 points; statutory_23 Yes for 6; 2023 hours 30+32+20+12+20+12
    # +32 (West View, community run) = 158.
    assert value(network, HARTLEPOOL, 2010, "statutory_libraries") == 8
    assert value(network, HARTLEPOOL, 2023, "statutory_libraries") == 6
    assert value(network, HARTLEPOOL, 2023, "community_run") == 1
    assert value(network, HARTLEPOOL, 2023, "weekly_hours") == 158.0
    assert value(network, HARTLEPOOL, 2015, "statutory_libraries") is None  # not a year ACE gives


def test_darlington_and_cardiff_by_hand(network: pl.DataFrame) -> None:
    # Darlington: Cockerton and Darlington Library, no years; ACE 2023 hours 28 + 49, staffed 33 + 56.
    assert value(network, DARLINGTON, 2010, "libraries_open") == value(network, DARLINGTON, 2025, "libraries_open") == 2
    assert (
        value(network, DARLINGTON, 2023, "weekly_hours"),
        value(network, DARLINGTON, 2023, "weekly_staffed_hours"),
    ) == (
        77.0,
        89.0,
    )
    # Cardiff: 19 points in libraries.csv, none closed (Canton opened 1907); Wales has no ACE figures.
    assert value(network, CARDIFF, 2010, "libraries_open") == value(network, CARDIFF, 2023, "libraries_open") == 19
    assert value(network, CARDIFF, 2023, "statutory_libraries") is None


def test_national_counts_match_the_sources(network: pl.DataFrame, real_source) -> None:
    nations = read_table("services").select("service_code", "nation")
    totals = network.join(nations, on="service_code").group_by("nation", "year").agg(pl.col("libraries_open").sum())
    total = {(r["nation"], r["year"]): r["libraries_open"] for r in totals.iter_rows(named=True)}
    # Counted straight from libraries.csv by the definition, its authorities' nations from uk_local_authorities.csv.
    listed = pl.read_csv(real_source("librarieshacked/libraries.csv"), infer_schema=False)
    authorities = pl.read_csv(real_source("librarieshacked/uk_local_authorities.csv"), infer_schema=False)
    nation_of = dict(authorities.select("official-name", "nation").iter_rows())
    for year in (2010, 2023):
        opened = pl.col("Year opened").cast(pl.Int64, strict=False)
        closed = pl.col("Year closed").cast(pl.Int64, strict=False)
        open_rows = listed.filter((opened.is_null() | (opened <= year)) & (closed.is_null() | (closed > year)))
        for nation in ("England", "Wales"):
            direct = sum(nation_of.get(name) == nation for name in open_rows["Local authority"])
            assert abs(total[(nation, year)] - direct) <= 0.02 * direct, (nation, year)
    # ACE's dataset, statutory Yes in 2010 and 2023 (any case and spacing): 3,138 and 2,787.
    ace = pl.read_csv(real_source("ace/libraries_england_2023.csv"), infer_schema=False)
    for year, column in ((2010, "statutory_10"), (2023, "statutory_23")):
        direct = ace.filter(pl.col(column).str.strip_chars().str.to_lowercase() == "yes").height
        ours = network.filter(pl.col("year") == year)["statutory_libraries"].sum()
        assert abs(ours - direct) <= 0.01 * direct
