"""Cohort benchmark: accounts mode under concurrent signed-in learners and mentors.

    uv run python bench/cohort_web.py [--mode pages|writes] [--users 50] [--seconds 60]
                                      [--db sqlite|postgres] [--workers 1]
                                      [--database-url postgresql://...] [--max-requests 100000]

Loopback only, bounded in time and in requests. A fresh database (a SQLite file, or with
`--db postgres` a new database on the server of `--database-url` or MLPIVOT_TEST_POSTGRES_URL,
dropped afterwards) gets one cohort with `--users` learners (each with a stored profile and one
of ten plans, so ten charts to draw) and one mentor per ten learners. Every simulated user
signs in beforehand.

`--mode pages`: each user opens their pages once, uncounted (the plan charts are drawn and the
dashboard's learner summaries derived), then loops over them (learner: /fit, /plan, /feedback;
mentor: the cohort dashboard and a learner's page) with `/health` in the same loop.

`--mode writes`: each learner loops over logging study hours (the plan page's form) and rating
a quiz answer (the quiz's form), with `/health`; every write carries a value unique to it. When
the clock stops, every write the server acknowledged (its 303) is looked for in the database:
the count of those not found is printed as lost writes, with the server's "database is locked"
refusals.

Printed per page or write: requests, errors, p50 and p95 in ms, requests per second, and p95 as
a ratio to `/health`'s p95 in the same run (which holds when the machine's speed drifts).
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
import uuid
from collections import Counter, defaultdict
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

import httpx
from sqlalchemy import create_engine, select, text

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "src"))

from mlpivot.bootstrap import Services  # noqa: E402
from mlpivot.config import AuthMode, Settings  # noqa: E402
from mlpivot.engine.plan import PlanRequest, build_plan  # noqa: E402
from mlpivot.engine.profile import Profile, profile_to_data  # noqa: E402
from mlpivot.store.accounts import AccountRole, Accounts  # noqa: E402
from mlpivot.store.cohorts import Cohorts, MemberRole  # noqa: E402
from mlpivot.store.repositories import Plans, Profiles  # noqa: E402
from mlpivot.store.tables import ProgressRow, ReviewRow  # noqa: E402

SECRET = "bench-secret-shared-by-every-worker-0123"
PASSWORD = "bench password 123"
START_LIMIT_S = 180.0
PLAN_VARIANTS = 10
SIGN_INS_AT_ONCE = 8
TOKEN = re.compile(r'<meta name="csrf-token" content="([^"]+)"')
QUESTION = re.compile(r'name="question_id" value="([^"]+)"')


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
    skill: str
    """a skill of every learner's plan, for the progress form"""


def _seed(settings: Settings, users: int, variants: int) -> Seeded:
    """One cohort: learners with a stored profile and plan, a mentor per ten learners."""
    services = Services(settings)
    try:
        catalog = services.catalog
        plans = []
        for n in range(max(1, min(users, variants))):
            profile = Profile(hours_per_week=6 + n)
            plan = build_plan(profile, catalog, PlanRequest(("ml-engineer",), date.today()))
            plans.append((profile, plan.model_dump(mode="json")))
        skill = next(
            b.ref_id
            for w in build_plan(
                Profile(hours_per_week=6), catalog, PlanRequest(("ml-engineer",), date.today())
            ).weeks
            for b in w.blocks
            if b.kind == "skill"
        )
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
        for n, email in enumerate(learners):
            profile, plan_data = plans[n % len(plans)]
            with services.owned(people[email].id) as (session, owner):
                Profiles(session, owner).save(profile_to_data(profile), expected_version=None)
                Plans(session, owner).add("ml-engineer", plan_data)
        return Seeded(cohort.public_id, learners, learner_ids, mentors, skill)
    finally:
        services.close()


async def _sign_in(client: httpx.AsyncClient, email: str) -> None:
    page = await client.get("/roles")
    token = TOKEN.search(page.text)
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
    kinds: Counter[str] = field(default_factory=Counter)
    """what the errors were: a status code or an exception's name"""

    def timed(self, label: str, seconds: float, error: str | None) -> None:
        self.times[label].append(seconds)
        if error is not None:
            self.errors[label] += 1
            self.kinds[f"{label}: {error}"] += 1


