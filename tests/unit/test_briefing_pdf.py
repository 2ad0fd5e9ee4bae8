"""The PDF briefing renderer: caller text arrives verbatim (never read as markup), on A4, as a tagged PDF with embedded
fonts, a title, a language and alt text on each chart; and the two chart builders give deterministic, font-free SVG."""

from __future__ import annotations

import io
import re

import pypdf
import pytest
from pypdf.generic import BooleanObject

from components.briefings.charts import dot_comparison_svg, trend_lines_svg
from components.briefings.pdf import (
    Briefing,
    Chart,
    Columns,
    Heading,
    Notes,
    Paragraph,
    Run,
    Table,
    page_count,
    render_pdf,
)
from tests.support.pdf_reading import pdf_reader, pdf_text, structure_elements

HOSTILE = "Kent & Medway #1 $x$ *bold* [link] <tag> @ref = 'q'"
HOSTILE_CELL = "\\#2 _under_ `code` // not a comment /* nor this */ ~ -- ---"
NUMBERS = ("4,321.5", "−3.0%", "+12.5%", "1 in 4", "0.05")
DOT_ALT = f"Dot chart: {HOSTILE} lends 4,321.5 per 1,000 residents; the group median 3,890; no return for the region."
TREND_ALT = "Line chart: loans per 1,000 residents, 2019/20 to 2024/25; no figure for 2020/21."
A4 = (595.28, 841.89)  # points


def _briefing(extra: tuple = ()) -> Briefing:
    dots = dot_comparison_svg(
        [(HOSTILE, 4321.5), ("Median of 15 similar services", 3890.0), ("South East", None), ("England", 3512.0)],
        HOSTILE,
        "loans per 1,000 residents, 2023/24",
        value_labels=("4,321.5", "3,890", "no return", "3,512"),
    )
    trend = trend_lines_svg(
        ["2019/20", "2020/21", "2021/22", "2022/23", "2023/24", "2024/25"],
        {"Group median": [5000, 2100, 3000, 3600, 3890, 3950], HOSTILE: [5200, None, 3100, 3900, 4321.5, 4400]},
        "loans per 1,000 residents",
    )
    return Briefing(
        title=HOSTILE,
        subtitle="Library service briefing",
        author="Public Libraries Data Observatory",
        keywords=("libraries", "benchmark"),
        date_line="Data for 2023/24",
        blocks=(
            Paragraph((Run("3rd of 15", bold=True), Run(" similar services; "), Run(HOSTILE_CELL))),
            Heading("Headline figures"),
            Table(
                "Headline figures, 2023/24",
                ("Measure", HOSTILE, "England"),
                (("Loans per 1,000 residents", NUMBERS[0], "3,512"), (HOSTILE_CELL, NUMBERS[1], NUMBERS[2])),
                note=f"Rates as given: {NUMBERS[3]}, {NUMBERS[4]}.",
            ),
            Heading("How it compares"),
            Columns(((Chart(dots, alt=DOT_ALT, caption="Loans, 2023/24"),), (Chart(trend, alt=TREND_ALT),))),
            *extra,
            Notes("Notes and sources", ("Source: ACE.", (Run("Online: "), Run("example.org", url="https://e.org")))),
        ),
        footer_lines=("Public Libraries Data Observatory", f"Footer {HOSTILE}"),
    )


@pytest.fixture(scope="module")
def briefing() -> Briefing:
    return _briefing()


@pytest.fixture(scope="module")
def pdf(briefing: Briefing) -> bytes:
    return render_pdf(briefing)


@pytest.fixture(scope="module")
def reader(pdf: bytes) -> pypdf.PdfReader:
    return pdf_reader(pdf)


def test_caller_text_reads_back_verbatim(reader: pypdf.PdfReader) -> None:
    text = pdf_text(reader)
    assert HOSTILE in text
    assert HOSTILE_CELL in text
    assert f"Footer {HOSTILE}" in text
    for figure in NUMBERS:
        assert figure in text


def test_one_or_two_a4_pages(reader: pypdf.PdfReader, pdf: bytes) -> None:
    assert 1 <= len(reader.pages) <= 2
    assert page_count(pdf) == len(reader.pages)
    for page in reader.pages:
        assert (float(page.mediabox.width), float(page.mediabox.height)) == pytest.approx(A4, abs=1)
    assert f"Page 1 of {len(reader.pages)}" in reader.pages[0].extract_text()


