"""Many sessions at once, without a browser per session: `python -m benchmarks.load` (`make load`).

Each session speaks Streamlit's own websocket protocol with Streamlit's protobuf classes, as the browser
does: it sends `rerun_script` back-messages (a page, its query string, the widget states) and reads the
forward-messages until `script_finished`. A session is a reader at a service drawn from all 179 in the
register, with a metric and a year: it opens the pages by the links such a reader follows (reader_links), then
changes select boxes it found on the page (a rerun with widget states), with think time between requests, so
caches are measured as real readers hit them. Latency is the time from sending a rerun to the script finishing.
Readers name themselves as browsers and report a page's top drawn as soon as its first run stops after it
(app_pages.kit.first_paint), so the rerun a browser's report causes is measured too.

The run starts its own server(s) on 127.0.0.1 (with `--replicas R > 1`, R servers behind HAProxy with
cookie-inserted sticky sessions), talks to 127.0.0.1 only, bounds every loop by count and time, and stops
by itself. With `--restart` the (first) server is killed and started again half-way; sessions whose
connection drops reconnect and start again, and the summary counts them. The last line printed is one
JSON object with the figures.
"""

from __future__ import annotations

import argparse
import asyncio
import csv
import json
import os
import random
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path

from streamlit.proto.BackMsg_pb2 import BackMsg
from streamlit.proto.ForwardMsg_pb2 import ForwardMsg
from streamlit.proto.WidgetStates_pb2 import WidgetState
from websockets.asyncio.client import connect
from websockets.exceptions import ConnectionClosed, InvalidHandshake

from app_pages.kit.first_paint import REPORTER_KEY
from app_pages.registry import PAGES

ROOT = Path(__file__).resolve().parents[1]
HOST = "127.0.0.1"
REQUEST_TIMEOUT_S = 60.0
THINK_S = (5.0, 20.0)  # a head of service reads a chart or a table before changing a control
MAX_REQUESTS_PER_SESSION = 10_000  # a bound on every session's loop besides the clock
STARTUP_TIMEOUT_S = 60.0
ARRIVALS_SHARE = 0.25
COOKIE = "OBSERVATORY_REPLICA"
# Readers say they are browsers, so a page's first run stops after its top (app_pages.kit.first_paint); each then
# reports that top drawn at once, as a browser does once it has drawn it, and the rerun that follows sends the rest.
BROWSER_AGENT = "Mozilla/5.0 (benchmarks.load)"
DRAWN_STATE = '{"drawn": true}'
REGISTER = ROOT / "observatory_data" / "reference" / "services.csv"
# The metrics a head of service turns to first (every page offers them), and the years they compare.
READER_METRICS = ("loans", "visits", "active_users", "events", "event_attendance", "pc_hours", "wifi_sessions")
READER_YEARS = (2023, 2024, 2025)


def register_codes() -> list[str]:
    """Every library service in the committed register (179), the services readers arrive at."""
    with REGISTER.open(newline="", encoding="utf-8") as handle:
        return [row["service_code"] for row in csv.DictReader(handle)]


def reader_links(rng: random.Random, services: list[str]) -> tuple[tuple[str, str], ...]:
    """The links one reader opens, as a head of service arrives: their own service (drawn from all of them,
    weighted by nothing) and a metric and year they care about, on every page that takes them."""
    service, metric, year = rng.choice(services), rng.choice(READER_METRICS), rng.choice(READER_YEARS)
    links = (
        ("", f"metric={metric}"),
        ("benchmark", f"service={service}"),
        ("benchmark", f"service={service}&metric={metric}&year={year}"),
        ("map", f"metric={metric}&service={service}"),
        ("map", f"metric={metric}&show=change&view=hex"),
        ("trends", f"metric={metric}&service={service}"),
        ("places", f"metric={metric}&year={year}"),
        ("network", f"area={service}"),
        ("data", f"year={year}"),
    )
    return tuple(link for link in links if link[0] in {page.url_path for page in PAGES})


@dataclass
class Figures:
    """What the sessions measured."""

    latencies_ms: list[float] = field(default_factory=list)
    by_page: dict[str, list[float]] = field(default_factory=dict)
    errors: list[str] = field(default_factory=list)
    requests: int = 0
    reconnects: int = 0
    replicas_seen: dict[str, int] = field(default_factory=dict)