async def _get(client: httpx.AsyncClient, label: str, path: str, tally: Tally) -> None:
    tally.budget -= 1
    began = time.perf_counter()
    try:
        status: int | str = (await client.get(path)).status_code
    except httpx.HTTPError as error:
        status = type(error).__name__
    tally.timed(label, time.perf_counter() - began, None if status == 200 else str(status))


async def _round(client: httpx.AsyncClient, pages: list[tuple[str, str]], tally: Tally) -> None:
    for label, path in pages:
        await _get(client, label, path, tally)


async def _browse(client: httpx.AsyncClient, pages: list[tuple[str, str]], tally: Tally) -> None:
    while time.monotonic() < tally.deadline and tally.budget > 0:
        await _round(client, pages, tally)


@dataclass
class Acknowledged:
    """The writes the server confirmed, each by the value unique to it."""

    hours: list[float] = field(default_factory=list)
    seconds: list[float] = field(default_factory=list)


async def _post(
    client: httpx.AsyncClient, label: str, path: str, data: dict[str, str], tally: Tally
) -> bool:
    tally.budget -= 1
    origin = str(client.base_url).rstrip("/")
    began = time.perf_counter()
    try:
        status: int | str = (
            await client.post(path, data=data, headers={"Origin": origin})
        ).status_code
    except httpx.HTTPError as error:
        status = type(error).__name__
    tally.timed(label, time.perf_counter() - began, None if status == 303 else str(status))
    return status == 303


async def _forms(client: httpx.AsyncClient) -> tuple[str, str]:
    """The CSRF token and a quiz question, read before the clock starts."""
    token = TOKEN.search((await client.get("/plan/log")).text)
    question = QUESTION.search((await client.get("/quiz")).text)
    if token is None or question is None:
        raise SystemExit("the plan log or quiz page lacks its form")
    return token[1], question[1]


async def _write(
    client: httpx.AsyncClient,
    skill: str,
    forms: tuple[str, str],
    tally: Tally,
    acknowledged: Acknowledged,
) -> None:
    """Log hours, rate a quiz answer, look at /health; again until the clock or budget stops."""
    token, question = forms
    n = 0
    while time.monotonic() < tally.deadline and tally.budget > 0:
        n += 1
        hours = round(1 + n / 1000, 3)  # unique per write of this learner: its identity
        progress = {"skill": skill, "hours": str(hours), "csrf_token": token}
        if await _post(client, "write: log hours", "/plan/progress", progress, tally):
            acknowledged.hours.append(hours)
        seconds = n + 0.5
        review = {
            "question_id": question,
            "rating": "3",
            "correct": "1",
            "seconds": str(seconds),
            "csrf_token": token,
        }
        if await _post(client, "write: rate a quiz answer", "/quiz/rate", review, tally):
            acknowledged.seconds.append(seconds)
        await _get(client, "/health", "/health", tally)


@dataclass
class LoadResult:
    users: int
    mentors: int
    workers: int
    database: str
    mode: str
    elapsed_s: float
    tally: Tally
    acknowledged: int = 0
    lost: int = 0
    locked: int = 0
    """the server's "database is locked" refusals (SQLite's busy timeout ran out)"""
    server_errors: str = ""

    @property
    def error_count(self) -> int:
        return sum(self.tally.errors.values())


def _learner_pages(seeded: Seeded) -> list[tuple[str, list[tuple[str, str]]]]:
    pages = [("/fit", "/fit"), ("/plan", "/plan"), ("/feedback", "/feedback")]
    plans = [(email, [*pages, ("/health", "/health")]) for email in seeded.learners]
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
    return plans


