"""The prepared tables a briefing reads, from whatever reads them: the page kit's cached loader in the app, the
serving side's reader on the command line. Rates are worked out once per (metric, year) and shared by every
briefing made from the same inputs, as the pages share them."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

import polars as pl

from observatory_data.serving.rates import service_rates

TABLES = ("annual", "services", "metrics", "peers", "network", "branches", "national", "sources", "build_info")


@dataclass(frozen=True)
class BriefingTables:
    """The tables every briefing draws on, and the build they come from."""

    annual: pl.DataFrame
    services: pl.DataFrame
    metrics: pl.DataFrame
    peers: pl.DataFrame
    network: pl.DataFrame
    branches: pl.DataFrame
    national: pl.DataFrame
    sources: pl.DataFrame
    built_at: str
    _rates: dict[tuple[str, int], pl.DataFrame] = field(default_factory=dict, compare=False, repr=False)

    def rates_of(self, metric: str, year: int) -> pl.DataFrame:
        """rates.service_rates for the metric and year, made once for these tables."""
        if (metric, year) not in self._rates:
            self._rates[metric, year] = service_rates(self.annual, self.services, self.metrics, metric, year)
        return self._rates[metric, year]

    def service_row(self, code: str) -> dict:
        """The register's row of a service (KeyError if it is not there)."""
        rows = self.services.filter(pl.col("service_code") == code)
        if rows.is_empty():
            raise KeyError(code)
        return rows.row(0, named=True)


def briefing_tables(read: Callable[[str], pl.DataFrame]) -> BriefingTables:
    """The tables from `read(name)` (a prepared table by its name)."""
    frames = {name: read(name) for name in TABLES}
    built_at = frames.pop("build_info").row(0, named=True)["built_at"]
    return BriefingTables(**frames, built_at=built_at)
