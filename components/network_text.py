"""The library network in words: area names, coverage, changes since 2010 as sentences, and the Overview's tiles.

Frames and changes in (from serving.network_queries), text out. No data access here.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import polars as pl

from components.network_definitions import LISTED, LISTED_COUNTS, NOT_RECORDED
from observatory_data.serving.catalogue import CROWN_DEPENDENCY, ENGLAND, NATIONS, NORTHERN_IRELAND, WALES
from observatory_data.serving.formats import sentence_case, signed
from observatory_data.serving.network_queries import (
    BASE_YEAR,
    Change,
    area_codes,
    area_kind,
    latest_year,
    listed_change,
    listed_now,
    statutory_change,
)


def area_name(services: pl.DataFrame, area: str) -> str:
    """The area as a title names it."""
    kind = area_kind(services, area)
    if kind == "uk":
        return "the UK (not Scotland)"
    if area == CROWN_DEPENDENCY:
        return "the Crown Dependencies"
    if kind == "service":
        return services.filter(pl.col("service_code") == area)["service_name"].item()
    return area


def area_option(services: pl.DataFrame, area: str) -> str:
    """The area as the select box lists it: kind and, for a service outside England, its nation."""
    kind = area_kind(services, area)
    if kind == "uk":
        return "UK (England, Wales, Northern Ireland, Crown Dependencies)"
    if kind == "nation":
        return "Crown Dependencies" if area == CROWN_DEPENDENCY else area
    if kind == "region":
        return f"{area} (region)"
    row = services.filter(pl.col("service_code") == area).row(0, named=True)
    return f"{row['service_name']} ({'service' if row['nation'] == ENGLAND else row['nation']})"


def coverage(known: int, total: int, have: str = "have a count") -> str:
    """'152 of 153 services have a count', 'all 22 services have a count' or 'the one service has a count'."""
    if total == 1:
        return f"the one service {have.replace('have', 'has', 1)}".rstrip()
    return f"{'all ' if known == total else f'{known} of '}{total:,} services {have}".rstrip()


def coverage_note(known: int, total: int, have: str = "have a count") -> str:
    """The coverage as a sentence for a subtitle; nothing for a single service that has the value."""
    if total == 1 and known == 1:
        return ""
    text = coverage(known, total, have)
    return f"{sentence_case(text)}."


def change_text(change: int | None, change_pct: float | None) -> str:
    """'−3 (−12.5%)', 'no change'; 'not known' rather than zero when either end is missing."""
    if change is None:
        return "not known"
    if change == 0:
        return "no change"
    return signed(change) + ("" if change_pct is None else f" ({signed(change_pct, 1, '%')})")


def _fewer_or_more_parts(change: Change) -> tuple[str, str]:
    """('351 fewer than in 2010', ' (−11.2%)'): the words and the percentage, apart so a sentence can bold one."""
    if change.change == 0:
        return f"as many as in {change.first}", ""
    words = f"{abs(change.change or 0):,} {'fewer' if (change.change or 0) < 0 else 'more'} than in {change.first}"
    return words, "" if change.change_pct is None else f" ({signed(change.change_pct, 1, '%')})"


def fewer_or_more(change: Change) -> str:
    """'351 fewer than in 2010 (−11.2%)', '2 more than in 2010 (+4.0%)', 'as many as in 2010'."""
    return "".join(_fewer_or_more_parts(change))


def _of_services(change: Change, what: str) -> str:
    """'all 153 services' or 'the 136 of 153 services whose changes the list records' (what: the clause)."""
    if change.services == change.of:
        return "the one service" if change.of == 1 else f"all {change.of:,} services"
    return f"the {change.services:,} of {change.of:,} services {what}"


def statutory_sentence(change: Change | None, place: str) -> str:
    """'**2,787** statutory libraries in England in 2023; **351 fewer** than in 2010 (−11.2%). ...' from
    network_queries.statutory_change over the area's English services; empty when ACE has none."""
    if change is None or change.after is None:
        return ""
    words, percent = _fewer_or_more_parts(change)
    counted = _of_services(change, "ACE's dataset counts in both years")
    return (
        f"**{change.after:,}** statutory libraries in {place} in {change.last}; **{words}**{percent} "
        f"(Arts Council England's Libraries Location Dataset, returned by the services; {counted})."
    )


def listed_change_text(change: Change) -> str:
    """The list's change since 2010 in words: on the services whose changes it records, or 'not recorded'."""
    if change.services == 0 or change.change is None:
        return f"{NOT_RECORDED} (the list gives no opening or closing year from {BASE_YEAR} on)"
    if not change.publishable:
        return (
            f"{NOT_RECORDED} (the list gives opening or closing years from {BASE_YEAR} on for only "
            f"{change.services:,} of {change.of:,} services)"
        )
    text = change_text(change.change, change.change_pct)
    ends = f"{change.before:,} at the end of {change.first}, {change.after:,} at the end of {change.last}"
    if change.of == 1:
        return f"{text} ({ends})"
    return f"{text} ({ends}) on {_of_services(change, 'whose changes the list records')}"


