"""The library network: counts read by hand from the real sources, and how each source's points find their
service."""

from __future__ import annotations

import polars as pl
import pytest

from observatory_data.build.branches import normalise_postcode
from observatory_data.build.csvfile import read_text_csv
from observatory_data.build.network_table import (
    BY_DISTRICT,
    BY_NAME,
    BY_POSTCODE,
    BY_REPORTING,
    BY_SECTOR,
    NetworkResult,
    assign_ace,
    assign_dcms,
    build_network,
)
from observatory_data.build.register import ServiceMatcher, read_register
from observatory_data.serving.tables import read_table

HARTLEPOOL, DARLINGTON, CARDIFF, LIBRARIES_NI = "E06000001", "E06000005", "W06000015", "N92000002"
SUFFOLK, WESTMINSTER, CITY_OF_LONDON = "E10000029", "E09000033", "E09000001"
CUMBERLAND, WESTMORLAND, BCP = "E06000063", "E06000064", "E06000058"


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


def test_darlington_cardiff_and_libraries_ni_are_not_recorded(network: pl.DataFrame) -> None:
    # Darlington: Cockerton and Darlington Library, no years; ACE 2023 hours 28 + 49, staffed 33 + 56.
    assert value(network, DARLINGTON, 2023, "libraries_open") == 2
    assert value(network, DARLINGTON, 2010, "libraries_open") is None  # the list says nothing about 2010
    assert value(network, DARLINGTON, 2016, "closures") is None
    assert (
        value(network, DARLINGTON, 2023, "weekly_hours"),
        value(network, DARLINGTON, 2023, "weekly_staffed_hours"),
    ) == (77.0, 89.0)
    # Cardiff: 19 points in libraries.csv, none closed, one opening year (Canton, 1907); no ACE figures in Wales.
    assert value(network, CARDIFF, 2023, "libraries_open") == 19
    assert value(network, CARDIFF, 2010, "libraries_open") is None and value(network, CARDIFF, 2012, "openings") is None
    assert value(network, CARDIFF, 2023, "statutory_libraries") is None
    # Libraries NI: 97 points (98 rows, one a duplicate), not one with an opening or closing year.
    ni = network.filter(pl.col("service_code") == LIBRARIES_NI)
    assert ni["openings"].null_count() == ni["closures"].null_count() == ni.height
    assert ni.filter(pl.col("libraries_open").is_not_null()).select("year", "libraries_open").rows() == [(2023, 97)]


def test_nations_recorded_read_from_the_list(real_source) -> None:
    listed = pl.read_csv(real_source("librarieshacked/libraries.csv"), infer_schema=False)
    years = [pl.col(c).cast(pl.Int64, strict=False) for c in ("Year opened", "Year closed")]
    ni = listed.filter(pl.col("Local authority") == "Northern Ireland")
    assert ni.height == 98 and ni.select(years).null_count().sum_horizontal().item() == 2 * 98
    # Wales: opening or closing years from 2010 on for one service only, Conwy (two closures, 2012 and 2014).
    authorities = pl.read_csv(real_source("librarieshacked/uk_local_authorities.csv"), infer_schema=False)
    welsh_names = authorities.filter(pl.col("nation") == "Wales")["official-name"]
    welsh = listed.filter(pl.col("Local authority").is_in(welsh_names.implode()))
    assert welsh["Local authority"].n_unique() == 22
    dated = welsh.filter(pl.any_horizontal(year >= 2010 for year in years))
    assert sorted(dated["Year closed"].to_list()) == ["2012", "2014"]
    assert dated["Local authority"].unique().to_list() == ["Conwy County Borough Council"]


def test_every_series_stops_where_its_source_does(network: pl.DataFrame, real_source) -> None:
    listed = pl.read_csv(real_source("librarieshacked/libraries.csv"), infer_schema=False)
    last = max(listed[c].cast(pl.Int64, strict=False).max() for c in ("Year opened", "Year closed"))
    assert last == 2023  # no opening or closing year after 2023 anywhere in the list
    assert network["year"].max() == 2023
    assert network.filter(pl.col("statutory_libraries").is_not_null())["year"].unique().sort().to_list() == [
        2010,
        2016,
        2019,
        2021,
        2022,
        2023,
    ]


def test_national_counts_match_the_sources(network: pl.DataFrame, real_source) -> None:
    nations = read_table("services").select("service_code", "nation")
    totals = network.join(nations, on="service_code").group_by("nation", "year").agg(pl.col("libraries_open").sum())
    total = {(r["nation"], r["year"]): r["libraries_open"] for r in totals.iter_rows(named=True)}
    # Counted straight from libraries.csv by the definition, its authorities' nations from uk_local_authorities.csv:
    # at the end of 2023 every service with points is counted.
    listed = pl.read_csv(real_source("librarieshacked/libraries.csv"), infer_schema=False)
    authorities = pl.read_csv(real_source("librarieshacked/uk_local_authorities.csv"), infer_schema=False)
    nation_of = dict(authorities.select("official-name", "nation").iter_rows())
    opened = pl.col("Year opened").cast(pl.Int64, strict=False)
    closed = pl.col("Year closed").cast(pl.Int64, strict=False)
    open_rows = listed.filter((opened.is_null() | (opened <= 2023)) & (closed.is_null() | (closed > 2023)))
    for nation in ("England", "Wales"):
        direct = sum(nation_of.get(name) == nation for name in open_rows["Local authority"])
        assert abs(total[(nation, 2023)] - direct) <= 0.02 * direct, nation
    assert total[("Northern Ireland", 2023)] == 97


