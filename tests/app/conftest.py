"""The app's pages in Streamlit's AppTest over the session's build of the prepared tables (tests/support/apptest.py
runs a page as a visitor meets it)."""

from __future__ import annotations

from pathlib import Path

import pytest


@pytest.fixture(scope="session", autouse=True)
def the_build(prepared_tables: Path) -> Path:
    """Every page here reads the session's build (OBSERVATORY_PREPARED names it)."""
    return prepared_tables
