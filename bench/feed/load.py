"""Timed HTTP requests with a small thread pool, their percentiles and the verdicts."""

from __future__ import annotations

import http.client
import math
import threading
import time
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field

import httpx
from sample import Member

FLOOR_PATH = "/bench/floor/"
FEED_MARKER = 'id="feed-items"'


@dataclass
class Scenario:
    name: str
    members: list[Member]
    path: Callable[[Member], str]
    # None when the answer is right, else what is wrong with it.
    check: Callable[[Member, Answer], str | None]


@dataclass
class Answer:
    """What the checks read of an answer, whichever client got it."""

    status_code: int
    headers: dict[str, str]
    text: str


class _StdlibClient:
    """One kept-alive connection of ``http.client``, opened again after the server closed it."""

    def __init__(self, base: str):
        self._host, port = base.removeprefix("http://").split(":")
        self._port = int(port)
        self._connection: http.client.HTTPConnection | None = None

    def get(self, path: str, headers: dict[str, str]) -> Answer:
        for attempt in (1, 2):
            if self._connection is None:
                self._connection = http.client.HTTPConnection(self._host, self._port, timeout=60)
            try:
                self._connection.request("GET", path, headers=headers)
                response = self._connection.getresponse()
                body = response.read()
            except (http.client.HTTPException, ConnectionError):
                self._connection.close()
                self._connection = None
                if attempt == 2:
                    raise
                continue
            return Answer(response.status, {k.lower(): v for k, v in response.getheaders()}, body.decode())
        raise AssertionError("unreachable")


class _HttpxClient:
    def __init__(self, base: str):
        self._client = httpx.Client(base_url=base, timeout=60, follow_redirects=False)

    def get(self, path: str, headers: dict[str, str]) -> Answer:
        response = self._client.get(path, headers=headers)
        return Answer(response.status_code, dict(response.headers), response.text)


# The load's HTTP clients, by name: httpx (the default, as in every earlier figure) or the
# standard library's http.client, which costs the shared processors less CPU per request
# (0.5–0.9 ms, against 1.3–2.3 ms for httpx).
CLIENTS = {"httpx": _HttpxClient, "http.client": _StdlibClient}


@dataclass
class Result:
    name: str
    timings_ms: list[float] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    wall_seconds: float = 0.0

    def add(self, other: Result) -> None:
        self.timings_ms += other.timings_ms
        self.errors += other.errors
        self.wall_seconds += other.wall_seconds

    def percentile(self, q: float) -> float:
        ordered = sorted(self.timings_ms)
        if not ordered:
            return math.nan
        return ordered[max(0, math.ceil(q * len(ordered)) - 1)]

    @property
    def rate(self) -> float:
        return len(self.timings_ms) / self.wall_seconds if self.wall_seconds else math.nan

    def summary(self) -> dict:
        return {
            "count": len(self.timings_ms),
            "errors": len(self.errors),
            "p50_ms": round(self.percentile(0.50), 2),
            "p95_ms": round(self.percentile(0.95), 2),
            "p99_ms": round(self.percentile(0.99), 2),
            "mean_ms": round(sum(self.timings_ms) / len(self.timings_ms), 2) if self.timings_ms else None,
            "requests_per_second": round(self.rate, 1),
        }


def check_floor(member: Member, response: Answer) -> str | None:
    if response.status_code != 200:
        return f"floor: HTTP {response.status_code}"
    return None if response.text == "ok" else "floor: unexpected body"


def check_feed(expected: str) -> Callable[[Member, Answer], str | None]:
    def check(member: Member, response: Answer) -> str | None:
        if response.status_code != 200:
            return f"member {member.user_id}: HTTP {response.status_code} {response.headers.get('location', '')}"
        text = response.text
        if FEED_MARKER not in text:
            return f"member {member.user_id}: the answer is not the feed page ({text[:60]!r})"
        code = getattr(member, expected)
        if code not in text:
            return f"member {member.user_id}: the page lacks its expected first item ({code})"
        return None

    return check


