"""Shared fixtures: the real catalog, real databases (SQLite file, PostgreSQL server), Chromium."""

from __future__ import annotations

import json
import os
import shutil
import signal
import subprocess
import tempfile
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
import uuid_utils
from hypothesis import HealthCheck, settings
from sqlalchemy import create_engine, text

from cli_process import run_cli
from mlpivot.bootstrap import Services
from mlpivot.catalog import Catalog, load_catalog
from mlpivot.config import Settings

REPO = Path(__file__).resolve().parents[1]
SHARED_DATA = Path(os.environ.get("MLPIVOT_SHARED_DATA", REPO.parent / "shared" / "data"))
REQUIRE_ALL = os.environ.get("MLPIVOT_REQUIRE_ALL") == "1"
_MADE_CACHE_DIR: list[str] = []


def pytest_configure(config: pytest.Config) -> None:
    """One private catalog cache for the run (shared by xdist workers and CLI subprocesses).

    The suite never writes to the developer's own cache folder, and each catalog is built once
    per run rather than once per process.
    """
    if "MLPIVOT_CACHE_DIR" not in os.environ:
        folder = tempfile.mkdtemp(prefix="mlpivot-test-cache-")
        os.environ["MLPIVOT_CACHE_DIR"] = folder
        _MADE_CACHE_DIR.append(folder)


def pytest_terminal_summary(terminalreporter: pytest.TerminalReporter) -> None:
    """Counts a test recorded with `record_property` under a name starting "schemathesis
    requests" (the API fuzzing test), summed over its reports: under pytest-xdist the workers'
    output is not shown, but their reports, properties included, reach this process."""
    counts: dict[str, int] = {}
    for reports in terminalreporter.stats.values():
        for report in reports:
            if getattr(report, "when", None) != "call":
                continue
            for name, value in getattr(report, "user_properties", ()):
                if str(name).startswith("schemathesis requests") and isinstance(value, int):
                    counts[name] = counts.get(name, 0) + value
    if counts:
        total = sum(counts.values())
        terminalreporter.write_sep("-", f"API fuzzing: {total} generated requests")
        for name, value in sorted(counts.items()):
            terminalreporter.write_line(f"{name}: {value}")


def pytest_unconfigure(config: pytest.Config) -> None:
    for folder in _MADE_CACHE_DIR:
        shutil.rmtree(folder, ignore_errors=True)


# The suite's own profile: no per-example deadline and no "too slow" health check. Both are
# clock-based, and a test here asserts behaviour, never time: on a busy 2-core machine a property
# test failed on the clock alone. (`--hypothesis-profile` chooses another one.)
settings.register_profile(
    "suite",
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow],
)
settings.load_profile("suite")

# Mutation testing (`make mutate`, `--hypothesis-profile=mutation`) runs each property test
# hundreds of times, traced, on a shared machine: the same examples every time (a mutant is
# killed by the tests, not by luck), fewer of them, and no clock-based health checks.
settings.register_profile(
    "mutation",
    derandomize=True,
    max_examples=30,
    deadline=None,
    suppress_health_check=list(HealthCheck),
    database=None,
)


def missing_service(reason: str) -> None:
    """Skip on a developer machine without the service; fail in CI, where it must be there."""
    if REQUIRE_ALL:
        pytest.fail(f"{reason} (MLPIVOT_REQUIRE_ALL=1)")
    pytest.skip(reason)


@pytest.fixture(scope="session")
def require_shared_data() -> Callable[..., Path]:
    """The raw public data is not in the repository: skip without it, fail under REQUIRE_ALL.

    A folder counts as present only with every file the manifest lists for it, so an empty or
    half-fetched data folder skips (or fails) with the fix, instead of erroring mid-test.
    """

    def require(*folders: str) -> Path:
        missing = [f for f in folders if not _shared_folder_complete(f)]
        if missing:
            missing_service(
                f"raw data not found at {SHARED_DATA} ({', '.join(missing)}): run `make data`"
            )
        return SHARED_DATA

    return require


def _shared_folder_complete(folder: str) -> bool:
    manifest = json.loads((REPO / "scripts" / "data_manifest.json").read_text(encoding="utf-8"))
    source = next(s for s in manifest["sources"] if s["folder"] == folder)
    return all((SHARED_DATA / folder / f["path"]).is_file() for f in source["files"])


@pytest.fixture(scope="session")
def catalog() -> Catalog:
    return load_catalog()


