"""`mlpivot interview`: a timed mock interview loop for a role, graded answer by answer.

The clock is read here at the edge: `--now` (or the real time) stamps the session, and the
seconds each answer took come from a monotonic clock passed into the loop, or from the answers
file in the non-interactive form (`--answers FILE`), so scripts and tests replay a mock exactly.
"""

from __future__ import annotations

import json
import time
from collections.abc import Callable, Sequence
from datetime import datetime, timedelta
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import click
import typer

from mlpivot.cli.context import CliState, state
from mlpivot.cli.output import console, print_json
from mlpivot.cli.quiz_cmd import NowOpt, _now
from mlpivot.errors import UserError

if TYPE_CHECKING:
    from mlpivot.engine.interview import AnswerFeedback, InterviewLoop

JsonOpt = Annotated[bool, typer.Option("--json", help="Print JSON instead of text.")]
MAX_ANSWERS_BYTES = 2_000_000

interview_app = typer.Typer(
    help="Practise a real interview loop for a role, with feedback on every answer.",
    invoke_without_command=True,
)


def register(app: typer.Typer) -> None:
    app.add_typer(interview_app, name="interview")


@interview_app.callback()
def interview(
    ctx: typer.Context,
    role: Annotated[
        str | None, typer.Option("--role", help="The role to interview for, e.g. ml-engineer.")
    ] = None,
    minutes: Annotated[
        int, typer.Option("--minutes", help="How long the whole loop runs (10 to 240).")
    ] = 45,
    answers: Annotated[
        Path | None,
        typer.Option(
            "--answers",
            help="Answer from a JSON file instead of the terminal: a list of answers, each a "
            'string or {"answer": "...", "seconds": 300}, in the order of the loop.',
        ),
    ] = None,
    seed: Annotated[
        int | None, typer.Option("--seed", help="Pick the same questions again (a replay).")
    ] = None,
    show: Annotated[
        bool, typer.Option("--show", help="Only show the loop's questions; ask nothing.")
    ] = False,
    add_to_plan: Annotated[
        bool,
        typer.Option(
            "--add-to-plan", help="Add the skills behind missed points to your followed plan."
        ),
    ] = False,
    now: NowOpt = None,
    as_json: JsonOpt = False,
) -> None:
    """Run a mock interview; each answer gets a score of 0 to 5, the points covered and
    missed, the model answer and what to study next."""
    if ctx.invoked_subcommand is not None:
        return
    from mlpivot.engine.interview import build_loop

    cli = state(ctx)
    if role is None:
        raise UserError("say which role to interview for: `mlpivot interview --role ml-engineer`")
    moment = _now(now)
    given = _read_answers(answers) if answers is not None else None
    asked = _asked(cli)
    loop = build_loop(
        cli.catalog,
        cli.catalog.role(role).id,
        minutes,
        seed if seed is not None else int(moment.timestamp()),
        asked,
    )
    if show:
        _show(cli, loop, as_json)
        return
    if given is None and as_json:
        raise UserError("--json needs --answers FILE (or --show): the terminal form asks aloud")
    feedback, public_id = _run(cli, loop, moment, given, time.monotonic, quiet=as_json)
    _finish(cli, loop, feedback, public_id, moment, add_to_plan, interactive=given is None,
            as_json=as_json)  # fmt: skip


def _asked(cli: CliState) -> set[str]:
    from mlpivot.store.repositories import Interviews

    with cli.services.local() as (session, user):
        return {a.feedback.question_id for i in Interviews(session, user).all() for a in i.answers}


def _read_answers(path: Path) -> list[tuple[str, float | None]]:
    """The answers file, checked whole before anything is asked or stored."""
    if path.stat().st_size > MAX_ANSWERS_BYTES:
        raise UserError(f"{path}: an answers file is at most {MAX_ANSWERS_BYTES // 1_000_000} MB")
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (json.JSONDecodeError, UnicodeDecodeError) as exc:
        raise UserError(f"{path}: not JSON ({exc})") from None
    if not isinstance(data, list):
        raise UserError(f"{path}: expected a list of answers")
    found: list[tuple[str, float | None]] = []
    for index, item in enumerate(data):
        if isinstance(item, str):
            found.append((item, None))
            continue
        if not isinstance(item, dict) or not isinstance(item.get("answer"), str):
            raise UserError(f'{path}: answer {index + 1}: give a string or {{"answer": "..."}}')
        seconds = item.get("seconds")
        if seconds is not None and (
            isinstance(seconds, bool) or not isinstance(seconds, int | float) or seconds < 0
        ):
            raise UserError(f"{path}: answer {index + 1}: seconds must be a number, 0 or more")
        found.append((item["answer"], None if seconds is None else float(seconds)))
    return found


def _show(cli: CliState, loop: InterviewLoop, as_json: bool) -> None:
    bank = cli.catalog.question_bank
    if as_json:
        print_json(_loop_data(cli, loop))
        return
    _print_loop(cli, loop)
    number = 0
    for round_ in loop.rounds:
        for item in round_.items:
            number += 1
            console.print(
                f"{number}. [{round_.title}] {bank[item.question_id].question}",
                highlight=False,
                markup=False,
            )


