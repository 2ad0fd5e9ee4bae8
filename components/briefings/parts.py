"""Pieces every briefing shares: the words of a Markdown section as plain text, a table block from a frame of
text, the gap to a median said in counts, and the small print (sources, licence, build, how to cite, the live
link) from the one home of each line in the serving side."""

from __future__ import annotations

import re
from datetime import datetime
from urllib.parse import urlencode

import polars as pl

from components.briefings.pdf import Notes, Paragraph, Run, Table, Text
from components.text import attribution
from observatory_data.serving.catalogue import OPEN_GOVERNMENT_LICENCE, PER
from observatory_data.serving.formats import number

PUBLISHER = "Public Libraries Data Observatory"
DEFAULT_BASE_URL = "http://localhost:8501"  # `make run`'s address: a live link when the reader's is not known
CAVEAT_MARK = "*"  # beside a rate not comparable with other services' (the caveat is said in the small print)
BOLD = re.compile(r"\*\*(.+?)\*\*")
MARKDOWN_LINK = re.compile(r"\[([^\]]+)\]\([^)]+\)")


def plain(markdown: str) -> str:
    """Markdown's emphasis and links as the words alone: a PDF paragraph is text, not Markdown."""
    return MARKDOWN_LINK.sub(r"\1", BOLD.sub(r"\1", markdown)).replace("*", "").strip()


def list_items(markdown: str) -> tuple[str, ...]:
    """The items of a Markdown list ('- ...' lines, continuation lines joined), as plain text."""
    items: list[str] = []
    for line in markdown.strip().splitlines():
        if line.startswith("- "):
            items.append(line[2:].strip())
        elif items and line.strip():
            items[-1] += " " + line.strip()
    return tuple(plain(item) for item in items)


def labelled(markdown_item: str) -> Text:
    """'**Label**: words' as a run in bold and the words after it; any other item as it is."""
    match = re.match(r"\*\*(.+?)\*\*:?\s*(.*)", markdown_item.strip(), re.DOTALL)
    if not match:
        return plain(markdown_item)
    return (Run(f"{plain(match.group(1))}: ", bold=True), Run(plain(match.group(2))))


def table_block(frame: pl.DataFrame, caption: str, note: str = "", widths: tuple[float, ...] = ()) -> Table:
    """A frame of text as the PDF's table: the first column left, the rest right (figures), empty cells kept empty."""
    rows = tuple(tuple("" if cell is None else str(cell) for cell in row) for row in frame.iter_rows())
    align = ("left", *("right",) * (frame.width - 1))
    return Table(caption, tuple(frame.columns), rows, align, note, widths)


def about_figures(value: float) -> str:
    """A count said as a briefing says it: two significant figures, so 592,345 is 'about 590,000'."""
    if value == 0:
        return "0"
    digits = len(str(int(abs(value)))) - 2
    rounded = round(value, -digits) if digits > 0 else round(value)
    return number(rounded)


def gap_in_counts(rate: float | None, median: float | None, denominator: float | None, noun: str) -> str:
    """The gap to a median rate said as counts: 'about 590,000 more loans' (or 'fewer'); '' without the figures."""
    if rate is None or median is None or not denominator:
        return ""
    gap = (median - rate) * denominator / PER
    if abs(gap) < 0.5:
        return f"about the same number of {noun}"
    return f"about {about_figures(abs(gap))} {'more' if gap > 0 else 'fewer'} {noun}"


def built_on(built_at: str) -> str:
    """The build's date as a reader writes it: '7 December 2026'."""
    when = datetime.fromisoformat(built_at)
    return f"{when.day} {when:%B %Y}"


def live_link(base_url: str, path: str, choices: dict[str, str]) -> str:
    """The live view that holds the same choices, e.g. https://host/benchmark?service=E10000016&year=2025."""
    query = urlencode({name: value for name, value in choices.items() if value})
    return f"{base_url.rstrip('/')}/{path}" + (f"?{query}" if query else "")


def small_print(title: str, built_at: str, link: str, caveats: tuple[Text, ...] = ()) -> tuple[Notes, ...]:
    """The caveats (if any), then the sources with their licences, the build, how to cite and the live link."""
    built = built_on(built_at)
    cite = (
        f"{PUBLISHER}, “{title}”, built {built} from public sources (see above). Data under the "
        f"{OPEN_GOVERNMENT_LICENCE} and the publishers' own terms."
    )
    notes = (
        Notes("Sources and licences", (" ".join(list_items(attribution())),)),
        Notes(
            "Build, citation and the live view",
            (
                (Run("How to cite: ", bold=True), Run(cite)),
                (Run("Live view with the same choices: ", bold=True), Run(link, url=link)),
            ),
        ),
    )
    return ((Notes("Caveats and flags", caveats),) if caveats else ()) + notes


def footer_lines(title: str, built_at: str) -> tuple[str, ...]:
    """The page footer: what and when, so a page printed alone still says where it came from."""
    return (f"{PUBLISHER} · {title}", f"Built {built_on(built_at)} · open data, see Sources and licences")


def paragraphs(*texts: str) -> tuple[Paragraph, ...]:
    """Each non-empty text as a paragraph."""
    return tuple(Paragraph(text) for text in texts if text)
