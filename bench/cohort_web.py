"""Cohort benchmark: accounts mode under concurrent signed-in learners and mentors.

    uv run python bench/cohort_web.py [--users 50] [--seconds 60] [--workers 1]
                                      [--database-url postgresql://...] [--max-requests 100000]

Loopback only, bounded in time and in requests. A fresh database gets one cohort with
`--users` learners (each with a stored profile and plan) and one mentor per ten learners;
every simulated user signs in and opens each of their pages once (uncounted: the plan chart
is drawn on a plan's first view, then kept) before the clock starts, then loops over their pages
(learner: /fit, /plan, /feedback; mentor: the cohort dashboard and a learner's page) with
`/health` in the same loop, until `--seconds` pass or `--max-requests` are made. Printed per
page: requests, errors, p50 and p95 in ms, requests per second, and p95 as a ratio to
`/health`'s p95 in the same run (which holds when the machine's speed drifts).
"""

from __future__ import annotations

import argparse
import asyncio
import os
import re
import statistics
import subprocess
import sys
import tempfile
import time
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

import httpx

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "src"))

from mlpivot.bootstrap import Services  # noqa: E402
from mlpivot.config import AuthMode, Settings  # noqa: E402
from mlpivot.engine.plan import PlanRequest, build_plan  # noqa: E402
from mlpivot.engine.profile import Profile, profile_to_data  # noqa: E402
from mlpivot.store.accounts import AccountRole, Accounts  # noqa: E402
from mlpivot.store.cohorts import Cohorts, MemberRole  # noqa: E402
from mlpivot.store.repositories import Plans, Profiles  # noqa: E402

SECRET = "bench-secret-shared-by-every-worker-0123"
PASSWORD = "bench password 123"
START_LIMIT_S = 120.0


def _free_port() -> int:
    import socket

    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@dataclass(frozen=True)
class Seeded:
    cohort: str
    learners: list[str]
    learner_ids: list[str]
    mentors: list[str]


