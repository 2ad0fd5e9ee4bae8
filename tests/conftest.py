"""Shared fixtures: the real-source mirror (tests over real files skip without it)."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from tests.browser_support import app_server, browser, browser_page  # noqa: F401 (fixtures for browser tests)


@pytest.fixture(scope="session")
def sources_dir() -> Path:
    """The local mirror of the real public sources, from OBSERVATORY_SOURCES; skips when unset."""
    root = os.environ.get("OBSERVATORY_SOURCES")
    if not root:
        pytest.skip("OBSERVATORY_SOURCES is not set: tests over the real sources are skipped")
    return Path(root).resolve()


@pytest.fixture(scope="session")
def real_source(sources_dir: Path):
    """A function giving the path of one real source file by its manifest path."""

    def resolve(relative: str) -> Path:
        path = sources_dir / relative
        assert path.exists(), f"missing real source {path}"
        return path

    return resolve
