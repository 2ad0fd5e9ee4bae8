"""What a chart's camera button saves, and the file names of downloads.

The camera button saves a fixed size whatever the window, so a PNG never depends on the reader's screen.
"""

from __future__ import annotations

import re

EXPORT_FORMAT = "png"
EXPORT_WIDTH = 1600
EXPORT_HEIGHT = 900
EXPORT_SCALE = 2  # 3200 x 1800 pixels: sharp on a slide


def export_config(filename: str) -> dict:
    """Plotly's image button: a fixed-size PNG (not the window's size) with a meaningful file name."""
    return {
        "displaylogo": False,
        "toImageButtonOptions": {
            "format": EXPORT_FORMAT,
            "filename": slug(filename),
            "width": EXPORT_WIDTH,
            "height": EXPORT_HEIGHT,
            "scale": EXPORT_SCALE,
        },
        # sendChartToCloud ("Share chart...") would upload the chart and its data to Plotly's cloud.
        "modeBarButtonsToRemove": ["lasso2d", "select2d", "sendChartToCloud"],
    }


def slug(text: str) -> str:
    """A file-name-safe slug (a PNG's or a CSV's name)."""
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")[:120] or "chart"
