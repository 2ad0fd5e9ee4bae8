"""Getting the public source files: from a local mirror or the pinned URL, always checksum-verified.

A file whose sha256 differs from the manifest is never used: the data would not be the data the
numbers were checked against.
"""

from __future__ import annotations

import hashlib
import os
import tempfile
import urllib.request
from dataclasses import dataclass
from pathlib import Path

import polars as pl

from observatory_data.serving.errors import BuildError

MANIFEST_PATH = Path(__file__).parents[1] / "reference" / "sources.csv"
DEFAULT_CACHE = Path(__file__).resolve().parents[2] / ".cache" / "sources"
MIRROR_VARIABLE = "OBSERVATORY_SOURCES"


@dataclass(frozen=True)
class Source:
    """One public file the build reads, as pinned in the manifest."""

    path: str
    url: str
    sha256: str
    publisher: str
    licence: str
    description: str


def read_manifest(path: Path = MANIFEST_PATH) -> list[Source]:
    """The manifest rows; a missing column is an error naming it."""
    table = pl.read_csv(path, infer_schema=False)
    fields = ["path", "url", "sha256", "publisher", "licence", "description"]
    missing = [name for name in fields if name not in table.columns]
    if missing:
        raise BuildError(f"{path}: missing columns {missing}")
    return [Source(**{name: row[name] for name in fields}) for row in table.iter_rows(named=True)]


def sha256_of(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def _verify(source: Source, path: Path) -> None:
    actual = sha256_of(path)
    if actual != source.sha256:
        raise BuildError(
            f"checksum mismatch for source {source.path} ({path}): expected sha256 {source.sha256}, got {actual}. "
            "The file is not the pinned public file; replace it with the file from its URL."
        )


def _download(source: Source, target: Path, timeout: float) -> None:
    """Download into a temporary file beside the target, verify, then rename: never a half file."""
    target.parent.mkdir(parents=True, exist_ok=True)
    handle, temporary = tempfile.mkstemp(dir=target.parent, suffix=".part")
    try:
        with os.fdopen(handle, "wb") as out, urllib.request.urlopen(source.url, timeout=timeout) as response:
            while block := response.read(1 << 20):
                out.write(block)
        _verify(source, Path(temporary))
        os.replace(temporary, target)
    finally:
        Path(temporary).unlink(missing_ok=True)


def resolve_sources(
    manifest: list[Source],
    mirror: Path | None = None,
    cache_dir: Path = DEFAULT_CACHE,
    timeout: float = 60.0,
) -> dict[str, Path]:
    """Local, verified paths for every source, keyed by manifest path.

    With a mirror, files are read from it (nothing is downloaded). Without one, files come from the
    cache, downloaded from their pinned URL when absent. Files that cannot be had are listed together.
    """
    resolved: dict[str, Path] = {}
    unavailable: list[str] = []
    for source in manifest:
        if mirror is not None:
            path = mirror / source.path
            if not path.is_file():
                unavailable.append(f"{source.path} (not in mirror {mirror})")
                continue
        else:
            path = cache_dir / source.path
            if not path.is_file():
                try:
                    _download(source, path, timeout)
                except OSError as exc:
                    unavailable.append(f"{source.path} (download from {source.url} failed: {exc})")
                    continue
        _verify(source, path)
        resolved[source.path] = path
    if unavailable:
        listing = "\n  ".join(unavailable)
        raise BuildError(
            f"{len(unavailable)} source file(s) could not be obtained:\n  {listing}\n"
            f"Provide them by setting {MIRROR_VARIABLE} to a folder that holds these paths "
            "(for example ../shared/sources), or connect to the internet so they can be downloaded."
        )
    return resolved


def mirror_from_environment() -> Path | None:
    """The mirror named by OBSERVATORY_SOURCES, if any."""
    value = os.environ.get(MIRROR_VARIABLE)
    return Path(value).expanduser().resolve() if value else None
