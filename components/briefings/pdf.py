"""A one- or two-page A4 briefing as a PDF, made like a publication: document in, PDF bytes out.

Typst (the `typst` wheel, a self-contained compiler: no browser, no network) lays the page out and writes a tagged
PDF/UA-1 file: document title, language, headings, tables with header cells, reading order, and alt text on every chart.
Everything a caller writes reaches Typst as data (one JSON document in `sys.inputs`, decoded with `json(...)`), never as
markup, so a service called `Kent & Medway #1 $x$ *bold*` prints exactly as given. Numbers are text the caller has
formatted; nothing here formats or rounds. The typeface is DejaVu Sans from matplotlib's own font folder (matplotlib is
a pinned dependency), so the PDF looks the same on any machine and needs no system font; Typst embeds the subset used.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

import matplotlib
import typst

from components.palette import BLUE, DARK_GREY, INK, LIGHT_GREY

FONT = "DejaVu Sans"
PDF_STANDARD = "ua-1"  # PDF/UA-1: Typst checks it as it writes and refuses a file that would break it
ALIGNS = ("left", "right")
LINK = BLUE  # links in the app's blue, and underlined, so they show in grey print too
MAX_HEADING_LEVEL = 3  # a section (1), a part (2), a sub-part (3): tagged H2 to H4 under the title's H1
WHITESPACE = re.compile(r"[\t\n\r\v\f]+")
CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f]")
HEADER_FILL = "#EDEDED"  # the table's header row: light enough for 8.5 pt bold text to keep AAA contrast


@dataclass(frozen=True)
class Run:
    """A piece of a paragraph: plain text, optionally bold, optionally a link (the URL is not shown, the text is)."""

    text: str
    bold: bool = False
    url: str | None = None


# A paragraph's text: plain, or runs when part of it is bold or a link.
Text = str | tuple[Run, ...]


@dataclass(frozen=True)
class Heading:
    """A section heading; level 1 is a section (tagged H2, under the title's H1), 2 a part of one, and so on."""

    text: str
    level: int = 1


@dataclass(frozen=True)
class Paragraph:
    text: Text


@dataclass(frozen=True)
class Table:
    """A headline table: header row shaded, each column aligned as `align` says (default: first left, rest right)."""

    caption: str
    header: tuple[str, ...]
    rows: tuple[tuple[str, ...], ...]
    align: tuple[str, ...] = ()
    note: str = ""
    widths: tuple[float, ...] = ()  # each column's share of the width (2, 1, 1: the first twice the others); () auto


@dataclass(frozen=True)
class Chart:
    """A vector chart (SVG bytes) with the alt text a screen reader says instead of it.

    It prints at the size it was drawn (so its text keeps its point size), or `width_mm` wide if given, and never
    wider than its column.
    """

    svg: bytes
    alt: str
    caption: str = ""
    width_mm: float | None = None


@dataclass(frozen=True)
class Notes:
    """Small print: caveats, sources, how to cite, a link; the title is a heading so a reader can jump to it."""

    title: str
    items: tuple[Text, ...]


@dataclass(frozen=True)
class Columns:
    """Blocks side by side (two charts, a table beside a chart), read column by column, left first."""

    columns: tuple[tuple[Block, ...], ...]
    gutter_mm: float = 6.0


Block = Heading | Paragraph | Table | Chart | Notes | Columns


@dataclass(frozen=True)
class Briefing:
    """The whole document: a title block, the blocks in reading order, and the lines of the page footer."""

    title: str
    subtitle: str = ""
    language: str = "en-GB"
    author: str = ""
    keywords: tuple[str, ...] = ()
    date_line: str = ""
    blocks: tuple[Block, ...] = ()
    footer_lines: tuple[str, ...] = ()


# The page, styles and a renderer per block kind. Its only input is sys.inputs.briefing (JSON): no text the caller
# wrote is ever parsed as Typst.
TEMPLATE = """
#let d = json(bytes(sys.inputs.briefing))
#let ink = rgb(d.colours.ink)
#let muted = rgb(d.colours.muted)
#let rule = rgb(d.colours.rule)
#let header-fill = rgb(d.colours.header)
#show link: set text(fill: rgb(d.colours.link))
#show link: underline
#set document(title: d.title, author: if d.author == "" { () } else { d.author }, keywords: d.keywords, date: none)
#set text(font: d.font, size: 9pt, lang: d.lang, region: d.region, fill: ink, hyphenate: false)
#set par(leading: 0.5em, spacing: 0.75em)
#set page(
  paper: "a4",
  margin: (x: 15mm, top: 15mm, bottom: 22mm),
  footer-descent: 35%,
  footer: context {
    set text(size: 7pt, fill: muted)
    set par(leading: 0.4em)
    line(length: 100%, stroke: 0.4pt + rule)
    v(-1mm)
    grid(
      columns: (1fr, auto),
      column-gutter: 8mm,
      d.footer.map(line => [#line]).join(linebreak()),
      [Page #here().page() of #counter(page).final().first()],
    )
  },
)
#set heading(offset: 1, numbering: none)
#show heading: set text(weight: "bold")
#show heading: set block(above: 1.1em, below: 0.55em, sticky: true)
#show heading.where(level: 1): set text(size: 17pt)
#show heading.where(level: 1): set block(above: 0pt, below: 0.45em)
#show heading.where(level: 2): set text(size: 12pt)
#show heading.where(level: 3): set text(size: 10.5pt)
#set figure(numbering: none, gap: 0.6em)
#show figure: set block(above: 0.9em, below: 0.9em)
#show figure.caption: set text(size: 8pt, weight: "bold")
#show figure.caption: set align(left)
#set figure.caption(position: top)
#show figure: set align(left)
#set table(inset: (x: 4pt, y: 3.2pt))
#show table.cell: set text(size: 8pt)
#show table.cell.where(y: 0): set text(weight: "bold")

#let runs(value) = if type(value) == str { value } else {
  value.map(r => {
    let piece = [#r.text]
    if r.bold { piece = strong(piece) }
    if r.url != none { piece = link(r.url, piece) }
    piece
  }).join()
}
#let small(body) = text(size: 7.5pt, fill: muted, body)

#let render(b) = {
  if b.kind == "heading" {
    heading(depth: b.level, b.text)
  } else if b.kind == "paragraph" {
    par(runs(b.text))
  } else if b.kind == "table" {
    let aligns = b.align.map(a => if a == "right" { right } else { left })
    let body = table(
      columns: if b.widths.len() > 0 { b.widths.map(w => w * 1fr) } else { b.header.len() },
      align: (x, y) => aligns.at(x) + horizon,
      fill: (x, y) => if y == 0 { header-fill },
      stroke: (x, y) => (bottom: if y == 0 { 0.6pt + muted } else { 0.4pt + rule }),
      table.header(..b.header.map(h => [#h])),
      ..b.rows.flatten().map(c => [#c]),
    )
    if b.caption == "" { figure(body, kind: table) } else { figure(body, kind: table, caption: b.caption) }
    if b.note != "" { block(above: -0.4em, below: 0.9em, par(small(b.note))) }
  } else if b.kind == "chart" {
    // As drawn (or as wide as asked), but never wider than its column.
    let picture = layout(size => {
      let wanted = if b.width == none { measure(image(bytes(b.svg), format: "svg")).width } else { b.width * 1mm }
      image(bytes(b.svg), format: "svg", alt: b.alt, width: calc.min(wanted, size.width))
    })
    if b.caption == "" { figure(picture) } else { figure(picture, caption: b.caption) }
  } else if b.kind == "notes" {
    block(above: 1.1em, {
      show heading: set text(size: 8pt)
      show heading: set block(above: 0pt, below: 0.5em)
      heading(depth: 1, b.title)
      set par(spacing: 0.5em, leading: 0.4em)
      for item in b.items { par(small(runs(item))) }
    })
  } else if b.kind == "columns" {
    grid(
      columns: (1fr,) * b.columns.len(),
      column-gutter: b.gutter * 1mm,
      ..b.columns.map(column => column.map(render).join()),
    )
  }
}

#heading(level: 1, outlined: true, d.title)
#if d.subtitle != "" { block(below: 0.5em, par(text(size: 11pt, d.subtitle))) }
#if d.date-line != "" { block(below: 0.5em, par(small(d.date-line))) }
#line(length: 100%, stroke: 0.6pt + rule)
#for b in d.blocks { render(b) }
"""


def render_pdf(briefing: Briefing) -> bytes:
    """The briefing as PDF/UA-1 bytes, with its fonts embedded; the same briefing gives the same bytes.

    Raises ValueError for a briefing that could not be read as written (an empty title or heading, a heading level
    skipped, a row wider than its header, an unknown alignment, a chart without alt text or not UTF-8 SVG), and
    typst.TypstError if Typst refuses it all the same (an SVG it cannot parse).
    """
    data = json.dumps(_document(briefing), ensure_ascii=False)
    return typst.compile(
        TEMPLATE.encode(),
        font_paths=_fonts(),
        ignore_system_fonts=True,
        sys_inputs={"briefing": data},
        pdf_standards=PDF_STANDARD,
    )


def page_count(pdf: bytes) -> int:
    """How many pages a PDF from render_pdf has (its page tree's /Count), so a caller can hold briefings to two."""
    found = re.search(rb"/Type\s*/Pages\b[^>]*?/Count\s+(\d+)", pdf)
    if found is None:
        raise ValueError("not a PDF from render_pdf: no page tree found")
    return int(found.group(1))


@cache
def _fonts() -> typst.Fonts:
    """Typst's own fonts and matplotlib's DejaVu family, read once per process (the one slow step, ~20 ms)."""
    folder = Path(matplotlib.get_data_path()) / "fonts" / "ttf"
    return typst.Fonts(include_system_fonts=False, include_embedded_fonts=True, font_paths=[str(folder)])


def _document(briefing: Briefing) -> dict[str, Any]:
    """The briefing as the JSON the template reads."""
    _check_headings(briefing.blocks)
    lang, _, region = briefing.language.partition("-")
    return {
        "title": _required(briefing.title, "the title"),
        "subtitle": _clean(briefing.subtitle),
        "lang": lang.lower(),
        "region": region.upper() or None,
        "author": _clean(briefing.author),
        "keywords": [_clean(keyword) for keyword in briefing.keywords],
        "date-line": _clean(briefing.date_line),
        "footer": [_clean(line) for line in briefing.footer_lines],
        "font": FONT,
        "colours": {"ink": INK, "muted": DARK_GREY, "rule": LIGHT_GREY, "header": HEADER_FILL, "link": LINK},
        "blocks": [_block(block) for block in briefing.blocks],
    }


def _block(block: Block) -> dict[str, Any]:
    """One block as JSON, checked here so a mistake reads as Python rather than as a Typst error."""
    if isinstance(block, Heading):
        return {"kind": "heading", "text": _required(block.text, "a heading"), "level": block.level}
    if isinstance(block, Paragraph):
        return {"kind": "paragraph", "text": _text(block.text)}
    if isinstance(block, Table):
        return _table(block)
    if isinstance(block, Chart):
        try:
            svg = block.svg.decode("utf-8")
        except UnicodeDecodeError as error:
            raise ValueError("a chart must be UTF-8 SVG") from error
        alt = _required(block.alt, "a chart's alt text")
        return {"kind": "chart", "svg": svg, "alt": alt, "caption": _clean(block.caption), "width": block.width_mm}
    if isinstance(block, Notes):
        items = [_text(item) for item in block.items]
        return {"kind": "notes", "title": _required(block.title, "a notes title"), "items": items}
    if isinstance(block, Columns):
        columns = [[_block(inner) for inner in column] for column in block.columns]
        return {"kind": "columns", "columns": columns, "gutter": block.gutter_mm}
    raise TypeError(f"not a briefing block: {block!r}")


def _table(table: Table) -> dict[str, Any]:
    width = len(table.header)
    if width == 0:
        raise ValueError("a table needs a header")
    align = table.align or ("left",) + ("right",) * (width - 1)
    if len(align) != width or any(a not in ALIGNS for a in align):
        raise ValueError(f"align must give {width} of {ALIGNS}: {align}")
    widths = table.widths
    if widths and (len(widths) != width or min(widths) <= 0):
        raise ValueError(f"widths must give {width} positive shares: {widths}")
    for row in table.rows:
        if len(row) != width:
            raise ValueError(f"a row of {len(row)} cells under a header of {width}: {row}")
    return {
        "kind": "table",
        "caption": _clean(table.caption),
        "header": [_clean(cell) for cell in table.header],
        "rows": [[_clean(cell) for cell in row] for row in table.rows],
        "align": list(align),
        "note": _clean(table.note),
        "widths": list(widths),
    }


def _text(text: Text) -> str | list[dict[str, Any]]:
    if isinstance(text, str):
        return _clean(text)
    runs = []
    for run in text:
        if run.url is not None and not run.url.strip():
            raise ValueError(f"an empty link on {run.text!r}")
        runs.append({"text": _clean(run.text), "bold": run.bold, "url": run.url})
    return runs


def _check_headings(blocks: tuple[Block, ...]) -> None:
    """Heading levels in reading order never skip one (PDF/UA: a reader's outline has no holes); the title is above."""
    level = 0
    for heading in _headings(blocks):
        if not 1 <= heading.level <= min(level + 1, MAX_HEADING_LEVEL):
            raise ValueError(f"heading {heading.text!r} at level {heading.level} follows level {level}")
        level = heading.level


def _headings(blocks: tuple[Block, ...]) -> list[Heading]:
    found: list[Heading] = []
    for block in blocks:
        if isinstance(block, Heading):
            found.append(block)
        elif isinstance(block, Notes):
            found.append(Heading(block.title, 1))
        elif isinstance(block, Columns):
            found.extend(heading for column in block.columns for heading in _headings(column))
    return found


def _clean(text: str) -> str:
    """Caller text as it should print: line breaks and tabs as spaces, other control characters (no glyph) dropped."""
    return CONTROL.sub("", WHITESPACE.sub(" ", text))


def _required(text: str, what: str) -> str:
    cleaned = _clean(text)
    if not cleaned.strip():
        raise ValueError(f"{what} must not be empty")
    return cleaned
