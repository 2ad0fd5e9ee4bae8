"""Briefings on the real build: `observatory briefing` writes tagged A4 PDFs whose numbers are the pages' (read back
from the PDF's text), for an English service, a Welsh one, Libraries NI and a Crown Dependency, a region and England;
`--all` writes every one of them, none longer than two pages."""

from __future__ import annotations

import time
from pathlib import Path

import polars as pl
import pytest

from components.briefings.pdf import page_count
from components.sections.benchmark_profile import profile_section
from components.sections.benchmark_sections import benchmark_choices
from components.sections.benchmark_view import ViewKey, benchmark_view
from components.sections.overview_sections import england_estimates, headline_tiles
from observatory_cli.main import main as observatory
from observatory_data.serving.benchmarks import peer_codes
from observatory_data.serving.tables import read_table
from tests.support.pdf_reading import A4_POINTS, figure_alts, is_tagged, pdf_reader, pdf_text

KENT = "E10000016"
# Kent's 2025/26 counts, read by hand from Libraries Hacked's activity dataset (librarieshacked/activity-dataset/
# services.csv, row 'E10000016,Kent,Kent,2025/2026'): loans, visits, events, attendance, PC hours, active users.
KENT_2025 = ("3,899,922", "3,199,319", "17,080", "224,497", "162,353", "117,360")
OUTSIDE_ENGLAND = [("W06000015", "Cardiff"), ("N92000002", "Libraries NI"), ("JEY", "Jersey")]


def briefing_text(tmp_path: Path, name: str, *options: str) -> tuple[str, bytes]:
    out = tmp_path / f"{name.replace(' ', '-')}.pdf"
    assert observatory(["briefing", name, "--out", str(out), *options]) == 0
    pdf = out.read_bytes()
    return pdf_text(pdf_reader(pdf)), pdf


def test_kents_briefing_is_a_tagged_a4_pdf_with_the_benchmark_pages_numbers(tmp_path: Path) -> None:
    text, pdf = briefing_text(tmp_path, KENT)
    reader = pdf_reader(pdf)
    assert is_tagged(reader) and reader.metadata.title == "Kent: library service briefing, 2025/26"
    assert 1 <= page_count(pdf) <= 2
    assert all(
        (float(p.mediabox.width), float(p.mediabox.height)) == pytest.approx(A4_POINTS, abs=1) for p in reader.pages
    )
    assert len(figure_alts(reader)) == 2 and all(alt.strip() for alt in figure_alts(reader))
    # The page's own view for the same service, group (its 15 nearest neighbours) and year: every cell of its
    # headline table is in the PDF (the PDF shortens two headers and keeps the audit's marks in its small print).
    services, annual, metrics = read_table("services"), read_table("annual"), read_table("metrics")
    names = benchmark_choices(services, annual, metrics).names
    group = tuple(peer_codes(read_table("peers"), KENT, 15))
    view = benchmark_view(annual, services, metrics, ViewKey(KENT, group, 15, "loans", 2025), names)
    table = view.headline.table.drop("Audit mark", strict=False)
    flat = " ".join(text.split())
    for row in table.iter_rows(named=True):
        for header, cell in row.items():
            assert " ".join(cell.split()) in flat, (header, cell)
    assert "2,379.4" in text  # 3,899,922 loans / 1,639,029 residents x 1,000, by hand
    for count in KENT_2025:
        assert count in text, count
    assert "at the median rate of similar services" in flat.lower()
    assert "2025/26" in text and "Open Government Licence v3.0" in flat
    assert "benchmark?service=E10000016&metric=loans&year=2025&peers=15" in flat.replace(" ", "")


@pytest.mark.parametrize(("code", "name"), OUTSIDE_ENGLAND)
def test_a_service_outside_england_gets_its_profile(tmp_path: Path, code: str, name: str) -> None:
    text, pdf = briefing_text(tmp_path, code)
    flat = " ".join(text.split())
    assert is_tagged(pdf_reader(pdf)) and page_count(pdf) <= 2
    assert f"{name}: library service profile" in flat
    assert "collects library activity for England only" in flat
    # Every fact the benchmark page's profile lists (components.sections.benchmark_profile) is in the PDF.
    services = read_table("services")
    row = services.filter(pl.col("service_code") == code).row(0, named=True)
    tables = [read_table(name) for name in ("branches", "network", "peers")]
    facts = profile_section(row, services, *tables).facts
    for line in facts.splitlines():
        value = line.split("**: ", 1)[1]
        assert " ".join(value.split()) in flat, line
    population = row["population"]
    assert (f"{population:,}" if population is not None else "not in the ONS file used here") in flat
    # Deprivation on the nation's own index, or plainly that the sources hold none.
    said = "WIMD 2019 (Welsh Government) is not comparable" if code == "W06000015" else "own index is not among"
    assert said in flat


def test_england_briefing_gives_the_overviews_estimates_with_coverage(tmp_path: Path) -> None:
    text, _ = briefing_text(tmp_path, "england")
    flat = " ".join(text.split())
    national, annual, services, metrics = (read_table(n) for n in ("national", "annual", "services", "metrics"))
    for tile in headline_tiles(england_estimates(national, 2025), annual, services, metrics):
        assert f"{tile.label}: {tile.value}" in flat
        if tile.estimated:
            assert " ".join(tile.detail.replace("**", "").split()) in flat
            assert " ".join(tile.change.split()) in flat


def test_a_region_briefing_sets_its_services_side_by_side(tmp_path: Path) -> None:
    text, pdf = briefing_text(tmp_path, "South East")
    flat = " ".join(text.split())
    south_east = read_table("services").filter(pl.col("region") == "South East")["service_name"].to_list()
    assert len(south_east) == 19 and all(name in flat for name in south_east)
    assert "2,379.4" in flat  # Kent's loans rate, as on its benchmark
    assert "(14/19)" in flat  # the region's loans rate rests on 14 of its 19 services, as the benchmark page says
    assert page_count(pdf) <= 2


def test_an_unknown_name_is_refused_with_a_message(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert observatory(["briefing", "E99999999", "--out", str(tmp_path / "x.pdf")]) == 1
    assert "is not a service code" in capsys.readouterr().err
    assert not (tmp_path / "x.pdf").exists()


def test_every_briefing_is_written_and_none_runs_past_two_pages(tmp_path: Path, capsys) -> None:
    started = time.perf_counter()
    assert observatory(["briefing", "--all", "--out", str(tmp_path / "all")]) == 0
    seconds = time.perf_counter() - started
    written = sorted((tmp_path / "all").rglob("*.pdf"))
    kinds = {
        kind: sum(1 for path in written if path.relative_to(tmp_path / "all").parts[0] == kind)
        for kind in ("services", "regions", "england.pdf")
    }
    assert kinds == {"services": 179, "regions": 9, "england.pdf": 1}
    assert max(page_count(path.read_bytes()) for path in written) <= 2
    print(f"\nobservatory briefing --all: {len(written)} PDFs in {seconds:.1f} s")  # a figure, never asserted
    assert "Wrote 189 briefings" in capsys.readouterr().out
