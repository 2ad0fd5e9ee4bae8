"""Files added with `add-year`: kept in a git-ignored folder with their own manifest, read beside the main one.

The main manifest pins public files by URL and sha256. A year added by hand (a new ACE workbook, or a new
release of the annual headline file) has no pinned URL yet, so it is copied here and pinned by its sha256
alone; the build verifies it like any other source and refuses a file that changed since it was added.
"""

from __future__ import annotations

import csv
import io
import os
import tempfile
from dataclasses import dataclass
from pathlib import Path

from observatory_data.build.sources import sha256_of
from observatory_data.serving.errors import BuildError

LOCAL_VARIABLE = "OBSERVATORY_LOCAL_SOURCES"
LOCAL_DIR = Path(__file__).resolve().parents[1] / "local_sources"
MANIFEST_NAME = "manifest.csv"
FIELDS = ("file", "sha256", "kind", "years", "added_at")
KINDS = ("workbook", "annual_csv")


@dataclass(frozen=True)
class AddedFile:
    """One added file: where it is kept, its checksum, what it is and the financial years it holds."""

    path: Path
    sha256: str
    kind: str
    years: tuple[int, ...]
    added_at: str


def local_dir() -> Path:
    """The folder of added files; OBSERVATORY_LOCAL_SOURCES overrides it (tests use their own)."""
    value = os.environ.get(LOCAL_VARIABLE)
    return Path(value).expanduser().resolve() if value else LOCAL_DIR


def read_local_manifest(folder: Path) -> list[AddedFile]:
    """The added files, oldest first; a file missing or changed since it was added is a BuildError."""
    manifest = folder / MANIFEST_NAME
    if not manifest.exists():
        return []
    rows = list(csv.DictReader(io.StringIO(manifest.read_text(encoding="utf-8"))))
    added = []
    for line, row in enumerate(rows, start=2):
        if tuple(row) != FIELDS or row["kind"] not in KINDS:
            raise BuildError(f"{manifest} row {line}: expected columns {', '.join(FIELDS)} and a kind in {KINDS}")
        path = folder / row["file"]
        if not path.exists() or sha256_of(path) != row["sha256"]:
            raise BuildError(f"{manifest} row {line}: {path.name} is missing or changed since it was added")
        years = tuple(int(year) for year in row["years"].split(";"))
        added.append(AddedFile(path, row["sha256"], row["kind"], years, row["added_at"]))
    return added


def write_local_manifest(folder: Path, added: list[AddedFile]) -> None:
    """Write the manifest to a temporary file beside it, then rename: never half a manifest."""
    folder.mkdir(parents=True, exist_ok=True)
    text = io.StringIO()
    writer = csv.writer(text, lineterminator="\n")
    writer.writerow(FIELDS)
    for item in added:
        writer.writerow([item.path.name, item.sha256, item.kind, ";".join(map(str, item.years)), item.added_at])
    handle, temporary = tempfile.mkstemp(dir=folder, suffix=".part")
    with os.fdopen(handle, "w", encoding="utf-8") as out:
        out.write(text.getvalue())
    os.replace(temporary, folder / MANIFEST_NAME)