def listed_sentence(network: pl.DataFrame, codes: Sequence[str], place: str, year: int) -> str:
    """'Libraries Hacked's list ...: **3,274** service points listed as open in the UK at the end of 2023 ...;
    change since 2010: ...' (the volunteer list's view: what it counts, and its change or 'not recorded')."""
    now, known = listed_now(network, codes)
    if now is None:
        return f"Libraries Hacked's list has no service point of {place}."
    last = latest_year(network)
    shown = (
        f"**{now:,}** service points listed as open in {place} at the end of {last} "
        f"({coverage(known, len(codes), 'have points in the list')})"
    )
    change = listed_change(network, codes, year)
    return (
        f"Libraries Hacked's list (kept by volunteers from public information; {LISTED_COUNTS}): {shown}. "
        f"Change since the end of {BASE_YEAR}: {listed_change_text(change)}."
    )


def listed_subtitle(change: Change) -> str:
    """The subtitle of the list's chart: what it counts, and the services it is drawn over."""
    return (
        f"Libraries Hacked's list: {LISTED_COUNTS}. Listed as open at the end of each year (top); opened and closed "
        f"in the year (bottom). On {_of_services(change, 'whose changes the list records')}."
    )


def unrecorded_note(services: pl.DataFrame, codes: Sequence[str], recorded: Sequence[str]) -> str:
    """'Not recorded: Libraries NI; 21 of the 22 Welsh services; ...' (names when five or fewer): the services a
    chart of the list's change leaves out, said rather than drawn flat."""
    missing = services.filter(pl.col("service_code").is_in(list(codes)), ~pl.col("service_code").is_in(list(recorded)))
    if missing.is_empty():
        return ""
    if missing.height <= 5:
        return f"Not recorded, so not counted: {', '.join(missing.sort('service_name')['service_name'])}."
    parts = []
    in_area = services.filter(pl.col("service_code").is_in(list(codes)))
    for nation in NATIONS:
        left_out = missing.filter(pl.col("nation") == nation).height
        of = in_area.filter(pl.col("nation") == nation).height
        if not left_out:
            continue
        name = {ENGLAND: "English", WALES: "Welsh"}.get(nation, nation)
        if nation == NORTHERN_IRELAND:
            parts.append("Libraries NI")
        elif nation == CROWN_DEPENDENCY:
            parts.append("the Crown Dependencies" if left_out == of else f"{left_out} of the {of} Crown Dependencies")
        elif left_out == of:
            parts.append(f"all {of} {name} services")
        else:
            parts.append(f"{left_out} of the {of} {name} services")
    return f"Not recorded, so not counted: {'; '.join(parts)}."


@dataclass(frozen=True)
class NetworkTile:
    """One nation's tile for the Overview: st.metric(label, value, delta, delta_color="off"), then the detail.

    Streamlit draws the delta's arrow from its first character (down only for an ASCII '-'), so a fall's delta
    starts with '-' and a nation whose change is not recorded has no delta at all."""

    label: str
    value: str
    delta: str | None
    detail: str


def _arrow_delta(change: Change) -> str | None:
    """'-351 (-11.2%) since 2010' with ASCII minus signs, so the arrow points down; None when unknown or no change
    (Streamlit would draw an up arrow on anything but a bare '0')."""
    if change.change is None:
        return None
    percent = "" if change.change_pct is None else f" ({change.change_pct:+.1f}%)"
    return f"{change.change:+,}{percent} since {change.first}" if change.change else None


def network_tiles(network: pl.DataFrame, services: pl.DataFrame) -> list[NetworkTile]:
    """Per nation, in NATIONS order: England's statutory libraries (ACE) and their change since 2010; elsewhere the
    service points the volunteer list shows as open now, with its change or 'not recorded'. The label says which."""
    year = latest_year(network)
    tiles = []
    for nation in [n for n in NATIONS if n in services["nation"].to_list()]:
        name = "Crown Dependencies" if nation == CROWN_DEPENDENCY else nation
        codes = area_codes(services, nation)
        now, known = listed_now(network, codes)
        statutory = statutory_change(network, codes)
        if statutory is not None and statutory.after is not None:
            listed = "" if now is None else f" Libraries Hacked's volunteer list shows {now:,} service points as open."
            detail = (
                f"Statutory libraries in {statutory.last}, as the services returned them to Arts Council England: "
                f"{fewer_or_more(statutory)}, on {_of_services(statutory, 'counted in both years')}.{listed}"
            )
            label = f"{name}: statutory libraries, {statutory.last}"
            tiles.append(NetworkTile(label, f"{statutory.after:,}", _arrow_delta(statutory), detail))
        elif now is None:
            tiles.append(NetworkTile(name, "not known", None, f"No service here is in {LISTED}."))
        else:
            change = listed_change(network, codes, year)
            detail = (
                f"Service points Libraries Hacked's volunteer list shows as open at the end of {year} "
                f"({coverage(known, len(codes), 'have points')}). Change since {BASE_YEAR}: "
                f"{listed_change_text(change)}."
            )
            label = f"{name}: service points listed, {year}"
            tiles.append(NetworkTile(label, f"{now:,}", _arrow_delta(change) if change.publishable else None, detail))
    return tiles
