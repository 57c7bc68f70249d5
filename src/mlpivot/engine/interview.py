"""Mock interviews: a loop of rounds shaped like a real one for a role, and feedback per answer.

The rounds come from the bank itself, not from a list kept here: the technical rounds are the
question categories with the most interview prompts for the role (for an ML engineer: system
design, coding for ML, ML theory), and a behavioural round closes the loop as it does in real
interviews. A round's time is shared by its questions at the minutes a fluent answer takes.
Everything is pure: the choice of questions takes a seed, the seconds an answer took are
measured at the edge and passed in.
"""

from __future__ import annotations

import random
import re
from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date, timedelta

from mlpivot.catalog import Catalog
from mlpivot.catalog.models import QuizQuestion
from mlpivot.engine.grading import grade_answer
from mlpivot.engine.plan_model import Plan, PlanBlock, PlanWeek
from mlpivot.errors import UserError

TECHNICAL_ROUNDS = 3
"""Technical rounds in a loop; the behavioural round comes on top."""
BEHAVIOURAL = "behavioural"
QUESTION_MINUTES = {"interview": 10.0, "short": 3.0}
"""How long an interviewer gives one question of each type."""
MIN_MINUTES, MAX_MINUTES = 10, 240
STUDY_HOURS_PER_SKILL = 2.0
"""Hours of revision a missed skill adds to the plan when the person asks for it."""
MIN_ALIAS_CHARS = 4
"""Shorter names ("ml", "ai") match too much prose to say which skill a point is about."""

CATEGORY_TITLES = {
    "ml-theory": "ML theory",
    "statistics": "Statistics",
    "maths": "Maths for ML",
    "deep-learning": "Deep learning",
    "llm-app-design": "LLM application design",
    "ml-system-design": "ML system design",
    "coding-for-ml": "Coding for ML",
    "mlops": "MLOps",
    "data-engineering": "Data engineering",
    "product-sense": "Product sense",
    "behavioural": "Behavioural",
}


@dataclass(frozen=True)
class InterviewItem:
    question_id: str
    category: str
    minutes: float


@dataclass(frozen=True)
class InterviewRound:
    category: str
    title: str
    minutes: float
    items: tuple[InterviewItem, ...]


@dataclass(frozen=True)
class InterviewLoop:
    role_id: str
    minutes: int
    rounds: tuple[InterviewRound, ...]

    @property
    def items(self) -> tuple[InterviewItem, ...]:
        return tuple(i for r in self.rounds for i in r.items)


@dataclass(frozen=True)
class AnswerFeedback:
    """What one answer earned and what to do about it."""

    question_id: str
    category: str
    answer: str
    seconds: float
    allotted_seconds: float
    score: float
    """in [0, 1], from `grade_answer`"""
    score_5: float
    covered: tuple[str, ...]
    missed: tuple[str, ...]
    model_answer: str
    study_next: tuple[str, ...]
    """skill ids behind the missed points"""
    feedback: str

    @property
    def over_time(self) -> bool:
        return self.seconds > self.allotted_seconds


def _role_questions(bank: Mapping[str, QuizQuestion], role_id: str) -> list[QuizQuestion]:
    return [q for q in bank.values() if q.type != "mcq" and role_id in q.roles]


def round_categories(bank: Mapping[str, QuizQuestion], role_id: str) -> list[str]:
    """The role's technical rounds by how many interview prompts the bank has for each, most
    first (ties by the short questions, then by name), then behavioural if the bank has any."""
    mine = _role_questions(bank, role_id)
    prompts = Counter[str](q.category for q in mine if q.type == "interview")
    shorts = Counter[str](q.category for q in mine if q.type == "short")
    technical = sorted(
        {q.category for q in mine} - {BEHAVIOURAL},
        key=lambda c: (-prompts[c], -shorts[c], c),
    )[:TECHNICAL_ROUNDS]
    behavioural = [BEHAVIOURAL] if prompts[BEHAVIOURAL] or shorts[BEHAVIOURAL] else []
    return [*technical, *behavioural]


def build_loop(
    catalog: Catalog,
    role_id: str,
    minutes: int,
    seed: int,
    asked: Iterable[str] = (),
) -> InterviewLoop:
    """A loop for the role within `minutes`: every round gets an equal share of the time.

    Within a round, interview prompts come before short questions and questions never asked
    in an earlier mock before those already asked; the seed picks among equals, so two mocks
    differ while a test can replay one.
    """
    role = catalog.role(role_id)
    if role.kind != "target":
        raise UserError(
            f"'{role.id}' is not a target role: mock interviews are for the roles "
            "you aim at (`mlpivot roles`)"
        )
    if not MIN_MINUTES <= minutes <= MAX_MINUTES:
        raise UserError(
            f"--minutes {minutes}: a mock interview runs {MIN_MINUTES} to {MAX_MINUTES} minutes"
        )
    bank = catalog.question_bank
    categories = round_categories(bank, role.id)
    if not categories:
        raise UserError(f"there are no interview questions for the role '{role.id}' yet")
    rng = random.Random(seed)
    seen = set(asked)
    share = minutes / len(categories)
    rounds: list[InterviewRound] = []
    for category in categories:
        pool = [q for q in _role_questions(bank, role.id) if q.category == category]
        pool.sort(key=lambda q: q.id)
        rng.shuffle(pool)
        pool.sort(key=lambda q: (q.type != "interview", q.id in seen))
        items: list[InterviewItem] = []
        left = share
        for q in pool:
            need = QUESTION_MINUTES[q.type]
            if items and need > left:
                continue
            items.append(InterviewItem(q.id, category, min(need, share) if not items else need))
            left -= need
            if left <= 0:
                break
        rounds.append(
            InterviewRound(category, CATEGORY_TITLES.get(category, category), share, tuple(items))
        )
    return InterviewLoop(role.id, minutes, tuple(rounds))


