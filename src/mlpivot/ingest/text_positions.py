"""Jobs in a text resume: each line with job dates starts one, up to the next such line.

The title and employer are read from the rest of that line and, when it does not name both,
from the short plain lines just above or below it ("Senior Engineer" / "Acme Bank, Berlin
Jan 2019 - Present"), or from a company header that several titles share (promotions).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date

from mlpivot.ingest.plain_text import is_bullet, strip_bullet
from mlpivot.ingest.positions import DateSpan, PositionDraft, find_dates, position_span
from mlpivot.ingest.resume_sections import heading_of

_TITLE_WORDS = re.compile(
    r"\b\w*(engineer|developer|scientist|analyst|manager|lead|leader|architect|intern|"
    r"consultant|researcher|director|designer|head|officer|specialist|administrator|programmer|"
    r"founder|cto|ceo|cfo|vp|president|technician|associate|fellow|assistant|professor|lecturer|"
    r"teacher|sre|devops|owner|statistician|tester|trainee|apprentice|student|translator|"
    r"coordinator|advisor|adviser|partner|principal|instructor|tutor|postdoc|soldier|sergeant|"
    r"lieutenant|captain|operator|writer|editor|accountant|nurse|clerk|representative|"
    r"freelancer|contractor|practitioner|economist|mathematician|physicist|chemist|biologist)"
    r"s?\b",
    re.IGNORECASE,
)
# Lines of an education entry: a degree, a school grade or an honour. They carry years like a
# job line does, and must never be read as one.
_EDUCATION_LINE = re.compile(
    r"\b(b\.?\s?sc|m\.?\s?sc|b\.?\s?eng|m\.?\s?eng|ph\.?\s?d|mba|bachelor|master|doctorate|"
    r"diploma|degree|licence|license|gpa|grade|cum laude|honours|honors|thesis|graduated|"
    r"university|universit[éàä]t?|universidad|université|college|school|academy|"
    r"highers|a-levels|abitur|baccalaur\w*)\b|\b\d{1,3}\s*/\s*\d{1,3}\b",
    re.IGNORECASE,
)
# Time away from work that resumes date like a job; it is not a position.
_BREAK = re.compile(
    r"\b(career break|sabbatical|parental leave|maternity leave|paternity leave|gap year|"
    r"travell?ing|caring for|family leave|career pause)\b",
    re.IGNORECASE,
)
_STRONG_SEPARATORS = re.compile(r"\s+(?:at|@)\s+|\s*[|–—•·\t]\s*|\s+[-/]\s+")
_PARENTHESES = re.compile(r"\s*\([^()]*\)")
_SELF_EMPLOYED = re.compile(r"\b(self[- ]employed|freelanc\w*)\b", re.IGNORECASE)


@dataclass
class _Names:
    title: str
    employer: str
    first: int
    header: bool = False
    """True when the employer came from a company header line shared by the titles below it"""
    own_line: bool = True
    """False when the employer was read from a neighbouring line"""


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
    header = ""
    used: set[int] = set()
    for i, line in enumerate(lines):
        allowed = kinds[i] == "experience" or (
            not has_experience and kinds[i] not in ("education", "heading", "other")
        )
        span = _job_dates(lines, i) if allowed else None
        if span is None:
            if jobs and kinds[i] != "heading" and kinds[i] == kinds[jobs[-1].first]:
                jobs[-1].last = i
            elif jobs and kinds[i] != kinds[jobs[-1].first]:
                jobs[-1].last = min(jobs[-1].last, i - 1)
                header = ""
            continue
        names = _names(lines, kinds, i, span, used)
        if names.header:
            header = names.employer
        elif not names.employer and header:
            names.employer = header
        elif names.employer:
            header = ""
        if (not names.employer or not names.own_line) and _SELF_EMPLOYED.search(
            f"{line} {names.title}"
        ):
            names.employer = "self-employed"
        used.update(range(names.first, i + 1))
        end_day, months = position_span(span.start, span.end, today)
        if jobs and jobs[-1].last >= names.first:
            jobs[-1].last = names.first - 1
        jobs.append(
            PositionDraft(
                names.title,
                names.employer,
                span.start.day,
                end_day,
                months,
                names.first,
                i,
                [],
                head=i,
            )
        )
    for job in jobs:
        body = lines[job.head + 1 : job.last + 1]
        job.lines = [strip_bullet(b).strip() for b in body if b.strip()]
        job.span = (offsets[job.first], offsets[job.last + 1])
    return jobs


def _job_dates(lines: list[str], i: int) -> DateSpan | None:
    """The dates on line `i` if it is a job line: not a bullet, not an education line.

    A single date ("Summer 2025", "2007") counts only on a short line that also names a title,
    or that stands under a title line; a range or "Since 2021" counts on any such line.
    """
    line = lines[i]
    if not line or is_bullet(line) or len(line.split()) > 20:
        return None
    span = find_dates(line)
    if span is None:
        return None
    rest = (line[: span.begin] + " " + line[span.finish :]).strip()
    if _EDUCATION_LINE.search(rest) and not _TITLE_WORDS.search(rest):
        return None
    if _BREAK.search(rest) and not _TITLE_WORDS.search(_BREAK.sub("", rest)):
        return None
    if span.single:
        prev = lines[i - 1] if i else ""
        titled = _TITLE_WORDS.search(rest) or (_is_plain(prev) and _TITLE_WORDS.search(prev))
        if not titled or len(rest.split()) > 12:
            return None
    return span


def _is_plain(line: str) -> bool:
    """A short line that is not a bullet, a heading or a job line: a title or an employer."""
    return (
        sum(c.isalpha() for c in line) >= 2
        and len(_PARENTHESES.sub("", line).split()) <= 10
        and not is_bullet(line)
        and find_dates(line, single=False) is None
        and heading_of(line) is None
        and not line.rstrip().endswith(".")
        and not line.lstrip()[:1].islower()  # the wrapped end of the bullet above
    )


def _looks_like_employer(line: str) -> bool:
    """A name and at most a place or two ("Acme GmbH, Berlin"), not a list of tools."""
    pieces = re.split(r",\s+", _clean(line))
    return len(pieces) <= 3 and len(line.split()) <= 8 and not _TITLE_WORDS.search(line)


def _clean(text: str) -> str:
    """Markup, parenthetical remarks and stray punctuation off a piece of a job line."""
    text = re.sub(r"^#+\s*|[*_`]", "", text)
    text = _PARENTHESES.sub("", text)
    return text.strip(" ()[]|,;:-–—/")


def _parts(text: str) -> list[str]:
    """Pieces between strong separators (" | ", " — ", " at ", " / "); else between commas."""
    cleaned = _clean(text)
    parts = [p.strip(" ,;:") for p in _STRONG_SEPARATORS.split(cleaned) if p.strip(" ,;:")]
    if len(parts) == 1:
        parts = [p.strip() for p in re.split(r",\s+", parts[0]) if p.strip()]
    return parts


def _first(text: str) -> str:
    parts = _parts(text)
    return parts[0] if parts else ""


def _title_part(parts: list[str]) -> str | None:
    """The piece that is a job title: one whose last word names a role, else any that names one."""
    ending = [p for p in parts if _TITLE_WORDS.search(p.split()[-1])]
    if ending:
        return ending[0]
    return next((p for p in parts if _TITLE_WORDS.search(p)), None)


def _employer(part: str) -> str:
    """An employer without the place after it ("Sonoric Audio GmbH, Erlangen")."""
    return part.split(", ")[0].strip()


def _names(lines: list[str], kinds: list[str], i: int, span: DateSpan, used: set[int]) -> _Names:
    """Title, employer and the first line of the job whose dates are on line `i`."""
    line = lines[i]
    rest = line[: span.begin] + " | " + line[span.finish :]
    parts = _parts(rest)
    prev_ok = i > 0 and kinds[i - 1] == kinds[i] and (i - 1) not in used
    prev = lines[i - 1] if prev_ok and _is_plain(lines[i - 1]) and _parts(lines[i - 1]) else ""
    nxt_ok = i + 1 < len(lines) and kinds[i + 1] == kinds[i]
    nxt = lines[i + 1] if nxt_ok and _is_plain(lines[i + 1]) and _parts(lines[i + 1]) else ""
    strong = [p for p in (_clean(x) for x in _STRONG_SEPARATORS.split(_clean(rest))) if p]
    whole = _clean(line[: span.begin] + line[span.finish :])
    if len(strong) == 1 and len(parts) == 1 and _TITLE_WORDS.search(strong[0]):
        if nxt and not _TITLE_WORDS.search(nxt) and not (prev and not _TITLE_WORDS.search(prev)):
            # "Working Student, Firmware | 04/10 - 08/11" over "Brenner AG, Fuerth"
            return _Names(whole, _employer(_first(nxt)), i, own_line=False)
        if prev and not _TITLE_WORDS.search(prev):
            # a company header over one or more titles (promotions)
            return _Names(whole, _employer(_first(prev)), i - 1, header=True, own_line=False)
    if (
        len(strong) == 1
        and len(parts) == 2
        and _TITLE_WORDS.search(parts[0])
        and not _TITLE_WORDS.search(parts[1])
        and nxt
        and _looks_like_employer(nxt)
    ):
        # "Working Student, Firmware | 04/10 - 08/11" over "Brenner AG, Fuerth": the comma is
        # inside the title when the line below names the employer (a name and a place).
        return _Names(whole, _employer(_first(nxt)), i, own_line=False)
    title = _title_part(parts)
    if title is None:
        # The dates sit on the employer's line or alone; the title is the line above.
        prev_parts = _parts(prev) if prev else []
        prev_title = _title_part(prev_parts)
        if prev_title is None:
            # No piece names a role we know ("Analyste, Société Générale"): title comes first.
            if len(parts) >= 2:
                return _Names(parts[0], _employer(parts[1]), i)
            return _Names(parts[0] if parts else "", "", i)
        others = [p for p in prev_parts if p != prev_title]
        employer = _employer(others[0]) if others else (_employer(parts[0]) if parts else "")
        return _Names(prev_title, employer, i - 1)
    others = [p for p in parts if p != title]
    if others:
        return _Names(title, _employer(others[0]), i)
    return _Names(title, "", i)
