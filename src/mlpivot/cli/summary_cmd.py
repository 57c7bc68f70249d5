"""`mlpivot summary --week`: the week's hours, reviews, mock interviews, mastery and streak,
what comes next, and the guidance the person's own record calls for (with a lighter plan
when they have fallen well behind)."""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING, Annotated, Any

import typer

from mlpivot.cli.context import CliState, state
from mlpivot.cli.options import parse_date
from mlpivot.cli.output import console, print_json
from mlpivot.errors import UserError

if TYPE_CHECKING:
    from mlpivot.engine.encouragement import Guidance, LighterPlan, PracticeFacts
    from mlpivot.engine.plan_model import Plan
    from mlpivot.engine.summary import WeeklySummary

JsonOpt = Annotated[bool, typer.Option("--json", help="Print JSON instead of text.")]


def register(app: typer.Typer) -> None:
    app.command("summary")(summary)


def summary(
    ctx: typer.Context,
    week: Annotated[
        bool, typer.Option("--week", help="This week, Monday to today (the only span so far).")
    ] = True,
    today: Annotated[
        str | None, typer.Option("--today", help="Pretend today is this date (YYYY-MM-DD).")
    ] = None,
    take_lighter: Annotated[
        bool,
        typer.Option(
            "--take-lighter-plan",
            help="Save the lighter plan offered when you are weeks behind, and follow it.",
        ),
    ] = False,
    as_json: JsonOpt = False,
) -> None:
    """Your week: hours, reviews, mock interviews, mastery gained, streak and what is next."""
    from mlpivot.engine.encouragement import guidance, lighter_plan
    from mlpivot.engine.summary import weekly_summary

    del week  # a week is the only span for now; the flag reads as the command is meant
    cli = state(ctx)
    day = date.today() if today is None else parse_date(today, "--today")
    facts, plan, reviews, interviews, skills_of = _gather(cli, day)
    report = weekly_summary(day, facts.logs, reviews, interviews, skills_of, plan)
    advice = guidance(facts)
    lighter = lighter_plan(plan, facts.logs, day) if plan is not None else None
    lighter_finish = _lighter_finish(cli, plan, facts, lighter, save=take_lighter)
    if take_lighter and lighter is None:
        raise UserError("you are not weeks behind your plan: there is no lighter plan to take")
    if as_json:
        print_json(
            {
                "summary": report,
                "guidance": [_advice_data(cli, g) for g in advice],
                "lighter_plan": None
                if lighter is None
                else {
                    "hours_per_week": lighter.hours_per_week,
                    "behind_weeks": lighter.behind_weeks,
                    "reason": lighter.reason,
                    "finish": lighter_finish,
                    "saved": take_lighter,
                },
            }
        )
        return
    _print(cli, report)
    for item in advice:
        _print_advice(cli, item)
    if lighter is not None and plan is not None:
        _print_lighter(lighter, plan, lighter_finish, saved=take_lighter)


def _gather(
    cli: CliState, day: date
) -> tuple[PracticeFacts, Plan | None, list[Any], list[Any], dict[str, tuple[str, ...]]]:
    from mlpivot.bootstrap import find_stored_profile
    from mlpivot.cli.plan_cmd import _logs, _read_plan
    from mlpivot.engine.applications import parse_stage
    from mlpivot.engine.encouragement import PracticeFacts
    from mlpivot.engine.summary import InterviewDay, study_days
    from mlpivot.store.job_search import Applications
    from mlpivot.store.repositories import Cards, Interviews, Plans

    services = cli.services
    logs = _logs(services)
    with services.local() as (session, user):
        cards = Cards(session, user)
        reviews, own = cards.reviews(), cards.own_questions()
        mocks = Interviews(session, user).all()
        plans = Plans(session, user)
        current, history = plans.current(), plans.history()
        applications = Applications(session, user).all()
    plan = _read_plan(current) if current is not None else None
    interviews = [
        InterviewDay(m.started_at.date(), m.mean_score_5)
        for m in mocks
        if m.mean_score_5 is not None
    ]
    skills_of = {q.id: q.skills for q in cli.catalog.question_bank.values()}
    skills_of |= {d["id"]: tuple(d.get("skills", ())) for d in own}
    rejections = [
        e.on for a in applications for e in a.history if parse_stage(e.stage) == "rejected"
    ]
    found = find_stored_profile(services)
    self_levels: dict[str, int] = {}
    quiz_levels: dict[str, int] = {}
    if found is not None:
        for skill_id, evidence in found.profile.skills.items():
            for e in evidence:
                if e.source.value == "self":
                    self_levels[skill_id] = max(self_levels.get(skill_id, 0), e.level)
                elif e.source.value == "quiz":
                    quiz_levels[skill_id] = e.level
    facts = PracticeFacts(
        today=day,
        plan=plan,
        logs=logs,
        practice_days=frozenset(study_days(logs, reviews, interviews)),
        self_levels=self_levels,
        quiz_levels=quiz_levels,
        rejections=rejections,
        planned_roles=[(p.role_id, p.created_at.date()) for p in history],
    )
    return facts, plan, reviews, interviews, skills_of


