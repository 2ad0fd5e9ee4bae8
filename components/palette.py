"""Every colour the components draw with, named once: charts, the web map, the PNG map and the hex cartogram.

Colours are the Okabe-Ito palette (safe for the common colour-vision deficiencies), as named constants, and each thing
a chart can show about a service (the service, its comparison group, its region, England) has one colour on every page
and in every export (the ROLE constants). The map classes' own scales are in components.classes.
"""

from __future__ import annotations

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
DARK_GREY = "#595959"
# One colour per role, on every page: the chosen service is always orange, its comparison group (nearest neighbours,
# a chosen group, and the group's median) blue, its region green, England dark grey, every other service light grey.
SERVICE = ORANGE
GROUP = BLUE
REGION = GREEN
ENGLAND = DARK_GREY
OTHER_SERVICES = LIGHT_GREY
ROLES = {"service": SERVICE, "group": GROUP, "region": REGION, "england": ENGLAND, "other services": OTHER_SERVICES}
# Lines, boxes or bars that are not a role (a service's own metrics, the Priority Places groups) take these in turn:
# orange is left out, as it always means the chosen service.
CATEGORIES = (BLUE, GREEN, PURPLE, SKY, VERMILLION, DARK_GREY)
# A line chart given no colours takes these in turn (a chart of a group's median then the service reads GROUP, SERVICE).
SERIES = (GROUP, SERVICE, GREEN, PURPLE, SKY, VERMILLION, YELLOW)
# Better / worse than the comparison, by polarity; neutral metrics get no judgement.
BETTER, WORSE, NEUTRAL = BLUE, VERMILLION, GREY

# The maps' lines, the same on the web map, the PNG and the hexagons.
EDGE = "#555555"  # a service's outline, and the lines of the no-return hatch
DOTS = "#8c8c8c"  # the dots of the not-collected texture (GREY, as SVG and matplotlib are given it)
FRAME = "#777777"  # the frame of the PNG's insets and of the web legend's swatches
PRIORITY_OUTLINE = PURPLE  # the outline of the Priority Places
LUCP_OUTLINE = VERMILLION  # the outline of the Levelling Up for Culture Places
POINT_FILL, POINT_EDGE = ORANGE, "#333333"  # a service point
# The selected service: a black outline over a white halo, thick enough to find at national zoom, on any class colour.
SELECTED_EDGE = "#000000"
