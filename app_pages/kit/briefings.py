"""The briefing PDFs a page offers: made when the button is pressed (a callable), once per build and choice, from
the same cached tables the page reads, so the PDF's numbers are the page's."""

from __future__ import annotations

from collections.abc import Callable
from functools import partial
from urllib.parse import urlsplit

import streamlit as st

from app_pages.kit.loading import load, per_build
from components.briefings.files import ENGLAND_NAME, briefing_for
from components.briefings.inputs import BriefingTables, briefing_tables
from components.briefings.parts import DEFAULT_BASE_URL
from components.briefings.pdf import render_pdf
from components.briefings.service import DEFAULT_METRIC, service_briefing
from components.png_export import slug
from components.sections.benchmark_view import ViewKey
from observatory_data.serving.catalogue import english_regions


@per_build(resource=True, max_entries=2)
def _inputs() -> BriefingTables:
    return briefing_tables(load)


@per_build(resource=True, max_entries=2)
def _regions() -> list[str]:
    """England's regions for the region select (it is drawn on every rerun of the Overview and Offer trends)."""
    return english_regions(load("services"))


@per_build(max_entries=64)
def _service_pdf(key: ViewKey, base_url: str) -> bytes:
    return render_pdf(service_briefing(_inputs(), key, base_url))


@per_build(max_entries=16)
def _area_pdf(name: str, base_url: str, year: int) -> bytes:
    return render_pdf(briefing_for(_inputs(), name, base_url, year))


def base_url() -> str:
    """The address the reader is using, for the briefing's live link."""
    url = urlsplit(st.context.url or "")
    return f"{url.scheme}://{url.netloc}" if url.netloc else DEFAULT_BASE_URL


def _pdf_button(label: str, make: Callable[[], bytes], file_name: str, key: str, help: str | None = None) -> None:
    """A download button whose PDF `make` renders only when it is pressed."""
    st.download_button(
        label,
        make,
        file_name=file_name,
        mime="application/pdf",
        key=key,
        on_click="ignore",
        icon=":material/picture_as_pdf:",
        help=help,
    )


def service_briefing_button(key: ViewKey, name: str) -> None:
    """'Download briefing (PDF)' for the service, group, metric and year the benchmark page shows."""
    _pdf_button(
        "Download briefing (PDF)",
        partial(_service_pdf, key, base_url()),
        f"{slug(name)}-briefing-{key.year}.pdf",
        "briefing-pdf",
        "A one- or two-page A4 briefing with these numbers, its sources and a link back to this view.",
    )


def profile_briefing_button(service: str, name: str) -> None:
    """'Download briefing (PDF)' for the profile of a service outside England (no group, metric or year to hold)."""
    key = ViewKey(service, (), None, DEFAULT_METRIC, 0)
    _pdf_button(
        "Download briefing (PDF)",
        partial(_service_pdf, key, base_url()),
        f"{slug(name)}-profile.pdf",
        "briefing-pdf",
        "A one-page A4 profile with these facts, their sources and a link back here.",
    )


def area_briefing_buttons(year: int, region: str | None = None) -> None:
    """England's briefing and a region's (the page's `region`, or one chosen here) for the year, each made when its
    button is pressed."""
    england, beside = st.columns(2)
    with england:
        _pdf_button(
            "England briefing (PDF)",
            partial(_area_pdf, ENGLAND_NAME, base_url(), year),
            f"england-briefing-{year}.pdf",
            "briefing-england",
        )
    with beside:
        chosen = region or st.selectbox("Region for a briefing", _regions(), key="briefing-region")
        _pdf_button(
            f"{chosen} briefing (PDF)",
            partial(_area_pdf, chosen, base_url(), year),
            f"{slug(chosen)}-briefing-{year}.pdf",
            "briefing-region-pdf",
        )