def test_statutory_libraries_in_england_read_from_ace(network: pl.DataFrame, real_source) -> None:
    # ACE's dataset, statutory Yes in 2010 and 2023 (any case and spacing), counted here from the CSV: 3,138 and
    # 2,787, so 351 fewer (-11.2%). Every row is one English service's, so the table's sums are the file's.
    ace = pl.read_csv(real_source("ace/libraries_england_2023.csv"), infer_schema=False)
    yes = {year: ace.filter(pl.col(column).str.strip_chars().str.to_lowercase() == "yes").height
           for year, column in ((2010, "statutory_10"), (2023, "statutory_23"))}  # fmt: skip
    assert yes == {2010: 3_138, 2023: 2_787}
    for year, direct in yes.items():
        assert network.filter(pl.col("year") == year)["statutory_libraries"].sum() == direct
    # Per returning service: Westminster's own rows, Paddington Children's Library among them.
    for code, name in ((WESTMINSTER, "Westminster"), (CITY_OF_LONDON, "City of London"), (SUFFOLK, "Suffolk")):
        own = ace.filter(
            pl.col("reporting") == name, pl.col("statutory_23").str.strip_chars().str.to_lowercase() == "yes"
        )
        assert value(network, code, 2023, "statutory_libraries") == own.height, name


# Which service a point belongs to


@pytest.fixture(scope="module")
def result(real_source) -> NetworkResult:
    return build_network(
        read_table("branches"),
        real_source("ace/libraries_england_2023.csv"),
        real_source("librarieshacked/england-2016/libraries.csv"),
        real_source("librarieshacked/england-2016/authorities.csv"),
        read_register(),
    )


def test_every_point_of_ace_and_of_2016_finds_its_service(result: NetworkResult) -> None:
    routes = {(r["file"], r["route"]): r["rows"] for r in result.routes.iter_rows(named=True)}
    # ACE: 3,479 of 3,487 rows by the service that returned them; Southend's 8 ('Southend', not a register name)
    # by their postcodes in the list.
    assert routes == {
        ("libraries_england_2023.csv", BY_REPORTING): 3_479,
        ("libraries_england_2023.csv", BY_POSTCODE): 8,
        ("libraries.csv", BY_POSTCODE): 3_065,
        ("libraries.csv", BY_NAME): 162,
        ("libraries.csv", BY_SECTOR): 10,  # Bournemouth, Poole, Cumbria, Northamptonshire, Bath and NE Somerset
        ("libraries.csv", BY_DISTRICT): 1,  # Poole's Talbot Community Library, BH12 5ED
    }
    assert result.unmatched.is_empty()


def test_ace_rows_go_to_the_service_that_returned_them(real_source) -> None:
    branches = read_table("branches")
    by_postcode = {normalise_postcode(p): c for p, c in branches.select("postcode", "service_code").iter_rows() if p}
    ace = assign_ace(read_text_csv(real_source("ace/libraries_england_2023.csv")), by_postcode, ServiceMatcher(
        read_register()))  # fmt: skip
    code = dict(ace.select("name", "service_code").iter_rows())
    # ACE's authority says 'London' (read as the City of London) and 'Westmorland and Furness'; the returns say
    # Westminster and Cumberland. Suffolk's prison libraries have no authority at all.
    assert code["Paddington Children's Library"] == WESTMINSTER
    assert code["Dalston Library Link"] == CUMBERLAND
    assert code["HMP Highpoint North"] == SUFFOLK and code["Southend Forum"] == "E06000033"


def test_a_2016_point_of_a_merged_or_split_authority_goes_to_its_successor_nearby(real_source) -> None:
    # Not in the list by postcode, so neither postcode nor the 2016 name finds them; each goes to the one service its
    # authority's other points went to that has list points in the same postcode sector (Talbot: district).
    authorities = read_text_csv(real_source("librarieshacked/england-2016/authorities.csv"))
    dcms = read_text_csv(real_source("librarieshacked/england-2016/libraries.csv")).join(
        authorities.select("authority_id", authority="name"), on="authority_id"
    )
    assigned = assign_dcms(dcms, read_table("branches"), ServiceMatcher(read_register()))
    code = {row["name"]: (row["service_code"], row["assigned_by"]) for row in assigned.iter_rows(named=True)}
    assert code["Appleby Library"] == (WESTMORLAND, BY_SECTOR)  # Cumbria, CA16 6QN
    assert code["Arnside Library Link"] == (WESTMORLAND, BY_SECTOR)  # LA5 0: Lancashire's too, but not Cumbria's
    assert code["Boscombe Library"] == (BCP, BY_SECTOR)  # Bournemouth, BH5 1EZ
    assert code["Talbot Community Library"] == (BCP, BY_DISTRICT)  # Poole, BH12 5ED
    assert code["Midsomer Norton"] == ("E06000022", BY_SECTOR)  # 'Bath and NE Somerset'
