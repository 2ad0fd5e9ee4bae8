"""Small vector charts for the PDF briefing, drawn with matplotlib as SVG at their printed size.

Each chart is made at the size it is printed (80 mm wide by default) with text in true points, so nothing is scaled
on the page. Text is drawn as paths (`svg.fonttype` "path"), so the SVG needs no font wherever it is rendered, and the
file carries no date and a fixed hash salt, so the same data give the same bytes. Colours are the app's (palette).
A value that is missing is shown as missing, never as zero: a dot chart says so in words, a line chart leaves a gap.

The layout is worked out from measured text widths before the one drawing pass (the SVG itself): a briefing run makes
hundreds of these, and matplotlib's own tight layout would draw each chart twice more.
"""

from __future__ import annotations

import io
import math
import threading
from collections.abc import Mapping, Sequence
from functools import lru_cache
from itertools import cycle

import matplotlib

matplotlib.use("Agg")
from matplotlib.axes import Axes
from matplotlib.figure import Figure
from matplotlib.font_manager import FontProperties
from matplotlib.lines import Line2D
from matplotlib.textpath import text_to_path
from matplotlib.ticker import MaxNLocator

from components.palette import CATEGORIES, DARK_GREY, ENGLAND, GROUP, INK, LIGHT_GREY, REGION, SERIES, SERVICE
from observatory_data.serving.formats import number

MM = 1 / 25.4  # inches per millimetre
PT_MM = 25.4 / 72  # millimetres per point
WIDTH_MM = 80.0
FONT = "DejaVu Sans"
FONT_SIZE = 7.5  # points, as printed: the chart is placed at the size it is drawn
LINE_MM = FONT_SIZE * 1.25 * PT_MM  # a line of chart text
ROW_MM = 6.5  # a row of the dot chart with a one- or two-line label; a longer label makes its row taller
LABEL_SHARE = 0.42  # a dot chart's row labels wrap to stay within this share of its width
VALUE_OFFSET_PT = 5  # from a dot to its value
TICK_PAD_MM = 1.6  # from an axis to its tick labels (matplotlib's 3.5 pt pad and a short tick)
TREND_HEIGHT_MM = 58.0
# The dot chart's rows after the highlighted one, in turn: the group median, the region, England (palette.ROLES).
OTHER_ROWS = (GROUP, REGION, ENGLAND, *CATEGORIES)
# rc_context sets matplotlib's global settings (the SVG writer reads svg.fonttype from them), so two charts drawn at
# once in two threads (two app sessions) could swap styles: one chart at a time.
_STYLE_LOCK = threading.Lock()
STYLE = {
    "svg.fonttype": "path",
    "svg.hashsalt": "briefing",
    "text.parse_math": False,  # a '$' in a service's name is a dollar sign, not mathematics
    "font.family": FONT,
    "font.size": FONT_SIZE,
    "axes.edgecolor": DARK_GREY,
    "axes.linewidth": 0.6,
    "xtick.color": DARK_GREY,
    "ytick.color": DARK_GREY,
    "xtick.labelcolor": INK,
    "ytick.labelcolor": INK,
    "xtick.major.width": 0.6,
    "xtick.major.size": 2.0,
    "xtick.major.pad": 2.5,
    "ytick.major.size": 0,
    "ytick.major.pad": 2.5,
}