class Session:
    """One visitor: a websocket to the server (through HAProxy when there are replicas) and its widgets."""

    def __init__(self, port: int, figures: Figures, rng: random.Random, links: tuple[tuple[str, str], ...]) -> None:
        self.port, self.figures, self.rng, self.links = port, figures, rng, links
        self.connection = None
        self.cookie = ""
        self.selectboxes: dict[str, tuple[str, list[str]]] = {}  # widget id -> (label, options)
        self.states: dict[str, str] = {}
        self.reporter: str | None = None  # the first-paint reporter the last run mounted (its widget id)

    async def connect(self) -> None:
        """Load the page first (HAProxy sets its replica cookie there), then open the stream with the cookie."""
        cookies = await asyncio.to_thread(page_cookies, self.port)
        replica = next((c.split("=", 1)[1] for c in cookies if c.startswith(f"{COOKIE}=")), "single")
        self.figures.replicas_seen[replica] = self.figures.replicas_seen.get(replica, 0) + 1
        self.connection = await connect(
            f"ws://{HOST}:{self.port}/_stcore/stream",
            origin=f"http://{HOST}:{self.port}",
            additional_headers={"Cookie": "; ".join(cookies)} if cookies else None,
            user_agent_header=BROWSER_AGENT,
            max_size=None,
            open_timeout=REQUEST_TIMEOUT_S,
            ping_interval=None,  # Streamlit's own client does not ping at the protocol level either
        )
        self.selectboxes, self.states = {}, {}

    async def rerun(self, page: str, query: str, change: tuple[str, str] | None = None) -> None:
        """One rerun request; its latency, or an error, goes into the figures. A first run that stopped after the
        page's top is followed at once by the report that asks for the rest (timed as '(rest)')."""
        await self._run(page, query, change)
        if self.reporter:
            await self._run(page, query, report=self.reporter)

    async def _run(self, page: str, query: str, change: tuple[str, str] | None = None, report: str = "") -> None:
        message = BackMsg()
        message.rerun_script.query_string = query
        message.rerun_script.page_name = page
        if change:
            self.states[change[0]] = change[1]
        for widget_id, value in self.states.items():
            message.rerun_script.widget_states.widgets.append(WidgetState(id=widget_id, string_value=value))
        if report:
            message.rerun_script.widget_states.widgets.append(WidgetState(id=report, json_value=DRAWN_STATE))
        self.reporter = None
        started = time.perf_counter()
        self.figures.requests += 1
        await self.connection.send(message.SerializeToString())
        self.selectboxes = {}
        while True:
            raw = await asyncio.wait_for(self.connection.recv(), REQUEST_TIMEOUT_S)
            forward = ForwardMsg()
            forward.ParseFromString(raw)
            kind = forward.WhichOneof("type")
            if kind == "delta" and forward.delta.WhichOneof("type") == "new_element":
                element = forward.delta.new_element
                if element.WhichOneof("type") == "exception":
                    self.figures.errors.append(f"{page}?{query}: {element.exception.message[:200]}")
                elif element.WhichOneof("type") == "selectbox":
                    box = element.selectbox
                    self.selectboxes[box.id] = (box.label, list(box.options))
                elif element.WhichOneof("type") == "bidi_component" and element.bidi_component.id.endswith(
                    REPORTER_KEY
                ):
                    self.reporter = element.bidi_component.id
            elif kind == "page_not_found":
                self.figures.errors.append(f"{page}: page not found")
            elif kind == "script_finished":
                if forward.script_finished == ForwardMsg.FINISHED_SUCCESSFULLY:
                    elapsed = (time.perf_counter() - started) * 1000
                    self.figures.latencies_ms.append(elapsed)
                    kind = f"/{page} ({'rest' if report else 'control' if change else 'link'})"
                    self.figures.by_page.setdefault(kind, []).append(elapsed)
                    return
                if forward.script_finished == ForwardMsg.FINISHED_WITH_COMPILE_ERROR:
                    self.figures.errors.append(f"{page}?{query}: compile error")
                    return

    async def visit(self, deadline: float) -> None:
        """Links and control changes with think time until the deadline; reconnect if the server went away."""
        await self.connect()
        page, query = self.rng.choice(self.links)
        for _ in range(MAX_REQUESTS_PER_SESSION):
            if time.monotonic() >= deadline:
                break
            try:
                if self.selectboxes and self.rng.random() < 0.6:
                    widget_id, (_, options) = self.rng.choice(sorted(self.selectboxes.items()))
                    await self.rerun(page, query, (widget_id, self.rng.choice(options)))
                else:
                    page, query = self.rng.choice(self.links)
                    self.states = {}
                    await self.rerun(page, query)
            except (TimeoutError, ConnectionClosed, InvalidHandshake, OSError) as exc:
                if time.monotonic() >= deadline:
                    break
                self.figures.reconnects += 1
                await self._reconnect(deadline, exc)
            await asyncio.sleep(min(self.rng.uniform(*THINK_S), max(0.0, deadline - time.monotonic())))
        if self.connection is not None:
            await self.connection.close()

    async def _reconnect(self, deadline: float, cause: Exception) -> None:
        while time.monotonic() < deadline:
            try:
                await self.connect()
                return
            except (InvalidHandshake, OSError) as exc:
                cause = exc
                await asyncio.sleep(0.5)
        self.figures.errors.append(f"could not reconnect before the end: {cause}")


