"""Printing for the CLI: Rich for people, plain JSON for scripts, plain sentences for errors."""

from __future__ import annotations

import dataclasses
import json
import sys
from datetime import date, datetime
from enum import Enum
from pathlib import Path
from typing import Any

from rich import box
from rich.console import Console
from rich.table import Table

console = Console(highlight=False)
err_console = Console(stderr=True, highlight=False)


def to_jsonable(value: Any) -> Any:
    """Plain JSON data from our values: pydantic models, dataclasses, mappings, dates."""
    from pydantic import BaseModel

    if isinstance(value, BaseModel):
        return value.model_dump(mode="json")
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return {f.name: to_jsonable(getattr(value, f.name)) for f in dataclasses.fields(value)}
    if isinstance(value, dict) or hasattr(value, "items"):
        return {str(k): to_jsonable(v) for k, v in value.items()}
    if isinstance(value, list | tuple | set | frozenset):
        items = sorted(value) if isinstance(value, set | frozenset) else value
        return [to_jsonable(v) for v in items]
    if isinstance(value, datetime | date):
        return value.isoformat()
    if isinstance(value, Enum):
        return value.value
    if isinstance(value, Path):
        return str(value)
    return value


def print_json(value: Any) -> None:
    sys.stdout.write(json.dumps(to_jsonable(value), indent=2, ensure_ascii=False) + "\n")


def people_table(title: str, columns: list[tuple[str, str]], wrap: str | None = None) -> Table:
    """A table that reads at 80 columns: no side borders, names never cut or wrapped letter by
    letter. `columns` are (header, justify); only the column named `wrap` (long text) wraps,
    at word boundaries, and takes what width is left."""
    table = Table(title=title, box=box.SIMPLE_HEAD, pad_edge=False, expand=False)
    for header, justify in columns:
        if header == wrap:
            table.add_column(header, justify=justify, ratio=1)  # type: ignore[arg-type]
        else:
            table.add_column(header, justify=justify, no_wrap=True)  # type: ignore[arg-type]
    return table


def bar(share: float, width: int = 8) -> str:
    """A bar for a 0..1 share, with the round percentage: '█████░░░ 62%'."""
    share = min(1.0, max(0.0, share))
    filled = round(share * width)
    return "█" * filled + "░" * (width - filled) + f" {share:.0%}"


def round_money(amount: float, symbol: str = "$") -> str:
    """Pay rounded the way people say it: $117,863 -> $118k."""
    sign = "-" if amount < 0 else ""
    return f"{sign}{symbol}{abs(amount) / 1000:,.0f}k"


CONFIDENCE_WORDS = ((0.9, "very likely"), (0.7, "likely"), (0.5, "possibly"), (0.0, "doubtful"))
"""A 0..1 confidence in words, highest first; the exact figure stays in --json."""


def confidence_words(confidence: float) -> str:
    return next(word for floor, word in CONFIDENCE_WORDS if confidence >= floor)