def _lighter_finish(
    cli: CliState,
    plan: Plan | None,
    facts: PracticeFacts,
    lighter: LighterPlan | None,
    *,
    save: bool,
) -> date | None:
    """The lighter plan's finish (built as a re-plan from today); saved only on request."""
    if plan is None or lighter is None:
        return None
    from mlpivot.bootstrap import stored_profile
    from mlpivot.engine.plan import build_plan
    from mlpivot.engine.replan import replan_request
    from mlpivot.store.repositories import Plans

    request = replan_request(plan, facts.logs, facts.today, hours_per_week=lighter.hours_per_week)
    new_plan = build_plan(
        stored_profile(cli.services), cli.catalog, request, cli.services.market_signals
    )
    if save:
        with cli.services.local() as (session, user):
            Plans(session, user).add(new_plan.role_ids[0], new_plan.model_dump(mode="json"))
    return new_plan.finish


def _advice_data(cli: CliState, item: Guidance) -> dict[str, Any]:
    advice = cli.catalog.advice.get(item.advice_id)
    return {
        "advice_id": item.advice_id,
        "reason": item.reason,
        "title": advice.title if advice else item.advice_id,
        "description": advice.description if advice else "",
        "actions": list(advice.actions) if advice else [],
    }


def _plain(text: str) -> None:
    console.print(text, highlight=False, markup=False)


def _print(cli: CliState, report: WeeklySummary) -> None:
    _plain(f"Week of {report.week_start:%Y-%m-%d} to {report.week_end:%Y-%m-%d}")
    planned = f" of {report.hours_planned:g} planned" if report.hours_planned else ""
    _plain(f"Hours: {report.hours_logged:g}{planned}.")
    if report.skills_done:
        names = ", ".join(cli.catalog.skill(s).name for s in report.skills_done)
        _plain(f"Finished: {names}.")
    if report.reviews:
        _plain(
            f"Reviews: {report.reviews} ({report.reviews_correct} right), "
            f"{report.new_cards} of them new questions."
        )
    else:
        _plain("Reviews: none this week (`mlpivot quiz`).")
    if report.interviews:
        _plain(
            f"Mock interviews: {report.interviews}, mean score {report.interview_mean_5:.1f} of 5."
        )
    from mlpivot.catalog.models import LEVEL_NAMES

    for change in report.mastery:
        name = (
            cli.catalog.skill(change.skill_id).name
            if change.skill_id in cli.catalog.skills
            else change.skill_id
        )
        if change.level_after != change.level_before:
            _plain(
                f"Mastery: {name} from {LEVEL_NAMES[change.level_before]} to "
                f"{LEVEL_NAMES[change.level_after]} level ({change.answers} answers)."
            )
        else:
            delta = change.score_after - change.score_before
            _plain(
                f"Mastery: {name} stays at {LEVEL_NAMES[change.level_after]} level "
                f"({delta:+.0%} this week, {change.answers} answers)."
            )
    streak = f"Streak: {report.streak_days} day{'s' if report.streak_days != 1 else ''} in a row"
    _plain(
        f"{streak} (longest {report.longest_streak_days}); "
        f"{report.streak_weeks} week{'s' if report.streak_weeks != 1 else ''} with logged hours."
    )
    if report.next_up:
        _plain("Next week: " + "; ".join(report.next_up) + ".")
    else:
        _plain("Next: save a plan to follow (`mlpivot plan --role ROLE --save`).")


def _print_advice(cli: CliState, item: Guidance) -> None:
    advice = cli.catalog.advice.get(item.advice_id)
    console.print()
    _plain(f"{advice.title if advice else item.advice_id}: {item.reason}")
    if advice is not None:
        _plain(advice.description)
        for action in advice.actions:
            _plain(f"  - {action}")


def _print_lighter(lighter: LighterPlan, plan: Plan, finish: date | None, *, saved: bool) -> None:
    console.print()
    ends = (
        f", finishing {finish:%Y-%m-%d} (the current plan: {plan.finish:%Y-%m-%d})"
        if finish
        else ""
    )
    if saved:
        _plain(f"Saved and following a lighter plan at {lighter.hours_per_week:g} h a week{ends}.")
    else:
        _plain(
            f"A lighter plan: {lighter.hours_per_week:g} h a week{ends}. "
            "Take it with `mlpivot summary --take-lighter-plan`."
        )
