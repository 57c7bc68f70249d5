"""Practice in the browser: the spaced-repetition quiz and the mock interview, as the CLI has them.

Each answer is a form post; the time it took comes from when the page showed the question (a
hidden field the page carries, the person's own figure), so the server keeps no session state.
The quiz stores a review only when the person confirms or changes the proposed rating, as the
terminal quiz does.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from mlpivot.bootstrap import Services, record_quiz_mastery
from mlpivot.catalog.models import LEVEL_NAMES, QuizQuestion
from mlpivot.engine.grading import grade_answer
from mlpivot.engine.interview import (
    AnswerFeedback,
    InterviewLoop,
    add_study_blocks,
    build_loop,
    review_answer,
)
from mlpivot.engine.interview import study_next as interview_study_next
from mlpivot.engine.mastery import skill_mastery
from mlpivot.engine.plan_model import Plan
from mlpivot.engine.quiz_pool import quiz_candidates, quiz_questions
from mlpivot.engine.review import (
    Card,
    QuizSession,
    Rating,
    daily_counts,
    new_card,
    plan_session,
    rate_answer,
    review_card,
)
from mlpivot.errors import NotFoundError, UserError
from mlpivot.store.accounts import Account
from mlpivot.store.cohorts import Feedback
from mlpivot.store.repositories import (
    Cards,
    Interviews,
    Plans,
    PracticeSettings,
    StoredInterview,
)
from mlpivot.web.auth import UserDep
from mlpivot.web.deps import ServicesDep
from mlpivot.web.templating import templates

router = APIRouter()
LETTERS = "ABCDEFGH"
MAX_ANSWER_CHARS = 20_000
MINUTES = (10, 240)


def _now() -> datetime:
    return datetime.now(UTC)


def _seconds(raw: Any, now: datetime) -> float:
    """Seconds since the page showed the question (its hidden `shown_at`), 0 if unreadable."""
    try:
        shown = datetime.fromisoformat(str(raw))
    except ValueError:
        return 0.0
    if shown.tzinfo is None:
        return 0.0
    seconds = (now - shown).total_seconds()
    return seconds if math.isfinite(seconds) and 0 <= seconds < 86400 else 0.0


def quiz_state(
    services: Services, user: Account
) -> tuple[dict[str, QuizQuestion], dict[str, Any], Any]:
    """The person's questions (the bank and their own), cards and reviews, and daily limits."""
    with services.owned(user.id) as (session, owner):
        cards = Cards(session, owner)
        stored, logs, own = cards.all(), cards.reviews(), cards.own_questions()
        limits = PracticeSettings(session, owner).limits()
    return quiz_questions(services.catalog, own), {"cards": stored, "logs": logs}, limits


def quiz_sitting(
    services: Services, user: Account, now: datetime
) -> tuple[dict[str, QuizQuestion], QuizSession, tuple[int, int], Any]:
    """What to ask now: due cards first, then new ones, under today's limits (as `mlpivot quiz`)."""
    questions, state, limits = quiz_state(services, user)
    candidates = quiz_candidates(services.catalog, questions)
    done_today = daily_counts(state["logs"], now.date())
    return (
        questions,
        plan_session(candidates, state["cards"], now, limits, done_today),
        done_today,
        limits,
    )


@dataclass(frozen=True)
class CheckedAnswer:
    """Whether a quiz answer was right, the rating it earns, and what to show about it."""

    correct: bool
    proposed: Rating
    shown: dict[str, Any]


def check_quiz_answer(
    question: QuizQuestion, choice: str, answer: str, seconds: float
) -> CheckedAnswer:
    """Grade one quiz answer: an mcq by its letter, a short answer against its reference."""
    shown: dict[str, Any] = {}
    if question.type == "mcq":
        if not (len(choice) == 1 and choice in LETTERS[: len(question.options)]):
            raise UserError("pick one of the options, then press Check")
        index, right = LETTERS.index(choice), question.correct_option or 0
        correct = index == right
        shown |= {"chosen": question.options[index], "right": question.options[right]}
        shown["right_letter"] = LETTERS[right]
    else:
        answer = answer[:MAX_ANSWER_CHARS]
        grade = grade_answer(question.question, question.reference, answer, list(question.rubric))
        correct = grade.score >= 0.5
        shown |= {"grade": grade, "answer": answer}
    return CheckedAnswer(correct, rate_answer(correct, seconds, question.type), shown)