def _seed(settings: Settings, users: int) -> Seeded:
    """One cohort: learners with a stored profile and plan, a mentor per ten learners."""
    services = Services(settings)
    try:
        catalog = services.catalog
        profile = Profile(hours_per_week=8)
        plan = build_plan(profile, catalog, PlanRequest(("ml-engineer",), date.today()))
        plan_data = plan.model_dump(mode="json")
        with services.unit_of_work() as session:
            accounts = Accounts(session)
            admin = accounts.create("Admin", "admin@bench.test", PASSWORD, AccountRole.ADMIN)
            cohorts = Cohorts(session)
            cohort = cohorts.create("Bench cohort", admin)
            learners, learner_ids, mentors = [], [], []
            for n in range(users):
                email = f"learner{n}@bench.test"
                account = accounts.create(f"Learner {n}", email, PASSWORD, AccountRole.LEARNER)
                cohorts.join(cohort.id, account, MemberRole.LEARNER)
                learners.append(email)
                learner_ids.append(account.public_id)
            for n in range(max(1, users // 10)):
                email = f"mentor{n}@bench.test"
                account = accounts.create(f"Mentor {n}", email, PASSWORD, AccountRole.MENTOR)
                cohorts.join(cohort.id, account, MemberRole.MENTOR)
                mentors.append(email)
        with services.unit_of_work() as session:
            people = {a.email: a for a in Accounts(session).all()}
        for email in learners:
            with services.owned(people[email].id) as (session, owner):
                Profiles(session, owner).save(profile_to_data(profile), expected_version=None)
                Plans(session, owner).add("ml-engineer", plan_data)
        return Seeded(cohort.public_id, learners, learner_ids, mentors)
    finally:
        services.close()


async def _sign_in(client: httpx.AsyncClient, email: str) -> None:
    page = await client.get("/roles")
    token = re.search(r'<meta name="csrf-token" content="([^"]+)"', page.text)
    if token is None:
        raise SystemExit("no CSRF token on /roles")
    answer = await client.post(
        "/login",
        data={"email": email, "password": PASSWORD, "csrf_token": token.group(1)},
        headers={"Origin": str(client.base_url).rstrip("/")},
    )
    if answer.status_code != 303:
        raise SystemExit(f"sign-in of {email} failed: {answer.status_code}")


@dataclass
class Tally:
    deadline: float
    budget: int
    times: dict[str, list[float]] = field(default_factory=lambda: defaultdict(list))
    errors: dict[str, int] = field(default_factory=lambda: defaultdict(int))


async def _round(client: httpx.AsyncClient, pages: list[tuple[str, str]], tally: Tally) -> None:
    for label, path in pages:
        tally.budget -= 1
        began = time.perf_counter()
        try:
            ok = (await client.get(path)).status_code == 200
        except httpx.HTTPError:
            ok = False
        tally.times[label].append(time.perf_counter() - began)
        if not ok:
            tally.errors[label] += 1


async def _drive(client: httpx.AsyncClient, pages: list[tuple[str, str]], tally: Tally) -> None:
    while time.monotonic() < tally.deadline and tally.budget > 0:
        await _round(client, pages, tally)


async def _run(url: str, args: argparse.Namespace, seeded: Seeded) -> None:
    plans: list[tuple[str, list[tuple[str, str]]]] = [
        (
            email,
            [
                ("/fit", "/fit"),
                ("/plan", "/plan"),
                ("/feedback", "/feedback"),
                ("/health", "/health"),
            ],
        )
        for email in seeded.learners
    ]
    for n, email in enumerate(seeded.mentors):
        learner = seeded.learner_ids[n % len(seeded.learner_ids)]
        plans.append(
            (
                email,
                [
                    ("mentor: cohort dashboard", f"/cohorts/{seeded.cohort}"),
                    ("mentor: a learner", f"/cohorts/{seeded.cohort}/learners/{learner}"),
                    ("/health", "/health"),
                ],
            )
        )
    clients = [httpx.AsyncClient(base_url=url, timeout=60) for _ in plans]
    try:
        await asyncio.gather(*(_sign_in(c, e) for c, (e, _) in zip(clients, plans, strict=True)))
        warm = Tally(0.0, 0)  # one uncounted round: each plan's chart is drawn once, then kept
        await asyncio.gather(
            *(_round(c, pages, warm) for c, (_, pages) in zip(clients, plans, strict=True))
        )
        tally = Tally(time.monotonic() + args.seconds, args.max_requests)
        began = time.monotonic()
        await asyncio.gather(
            *(_drive(c, pages, tally) for c, (_, pages) in zip(clients, plans, strict=True))
        )
        _report(tally, time.monotonic() - began, args, len(seeded.mentors))
    finally:
        await asyncio.gather(*(c.aclose() for c in clients))


def _p95(values: list[float]) -> float:
    ordered = sorted(values)
    return ordered[int(0.95 * (len(ordered) - 1))]


def _report(tally: Tally, elapsed: float, args: argparse.Namespace, mentors: int) -> None:
    health_p95 = _p95(tally.times["/health"]) if tally.times.get("/health") else 0.0
    total = sum(len(v) for v in tally.times.values())
    where = "PostgreSQL" if args.database_url else "SQLite"
    print(
        f"{args.users} learners + {mentors} mentors, {args.workers} worker(s), {where}, "
        f"{elapsed:.0f} s, {total} requests"
    )
    print(
        f"{'page':26} {'n':>7} {'errors':>6} {'p50 ms':>8} {'p95 ms':>8} {'req/s':>7} "
        f"{'p95/health':>10}"
    )
    for label in sorted(tally.times, key=lambda k: (k == "/health", k)):
        values = tally.times[label]
        p95 = _p95(values)
        ratio = p95 / health_p95 if health_p95 else float("nan")
        print(
            f"{label:26} {len(values):7d} {tally.errors.get(label, 0):6d} "
            f"{statistics.median(values) * 1000:8.1f} {p95 * 1000:8.1f} "
            f"{len(values) / elapsed:7.1f} {ratio:10.2f}"
        )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--users", type=int, default=50)
    parser.add_argument("--seconds", type=float, default=60.0)
    parser.add_argument("--workers", type=int, default=1)
    parser.add_argument("--database-url", default=None, help="PostgreSQL; default a SQLite file")
    parser.add_argument("--max-requests", type=int, default=100_000)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="mlpivot-bench-") as folder:
        data = Path(folder)
        url_db = args.database_url or f"sqlite:///{data / 'mlpivot.db'}"
        settings = Settings(
            data_dir=data, database_url=url_db, auth=AuthMode.ACCOUNTS, secret_key=SECRET
        )
        seeded = _seed(settings, args.users)
        port = _free_port()
        env = {
            **os.environ,
            "MLPIVOT_DATA_DIR": str(data),
            "MLPIVOT_DATABASE_URL": url_db,
            "MLPIVOT_AUTH": "accounts",
            "MLPIVOT_SECRET_KEY": SECRET,
            "MLPIVOT_CACHE_DIR": str(data / "cache"),
        }
        command = [
            sys.executable,
            "-m",
            "mlpivot",
            "serve",
            "--host",
            "127.0.0.1",
            "--port",
            str(port),
            "--workers",
            str(args.workers),
        ]
        server = subprocess.Popen(
            command, env=env, stdout=subprocess.DEVNULL, stderr=(data / "server.log").open("w")
        )
        url = f"http://127.0.0.1:{port}"
        try:
            limit = time.monotonic() + START_LIMIT_S
            while True:
                if server.poll() is not None or time.monotonic() > limit:
                    raise SystemExit("mlpivot serve did not start")
                try:
                    if httpx.get(url + "/health", timeout=2).status_code == 200:
                        break
                except httpx.HTTPError:
                    time.sleep(0.3)
            asyncio.run(_run(url, args, seeded))
        finally:
            server.terminate()
            try:
                server.wait(timeout=30)
            except subprocess.TimeoutExpired:  # still drawing charts for requests given up on
                server.kill()
                server.wait(timeout=30)
            log = (data / "server.log").read_text(errors="replace")
            if "Traceback" in log:
                print(
                    "The server logged errors; the last of them:\n" + log[-4000:], file=sys.stderr
                )


if __name__ == "__main__":
    main()
