"""`mlpivot quiz`: spaced-repetition questions in the terminal, your own cards, leeches.

The clock is read once, here at the edge (or taken from `--now`), and passed down; the time an
answer took is measured with a monotonic clock and added to it, so a session's reviews are
stamped in order and a test can replay days by giving `--now`.
"""

from __future__ import annotations

import re
import time
from collections.abc import Sequence
from datetime import UTC, date, datetime
from typing import TYPE_CHECKING, Annotated, Any

import click
import typer

from mlpivot.cli.context import CliState, state
from mlpivot.cli.output import console, print_json
from mlpivot.errors import UserError

if TYPE_CHECKING:
    from mlpivot.catalog import Catalog
    from mlpivot.catalog.models import QuizQuestion
    from mlpivot.engine.review import Card, Rating

JsonOpt = Annotated[bool, typer.Option("--json", help="Print JSON instead of text.")]
NowOpt = Annotated[
    str | None,
    typer.Option(
        "--now",
        help="Pretend it is this time (YYYY-MM-DD, noon UTC, or an ISO date-time); for replays.",
    ),
]
QUIZ_TYPES = ("mcq", "short")
"""as engine.quiz_pool.QUIZ_TYPES (not imported here: start-up imports only what all need)"""
LETTERS = "ABCDEFGH"
SHORT_RIGHT_SCORE = 0.5
"""A short answer graded at or above this share of its points counts as right (overrulable)."""

quiz_app = typer.Typer(
    help="Practise with spaced repetition: due cards first, then new questions.",
    invoke_without_command=True,
)


def register(app: typer.Typer) -> None:
    app.add_typer(quiz_app, name="quiz")


def _now(text: str | None) -> datetime:
    if text is None:
        return datetime.now(UTC)
    try:
        if len(text) == 10:
            day = date.fromisoformat(text)
            return datetime(day.year, day.month, day.day, 12, tzinfo=UTC)
        moment = datetime.fromisoformat(text)
    except ValueError:
        raise UserError(
            f"--now {text!r} is not a date like 2027-03-01 or 2027-03-01T09:30"
        ) from None
    return moment.replace(tzinfo=UTC) if moment.tzinfo is None else moment.astimezone(UTC)


def _questions(cli: CliState, own: Sequence[dict[str, Any]]) -> dict[str, QuizQuestion]:
    from mlpivot.engine.quiz_pool import quiz_questions

    return quiz_questions(cli.catalog, own)


def _candidates(
    catalog: Catalog, questions: dict[str, QuizQuestion], skills: list[str], role: str | None
) -> list[str]:
    from mlpivot.engine.quiz_pool import quiz_candidates

    return quiz_candidates(catalog, questions, skills, role)


def _skill_id(catalog: Catalog, name: str) -> str:
    from mlpivot.engine.quiz_pool import skill_id

    return skill_id(catalog, name)


def _load(cli: CliState) -> tuple[dict[str, Card], list[Any], list[dict[str, Any]]]:
    from mlpivot.store.repositories import Cards

    with cli.services.local() as (session, user):
        cards = Cards(session, user)
        return cards.all(), cards.reviews(), cards.own_questions()


