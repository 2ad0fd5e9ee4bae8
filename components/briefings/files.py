"""Briefings as files: one service's, a region's or England's by its name, and the whole set (every service, region
and England) into a folder. Each file is written beside its target and renamed into place, so an interrupted run
never leaves a half-written PDF where a good one was."""

from __future__ import annotations

import os
import tempfile
from collections.abc import Iterator
from pathlib import Path

from components.briefings.area import england_briefing, region_briefing
from components.briefings.inputs import BriefingTables
from components.briefings.pdf import Briefing, render_pdf
from components.briefings.service import briefing_key, service_briefing
from components.png_export import slug
from observatory_data.serving.catalogue import english_regions

ENGLAND_NAME = "england"


class UnknownBriefing(ValueError):
    """A name that is no service code, English region or 'england'."""


def briefing_for(tables: BriefingTables, name: str, base_url: str, year: int | None = None) -> Briefing:
    """The briefing `name` asks for: a service code (E10000016), an English region ('South East', any case) or
    'england'. A service opens as the benchmark page does: its 15 nearest neighbours, loans, the latest year."""
    if name.lower() == ENGLAND_NAME:
        return england_briefing(tables, base_url, year)
    regions = {region.lower(): region for region in english_regions(tables.services)}
    if name.lower() in regions:
        return region_briefing(tables, regions[name.lower()], base_url, year)
    if name in set(tables.services["service_code"]):
        return service_briefing(tables, briefing_key(tables, name, year=year), base_url)
    raise UnknownBriefing(
        f"{name!r} is not a service code (e.g. E10000016, as on the benchmark page's link), an English region "
        f"({', '.join(regions.values())}) or 'england'."
    )


def write_atomically(path: Path, content: bytes) -> None:
    """`content` to `path` through a temporary file in the same folder, renamed into place."""
    path.parent.mkdir(parents=True, exist_ok=True)
    handle, temporary = tempfile.mkstemp(prefix=f".{path.name}.", dir=path.parent)
    try:
        with os.fdopen(handle, "wb") as file:
            file.write(content)
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise


def every_briefing(tables: BriefingTables) -> list[tuple[str, str]]:
    """(name for briefing_for, file path under the folder) for every service, region and England."""
    services = tables.services.sort("service_code").select("service_code", "service_name").rows()
    return [
        *((code, f"services/{code}-{slug(name)}.pdf") for code, name in services),
        *((region, f"regions/{slug(region)}.pdf") for region in english_regions(tables.services)),
        (ENGLAND_NAME, f"{ENGLAND_NAME}.pdf"),
    ]


def write_briefings(
    tables: BriefingTables, folder: Path, base_url: str, names: list[tuple[str, str]] | None = None
) -> Iterator[Path]:
    """Write each briefing of `names` (every_briefing's list unless given) under `folder`, yielding each path."""
    for name, relative in names or every_briefing(tables):
        path = folder / relative
        write_atomically(path, render_pdf(briefing_for(tables, name, base_url)))
        yield path