def page_cookies(port: int) -> list[str]:
    """The cookies the page sets (HAProxy's replica cookie among them), as 'name=value'."""
    with urllib.request.urlopen(f"http://{HOST}:{port}/", timeout=REQUEST_TIMEOUT_S) as response:
        return [value.split(";")[0] for value in response.headers.get_all("Set-Cookie") or []]


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind((HOST, 0))
        return probe.getsockname()[1]


LOG_DIR = Path(tempfile.gettempdir()) / "observatory-load"


def start_server(port: int, script: Path = ROOT / "app.py") -> subprocess.Popen:
    """A server on loopback running `script` (the app unless told) with the project's .streamlit settings; its log
    goes to LOG_DIR/server-PORT.log (where tracebacks are, never the page)."""
    options = {"port": port, "address": HOST, "headless": "true"}
    command = [sys.executable, "-m", "streamlit", "run", str(script)]
    command += [part for name, value in options.items() for part in (f"--server.{name}", str(value))]
    LOG_DIR.mkdir(exist_ok=True)
    log = (LOG_DIR / f"server-{port}.log").open("a")
    return subprocess.Popen(command, cwd=ROOT, stdout=log, stderr=subprocess.STDOUT)


def wait_healthy(port: int, timeout: float = STARTUP_TIMEOUT_S) -> None:
    """Poll /_stcore/health until it answers ok, within the timeout."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(f"http://{HOST}:{port}/_stcore/health", timeout=2) as response:
                if response.read().strip() == b"ok":
                    return
        except OSError:
            time.sleep(0.3)
    raise RuntimeError(f"no healthy server on port {port} after {timeout:.0f} s")


def rss_mb(pid: int) -> float:
    """Resident memory of a process and its children (Linux /proc), in MB."""
    total = 0.0
    for candidate in [pid, *_children(pid)]:
        try:
            for line in Path(f"/proc/{candidate}/status").read_text().splitlines():
                if line.startswith("VmRSS:"):
                    total += int(line.split()[1]) / 1024
        except OSError:
            continue
    return total


def _children(pid: int) -> list[int]:
    try:
        return [int(child) for child in Path(f"/proc/{pid}/task/{pid}/children").read_text().split()]
    except OSError:
        return []


def haproxy_config(front: int, backends: list[int]) -> str:
    """HAProxy in front of the replicas: a cookie inserted on the first response keeps a visitor (and the
    websocket that follows the page) on one replica, since Streamlit keeps session state in the process."""
    servers = "\n".join(
        f"    server r{index} {HOST}:{port} check cookie r{index}" for index, port in enumerate(backends, start=1)
    )
    return f"""global
    maxconn 4096
defaults
    mode http
    timeout connect 5s
    timeout client 1h
    timeout server 1h
    timeout tunnel 1h
frontend observatory
    bind {HOST}:{front}
    default_backend replicas