@quiz_app.callback()
def quiz(
    ctx: typer.Context,
    skill: Annotated[
        list[str] | None, typer.Option("--skill", help="Only questions on this skill (repeatable).")
    ] = None,
    role: Annotated[
        str | None, typer.Option("--role", help="Only questions for this role.")
    ] = None,
    kind: Annotated[
        str | None, typer.Option("--type", help="Only this type of question: mcq or short.")
    ] = None,
    due: Annotated[
        bool, typer.Option("--due", help="Only cards that are due; no new ones.")
    ] = False,
    new: Annotated[
        int | None,
        typer.Option(
            "--new", min=0, help="New questions a day, this time only (`quiz limits` saves yours)."
        ),
    ] = None,
    reviews: Annotated[
        int | None,
        typer.Option("--reviews", min=0, help="Reviews a day, this time only."),
    ] = None,
    now: NowOpt = None,
    as_json: JsonOpt = False,
) -> None:
    """Answer the questions that are due, then new ones. With --json: list what is due when."""
    if ctx.invoked_subcommand is not None:
        return
    from mlpivot.engine.review import DailyLimits, daily_counts, plan_session

    cli = state(ctx)
    moment = _now(now)
    cards, logs, own = _load(cli)
    saved = _saved_limits(cli)
    questions = _questions(cli, own)
    if kind is not None and kind not in QUIZ_TYPES:
        raise UserError(f"--type {kind!r}: choose mcq or short")
    candidates = [
        qid
        for qid in _candidates(cli.catalog, questions, skill or [], role)
        if kind is None or questions[qid].type == kind
    ]
    limits = DailyLimits(
        new=saved.new if new is None else new,
        reviews=saved.reviews if reviews is None else reviews,
    )
    done_today = daily_counts(logs, moment.date())
    session = plan_session(candidates, cards, moment, limits, done_today, due_only=due)
    if as_json:
        print_json(_listing(session, questions, cards, moment, limits, done_today))
        return
    if not session.questions:
        _nothing_to_do(session.later, done_today, limits)
        return
    _run(cli, session.questions, questions, cards, moment)


def _listing(
    session: Any,
    questions: dict[str, QuizQuestion],
    cards: dict[str, Card],
    moment: datetime,
    limits: Any,
    done_today: tuple[int, int],
) -> dict[str, Any]:
    def item(qid: str) -> dict[str, Any]:
        q = questions[qid]
        card = cards.get(qid)
        return {
            "question_id": qid,
            "type": q.type,
            "skills": list(q.skills),
            "question": q.question,
            "due": card.due if card else None,
            "reviews": card.reviews if card else 0,
            "lapses": card.lapses if card else 0,
        }

    return {
        "now": moment,
        "limits": {"new": limits.new, "reviews": limits.reviews},
        "done_today": {"new": done_today[0], "reviews": done_today[1]},
        "due": [item(q) for q in session.due],
        "new": [item(q) for q in session.new],
        "later": [{"question_id": q, "due": when} for q, when in session.later],
    }


def _nothing_to_do(
    later: Sequence[tuple[str, datetime]], done_today: tuple[int, int], limits: Any
) -> None:
    if later:
        console.print(f"Nothing is due now; the next card is due {later[0][1]:%Y-%m-%d %H:%M} UTC.")
    else:
        console.print("Nothing to ask: no card is due and no new question matches.")
    if done_today[0] >= limits.new:
        console.print(
            f"You have met today's limit of {limits.new} new questions "
            "(`mlpivot quiz limits --new N` changes it)."
        )
    if limits.reviews and done_today[1] >= limits.reviews:
        console.print(
            f"You have met today's limit of {limits.reviews} reviews "
            "(`mlpivot quiz limits --reviews N` changes it)."
        )


def _run(
    cli: CliState,
    order: Sequence[str],
    questions: dict[str, QuizQuestion],
    cards: dict[str, Card],
    start: datetime,
) -> None:
    from datetime import timedelta

    from mlpivot.engine.review import new_card, rate_answer, review_card
    from mlpivot.store.repositories import Cards

    clock = time.monotonic()
    answered = right = 0
    console.print(f"{len(order)} questions. Type q to stop at any prompt.\n")
    for number, qid in enumerate(order, 1):
        q = questions[qid]
        console.print(f"[bold]{number}. {q.question}[/bold]", highlight=False)
        outcome = _ask_mcq(q) if q.type == "mcq" else _ask_short(q)
        if outcome is None:
            break
        correct, seconds = outcome
        rating = _confirm_rating(rate_answer(correct, seconds, q.type))
        if rating is None:
            break
        when = start + timedelta(seconds=time.monotonic() - clock)
        card, review = review_card(
            cards.get(qid) or new_card(qid, start), rating, when, correct=correct, seconds=seconds
        )
        with cli.services.local() as (session, user):
            store = Cards(session, user)
            store.save(card)
            store.log(review)
        cards[qid] = card
        answered += 1
        right += int(correct)
        days = (card.due - when).total_seconds() / 86400
        again = f"in {days:.0f} days" if days >= 1 else "shortly"
        console.print(
            f"Rated {rating.name.title()}; you will see it again {again} "
            f"(due {card.due:%Y-%m-%dT%H:%M}).\n"
        )
        if card.is_leech:
            console.print(
                "This card keeps failing (a leech): study its skill again or reword it "
                "(`mlpivot quiz leeches`).\n"
            )
    console.print(f"Done: {right} of {answered} right.")
    if answered:
        touched = {s for qid in order[:answered] for s in questions[qid].skills}
        _record_mastery(
            cli, questions, touched, start + timedelta(seconds=time.monotonic() - clock)
        )


