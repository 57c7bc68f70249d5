"""Jobs in a text resume: each line with a date range starts one, up to the next such line.

The title and employer are read from the rest of that line, or from the short line above it
("Senior Engineer" / "Acme Bank  Jan 2019 - Present").
"""

from __future__ import annotations

import re
from datetime import date

from mlpivot.ingest.positions import (
    DATE_RANGE,
    PositionDraft,
    parse_date,
    parse_range_end,
    position_span,
)
from mlpivot.ingest.resume_sections import BULLET, heading_of, split_parts

_TITLE_WORDS = re.compile(
    r"\b(engineer|developer|scientist|analyst|manager|lead|architect|intern|consultant|"
    r"researcher|director|designer|head|officer|specialist|administrator|programmer|founder|"
    r"cto|ceo|vp|president|technician|associate|fellow|assistant|professor|lecturer|teacher|"
    r"sre|devops|owner)s?\b",
    re.IGNORECASE,
)


def find_positions(lines: list[str], kinds: list[str], today: date) -> list[PositionDraft]:
    """The jobs in `lines`, given each line's section kind (see `read_sections`).

    Only experience sections are searched when the resume has one; otherwise any section but
    education. `today` ends current jobs.
    """
    offsets = [0]
    for line in lines:
        offsets.append(offsets[-1] + len(line) + 1)
    has_experience = "experience" in kinds
    jobs: list[PositionDraft] = []
    for i, line in enumerate(lines):
        allowed = kinds[i] == "experience" or (
            not has_experience and kinds[i] not in ("education", "heading")
        )
        match = DATE_RANGE.search(line) if allowed else None
        start = parse_date(match.group(1)) if match else None
        if match is None or start is None:
            if jobs and kinds[i] not in ("heading",) and kinds[i] == kinds[jobs[-1].first]:
                jobs[-1].last = i
            elif jobs and kinds[i] != kinds[jobs[-1].first]:
                jobs[-1].last = min(jobs[-1].last, i - 1)
            continue
        end_day, months = position_span(start, parse_range_end(match.group(2)), today)
        title, employer, first = _names(lines, kinds, i, match, jobs)
        if jobs and jobs[-1].last >= first:
            jobs[-1].last = first - 1
        jobs.append(
            PositionDraft(title, employer, start.day, end_day, months, first, i, [], head=i)
        )
    for job in jobs:
        body = lines[job.head + 1 : job.last + 1]
        job.lines = [BULLET.sub("", b).strip() for b in body if b.strip()]
        job.span = (offsets[job.first], offsets[job.last + 1])
    return jobs


def _is_plain(line: str) -> bool:
    """A short line that is not a bullet, a heading or a job line: a title or an employer."""
    return (
        bool(line)
        and len(line.split()) <= 8
        and not BULLET.match(line)
        and not DATE_RANGE.search(line)
        and heading_of(line) is None
    )


def _names(
    lines: list[str], kinds: list[str], i: int, match: re.Match[str], jobs: list[PositionDraft]
) -> tuple[str, str, int]:
    """Title, employer and the first line of the job whose date range is on line `i`."""
    line = lines[i]
    parts = split_parts(line[: match.start()] + " | " + line[match.end() :])
    prev = lines[i - 1] if i and kinds[i - 1] == kinds[i] else ""
    prev_free = _is_plain(prev) and not (jobs and jobs[-1].first == i - 1)
    first = i
    if not parts and prev_free:
        parts, first = split_parts(prev), i - 1
    titled = [p for p in parts if _TITLE_WORDS.search(p)]
    if not titled and prev_free and _TITLE_WORDS.search(prev):
        return split_parts(prev)[0], parts[0] if parts else "", i - 1
    if titled:
        title = titled[0]
        others = [p for p in parts if p != title]
        employer = others[0] if others else ""
        if not employer and prev_free and not _TITLE_WORDS.search(prev):
            employer, first = split_parts(prev)[0], i - 1
        return title, employer, first
    if len(parts) >= 2:
        return parts[0], parts[1], first
    return (parts[0] if parts else ""), "", first
