"""The library network: the definitions on tiny fixtures."""

from __future__ import annotations

import polars as pl

from observatory_data.build.network_table import (
    last_recorded_year,
    open_counts,
    recorded_counts,
)


def points(rows: list[tuple[int | None, int | None]], service: str = "S") -> pl.DataFrame:
    return pl.DataFrame(
        [{"service_code": service, "year_opened": opened, "year_closed": closed} for opened, closed in rows],
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


def test_a_service_whose_changes_the_list_does_not_record_is_known_only_now() -> None:
    # S closed a point in 2012; T's points have no years (or only one before 2010): nothing recorded since 2010.
    both = pl.concat([points([(None, 2012), (None, None)]), points([(None, None), (1907, None)], "T")])
    counts = recorded_counts(both, range(2010, 2015))
    at = {(r["service_code"], r["year"]): r for r in counts.iter_rows(named=True)}
    assert (at["S", 2010]["libraries_open"], at["S", 2012]["closures"], at["S", 2013]["openings"]) == (2, 1, 0)
    assert [at["T", year]["libraries_open"] for year in range(2010, 2015)] == [None, None, None, None, 2]
    assert {at["T", year]["openings"] for year in range(2010, 2015)} == {None}
    assert {at["T", year]["closures"] for year in range(2010, 2015)} == {None}


def test_the_list_runs_to_the_last_year_it_records_a_change() -> None:
    assert last_recorded_year(points([(1990, None), (None, 2019), (2021, None)])) == 2021