def dot_comparison_svg(
    rows: Sequence[tuple[str, float | None]],
    marker_label: str,
    unit: str,
    *,
    value_labels: Sequence[str] | None = None,
    digits: int = 0,
    colours: Sequence[str] | None = None,
    missing: str = "no data",
    width_mm: float = WIDTH_MM,
) -> bytes:
    """One metric for a service beside its comparisons (group median, region, England), a row each, as SVG bytes.

    The row labelled `marker_label` is the service: a larger, outlined dot in the service's colour and bold text. The
    others take the group, region and England colours in turn unless `colours` gives one per row. Each dot carries its
    value (`value_labels` as the caller formatted them, else the number to `digits` places); a row with no value says
    `missing` where the dot would be. The axis includes zero, so the dots' distances from it compare fairly.
    """
    values = [value if value is not None and math.isfinite(value) else None for _, value in rows]
    texts = list(value_labels) if value_labels is not None else [number(v, digits, missing) for v in values]
    if len(texts) != len(rows):
        raise ValueError(f"{len(texts)} value labels for {len(rows)} rows")
    palette = list(colours) if colours is not None else _row_colours([label for label, _ in rows], marker_label)
    if len(palette) != len(rows):
        raise ValueError(f"{len(palette)} colours for {len(rows)} rows")
    bold = [label == marker_label for label, _ in rows]
    labels = [_wrap(label, width_mm * LABEL_SHARE, strong) for (label, _), strong in zip(rows, bold, strict=True)]
    label_mm = max(
        (_width_mm(line, strong) for text, strong in zip(labels, bold, strict=True) for line in text.split("\n")),
        default=0.0,
    )
    value_mm = max((_width_mm(t, True) for t, v in zip(texts, values, strict=True) if v is not None), default=0.0)
    left_mm = label_mm + TICK_PAD_MM + 0.5
    right_mm = value_mm + VALUE_OFFSET_PT * PT_MM + 1.0
    unit_lines = _wrap(unit, width_mm - left_mm, False).split("\n")
    bottom_mm = 1.5 + TICK_PAD_MM + LINE_MM * (1 + len(unit_lines))
    # Each row as tall as its label needs (never less than ROW_MM), in millimetres down from the top of the plot.
    heights = [max(ROW_MM, LINE_MM * (label.count("\n") + 1) + 1.5) for label in labels] or [ROW_MM]
    centres = [sum(heights[:i]) + heights[i] / 2 for i in range(len(labels))]
    height_mm = bottom_mm + sum(heights) + 0.5
    known = [v for v in values if v is not None]
    low, top = min([*known, 0.0]), max([*known, 0.0])
    top = top if top > low else 1.0
    figure = Figure(figsize=(width_mm * MM, height_mm * MM))
    with _STYLE_LOCK, matplotlib.rc_context(STYLE):
        axes = _axes(figure, left_mm, right_mm, top_mm=0.5, bottom_mm=bottom_mm)
        axes.set_xlim(low * 1.03, top * 1.03)
        axes.set_ylim(sum(heights), 0)
        for y, value, text, colour, strong in zip(centres, values, texts, palette, bold, strict=True):
            axes.axhline(y, color=LIGHT_GREY, linewidth=0.5, zorder=0)
            if value is None:
                axes.text(low + (top - low) * 0.02, y, text, va="center", ha="left", color=DARK_GREY, style="italic")
                continue
            axes.plot(
                [value],
                [y],
                "o",
                markersize=6.5 if strong else 5,
                color=colour,
                zorder=3,
                clip_on=False,
                markeredgecolor=INK if strong else colour,
                markeredgewidth=0.7,
            )
            axes.annotate(
                text,
                (value, y),
                xytext=(VALUE_OFFSET_PT, 0),
                textcoords="offset points",
                va="center",
                ha="left",
                color=INK,
                fontweight="bold" if strong else "normal",
                annotation_clip=False,
            )
        axes.set_yticks(centres, labels)
        for tick, strong in zip(axes.get_yticklabels(), bold, strict=True):
            tick.set_fontweight("bold" if strong else "normal")
        axes.set_xticks(*_ticks(low * 1.03, top * 1.03, 4, None))
        for side in ("top", "right", "left"):
            axes.spines[side].set_visible(False)
        figure.text(
            left_mm / width_mm,
            0.5 * MM / figure.get_figheight(),
            "\n".join(unit_lines),
            ha="left",
            va="bottom",
            color=INK,
            linespacing=1.25,
        )
        return _svg(figure)


def trend_lines_svg(
    years: Sequence[str],
    series: Mapping[str, Sequence[float | None]],
    unit: str,
    *,
    colours: Mapping[str, str] | None = None,
    digits: int | None = None,
    width_mm: float = WIDTH_MM,
    height_mm: float = TREND_HEIGHT_MM,
) -> bytes:
    """A service and its group median (or any few series) over years, as SVG bytes; a missing year is a gap.

    `colours` gives a series its role's colour (palette.ROLES, e.g. {name: SERVICE}); others take the categories in
    turn; with no `colours`, palette.SERIES (group first, then service). Points are marked, so a year standing alone
    between gaps still shows. The legend sits above the plot, a series a line, and the unit heads the value axis, so
    long names wrap rather than collide. Years are labelled as often as their labels fit, the latest always; the
    value axis's labels take `digits` places, or by default as few as tell its round ticks apart.
    """
    for name, values in series.items():
        if len(values) != len(years):
            raise ValueError(f"{name!r} has {len(values)} values for {len(years)} years")
    names = list(series)
    known = [v for values in series.values() for v in values if v is not None and math.isfinite(v)]
    low, top = min([*known, 0.0]), max([*known, 0.0])
    top = top if top > low else 1.0
    handle_mm = 7.0  # a legend's line sample and the gap after it
    legend = [_wrap(name, width_mm - handle_mm - 1, False) for name in names]
    unit_lines = _wrap(unit, width_mm, False).split("\n")
    top_mm = LINE_MM * (sum(text.count("\n") + 1 for text in legend) + len(unit_lines)) + 2.5
    figure = Figure(figsize=(width_mm * MM, height_mm * MM))
    with _STYLE_LOCK, matplotlib.rc_context(STYLE):
        # The value axis's ticks first, as their widths set the plot's left edge.
        ticks, tick_texts = _ticks(low * 1.06, top * 1.06, 5, digits)
        left_mm = max(_width_mm(text, False) for text in tick_texts) + TICK_PAD_MM + 0.5
        right_mm = max((_width_mm(year, False) for year in years), default=0.0) / 2  # the latest year's label
        axes = _axes(figure, left_mm, right_mm, top_mm=top_mm, bottom_mm=2.0 + TICK_PAD_MM + LINE_MM + 0.5)
        for name, colour in zip(names, _line_colours(names, colours), strict=True):
            ys = [math.nan if v is None or not math.isfinite(v) else v for v in series[name]]
            axes.plot(range(len(years)), ys, color=colour, linewidth=1.6, marker="o", markersize=3.2, clip_on=False)
        axes.set_xlim(-0.4, len(years) - 0.6)
        axes.set_ylim(low * 1.06, top * 1.06)
        axes.set_yticks(ticks, tick_texts)
        shown = _year_ticks(years, (width_mm - left_mm - right_mm) / max(len(years), 1))
        axes.set_xticks(shown, [years[i] for i in shown])
        axes.grid(axis="y", color=LIGHT_GREY, linewidth=0.5)
        if low < 0:
            axes.axhline(0, color=DARK_GREY, linewidth=0.6, zorder=1)  # zero, where values go below it
        axes.set_axisbelow(True)
        for side in ("top", "right", "left"):
            axes.spines[side].set_visible(False)
        _legend_and_unit(figure, legend, _line_colours(names, colours), unit_lines, handle_mm)
        return _svg(figure)


