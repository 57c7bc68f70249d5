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


# Month names as whole words (a full name or an abbreviation, never a prefix of another word:
# "Junior 2019" is not June 2019). English first, then the languages resumes most often mix in.
_MONTH_NAMES: dict[int, tuple[str, ...]] = {
    1: ("january", "jan", "janvier", "janv", "enero", "ene", "januar", "jän", "gennaio", "janeiro"),
    2: (
        "february",
        "feb",
        "févr",
        "fevr",
        "février",
        "fevrier",
        "febrero",
        "februar",
        "febbraio",
        "fevereiro",
    ),
    3: ("march", "mar", "mars", "marzo", "märz", "maerz", "março", "marco"),
    4: ("april", "apr", "avril", "avr", "abril", "abr", "aprile"),
    5: ("may", "mai", "mayo", "maggio", "maio"),
    6: ("june", "jun", "juin", "junio", "juni", "giugno", "junho"),
    7: ("july", "jul", "juillet", "juil", "julio", "juli", "luglio", "julho"),
    8: ("august", "aug", "août", "aout", "agosto", "ago"),
    9: ("september", "sep", "sept", "septembre", "septiembre", "set", "settembre", "setembro"),
    10: ("october", "oct", "octobre", "octubre", "oktober", "okt", "ottobre", "outubro", "out"),
    11: ("november", "nov", "novembre", "noviembre", "novembro"),
    12: (
        "december",
        "dec",
        "décembre",
        "decembre",
        "déc",
        "diciembre",
        "dic",
        "dezember",
        "dez",
        "dicembre",
        "dezembro",
    ),
}
_MONTH_OF = {name: month for month, names in _MONTH_NAMES.items() for name in names}
_MONTH = (
    r"(?:"
    + "|".join(re.escape(n) for n in sorted(_MONTH_OF, key=len, reverse=True))
    + r")(?![^\W\d_])\.?"
)
_SEASONS = {
    "spring": (3, 5),
    "summer": (6, 8),
    "autumn": (9, 11),
    "fall": (9, 11),
    "winter": (1, 2),
}
_YEAR = r"(?:19[5-9]\d|20\d\d)"
_DATE = (
    rf"(?:(?:{_MONTH})\s+[0-3]?\d(?:st|nd|rd|th)?,?\s+{_YEAR}"
    rf"|[0-3]?\d(?:st|nd|rd|th)?\.?\s+(?:{_MONTH})[\s,]*{_YEAR}"
    rf"|(?:{_MONTH})[\s,]*'?{_YEAR}"
    rf"|(?:{_MONTH})\s*['’]\d\d(?!\d)"
    rf"|(?:spring|summer|autumn|fall|winter)\s+{_YEAR}"
    rf"|q[1-4]\s*[/-]?\s*{_YEAR}|{_YEAR}\s*[/-]?\s*q[1-4]"
    rf"|{_YEAR}[-/.](?:0?[1-9]|1[0-2])(?:[-/.](?:[0-2]?\d|3[01]))?(?!\d)"
    rf"|(?:[0-2]?\d|3[01])[/.](?:[0-2]?\d|3[01])[/.]{_YEAR}"
    rf"|(?:0?[1-9]|1[0-2])[/.-]{_YEAR}"
    rf"|(?:0?[1-9]|1[0-2])/\d\d(?!\d)"
    rf"|{_YEAR})"
)
_NOW = (
    r"(?:present|présent|presente|pres\.?|current(?:ly)?|now|today|ongoing|to\s+date|till\s+now"
    r"|date|actual|actualidad|heute|aujourd'hui|jetzt|onwards|hoy|oggi)"
)
_CENTURY_PIVOT = 60
"""A two-digit year below this is in the 2000s, else in the 1900s."""
_SHORT_END = r"\d\d(?!\d)(?!\.?\s*[^\W\d_])"
_DASH = r"\s*(?:-|–|—|―|−|~|to|until|till|→|bis|au|à|a|al)\s*"
_MONTH_BEFORE_DATE = rf"(?:{_MONTH})(?={_DASH}(?:{_MONTH})[\s,]*(?:'?{_YEAR}|['’]\d\d(?!\d)))"
"""A month without a year, before an end that has one: "June" in "June – August 2023"."""
DATE_RANGE = re.compile(
    rf"(?<![\w/.-])\(?({_DATE}|{_MONTH_BEFORE_DATE})"
    rf"(?:{_DASH}({_DATE}|{_NOW}|{_SHORT_END})|\s*(?:-|–|—)\s*$)\)?"
    rf"(?![\w/-])",
    re.IGNORECASE,
)
"""A date range such as "Jan 2019 - Present"; group 1 is the start, group 2 the end (None when
the range is left open at the end of the line: "2021 –")."""
_OPEN_RANGE = re.compile(
    rf"(?<![\w/.-])\(?(?:since|from|seit|depuis|desde)\s+({_DATE})\)?(?![\w/-])", re.IGNORECASE
)
_ONWARDS = re.compile(
    rf"(?<![\w/.-])\(?({_DATE})\s*(?:-|–|—)?\s*(?:onwards|and ongoing)\)?(?![\w/-])",
    re.IGNORECASE,
)
_SINGLE_DATE = re.compile(rf"(?<![\w/.-])\(?({_DATE})\)?(?![\w/-])", re.IGNORECASE)


