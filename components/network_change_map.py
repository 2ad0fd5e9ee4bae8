"""The change map of the library network: each service's class of change in service points listed as open since 2010,
and the hex cartogram coloured by it.
"""

from __future__ import annotations

import plotly.graph_objects as go
import polars as pl

from components.classes import NO_DATA, Classes
from components.figure_layout import Labels
from components.hexmap import hex_figure
from components.network_definitions import NOT_RECORDED
from components.network_text import change_text
from observatory_data.serving.catalogue import ENGLAND
from observatory_data.serving.network_queries import BASE_YEAR

# Change since 2010: fewer in browns, no change white, more in teal (ColorBrewer BrBG, as the other change maps;
# safe for the common colour-vision deficiencies):
# (upper bound of the class, inclusive; label) per measure.
CHANGE_COLOURS = ("#8c510a", "#d8b365", "#f6e8c3", "#ffffff", "#5ab4ac")
CHANGE_CLASSES = {
    "percent": ((-25, "25% fewer or more"), (-10, "10% to 25% fewer"), (-1e-9, "Under 10% fewer"),
                (0, "No change"), (float("inf"), "More")),
    "count": ((-5, "5 fewer or more"), (-2, "2 to 4 fewer"), (-1, "1 fewer"), (0, "No change"),
              (float("inf"), "More")),
}  # fmt: skip
NOT_LISTED = "Change not recorded in Libraries Hacked's list"


def change_classes(change: pl.DataFrame, services: pl.DataFrame, measure: str, year: int) -> Classes:
    """Each service's class of change since 2010 (`measure`: 'percent' or 'count', fixed CHANGE_CLASSES so a map
    of one region reads like a map of the UK) and its tooltip. `change` is network_queries.change_since."""
    classes = CHANGE_CLASSES[measure]
    records = []
    for row in change.join(services, on="service_code").iter_rows(named=True):
        value = row["change_pct"] if measure == "percent" else row["change"]
        index = None if value is None else next(i for i, (upper, _) in enumerate(classes) if value <= upper)
        records.append(
            {
                "service_code": row["service_code"],
                "service_name": row["service_name"],
                "colour": NO_DATA if index is None else CHANGE_COLOURS[index],
                "change_text": NOT_RECORDED if row["change"] is None else change_text(row["change"], row["change_pct"]),
                "from_text": NOT_RECORDED if row["before"] is None else f"{row['before']:,}",
                "to_text": "no points listed" if row["after"] is None else f"{row['after']:,}",
                "place_text": row["region"] if row["nation"] == ENGLAND else row["nation"],
            }
        )
    return Classes(
        frame=pl.DataFrame(records),
        breaks=[],
        colours=CHANGE_COLOURS,
        method="fixed steps",
        fields=(
            ("change_text", "Change"),
            ("from_text", f"Listed as open, end of {BASE_YEAR}"),
            ("to_text", f"Listed as open, end of {year}"),
            ("place_text", "Region or nation"),
        ),
        labels=tuple(label for _, label in classes),
        no_data_label=NOT_LISTED,
    )


def change_map(layout: pl.DataFrame, classes: Classes, labels: Labels, year: int) -> go.Figure:
    """The hex cartogram (components.hexmap) coloured by change in libraries open since 2010."""
    unit = f"change in service points listed as open, end of {BASE_YEAR} to end of {year}"
    return hex_figure(
        layout, classes, title=labels.title, subtitle=labels.subtitle, unit=unit, source=labels.source, note=labels.note
    )
