"""Web benchmark: `mlpivot serve` to its first page, then p50/p95 per main page beside /health.

    uv run python bench/web.py [--starts 5] [--rounds 30]

Everything runs on 127.0.0.1 with a fresh data folder (an example profile assessed and a plan
stored through the CLI) and its own cache folder, and every wait is bounded. Start-up is timed
from launching the process to the first 200 from `/`, `--starts` times (median quoted). Then
one server answers `--rounds` rounds of every page after one uncounted warm-up round; each
page's p50 is also given as a ratio to `/health`'s (a trivial endpoint measured in the same
rounds), which holds when the machine's speed drifts.
"""

from __future__ import annotations

import argparse
import os
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path

import httpx

ROOT = Path(__file__).resolve().parent.parent
PROFILE = ROOT / "examples" / "profiles" / "backend-python.yaml"
PAGES = ("/", "/roles", "/roles/ml-engineer", "/profile", "/fit", "/gap/ml-engineer", "/plan")
START_LIMIT_S = 120.0


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def mlpivot_command() -> list[str]:
    script = Path(sys.executable).parent / "mlpivot"
    return [str(script)] if script.exists() else [sys.executable, "-m", "mlpivot"]


def environment(work: Path) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k not in {"DATABASE_URL", "MLPIVOT_AUTH"}}
    env.update(
        MLPIVOT_DATA_DIR=str(work / "data"),
        MLPIVOT_CONFIG_FILE=str(work / "no-config.toml"),
        MLPIVOT_CACHE_DIR=str(work / "cache"),
    )
    env.pop("MLPIVOT_KNOWLEDGE_DIR", None)
    return env


@contextmanager
def serving(env: dict[str, str]) -> Iterator[tuple[str, float]]:
    """A server on a free loopback port; yields its URL and seconds until `/` answered 200."""
    port = free_port()
    url = f"http://127.0.0.1:{port}"
    started = time.perf_counter()
    proc = subprocess.Popen(
        [*mlpivot_command(), "serve", "--host", "127.0.0.1", "--port", str(port)],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )
    try:
        while True:
            if proc.poll() is not None:
                err = proc.stderr.read().decode(errors="replace") if proc.stderr else ""
                raise SystemExit(f"serve exited early: {err[-600:]}")
            if time.perf_counter() - started > START_LIMIT_S:
                raise SystemExit(f"serve did not answer within {START_LIMIT_S:.0f} s")
            try:
                if httpx.get(url + "/", timeout=5).status_code == 200:
                    break
            except httpx.HTTPError:
                time.sleep(0.02)
        yield url, time.perf_counter() - started
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=20)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait(timeout=20)


def percentile(values: Sequence[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(share * (len(ordered) - 1)))]


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--starts", type=int, default=5, help="server starts timed (≥ 5)")
    parser.add_argument("--rounds", type=int, default=30, help="requests per page (≥ 10)")
    args = parser.parse_args(argv)
    if args.starts < 5 or args.rounds < 10:
        parser.error("use at least 5 starts and 10 rounds: fewer give no stable median")
    with tempfile.TemporaryDirectory(prefix="mlpivot-bench-web-") as tmp:
        env = environment(Path(tmp))
        for setup in (
            ("assess", "--profile", str(PROFILE)),
            ("plan", "--role", "ml-engineer", "--save"),
        ):
            subprocess.run([*mlpivot_command(), *setup], env=env, check=True, capture_output=True)
        starts = []
        for _ in range(args.starts):
            with serving(env) as (_, seconds):
                starts.append(seconds)
        times: dict[str, list[float]] = {page: [] for page in ("/health", *PAGES)}
        with serving(env) as (url, _), httpx.Client(base_url=url, timeout=60) as client:
            for counted in [False] + [True] * args.rounds:
                for page in times:
                    began = time.perf_counter()
                    response = client.get(page)
                    elapsed = time.perf_counter() - began
                    if response.status_code != 200:
                        raise SystemExit(f"{page} answered {response.status_code}")
                    if counted:
                        times[page].append(elapsed)
    print(
        f"serve → first page: median {statistics.median(starts):.2f} s "
        f"(min {min(starts):.2f}, max {max(starts):.2f}; {len(starts)} starts; target ≤ 2 s)"
    )
    health = statistics.median(times["/health"])
    print(f"\n{'page':<22} {'p50 ms':>8} {'p95 ms':>8} {'p50 × /health':>14}")
    for page, values in times.items():
        p50 = statistics.median(values)
        print(
            f"{page:<22} {p50 * 1000:8.1f} {percentile(values, 0.95) * 1000:8.1f} "
            f"{p50 / health:13.1f}×"
        )
    print(f"\n{args.rounds} rounds of every page after one warm-up round, one keep-alive client.")
    return 0


if __name__ == "__main__":
    sys.exit(main())
