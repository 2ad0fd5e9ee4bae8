"""The map's JavaScript and CSS, fetched at setup from the npm registry, pinned and checksummed.

Third-party code is never committed: `python -m observatory_data.serving.assets fetch` downloads the pinned
tarballs, checks npm's sha512 integrity, and unpacks only the files the map needs into static/vendor
(git-ignored), which Streamlit serves at /app/static/vendor. Running it again does nothing.
"""

from __future__ import annotations

import base64
import hashlib
import io
import sys
import tarfile
import urllib.request
from dataclasses import dataclass
from pathlib import Path

from observatory_data.serving.errors import BuildError

VENDOR_DIR = Path(__file__).resolve().parents[2] / "static" / "vendor"


@dataclass(frozen=True)
class Package:
    name: str
    version: str
    integrity: str  # npm's "dist.integrity" (sha512, base64)
    files: tuple[str, ...]  # paths inside the tarball, below package/

    @property
    def url(self) -> str:
        return f"https://registry.npmjs.org/{self.name}/-/{self.name}-{self.version}.tgz"


PACKAGES = (
    Package(
        "leaflet",
        "1.9.4",
        "sha512-nxS1ynzJOmOlHp+iL3FyWqK89GtNL8U8rvlMOsQdTTssxZwCXh8N2NB3GDQOL+YR3XnWyZAxwQixURb+FA74PA==",
        (
            "dist/leaflet.js",
            "dist/leaflet.css",
            "dist/images/layers.png",
            "dist/images/layers-2x.png",
            "dist/images/marker-icon.png",
            "dist/images/marker-icon-2x.png",
            "dist/images/marker-shadow.png",
            "LICENSE",
        ),
    ),
    Package(
        "leaflet.markercluster",
        "1.5.3",
        "sha512-vPTw/Bndq7eQHjLBVlWpnGeLa3t+3zGiuM7fJwCkiMFq+nmRuG3RI3f7f4N4TDX7T4NpbAXpR2+NTRSEGfCSeA==",
        (
            "dist/leaflet.markercluster.js",
            "dist/MarkerCluster.css",
            "dist/MarkerCluster.Default.css",
            "MIT-LICENCE.txt",
        ),
    ),
)


def _target(package: Package, member: str, root: Path) -> Path:
    relative = member.removeprefix("dist/")
    return root / package.name / relative


def missing_files(root: Path = VENDOR_DIR) -> list[Path]:
    """Asset files not yet in place (the map page names them when it cannot load)."""
    return [_target(p, f, root) for p in PACKAGES for f in p.files if not _target(p, f, root).is_file()]


def _verified_tarball(package: Package, timeout: float) -> bytes:
    with urllib.request.urlopen(package.url, timeout=timeout) as response:
        data = response.read()
    algorithm, expected = package.integrity.split("-", 1)
    actual = base64.b64encode(hashlib.new(algorithm, data).digest()).decode()
    if actual != expected:
        raise BuildError(
            f"integrity mismatch for {package.url}: expected {package.integrity}, got {algorithm}-{actual}"
        )
    return data


def fetch(root: Path = VENDOR_DIR, timeout: float = 60.0) -> list[Path]:
    """Download and unpack whatever is missing; returns the files written."""
    written: list[Path] = []
    for package in PACKAGES:
        wanted = [f for f in package.files if not _target(package, f, root).is_file()]
        if not wanted:
            continue
        try:
            data = _verified_tarball(package, timeout)
        except OSError as exc:
            raise BuildError(f"could not download {package.url}: {exc}") from exc
        with tarfile.open(fileobj=io.BytesIO(data), mode="r:gz") as archive:
            for member in wanted:
                extracted = archive.extractfile(f"package/{member}")
                if extracted is None:
                    raise BuildError(f"{package.url} has no file {member}")
                target = _target(package, member, root)
                target.parent.mkdir(parents=True, exist_ok=True)
                temporary = target.with_suffix(target.suffix + ".part")
                temporary.write_bytes(extracted.read())
                temporary.replace(target)
                written.append(target)
    return written


def main(argv: list[str]) -> int:
    if argv != ["fetch"]:
        print("usage: python -m observatory_data.serving.assets fetch", file=sys.stderr)
        return 2
    try:
        written = fetch()
    except BuildError as exc:
        print(f"Map assets not fetched: {exc}", file=sys.stderr)
        return 1
    print(f"Map assets in {VENDOR_DIR}: {len(written)} file(s) fetched, the rest already in place.")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