def _record_mastery(
    cli: CliState, questions: dict[str, QuizQuestion], touched: set[str], now: datetime
) -> None:
    """Say where the session's skills stand, and keep it as quiz evidence in the profile."""
    from mlpivot.bootstrap import record_quiz_mastery

    for line in record_quiz_mastery(cli.services, questions, touched, now):
        console.print(line, highlight=False, markup=False)


def _prompt(text: str) -> str | None:
    try:
        answer = str(click.prompt(text, default="", show_default=False)).strip()
    except click.Abort:  # end of input (Ctrl-D, or a piped file that ran out): stop here
        console.print()
        return None
    return None if answer.casefold() in {"q", "quit"} else answer


def _ask_mcq(q: QuizQuestion) -> tuple[bool, float] | None:
    """Whether the answer was right, and the seconds it took; None if the person stopped."""
    began = time.monotonic()
    letters = LETTERS[: len(q.options)]
    for letter, option in zip(letters, q.options, strict=False):
        console.print(f"  {letter}. {option.text}", highlight=False, markup=False)
    while True:
        answer = _prompt(f"Your answer ({letters[0]}-{letters[-1]})")
        if answer is None:
            return None
        if len(answer) == 1 and answer.upper() in letters:
            break
        console.print(f"Type one letter, {letters[0]} to {letters[-1]}.")
    seconds = time.monotonic() - began
    chosen = letters.index(answer.upper())
    right = q.correct_option or 0
    correct = chosen == right
    if correct:
        console.print(f"Right. {q.options[right].why}", highlight=False, markup=False)
    else:
        console.print(f"Not quite: {q.options[chosen].why}", highlight=False, markup=False)
        console.print(
            f"The answer is {letters[right]}. {q.options[right].text}: {q.options[right].why}",
            highlight=False,
            markup=False,
        )
    return correct, seconds


def _ask_short(q: QuizQuestion) -> tuple[bool, float] | None:
    """Graded against the reference and rubric by `grade_answer`; the person may overrule it."""
    from mlpivot.engine.grading import grade_answer

    began = time.monotonic()
    answer = _prompt("Your answer (one line; Enter when done)")
    if answer is None:
        return None
    seconds = time.monotonic() - began
    grade = grade_answer(q.question, q.reference, answer, list(q.rubric))
    graded = grade.score >= SHORT_RIGHT_SCORE
    console.print(f"Graded {grade.score_5:.1f} of 5.", highlight=False)
    console.print(f"Reference answer: {q.reference}", highlight=False, markup=False)
    if len(q.rubric) > 1 or q.rubric[0] != q.reference:
        console.print("A good answer:", highlight=False)
        for point in q.rubric:
            mark = "+" if point in grade.covered else "-"
            console.print(f"  {mark} {point}", highlight=False, markup=False)
    verdict_default = "yes" if graded else "no"
    while True:
        verdict = _prompt(f"Did your answer make these points? (y/n; Enter: {verdict_default})")
        if verdict is None:
            return None
        if not verdict:
            return graded, seconds
        if verdict.casefold() in {"y", "yes", "n", "no"}:
            return verdict.casefold().startswith("y"), seconds


def _confirm_rating(proposed: Rating) -> Rating | None:
    from mlpivot.engine.review import Rating

    while True:
        answer = _prompt(
            f"Rating: {proposed.name.title()} (Enter), or 1 Again, 2 Hard, 3 Good, 4 Easy"
        )
        if answer is None:
            return None
        if not answer:
            return proposed
        if answer in {"1", "2", "3", "4"}:
            return Rating(int(answer))
        console.print("Press Enter, or type 1, 2, 3 or 4.")