@pytest.fixture
def sqlite_url(tmp_path: Path) -> str:
    return f"sqlite:///{tmp_path / 'mlpivot.db'}"


@pytest.fixture
def postgres_url() -> Iterator[str]:
    """A fresh, empty PostgreSQL database for one test, dropped afterwards."""
    server = os.environ.get("MLPIVOT_TEST_POSTGRES_URL")
    if not server:
        missing_service("no PostgreSQL server: set MLPIVOT_TEST_POSTGRES_URL (make test does)")
        raise AssertionError("unreachable")
    name = "t_" + str(uuid_utils.uuid4()).replace("-", "")
    admin = create_engine(server, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    url = server.rsplit("/", 1)[0] + "/" + name
    try:
        yield url
    finally:
        with admin.connect() as conn:
            conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


@pytest.fixture(params=["sqlite", "postgresql"])
def database_url(request: pytest.FixtureRequest) -> str:
    """Run the test on both databases mlpivot supports."""
    name = "sqlite_url" if request.param == "sqlite" else "postgres_url"
    url: str = request.getfixturevalue(name)
    return url


@pytest.fixture
def services(database_url: str, tmp_path: Path) -> Iterator[Services]:
    made = Services(Settings(data_dir=tmp_path, database_url=database_url))
    yield made
    made.close()


@pytest.fixture
def local_services(tmp_path: Path) -> Iterator[Services]:
    """Services on a SQLite file only, for tests about the edges rather than the database."""
    made = Services(Settings(data_dir=tmp_path))
    yield made
    made.close()


@pytest.fixture(scope="session")
def chromium_path() -> str:
    path = os.environ.get("MLPIVOT_TEST_CHROMIUM", "/usr/bin/chromium")
    if not Path(path).exists():
        missing_service(f"no Chromium at {path}: install Debian's chromium (make test does)")
    return path


@pytest.fixture
def cli(tmp_path: Path):  # type: ignore[no-untyped-def]
    def invoke(*args: str, **env: str) -> subprocess.CompletedProcess[str]:
        return run_cli(*args, env_extra=env, data_dir=tmp_path / "data")

    return invoke


_MUTATION_CPU_SECONDS: dict[str, float] = {}
"""Under `make mutate`: test node id -> the CPU seconds it may use before it counts as looping."""


class MutantTooSlowError(Exception):
    """A test ran far longer than it did on the unmutated code: the mutant made it loop."""


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """Under `make mutate`, run a mutant's quickest tests first, its own module's tests before all.

    mutmut runs each mutant's tests with `-x` in no useful order, so a mutant the first test
    would kill can wait minutes behind slow plan and persona tests on a shared machine. The
    order changes no verdict: it only makes a killed mutant fail sooner.
    """
    mutant = os.environ.get("MUTANT_UNDER_TEST", "")
    stats = Path("mutmut-stats.json")
    if "__mutmut_" not in mutant or not stats.exists():
        return
    seconds: dict[str, float] = json.loads(stats.read_text(encoding="utf-8"))["duration_by_test"]
    module = mutant.split(".")[2] if mutant.count(".") >= 3 else ""
    items.sort(
        key=lambda item: (
            f"test_{module}" not in item.nodeid.split("::")[0],
            seconds.get(item.nodeid, 0.0),
        )
    )
    # Ten times the test's time on the unmutated code (measured as wall time, so on a busy
    # machine it is generous) and two seconds more, in CPU time, which load does not stretch.
    _MUTATION_CPU_SECONDS.update(
        {item.nodeid: 10 * seconds.get(item.nodeid, 1.0) + 2 for item in items}
    )


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_call(item: pytest.Item) -> Iterator[None]:
    """Under `make mutate`, fail a test that loops instead of letting it hold the one worker.

    mutmut's own limit is on the CPU time of the whole run, which an endless `while` in the
    first test spends in full; this stops the test itself, and the mutant counts as killed.
    """
    limit = _MUTATION_CPU_SECONDS.get(item.nodeid)
    if limit is None:
        yield
        return

    def stop(signum: int, frame: object) -> None:
        raise MutantTooSlowError(f"{item.nodeid} used over {limit:.0f} s of CPU")

    previous = signal.signal(signal.SIGPROF, stop)
    signal.setitimer(signal.ITIMER_PROF, limit)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_PROF, 0)
        signal.signal(signal.SIGPROF, previous)
