"""Fixtures for every kind of test: the real sources and one build of the prepared tables per session.

The tests are sorted by kind, each folder with its own conftest: tests/unit (fixtures made in the test: no sources,
no build, no browser), tests/data (the real sources and the build), tests/app (the app in Streamlit's AppTest over
the build) and tests/browser (the app served to headless Chromium). Helpers the tests share live in tests/support.

Nothing is skipped for want of data: the sources come from the mirror named by OBSERVATORY_SOURCES or are
downloaded from their pinned URLs, and a session that can get neither fails at once, saying which files
are missing. The tables are built once per session into a temporary folder (never read from whatever is in
prepared/), and the app under test, in AppTest and in the browser, reads that build. The build is not autouse here:
the data, app and browser folders ask for it, so a session of unit tests never builds, and a session of several
kinds builds once.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from observatory_data.build.pipeline import build
from observatory_data.build.sources import DEFAULT_CACHE, mirror_from_environment, read_manifest, resolve_sources
from observatory_data.serving.errors import BuildError
from observatory_data.serving.store import PREPARED_VARIABLE


@pytest.fixture(scope="session")
def source_paths() -> dict[str, Path]:
    """Every real source, verified against its sha256; a missing one fails the session loudly."""
    try:
        return resolve_sources(read_manifest(), mirror=mirror_from_environment())
    except BuildError as exc:
        pytest.exit(f"The tests need the real public sources.\n{exc}", returncode=3)


@pytest.fixture(scope="session")
def sources_dir(source_paths: dict[str, Path]) -> Path:
    """The folder the sources were found in: the mirror, or the download cache."""
    return mirror_from_environment() or DEFAULT_CACHE


@pytest.fixture(scope="session")
def real_source(source_paths: dict[str, Path]) -> Callable[[str], Path]:
    """A function giving the path of one real source file by its manifest path."""
    return source_paths.__getitem__


@pytest.fixture(scope="session")
def prepared_tables(sources_dir: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    """One build for the whole session, which every table read in the tests and the app under test use."""
    target = tmp_path_factory.mktemp("prepared") / "prepared"
    try:
        build(target, mirror_from_environment(), echo=lambda _: None)
    except BuildError as exc:
        pytest.exit(f"The build of the prepared tables failed.\n{exc}", returncode=3)
    previous = os.environ.get(PREPARED_VARIABLE)
    os.environ[PREPARED_VARIABLE] = str(target)
    yield target
    if previous is None:
        os.environ.pop(PREPARED_VARIABLE, None)
    else:
        os.environ[PREPARED_VARIABLE] = previous
