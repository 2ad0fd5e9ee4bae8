"""Missing or corrupt prepared tables: every page says what happened and the command that fixes it."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from app_pages.registry import PAGES
from observatory_data.serving.store import PREPARED_VARIABLE
from tests.support.pages import ROOT


def run_page(page: str) -> AppTest:
    app = AppTest.from_file(str(ROOT / "app.py"), default_timeout=60)
    app.run()
    if page != PAGES[0].path:
        app.switch_page(page)
        app.run()
    return app


@pytest.fixture
def broken(prepared_tables: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    folder = tmp_path / "prepared"
    shutil.copytree(prepared_tables, folder)
    monkeypatch.setenv(PREPARED_VARIABLE, str(folder))
    return folder


@pytest.mark.parametrize("page", [spec.path for spec in PAGES])
def test_a_corrupt_table_gives_the_fix_on_every_page(broken: Path, page: str) -> None:
    (broken / "annual.parquet").write_bytes(b"not a parquet file")
    app = run_page(page)
    assert not app.exception
    message = app.error[0].value
    assert "annual.parquet cannot be used" in message and "make build" in message


def test_a_missing_table_is_named(broken: Path) -> None:
    (broken / "network.parquet").unlink()
    app = run_page(PAGES[0].path)
    assert not app.exception
    assert "network.parquet is missing" in app.error[0].value and "make build" in app.error[0].value
