"""JSON Resume files (jsonresume.org): checked against the schema, then read field by field.

The result has the same shape as a text resume's, including a text rendering, so that skill
mentions and their evidence lines are found the same way for both.
"""

from __future__ import annotations

import json
from datetime import date
from functools import lru_cache
from pathlib import Path
from typing import Any

from mlpivot.errors import IngestError
from mlpivot.ingest.education import Education
from mlpivot.ingest.plain_text import BULLET
from mlpivot.ingest.positions import PositionDraft, parse_date, position_span

SCHEMA_FILE = Path(__file__).resolve().parent / "json_resume.schema.json"


def read_json_resume(
    label: str, raw: str, today: date
) -> tuple[str, dict[str, str], list[PositionDraft], list[Education]]:
    """The same value as from text: a text rendering (for evidence lines) and exact fields."""
    data = _without_empty_dates(_load_json_resume(label, raw, checked=False))
    _check_json_resume(label, data)
    out: list[str] = []
    sections: dict[str, list[str]] = {}
    jobs: list[PositionDraft] = []

    def add(section: str, line: str) -> int:
        out.append(line)
        sections.setdefault(section, []).append(line)
        return len(out) - 1

    basics = data.get("basics", {})
    for key in ("name", "label", "summary"):
        if basics.get(key):
            add("header", " ".join(str(basics[key]).split()))
    for work in data.get("work", []):
        start = parse_date(work["startDate"]) if work.get("startDate") else None
        end = parse_date(work["endDate"]) if work.get("endDate") else None
        title, employer = work.get("position", ""), work.get("name", "")
        dates = f" ({work.get('startDate', '?')} - {work.get('endDate', 'present')})"
        first = add("Work", f"{title}, {employer}{dates}")
        body = [work.get("summary", ""), *work.get("highlights", [])]
        last = first
        for text in body:
            if text.strip():
                last = add("Work", "- " + " ".join(text.split()))
        end_day, months = position_span(start, end, today) if start else (None, set())
        if start is None and end is not None:
            end_day = end.day
        jobs.append(
            PositionDraft(
                title, employer, start.day if start else None, end_day, months, first, last, []
            )
        )
    education = []
    for school in data.get("education", []):
        degree = " ".join(p for p in (school.get("studyType"), school.get("area")) if p)
        start = parse_date(school["startDate"]) if school.get("startDate") else None
        end = parse_date(school["endDate"]) if school.get("endDate") else None
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
        job.lines = [BULLET.sub("", b) for b in out[job.first + 1 : job.last + 1]]
        job.span = (offsets[job.first], offsets[job.last + 1])
    text_sections = {k: "\n".join(v) for k, v in sections.items()}
    return "\n".join(out), text_sections, jobs, education


def _without_empty_dates(data: Any) -> Any:
    """Entries with `"endDate": ""` (or a blank start) as if the field were absent.

    Real exports write an empty string for a job that is still going on; the schema forbids it,
    and refusing the whole file over it would help nobody.
    """
    if not isinstance(data, dict):
        return data
    for key in ("work", "volunteer", "education", "projects"):
        entries = data.get(key)
        if isinstance(entries, list):
            data[key] = [
                {k: v for k, v in e.items() if not (k.endswith("Date") and v in ("", None))}
                if isinstance(e, dict)
                else e
                for e in entries
            ]
    return data


def _load_json_resume(label: str, raw: str, *, checked: bool = True) -> Any:
    """The parsed JSON, or an error naming the first field that breaks the schema."""
    try:
        data = json.loads(raw)
    except json.JSONDecodeError as exc:
        raise IngestError(f"{label}: not valid JSON (line {exc.lineno}: {exc.msg})") from None
    if checked:
        _check_json_resume(label, data)
    return data


def _check_json_resume(label: str, data: Any) -> None:
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
