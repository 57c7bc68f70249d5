"""The time limit on reading one file, and what happens when a parser overruns it."""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import TypeVar

from mlpivot.errors import IngestError

T = TypeVar("T")


@dataclass(frozen=True)
class Deadline:
    """When parsing must stop; readers call `check` between pages and paragraphs."""

    at: float
    label: str
    seconds: float

    def error(self) -> IngestError:
        return IngestError(
            f"{self.label}: reading the file took longer than the {self.seconds:g} s limit; "
            "the file may be damaged, or far longer than a resume or a job posting"
        )

    def check(self) -> None:
        if time.monotonic() > self.at:
            raise self.error()


def run_with_watchdog(parse: Callable[[], T], deadline: Deadline) -> T:
    """Run `parse` in a daemon thread and stop waiting for it at the deadline.

    This covers a parser stuck inside one page, where `Deadline.check` is never reached; the
    thread is left to finish on its own, since Python cannot stop it.
    """
    results: list[T] = []
    errors: list[BaseException] = []

    def run() -> None:
        try:
            results.append(parse())
        except BaseException as exc:  # handed over to the caller's thread below
            errors.append(exc)

    worker = threading.Thread(target=run, name="mlpivot-parse", daemon=True)
    worker.start()
    worker.join(max(0.0, deadline.at - time.monotonic()) + 1.0)
    if worker.is_alive():
        raise deadline.error()
    if errors:
        raise errors[0]
    return results[0]