def store_quiz_review(
    services: Services,
    user: Account,
    question_id: str,
    rating: Rating,
    *,
    correct: bool,
    seconds: float,
    now: datetime,
) -> Card:
    """Schedule the card after this answer, log the review and update the skill mastery."""
    questions, state, _ = quiz_state(services, user)
    if question_id not in questions:
        raise NotFoundError("that question is not in your quiz any more; open the quiz again")
    card, review = review_card(
        state["cards"].get(question_id) or new_card(question_id, now),
        rating,
        now,
        correct=correct,
        seconds=seconds if math.isfinite(seconds) else 0.0,
    )
    with services.owned(user.id) as (session, owner):
        cards = Cards(session, owner)
        cards.save(card)
        cards.log(review)
    record_quiz_mastery(services, questions, set(questions[question_id].skills), now, user.id)
    return card


@router.get("/quiz", response_class=HTMLResponse)
def quiz_page(request: Request, services: ServicesDep, user: UserDep) -> HTMLResponse:
    now = _now()
    questions, session, done_today, limits = quiz_sitting(services, user, now)
    question = questions[session.questions[0]] if session.questions else None
    return templates.TemplateResponse(
        request,
        "quiz.html",
        {
            "question": question,
            "letters": LETTERS,
            "due": len(session.due),
            "new": len(session.new),
            "next_due": session.later[0][1] if session.later else None,
            "limits": limits,
            "done_today": done_today,
            "shown_at": now.isoformat(),
        },
    )


@router.post("/quiz/answer", response_class=HTMLResponse)
async def quiz_answer(request: Request, services: ServicesDep, user: UserDep) -> HTMLResponse:
    """Say whether the answer was right and propose a rating; nothing is stored yet."""
    form = await request.form()
    now = _now()
    questions, _, _ = quiz_state(services, user)
    qid = str(form.get("question_id", ""))
    question = questions.get(qid)
    if question is None:
        raise NotFoundError("that question is not in your quiz any more; open the quiz again")
    seconds = _seconds(form.get("shown_at"), now)
    checked = check_quiz_answer(
        question, str(form.get("choice", "")), str(form.get("answer", "")), seconds
    )
    context: dict[str, Any] = {"question": question, "letters": LETTERS, "seconds": seconds}
    context |= checked.shown
    context |= {"correct": checked.correct, "proposed": checked.proposed}
    context["ratings"] = list(Rating)
    return templates.TemplateResponse(request, "quiz_result.html", context)


@router.post("/quiz/rate", response_model=None)
async def quiz_rate(request: Request, services: ServicesDep, user: UserDep) -> Response:
    """Store the review with the rating the person confirmed, then the next question."""
    form = await request.form()
    try:
        rating = Rating(int(str(form.get("rating", ""))))
        seconds = max(0.0, float(str(form.get("seconds", "0"))))
    except ValueError:
        raise UserError("choose one of the four ratings") from None
    store_quiz_review(
        services,
        user,
        str(form.get("question_id", "")),
        rating,
        correct=form.get("correct") == "1",
        seconds=seconds,
        now=_now(),
    )
    return RedirectResponse("/quiz", status_code=303)


@router.get("/quiz/mastery", response_class=HTMLResponse)
def quiz_mastery(request: Request, services: ServicesDep, user: UserDep) -> HTMLResponse:
    questions, state, _ = quiz_state(services, user)
    skills_of = {qid: q.skills for qid, q in questions.items()}
    found = skill_mastery(state["cards"], state["logs"], skills_of, _now())
    catalog = services.catalog
    rows = sorted(
        (m.describe(catalog.skill(s).name) for s, m in found.items() if s in catalog.skills),
    )
    return templates.TemplateResponse(request, "quiz_mastery.html", {"rows": rows})


def interview_loop(
    services: Services, user: Account, public_id: str
) -> tuple[StoredInterview, InterviewLoop]:
    """A stored mock and its loop, rebuilt from its start time (the seed) and the mocks before
    it (the questions already asked), so the same questions come back on every page."""
    with services.owned(user.id) as (session, owner):
        store = Interviews(session, owner)
        mock = store.get(public_id)
        earlier = [m for m in store.all() if m.started_at < mock.started_at]
    asked = {a.feedback.question_id for m in earlier for a in m.answers}
    loop = build_loop(
        services.catalog, mock.role_id, mock.minutes, int(mock.started_at.timestamp()), asked
    )
    return mock, loop


def start_interview(services: Services, user: Account, role_id: str, minutes: int) -> str:
    """A new mock interview for a role; its questions follow from its start time."""
    role = services.catalog.role(role_id).id
    now = _now().replace(microsecond=0)
    build_loop(services.catalog, role, minutes, int(now.timestamp()))  # refuses bad minutes
    with services.owned(user.id) as (session, owner):
        return Interviews(session, owner).start(role, minutes, now)


