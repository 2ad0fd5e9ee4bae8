"""Map classes shared by the web map, the PNG and the hex cartogram, so all three agree on every colour."""

from __future__ import annotations

import itertools
import math
import textwrap
from dataclasses import dataclass

import numpy as np
import polars as pl

from components.figure_layout import CAVEAT_WRAP
from components.sentences import left_out_note
from observatory_data.serving.catalogue import ENGLAND, Status
from observatory_data.serving.change import COMPARABLE_CHANGE
from observatory_data.serving.formats import MINUS, ordinal, status_words
from observatory_data.serving.periods import financial_year
from observatory_data.serving.rates import COMPARABLE, not_comparable

# ColorBrewer YlGnBu, 5 classes: sequential and safe for the common colour-vision deficiencies.
SEQUENTIAL = ("#ffffcc", "#a1dab4", "#41b6c4", "#2c7fb8", "#253494")
# Two kinds of missing, never a class colour: an English service that made no countable return, and a
# service outside England, where Arts Council England collects nothing.
NO_DATA = "#d9d9d9"
NO_DATA_LABEL = "No return / not comparable"
NOT_COLLECTED = "#f0f0f0"
NOT_COLLECTED_LABEL = "Not collected: outside England"
# Each renderer draws these textures its own way (hatch lines, dots), so the two greys differ in print too.
TEXTURES = {NO_DATA: "hatch", NOT_COLLECTED: "dots"}
METHOD = "quantiles"
# ColorBrewer BrBG, 6 classes: diverging and safe for the common colour-vision deficiencies; brown for a fall,
# teal for a rise (no judgement of better or worse), and a light middle pair that is not the missing-data grey.
DIVERGING = ("#8c510a", "#d8b365", "#f6e8c3", "#c7eae5", "#5ab4ac", "#01665e")
CHANGE_NO_DATA_LABEL = "No countable figure in one of the two years"
NICE_STEPS = (1.0, 2.0, 2.5, 5.0)
# The tooltip lines of a map of rates: (column of the classes' frame, label; {unit} is filled in by the renderer).
RATE_FIELDS = (
    ("rate_text", "Rate ({unit})"),
    ("value_text", "Count"),
    ("position_text", "Rank"),
    ("status_text", "Status"),
)


@dataclass(frozen=True)
class Classes:
    """Class breaks and colours; `frame` has one row per service with its class, colour and tooltip text.

    `left_out` names the services whose caveated rates are shown grey, outside the classes and their breaks.
    `fields` are the tooltip's lines; `labels`, if given, name the classes instead of their breaks.
    """

    frame: pl.DataFrame
    breaks: list[float]
    colours: tuple[str, ...]
    left_out: tuple[str, ...] = ()
    method: str = METHOD
    fields: tuple[tuple[str, str], ...] = RATE_FIELDS
    labels: tuple[str, ...] = ()
    no_data_label: str = NO_DATA_LABEL

    @property
    def note(self) -> str:
        """A sentence for the legend or the footer: who is grey though it reported, and why ('' if nobody)."""
        text = left_out_note(list(self.left_out), " of the classes (grey)")
        return f"{text}." if text else ""

    def legend(self, unit: str) -> list[tuple[str, str]]:
        """(colour, label) per class, then each kind of missing that at least one service falls in."""
        labels = self.labels or [
            f"{low:,.0f} to {high:,.0f} {unit}".rstrip() for low, high in itertools.pairwise(self.breaks)
        ]
        drawn = set(self.frame["colour"])
        missing = [(NO_DATA, self.no_data_label), (NOT_COLLECTED, NOT_COLLECTED_LABEL)]
        return [*zip(self.colours, labels, strict=False), *((c, label) for c, label in missing if c in drawn)]


def classify(rates: pl.DataFrame, polarity: str, classes: int = 5) -> Classes:
    """Quantile classes over the English services with a comparable rate; the palette is reversed when lower
    is better. Services outside England are "not collected" whatever their row says: ACE collects England only.
    A caveated rate would stretch the breaks (the City of London's are 9-19x the median), so it is left out of
    them and of the ranking, drawn grey, and its tooltip gives the rate with the caveat.

    `rates` needs service_code, service_name, nation, rate, value, status and caveat (rates.service_rates).
    """
    english = rates.filter(pl.col("nation") == ENGLAND)
    counted = english.filter(COMPARABLE)
    values = counted["rate"].to_numpy()
    breaks = list(np.unique(np.quantile(values, np.linspace(0, 1, classes + 1)))) if len(values) else [0.0, 0.0]
    colours = SEQUENTIAL[::-1] if polarity == "lower_is_better" else SEQUENTIAL
    colours = colours[: max(len(breaks) - 1, 1)]
    inner = breaks[1:-1]
    ranked = counted.with_columns(position=pl.col("rate").rank("min", descending=True).cast(pl.Int64))
    positions = dict(ranked.select("service_code", "position").iter_rows())
    total = counted.height
    records = []
    for row in rates.iter_rows(named=True):
        rate = row["rate"]
        caveat = row["caveat"] if rate is not None else None
        in_england = row["nation"] == ENGLAND
        classed = in_england and rate is not None and caveat is None
        index = int(np.searchsorted(inner, rate, side="right")) if classed else None
        position = positions.get(row["service_code"])
        status = _with_caveat(status_words(row["status"], bool(row.get("returned"))), caveat)
        records.append(
            {
                "service_code": row["service_code"],
                "class_index": index,
                "colour": _fill(colours, index, in_england),
                "rate_text": _rate_text(rate),
                "value_text": "missing" if row["value"] is None else f"{row['value']:,.0f}",
                "position_text": f"{ordinal(position)} highest of {total} English services with data"
                if position
                else f"not ranked{': rate not comparable' if caveat else ''}",
                "status_text": status,
            }
        )
    frame = rates.join(pl.DataFrame(records), on="service_code", how="left")
    return Classes(
        frame=frame,
        breaks=[float(b) for b in breaks],
        colours=tuple(colours),
        left_out=tuple(not_comparable(english)),
    )


