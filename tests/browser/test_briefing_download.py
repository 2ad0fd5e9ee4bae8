"""The benchmark page's "Download briefing (PDF)" gives the same PDF as `observatory briefing` for the same service,
group and year (an English service) or the same service (a profile outside England): made when the button is
pressed, in the browser as a head of service downloads it."""

from __future__ import annotations

from pathlib import Path

import pytest

from observatory_cli.main import main as observatory
from tests.support.browser import no_exception, open_page
from tests.support.pdf_reading import is_tagged, pdf_reader, pdf_text


@pytest.mark.parametrize(
    ("code", "file_name"), [("E10000016", "kent-briefing-2025.pdf"), ("W06000015", "cardiff-profile.pdf")]
)
def test_the_benchmark_pages_briefing_is_the_command_lines(
    browser_page, app_server: str, tmp_path: Path, code: str, file_name: str
) -> None:
    open_page(browser_page, f"{app_server}/benchmark?service={code}")
    with browser_page.expect_download(timeout=60_000) as download:
        browser_page.get_by_role("button", name="Download briefing (PDF)").click()
    assert download.value.suggested_filename == file_name
    downloaded = download.value.path().read_bytes()
    made = tmp_path / file_name
    assert observatory(["briefing", code, "--out", str(made), "--base-url", app_server]) == 0
    assert is_tagged(pdf_reader(downloaded))
    assert pdf_text(pdf_reader(downloaded)) == pdf_text(pdf_reader(made.read_bytes()))
    assert downloaded == made.read_bytes()  # the same choices make the same bytes
    no_exception(browser_page)