def _loop_data(cli: CliState, loop: InterviewLoop) -> dict[str, Any]:
    bank = cli.catalog.question_bank
    return {
        "role_id": loop.role_id,
        "minutes": loop.minutes,
        "rounds": [
            {
                "category": r.category,
                "title": r.title,
                "minutes": round(r.minutes, 1),
                "questions": [
                    {
                        "question_id": i.question_id,
                        "question": bank[i.question_id].question,
                        "minutes": i.minutes,
                    }
                    for i in r.items
                ],
            }
            for r in loop.rounds
        ],
    }


def _print_loop(cli: CliState, loop: InterviewLoop) -> None:
    name = cli.catalog.role(loop.role_id).name
    parts = ", ".join(f"{r.title} ({r.minutes:.0f} min)" for r in loop.rounds)
    console.print(
        f"Mock interview for {name}, {loop.minutes} minutes in {len(loop.rounds)} rounds: {parts}.",
        highlight=False,
        markup=False,
    )


def _run(
    cli: CliState,
    loop: InterviewLoop,
    start: datetime,
    given: list[tuple[str, float | None]] | None,
    clock: Callable[[], float],
    *,
    quiet: bool,
) -> tuple[list[AnswerFeedback], str]:
    """Ask (or read) every answer, grade it, store it at once and say the feedback."""
    from mlpivot.engine.interview import review_answer
    from mlpivot.store.repositories import Interviews

    bank = cli.catalog.question_bank
    with cli.services.local() as (session, user):
        public_id = Interviews(session, user).start(loop.role_id, loop.minutes, start)
    if not quiet:
        _print_loop(cli, loop)
        if given is None:
            console.print(
                "Answer in your own words; a line with just a full stop (.) ends an answer, "
                "q stops the interview.\n"
            )
    began = clock()
    elapsed = 0.0
    feedback: list[AnswerFeedback] = []
    items = loop.items
    titles = {r.category: r.title for r in loop.rounds}
    for number, item in enumerate(items, 1):
        question = bank[item.question_id]
        allotted = item.minutes * 60
        if given is not None:
            if number > len(given):
                break
            text, seconds = given[number - 1]
            seconds = allotted if seconds is None else seconds
        else:
            console.print(
                f"[bold]{number}/{len(items)} {titles[item.category]} "
                f"(about {item.minutes:.0f} min)[/bold]\n{question.question}",
                highlight=False,
            )
            asked_at = clock()
            typed = _ask()
            if typed is None:
                break
            text, seconds = typed, clock() - asked_at
        elapsed += seconds
        result = review_answer(question, text, seconds, allotted, cli.catalog)
        when = start + timedelta(seconds=elapsed if given is not None else clock() - began)
        with cli.services.local() as (session, user):
            Interviews(session, user).record(public_id, number, question.question, result, when)
        feedback.append(result)
        if not quiet:
            _say(cli, result)
    end = start + timedelta(seconds=elapsed if given is not None else clock() - began)
    with cli.services.local() as (session, user):
        Interviews(session, user).finish(public_id, end)
    return feedback, public_id


def _ask() -> str | None:
    """Lines until a lone full stop; None when the person stops (q, or the input ends)."""
    lines: list[str] = []
    while True:
        try:
            line = str(click.prompt("", prompt_suffix="> ", default="", show_default=False))
        except click.Abort:
            console.print()
            return None if not lines else "\n".join(lines)
        if not lines and line.strip().casefold() in {"q", "quit"}:
            return None
        if line.strip() == ".":
            return "\n".join(lines)
        lines.append(line)


def _minutes(seconds: float) -> str:
    whole = round(seconds)
    return f"{whole // 60}:{whole % 60:02d}"


def _say(cli: CliState, result: AnswerFeedback) -> None:
    def plain(text: str) -> None:
        console.print(text, highlight=False, markup=False)

    timing = f"{_minutes(result.seconds)} of {_minutes(result.allotted_seconds)} allowed"
    if result.over_time:
        timing += " (over time: in a real interview, say the main points first)"
    plain(f"Score {result.score_5:.1f} of 5; took {timing}.")
    for point in result.covered:
        plain(f"  + covered: {point}")
    for point in result.missed:
        plain(f"  - missed: {point}")
    plain(f"Model answer: {result.model_answer}")
    if result.study_next:
        names = ", ".join(cli.catalog.skill(s).name for s in result.study_next)
        plain(f"Study next: {names}")
    console.print()


