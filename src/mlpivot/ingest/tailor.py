"""A resume tailored to one posting by moving its own evidence forward — never by adding any.

Recruiters read the first bullets of each job and the start of the skills list. Tailoring here
only reorders what the person wrote: within each run of bullets under a job or project, the
lines that name the posting's skills go first (required before nice-to-have, otherwise in the
person's order), and in a skills list the posting's skills lead. No line is written, changed in
wording or dropped, so no skill can appear that the resume did not already show; what would need
new words (a result with a number, a skill shown only in a list) is given as a suggestion for
the person to write, never written for them.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any, Literal

from mlpivot.ingest.match import MatchReport, SkillMatch
from mlpivot.ingest.plain_text import BULLET
from mlpivot.ingest.resume import Resume
from mlpivot.ingest.resume_check import METRIC
from mlpivot.ingest.resume_sections import read_sections

REQUIRED_WEIGHT = 2
NICE_WEIGHT = 1
_LIST_SPLIT = re.compile(r"\s*[,;]\s*")


@dataclass(frozen=True)
class Change:
    line_number: int
    """1-based, in the tailored text"""
    kind: Literal["moved-up", "reordered"]
    reason: str


@dataclass(frozen=True)
class TailoredResume:
    text: str
    changes: tuple[Change, ...]
    suggestions: tuple[str, ...]
    skills: tuple[str, ...]
    """the resume's own skills as it writes them, the posting's first (nothing added)"""


def _wanted(match: MatchReport) -> dict[str, tuple[int, str]]:
    """Skill id → (weight, label) for every option of every requirement of the posting."""
    wanted: dict[str, tuple[int, str]] = {}
    items: list[SkillMatch] = [*match.shown, *match.missing]
    for item in items:
        weight = REQUIRED_WEIGHT if item.need == "required" else NICE_WEIGHT
        label = f"{item.name} ({'required' if item.need == 'required' else 'nice to have'})"
        for skill_id in (item.skill_id, *item.alternatives):
            if weight > wanted.get(skill_id, (0, ""))[0]:
                wanted[skill_id] = (weight, label)
    return wanted


def tailor_resume(resume: Resume, match: MatchReport) -> TailoredResume:
    """The resume's lines reordered for `match`'s posting, each move said, plus suggestions."""
    lines = resume.text.split("\n")
    _, kinds = read_sections(lines)
    wanted = _wanted(match)
    named: dict[int, dict[str, str]] = {}  # 0-based line → skill id → text as written
    for mention in resume.mentions:
        if mention.skill_id in wanted:
            named.setdefault(mention.line_number - 1, {})[mention.skill_id] = mention.text

    def weight(index: int) -> int:
        return sum(wanted[s][0] for s in named.get(index, {}))

    def reason(index: int) -> str:
        labels = sorted({wanted[s][1] for s in named.get(index, {})})
        return "names " + ", ".join(labels)

    order = list(range(len(lines)))
    moved: list[int] = []
    start = 0
    while start < len(lines):
        end = start
        while (
            end < len(lines)
            and kinds[end] in ("experience", "projects")
            and BULLET.match(lines[end]) is not None
        ):
            end += 1
        if end - start >= 2:
            group = order[start:end]
            ranked = sorted(group, key=lambda i: -weight(i))  # stable: ties keep their order
            order[start:end] = ranked
            moved += [i for pos, i in enumerate(ranked) if weight(i) and pos < group.index(i)]
        start = max(end, start + 1)

    new_lines = [lines[i] for i in order]
    changes = [
        Change(order.index(i) + 1, "moved-up", reason(i)) for i in sorted(moved, key=order.index)
    ]
    for index, kind in enumerate(kinds):
        if kind != "skills" or index not in named:
            continue
        reordered = _reorder_list(lines[index], named[index], wanted)
        if reordered != lines[index]:
            at = order.index(index)
            new_lines[at] = reordered
            changes.append(Change(at + 1, "reordered", "the posting's skills first"))
    return TailoredResume(
        text="\n".join(new_lines),
        changes=tuple(sorted(changes, key=lambda c: c.line_number)),
        suggestions=_suggestions(lines, kinds, named, match),
        skills=_own_skills(resume, wanted),
    )


def _own_skills(resume: Resume, wanted: dict[str, tuple[int, str]]) -> tuple[str, ...]:
    first: dict[str, str] = {}
    for mention in resume.mentions:
        if mention.skill_id is not None and mention.skill_id not in first:
            first[mention.skill_id] = mention.text
    ranked = sorted(first, key=lambda s: -wanted.get(s, (0, ""))[0])
    return tuple(first[s] for s in ranked)


def _reorder_list(line: str, named: dict[str, str], wanted: dict[str, tuple[int, str]]) -> str:
    """A comma list with the posting's skills first; the label before a colon stays put."""
    label, colon, rest = line.partition(":") if ":" in line else ("", "", line)
    items = _LIST_SPLIT.split(rest.strip())
    if len(items) < 2:
        return line

    def weight(item: str) -> int:
        low = item.casefold()
        return sum(wanted[s][0] for s, text in named.items() if text.casefold() in low)

    ranked = sorted(items, key=lambda item: -weight(item))
    if ranked == items:
        return line
    lead = f"{label}{colon} " if colon else line[: len(line) - len(line.lstrip())]
    return lead + ", ".join(ranked)


