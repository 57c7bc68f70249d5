"""Which questions a quiz draws from: the bank's quick questions plus the person's own cards,
in the order new ones should come (easiest and most basic first). Shared by the terminal and
the web quiz, so both ask the same questions in the same order."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from mlpivot.catalog import Catalog
from mlpivot.catalog.models import QuizQuestion
from mlpivot.errors import UserError

QUIZ_TYPES = ("mcq", "short")
"""Interview prompts are for the mock interview: they need minutes, not a quick recall."""


def own_question(data: Mapping[str, Any]) -> QuizQuestion:
    """A question the person wrote, as a short item (its answer is reference and rubric).

    Built without the bank's checks: a person's own answer may well be a few words.
    """
    return QuizQuestion.model_construct(
        id=data["id"],
        type="short",
        skills=tuple(data.get("skills", ())),
        roles=(),
        difficulty=2,
        category=data.get("category", "ml-theory"),
        question=data["question"],
        options=(),
        reference=data.get("answer", ""),
        rubric=(data.get("answer", ""),),
    )


def quiz_questions(catalog: Catalog, own: Sequence[Mapping[str, Any]]) -> dict[str, QuizQuestion]:
    bank = {q.id: q for q in catalog.question_bank.values() if q.type in QUIZ_TYPES}
    bank.update({d["id"]: own_question(d) for d in own})
    return bank


def skill_id(catalog: Catalog, name: str) -> str:
    return catalog.alias_index.get(" ".join(name.casefold().split()), name)


def quiz_candidates(
    catalog: Catalog,
    questions: Mapping[str, QuizQuestion],
    skills: Sequence[str] = (),
    role: str | None = None,
) -> list[str]:
    """Question ids that match the filters, easiest and most basic first (new ones come so)."""
    wanted = {catalog.skill(skill_id(catalog, s)).id for s in skills}
    role_id = catalog.role(role).id if role else None
    rank = {skill: i for i, skill in enumerate(catalog.graph.order)}
    chosen = [
        q
        for q in questions.values()
        if (not wanted or wanted.intersection(q.skills)) and (role_id is None or role_id in q.roles)
    ]
    if role_id is not None and not chosen and not wanted:
        raise UserError(f"there are no quiz questions for the role '{role_id}' yet")
    chosen.sort(key=lambda q: (q.difficulty, min(rank.get(s, 10**6) for s in q.skills), q.id))
    return [q.id for q in chosen]