def answer_interview(
    services: Services,
    user: Account,
    public_id: str,
    question_id: str,
    answer: str,
    seconds: float,
    *,
    stop: bool,
    now: datetime,
) -> AnswerFeedback | None:
    """Grade and keep the answer to the mock's current question; None when `question_id` is
    not that question (a stale tab, a finished mock): nothing is stored then."""
    mock, loop = interview_loop(services, user, public_id)
    number = len(mock.answers) + 1
    if mock.finished_at is not None or number > len(loop.items):
        return None
    item = loop.items[number - 1]
    if question_id != item.question_id:
        return None
    question = services.catalog.question_bank[item.question_id]
    result = review_answer(
        question, answer[:MAX_ANSWER_CHARS], seconds, item.minutes * 60, services.catalog
    )
    with services.owned(user.id) as (session, owner):
        store = Interviews(session, owner)
        store.record(public_id, number, question.question, result, now)
        if number == len(loop.items) or stop:
            store.finish(public_id, now)
    return result


@router.get("/interview", response_class=HTMLResponse)
def interview_start_page(request: Request, services: ServicesDep, user: UserDep) -> HTMLResponse:
    catalog = services.catalog
    roles = [r for r in catalog.roles.values() if r.kind == "target"]
    with services.owned(user.id) as (session, owner):
        past = Interviews(session, owner).all()
    return templates.TemplateResponse(
        request,
        "interview_start.html",
        {"roles": roles, "past": list(reversed(past)), "minutes": MINUTES},
    )


@router.post("/interview", response_model=None)
async def interview_start(request: Request, services: ServicesDep, user: UserDep) -> Response:
    form = await request.form()
    try:
        minutes = int(str(form.get("minutes", "45")))
    except ValueError:
        raise UserError(
            f"minutes must be a whole number from {MINUTES[0]} to {MINUTES[1]}"
        ) from None
    public_id = start_interview(services, user, str(form.get("role", "")), minutes)
    return RedirectResponse(f"/interview/{public_id}", status_code=303)


@router.get("/interview/{public_id}", response_class=HTMLResponse)
def interview_page(
    request: Request, services: ServicesDep, user: UserDep, public_id: str
) -> HTMLResponse:
    mock, loop = interview_loop(services, user, public_id)
    with services.unit_of_work() as session:
        by_answer = Feedback(session, user).on_interviews()
    reviewed = [(a, by_answer[a.public_id]) for a in mock.answers if a.public_id in by_answer]
    catalog = services.catalog
    items = loop.items
    answered = len(mock.answers)
    titles = {r.category: r.title for r in loop.rounds}
    current = items[answered] if answered < len(items) and mock.finished_at is None else None
    study = interview_study_next(a.feedback for a in mock.answers)
    return templates.TemplateResponse(
        request,
        "interview.html",
        {
            "mock": mock,
            "role": catalog.role(mock.role_id),
            "mock_loop": loop,
            "round_titles": ", ".join(f"{r.title} ({r.minutes:.0f} min)" for r in loop.rounds),
            "number": answered + 1,
            "item": current,
            "title": titles.get(current.category, "") if current else "",
            "question": catalog.question_bank[current.question_id] if current else None,
            "last": mock.answers[-1] if mock.answers else None,
            "last_study": [
                catalog.skill(s).name
                for s in (mock.answers[-1].feedback.study_next if mock.answers else ())
            ],
            "study": [catalog.skill(s).name for s in study],
            "shown_at": _now().isoformat(),
            "levels": LEVEL_NAMES,
            "reviewed": reviewed,
        },
    )


@router.post("/interview/{public_id}/answer", response_model=None)
async def interview_answer(
    request: Request, services: ServicesDep, user: UserDep, public_id: str
) -> Response:
    form = await request.form()
    now = _now()
    answer_interview(
        services,
        user,
        public_id,
        str(form.get("question_id", "")),
        str(form.get("answer", "")),
        _seconds(form.get("shown_at"), now),
        stop=form.get("stop") is not None,
        now=now,
    )
    return RedirectResponse(f"/interview/{public_id}#feedback", status_code=303)


@router.post("/interview/{public_id}/plan", response_model=None)
def interview_to_plan(services: ServicesDep, user: UserDep, public_id: str) -> Response:
    """The skills behind the missed points, as revision blocks in the followed plan."""
    mock, _ = interview_loop(services, user, public_id)
    skills = interview_study_next(a.feedback for a in mock.answers)
    with services.owned(user.id) as (session, owner):
        plans = Plans(session, owner)
        stored = plans.current()
        if stored is None:
            return RedirectResponse("/fit", status_code=303)
        before = Plan.model_validate(stored.data)
        after = add_study_blocks(before, skills, services.catalog, _now().date())
        if after != before:
            plans.add(stored.role_id, after.model_dump(mode="json"))
    return RedirectResponse("/plan", status_code=303)
