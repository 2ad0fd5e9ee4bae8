"""Sources: checksums are verified, missing files are listed together, downloads never leave half files."""

from __future__ import annotations

import hashlib
from pathlib import Path

import pytest

from observatory_data.build.sources import Source, read_manifest, resolve_sources
from observatory_data.serving.errors import BuildError


def _source(path: str, content: bytes, url: str = "http://127.0.0.1:9/unreachable") -> Source:
    return Source(path, url, hashlib.sha256(content).hexdigest(), "publisher", "OGL v3", "test file")


def test_mirror_file_with_right_checksum_is_used(tmp_path: Path) -> None:
    (tmp_path / "ons").mkdir()
    (tmp_path / "ons" / "a.csv").write_bytes(b"x,y\n1,2\n")
    resolved = resolve_sources([_source("ons/a.csv", b"x,y\n1,2\n")], mirror=tmp_path)
    assert resolved == {"ons/a.csv": tmp_path / "ons" / "a.csv"}


def test_wrong_checksum_names_the_file(tmp_path: Path) -> None:
    (tmp_path / "a.csv").write_bytes(b"tampered")
    with pytest.raises(BuildError, match=r"checksum mismatch for source a\.csv"):
        resolve_sources([_source("a.csv", b"original")], mirror=tmp_path)


def test_missing_files_are_listed_together_with_how_to_provide_them(tmp_path: Path) -> None:
    manifest = [_source("one.csv", b"1"), _source("two.csv", b"2")]
    with pytest.raises(BuildError) as raised:
        resolve_sources(manifest, mirror=tmp_path)
    message = str(raised.value)
    assert "2 source file(s)" in message and "one.csv" in message and "two.csv" in message
    assert "OBSERVATORY_SOURCES" in message


def test_offline_download_failure_is_reported_and_leaves_no_partial_file(tmp_path: Path) -> None:
    cache = tmp_path / "cache"
    with pytest.raises(BuildError, match=r"download from http://127\.0\.0\.1:9/unreachable failed"):
        resolve_sources([_source("ons/a.csv", b"1")], mirror=None, cache_dir=cache, timeout=2)
    assert not [p for p in cache.rglob("*") if p.is_file()]


def test_project_manifest_pins_every_file_with_a_checksum() -> None:
    manifest = read_manifest()
    assert len(manifest) >= 20
    assert all(len(source.sha256) == 64 and source.url.startswith("https://") for source in manifest)
