"""A resume checked the way screening systems and ML hiring managers read it.

Two readers decide whether a resume gets a human's attention. A screening system (ATS) must be
able to extract the text — no image-only pages, no columns read across, nothing only in a text
box or a page header — and find the usual headings and dates. A hiring manager for an ML role
then looks for evidence: results with a number, work that ran in production, and the posting's
must-haves shown in use rather than listed. Every finding says what was seen and what to do.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Literal

from mlpivot.ingest.match import MatchReport
from mlpivot.ingest.plain_text import BULLET
from mlpivot.ingest.resume import Resume
from mlpivot.ingest.resume_layout import LayoutFacts
from mlpivot.ingest.resume_sections import read_sections

Severity = Literal["problem", "warning", "good"]
Area = Literal["file", "layout", "headings", "dates", "evidence", "posting"]

MAX_COMFORTABLE_BYTES = 2 * 1024 * 1024
"""many application forms cap uploads at 2-5 MB; a text resume is rarely over 500 KB"""

METRIC = re.compile(
    r"\d+(?:[.,]\d+)?\s*(?:%|percent|x\b|×|k\b|m\b|ms\b|s\b|hours?|days?|users|customers|"
    r"requests|million|billion|thousand)|[$€£]\s*\d|\b(?:by|to|from)\s+\d",
    re.IGNORECASE,
)
"""a result with a number: "cut latency by 40%", "2M requests a day", "saved $300k" """

PRODUCTION = re.compile(
    r"\b(?:production|deployed|deploy(?:ing|ment)|shipped|launched|served?|serving|latency|"
    r"on[- ]call|monitor(?:ing|ed)?|sla|real[- ]time|at scale|in prod)\b",
    re.IGNORECASE,
)

_ORDER: dict[Severity, int] = {"problem": 0, "warning": 1, "good": 2}


@dataclass(frozen=True)
class Finding:
    area: Area
    severity: Severity
    message: str
    fix: str = ""


def _pages(numbers: tuple[int, ...]) -> str:
    return ("page " if len(numbers) == 1 else "pages ") + ", ".join(map(str, numbers))


def file_findings(facts: LayoutFacts) -> list[Finding]:
    """What the file itself does to a screening system."""
    found: list[Finding] = []
    if facts.kind in ("markdown", "text", "json", "other"):
        found.append(
            Finding(
                "file",
                "warning",
                f"the resume is a {facts.kind} file; application forms expect PDF or DOCX",
                "export it as PDF (or DOCX) from your editor before applying",
            )
        )
    if facts.size_bytes > MAX_COMFORTABLE_BYTES:
        found.append(
            Finding(
                "file",
                "warning",
                f"the file is {facts.size_bytes / 1024 / 1024:.1f} MB; many forms refuse files "
                "over 2-5 MB",
                "remove photos and embedded fonts, or export again with smaller images",
            )
        )
    if facts.image_only_pages:
        found.append(
            Finding(
                "layout",
                "problem",
                f"{_pages(facts.image_only_pages)} holds text only as an image: a screening "
                "system reads nothing there",
                "export from the word processor rather than scanning or printing to an image",
            )
        )
    if facts.multi_column_pages:
        found.append(
            Finding(
                "layout",
                "warning",
                f"{_pages(facts.multi_column_pages)} is laid out in two columns; some systems "
                "read straight across and mix the lines of both",
                "use one column; put the sidebar (skills, contact) above or below the jobs",
            )
        )
    if facts.tables:
        found.append(
            Finding(
                "layout",
                "warning",
                f"the file has {facts.tables} table{'s' if facts.tables > 1 else ''}; cells are "
                "often read out of order or skipped",
                "write jobs and dates as plain lines instead of table cells",
            )
        )
    if facts.text_boxes:
        found.append(
            Finding(
                "layout",
                "problem",
                f"the file has {facts.text_boxes} text box{'es' if facts.text_boxes > 1 else ''}; "
                "their text is often not extracted at all",
                "move the text out of the boxes into the body",
            )
        )
    if facts.contact_only_in_header:
        found.append(
            Finding(
                "layout",
                "problem",
                "your e-mail and phone are only in the page header, which many systems skip",
                "put the contact line at the top of the body",
            )
        )
    return found


def text_findings(resume: Resume) -> list[Finding]:
    """Headings, dates and the evidence an ML hiring manager looks for."""
    found: list[Finding] = []
    lines = resume.text.split("\n")
    _, kinds = read_sections(lines)
    present = set(kinds)
    for kind, name in (
        ("experience", "Experience"),
        ("education", "Education"),
        ("skills", "Skills"),
    ):
        if kind not in present:
            found.append(
                Finding(
                    "headings",
                    "warning",
                    f"no '{name}' heading was found; screening systems file text under the "
                    "usual headings",
                    f"add a heading named '{name}' (or 'Work Experience', 'Technical Skills')",
                )
            )
    undated = [p for p in resume.positions if p.start is None]
    if not resume.positions and "experience" in present:
        found.append(
            Finding(
                "dates",
                "problem",
                "no job with a date range could be read, so your years of experience are unknown",
                "give each job one line with its dates, e.g. 'Data Engineer, Acme  Jan 2020 – "
                "Mar 2023'",
            )
        )
    elif undated:
        names = ", ".join(f"{p.title or p.employer}" for p in undated[:3])
        found.append(
            Finding(
                "dates",
                "warning",
                f"{len(undated)} job{'s have' if len(undated) > 1 else ' has'} no date that "
                f"could be read ({names})",
                "write dates as month and year, e.g. 'Jan 2020 – Present'",
            )
        )
    work = [
        line
        for line, kind in zip(lines, kinds, strict=True)
        if kind in ("experience", "projects") and line.strip()
    ]
    bullets = [line for line in work if BULLET.match(line)] or work
    with_metric = [line for line in bullets if METRIC.search(line)]
    if bullets and not with_metric:
        found.append(
            Finding(
                "evidence",
                "warning",
                "no job or project line shows a result with a number",
                "add what changed and by how much to your best bullets (accuracy, latency, "
                "cost, users, hours saved)",
            )
        )
    elif with_metric:
        found.append(
            Finding(
                "evidence",
                "good",
                f"{len(with_metric)} of {len(bullets)} job and project lines show a result with "
                "a number",
            )
        )
    if work and not any(PRODUCTION.search(line) for line in work):
        found.append(
            Finding(
                "evidence",
                "warning",
                "nothing says your work ran in production (deployed, served, monitored, users)",
                "where a system you built went live, say so and for whom",
            )
        )
    return found


def posting_findings(match: MatchReport) -> list[Finding]:
    """The posting's must-haves: shown in use, only listed, or absent."""
    found: list[Finding] = []
    for item in match.missing:
        if item.need == "required":
            found.append(
                Finding(
                    "posting",
                    "problem",
                    f"the posting requires {item.name} and the resume does not show it",
                    "if you have used it, add a bullet under that job saying how; if not, it "
                    "belongs in your plan, not on the resume",
                )
            )
    for item in match.shown:
        if item.need == "required" and item.where == "listed":
            found.append(
                Finding(
                    "posting",
                    "warning",
                    f"{item.name} (required) is only listed, not shown in a job or project",
                    f"name {item.name} in the bullet of the job where you used it",
                )
            )
    return found


def check_resume(
    facts: LayoutFacts, resume: Resume, match: MatchReport | None = None
) -> tuple[Finding, ...]:
    """Every finding, problems first."""
    found = file_findings(facts) + text_findings(resume)
    if match is not None:
        found += posting_findings(match)
    return tuple(sorted(found, key=lambda f: _ORDER[f.severity]))