def _skill_names(catalog: Catalog) -> dict[tuple[str, ...], str]:
    names: dict[tuple[str, ...], str] = {}
    for label, skill_id in catalog.alias_index.items():
        if len(label) >= MIN_ALIAS_CHARS:
            names[tuple(re.findall(r"[a-z0-9+#]+", label))] = skill_id
    return names


def skills_behind(
    points: Sequence[str], question: QuizQuestion, catalog: Catalog
) -> tuple[str, ...]:
    """The skills a list of missed rubric points is about: the skills named in a point, or the
    question's own skills when a point names none. First named first, each once."""
    if not points:
        return ()
    names = _skill_names(catalog)
    longest = max((len(k) for k in names), default=1)
    found: list[str] = []
    for point in points:
        words = re.findall(r"[a-z0-9+#]+", point.casefold())
        named: list[str] = []
        i = 0
        while i < len(words):
            for n in range(min(longest, len(words) - i), 0, -1):
                skill_id = names.get(tuple(words[i : i + n]))
                if skill_id is not None:
                    named.append(skill_id)
                    i += n
                    break
            else:
                i += 1
        found.extend(named or question.skills)
    return tuple(dict.fromkeys(s for s in found if s in catalog.skills))


def review_answer(
    question: QuizQuestion,
    answer: str,
    seconds: float,
    allotted_seconds: float,
    catalog: Catalog,
) -> AnswerFeedback:
    """Grade one answer against the question's rubric and say what to study next."""
    grade = grade_answer(question.question, question.reference, answer, list(question.rubric))
    missed = tuple(grade.missed)
    return AnswerFeedback(
        question_id=question.id,
        category=question.category,
        answer=answer,
        seconds=max(0.0, seconds),
        allotted_seconds=allotted_seconds,
        score=grade.score,
        score_5=round(grade.score_5, 2),
        covered=tuple(grade.covered),
        missed=missed,
        model_answer=question.reference,
        study_next=skills_behind(missed, question, catalog),
        feedback=grade.feedback,
    )


def study_next(feedback: Iterable[AnswerFeedback]) -> tuple[str, ...]:
    """The skills to revise after a whole mock, the weakest answers' skills first."""
    ranked = sorted(feedback, key=lambda f: f.score)
    return tuple(dict.fromkeys(s for f in ranked for s in f.study_next))


def add_study_blocks(
    plan: Plan,
    skills: Sequence[str],
    catalog: Catalog,
    today: date,
    hours_each: float = STUDY_HOURS_PER_SKILL,
) -> Plan:
    """The plan with a revision block for each skill, in the first weeks from `today` with
    room left in their budget; skills that fit nowhere get extra weeks at the end, so the
    weekly budget is never broken (the finish moves instead, and a note says why)."""
    weeks = list(plan.weeks)
    already = {
        b.ref_id for w in weeks if w.end >= today for b in w.blocks if b.kind == "interview-prep"
    }
    wanted = [s for s in dict.fromkeys(skills) if s not in already]
    if not wanted:
        return plan
    added_weeks = 0
    for skill_id in wanted:
        block = PlanBlock(
            kind="interview-prep",
            ref_id=skill_id,
            title=f"Revise {catalog.skill(skill_id).name} (missed in a mock interview)",
            hours=hours_each,
            phase="Interview preparation",
            completes=True,
        )
        for index, week in enumerate(weeks):
            if week.end < today or not week.available:
                continue
            if week.hours_budget - week.hours >= hours_each - 1e-9:
                weeks[index] = week.model_copy(update={"blocks": (*week.blocks, block)})
                break
        else:
            this_monday = today - timedelta(days=today.weekday())
            start = max(weeks[-1].end + timedelta(days=1), this_monday) if weeks else this_monday
            weeks.append(
                PlanWeek(
                    index=len(weeks),
                    start=start,
                    end=start + timedelta(days=6),
                    available=True,
                    hours_budget=plan.hours_per_week,
                    blocks=(block,),
                )
            )
            added_weeks += 1
    notes = list(plan.notes)
    note = f"Revision added after a mock interview: {', '.join(wanted)}"
    if added_weeks:
        note += f" ({added_weeks} week{'s' if added_weeks != 1 else ''} added at the end)"
    notes.append(note)
    finish = max(plan.finish, weeks[-1].end) if weeks else plan.finish
    return plan.model_copy(
        update={
            "weeks": tuple(weeks),
            "finish": finish,
            "total_hours": round(plan.total_hours + hours_each * len(wanted), 1),
            "notes": tuple(notes),
        }
    )