backend replicas
    balance roundrobin
    option httpchk GET /_stcore/health
    cookie {COOKIE} insert indirect nocache
{servers}
"""


async def drive(port: int, sessions: int, seconds: float, seed: int, restart: tuple[subprocess.Popen, int] | None
                ) -> tuple[Figures, list[subprocess.Popen]]:  # fmt: skip
    figures = Figures()
    deadline = time.monotonic() + seconds
    rngs = [random.Random(seed + index) for index in range(sessions)]
    services = register_codes()
    tasks = []
    for rng in rngs:
        session = Session(port, figures, rng, reader_links(rng, services))
        tasks.append(asyncio.create_task(session.visit(deadline)))
        # Visitors arrive over the first quarter of the run, not all in the same second.
        await asyncio.sleep(seconds * ARRIVALS_SHARE / max(sessions, 1))
    restarted = []
    if restart:
        await asyncio.sleep(max(0.0, deadline - time.monotonic()) / 2)
        process, server_port = restart
        process.send_signal(signal.SIGKILL)
        process.wait(timeout=30)
        replacement = start_server(server_port)
        await asyncio.get_running_loop().run_in_executor(None, wait_healthy, server_port)
        restarted.append(replacement)
    # Every request is bounded by REQUEST_TIMEOUT_S; this bounds the whole run even if one never returns.
    done, pending = await asyncio.wait(tasks, timeout=max(0.0, deadline - time.monotonic()) + 2 * REQUEST_TIMEOUT_S)
    for task in pending:
        task.print_stack(file=sys.stderr)
        task.cancel()
        figures.errors.append("a session did not finish within its bounds")
    for task in done:
        if task.exception() is not None:
            figures.errors.append(f"a session failed: {task.exception()!r}")
    return figures, restarted


def run(sessions: int, seconds: float, replicas: int, seed: int, restart: bool) -> dict:
    ports = [free_port() for _ in range(replicas)]
    servers = [start_server(port) for port in ports]
    proxy = None
    try:
        for port in ports:
            wait_healthy(port)
        front = ports[0]
        if replicas > 1:
            haproxy = shutil.which("haproxy")
            if haproxy is None:
                raise RuntimeError("--replicas needs HAProxy (Debian: apt-get install haproxy)")
            front = free_port()
            config = Path(tempfile.mkdtemp()) / "haproxy.cfg"
            config.write_text(haproxy_config(front, ports))
            proxy = subprocess.Popen([haproxy, "-f", str(config)], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
            wait_healthy(front)
        warm = asyncio.run(drive(front, replicas, 8.0, seed, None))[0]  # a session per replica fills its caches
        rss_start = sum(rss_mb(server.pid) for server in servers)
        figures, restarted = asyncio.run(
            drive(front, sessions, seconds, seed, (servers[0], ports[0]) if restart else None)
        )
        servers[0:1] = restarted or servers[0:1]
        rss_end = sum(rss_mb(server.pid) for server in servers)
    finally:
        for process in [*servers, *([proxy] if proxy else [])]:
            process.terminate()
        for process in [*servers, *([proxy] if proxy else [])]:
            try:
                process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                process.kill()
    latencies = sorted(figures.latencies_ms)

    def percentile(share: float) -> float:
        return round(latencies[min(len(latencies) - 1, int(share * len(latencies)))], 1) if latencies else 0.0

    result = {
        "sessions": sessions,
        "replicas": replicas,
        "seconds": seconds,
        "requests": figures.requests,
        "completed": len(latencies),
        "errors": len(figures.errors),
        "error_examples": figures.errors[:5],
        "p50_ms": round(statistics.median(latencies), 1) if latencies else 0.0,
        "p95_ms": percentile(0.95),
        "max_ms": round(latencies[-1], 1) if latencies else 0.0,
        "rss_mb_start": round(rss_start, 1),
        "rss_mb_end": round(rss_end, 1),
        "mb_per_session": round((rss_end - rss_start) / sessions, 2),
        "restart": restart,
        "reconnects": figures.reconnects,
        "interrupted": figures.requests - len(latencies),  # cut off by the restart, then retried afresh
        "warm_up_errors": len(warm.errors),
        "server_logs": str(LOG_DIR),
    }
    result["p95_ms_by_request"] = {
        kind: round(sorted(times)[min(len(times) - 1, int(0.95 * len(times)))], 1)
        for kind, times in sorted(figures.by_page.items())
    }
    if replicas > 1:
        result["sessions_per_replica"] = dict(sorted(figures.replicas_seen.items()))
    return result


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m benchmarks.load", description=__doc__)
    parser.add_argument("--sessions", type=int, default=20)
    parser.add_argument("--seconds", type=float, default=60.0)
    parser.add_argument("--replicas", type=int, default=1)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--restart", action="store_true", help="kill and restart the first server half-way")
    args = parser.parse_args(argv)
    if not 1 <= args.sessions <= 500 or not 1 <= args.seconds <= 3600 or not 1 <= args.replicas <= 8:
        parser.error("sessions 1-500, seconds 1-3600, replicas 1-8")
    os.environ.setdefault("PYTHONUNBUFFERED", "1")
    result = run(args.sessions, args.seconds, args.replicas, args.seed, args.restart)
    print(json.dumps(result))
    return 0 if result["errors"] == 0 else 1


if __name__ == "__main__":
    sys.exit(main())
