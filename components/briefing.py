"""What makes a chart stand on its own in a slide: title, subtitle, source and coverage inside the figure.

Colours are the Okabe-Ito palette (safe for the common colour-vision deficiencies), as named constants.
"""

from __future__ import annotations

import re
import textwrap

import plotly.graph_objects as go

BLUE = "#0072B2"
ORANGE = "#E69F00"
SKY = "#56B4E9"
GREEN = "#009E73"
VERMILLION = "#D55E00"
PURPLE = "#CC79A7"
YELLOW = "#F0E442"
GREY = "#8C8C8C"
LIGHT_GREY = "#D9D9D9"
INK = "#1A1A1A"
SERIES = (BLUE, ORANGE, GREEN, PURPLE, SKY, VERMILLION, YELLOW)
# Better / worse than the comparison, by polarity; neutral metrics get no judgement.
BETTER, WORSE, NEUTRAL = BLUE, VERMILLION, GREY

FONT = "Arial, Helvetica, sans-serif"
SOURCE_ACE = "Source: Arts Council England, Libraries Activity Data 2023/24; ONS mid-2024 population (OGL v3)."


def briefing_layout(
    figure: go.Figure,
    *,
    title: str,
    subtitle: str,
    source: str,
    note: str = "",
    height: int = 480,
) -> go.Figure:
    """Title says what and where; subtitle says measure, period, denominator, group; source and note inside."""
    lines = [*_wrap(note), *_wrap(source)]
    footer = "<br>".join(_escape(line) for line in lines)
    footer_lines = len(lines)
    figure.update_layout(
        title={
            "text": f"<b>{_escape(title)}</b><br><span style='font-size:13px;color:#444'>{_escape(subtitle)}</span>",
            "x": 0.01,
            "xanchor": "left",
            "y": 0.97,
            "yanchor": "top",
            "font": {"size": 18, "color": INK},
        },
        paper_bgcolor="white",
        plot_bgcolor="white",
        font={"family": FONT, "size": 12, "color": INK},
        height=height,
        margin={"l": 70, "r": 30, "t": 95, "b": 75 + 15 * footer_lines},
        legend={"orientation": "h", "yanchor": "bottom", "y": 1.0, "x": 0.0, "bgcolor": "rgba(255,255,255,0.8)"},
        hoverlabel={"bgcolor": "white"},
    )
    figure.add_annotation(
        text=f"<span style='font-size:11px;color:#444'>{footer}</span>",
        xref="paper",
        yref="paper",
        x=0,
        y=0,
        yshift=-62,
        xanchor="left",
        yanchor="top",
        align="left",
        showarrow=False,
    )
    figure.update_xaxes(showgrid=False, linecolor=GREY, ticks="outside", automargin=True)
    figure.update_yaxes(gridcolor="#EEEEEE", zerolinecolor=GREY, automargin=True)
    return figure


def export_config(filename: str) -> dict:
    """Plotly's image button: PNG at scale 2 with a meaningful file name."""
    return {
        "displaylogo": False,
        "toImageButtonOptions": {"format": "png", "scale": 2, "filename": slug(filename)},
        "modeBarButtonsToRemove": ["lasso2d", "select2d"],
    }


def slug(text: str) -> str:
    """A file-name-safe slug."""
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")[:120] or "chart"


def _wrap(text: str, width: int = 115) -> list[str]:
    """Footer lines short enough for a slide-width export."""
    return textwrap.wrap(text, width) if text else []


def _escape(text: str) -> str:
    """Plotly renders a subset of HTML in titles: escape what comes from data."""
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
