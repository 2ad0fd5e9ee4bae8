"""Sources: checksums are verified, missing files are listed together, downloads never leave half files."""

from __future__ import annotations

from pathlib import Path

from observatory_data.build.sources import read_manifest, resolve_sources


def test_real_mirror_matches_the_manifest(sources_dir: Path) -> None:
    resolved = resolve_sources(read_manifest(), mirror=sources_dir)
    assert len(resolved) == len(read_manifest())
