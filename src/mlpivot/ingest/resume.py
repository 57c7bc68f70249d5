"""A resume as a value: sections, dated positions, education, skill mentions, years, domains.

Resumes have no fixed layout, so the text reader works from the few things nearly all of them
share: headings people recognise ("Experience", "Education", "Skills"), and one line per job that
carries a date range ("Senior Engineer, Acme Bank  Jan 2019 - Present"). Everything below such a
line, up to the next one, belongs to that job; a skill named there was used for the job's
duration. JSON Resume files (jsonresume.org) carry the same facts as fields and skip the guessing.
`resume_evidence` turns the result into profile evidence with documented levels.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from datetime import date
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING, Any

import yaml
from pydantic import BaseModel, ConfigDict

from mlpivot.catalog.models import EvidenceKind
from mlpivot.engine.profile import SkillEvidence
from mlpivot.errors import IngestError
from mlpivot.ingest.documents import DEFAULT_MAX_BYTES, DEFAULT_TIMEOUT_SECONDS, read_document
from mlpivot.ingest.extract import extract_skills

if TYPE_CHECKING:
    from mlpivot.catalog import Catalog

HERE = Path(__file__).resolve().parent
DOMAINS_FILE = HERE / "domains.yaml"
SCHEMA_FILE = HERE / "json_resume.schema.json"

YEARS_FOR_STRONG = 3.0
"""A skill used in positions adding up to this many years counts as strong (level 3)."""


class Position(BaseModel):
    """One job. `end` is None while it is current; `months` counts both end months."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    title: str
    employer: str
    start: date | None
    end: date | None
    months: int
    lines: tuple[str, ...]