def _own_id(text: str, taken: set[str]) -> str:
    slug = "-".join(re.findall(r"[a-z0-9]+", text.casefold()))[:60].strip("-") or "card"
    base = f"mine-{slug}"
    found, n = base, 1
    while found in taken:
        n += 1
        found = f"{base}-{n}"
    return found


def _saved_limits(cli: CliState) -> Any:
    from mlpivot.store.repositories import PracticeSettings

    with cli.services.local() as (session, user):
        return PracticeSettings(session, user).limits()


@quiz_app.command("limits")
def set_limits(
    ctx: typer.Context,
    new: Annotated[
        int | None, typer.Option("--new", min=0, max=1000, help="New questions a day.")
    ] = None,
    reviews: Annotated[
        int | None, typer.Option("--reviews", min=0, max=10000, help="Reviews a day.")
    ] = None,
    as_json: JsonOpt = False,
) -> None:
    """Show your daily limits for new questions and reviews, or save new ones."""
    from mlpivot.engine.review import DailyLimits
    from mlpivot.store.repositories import PracticeSettings

    cli = state(ctx)
    with cli.services.local() as (session, user):
        store = PracticeSettings(session, user)
        limits = store.limits()
        if new is not None or reviews is not None:
            limits = store.save(
                DailyLimits(
                    new=limits.new if new is None else new,
                    reviews=limits.reviews if reviews is None else reviews,
                )
            )
    if as_json:
        print_json({"new": limits.new, "reviews": limits.reviews})
        return
    verb = "Saved" if new is not None or reviews is not None else "Your"
    console.print(
        f"{verb} daily limits: {limits.new} new questions and {limits.reviews} reviews a day."
    )


@quiz_app.command("add")
def add_card(
    ctx: typer.Context,
    question: Annotated[str, typer.Argument(help="The question, in your own words.")],
    answer: Annotated[str, typer.Argument(help="The answer you want to recall.")],
    skill: Annotated[list[str], typer.Option("--skill", help="The skill it checks (repeatable).")],
    now: NowOpt = None,
    as_json: JsonOpt = False,
) -> None:
    """Add a card of your own; it is scheduled like the others and counts for its skills."""
    from mlpivot.engine.review import new_card
    from mlpivot.store.repositories import Cards

    cli = state(ctx)
    catalog = cli.catalog
    if not question.strip() or not answer.strip():
        raise UserError("a card needs a question and an answer")
    skills = [catalog.skill(_skill_id(catalog, s)).id for s in skill]
    moment = _now(now)
    with cli.services.local() as (session, user):
        cards = Cards(session, user)
        taken = set(cards.all()) | set(catalog.question_bank)
        qid = _own_id(question, taken)
        data = {"id": qid, "question": question.strip(), "answer": answer.strip()}
        cards.add_own(new_card(qid, moment), {**data, "skills": skills})
    if as_json:
        print_json({**data, "skills": skills})
        return
    console.print(f"Added your card {qid}; it is due now (`mlpivot quiz`).")


@quiz_app.command("leeches")
def show_leeches(ctx: typer.Context, as_json: JsonOpt = False) -> None:
    """Cards you keep failing: better studied again or reworded than reviewed again."""
    from mlpivot.engine.review import LEECH_LAPSES, leeches

    cli = state(ctx)
    cards, _, own = _load(cli)
    questions = _questions(cli, own)
    found = leeches(cards.values())
    rows: list[dict[str, Any]] = [
        {
            "question_id": c.question_id,
            "question": questions[c.question_id].question if c.question_id in questions else "",
            "skills": list(questions[c.question_id].skills) if c.question_id in questions else [],
            "lapses": c.lapses,
            "reviews": c.reviews,
        }
        for c in found
    ]
    if as_json:
        print_json(rows)
        return
    if not rows:
        console.print(f"No leeches: no card has been failed {LEECH_LAPSES} times.")
        return
    for row in rows:
        console.print(
            f"{row['question_id']}: failed {row['lapses']} times in {row['reviews']} answers "
            f"({', '.join(row['skills'])}). {row['question']}",
            highlight=False,
            markup=False,
        )
    console.print("Study the skill again (`mlpivot skill show ID`) or reword the card.")
