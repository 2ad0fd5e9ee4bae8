"""The library network's definitions and caveats in the reader's words, the sources they come from, and what a
downloaded table of the network is (its About block).

The definitions are those of the build (observatory_data/build/network_table.py), which the app may not import.
"""

from __future__ import annotations

from components.exports import About
from components.palette import BLUE, GREEN, PURPLE, SKY, VERMILLION
from observatory_data.serving.catalogue import (
    COVERAGE_THRESHOLD,
    OGL,
    OPEN_GOVERNMENT_LICENCE,
    POPULATION_SOURCE,
    POPULATION_VINTAGE,
)

LISTED = "Libraries Hacked's UK library database (kept by volunteers from public information)"
ACE_LOCATIONS = "Arts Council England's Libraries Location Dataset 2023 (returned by the services)"
DCMS_2016 = "the DCMS 2016 libraries dataset"
SOURCE_LISTED = f"Source: {LISTED}."
SOURCE_ACE = f"Source: {ACE_LOCATIONS}."
SOURCE_HOURS = f"Source: {DCMS_2016} (2016); {ACE_LOCATIONS} (2023)."
SOURCE_RATE = f"Source: {LISTED}; {POPULATION_SOURCE}."
LICENCE = (
    "Libraries Hacked database: MIT, compiled from public information; ACE Libraries Location Dataset: ACE open "
    f"data (attribute Arts Council England); DCMS 2016 dataset: {OGL}; ONS population: {OPEN_GOVERNMENT_LICENCE}"
)
NOT_SCOTLAND = (
    "Scotland's services are not in the observatory's register, so the UK here is England, Wales, Northern Ireland "
    "and the Crown Dependencies."
)
SOURCES_DIFFER = (
    "The two sources differ: Libraries Hacked's list is kept by volunteers from public information and covers the "
    "UK; ACE's dataset is returned by the English services and also lists mobile and prison libraries and archives, "
    "which the list mostly does not. Their counts for the same year differ, for a few services by ten or more; the "
    "build report lists the largest differences per service."
)
POPULATION_NOTE = (
    f"Residents: {POPULATION_VINTAGE} for every year (one vintage), so the rate moves only with the libraries. "
    "Northern Ireland and the Crown Dependencies have no population in these sources."
)
LAG_NOTE = (
    "Openings and closures reach the list as volunteers learn of them: the latest years may be incomplete. The list "
    "runs to the last year it records any opening or closure."
)
NOT_RECORDED = "not recorded"
# What the volunteer list counts, in a clause a subtitle or a sentence can carry.
LISTED_COUNTS = (
    "service points listed as open, including community-run ones and those with no opening year; openings and "
    "closures only where the list records a year"
)
# (term, definition): the build's definitions in the reader's words, for the page and the CSV files.
DEFINITIONS = (
    (
        "Statutory libraries",
        "England, in the years ACE's Libraries Location Dataset gives (2010, 2016, 2019, 2021, 2022 and 2023): points "
        "the services returned as statutory in that year ('Facility Not Open', 'Temporary Closure', No and unknown "
        "are not counted). The strong series for England: returned by the services themselves.",
    ),
    (
        "Listed as open",
        "Service points in Libraries Hacked's list (all nations) open at the end of the year: opened in or before "
        "the year, or with no opening year, and not closed by its end. Community-run points count, and so do points "
        "handed to community groups that the list still shows as open. A point opened and closed in the same year "
        "is an opening and a closure of that year, not open at its end.",
    ),
    ("Openings and closures", "Points in the list whose opening or closing year is the year."),
    (
        "Not recorded",
        "A service none of whose points has an opening or closing year in the list from 2010 on (Libraries NI, 21 of "
        "the 22 Welsh services, a few English ones): the list says nothing about its change, so only the points it "
        "lists as open now are counted. An area's change is given only when the list records the changes of at least "
        f"{COVERAGE_THRESHOLD:.0%} of its services, and then on those services alone.",
    ),
    (
        "Operating model",
        "England, in 2016, 2019 and 2021 to 2023 (ACE): run by the local authority (including unstaffed), "
        "community run, commissioned, or independent community library; closed, not open and unknown are not "
        "counted.",
    ),
    (
        "Weekly hours",
        "England: opening and staffed hours a week summed over the points open, 2016 from the DCMS 2016 dataset "
        "and 2023 from ACE's dataset (numeric cells only). The two datasets may count hours differently.",
    ),
)
# Operating models are categories, not roles: none takes orange, which always means the chosen service (palette.ROLES).
MODELS = (
    ("statutory_libraries", "Statutory libraries", BLUE, "circle"),
    ("local_authority", "Local authority run", VERMILLION, "square"),
    ("community_run", "Community run", GREEN, "diamond"),
    ("commissioned", "Commissioned", PURPLE, "triangle-up"),
    ("independent_community", "Independent community", SKY, "x"),
)
HOURS = (("weekly_hours", "Opening hours"), ("weekly_staffed_hours", "Staffed hours"))


def definitions_markdown() -> str:
    """The definitions and the caveats as a list, for the page."""
    lines = [f"- **{term}**: {text}" for term, text in DEFINITIONS]
    return "\n".join([*lines, f"- **Population**: {POPULATION_NOTE}", f"- **Sources**: {SOURCES_DIFFER}"])


def about(title: str, what: str, unit: str, period: str, source: str, denominator: str = "") -> About:
    """What a downloaded table is, with the definition of `what` (a DEFINITIONS term)."""
    definition = dict(DEFINITIONS).get(what, "")
    return About(title, what, definition, unit, period, denominator, source, LICENCE, notes=SOURCES_DIFFER)
