"""The `metrics` catalogue: what each annual metric means, where it comes from and how to read it.

Definitions quote ACE's own 'Field definitions and notes' sheet, read from the workbook at build time
(so the wording is the publisher's), with its dates made period-free: a definition holds for every year, and
the period goes in a chart's subtitle. Then one sentence of how this project derives the metric. Offers are
the Universal Library Offers the metric speaks to.
"""

from __future__ import annotations

import re
from pathlib import Path

import openpyxl
import polars as pl

from observatory_data.build.annual import MONTHLY_METRICS, POINT_METRICS
from observatory_data.build.audit_file import AUDIT_METRICS
from observatory_data.serving.catalogue import CATALOGUE, READING, Entry
from observatory_data.serving.errors import BuildError
from observatory_data.serving.schema import polars_schema

DEFINITIONS_SHEET = "Field definitions and notes"
NEWCASTLE_SOURCE = "Newcastle City Council open data (via Open Innovations)"

PHYSICAL_ISSUES_DEFINITION = (
    "Items issued at the service's libraries each month, as the service counts them (its own open data, not "
    "an ACE return: formats and the treatment of renewals are the service's). Not comparable with ACE loans."
)


# ACE's notes name the 2023/24 collection's dates; the same definitions hold for every year.
PERIOD_PHRASES = (
    (re.compile(r"\bin the period April \d{4} ?[-–] ?March \d{4}"), "in the financial year (April to March)"),
    (re.compile(r"\bfrom April \d{4} to March \d{4}"), "over the financial year (April to March)"),
    (re.compile(r"\b(?:as of )?31st March \d{4}"), "on 31 March, the year's end"),
    (re.compile(r"\bacross \d{4}/\d{2}"), "across the year"),
)


def period_free(text: str) -> str:
    """ACE's definition with the collection's dates replaced by the financial year they stand for."""
    for pattern, words in PERIOD_PHRASES:
        text = pattern.sub(words, text)
    return text


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
        str(row[0]).strip(): period_free(" ".join(str(row[1]).split()))
        for row in rows
        if len(row) > 1 and row[0] is not None and row[1] is not None
    }


def _derivation(metric: str) -> str:
    """How this project gets the metric from the returned lines, and in years published as whole-year figures."""
    sentence = _from_lines(metric)
    if metric in AUDIT_METRICS.values():
        sentence += (
            " In years ACE publishes as whole-year figures per service (its official statistics), ACE's figure, "
            "which counts the same lines."
        )
    return sentence


def _from_lines(metric: str) -> str:
    """One sentence on how this project gets the metric from the returned lines."""
    if metric in POINT_METRICS:
        _, age, covers_year = POINT_METRICS[metric]
        when = "the financial year (April to March)" if covers_year else "31 March, the year's end"
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


def build_metrics(workbook: Path, source: str) -> pl.DataFrame:
    """The catalogue frame, one row per annual metric; a definition field missing from the workbook is an error."""
    fields = read_field_definitions(workbook)
    rows = []
    for metric, entry in CATALOGUE.items():
        missing = [name for name in entry.fields if name not in fields]
        if missing:
            raise BuildError(f"{workbook.name}, sheet '{DEFINITIONS_SHEET}', column A: no field {missing} for {metric}")
        quoted = " ".join(f"ACE, {name}: {fields[name].rstrip('.')}." for name in entry.fields)
        rows.append(_row(metric, entry, f"{quoted} {_derivation(metric)}", source))
    physical_issues = Entry("Physical issues (service's own count)", "issues", (), (READING,))
    rows.append(_row("physical_issues", physical_issues, PHYSICAL_ISSUES_DEFINITION, NEWCASTLE_SOURCE))
    return pl.DataFrame(rows, schema=polars_schema("metrics"))


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
