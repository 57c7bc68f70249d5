"""A resume as a value: sections, dated positions, education, skill mentions, years, domains.

Resumes have no fixed layout, so the text reader works from the few things nearly all of them
share: headings people recognise ("Experience", "Education", "Skills"), and one line per job that
carries a date range ("Senior Engineer, Acme Bank  Jan 2019 - Present"). Everything below such a
line, up to the next one, belongs to that job; a skill named there was used for the job's
duration. JSON Resume files (jsonresume.org) carry the same facts as fields and skip the guessing.
`resume_evidence` turns the result into profile evidence with documented levels.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Any

from pydantic import BaseModel, ConfigDict

from mlpivot.catalog.models import EvidenceKind
from mlpivot.engine.profile import SkillEvidence
from mlpivot.ingest.documents import DEFAULT_MAX_BYTES, DEFAULT_TIMEOUT_SECONDS, read_document
from mlpivot.ingest.domains import domains_worked_in
from mlpivot.ingest.education import Education, read_education
from mlpivot.ingest.json_resume import read_json_resume
from mlpivot.ingest.positions import Position, months_to_years
from mlpivot.ingest.resume_mentions import ResumeMention, find_mentions, skill_years
from mlpivot.ingest.resume_sections import read_sections, tidy_resume_text
from mlpivot.ingest.text_positions import find_positions

if TYPE_CHECKING:
    from mlpivot.catalog import Catalog

__all__ = [
    "YEARS_FOR_STRONG",
    "Education",
    "Position",
    "Resume",
    "ResumeMention",
    "parse_resume",
    "resume_evidence",
    "resume_to_data",
]

YEARS_FOR_STRONG = 3.0
"""A skill used in positions adding up to this many years counts as strong (level 3)."""


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
        text, sections, jobs, education = read_json_resume(document.name, document.text, today)
    else:
        text = tidy_resume_text(document.text)
        lines = text.split("\n")
        sections, kinds = read_sections(lines)
        jobs = find_positions(lines, kinds, today)
        education = read_education(sections)
    if catalog is None:
        from mlpivot.catalog import default_catalog

        catalog = default_catalog()
    mentions = find_mentions(text, jobs, catalog)
    positions = tuple(job.position for job in jobs)
    domains = domains_worked_in(jobs, sections)
    warnings = list(document.warnings)
    if not any(p.start for p in positions):
        found = f" ({len(positions)} job(s) found without dates)" if positions else ""
        warnings.append(
            f"{document.name}: no dated positions found{found} (a job line needs a date range "
            "such as 'Jan 2020 - Present'), so years of experience and years per skill are "
            "unknown; the skills it names still count as evidence"
        )
    return Resume(
        source=document.name,
        text=text,
        sections=sections,
        positions=positions,
        education=tuple(education),
        mentions=tuple(mentions),
        skill_years=skill_years(mentions, jobs),
        experience_years=months_to_years(set().union(*(j.month_set for j in jobs))),
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
