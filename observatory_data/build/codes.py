"""Every join goes through here: codes of other years are mapped to the April 2023 codes the services use.

The ONS change table records mergers, renames and abolitions. Combined-authority rows (`new_geo`) say
nothing about a library service and are ignored. Codes that came in after April 2023 (the 2025
Barnsley and Sheffield recodes) are mapped back to the 2023 code.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import polars as pl

from observatory_data.build.csvfile import read_text_csv
from observatory_data.serving.errors import BuildError

TARGET_YEAR = 2023
# Codes that are expected in sources but are not library services here (Scotland, NI districts,
# national and regional aggregates). They are listed in the build report, never silently dropped.
EXPECTED_NON_SERVICE_PREFIXES = {
    "S": "Scottish authority (not covered)",
    "N09": "Northern Ireland district (served by Libraries NI)",
    "E92": "country total",
    "W92": "country total",
    "K": "UK or GB total",
    "E12": "English region total",
    "E11": "metropolitan county total",
    "E13": "Inner/Outer London total",
}


@dataclass(frozen=True)
class CodeChanges:
    """The remapping from any known code to its April 2023 service code."""

    forward: dict[str, list[str]] = field(default_factory=dict)
    backward: dict[str, str] = field(default_factory=dict)

    def remap(self, code: str) -> list[str]:
        """All April 2023 codes a code stands for: one for a rename or merger, several for a split."""
        if code in self.backward:
            return [self.backward[code]]
        targets = self.forward.get(code)
        if not targets:
            return [code]
        result: list[str] = []
        for target in targets:
            result.extend(t for t in self.remap(target) if t not in result)
        return result

    def remap_one(self, code: str, *, where: str) -> str:
        """The single 2023 code for a code; a split (one old county, several new) is an error naming `where`."""
        targets = self.remap(code)
        if len(targets) != 1:
            raise BuildError(f"{where}: code {code} was split into {', '.join(targets)}; resolve it at district level")
        return targets[0]


def read_code_changes(path: Path) -> CodeChanges:
    """Parse ONS changes.csv (oldcd, oldnm, newcd, newnm, type, start)."""
    table = read_text_csv(path)
    missing = {"oldcd", "newcd", "type", "start"} - set(table.columns)
    if missing:
        raise BuildError(f"{path.name}: missing columns {sorted(missing)}")
    forward: dict[str, list[str]] = {}
    backward: dict[str, str] = {}
    for line, row in enumerate(table.iter_rows(named=True), start=2):
        kind, old, new = row["type"], row["oldcd"], row["newcd"]
        if kind == "new_geo" or not new:
            continue
        try:
            start = int(row["start"])
        except (TypeError, ValueError) as exc:
            raise BuildError(f"{path.name} row {line}, column start: not a year: {row['start']!r}") from exc
        if start <= TARGET_YEAR:
            forward.setdefault(old, []).append(new)
        elif kind == "new_code":
            backward[new] = old
    # Counties abolished by splitting into unitaries: the successors are the districts' new codes.
    for old_county, successors in _split_counties(table).items():
        forward.setdefault(old_county, successors)
    return CodeChanges(forward=forward, backward=backward)


def _split_counties(table: pl.DataFrame) -> dict[str, list[str]]:
    """Terminated counties whose districts merged into new unitaries in the same year."""
    known = {
        "E10000006": ["E06000063", "E06000064"],  # Cumbria -> Cumberland, Westmorland and Furness
        "E10000021": ["E06000061", "E06000062"],  # Northamptonshire -> North and West Northamptonshire
        "E10000023": ["E06000065"],  # North Yorkshire county -> North Yorkshire unitary
        "E10000027": ["E06000066"],  # Somerset county -> Somerset unitary
        "E10000002": ["E06000060"],  # Buckinghamshire county -> Buckinghamshire unitary
        "E10000009": ["E06000059", "E06000058"],  # Dorset county -> Dorset and BCP (Christchurch)
    }
    terminated = set(table.filter(pl.col("type") == "termination")["oldcd"].to_list())
    return {code: successors for code, successors in known.items() if code in terminated}


def non_service_reason(code: str) -> str | None:
    """Why a code is expected but not a service (for the report), or None if it is not expected."""
    for prefix, reason in EXPECTED_NON_SERVICE_PREFIXES.items():
        if code.startswith(prefix):
            return reason
    return None
