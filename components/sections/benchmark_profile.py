"""The Service benchmark page before and beside a benchmark: the words that ask for a service, and the profile of a
service outside England, where ACE collects no activity to benchmark (what the sources know, and its service
points)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import polars as pl

from components.profile import NOT_COLLECTED, known_facts, network_facts, service_points_table
from observatory_data.serving.catalogue import WALES, WIMD_NAME
from observatory_data.serving.periods import financial_year

PROMPT_CAPTION = (
    "English services are benchmarked on Arts Council England's returns; for Wales, Northern Ireland and the "
    "Crown Dependencies the page gives a profile of what is known. The link of a benchmark can be bookmarked."
)
NO_POINTS = "No service points are listed for this service in the Libraries Hacked database."
POINTS_SOURCE = "Libraries Hacked's database, kept by volunteers from public information; empty: not known."


def prompt_words(year: int) -> str:
    """What the page is for, and the question it asks when a link names no service (it never picks one itself)."""
    return (
        "How a library service compares with its statistically similar services (ONS nearest neighbours), its "
        f"region and England, metric by metric, in {financial_year(year)}. **Which service is yours?**"
    )


def facts_list(facts: Sequence[tuple[str, str]]) -> str:
    """(label, value) pairs as a Markdown list with the labels in bold."""
    return "\n".join(f"- **{label}**: {value}" for label, value in facts)


@dataclass(frozen=True)
class Profile:
    """A service outside England as the page shows it: title, notice, facts, the nation's note and service points."""

    title: str
    notice: str  # why there is no benchmark: ACE collects no activity here
    facts: str  # Markdown list
    nation_note: str  # '' unless the nation's deprivation index needs a word
    locator_title: str  # the locator map's title
    points: pl.DataFrame  # components.profile.service_points_table (empty: none listed)
    points_caption: str


def profile_section(
    service: dict, services: pl.DataFrame, branches: pl.DataFrame, network: pl.DataFrame, peers: pl.DataFrame
) -> Profile:
    """What is known of a service ACE does not cover. `service` is its row of the services table."""
    code, name = service["service_code"], service["service_name"]
    facts = known_facts(service, branches) + network_facts(network, services, code, peers, branches)
    points = service_points_table(branches, code)
    return Profile(
        title=f"{name}: profile",
        notice=NOT_COLLECTED.format(name=name),
        facts=facts_list(facts),
        nation_note=f"{WIMD_NAME} (Welsh Government) is not comparable with the English IMD."
        if service["nation"] == WALES
        else "",
        locator_title=f"{name} ({service['nation']})",
        points=points,
        points_caption=NO_POINTS if points.is_empty() else POINTS_SOURCE,
    )