def _finish(
    cli: CliState,
    loop: InterviewLoop,
    feedback: Sequence[AnswerFeedback],
    public_id: str,
    moment: datetime,
    add_to_plan: bool,
    *,
    interactive: bool,
    as_json: bool,
) -> None:
    from mlpivot.engine.interview import study_next

    skills = study_next(feedback)
    mean = sum(f.score_5 for f in feedback) / len(feedback) if feedback else None
    names = [cli.catalog.skill(s).name for s in skills]
    if not as_json:
        if mean is None:
            console.print("Stopped before the first answer; nothing to grade.")
        else:
            console.print(
                f"Mock interview {public_id}: {len(feedback)} of {len(loop.items)} answered, "
                f"mean score {mean:.1f} of 5.",
                highlight=False,
            )
        if names:
            console.print(f"To study next: {', '.join(names)}.", highlight=False, markup=False)
        if skills and not add_to_plan and interactive:
            add_to_plan = _yes("Add these skills to your followed plan? (y/n)")
    added: str | None = None
    if skills and add_to_plan:
        added = _add_to_plan(cli, skills, moment)
        if not as_json:
            console.print(added, highlight=False, markup=False)
    if as_json:
        print_json(
            {
                "interview_id": public_id,
                "loop": _loop_data(cli, loop),
                "answers": [_feedback_data(f) for f in feedback],
                "mean_score_5": mean,
                "study_next": list(skills),
                "plan": added,
            }
        )


def _feedback_data(f: AnswerFeedback) -> dict[str, Any]:
    return {
        "question_id": f.question_id,
        "category": f.category,
        "answer": f.answer,
        "seconds": f.seconds,
        "allotted_seconds": f.allotted_seconds,
        "over_time": f.over_time,
        "score": f.score,
        "score_5": f.score_5,
        "covered": list(f.covered),
        "missed": list(f.missed),
        "model_answer": f.model_answer,
        "study_next": list(f.study_next),
        "feedback": f.feedback,
    }


def _yes(question: str) -> bool:
    while True:
        try:
            answer = str(click.prompt(question, default="", show_default=False)).strip()
        except click.Abort:
            console.print()
            return False
        if answer.casefold() in {"y", "yes"}:
            return True
        if answer.casefold() in {"", "n", "no", "q"}:
            return False


def _add_to_plan(cli: CliState, skills: Sequence[str], moment: datetime) -> str:
    """Revision blocks for `skills` in the followed plan, saved as its next version."""
    from mlpivot.cli.plan_cmd import _read_plan
    from mlpivot.engine.interview import add_study_blocks
    from mlpivot.store.repositories import Plans

    with cli.services.local() as (session, user):
        plans = Plans(session, user)
        stored = plans.current()
        if stored is None:
            return (
                "You follow no plan yet: save one (`mlpivot plan --role ROLE --save`) and the "
                "skills can be added to it."
            )
        before = _read_plan(stored)
        after = add_study_blocks(before, skills, cli.catalog, moment.date())
        if after == before:
            return "Your followed plan already has revision for these skills."
        saved = plans.add(stored.role_id, after.model_dump(mode="json"))
    return f"Added revision of {len(skills)} skills to your plan (version {saved.version})."


@interview_app.command("list")
def list_interviews(ctx: typer.Context, as_json: JsonOpt = False) -> None:
    """Your mock interviews, oldest first, with their mean scores."""
    from mlpivot.store.repositories import Interviews

    cli = state(ctx)
    with cli.services.local() as (session, user):
        found = Interviews(session, user).all()
    rows = [
        {
            "interview_id": i.public_id,
            "role_id": i.role_id,
            "started_at": i.started_at,
            "minutes": i.minutes,
            "answers": len(i.answers),
            "mean_score_5": i.mean_score_5,
        }
        for i in found
    ]
    if as_json:
        print_json(rows)
        return
    if not rows:
        console.print("No mock interviews yet: `mlpivot interview --role ml-engineer`.")
        return
    for i in found:
        mean = f"mean {i.mean_score_5:.1f} of 5" if i.mean_score_5 is not None else "no answers"
        console.print(
            f"{i.public_id}  {i.started_at:%Y-%m-%d}  {i.role_id}  "
            f"{len(i.answers)} answers, {mean}",
            highlight=False,
        )


@interview_app.command("show")
def show_interview(
    ctx: typer.Context,
    interview_id: Annotated[str, typer.Argument(help="The id `interview list` shows.")],
    as_json: JsonOpt = False,
) -> None:
    """One mock interview's answers and feedback, as they were given."""
    from mlpivot.store.repositories import Interviews

    cli = state(ctx)
    with cli.services.local() as (session, user):
        found = Interviews(session, user).get(interview_id)
    if as_json:
        print_json(
            {
                "interview_id": found.public_id,
                "role_id": found.role_id,
                "minutes": found.minutes,
                "started_at": found.started_at,
                "finished_at": found.finished_at,
                "mean_score_5": found.mean_score_5,
                "answers": [
                    {"question": a.question, "answered_at": a.answered_at}
                    | _feedback_data(a.feedback)
                    for a in found.answers
                ],
            }
        )
        return
    for number, a in enumerate(found.answers, 1):
        console.print(f"{number}. {a.question}", highlight=False, markup=False)
        console.print(f"Your answer: {a.feedback.answer}", highlight=False, markup=False)
        _say(cli, a.feedback)
