"""How well a resume covers a job posting: a transparent score and what to change.

The score is deliberately simple enough to check by hand (`SCORE_FORMULA`): required skills
count twice as much as nice-to-have ones, and a skill earns full credit only when the resume
shows it in use (a line under a job or a project), half when it is only listed (a skills
section, a summary). Recruiters and screening tools read it the same way: a bare keyword is a
claim, a bullet with a result is evidence.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING, Literal

from pydantic import BaseModel, ConfigDict

from mlpivot.ingest.posting import Posting, PostingSkill, parse_posting
from mlpivot.ingest.resume import Resume, ResumeMention, parse_resume

if TYPE_CHECKING:
    from mlpivot.catalog import Catalog

Where = Literal["used", "listed"]

USED_CREDIT = 1.0
LISTED_CREDIT = 0.5
SCORE_FORMULA = (
    "score = (2 x required coverage + 1 x nice-to-have coverage) / 3, where coverage is the "
    f"mean credit per skill: {USED_CREDIT:g} when a job or project line shows it, "
    f"{LISTED_CREDIT:g} when it is only listed (skills section, summary), 0 when absent; "
    "with no nice-to-have skills, score = required coverage"
)
_USED_SECTIONS = re.compile(r"experience|employment|work|project|career|history", re.IGNORECASE)


class SkillMatch(BaseModel):
    """One requirement of the posting, and where (if anywhere) the resume meets it.

    A choice ("PyTorch or TensorFlow") is one requirement, met by whichever option the resume
    shows best: `skill_id` is that option (the first named when none is shown), `alternatives`
    the others, and `name` reads "PyTorch or TensorFlow".
    """

    model_config = ConfigDict(frozen=True)

    skill_id: str
    name: str
    need: Literal["required", "nice"]
    alternatives: tuple[str, ...] = ()
    posting_line: str
    resume_line: str | None = None
    resume_line_number: int | None = None
    resume_job: str | None = None
    """the job the resume line is under ("Data Analyst, Acme Retail (2019-03 to now)"), so a
    person sees which experience carries the match"""
    where: Where | None = None
    credit: float = 0.0


class MatchReport(BaseModel):
    """The coverage report `mlpivot match` prints."""

    model_config = ConfigDict(frozen=True)

    posting_title: str
    score: float
    formula: str
    required_coverage: float
    nice_coverage: float | None
    shown: tuple[SkillMatch, ...]
    missing: tuple[SkillMatch, ...]
    suggestions: tuple[str, ...]


def _is_used(mention: ResumeMention, resume: Resume) -> bool:
    if mention.position is not None:
        return True
    for name, body in resume.sections.items():
        if mention.line.strip() and mention.line.strip() in body:
            return bool(_USED_SECTIONS.search(name))
    return False


def _best_mentions(resume: Resume) -> dict[str, tuple[ResumeMention, Where]]:
    """Per skill, the strongest line: one that shows use beats one that only lists it."""
    best: dict[str, tuple[ResumeMention, Where]] = {}
    for m in resume.mentions:
        if m.skill_id is None:
            continue
        where: Where = "used" if _is_used(m, resume) else "listed"
        if m.skill_id not in best or (where == "used" and best[m.skill_id][1] == "listed"):
            best[m.skill_id] = (m, where)
    return best


def _coverage(items: list[SkillMatch]) -> float | None:
    return round(sum(i.credit for i in items) / len(items), 3) if items else None


def match_resume(
    resume: Resume | str, posting: Posting | str, catalog: Catalog | None = None
) -> MatchReport:
    """Compare a resume (parsed, or its text) with a posting (parsed, or its text)."""
    if catalog is None:
        from mlpivot.catalog import default_catalog

        catalog = default_catalog()
    if isinstance(resume, str):
        resume = parse_resume(resume.encode("utf-8"), "resume.txt", catalog=catalog)
    if isinstance(posting, str):
        posting = parse_posting(posting, catalog)
    found = _best_mentions(resume)

    def name_of(skill_id: str) -> str:
        return catalog.skills[skill_id].name if skill_id in catalog.skills else skill_id

    def judged(ps: PostingSkill) -> SkillMatch:
        name = " or ".join(name_of(option) for option in ps.options)
        need: Literal["required", "nice"] = "nice" if ps.need == "nice" else "required"
        hits = [(option, found[option]) for option in ps.options if option in found]
        if not hits:
            return SkillMatch(
                skill_id=ps.skill_id,
                name=name,
                need=need,
                alternatives=ps.alternatives,
                posting_line=ps.evidence,
            )
        # The option the resume shows best: in use beats only listed, then the posting's order.
        skill_id, (mention, where) = min(hits, key=lambda hit: hit[1][1] != "used")
        return SkillMatch(
            skill_id=skill_id,
            name=name,
            need=need,
            alternatives=tuple(o for o in ps.options if o != skill_id),
            posting_line=ps.evidence,
            resume_line=mention.line.strip(),
            resume_line_number=mention.line_number,
            resume_job=_job_label(resume, mention.position),
            where=where,
            credit=USED_CREDIT if where == "used" else LISTED_CREDIT,
        )

    required = [judged(s) for s in posting.required]
    nice = [judged(s) for s in posting.nice_to_have]
    req_cov = _coverage(required)
    nice_cov = _coverage(nice)
    if req_cov is None:
        score = nice_cov or 0.0
    elif nice_cov is None:
        score = req_cov
    else:
        score = (2 * req_cov + nice_cov) / 3
    every = required + nice
    return MatchReport(
        posting_title=posting.title,
        score=round(score, 3),
        formula=SCORE_FORMULA,
        required_coverage=req_cov if req_cov is not None else 0.0,
        nice_coverage=nice_cov,
        shown=tuple(m for m in every if m.where is not None),
        missing=tuple(m for m in every if m.where is None),
        suggestions=tuple(_suggestions(required, nice, catalog)),
    )


def _job_label(resume: Resume, index: int | None) -> str | None:
    if index is None or not 0 <= index < len(resume.positions):
        return None
    job = resume.positions[index]
    name = ", ".join(p for p in (job.title, job.employer) if p) or "a job"
    if job.start is None:
        return f"{name} (no dates)"
    end = f"{job.end:%Y-%m}" if job.end else "now"
    return f"{name} ({job.start:%Y-%m} to {end})"


def _suggestions(required: list[SkillMatch], nice: list[SkillMatch], catalog: Catalog) -> list[str]:
    """Concrete edits, most valuable first: missing required, listed-only required, then nice."""
    out: list[str] = []
    for m in required:
        if m.where is None:
            options = (m.skill_id, *m.alternatives)
            project = next(
                (p for p in catalog.projects.values() if set(options) & set(p.skills)), None
            )
            also = f"; the project '{project.name}' would exercise it" if project else ""
            out.append(
                f"The posting asks for {m.name}, which your resume does not show: if you have "
                f"used it, add a line saying where; if not, see `mlpivot skill show "
                f"{m.skill_id}`{also}."
            )
    for m in required:
        if m.where == "listed":
            out.append(
                f"The posting asks for {m.name}; your resume names it only in a list "
                f'(line {m.resume_line_number}: "{_short(m.resume_line or "")}"). Add a bullet '
                "under a job or project showing where you used it, with a number (time saved, "
                "error rate, users, cost)."
            )
    missing_nice = [m.name for m in nice if m.where is None]
    if missing_nice:
        out.append(
            "Nice to have and not on your resume: "
            + ", ".join(missing_nice)
            + ". Worth a line each if you have used them; not worth learning just for this job."
        )
    return out


def _short(line: str, width: int = 60) -> str:
    return line if len(line) <= width else line[: width - 1] + "…"
