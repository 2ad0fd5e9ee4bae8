"""The observatory's one catalogue: metrics, Offers, statuses, denominators, polarities and the method's
thresholds (years are named in periods.py). The build reads it to make the tables, the app to label them, and the
Methods text is written from it. Nothing here reads a file.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

import polars as pl

from observatory_data.serving.periods import financial_year


class Status(StrEnum):
    """The status of an annual value: only reported, derived and corrected values are counted in any aggregate."""

    REPORTED = "reported"
    DERIVED = "derived"
    CORRECTED = "corrected"
    PARTIAL = "partial"
    FLAGGED = "flagged"
    NO_RETURN = "no_return"
    NOT_COLLECTED = "not_collected"


class Outcome(StrEnum):
    """What a plausibility rule does to a value (rules.RULES, the flags table's outcome): the value's status, or a
    caveat on a value that still counts."""

    FLAGGED = Status.FLAGGED.value
    CORRECTED = Status.CORRECTED.value
    DERIVED = Status.DERIVED.value
    CAVEATED = "caveated"


class ActivityStatus(StrEnum):
    """The status of a monthly line as returned in ACE's workbook."""

    REPORTED = "reported"
    CORRECTED = "corrected"
    DERIVED = "derived"
    QUARTERLY_TOTAL = "quarterly_total"
    IN_QUARTER = "in_quarter"
    ANNUAL_TOTAL = "annual_total"
    IN_YEAR = "in_year"
    MISSING = "missing"
    FLAGGED = "flagged"


# The Libraries Hacked audit's marks on ACE's published figures, and what our rules made of each (rules.py).
AUDIT_STATUSES = ("replaced", "excluded", "suspicious")
AUDIT_OUTCOMES = ("adopted", "already_applied", "not_adopted", "unreconciled", "caveated")
COUNTABLE = (Status.REPORTED.value, Status.DERIVED.value, Status.CORRECTED.value)
POLARITIES = ("higher_is_better", "lower_is_better", "neutral")
RANKED_POLARITIES = ("higher_is_better", "lower_is_better")
PER = 1_000
# Population column a metric is divided by -> how a rate on it is read.
DENOMINATORS = {
    "population": "per 1,000 residents",
    "population_0_11": "per 1,000 children aged 0-11",
    "population_12_17": "per 1,000 young people aged 12-17",
}
# Below this share of authorities and of the population reporting, a national estimate is only indicative
# (the DCMS coverage convention: publish where reporting services cover at least 70% of either).
COVERAGE_THRESHOLD = 0.70
# A service within this share of its group's median is "level with" it rather than above or below.
LEVEL_TOLERANCE = 0.005


READING = "Reading"
DIGITAL = "Information & Digital"
HEALTH = "Health & Wellbeing"
CULTURE = "Culture & Creativity"
VISION = "Vision & Print Impaired People"
CHILDREN = "Children & Young People"
# URL ids for the six Offers and Promises, in the order the app shows them.
OFFERS = {
    "reading": READING,
    "digital": DIGITAL,
    "health": HEALTH,
    "culture": CULTURE,
    "vision": VISION,
    "children": CHILDREN,
}
# The metric each Offer opens on: the one that speaks most directly to it.
OFFER_PRIMARY_METRIC = {
    "reading": "loans",
    "digital": "pc_hours",
    "health": "home_delivery",
    "culture": "event_attendance",
    "vision": "audiobook_loans",
    "children": "children_loans",
}
# How many nearest ONS neighbours a comparison group may hold, and how many it starts with.
PEER_COUNTS = tuple(range(5, 31))
PEER_COUNT = 15
HEADLINE_METRICS = ("loans", "visits", "active_users", "events", "event_attendance", "pc_hours")
# A headline metric's name where a table has a column for each (a briefing's services side by side).
HEADLINE_SHORT = {
    "loans": "Loans",
    "visits": "Visits",
    "active_users": "Active users",
    "events": "Events",
    "event_attendance": "Event attendance",
    "pc_hours": "PC hours",
}


@dataclass(frozen=True)
class Entry:
    """One metric's catalogue facts; `fields` name the rows of ACE's definitions sheet to quote."""

    label: str
    unit: str
    fields: tuple[str, ...]
    offers: tuple[str, ...]
    denominator: str = "population"
    polarity: str = "higher_is_better"


LOANS = ("Loans",)
EVENTS = ("Events",)
ATTENDANCE = ("Event attendees",)
AGES = ("Age ranges",)
LENDING = ("Additional lending methods",)
PCS = ("PC use",)
CATALOGUE: dict[str, Entry] = {
    "active_users": Entry("Active users", "people", ("Active users",), (READING,)),
    "active_users_children": Entry(
        "Active users: children (under 12)", "people", ("Active users", *AGES), (READING, CHILDREN), "population_0_11"
    ),
    "active_users_young_people": Entry(
        "Active users: young people (12-17)",
        "people",
        ("Active users", *AGES),
        (READING, CHILDREN),
        "population_12_17",
    ),
    "loans": Entry("Loans of books, audiobooks, eBooks and eAudio (renewals included)", "loans", LOANS, (READING,)),
    "physical_book_loans": Entry("Physical book loans", "loans", LOANS, (READING,)),
    "audiobook_loans": Entry("Audiobook loans (physical and eAudio)", "loans", LOANS, (READING, VISION)),
    "ebook_loans": Entry("eBook loans", "loans", LOANS, (READING, DIGITAL, VISION)),
    "eaudio_loans": Entry("eAudio loans", "loans", LOANS, (READING, DIGITAL, VISION)),
    "digital_loans": Entry("Digital loans (eBooks and eAudio)", "loans", LOANS, (READING, DIGITAL)),
    "children_loans": Entry(
        "Loans of children's content", "loans", (*LOANS, *AGES), (READING, CHILDREN), "population_0_11"
    ),
    "young_people_loans": Entry(
        "Loans of young people's content", "loans", (*LOANS, *AGES), (READING, CHILDREN), "population_12_17"
    ),
    "visits": Entry(
        "Visits (library buildings, mobile libraries and home delivery)",
        "visits",
        ("Physical visits", "Co-location", *LENDING),
        (READING, DIGITAL, HEALTH, CULTURE),
    ),
    "building_visits": Entry(
        "Visits to library buildings", "visits", ("Physical visits", "Co-location"), (READING, DIGITAL, HEALTH, CULTURE)
    ),
    "events": Entry("Events (physical and digital)", "events", EVENTS, (CULTURE, HEALTH)),
    "physical_events": Entry("Physical events", "events", EVENTS, (CULTURE, HEALTH)),
    "digital_events": Entry("Digital events", "events", EVENTS, (CULTURE, DIGITAL)),
    "event_attendance": Entry("Event attendance", "attendances", ATTENDANCE, (CULTURE, HEALTH)),
    "children_event_attendance": Entry(
        "Children's event attendance", "attendances", (*ATTENDANCE, *AGES), (CULTURE, CHILDREN), "population_0_11"
    ),
    "pc_hours": Entry("Hours of public PC and device use", "hours", PCS, (DIGITAL,), polarity="neutral"),
    "wifi_sessions": Entry("Wifi sessions", "sessions", PCS, (DIGITAL,), polarity="neutral"),
    "pcs_in_service": Entry("PCs and devices in service (31 March)", "PCs and devices", PCS, (DIGITAL,)),
    "devices_for_loan": Entry("Devices available to borrow (31 March)", "devices", PCS, (DIGITAL,)),
    "device_loans": Entry("Loans of devices (as of 31 March)", "device loans", PCS, (DIGITAL,)),
    "home_delivery": Entry(
        "Home delivery interactions", "interactions", LENDING, (READING, HEALTH, VISION), polarity="neutral"
    ),
    "mobile_library": Entry(
        "Mobile library interactions", "interactions", LENDING, (READING, HEALTH), polarity="neutral"
    ),
    "click_and_collect": Entry(
        "Click and collect interactions", "interactions", LENDING, (READING,), polarity="neutral"
    ),
}


def years_with_data(annual: pl.DataFrame, metric: str | None = None) -> list[int]:
    """The financial years the annual table holds ACE returns for (a metric's, if given), oldest first.

    A service's own long-run open data (Newcastle since 2008) does not make a year of the observatory.
    """
    rows = annual.filter(
        pl.col("source").str.starts_with(ACE_SOURCE_PREFIX) & (pl.col("status") != Status.NOT_COLLECTED)
    )
    if metric is not None:
        rows = rows.filter(pl.col("metric") == metric)
    return sorted(rows.filter(pl.col("value").is_not_null())["year"].unique().to_list())


# The nations of the register (Scotland is not in it), by the names the services table gives them.
ENGLAND = "England"
WALES = "Wales"
NORTHERN_IRELAND = "Northern Ireland"
CROWN_DEPENDENCY = "Crown Dependency"
NATIONS = (ENGLAND, WALES, NORTHERN_IRELAND, CROWN_DEPENDENCY)


def english_regions(services: pl.DataFrame) -> list[str]:
    """England's regions in the services table, in alphabetical order (the areas below England every page offers)."""
    return sorted(services.filter(pl.col("nation") == ENGLAND)["region"].drop_nulls().unique().to_list())


# The places lists: each service's flag -> the column of the district list it comes from; a flag is one of
# PLACE_FLAG_VALUES (the lists are partial, and unknown is not "no").
PLACE_FLAGS = {"priority_place": "priority_place_2021_24", "lucp": "lucp_2022_26"}
PLACE_FLAG_VALUES = ("yes", "no", "unknown")

# The vintages of the sources, named once: pages and charts quote these, never a typed year.
POPULATION_VINTAGE = "ONS mid-2024"
IMD_NAME = "IMD 2019"
WIMD_NAME = "WIMD 2019"
CODES_VINTAGE = "April 2023"
ACE_ACTIVITY = "Arts Council England, Libraries Activity Data"
ACE_SOURCE_PREFIX = "ACE Libraries Activity Data"
# The licences, named once: the full name, and the short form a source line uses.
OPEN_GOVERNMENT_LICENCE = "Open Government Licence v3.0"
OGL = "OGL v3"  # the Open Government Licence v3.0, as a source line names it
DATA_LICENCE = (
    "Libraries Activity Data: Arts Council England open data (attribute Arts Council England); ONS population "
    f"and boundaries: {OPEN_GOVERNMENT_LICENCE}"
)  # the licence line of every CSV of ACE's activity data
POPULATION_SOURCE = f"{POPULATION_VINTAGE} population ({OGL})"
BOUNDARIES_SOURCE = f"Boundaries: ONS ({OGL}), contains OS data"  # a source line ends it with '.' or adds to it


def ace_source(year: int) -> str:
    """The source line of a chart of ACE's activity data for one year, with the population it is divided by."""
    return f"Source: {ACE_ACTIVITY} {financial_year(year)}; {POPULATION_SOURCE}."


def ace_years_source(years: list[int]) -> str:
    """The source line of a chart over several years of ACE data (one population vintage divides every year)."""
    named = ", ".join(financial_year(year) for year in years)
    return f"Source: {ACE_ACTIVITY} {named}; {POPULATION_SOURCE}."


def change_source(start: int, end: int) -> str:
    """The source line of a chart of the change between two years of ACE's activity data."""
    years = f"{financial_year(start)} and {financial_year(end)}"
    return f"Source: {ACE_ACTIVITY} {years}; {POPULATION_SOURCE} for both years."
