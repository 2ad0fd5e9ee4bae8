"""How long the build and each page take, and how big the prepared tables are: `make bench` prints the figures.
(`python -m benchmarks.pages`).

The tables are built into a temporary folder (the app's own tables are left alone) and the pages are timed
over that build, so the figures describe one consistent state. A page's warm time is the median of a few
reruns after a first run has filled the caches: that is what a visitor waits for when changing a widget.
"""

from __future__ import annotations

import logging
import os
import resource
import statistics
import sys
import tempfile
import time
from pathlib import Path

import polars as pl
from streamlit.testing.v1 import AppTest

from app_pages.registry import PAGES
from observatory_data.build.pipeline import build
from observatory_data.build.sources import mirror_from_environment
from observatory_data.serving.store import PREPARED_VARIABLE

ROOT = Path(__file__).resolve().parents[1]

WARM_RUNS = 5
WARM_BUDGET_MS = 100  # issue 22: every page's warm rerun under 100 ms, default view and a typical link
# A typical reader's link per page (a county, a metric, a year), as benchmarks.load's readers open them.
TYPICAL_LINKS = {
    "": "metric=visits",
    "benchmark": "service=E10000016&metric=visits&year=2024",
    "map": "metric=loans&service=E10000016",
    "trends": "metric=visits&service=E10000016",
    "places": "metric=events&year=2024",
    "network": "area=E10000016",
    "data": "year=2024",
}


def peak_memory_mb() -> float:
    """This process's peak resident memory so far (Linux reports kilobytes)."""
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def cold_start_ms() -> float:
    """The first run of app.py in a fresh process: the overview, including reading the tables it needs."""
    started = time.perf_counter()
    AppTest.from_file(str(ROOT / "app.py"), default_timeout=60).run()
    return (time.perf_counter() - started) * 1000


def time_page(page: str, query: str = "") -> tuple[float, float]:
    """(first visit, median warm rerun) in milliseconds, through app.py's navigation as a visitor meets it,
    with the link's query string (`metric=visits&year=2024`) or the default view.

    The first visit comes after the overview has run in the same process, so tables the overview loaded are
    already cached; the overview's own first figure is the one that includes reading them.
    """
    app = AppTest.from_file(str(ROOT / "app.py"), default_timeout=60)
    app.run()
    for pair in filter(None, query.split("&")):
        name, _, value = pair.partition("=")
        app.query_params[name] = value
    app.switch_page(page)
    started = time.perf_counter()
    app.run()
    first = (time.perf_counter() - started) * 1000
    if app.exception:
        raise RuntimeError(f"{page} raised: {app.exception[0].message}")
    warm = []
    for _ in range(WARM_RUNS):
        started = time.perf_counter()
        app.run()
        warm.append((time.perf_counter() - started) * 1000)
    return first, statistics.median(warm)


def map_payload_bytes(layers: str) -> int:
    """Bytes of script, HTML and header the map page hands to the browser's map component."""
    import streamlit_folium
    from streamlit.testing.v1 import AppTest

    sent: list[int] = []
    original = streamlit_folium._component_func

    def recording(**kwargs):
        sent.append(sum(len(str(kwargs.get(part) or "").encode()) for part in ("script", "html", "header")))
        return original(**kwargs)

    streamlit_folium._component_func = recording
    try:
        app = AppTest.from_file(str(ROOT / "app.py"), default_timeout=120)
        app.query_params["layers"] = layers
        app.switch_page("app_pages/map.py")
        app.run()
    finally:
        streamlit_folium._component_func = original
    return sent[-1]


def table_sizes(folder: Path) -> list[tuple[str, int, int]]:
    """(file, bytes, rows) for every prepared file; rows only for Parquet tables."""
    rows = []
    for path in sorted(folder.iterdir()):
        count = pl.scan_parquet(path).select(pl.len()).collect().item() if path.suffix == ".parquet" else None
        rows.append((path.name, path.stat().st_size, count))
    return rows


def main() -> int:
    # AppTest's "missing ScriptRunContext" warnings (harmless in bare mode) would drown the figures.
    logging.getLogger("streamlit.runtime.scriptrunner_utils.script_run_context").disabled = True
    with tempfile.TemporaryDirectory(prefix="observatory-bench-") as folder:
        target = Path(folder) / "prepared"
        mirror = mirror_from_environment()
        started = time.perf_counter()
        build(target, mirror, echo=lambda _: None)
        build_seconds = time.perf_counter() - started
        build_memory = peak_memory_mb()
        print(
            f"Build: {build_seconds:.1f} s (sources: {mirror or 'pinned downloads, cached'}), "
            f"peak memory {build_memory:.0f} MB"
        )

        print("\nPrepared tables")
        sizes = table_sizes(target)
        print(f"  {'file':<24}{'bytes':>12}{'rows':>10}")
        for name, size, count in sizes:
            print(f"  {name:<24}{size:>12,}{'' if count is None else f'{count:,}':>10}")
        print(f"  {'total':<24}{sum(size for _, size, _ in sizes):>12,}")

        os.environ[PREPARED_VARIABLE] = str(target)
        print(f"\nCold start (first run of app.py, reading the tables): {cold_start_ms():.0f} ms")
        print(f"\nPages (script time; warm = median of {WARM_RUNS} reruns after the first)")
        print(f"  {'page':<32}{'link':<46}{'first ms':>10}{'warm ms':>10}")
        slow = []
        for spec in PAGES:
            for query in ("", TYPICAL_LINKS.get(spec.url_path, "")):
                first, warm = time_page(spec.path, query)
                flag = "  over budget" if warm > WARM_BUDGET_MS else ""
                slow += [f"{spec.path}?{query}"] if flag else []
                print(f"  {spec.path:<32}{query or '(default view)':<46}{first:>10.0f}{warm:>10.0f}{flag}")
        print("\nMap payload sent to the browser (script + HTML)")
        for layers in ("priority,lucp", "priority,lucp,branches"):
            print(f"  layers={layers:<28}{map_payload_bytes(layers):>12,} bytes")
        print(f"\nPeak memory: {peak_memory_mb():.0f} MB (build alone: {build_memory:.0f} MB)")
        if slow:
            print(f"Over the {WARM_BUDGET_MS} ms warm budget: {', '.join(slow)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