async def _drive(
    url: str, seeded: Seeded, mode: str, seconds: float, max_requests: int
) -> tuple[Tally, float, dict[str, Acknowledged]]:
    people = [e for e, _ in _learner_pages(seeded)] if mode == "pages" else seeded.learners
    # An idle connection is dropped by the client well before uvicorn closes it (after 5 s):
    # with equal limits a request could go out on a connection the server was just closing,
    # and come back as "server disconnected" (users waiting for their turn to sign in did).
    limits = httpx.Limits(max_connections=2, max_keepalive_connections=1, keepalive_expiry=2.0)
    clients = [httpx.AsyncClient(base_url=url, timeout=120, limits=limits) for _ in people]
    acknowledged = {email: Acknowledged() for email in seeded.learners}
    try:
        # Signed in beforehand, a few at a time: each sign-in is a deliberately slow argon2
        # check, and a burst of hundreds is the setup, not the load being measured.
        gate = asyncio.Semaphore(SIGN_INS_AT_ONCE)

        async def sign_in(client: httpx.AsyncClient, email: str) -> None:
            async with gate:
                await _sign_in(client, email)

        await asyncio.gather(*(sign_in(c, e) for c, e in zip(clients, people, strict=True)))
        if mode == "pages":
            plans = dict(_learner_pages(seeded))
            warm = Tally(0.0, 0)  # uncounted: charts drawn, summaries derived, then kept
            await asyncio.gather(
                *(_round(c, plans[e], warm) for c, e in zip(clients, people, strict=True))
            )
            tally = Tally(time.monotonic() + seconds, max_requests)
            began = time.monotonic()
            await asyncio.gather(
                *(_browse(c, plans[e], tally) for c, e in zip(clients, people, strict=True))
            )
        else:
            forms = await asyncio.gather(*(_forms(c) for c in clients))
            tally = Tally(time.monotonic() + seconds, max_requests)
            began = time.monotonic()
            await asyncio.gather(
                *(
                    _write(c, seeded.skill, f, tally, acknowledged[e])
                    for c, f, e in zip(clients, forms, people, strict=True)
                )
            )
        return tally, time.monotonic() - began, acknowledged
    finally:
        await asyncio.gather(*(c.aclose() for c in clients))


def _count_lost(database_url: str, acknowledged: dict[str, Acknowledged]) -> int:
    """Acknowledged writes that the database does not hold, by each write's unique value."""
    settings = Settings(database_url=database_url)
    engine = create_engine(settings.resolved_database_url())
    lost = 0
    try:
        with engine.connect() as conn:
            owners: dict[str, int] = {
                str(email): int(owner)
                for email, owner in conn.execute(text("SELECT email, id FROM users"))
            }
            for email, acked in acknowledged.items():
                owner = owners[email]
                hours = set(
                    conn.scalars(select(ProgressRow.hours).where(ProgressRow.owner_id == owner))
                )
                seconds = set(
                    conn.scalars(select(ReviewRow.seconds).where(ReviewRow.owner_id == owner))
                )
                lost += sum(1 for h in acked.hours if h not in hours)
                lost += sum(1 for s in acked.seconds if s not in seconds)
    finally:
        engine.dispose()
    return lost


def run_load(
    data: Path,
    database_url: str,
    *,
    users: int,
    seconds: float,
    workers: int,
    mode: str = "pages",
    max_requests: int = 100_000,
) -> LoadResult:
    """Seed, start `mlpivot serve` on loopback, drive it, stop it; what the tests also run."""
    settings = Settings(
        data_dir=data, database_url=database_url, auth=AuthMode.ACCOUNTS, secret_key=SECRET
    )
    seeded = _seed(settings, users, PLAN_VARIANTS if mode == "pages" else 1)
    port = _free_port()
    env = {k: v for k, v in os.environ.items() if k != "DATABASE_URL"}
    env.update(
        MLPIVOT_DATA_DIR=str(data),
        MLPIVOT_DATABASE_URL=database_url,
        MLPIVOT_AUTH="accounts",
        MLPIVOT_SECRET_KEY=SECRET,
        MLPIVOT_CACHE_DIR=str(data / "cache"),
        # Every simulated user signs in from 127.0.0.1, and sign-ins in flight count against
        # the address until their password is checked; a real cohort comes from many addresses.
        MLPIVOT_LOGIN_FAILURES_PER_ADDRESS="100000",
    )
    command = [sys.executable, "-m", "mlpivot", "serve", "--host", "127.0.0.1"]
    command += ["--port", str(port), "--workers", str(workers)]
    log_file = data / "server.log"
    with log_file.open("w") as log:
        server = subprocess.Popen(command, env=env, stdout=subprocess.DEVNULL, stderr=log)
    url = f"http://127.0.0.1:{port}"
    try:
        limit = time.monotonic() + START_LIMIT_S
        while True:
            if server.poll() is not None or time.monotonic() > limit:
                raise SystemExit("mlpivot serve did not start:\n" + log_file.read_text()[-2000:])
            try:
                if httpx.get(url + "/health", timeout=2).status_code == 200:
                    break
            except httpx.HTTPError:
                time.sleep(0.3)
        tally, elapsed, acknowledged = asyncio.run(_drive(url, seeded, mode, seconds, max_requests))
    finally:
        server.terminate()
        try:
            server.wait(timeout=60)
        except subprocess.TimeoutExpired:
            server.kill()
            server.wait(timeout=30)
    log_text = log_file.read_text(errors="replace")
    result = LoadResult(
        users,
        len(seeded.mentors),
        workers,
        "SQLite" if database_url.startswith("sqlite") else "PostgreSQL",
        mode,
        elapsed,
        tally,
        locked=log_text.count("database is locked"),
        server_errors=log_text[-4000:] if "Traceback" in log_text else "",
    )
    if mode == "writes":
        result.acknowledged = sum(len(a.hours) + len(a.seconds) for a in acknowledged.values())
        result.lost = _count_lost(database_url, acknowledged)
    return result


