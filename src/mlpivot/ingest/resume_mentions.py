"""Skills named in a resume, the line and job each is named in, and years of use per skill."""

from __future__ import annotations

import bisect
from typing import TYPE_CHECKING

from pydantic import BaseModel, ConfigDict

from mlpivot.ingest.extract import extract_skills
from mlpivot.ingest.plain_text import BULLET
from mlpivot.ingest.positions import PositionDraft, months_to_years

if TYPE_CHECKING:
    from mlpivot.catalog import Catalog


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


def find_mentions(text: str, jobs: list[PositionDraft], catalog: Catalog) -> list[ResumeMention]:
    starts = [0]
    for i, ch in enumerate(text):
        if ch == "\n":
            starts.append(i + 1)
    found: list[ResumeMention] = []
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
                line=BULLET.sub("", line).strip(),
                position=job,
            )
        )
    return found


def skill_years(mentions: list[ResumeMention], jobs: list[PositionDraft]) -> dict[str, float]:
    """Years per skill over the jobs naming it; a month in two overlapping jobs counts once."""
    months: dict[str, set[int]] = {}
    for m in mentions:
        if m.skill_id is not None and m.position is not None:
            months.setdefault(m.skill_id, set()).update(jobs[m.position].month_set)
    return {k: months_to_years(v) for k, v in sorted(months.items()) if v}
