"""The plausibility rules: each threshold and its one-sentence description, stated once.

The build applies them (observatory_data/build/plausibility.py for monthly lines, build/rates.py for
whole-year rates); the Data & methods page and the build report quote `RULES`. The thresholds were
chosen on the 2023/24 returns, by reading the values each rule caught (see the issue notes).
"""

from __future__ import annotations

from dataclasses import dataclass

from observatory_data.serving.catalogue import Outcome

# Lines: the age lines of one month against the total line of the same month (same months only).
PARTS_TOLERANCE = 1.10  # age lines may add up to 110% of the total before they are doubted...
PARTS_MIN_EXCESS = 10.0  # ...and by more than this many
# Decimal slips: a value 10x, 100x or 1000x the figure it should reconcile with.
SLIP_POWERS = (1, 2, 3)
SLIP_LINE_TOLERANCE = 0.02  # against the service's own lines for the same month (arithmetic: tight)
SLIP_LEVEL_BAND = 1.3  # against its other months: level ratio within 10^k x or / 1.3, and the corrected value
# within the other months' range widened by the same factor
REPEAT_TOLERANCE = 0.01  # an age line within 1% of the total "repeats the total"
# Months: two levels in one series.
OUT_OF_LINE_FACTOR = 5.0
OUT_OF_LINE_MIN_OTHERS = 3
OUT_OF_LINE_MIN_MEDIAN = 50.0
# A single March total is March alone when its age lines' year is 12x it, within this factor either way.
MARCH_MONTH_BAND = 1.25
# Whole-year rates per resident.
RATE_RATIO_LIMIT = 5.0
ROBUST_Z_LIMIT = 3.5
ROBUST_Z_MIN_SERVICES = 20
DENOMINATOR_SHARE = 2 / 3  # unusual on at least this share of its rated headline metrics...
DENOMINATOR_MIN_METRICS = 3  # ...and on at least this many: a denominator effect
RATED_METRICS = ("loans", "visits", "active_users", "events", "event_attendance", "pc_hours", "wifi_sessions")
PC_HOURS_PER_DAY = 12
YEAR_JUMP_FACTOR = 5.0  # a headline figure this many times the median of the service's other years
# The audit's marks: a figure agrees with the service's other years within their range widened by this factor
# (the same widening as SLIP_LEVEL_BAND's for months).
AUDIT_AGREE_BAND = 1.3

# What a rule reads, so each year can say which rules could run on it.
LINES = "monthly lines"
WHOLE_YEAR = "whole-year figures"
AUDIT_MARKS = "the audit's marks"
# The audit's replaced figures are judged against other years only in a year without monthly lines (there our own
# line rules decide).
AUDIT_MARKS_ON_WHOLE_YEARS = "the audit's marks on whole-year figures"


@dataclass(frozen=True)
class Rule:
    """One rule: what it catches, and what happens to the value."""

    outcome: Outcome
    description: str
    needs: str = LINES  # what the rule reads: a year without it cannot run the rule
    words: str = ""  # the rule named in words, where its id with spaces will not do (see rule_words)