def _legend_and_unit(
    figure: Figure, legend: Sequence[str], colours: Sequence[str], unit_lines: Sequence[str], handle_mm: float
) -> None:
    """The legend from the top, a series a line (a short line of its colour, then its name), then the unit."""
    width_mm, height_mm = figure.get_figwidth() / MM, figure.get_figheight() / MM
    y_mm = height_mm - 0.5
    for text, colour in zip(legend, colours, strict=True):
        middle = y_mm - LINE_MM / 2
        figure.add_artist(
            Line2D(
                [0.5 / width_mm, 5.0 / width_mm],
                [middle / height_mm] * 2,
                color=colour,
                linewidth=1.6,
                marker="o",
                markersize=3.2,
                markevery=[1],
            )
        )
        figure.text(handle_mm / width_mm, y_mm / height_mm, text, ha="left", va="top", color=INK, linespacing=1.25)
        y_mm -= LINE_MM * (text.count("\n") + 1)
    figure.text(
        0, (y_mm - 1.5) / height_mm, "\n".join(unit_lines), ha="left", va="top", color=DARK_GREY, linespacing=1.25
    )


def _axes(figure: Figure, left_mm: float, right_mm: float, *, top_mm: float, bottom_mm: float) -> Axes:
    """Axes placed by margins in millimetres, as the measured text needs."""
    width_mm, height_mm = figure.get_figwidth() / MM, figure.get_figheight() / MM
    return figure.add_axes(
        (
            left_mm / width_mm,
            bottom_mm / height_mm,
            1 - (left_mm + right_mm) / width_mm,
            1 - (top_mm + bottom_mm) / height_mm,
        )
    )


def _svg(figure: Figure) -> bytes:
    buffer = io.BytesIO()
    figure.savefig(buffer, format="svg", metadata={"Date": None}, facecolor="white")
    return buffer.getvalue()


def _row_colours(labels: Sequence[str], marker_label: str) -> list[str]:
    others = cycle(OTHER_ROWS)
    return [SERVICE if label == marker_label else next(others) for label in labels]


def _line_colours(names: Sequence[str], colours: Mapping[str, str] | None) -> list[str]:
    if colours is None:
        return [colour for _, colour in zip(names, cycle(SERIES), strict=False)]
    others = cycle(CATEGORIES)
    return [colours[name] if name in colours else next(others) for name in names]


def _year_ticks(years: Sequence[str], step_mm: float) -> list[int]:
    """Which years to label: every k-th, counting back from the latest, with k as small as lets the labels fit."""
    widest = max((_width_mm(year, False) for year in years), default=0.0) + 1.5
    every = max(1, math.ceil(widest / step_mm)) if step_mm > 0 else 1
    return sorted(range(len(years) - 1, -1, -every))


def _ticks(low: float, high: float, bins: int, digits: int | None) -> tuple[list[float], list[str]]:
    """Round ticks within [low, high] and their labels, with as few decimal places as tell them apart exactly."""
    ticks = [float(t) for t in MaxNLocator(nbins=bins).tick_values(low, high) if low - 1e-9 <= t <= high + 1e-9]
    if digits is None:
        digits = next((d for d in range(4) if all(abs(round(t, d) - t) < 1e-9 for t in ticks)), 4)
    return ticks, [number(t, digits) for t in ticks]


@lru_cache(maxsize=4096)
def _width_mm(text: str, bold: bool) -> float:
    """How wide `text` prints in the charts' font, in millimetres (cached: the same names recur across briefings)."""
    font = FontProperties(family=FONT, size=FONT_SIZE, weight="bold" if bold else "normal")
    width, _, _ = text_to_path.get_text_width_height_descent(text, font, ismath=False)
    return width * PT_MM


def _wrap(text: str, width_mm: float, bold: bool) -> str:
    """`text` broken at spaces into lines no wider than `width_mm` (a word wider than that keeps its own line)."""
    lines: list[str] = []
    for word in text.split(" "):
        if lines and _width_mm(f"{lines[-1]} {word}", bold) <= width_mm:
            lines[-1] = f"{lines[-1]} {word}"
        else:
            lines.append(word)
    return "\n".join(lines)
