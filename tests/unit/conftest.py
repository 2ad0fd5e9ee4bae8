"""Unit tests: every fixture is made in the test (tiny frames, workbooks and files in tmp_path); no sources, no build,
no browser.

So that a unit test cannot lean on real data by accident, the session's source and build fixtures fail here, and
every test runs without OBSERVATORY_SOURCES, with OBSERVATORY_PREPARED and OBSERVATORY_LOCAL_SOURCES naming empty
folders and with an empty download cache: a test that reads a prepared table or a source fails as it would in a
fresh clone.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from observatory_data.build import sources
from observatory_data.build.local_sources import LOCAL_VARIABLE
from observatory_data.serving.store import PREPARED_VARIABLE

MOVE_IT = "unit tests use no real data: make the fixture in the test, or move the test to tests/data or tests/app"


@pytest.fixture(scope="session")
def source_paths() -> dict[str, Path]:
    pytest.fail(f"source_paths: {MOVE_IT}")


@pytest.fixture(scope="session")
def sources_dir() -> Path:
    pytest.fail(f"sources_dir: {MOVE_IT}")


@pytest.fixture(scope="session")
def real_source() -> None:
    pytest.fail(f"real_source: {MOVE_IT}")


@pytest.fixture(scope="session")
def prepared_tables() -> Path:
    pytest.fail(f"prepared_tables: {MOVE_IT}")


@pytest.fixture(autouse=True)
def no_real_data(tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch) -> None:
    """Empty folders wherever the code would look for real data when the test does not name its own."""
    empty = tmp_path_factory.mktemp("no-real-data")
    for name in ("prepared", "local_sources", "sources"):
        (empty / name).mkdir()
    monkeypatch.delenv(sources.MIRROR_VARIABLE, raising=False)
    monkeypatch.setenv(PREPARED_VARIABLE, str(empty / "prepared"))
    monkeypatch.setenv(LOCAL_VARIABLE, str(empty / "local_sources"))
    # resolve_sources takes the download cache (.cache/sources) as a default argument, bound when it was defined
    defaults = tuple(
        empty / "sources" if value == sources.DEFAULT_CACHE else value for value in sources.resolve_sources.__defaults__
    )
    monkeypatch.setattr(sources.resolve_sources, "__defaults__", defaults)
    monkeypatch.setattr(sources, "DEFAULT_CACHE", empty / "sources")