RULES: dict[str, Rule] = {
    "total_derived_from_lines": Rule(
        Outcome.DERIVED,
        "A total line returned as 0 or left blank in a month whose age lines are filled (and monthly): the total "
        "is derived as the sum of its age lines.",
    ),
    "march_value_is_a_month": Rule(
        Outcome.DERIVED,
        "A series with a single value, in March, is normally a year figure; it is read as March alone when the "
        "service's own age lines cover the whole year (monthly or as year figures) and add up to 12 times it "
        f"(within x{MARCH_MONTH_BAND:g}); the year is then derived from the age lines.",
    ),
    "decimal_slip": Rule(
        Outcome.CORRECTED,
        "A value 10x, 100x or 1000x the figure it should equal is divided back, only where the corrected figure "
        f"reconciles: with the service's own age lines for the same month within {SLIP_LINE_TOLERANCE:.0%}, or, for "
        f"a series without lines, where its months fall into two levels a power of ten apart (within "
        f"x{SLIP_LEVEL_BAND:g}) and the corrected value falls inside the lower level's range (widened x"
        f"{SLIP_LEVEL_BAND:g}). The higher level is the slip.",
    ),
    "decimal_slip_unreconciled": Rule(
        Outcome.FLAGGED,
        "A value a power of ten above its other months that does not reconcile with them: flagged, not corrected.",
    ),
    "month_out_of_line": Rule(
        Outcome.FLAGGED,
        f"A month (or quarterly total, per month) more than {OUT_OF_LINE_FACTOR:g}x the series' other months "
        f"(a gap of {OUT_OF_LINE_FACTOR:g}x between two levels; at least {OUT_OF_LINE_MIN_OTHERS} other values and "
        f"a median of {OUT_OF_LINE_MIN_MEDIAN:g} a month) that is not a power of ten and is not confirmed by "
        "the service's own age lines.",
    ),
    "unusual_month": Rule(
        Outcome.CAVEATED,
        f"A month under 1/{OUT_OF_LINE_FACTOR:g} of the series' other months (closures, December), or a high "
        "month that the service's own age lines confirm (Summer Reading): counted, with the caveat.",
    ),
    "line_repeats_total": Rule(
        Outcome.FLAGGED,
        f"An age line within {REPEAT_TOLERANCE:.0%} of the total while the other age lines already add up to "
        "the total (an 'all age groups' line that repeats the total): the line is flagged, the total counts.",
    ),
    "age_parts_above_total": Rule(
        Outcome.FLAGGED,
        f"Age lines adding up to more than {PARTS_TOLERANCE:.0%} of the total line (and by more than "
        f"{PARTS_MIN_EXCESS:g}), compared only over the same months (monthly against monthly, otherwise whole "
        "year against whole year): the age lines are flagged, the total counts.",
    ),
    "pc_hours_beyond_capacity": Rule(
        Outcome.FLAGGED,
        f"More PC hours than the PCs and devices in service (31 March) could give at {PC_HOURS_PER_DAY} hours a "
        "day, every day of the period.",
        words="PC hours beyond capacity",
    ),
    "active_users_above_residents": Rule(
        Outcome.FLAGGED,
        "More active users than residents of that age (total, 0-11, 12-17), except where a denominator effect "
        "is established (then counted with the caveat).",
        WHOLE_YEAR,
    ),
    "denominator_effect": Rule(
        Outcome.CAVEATED,
        f"A service more than {RATE_RATIO_LIMIT:g}x the median service's rate per resident on at least "
        f"{DENOMINATOR_SHARE:.0%} of its rated headline metrics (and at least {DENOMINATOR_MIN_METRICS}): its "
        "residents are not its users (a large daytime or visiting population). Its counts count; its rates carry "
        "a caveat and are left out of medians and map classes.",
        WHOLE_YEAR,
    ),
    "year_on_year_jump": Rule(
        Outcome.FLAGGED,
        f"A service whose countable years of one headline metric span more than {YEAR_JUMP_FACTOR:g}x: the year "
        "whose rate per resident is farthest from that year's median service is flagged (a slip or a change of "
        "what is counted), and so on until the rest agree within the factor.",
        WHOLE_YEAR,
    ),
    "rate_outlier": Rule(
        Outcome.FLAGGED,
        f"A single headline metric whose whole-year rate per resident is both more than {RATE_RATIO_LIMIT:g}x (or "
        f"under 1/{RATE_RATIO_LIMIT:g} of) the median service's and beyond a robust z-score of {ROBUST_Z_LIMIT:g} "
        f"on a log scale (among at least {ROBUST_Z_MIN_SERVICES} services), while the service's other metrics are "
        "ordinary: flagged with the reason (a count that may cover more than the library).",
        WHOLE_YEAR,
    ),
    "audit_estimate_reconciles": Rule(
        Outcome.CORRECTED,
        "A figure the Libraries Hacked audit marked replaced (or excluded), in a year published as whole-year "
        "figures: where the figure as returned is outside the service's other countable years of the metric "
        f"(their range widened x{AUDIT_AGREE_BAND:g}) and the audit's estimate is inside it, the estimate is used; "
        "the figure as returned, the estimate and the audit's note stay beside it.",
        AUDIT_MARKS_ON_WHOLE_YEARS,
    ),
    "returned_agrees_with_other_years": Rule(
        Outcome.CAVEATED,
        "A figure the audit marked replaced whose figure as returned agrees with the service's other countable "
        f"years (their range widened x{AUDIT_AGREE_BAND:g}): it counts as returned, and the audit's estimate is "
        "not adopted; both figures and the note are shown.",
        AUDIT_MARKS_ON_WHOLE_YEARS,
    ),
    "audit_mark_unreconciled": Rule(
        Outcome.FLAGGED,
        "A figure the audit marked replaced or excluded where neither the figure as returned nor the audit's "
        "estimate agrees with the service's other countable years (or there is no other year): flagged, both "
        "figures shown with the reason.",
        AUDIT_MARKS_ON_WHOLE_YEARS,
    ),
    "audit_suspicious": Rule(
        Outcome.CAVEATED,
        "A figure the audit marked suspicious: counted, with the audit's note shown beside it as a caveat "
        "wherever the value appears (tables, tooltips, CSVs).",
        AUDIT_MARKS,
    ),
}

# Each rule's outcome, for the build's tables of outcomes.
OUTCOME_OF_RULE = {rule: spec.outcome.value for rule, spec in RULES.items()}


def rule_words(rule_id: str) -> str:
    """A rule named in words (the audit comparison's tables): its own `words`, else its id with spaces."""
    spec = RULES.get(rule_id)
    return spec.words if spec is not None and spec.words else rule_id.replace("_", " ")