class Education(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")

    institution: str = ""
    degree: str = ""
    start: date | None = None
    end: date | None = None


class ResumeMention(BaseModel):
    """A skill named in the resume, with the line that shows it (the evidence a person sees)."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    skill_id: str | None
    text: str
    start: int
    end: int
    line_number: int
    line: str
    position: int | None
    """index into `Resume.positions` when the line belongs to a job"""


class Resume(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")

    source: str
    text: str
    sections: dict[str, str]
    positions: tuple[Position, ...]
    education: tuple[Education, ...]
    mentions: tuple[ResumeMention, ...]
    skill_years: dict[str, float]
    experience_years: float
    domains: tuple[str, ...]
    domain_evidence: dict[str, str]
    warnings: tuple[str, ...]


# ---------------------------------------------------------------------------------------------
# Entry point


def parse_resume(
    source: str | Path | bytes,
    name: str | None = None,
    *,
    catalog: Catalog | None = None,
    today: date | None = None,
    max_bytes: int = DEFAULT_MAX_BYTES,
    timeout_seconds: float = DEFAULT_TIMEOUT_SECONDS,
) -> Resume:
    """Read a resume file (a path, or bytes with their file name); `today` ends current jobs."""
    today = today or date.today()
    document = read_document(source, name, max_bytes=max_bytes, timeout_seconds=timeout_seconds)
    if document.kind == "json":
        text, sections, jobs, education = _from_json_resume(document.name, document.text, today)
    else:
        text = _tidy(document.text)
        sections, jobs = _sections_and_positions(text, today)
        education = _education(sections)
    if catalog is None:
        from mlpivot.catalog import load_catalog

        catalog = load_catalog()
    mentions = _mentions(text, jobs, catalog)
    positions = tuple(job.position for job in jobs)
    domains = _domains(text, jobs, sections)
    warnings = list(document.warnings)
    if not positions:
        warnings.append(
            f"{document.name}: no dated positions found (a job line needs a date range such as "
            "'Jan 2020 - Present'), so years per skill are unknown"
        )
    return Resume(
        source=document.name,
        text=text,
        sections=sections,
        positions=positions,
        education=tuple(education),
        mentions=tuple(mentions),
        skill_years=_skill_years(mentions, jobs),
        experience_years=_years(set().union(*(j.month_set for j in jobs))),
        domains=tuple(sorted(domains)),
        domain_evidence=domains,
        warnings=tuple(warnings),
    )


def resume_evidence(
    resume: Resume, catalog: Catalog, observed_on: date | None = None
) -> dict[str, SkillEvidence]:
    """Evidence per catalog skill: the level the resume supports and the line that shows it.

    Level 1 (familiar): the skill is named somewhere (a skills list, a course).
    Level 2 (working): it is named in the lines of a job.
    Level 3 (strong): the jobs that name it add up to `YEARS_FOR_STRONG` years or more
    (overlapping jobs counted once).
    The detail is the resume line; for levels 2 and 3 it is a line from a job.
    """
    evidence: dict[str, SkillEvidence] = {}
    for mention in resume.mentions:
        skill_id = mention.skill_id
        if skill_id is None or skill_id not in catalog.skills:
            continue
        level = 1
        if mention.position is not None:
            level = 3 if resume.skill_years.get(skill_id, 0.0) >= YEARS_FOR_STRONG else 2
        held = evidence.get(skill_id)
        if held is None or level > held.level:
            evidence[skill_id] = SkillEvidence(
                level=level,
                source=EvidenceKind.RESUME,
                detail=mention.line,
                observed_on=observed_on,
            )
    return evidence


def resume_to_data(resume: Resume) -> dict[str, Any]:
    """Plain JSON data for storage; the text is stored beside it, so it is left out here."""
    return resume.model_dump(mode="json", exclude={"text"})


# ---------------------------------------------------------------------------------------------
# Dates

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
_RANGE = re.compile(
    rf"(?<![\w/.-])\(?({_DATE})\s*(?:-|–|—|to|until|till|→)\s*({_DATE}|{_NOW})\)?(?![\w/-])",
    re.IGNORECASE,
)
_YEAR = re.compile(r"(?<!\d)(19[5-9]\d|20\d\d)(?!\d)")


@dataclass(frozen=True)
class _When:
    year: int
    month: int
    exact_month: bool

    @property
    def index(self) -> int:
        return self.year * 12 + self.month - 1

    @property
    def day(self) -> date:
        return date(self.year, self.month, 1)


def _parse_date(raw: str) -> _When | None:
    raw = raw.strip().casefold()
    word = re.match(r"([a-z]+)\.?\s*'?(\d{4})$", raw)
    if word:
        month = _MONTHS.get(word.group(1)[:3])
        return _When(int(word.group(2)), month, True) if month else None
    numbers = [int(n) for n in re.findall(r"\d+", raw)]
    if not numbers:
        return None
    if len(numbers) == 1:
        return _When(numbers[0], 1, False)
    year, month = (numbers[0], numbers[1]) if numbers[0] > 31 else (numbers[1], numbers[0])
    return _When(year, month, True) if 1 <= month <= 12 else None


def _span(start: _When, end: _When | None, today: date) -> tuple[date | None, set[int]]:
    """The end date (None = current) and the months worked, counting the end month if known."""
    if end is None:
        last = today.year * 12 + today.month - 1
    else:
        last = end.index if end.exact_month else end.index - 1
    months = set(range(start.index, max(start.index, last) + 1))
    return (end.day if end else None), months


def _years(months: set[int]) -> float:
    return round(len(months) / 12, 1)


# ---------------------------------------------------------------------------------------------
# Sections and positions from text

_HEADINGS = {
    "experience": (
        "experience",
        "work experience",
        "professional experience",
        "relevant experience",
        "employment",
        "employment history",
        "work history",
        "career history",
        "career",
    ),
    "education": ("education", "academic background", "education and training", "qualifications"),
    "skills": (
        "skills",
        "technical skills",
        "core skills",
        "key skills",
        "competencies",
        "technologies",
        "tech stack",
        "tools",
        "skills and tools",
    ),
    "projects": ("projects", "personal projects", "side projects", "selected projects"),
    "summary": ("summary", "profile", "about", "about me", "objective", "professional summary"),
    "other": (
        "certifications",
        "certificates",
        "courses",
        "publications",
        "awards",
        "languages",
        "interests",
        "volunteering",
        "volunteer experience",
        "references",
        "contact",
    ),
}
_KIND_OF_HEADING = {name: kind for kind, names in _HEADINGS.items() for name in names}
_TITLE_WORDS = re.compile(
    r"\b(engineer|developer|scientist|analyst|manager|lead|architect|intern|consultant|"
    r"researcher|director|designer|head|officer|specialist|administrator|programmer|founder|"
    r"cto|ceo|vp|president|technician|associate|fellow|assistant|professor|lecturer|teacher|"
    r"sre|devops|owner)s?\b",
    re.IGNORECASE,
)
_SEPARATORS = re.compile(r"\s+(?:at|@)\s+|\s*[|–—•·]\s*|\s+-\s+|,\s+")
_BULLET = re.compile(r"^\s*(?:[-*•▪◦‣●]|\d+[.)])\s+")


@dataclass
class _Job:
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


def _tidy(text: str) -> str:
    """One space between words, at most one blank line, and date ranges made whole again where
    a PDF wrapped them ("... Northwind Bank, Jan" / "2020 - Present")."""
    lines = (" ".join(line.replace("\u00a0", " ").split()) for line in text.splitlines())
    out: list[str] = []
    for line in lines:
        if out and out[-1] and line and _wrapped_date(out[-1], line):
            out[-1] = f"{out[-1]} {line}"
        elif line or (out and out[-1]):
            out.append(line)
    return "\n".join(out).strip()


def _wrapped_date(before: str, after: str) -> bool:
    joined = f"{before} {after}"
    return any(m.start() < len(before) < m.end() for m in _RANGE.finditer(joined)) and not any(
        _RANGE.finditer(before)
    )


def _section_kind(heading: str) -> str | None:
    return _KIND_OF_HEADING.get(" ".join(heading.casefold().split()))


def _heading(line: str) -> str | None:
    """The heading a line is, as written, or None; job lines with dates are never headings."""
    if _RANGE.search(line):
        return None
    marks = re.match(r"^(#{1,6})\s+(.*)$", line)
    bare = (marks.group(2) if marks else line).strip().strip("*_:= ").strip()
    key = re.sub(r"[^a-z& ]", "", bare.casefold()).replace("&", "and").strip()
    key = " ".join(key.split())
    if key in _KIND_OF_HEADING:
        return bare
    if marks and len(marks.group(1)) == 2 and bare and not _BULLET.match(bare):
        return bare
    words = bare.split()
    if 1 <= len(words) <= 3 and bare.isupper() and all(w.isalpha() for w in words):
        return bare.title()
    return None


def _sections_and_positions(text: str, today: date) -> tuple[dict[str, str], list[_Job]]:
    lines = text.split("\n")
    offsets = [0]
    for line in lines:
        offsets.append(offsets[-1] + len(line) + 1)
    sections: dict[str, list[str]] = {}
    kinds: list[str] = []
    current, kind = "header", "header"
    for line in lines:
        heading = _heading(line) if line else None
        if heading is not None:
            current = heading
            kind = _section_kind(heading) or "other"
            if kind == "other" and re.match(r"^#{1,2}\s", line):
                kind = "section"
            sections.setdefault(current, [])
            kinds.append("heading")
            continue
        sections.setdefault(current, []).append(line)
        kinds.append(kind)
    has_experience = "experience" in kinds
    jobs: list[_Job] = []
    for i, line in enumerate(lines):
        allowed = kinds[i] == "experience" or (
            not has_experience and kinds[i] not in ("education", "heading")
        )
        match = _RANGE.search(line) if allowed else None
        start = _parse_date(match.group(1)) if match else None
        if match is None or start is None:
            if jobs and kinds[i] not in ("heading",) and kinds[i] == kinds[jobs[-1].first]:
                jobs[-1].last = i
            elif jobs and kinds[i] != kinds[jobs[-1].first]:
                jobs[-1].last = min(jobs[-1].last, i - 1)
            continue
        raw_end = match.group(2)
        end = None if re.fullmatch(_NOW, raw_end, re.IGNORECASE) else _parse_date(raw_end)
        end_day, months = _span(start, end, today)
        title, employer, first = _names(lines, kinds, i, match, jobs)
        if jobs and jobs[-1].last >= first:
            jobs[-1].last = first - 1
        jobs.append(_Job(title, employer, start.day, end_day, months, first, i, [], head=i))
    for job in jobs:
        body = lines[job.head + 1 : job.last + 1]
        job.lines = [_BULLET.sub("", b).strip() for b in body if b.strip()]
        job.span = (offsets[job.first], offsets[job.last + 1])
    return {k: "\n".join(v).strip() for k, v in sections.items() if "\n".join(v).strip()}, jobs


def _parts(text: str) -> list[str]:
    cleaned = re.sub(r"^#+\s*|[*_`]", "", text).strip(" ()[]|,-–—:")
    return [p.strip(" ()[]") for p in _SEPARATORS.split(cleaned) if p.strip(" ()[]")]


def _is_plain(line: str) -> bool:
    """A short line that is not a bullet, a heading or a job line: a title or an employer."""
    return (
        bool(line)
        and len(line.split()) <= 8
        and not _BULLET.match(line)
        and not _RANGE.search(line)
        and _heading(line) is None
    )


def _names(
    lines: list[str], kinds: list[str], i: int, match: re.Match[str], jobs: list[_Job]
) -> tuple[str, str, int]:
    """Title, employer and the first line of the job whose date range is on line `i`."""
    line = lines[i]
    parts = _parts(line[: match.start()] + " | " + line[match.end() :])
    prev = lines[i - 1] if i and kinds[i - 1] == kinds[i] else ""
    prev_free = _is_plain(prev) and not (jobs and jobs[-1].first == i - 1)
    first = i
    if not parts and prev_free:
        parts, first = _parts(prev), i - 1
    titled = [p for p in parts if _TITLE_WORDS.search(p)]
    if not titled and prev_free and _TITLE_WORDS.search(prev):
        return _parts(prev)[0], parts[0] if parts else "", i - 1
    if titled:
        title = titled[0]
        others = [p for p in parts if p != title]
        employer = others[0] if others else ""
        if not employer and prev_free and not _TITLE_WORDS.search(prev):
            employer, first = _parts(prev)[0], i - 1
        return title, employer, first
    if len(parts) >= 2:
        return parts[0], parts[1], first
    return (parts[0] if parts else ""), "", first


def _education(sections: dict[str, str]) -> list[Education]:
    degree_words = re.compile(
        r"\b(b\.?\s?sc?|m\.?\s?sc?|b\.?a|m\.?a|m\.?eng|b\.?eng|ph\.?\s?d|mba|bachelor'?s?|"
        r"master'?s?|doctorate|diploma|degree|certificate|associate)\b",
        re.IGNORECASE,
    )
    school_words = re.compile(
        r"\b(university|college|institute|school|academy|polytechnic|universit[äéà]t?|"
        r"ecole|école|hochschule)\b",
        re.IGNORECASE,
    )
    found: list[Education] = []
    for heading, body in sections.items():
        if _section_kind(heading) != "education":
            continue
        entry: dict[str, Any] = {}
        for line in body.split("\n"):
            parts = _parts(_RANGE.sub(" | ", line))
            degree = next((p for p in parts if degree_words.search(p)), "")
            school = next((p for p in parts if school_words.search(p)), "")
            if not degree and not school:
                continue
            if (degree and entry.get("degree")) or (school and entry.get("institution")):
                found.append(Education(**entry))
                entry = {}
            entry.update({k: v for k, v in (("degree", degree), ("institution", school)) if v})
            years = [int(y) for y in _YEAR.findall(line)]
            if years:
                entry["end"] = date(max(years), 1, 1)
                if len(years) > 1:
                    entry["start"] = date(min(years), 1, 1)
        if entry:
            found.append(Education(**entry))
    return found


# ---------------------------------------------------------------------------------------------
# JSON Resume


@lru_cache(maxsize=1)
def _json_resume_validator() -> Any:
    import jsonschema

    schema = json.loads(SCHEMA_FILE.read_text(encoding="utf-8"))
    return jsonschema.Draft7Validator(schema)


def _field_path(error: Any) -> str:
    out = ""
    for part in error.absolute_path:
        out += f"[{part}]" if isinstance(part, int) else (f".{part}" if out else str(part))
    return out or "(top level)"


def _from_json_resume(
    label: str, raw: str, today: date
) -> tuple[str, dict[str, str], list[_Job], list[Education]]:
    """The same value as from text: a text rendering (for evidence lines) and exact fields."""
    try:
        data = json.loads(raw)
    except json.JSONDecodeError as exc:
        raise IngestError(f"{label}: not valid JSON (line {exc.lineno}: {exc.msg})") from None
    import jsonschema

    validator = _json_resume_validator()
    errors = sorted(validator.iter_errors(data), key=lambda e: list(e.absolute_path))
    if errors:
        error = jsonschema.exceptions.best_match(errors)
        where = _field_path(error)
        if not isinstance(data, dict) or (error.validator == "anyOf" and not error.absolute_path):
            raise IngestError(
                f"{label}: this JSON is not a JSON Resume (it needs at least one of basics, "
                "work, education or skills; see https://jsonresume.org/schema/)"
            )
        hint = " (expected a date like 2021, 2021-03 or 2021-03-15)" if "Date" in where else ""
        raise IngestError(
            f"{label}: JSON Resume field {where}: {error.message}{hint}; "
            f"{len(errors)} problem(s) in all"
        )
    out: list[str] = []
    sections: dict[str, list[str]] = {}
    jobs: list[_Job] = []

    def add(section: str, line: str) -> int:
        out.append(line)
        sections.setdefault(section, []).append(line)
        return len(out) - 1

    basics = data.get("basics", {})
    for key in ("name", "label", "summary"):
        if basics.get(key):
            add("header", " ".join(str(basics[key]).split()))
    for work in data.get("work", []):
        start = _parse_date(work["startDate"]) if work.get("startDate") else None
        end = _parse_date(work["endDate"]) if work.get("endDate") else None
        title, employer = work.get("position", ""), work.get("name", "")
        dates = f" ({work.get('startDate', '?')} - {work.get('endDate', 'present')})"
        first = add("Work", f"{title}, {employer}{dates}")
        body = [work.get("summary", ""), *work.get("highlights", [])]
        last = first
        for text in body:
            if text.strip():
                last = add("Work", "- " + " ".join(text.split()))
        end_day, months = _span(start, end, today) if start else (None, set())
        if start is None and end is not None:
            end_day = end.day
        jobs.append(
            _Job(title, employer, start.day if start else None, end_day, months, first, last, [])
        )
    education = []
    for school in data.get("education", []):
        degree = " ".join(p for p in (school.get("studyType"), school.get("area")) if p)
        start = _parse_date(school["startDate"]) if school.get("startDate") else None
        end = _parse_date(school["endDate"]) if school.get("endDate") else None
        add("Education", ", ".join(p for p in (degree, school.get("institution", "")) if p))
        education.append(
            Education(
                institution=school.get("institution", ""),
                degree=degree,
                start=start.day if start else None,
                end=end.day if end else None,
            )
        )
    for skill in data.get("skills", []):
        words = ", ".join(skill.get("keywords", []))
        add("Skills", f"{skill.get('name', '')}: {words}" if words else skill.get("name", ""))
    offsets = [0]
    for line in out:
        offsets.append(offsets[-1] + len(line) + 1)
    for job in jobs:
        job.lines = [_BULLET.sub("", b) for b in out[job.first + 1 : job.last + 1]]
        job.span = (offsets[job.first], offsets[job.last + 1])
    text_sections = {k: "\n".join(v) for k, v in sections.items()}
    return "\n".join(out), text_sections, jobs, education


# ---------------------------------------------------------------------------------------------
# Skills, years, domains


def _mentions(text: str, jobs: list[_Job], catalog: Catalog) -> list[ResumeMention]:
    starts = [0]
    for i, ch in enumerate(text):
        if ch == "\n":
            starts.append(i + 1)
    found: list[ResumeMention] = []
    import bisect

    for m in extract_skills(text, catalog):
        if m.skill_id is None:
            continue
        number = bisect.bisect_right(starts, m.start)
        line_start = starts[number - 1]
        line_end = text.find("\n", m.start)
        line = text[line_start : line_end if line_end >= 0 else len(text)]
        job = next((k for k, j in enumerate(jobs) if j.span[0] <= m.start < j.span[1]), None)
        found.append(
            ResumeMention(
                skill_id=m.skill_id,
                text=m.text,
                start=m.start,
                end=m.end,
                line_number=number,
                line=_BULLET.sub("", line).strip(),
                position=job,
            )
        )
    return found


def _skill_years(mentions: list[ResumeMention], jobs: list[_Job]) -> dict[str, float]:
    """Years per skill over the jobs naming it; a month in two overlapping jobs counts once."""
    months: dict[str, set[int]] = {}
    for m in mentions:
        if m.skill_id is not None and m.position is not None:
            months.setdefault(m.skill_id, set()).update(jobs[m.position].month_set)
    return {k: _years(v) for k, v in sorted(months.items()) if v}


@lru_cache(maxsize=1)
def _domain_patterns() -> tuple[tuple[str, re.Pattern[str]], ...]:
    raw = yaml.safe_load(DOMAINS_FILE.read_text(encoding="utf-8"))
    found: list[tuple[str, re.Pattern[str]]] = []
    for domain, entry in raw.items():
        for words, flags in (
            (entry.get("keywords", []), re.IGNORECASE),
            (entry.get("employers", []), 0),
        ):
            if words:
                alternatives = "|".join(
                    re.escape(str(w)) for w in sorted(words, key=len, reverse=True)
                )
                found.append((domain, re.compile(rf"(?<![\w-])(?:{alternatives})(?![\w-])", flags)))
    return tuple(found)


def _domains(text: str, jobs: list[_Job], sections: dict[str, str]) -> dict[str, str]:
    """Domain -> the line that shows it, read from the jobs (or, with none, the whole resume
    except education, where a university is not a domain worked in)."""
    if jobs:
        lines = [line for j in jobs for line in (f"{j.title}, {j.employer}", *j.lines)]
    else:
        education = {h for h in sections if _section_kind(h) == "education"}
        lines = [
            line for h, body in sections.items() if h not in education for line in body.split("\n")
        ]
    found: dict[str, str] = {}
    for domain, pattern in _domain_patterns():
        if domain in found:
            continue
        line = next((line for line in lines if pattern.search(line)), None)
        if line is not None:
            found[domain] = line
    return dict(sorted(found.items()))
