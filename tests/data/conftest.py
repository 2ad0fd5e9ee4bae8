"""Tests over the real sources and the session's build of the prepared tables (built once, in the root conftest)."""

from __future__ import annotations

from pathlib import Path

import pytest


@pytest.fixture(scope="session", autouse=True)
def the_build(prepared_tables: Path) -> Path:
    """Every test here reads the session's build (OBSERVATORY_PREPARED names it)."""
    return prepared_tables