class Load:
    """``concurrency`` threads, each with its own kept-alive connection of ``client`` (one of
    ``CLIENTS``), made once for the whole run and before anything is timed.

    An ``httpx.Client`` builds an SSL context when it is made (it reads the system's
    certificate authorities: about 30 ms of CPU, though the load speaks plain HTTP). Made
    again in each slice, the clients cost the shared processors over a millisecond per
    request and slowed down the first requests of every slice.
    """

    def __init__(self, base: str, *, concurrency: int, cookie_name: str, client: str = "httpx"):
        self.base = base
        self.concurrency = concurrency
        self.cookie_name = cookie_name
        self._make_client = CLIENTS[client]
        self._local = threading.local()
        self._ready = threading.Barrier(concurrency)
        self._pool = ThreadPoolExecutor(max_workers=concurrency, initializer=self._start_thread)

    def _start_thread(self) -> None:
        self._local.client = self._make_client(self.base)

    def __enter__(self) -> Load:
        # One task per thread, each waiting for the others: every thread is started, and has
        # made its client, before the first timed request.
        list(self._pool.map(lambda _: self._ready.wait(timeout=60), range(self.concurrency)))
        return self

    def __exit__(self, *exc) -> None:
        self._pool.shutdown(wait=True)

    def run(self, scenario: Scenario, *, requests: int, deadline: float) -> Result:
        """``requests`` requests spread over the scenario's members, ``concurrency`` at a time."""
        result = Result(scenario.name)
        lock = threading.Lock()

        def one(member: Member) -> None:
            if time.monotonic() > deadline:
                return
            path = scenario.path(member)
            headers = {"Cookie": f"{self.cookie_name}={member.session_key}"}
            started = time.perf_counter()
            try:
                response = self._local.client.get(path, headers=headers)
            except (httpx.HTTPError, http.client.HTTPException, OSError) as error:
                with lock:
                    result.errors.append(f"{path}: {error!r}")
                return
            elapsed = (time.perf_counter() - started) * 1000
            problem = scenario.check(member, response)
            with lock:
                result.timings_ms.append(elapsed)
                if problem:
                    result.errors.append(problem)

        members = scenario.members
        started = time.perf_counter()
        list(self._pool.map(one, (members[i % len(members)] for i in range(requests))))
        result.wall_seconds = time.perf_counter() - started
        return result


def verdicts(summaries: dict[str, dict]) -> list[dict]:
    """The targets, each with PASS or FAIL."""

    def p95(name: str) -> float:
        return summaries.get(name, {}).get("p95_ms", math.nan)

    floor = p95("floor")
    rules = []
    for group in ("2", "200"):
        first = f"first page, {group} coops"
        rules.append((first, "p95 <= 50 ms", p95(first), 50.0))
        rules.append((first, "p95 <= 4 x floor p95", p95(first), 4 * floor))
    rules.append(
        (
            "first page, 200 coops",
            "p95 <= 1.5 x first page of a 2-coop member",
            p95("first page, 200 coops"),
            1.5 * p95("first page, 2 coops"),
        )
    )
    rules.append(
        (
            "deep page, 2 coops",
            "p95 <= 1.5 x its first page (depth costs nothing)",
            p95("deep page, 2 coops"),
            1.5 * p95("first page, 2 coops"),
        )
    )
    rules.append(
        (
            "deep page, 200 coops",
            "p95 <= 1.5 x its first page (depth costs nothing)",
            p95("deep page, 200 coops"),
            1.5 * p95("first page, 200 coops"),
        )
    )
    rules.append(
        (
            "deep page, 200 coops",
            "p95 <= 1.5 x deep page of a 2-coop member",
            p95("deep page, 200 coops"),
            1.5 * p95("deep page, 2 coops"),
        )
    )
    return [
        {
            "scenario": name,
            "target": target,
            "value_ms": round(value, 2),
            "limit_ms": round(limit, 2),
            "verdict": "PASS" if value <= limit else "FAIL",
        }
        for name, target, value, limit in rules
    ]


def table(summaries: dict[str, dict], checks: list[dict]) -> str:
    floor = summaries.get("floor", {}).get("p95_ms") or math.nan
    lines = [
        f"{'scenario':<24}{'count':>7}{'p50 ms':>9}{'p95 ms':>9}{'p99 ms':>9}{'req/s':>9}{'p95/floor':>11}",
        "-" * 78,
    ]
    for name, s in summaries.items():
        ratio = s["p95_ms"] / floor if floor else math.nan
        lines.append(
            f"{name:<24}{s['count']:>7}{s['p50_ms']:>9.1f}{s['p95_ms']:>9.1f}{s['p99_ms']:>9.1f}"
            f"{s['requests_per_second']:>9.1f}{ratio:>10.1f}x"
        )
    lines += ["", "Targets:"]
    for check in checks:
        lines.append(
            f"  {check['verdict']:<5} {check['scenario']:<22} {check['target']:<52} "
            f"{check['value_ms']:>7.1f} <= {check['limit_ms']:.1f}"
        )
    return "\n".join(lines)
