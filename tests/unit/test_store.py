"""The staged swap: a failure part-way leaves the previous tables byte-identical."""

from __future__ import annotations

from pathlib import Path

import pytest

from observatory_data.serving.store import staged_output


def test_success_replaces_the_folder(tmp_path: Path) -> None:
    target = tmp_path / "prepared"
    target.mkdir()
    (target / "old.parquet").write_bytes(b"old")
    with staged_output(target) as staging:
        (staging / "new.parquet").write_bytes(b"new")
    assert sorted(p.name for p in target.iterdir()) == ["new.parquet"]
    assert sorted(p.name for p in tmp_path.iterdir()) == ["prepared"]


def test_failure_leaves_previous_tables_untouched(tmp_path: Path) -> None:
    target = tmp_path / "prepared"
    target.mkdir()
    (target / "services.parquet").write_bytes(b"previous bytes")
    with pytest.raises(RuntimeError), staged_output(target) as staging:
        (staging / "services.parquet").write_bytes(b"half")
        raise RuntimeError("step failed")
    assert (target / "services.parquet").read_bytes() == b"previous bytes"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["prepared"]
