"""The words around a map, and the numbers behind it: one year's rates, or the change between two years.

Shared by the web map, the hexagons and the PNG, so the three say the same (their tooltips, the places lists'
outlines); pure (catalogue entry and frames in).
"""

from __future__ import annotations

import textwrap

import polars as pl

from components.classes import Classes
from components.figure_layout import CAVEAT_WRAP
from components.palette import LUCP_OUTLINE, PRIORITY_OUTLINE
from components.text import change_words, matched_words
from observatory_data.serving.audit_marks import AUDIT_COLUMNS, sentence_expr
from observatory_data.serving.catalogue import DENOMINATORS, ENGLAND, POPULATION_VINTAGE, ace_source, change_source
from observatory_data.serving.change import MatchedChange, change_summary
from observatory_data.serving.coverage import aggregate
from observatory_data.serving.formats import sentence_case
from observatory_data.serving.periods import financial_year, span

# The places lists a map can outline: legend label, colour and dash (None: solid), on the web map and the PNG.
OUTLINES = {
    "priority": ("Priority Places (outline)", PRIORITY_OUTLINE, None),
    "lucp": ("Levelling Up for Culture Places (outline)", LUCP_OUTLINE, "6 4"),
}
# The audit's mark as the tooltip's last line on a map of one year's rates; the Data page has every note whole.
AUDIT_FIELD = ("audit_text", "Audit mark")
AUDIT_TOOLTIP_CHARACTERS = 300
NO_MARK = "none"
ENGLAND_ONLY = (
    "ACE collects activity in England only: Wales, Northern Ireland and the Crown Dependencies are shown as not "
    "collected; Scotland is not covered"
)
CHANGE_COLUMN = (
    "Change in the rate (%)",
    "Percentage change of the rate from the first year to the second; empty where either year has no countable "
    "figure or the first rate is zero",
)
IN_TOTAL_COLUMN = (
    "In England's total change",
    "Whether the service's count enters England's headline change: an English service countable in both years "
    "(caveated or not), as the change in the total of those services is measured",
)


def map_labels(
    entry: dict, years: tuple[int, ...], frame: pl.DataFrame, matched: MatchedChange | None = None
) -> dict[str, str]:
    """The words of a map of one year's rates (`years` has one year; `frame` from rates.service_rates) or of the
    change between two years (`frame` from change.rate_change, `matched` England's headline from
    change.england_change); `entry` is the metric's row of the metrics table.

    A change map colours each service by its own change, but its headline is England's: the change in the total of
    the services countable in both years, as every page has it; the median of the services' changes is named as such.
    """
    per = DENOMINATORS[entry["denominator"]]
    common = {"per": per, "unit_word": entry["unit"], "polarity": entry["polarity"]}
    if len(years) == 1:
        summary = aggregate(frame.filter(pl.col("nation") == ENGLAND))
        period = financial_year(years[0])
        return common | {
            "title": f"{entry['label']} {per}, library services in England, {period}",
            "subtitle": f"{entry['label']} {per} ({POPULATION_VINTAGE}), by library service. {ENGLAND_ONLY}",
            "unit": per,
            "coverage": f"England: {summary.reported} of {summary.of} services reported",
            "span": period,
            "source": ace_source(years[0]),
            "grey": "Hatched grey: an English service with no countable return, or a rate that is not comparable",
        }
    if matched is None:
        raise ValueError("a change map needs England's matched change (change.england_change)")
    changed = change_summary(frame, matched)
    period = span(*years)
    headline = f"England: {matched_words(matched)}"
    median = (
        f"median of the services' own changes: {change_words(changed.median / 100)} ({changed.compared} services)"
        if changed.median is not None
        else "no median of the services' own changes (no service has a comparable change)"
    )
    label = entry["label"] if entry["label"][1:2].isupper() else entry["label"][:1].lower() + entry["label"][1:]
    return common | {
        "title": f"Change in {label} {per}, England, {period}",
        "subtitle": f"Each library service's own percentage change of {label} {per} from {period}; both years are "
        f"divided by the {POPULATION_VINTAGE} population, so this is the change in the count. {ENGLAND_ONLY}",
        "unit": f"% change in each service's rate {per}",
        "coverage": f"{headline}; {median}",
        "span": period,
        "source": change_source(*years),
        "grey": "Hatched grey: no countable figure in one of the two years, or a rate that is not comparable",
        "notes": f"Colours: each service's own change in the rate (column '{CHANGE_COLUMN[0]}'). {headline} (marked in "
        f"the column '{IN_TOTAL_COLUMN[0]}'). {sentence_case(median)}; caveated rates and first rates of zero are left "
        "out of it.",
    }


def png_note(labels: dict[str, str]) -> str:
    """The PNG's footer: coverage, source and what its two textures mean."""
    return (
        f"{labels['coverage']}. {labels['source']} {labels['grey']}; dotted: ACE does not collect activity outside "
        "England."
    )


def _tooltip_text(sentence: str | None) -> str:
    """A sentence shortened for a tooltip and cut into lines (a tooltip never wraps): 'none' where no mark."""
    if not sentence:
        return NO_MARK
    short = textwrap.shorten(sentence, AUDIT_TOOLTIP_CHARACTERS, placeholder=" … (whole note on the Data page)")
    return "\n".join(textwrap.wrap(short, CAVEAT_WRAP))


def tooltip_fields(classes: Classes) -> tuple[pl.DataFrame, tuple[tuple[str, str], ...]]:
    """The classes' frame and its tooltip lines, with the audit's mark (AUDIT_FIELD) added on a map of one year's
    rates (rates.service_rates carries the marks; a change map's frame has no single year's mark to show)."""
    frame, fields = classes.frame, classes.fields
    if "rate" not in frame.columns or not set(AUDIT_COLUMNS) <= set(frame.columns):
        return frame, fields
    text = sentence_expr().map_elements(_tooltip_text, return_dtype=pl.String, skip_nulls=False)
    return frame.with_columns(text.alias(AUDIT_FIELD[0])), (*fields, AUDIT_FIELD)
