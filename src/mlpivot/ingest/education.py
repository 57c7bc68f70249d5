"""Degrees and schools, read from a resume's education sections."""

from __future__ import annotations

import re
from datetime import date
from typing import Any

from pydantic import BaseModel, ConfigDict

from mlpivot.ingest.plain_text import is_bullet
from mlpivot.ingest.positions import DATE_RANGE
from mlpivot.ingest.resume_sections import section_kind, split_parts

_YEAR = re.compile(r"(?<!\d)(19[5-9]\d|20\d\d)(?!\d)")
_DEGREE_WORDS = re.compile(
    r"\b(b\.?\s?sc?|m\.?\s?sc?|b\.?a|m\.?a|m\.?eng|b\.?eng|ph\.?\s?d|mba|bachelor'?s?|"
    r"master'?s?|doctorate|diploma|degree|certificate|associate|licence|licenciatura|grado|"
    r"mestrado|laurea|dipl\.?-ing|diplom\w*|magister|cand\.\s?\w+|bootcamp|highers|a-levels|"
    r"abitur|baccalaur\w*|vocational|apprenticeship|b\.?\s?tech|m\.?\s?tech|hnd|gcse)(?!\w)",
    re.IGNORECASE,
)
_SCHOOL_WORDS = re.compile(
    r"\b\w*(universit\w*|universidad\w*|college|institut\w*|school|schule|academy|akademie|"
    r"polytechnic|politecnico|hochschule|ecole|école|escuela|scuola|lyceum|lycée|gymnasium)\b",
    re.IGNORECASE,
)


_DETAIL = re.compile(
    r"\b(thesis|dissertation|gpa|grade|final project|modules|coursework|courses|dean'?s list|"
    r"cum laude|honou?rs|mention|note finale|relevant)\b",
    re.IGNORECASE,
)
_VENDOR_CERTIFICATE = re.compile(r"\bcertified\b|\bcertification\b", re.IGNORECASE)


class Education(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")

    institution: str = ""
    degree: str = ""
    start: date | None = None
    end: date | None = None


def read_education(sections: dict[str, str]) -> list[Education]:
    """One entry per degree or school named; a second degree or school starts the next entry."""
    found: list[Education] = []
    for heading, body in sections.items():
        if section_kind(heading) != "education":
            continue
        entry: dict[str, Any] = {}
        for line in body.split("\n"):
            detail = entry and _DETAIL.search(line) and not _SCHOOL_WORDS.search(line)
            if is_bullet(line) or detail:
                # A thesis, a grade, modules: details of the entry above, and maybe its years
                # ("2010 – 2015 · final grade 16/20").
                years = [int(y) for y in _YEAR.findall(line)]
                if years and "end" not in entry and not is_bullet(line):
                    entry["end"] = date(max(years), 1, 1)
                    if len(years) > 1:
                        entry["start"] = date(min(years), 1, 1)
                continue
            if _VENDOR_CERTIFICATE.search(line) and not _SCHOOL_WORDS.search(line):
                continue  # "Microsoft Certified: ...": a certification, not an education
            parts = split_parts(DATE_RANGE.sub(" | ", line))
            degree = next((p for p in parts if _DEGREE_WORDS.search(p)), "")
            school = next((p for p in parts if _SCHOOL_WORDS.search(p)), "")
            if (degree and entry.get("degree")) or (school and entry.get("institution")):
                found.append(Education(**entry))
                entry = {}
            entry.update({k: v for k, v in (("degree", degree), ("institution", school)) if v})
            years = [int(y) for y in _YEAR.findall(line)]
            if not degree and not school:
                # Years on a line of their own belong to the entry above ("2008 - 2013").
                if years and entry and "end" not in entry and len(line.split()) <= 10:
                    entry["end"] = date(max(years), 1, 1)
                    if len(years) > 1:
                        entry["start"] = date(min(years), 1, 1)
                continue
            if years:
                entry["end"] = date(max(years), 1, 1)
                if len(years) > 1:
                    entry["start"] = date(min(years), 1, 1)
        if entry:
            found.append(Education(**entry))
    return found
