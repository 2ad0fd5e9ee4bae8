"""Where prepared tables live, and how a whole set of them replaces the previous set in one step.

All tables are written into a fresh folder first; only when every table is written does that folder
take the place of the old one. A build that fails half-way leaves the previous tables untouched.
"""

from __future__ import annotations

import os
import shutil
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

PREPARED_DIR = Path(__file__).parents[1] / "prepared"
PREPARED_VARIABLE = "OBSERVATORY_PREPARED"


def prepared_dir() -> Path:
    """The folder of prepared tables; OBSERVATORY_PREPARED overrides it (tests use their own)."""
    value = os.environ.get(PREPARED_VARIABLE)
    return Path(value).expanduser().resolve() if value else PREPARED_DIR


@contextmanager
def staged_output(target: Path) -> Iterator[Path]:
    """A staging folder beside `target` that replaces it on success and is removed on failure."""
    target.parent.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=f".{target.name}.staging-", dir=target.parent))
    staging.chmod(0o755)  # mkdtemp's 0700 would hide the tables from a server running as another user
    try:
        yield staging
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise
    retired = target.parent / f".{target.name}.retired"
    shutil.rmtree(retired, ignore_errors=True)
    if target.exists():
        os.replace(target, retired)
    os.replace(staging, target)
    shutil.rmtree(retired, ignore_errors=True)