@dataclass(frozen=True)
class ResumeDate:
    """A stretch of months a resume names: "Mar 2019" is one month, "2019" its twelve months,
    "Q3 2019" three, "Summer 2019" June to August. A start uses the first month, an end the last.
    """

    year: int
    month: int
    exact_month: bool
    last_month: int = 0
    """the last month the written date covers (0 = same as `month`)"""

    @property
    def index(self) -> int:
        return self.year * 12 + self.month - 1

    @property
    def last_index(self) -> int:
        return self.year * 12 + (self.last_month or self.month) - 1

    @property
    def day(self) -> date:
        return date(self.year, self.month, 1)

    @property
    def last_day(self) -> date:
        return date(self.year, self.last_month or self.month, 1)


@dataclass(frozen=True)
class DateSpan:
    """Where a line gives a job's dates, and what they are; `end` None means still going on."""

    start: ResumeDate
    end: ResumeDate | None
    begin: int
    finish: int
    single: bool = False
    """True when the line names one date ("Summer 2025", "2007"): the job covers just it"""


def parse_date(raw: str) -> ResumeDate | None:
    """One written date; None when it is not one (a two-digit year needs a month: "06/15")."""
    raw = raw.strip().strip("()").casefold().replace("’", "'").replace(",", " ")
    raw = " ".join(raw.replace("'", " ").split())
    quarter = re.fullmatch(r"q([1-4])\s*[/-]?\s*(\d{4})|(\d{4})\s*[/-]?\s*q([1-4])", raw)
    if quarter:
        q = int(quarter.group(1) or quarter.group(4))
        year = int(quarter.group(2) or quarter.group(3))
        return ResumeDate(year, 3 * q - 2, True, 3 * q)
    day_first = re.fullmatch(r"[0-3]?\d(?:st|nd|rd|th)?\.?\s+([^\W\d_]+)\.?\s+(\d{4})", raw)
    if day_first and day_first.group(1) in _MONTH_OF:  # "1 June 2019", "3. März 2020"
        return ResumeDate(int(day_first.group(2)), _MONTH_OF[day_first.group(1)], True)
    dated = re.fullmatch(r"([^\W\d_]+)\.?\s+[0-3]?\d(?:st|nd|rd|th)?\s+(\d{4})", raw)
    if dated and dated.group(1) in _MONTH_OF:  # "June 1, 2019"
        return ResumeDate(int(dated.group(2)), _MONTH_OF[dated.group(1)], True)
    word = re.fullmatch(r"([^\W\d_]+)\.?\s*(\d{4}|\d\d)", raw)
    if word:
        name, year = word.group(1), int(word.group(2))
        if len(word.group(2)) == 2:  # "Mar '19"
            year += 2000 if year < _CENTURY_PIVOT else 1900
        if name in _SEASONS:
            first, last = _SEASONS[name]
            return ResumeDate(year, first, True, last)
        month = _MONTH_OF.get(name)
        return ResumeDate(year, month, True) if month else None
    numbers = re.findall(r"\d+", raw)
    if not numbers or len(numbers) > 3:
        return None
    if len(numbers) == 1:
        year = int(numbers[0])
        return ResumeDate(year, 1, False, 12) if len(numbers[0]) == 4 else None
    first, second = numbers[0], numbers[1]
    if len(numbers) == 3 and len(numbers[2]) == 4:
        # A full date: "15/09/2015" (day first, as most of the world writes it) or, when the
        # middle number cannot be a month, "09/15/2015".
        month = int(first) if int(second) > 12 else int(second)
        return ResumeDate(int(numbers[2]), month, True) if 1 <= month <= 12 else None
    if len(first) == 4:
        year, month = int(first), int(second)
    elif len(second) == 4:
        year, month = int(second), int(first)
    else:  # MM/YY: "06/15" is June 2015, "09/98" September 1998
        month, year = int(first), int(second)
        year += 2000 if year < _CENTURY_PIVOT else 1900
    return ResumeDate(year, month, True) if 1 <= month <= 12 else None


