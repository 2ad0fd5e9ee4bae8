"""Map classes shared by the web map, the PNG and the hex cartogram, so all three agree on every colour."""

from __future__ import annotations

import textwrap
from dataclasses import dataclass

import numpy as np
import polars as pl

from components.briefing import CAVEAT_WRAP
from observatory_data.queries import COMPARABLE, left_out_note, not_comparable, ordinal

# ColorBrewer YlGnBu, 5 classes: sequential and safe for the common colour-vision deficiencies.
SEQUENTIAL = ("#ffffcc", "#a1dab4", "#41b6c4", "#2c7fb8", "#253494")
# Two kinds of missing, never a class colour: an English service that made no countable return, and a
# service outside England, where Arts Council England collects nothing.
NO_DATA = "#d9d9d9"
NO_DATA_LABEL = "No return / not comparable"
NOT_COLLECTED = "#f0f0f0"
NOT_COLLECTED_LABEL = "Not collected: outside England"
MISSING = ((NO_DATA, NO_DATA_LABEL), (NOT_COLLECTED, NOT_COLLECTED_LABEL))
# Each renderer draws these textures its own way (hatch lines, dots), so the two greys differ in print too.
TEXTURES = {NO_DATA: "hatch", NOT_COLLECTED: "dots"}
METHOD = "quantiles"


@dataclass(frozen=True)
class Classes:
    """Class breaks and colours; `frame` has one row per service with its class, colour and tooltip text.

    `left_out` names the services whose caveated rates are shown grey, outside the classes and their breaks.
    """

    frame: pl.DataFrame
    breaks: list[float]
    colours: tuple[str, ...]
    left_out: tuple[str, ...] = ()

    @property
    def note(self) -> str:
        """A sentence for the legend or the footer: who is grey though it reported, and why ('' if nobody)."""
        text = left_out_note(list(self.left_out), " of the classes (grey)")
        return f"{text}." if text else ""

    def legend(self, unit: str) -> list[tuple[str, str]]:
        """(colour, label) per class, then each kind of missing that at least one service falls in."""
        rows = []
        for index, colour in enumerate(self.colours):
            low, high = self.breaks[index], self.breaks[index + 1]
            rows.append((colour, f"{low:,.0f} to {high:,.0f} {unit}".rstrip()))
        drawn = set(self.frame["colour"])
        missing = [(colour, label) for colour, label in MISSING if colour in drawn]
        return [*rows, *missing]


def classify(rates: pl.DataFrame, polarity: str, classes: int = 5) -> Classes:
    """Quantile classes over the English services with a comparable rate; the palette is reversed when lower
    is better. Services outside England are "not collected" whatever their row says: ACE collects England only.
    A caveated rate would stretch the breaks (the City of London's are 9-19x the median), so it is left out of
    them and of the ranking, drawn grey, and its tooltip gives the rate with the caveat.

    `rates` needs service_code, service_name, nation, rate, value, status and caveat (queries.service_rates).
    """
    english = rates.filter(pl.col("nation") == "England")
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
        in_england = row["nation"] == "England"
        classed = in_england and rate is not None and caveat is None
        index = int(np.searchsorted(inner, rate, side="right")) if classed else None
        position = positions.get(row["service_code"])
        status = (row["status"] or "no_return").replace("_", " ")
        if caveat:
            status = "\n".join(textwrap.wrap(f"{status}; rate not comparable: {caveat}", CAVEAT_WRAP))
        records.append(
            {
                "service_code": row["service_code"],
                "class_index": index,
                "colour": colours[index] if index is not None else NO_DATA if in_england else NOT_COLLECTED,
                "rate_text": "no countable value" if rate is None else f"{rate:,.1f}",
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