def _p95(values: list[float]) -> float:
    ordered = sorted(values)
    return ordered[int(0.95 * (len(ordered) - 1))]


def report(result: LoadResult, say: Callable[[str], None] = print) -> None:
    tally = result.tally
    health_p95 = _p95(tally.times["/health"]) if tally.times.get("/health") else 0.0
    total = sum(len(v) for v in tally.times.values())
    who = f"{result.users} learners" + (
        f" + {result.mentors} mentors" if result.mode == "pages" else ""
    )
    say(
        f"{result.mode}: {who}, {result.workers} worker(s), {result.database}, "
        f"{result.elapsed_s:.0f} s, {total} requests"
    )
    say(
        f"{'page':26} {'n':>7} {'errors':>6} {'p50 ms':>8} {'p95 ms':>8} {'req/s':>7} "
        f"{'p95/health':>10}"
    )
    for label in sorted(tally.times, key=lambda k: (k == "/health", k)):
        values = tally.times[label]
        p95 = _p95(values)
        ratio = p95 / health_p95 if health_p95 else float("nan")
        say(
            f"{label:26} {len(values):7d} {tally.errors.get(label, 0):6d} "
            f"{statistics.median(values) * 1000:8.1f} {p95 * 1000:8.1f} "
            f"{len(values) / result.elapsed_s:7.1f} {ratio:10.2f}"
        )
    if result.mode == "writes":
        say(
            f"acknowledged writes: {result.acknowledged}; lost: {result.lost}; "
            f"'database is locked' in the server log: {result.locked}"
        )
    for kind, count in tally.kinds.most_common(5):
        say(f"  error {kind}: {count}")


@contextmanager
def fresh_postgres(server_url: str) -> Iterator[str]:
    """A new database on the server, dropped afterwards: the bench never touches another."""
    from sqlalchemy.engine import make_url

    name = "mlpivot_bench_" + uuid.uuid4().hex[:12]
    url = make_url(Settings(database_url=server_url).resolved_database_url())
    admin = create_engine(url, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    try:
        yield url.set(database=name).render_as_string(hide_password=False)
    finally:
        with admin.connect() as conn:
            conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--mode", choices=("pages", "writes"), default="pages")
    parser.add_argument("--users", type=int, default=50)
    parser.add_argument("--seconds", type=float, default=60.0)
    parser.add_argument("--workers", type=int, default=1)
    parser.add_argument("--db", choices=("sqlite", "postgres"), default="sqlite")
    parser.add_argument(
        "--database-url", default=None, help="a PostgreSQL server for --db postgres"
    )
    parser.add_argument("--max-requests", type=int, default=100_000)
    args = parser.parse_args()
    if not 1 <= args.users <= 1000 or not 0 < args.seconds <= 600:
        parser.error("use 1–1000 users for at most 600 seconds")
    with tempfile.TemporaryDirectory(prefix="mlpivot-bench-") as folder:
        data = Path(folder)
        if args.db == "postgres":
            server = args.database_url or os.environ.get("MLPIVOT_TEST_POSTGRES_URL")
            if not server:
                parser.error("--db postgres needs --database-url or MLPIVOT_TEST_POSTGRES_URL")
            with fresh_postgres(server) as url:
                result = run_load(
                    data,
                    url,
                    users=args.users,
                    seconds=args.seconds,
                    workers=args.workers,
                    mode=args.mode,
                    max_requests=args.max_requests,
                )
        else:
            result = run_load(
                data,
                f"sqlite:///{data / 'mlpivot.db'}",
                users=args.users,
                seconds=args.seconds,
                workers=args.workers,
                mode=args.mode,
                max_requests=args.max_requests,
            )
    report(result)
    if result.server_errors:
        print("The server logged errors; the last of them:\n" + result.server_errors)


if __name__ == "__main__":
    main()
