"""Chart types, one module each: frames in, briefing-ready plotly figures out; no data access here.

Sibling chart modules never import each other (an import-linter contract in pyproject.toml): what they share is
outside this package, in components.palette (colours), components.figure_layout (Labels, the heading, footer,
fonts and wrapping) and components.rate_points (the dots, hover text and caveated points of services' rates).
Modules that give a chart type one page's words (components.gaps, components.network_figures, components.trends)
import the chart type from here.
"""
