"""The `metrics` catalogue: what each annual metric means, where it comes from and how to read it.

Definitions quote ACE's own 'Field definitions and notes' sheet, read from the workbook at build time
(so the wording is the publisher's, for the year being shown), followed by one sentence of how this
project derives the metric. Offers are the Universal Library Offers the metric speaks to.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import openpyxl
import polars as pl

from observatory_data.activity import ACE_SOURCE
from observatory_data.annual import MONTHLY_METRICS, POINT_METRICS
from observatory_data.errors import BuildError

DEFINITIONS_SHEET = "Field definitions and notes"
NEWCASTLE_SOURCE = "Newcastle City Council open data (via Open Innovations)"

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
HEADLINE_METRICS = ("loans", "visits", "active_users", "events", "event_attendance", "pc_hours")


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
    "loans": Entry("Loans (all formats)", "loans", LOANS, (READING,)),
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
        "Physical visits", "visits", ("Physical visits", "Co-location"), (READING, DIGITAL, HEALTH, CULTURE)
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
PHYSICAL_ISSUES_DEFINITION = (
    "Items issued at the service's libraries each month, as the service counts them (its own open data, not "
    "an ACE return: formats and the treatment of renewals are the service's). Not comparable with ACE loans."
)


def read_field_definitions(path: Path) -> dict[str, str]:
    """ACE's field name -> definition text, from the workbook's definitions sheet."""
    workbook = openpyxl.load_workbook(path, read_only=True, data_only=True)
    try:
        if DEFINITIONS_SHEET not in workbook.sheetnames:
            raise BuildError(f"{path.name}: no sheet '{DEFINITIONS_SHEET}' (sheets: {workbook.sheetnames})")
        sheet = workbook[DEFINITIONS_SHEET]
        sheet.reset_dimensions()  # the sheet's stored size is wrong (1 x 1); read what is there
        rows = list(sheet.iter_rows(values_only=True))
    finally:
        workbook.close()
    return {
        str(row[0]).strip(): " ".join(str(row[1]).split())
        for row in rows
        if len(row) > 1 and row[0] is not None and row[1] is not None
    }


def _derivation(metric: str) -> str:
    """One sentence on how this project gets the metric from the returned lines."""
    if metric in POINT_METRICS:
        _, age, covers_year = POINT_METRICS[metric]
        when = "the year April 2023 - March 2024" if covers_year else "31 March 2024"
        line = f"the {age.replace('_', ' ')} line" if age else "the figure"
        return f"Derived: {line} as returned, one figure for {when}."
    parts = MONTHLY_METRICS[metric]
    sentence = (
        f"Derived: the sum of {' + '.join(p.label for p in parts)} over the 12 months (or the 4 quarterly "
        "totals, or one year figure entered in March)"
    )
    required = [p.label for p in parts if p.required]
    optional = [p.label for p in parts if not p.required]
    if len(parts) > 1 and required:
        sentence += f"; partial if {', '.join(required)} is blank"
    if len(parts) > 1 and optional:
        sentence += f"; {', '.join(optional)} may be blank (then not included, and the note says so)"
    return sentence + "."


def build_metrics(workbook: Path) -> pl.DataFrame:
    """The catalogue frame, one row per annual metric; a definition field missing from the workbook is an error."""
    fields = read_field_definitions(workbook)
    rows = []
    for metric, entry in CATALOGUE.items():
        missing = [name for name in entry.fields if name not in fields]
        if missing:
            raise BuildError(f"{workbook.name}, sheet '{DEFINITIONS_SHEET}', column A: no field {missing} for {metric}")
        quoted = " ".join(f"ACE, {name}: {fields[name].rstrip('.')}." for name in entry.fields)
        rows.append(_row(metric, entry, f"{quoted} {_derivation(metric)}", ACE_SOURCE))
    physical_issues = Entry("Physical issues (service's own count)", "issues", (), (READING,))
    rows.append(_row("physical_issues", physical_issues, PHYSICAL_ISSUES_DEFINITION, NEWCASTLE_SOURCE))
    return pl.DataFrame(
        rows,
        schema={
            "metric": pl.String,
            "label": pl.String,
            "unit": pl.String,
            "definition": pl.String,
            "offers": pl.List(pl.String),
            "denominator": pl.String,
            "polarity": pl.String,
            "source": pl.String,
        },
    )


def _row(metric: str, entry: Entry, definition: str, source: str) -> dict:
    return {
        "metric": metric,
        "label": entry.label,
        "unit": entry.unit,
        "definition": definition,
        "offers": list(entry.offers),
        "denominator": entry.denominator,
        "polarity": entry.polarity,
        "source": source,
    }
