"""Dated positions: the date ranges resumes write, and the months each job covers."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date

from pydantic import BaseModel, ConfigDict


class Position(BaseModel):
    """One job. `end` is None while it is current; `months` counts both end months."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    title: str
    employer: str
    start: date | None
    end: date | None
    months: int
    lines: tuple[str, ...]


@dataclass
class PositionDraft:
    """A position while it is being read: where its lines are in the text, and its months."""

    title: str
    employer: str
    start: date | None
    end: date | None
    month_set: set[int]
    first: int
    last: int
    lines: list[str]
    span: tuple[int, int] = (0, 0)
    head: int = -1
    """the line with the date range; the job's `lines` are the ones after it"""

    @property
    def position(self) -> Position:
        return Position(
            title=self.title,
            employer=self.employer,
            start=self.start,
            end=self.end,
            months=len(self.month_set),
            lines=tuple(self.lines),
        )


_MONTHS = {
    m: i + 1
    for i, m in enumerate(
        ("jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec")
    )
}
_MONTH = r"(?:jan|feb|mar|apr|may|jun|jul|aug|sep|sept|oct|nov|dec)[a-z]*\.?"
_DATE = (
    rf"(?:{_MONTH}\s*'?\d{{4}}|\d{{4}}[-/.](?:0?[1-9]|1[0-2])(?:[-/.]\d{{1,2}})?"
    rf"|(?:0?[1-9]|1[0-2])[/.]\d{{4}}|\d{{4}})"
)
_NOW = r"(?:present|current|now|today|ongoing|date)"
DATE_RANGE = re.compile(
    rf"(?<![\w/.-])\(?({_DATE})\s*(?:-|–|—|to|until|till|→)\s*({_DATE}|{_NOW})\)?(?![\w/-])",
    re.IGNORECASE,
)
"""A date range such as "Jan 2019 - Present"; group 1 is the start, group 2 the end."""


@dataclass(frozen=True)
class ResumeDate:
    """A month as a resume names it; a bare year reads as its January, not an exact month."""

    year: int
    month: int
    exact_month: bool

    @property
    def index(self) -> int:
        return self.year * 12 + self.month - 1

    @property
    def day(self) -> date:
        return date(self.year, self.month, 1)


def parse_date(raw: str) -> ResumeDate | None:
    raw = raw.strip().casefold()
    word = re.match(r"([a-z]+)\.?\s*'?(\d{4})$", raw)
    if word:
        month = _MONTHS.get(word.group(1)[:3])
        return ResumeDate(int(word.group(2)), month, True) if month else None
    numbers = [int(n) for n in re.findall(r"\d+", raw)]
    if not numbers:
        return None
    if len(numbers) == 1:
        return ResumeDate(numbers[0], 1, False)
    year, month = (numbers[0], numbers[1]) if numbers[0] > 31 else (numbers[1], numbers[0])
    return ResumeDate(year, month, True) if 1 <= month <= 12 else None


def parse_range_end(raw: str) -> ResumeDate | None:
    """The end of a date range; None for "Present" and its synonyms (a current job)."""
    return None if re.fullmatch(_NOW, raw, re.IGNORECASE) else parse_date(raw)


def position_span(
    start: ResumeDate, end: ResumeDate | None, today: date
) -> tuple[date | None, set[int]]:
    """The end date (None = current) and the months worked, counting the end month if known."""
    if end is None:
        last = today.year * 12 + today.month - 1
    else:
        last = end.index if end.exact_month else end.index - 1
    months = set(range(start.index, max(start.index, last) + 1))
    return (end.day if end else None), months


def months_to_years(months: set[int]) -> float:
    return round(len(months) / 12, 1)