def _fill(colours: tuple[str, ...], index: int | None, in_england: bool) -> str:
    """A class's colour, or the grey of the kind of missing: no countable figure in England, not collected outside."""
    return colours[index] if index is not None else NO_DATA if in_england else NOT_COLLECTED


def _with_caveat(status: str, caveat: str | None) -> str:
    """The status, and why the rate is not comparable, in lines short enough for a tooltip (which never wraps)."""
    if not caveat:
        return status
    return "\n".join(textwrap.wrap(f"{status}; rate not comparable: {caveat}", CAVEAT_WRAP))


def change_step(changes: np.ndarray) -> float:
    """The class width of a change map: the 'nice' number (1, 2, 2.5 or 5 times a power of ten) nearest the median
    absolute change, so about half the services fall in the two classes either side of no change."""
    typical = float(np.median(np.abs(changes))) if len(changes) else 0.0
    if typical <= 0:
        return 1.0
    power = math.floor(math.log10(typical))
    steps = [nice * 10.0**exponent for exponent in (power - 1, power, power + 1) for nice in NICE_STEPS]
    return min(steps, key=lambda step: abs(math.log(step / typical)))


def _percent(value: float, decimals: bool = False) -> str:
    """'+10%', '−2.5%', '0%' (with `decimals`, '+10.0%'): a true minus sign, and a sign on every change."""
    sign = MINUS if value < 0 else "+" if value > 0 else ""
    return f"{sign}{abs(value):,.1f}%" if decimals else f"{sign}{abs(value):g}%"


def classify_change(changes: pl.DataFrame, start: int, end: int, per: str) -> Classes:
    """Classes of the percentage change of a rate (change.rate_change's frame): equal steps either side of zero, so
    a fall and a rise of the same size get colours of the same strength. Grey where either year has no countable
    figure; a caveated service's change is shown in its tooltip but left out of the steps, grey, like its rate.
    """
    english = changes.filter(pl.col("nation") == ENGLAND)
    step = change_step(english.filter(COMPARABLE_CHANGE)["change"].to_numpy())
    half = len(DIVERGING) // 2
    inner = [step * k for k in range(1 - half, half)]
    labels = (
        f"under {_percent(inner[0])}",
        *(f"{_percent(low)} to {_percent(high)}" for low, high in itertools.pairwise(inner)),
        f"{_percent(inner[-1])} or more",
    )
    first, last = financial_year(start), financial_year(end)
    records = []
    for row in changes.iter_rows(named=True):
        change, caveat, in_england = row["change"], row["caveat"], row["nation"] == ENGLAND
        classed = in_england and change is not None and caveat is None
        index = int(np.searchsorted(inner, change, side="right")) if classed else None
        status = (
            f"{first} {status_words(row['status_from'], bool(row.get('returned_from')))}; "
            f"{last} {status_words(row['status_to'] or Status.NO_RETURN, bool(row.get('returned_to')))}"
        )
        if row["rate_from"] == 0:
            status += f"; no percentage change from a rate of zero in {first}"
        records.append(
            {
                "service_code": row["service_code"],
                "class_index": index,
                "colour": _fill(DIVERGING, index, in_england),
                "change_text": "no change computed" if change is None else _percent(change, decimals=True),
                "from_text": _rate_text(row["rate_from"]),
                "to_text": _rate_text(row["rate_to"]),
                "status_text": status_words(Status.NOT_COLLECTED) if not in_england else _with_caveat(status, caveat),
            }
        )
    return Classes(
        frame=changes.join(pl.DataFrame(records), on="service_code", how="left"),
        breaks=[-math.inf, *inner, math.inf],
        colours=DIVERGING,
        left_out=tuple(english.filter(pl.col("change").is_not_null() & pl.col("caveat").is_not_null())["service_name"]),
        method=f"steps of {step:g}% either side of no change",
        fields=(
            ("change_text", "Change in the rate"),
            ("from_text", f"{first} ({per})"),
            ("to_text", f"{last} ({per})"),
            ("status_text", "Status"),
        ),
        labels=labels,
        no_data_label=CHANGE_NO_DATA_LABEL,
    )


def _rate_text(rate: float | None) -> str:
    return "no countable value" if rate is None else f"{rate:,.1f}"