def parse_range_end(raw: str | None, start: ResumeDate | None = None) -> ResumeDate | None:
    """The end of a date range; None for "Present" and its synonyms (a current job).

    A two-digit end after a year ("2018–19") is a year in the start's century.
    """
    if raw is None or re.fullmatch(_NOW, raw.strip(), re.IGNORECASE):
        return None
    if start is not None and re.fullmatch(r"\d\d", raw.strip()):
        year = start.year // 100 * 100 + int(raw)
        if year < start.year:
            year += 100
        return ResumeDate(year, 1, False, 12)
    return parse_date(raw)


def find_dates(line: str, *, single: bool = True) -> DateSpan | None:
    """The job dates a line gives: a range, an open range ("Since 2021") or, with `single`,
    one date standing alone ("Summer 2025"); None when the line names no dates."""
    for match in DATE_RANGE.finditer(line):
        start = parse_date(match.group(1))
        raw_end = match.group(2)
        if start is None and raw_end is not None:
            # "June – August 2023": the start month is in the end's year, or the year before
            # when it comes later in the year ("Nov – Feb 2020").
            end_date = parse_date(raw_end)
            month = _MONTH_OF.get(match.group(1).casefold().rstrip("."))
            if end_date is not None and month is not None:
                year = end_date.year - (1 if month > end_date.month else 0)
                start = ResumeDate(year, month, True)
        if start is None:
            continue
        if raw_end is not None and not re.fullmatch(_NOW, raw_end.strip(), re.IGNORECASE):
            end = parse_range_end(raw_end, start)
            if end is None or end.last_index < start.index:
                continue
        else:
            end = None
        return DateSpan(start, end, match.start(), match.end())
    opened = _OPEN_RANGE.search(line) or _ONWARDS.search(line)
    if opened:
        start = parse_date(opened.group(1))
        if start is not None:
            return DateSpan(start, None, opened.start(), opened.end())
    if single:
        for match in _SINGLE_DATE.finditer(line):
            start = parse_date(match.group(1))
            if start is not None:
                return DateSpan(start, start, match.start(), match.end(), single=True)
    return None


def position_span(
    start: ResumeDate, end: ResumeDate | None, today: date
) -> tuple[date | None, set[int]]:
    """The end date (None = current) and the months worked, both end months included.

    A year-only end ("2015 - 2018") runs to that year's December, a quarter to its last month.
    """
    last = today.year * 12 + today.month - 1 if end is None else end.last_index
    months = set(range(start.index, max(start.index, last) + 1))
    return (end.last_day if end else None), months


def months_to_years(months: set[int]) -> float:
    return round(len(months) / 12, 1)