def _suggestions(
    lines: list[str], kinds: list[str], named: dict[int, dict[str, str]], match: MatchReport
) -> tuple[str, ...]:
    """What only the person can write: evidence for listed skills, results for key bullets."""
    out: list[str] = []
    for item in match.shown:
        if item.need == "required" and item.where == "listed":
            out.append(
                f"{item.name} is only in a list: if a job used it, say how in that job's bullet"
            )
    for index in sorted(named):
        if (
            kinds[index] in ("experience", "projects")
            and BULLET.match(lines[index])
            and not METRIC.search(lines[index])
        ):
            text = BULLET.sub("", lines[index]).strip()
            out.append(f"add the result with a number to: '{text[:90]}'")
        if len(out) >= 8:
            break
    for item in match.missing:
        if item.need == "required":
            out.append(
                f"{item.name} is required and not on the resume: add it only if you have used "
                "it; otherwise plan to learn it"
            )
    return tuple(out)


def marked_lines(tailored: TailoredResume) -> list[tuple[str, str, bool, str | None]]:
    """(line as written, text without its list mark, is a bullet, change mark) per line."""
    words = {"moved-up": "moved up", "reordered": "reordered"}
    marks = {c.line_number: f"{words[c.kind]}: {c.reason}" for c in tailored.changes}
    return [
        (line, BULLET.sub("", line).strip(), BULLET.match(line) is not None, marks.get(n))
        for n, line in enumerate(tailored.text.split("\n"), start=1)
    ]


def json_resume(tailored: TailoredResume, resume: Resume, marked: bool = True) -> dict[str, Any]:
    """The JSON Resume shape (jsonresume.org): work highlights in the tailored order; with
    `marked`, the changes and suggestions in `meta.mlpivot` (the schema's place for extras)."""
    lines = tailored.text.split("\n")
    rank = {BULLET.sub("", line).strip(): i for i, line in enumerate(lines)}
    work = []
    for position in resume.positions:
        highlights = [BULLET.sub("", h).strip() for h in position.lines if h.strip()]
        highlights.sort(key=lambda h: rank.get(h, len(lines)))
        entry: dict[str, Any] = {"name": position.employer, "position": position.title}
        if position.start:
            entry["startDate"] = position.start.isoformat()[:7]
        if position.end:
            entry["endDate"] = position.end.isoformat()[:7]
        entry["highlights"] = highlights
        work.append(entry)
    name = next((line.strip("# ").strip() for line in lines if line.strip()), "")
    document: dict[str, Any] = {
        "basics": {"name": name},
        "work": work,
        "education": [
            {k: v for k, v in item.model_dump(mode="json").items() if v is not None}
            for item in resume.education
        ],
        "skills": [{"name": skill} for skill in tailored.skills],
    }
    if marked:
        document["meta"] = {
            "mlpivot": {
                "changes": [
                    {"line": c.line_number, "kind": c.kind, "reason": c.reason}
                    for c in tailored.changes
                ],
                "suggestions": list(tailored.suggestions),
            }
        }
    return document
