"""The briefing PDFs a page offers: made when the button is pressed (a callable), once per build and choice, from
the same cached tables the page reads, so the PDF's numbers are the page's."""

from __future__ import annotations

from functools import partial
from urllib.parse import urlsplit

import streamlit as st

from app_pages.kit.loading import load, per_build
from components.briefings.area import english_regions
from components.briefings.files import ENGLAND_NAME, briefing_for
from components.briefings.inputs import BriefingTables, briefing_tables
from components.briefings.pdf import render_pdf
from components.briefings.service import service_briefing
from components.png_export import slug
from components.sections.benchmark_view import ViewKey

PDF = "application/pdf"


@per_build(resource=True, max_entries=2)
def _inputs() -> BriefingTables:
    return briefing_tables(load)


@per_build(max_entries=64)
def _service_pdf(key: ViewKey, base_url: str) -> bytes:
    return render_pdf(service_briefing(_inputs(), key, base_url))


@per_build(max_entries=16)
def _area_pdf(name: str, base_url: str, year: int) -> bytes:
    return render_pdf(briefing_for(_inputs(), name, base_url, year))


def base_url() -> str:
    """The address the reader is using, for the briefing's live link."""
    url = urlsplit(st.context.url or "")
    return f"{url.scheme}://{url.netloc}" if url.netloc else "http://localhost:8501"


def service_briefing_button(key: ViewKey, name: str, profile: bool = False) -> None:
    """'Download briefing (PDF)' for the service, group, metric and year the benchmark page shows; with `profile`,
    the profile of a service outside England (its key names the service only)."""
    st.download_button(
        "Download briefing (PDF)",
        partial(_service_pdf, key, base_url()),
        file_name=f"{slug(name)}-profile.pdf" if profile else f"{slug(name)}-briefing-{key.year}.pdf",
        mime=PDF,
        key="briefing-pdf",
        on_click="ignore",
        icon=":material/picture_as_pdf:",
        help="A one- or two-page A4 briefing with these numbers, its sources and a link back to this view.",
    )


def area_briefing_buttons(year: int, region: str | None = None) -> None:
    """England's briefing and a region's (the page's `region`, or one chosen here) for the year, each made when its
    button is pressed."""
    england, beside = st.columns(2)
    with england:
        st.download_button(
            "England briefing (PDF)",
            partial(_area_pdf, ENGLAND_NAME, base_url(), year),
            file_name=f"england-briefing-{year}.pdf",
            mime=PDF,
            key="briefing-england",
            on_click="ignore",
            icon=":material/picture_as_pdf:",
        )
    with beside:
        chosen = region or st.selectbox("Region for a briefing", english_regions(_inputs()), key="briefing-region")
        st.download_button(
            f"{chosen} briefing (PDF)",
            partial(_area_pdf, chosen, base_url(), year),
            file_name=f"{slug(chosen)}-briefing-{year}.pdf",
            mime=PDF,
            key="briefing-region-pdf",
            on_click="ignore",
            icon=":material/picture_as_pdf:",
        )