def test_document_title_language_and_tags(reader: pypdf.PdfReader, briefing: Briefing) -> None:
    assert reader.metadata.title == briefing.title
    assert reader.metadata.author == briefing.author
    catalog = reader.trailer["/Root"]
    assert catalog["/Lang"] == "en-GB"
    assert catalog["/MarkInfo"]["/Marked"] == BooleanObject(True)
    assert "/StructTreeRoot" in catalog
    assert catalog["/ViewerPreferences"]["/DisplayDocTitle"]


def test_structure_has_headings_table_and_chart_alt_text(reader: pypdf.PdfReader) -> None:
    elements = structure_elements(reader.trailer["/Root"]["/StructTreeRoot"])
    roles = [str(element["/S"]) for element in elements]
    assert roles.count("/H1") == 1  # the title; the caller's sections are H2
    assert roles.count("/H2") == 3  # two sections and the notes
    assert roles.index("/H1") < roles.index("/Table") < roles.index("/Figure")  # reading order as given
    assert roles.count("/TH") == 3
    alts = [str(element["/Alt"]) for element in elements if element["/S"] == "/Figure"]
    assert alts == [DOT_ALT, TREND_ALT]


def test_fonts_are_embedded(reader: pypdf.PdfReader) -> None:
    fonts = [font.get_object() for page in reader.pages for font in page["/Resources"]["/Font"].values()]
    assert fonts
    for font in fonts:
        described = font["/DescendantFonts"][0].get_object() if "/DescendantFonts" in font else font
        descriptor = described["/FontDescriptor"].get_object()
        assert {"/FontFile", "/FontFile2", "/FontFile3"} & set(descriptor), font["/BaseFont"]
        assert "DejaVuSans" in font["/BaseFont"]


def test_the_same_briefing_gives_the_same_bytes(briefing: Briefing, pdf: bytes) -> None:
    assert render_pdf(briefing) == pdf
    assert _briefing() == briefing  # the charts too are byte for byte the same


def test_a_long_briefing_runs_to_a_second_page_with_its_footer() -> None:
    long = tuple(Paragraph("Missing is never zero. " * 40) for _ in range(6))
    reader = pypdf.PdfReader(io.BytesIO(render_pdf(_briefing(long))))
    assert len(reader.pages) == 2
    assert "Page 2 of 2" in reader.pages[1].extract_text()
    assert HOSTILE in reader.pages[1].extract_text()  # the footer repeats


@pytest.mark.parametrize(
    "block",
    [
        Table("t", ("a", "b"), (("1",),)),
        Table("t", ("a", "b"), (("1", "2"),), align=("left", "centre")),
        Chart(b"<svg/>", alt=" "),
        Chart(b"\xff\xfe", alt="x"),
        Heading("too deep", level=7),
        Heading("a part before any section", level=2),  # PDF/UA: heading levels never skip
        Heading(" "),
        Notes("", ("an item",)),
        Paragraph((Run("nowhere", url=""),)),
    ],
)
def test_a_block_the_layout_cannot_honour_is_refused_in_python(block: object) -> None:
    with pytest.raises(ValueError):
        render_pdf(Briefing(title="t", blocks=(block,)))


def test_control_characters_are_dropped_and_an_empty_title_refused() -> None:
    reader = pypdf.PdfReader(
        io.BytesIO(render_pdf(Briefing(title="Kent\x00\x07 & Medway", blocks=(Paragraph("a\tb"),))))
    )
    assert reader.metadata.title == "Kent & Medway"
    assert "a b" in reader.pages[0].extract_text()
    with pytest.raises(ValueError):
        render_pdf(Briefing(title="\n"))


def test_charts_are_vector_without_fonts_or_dates() -> None:
    svg = dot_comparison_svg([("A $1$ service", 2.5), ("England", None)], "A $1$ service", "per resident")
    assert re.search(rb'width="226\.77\d*pt"', svg)  # 80 mm
    assert b"<text" not in svg  # text drawn as paths: no font needed where it is rendered
    assert b"<dc:date>" not in svg
    assert b"<image" not in svg


def test_trend_lines_leave_a_gap_for_a_missing_year() -> None:
    svg = trend_lines_svg(["a", "b", "c", "d"], {"A": [1.0, None, 3.0, 4.0]}, "per resident", colours={"A": "#E69F00"})
    lines = re.findall(r'<path d="([^"]*)"[^>]*stroke: #e69f00', svg.decode())
    plotted = lines[0].split()  # the first is the series, the second its legend sample
    assert plotted.count("M") == 2  # a lone first year, then a fresh start after the gap: nothing drawn at zero
    assert plotted.count("L") == 1
    with pytest.raises(ValueError):
        trend_lines_svg(["2022/23"], {"A": [1.0, 2.0]}, "per resident")
