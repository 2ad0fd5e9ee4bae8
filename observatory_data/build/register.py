"""The project's register of library services: the 179 codes every table is keyed by.

The register is curated and committed (reference/services.csv). It was assembled from ONS's April 2023
lower-to-upper-tier lookup (English codes and names), ONS mid-2024 estimates (Welsh codes, regions and
authority types), Libraries Hacked's services list (Libraries NI), and for the Crown Dependencies codes
chosen by this project: ISO 3166-1 alpha-3 (JEY, GGY, IMN), since ONS gives them no GSS code.
"""

from __future__ import annotations

from pathlib import Path

import polars as pl

from observatory_data.build.names import name_key
from observatory_data.serving.catalogue import NATIONS
from observatory_data.serving.errors import BuildError

REGISTER_PATH = Path(__file__).parents[1] / "reference" / "services.csv"


def read_register(path: Path = REGISTER_PATH) -> pl.DataFrame:
    """The register, checked: unique codes and known nations, or a BuildError naming the row."""
    register = pl.read_csv(path, infer_schema=False).with_columns(pl.col("aliases").fill_null(""))
    for line, row in enumerate(register.iter_rows(named=True), start=2):
        if row["nation"] not in NATIONS:
            raise BuildError(f"{path.name} row {line}, column nation: unknown nation {row['nation']!r}")
    duplicated = register.filter(pl.col("service_code").is_duplicated())["service_code"].unique().to_list()
    if duplicated:
        raise BuildError(f"{path.name}: duplicated service_code {', '.join(duplicated)}")
    return register


class ServiceMatcher:
    """Finds a service code from any spelling of its name (official name, ACE's name or an alias)."""

    def __init__(self, register: pl.DataFrame) -> None:
        self._by_key: dict[str, str] = {}
        for row in register.iter_rows(named=True):
            for name in [row["service_name"], *filter(None, row["aliases"].split("|"))]:
                self._by_key[name_key(name)] = row["service_code"]

    def code_for(self, name: str) -> str | None:
        """The service code for a name, or None when no service has that name."""
        return self._by_key.get(name_key(name))

    def require(self, name: str, *, where: str) -> str:
        """The service code for a name; an unknown name is an error naming `where`."""
        code = self.code_for(name)
        if code is None:
            raise BuildError(f"{where}: no library service is called {name!r}; add it to the register's aliases")
        return code
