"""Plan exports: calendar sittings that add up to the plan, reports that show every week and
phase, a PDF a reader can search, JSON that reads back to the same plan, and the timeline chart."""

from __future__ import annotations

import io
import itertools
import re
import xml.etree.ElementTree as ET
from collections import defaultdict
from collections.abc import Iterator
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import icalendar
import pytest
import typer
import yaml
from hypothesis import given, settings
from hypothesis import strategies as st
from pypdf import PdfReader
from typer.testing import CliRunner

from mlpivot.bootstrap import Services
from mlpivot.catalog import Catalog
from mlpivot.cli.app import FriendlyGroup
from mlpivot.cli.context import CliState
from mlpivot.cli.export_cmd import register
from mlpivot.engine.plan_model import (
    Phase,
    Plan,
    PlanBlock,
    PlannedProject,
    PlanWeek,
    ResourceRef,
)
from mlpivot.errors import UserError
from mlpivot.reports.plan_export import (
    MAX_SESSION_MINUTES,
    plan_from_json,
    plan_to_html,
    plan_to_ics,
    plan_to_json,
    plan_to_markdown,
    plan_to_pdf,
    study_sessions,
)
from mlpivot.reports.timeline import draw_timeline, plan_timeline, timeline_rows

REPO = Path(__file__).resolve().parents[2]
MONDAY = date(2027, 1, 4)
MML = ResourceRef(title="Mathematics for Machine Learning", url="https://mml-book.github.io/")


def _week(index: int, blocks: list[PlanBlock], available: bool = True, **kw: object) -> PlanWeek:
    start = MONDAY + timedelta(weeks=index)
    return PlanWeek(
        index=index,
        start=start,
        end=start + timedelta(days=6),
        available=available,
        hours_budget=8 if available else 0,
        blocks=tuple(blocks),
        **kw,
    )


def _block(ref: str, title: str, hours: float, phase: str, **kw: object) -> PlanBlock:
    kind = kw.pop("kind", "skill")
    return PlanBlock(
        kind=kind,
        ref_id=ref,
        title=title,
        hours=hours,
        phase=phase,
        completes=bool(kw.pop("completes", False)),
        **kw,
    )


@pytest.fixture
def plan() -> Plan:
    """Four weeks by hand: a skill spanning weeks, a project, a holiday, interview prep."""
    fraud = "Fraud detector"
    weeks = (
        _week(
            0,
            [
                _block("linear-algebra", "Linear algebra", 5.5, "Foundations", resource=MML),
                _block("probability", "Probability", 2.5, "Foundations", completes=True),
            ],
            milestones=("Quiz: Probability",),
        ),
        _week(
            1,
            [
                _block("linear-algebra", "Linear algebra", 4, "Foundations", completes=True),
                _block("fraud", fraud, 4, "Projects", kind="project"),
            ],
        ),
        _week(2, [], available=False),
        _week(
            3,
            [
                _block("fraud", fraud, 4, "Projects", kind="project", completes=True),
                _block(
                    "interviews",
                    "Interview practice",
                    4,
                    "Interview preparation",
                    kind="interview-prep",
                    completes=True,
                ),
            ],
            milestones=("Publish: Fraud detector",),
        ),
    )
    return Plan(
        role_ids=("ml-engineer",),
        pathway_id="prepvector",
        pathway_name="PrepVector's nine steps",
        hours_per_week=8,
        start=MONDAY,
        finish=MONDAY + timedelta(days=27),
        weeks_to_ready=3.5,
        total_hours=28,
        weeks=weeks,
        phases=(
            Phase(name="Foundations", start=MONDAY, end=date(2027, 1, 17), study_hours=12),
            Phase(name="Projects", start=date(2027, 1, 11), end=date(2027, 1, 31), study_hours=8),
            Phase(
                name="Act as an ML engineer at work",
                start=date(2027, 1, 18),
                end=date(2027, 1, 31),
                study_hours=0,
                work_hours=6,
                in_current_job=True,
                description="Offer to own a small model in your team",
            ),
            Phase(
                name="Interview preparation",
                start=date(2027, 1, 25),
                end=date(2027, 1, 31),
                study_hours=4,
            ),
        ),
        projects=(
            PlannedProject(
                project_id="fraud",
                name=fraud,
                hours=8,
                skills=("linear-algebra",),
                metric="PR-AUC on a time-based hold-out",
                production_extension="Serve it behind an HTTP endpoint",
            ),
        ),
        specialisms=("computer-vision",),
        optimality_gap=0.0,
    )


def _events(ics: bytes) -> list[icalendar.cal.Component]:
    return list(icalendar.Calendar.from_ical(ics).walk("VEVENT"))


def _block_key(uid: str) -> str:
    """`ml-engineer-20270104-w001-b00-s02@mlpivot` -> `w001-b00`."""
    parts = uid.split("@")[0].split("-")
    return f"{parts[-3]}-{parts[-2]}"


def _check_calendar_matches_plan(plan: Plan, ics: bytes) -> None:
    minutes: dict[str, int] = defaultdict(int)
    for event in _events(ics):
        start, end = event.decoded("dtstart"), event.decoded("dtend")
        key = _block_key(str(event["uid"]))
        week = plan.weeks[int(key[1:4])]
        assert week.start <= start.date() <= week.end, (key, start)
        assert start.date() >= plan.start
        length = int((end - start).total_seconds() // 60)
        assert 0 < length <= MAX_SESSION_MINUTES
        minutes[key] += length
    expected = {
        f"w{w.index:03d}-b{i:02d}": round(b.hours * 60)
        for w in plan.weeks
        for i, b in enumerate(w.blocks)
        if round(b.hours * 60) > 0
    }
    assert dict(minutes) == expected


def test_ics_sittings_add_up_to_every_block_inside_its_week(plan: Plan) -> None:
    ics = plan_to_ics(plan)
    _check_calendar_matches_plan(plan, ics)
    events = _events(ics)
    assert len({str(e["uid"]) for e in events}) == len(events)
    summaries = [str(e["summary"]) for e in events]
    assert any(s.startswith("Study: Linear algebra") for s in summaries)
    assert any(s.startswith("Project: Fraud detector") for s in summaries)
    assert not [e for e in events if e.decoded("dtstart").date() in {date(2027, 1, 18)}]


def test_ics_puts_weekday_sittings_in_the_evening_and_is_deterministic(plan: Plan) -> None:
    ics = plan_to_ics(plan)
    assert ics == plan_to_ics(plan)
    for event in _events(ics):
        start = event.decoded("dtstart")
        assert start.tzinfo is None  # floating: shown in the person's own timezone
        if start.weekday() < 5:
            assert start.hour >= 17
    linear = [e for e in _events(ics) if "Linear algebra" in str(e["summary"])]
    assert all(str(e["url"]) == MML.url for e in linear if "w000" in str(e["uid"]))


def test_ics_leaves_out_days_before_a_midweek_start(plan: Plan) -> None:
    wednesday = plan.model_copy(update={"start": MONDAY + timedelta(days=2)})
    starts = [e.decoded("dtstart").date() for e in _events(plan_to_ics(wednesday))]
    assert min(starts) == wednesday.start
    _check_calendar_matches_plan(wednesday, plan_to_ics(wednesday))


@settings(max_examples=60, deadline=None)
@given(
    hours=st.lists(st.floats(min_value=0, max_value=30, allow_nan=False), max_size=6),
    offset=st.integers(min_value=0, max_value=6),
)
def test_sittings_cover_any_week_exactly(hours: list[float], offset: int) -> None:
    start = MONDAY + timedelta(days=offset)
    week = _week(0, [_block(f"s{i}", f"Skill {i}", h, "P") for i, h in enumerate(hours)])
    sessions = study_sessions(week, start)
    for i, h in enumerate(hours):
        mine = [s for s in sessions if s.block_index == i]
        assert sum(s.minutes for s in mine) == round(h * 60)
        assert [s.part for s in sorted(mine, key=lambda s: s.start)] == list(
            range(1, len(mine) + 1)
        )
    days = (week.end - start).days + 1
    fits = sum(hours) <= 20 * days  # then no day needs more than 22 h, so none spills over
    for s in sessions:
        assert start <= s.start.date()
        assert s.start.date() <= week.end or not fits
        assert 0 < s.minutes <= MAX_SESSION_MINUTES
    by_start = sorted(sessions, key=lambda s: s.start)
    for a, b in itertools.pairwise(by_start):
        assert a.start + timedelta(minutes=a.minutes) <= b.start or not fits  # no overlaps


def test_markdown_shows_every_week_phase_and_project(plan: Plan) -> None:
    text = plan_to_markdown(plan, {"summary": ["You cover 62% of what postings ask for."]})
    for week in plan.weeks:
        assert f"| Week {week.index + 1} |" in text
    for phase in plan.phases:
        assert phase.name in text
    assert "unavailable" in text
    assert "Fraud detector" in text and "PR-AUC" in text
    assert "You cover 62%" in text
    assert "[5.5 h Study: Linear algebra](https://mml-book.github.io/)" in text


def test_html_is_self_contained_with_the_chart_inline(plan: Plan) -> None:
    page = plan_to_html(plan, {"role_names": {"ml-engineer": "ML Engineer"}})
    assert page.startswith("<!DOCTYPE html>")
    assert "Learning plan: ML Engineer" in page
    for week in plan.weeks:
        assert f"Week {week.index + 1}" in page
    for phase in plan.phases:
        assert phase.name in page
    assert "<svg" in page and "<?xml" not in page
    lowered = page.lower()
    for fetched in ("<link", "<script", "src=", "@import"):
        assert fetched not in lowered
    assert not re.search(r"url\((?!#)", lowered)  # only the chart's own #clip-path ids


def test_html_escapes_text_from_the_plan(plan: Plan) -> None:
    hostile = plan.model_copy(update={"notes": ("<script>alert(1)</script>",)})
    page = plan_to_html(hostile)
    assert "<script>" not in page
    assert "&lt;script&gt;" in page


def test_pdf_is_a_report_a_reader_can_search(plan: Plan) -> None:
    pdf = plan_to_pdf(plan, {"summary": ["You cover 62% of what postings ask for."]})
    assert pdf.startswith(b"%PDF")
    assert pdf == plan_to_pdf(plan, {"summary": ["You cover 62% of what postings ask for."]})
    reader = PdfReader(io.BytesIO(pdf))
    text = "\n".join(page.extract_text() for page in reader.pages)
    for expected in ("ml-engineer", "Linear algebra", "Fraud detector", "Week 4", "You cover 62%"):
        assert expected in text
    assert any("/Image" in str(page.get("/Resources", {})) or page.images for page in reader.pages)


def test_json_round_trips_to_an_equal_plan(plan: Plan) -> None:
    assert plan_from_json(plan_to_json(plan)) == plan


def test_json_that_is_not_a_plan_says_which_field_is_wrong(plan: Plan) -> None:
    broken = plan_to_json(plan).replace('"hours_per_week": 8.0', '"hours_per_week": "lots"')
    with pytest.raises(UserError, match="hours_per_week"):
        plan_from_json(broken)


def test_timeline_draws_a_row_per_item_with_a_gap_for_the_holiday(plan: Plan) -> None:
    rows = {r.label: r for r in timeline_rows(plan)}
    assert len(rows["Fraud detector"].segments) == 2  # week 2 and week 4, holiday between
    assert len(rows["Linear algebra"].segments) == 1
    assert "Phase: Act as an ML engineer at work" in rows
    svg = plan_timeline(plan, "svg")
    root = ET.fromstring(svg)
    assert root.tag.endswith("svg")
    assert b"Linear algebra" in svg
    assert svg == plan_timeline(plan, "svg") == draw_timeline(plan, "svg") == draw_timeline(plan)
    assert plan_timeline(plan, "png").startswith(b"\x89PNG\r\n\x1a\n")


def test_timeline_of_an_empty_plan_still_draws(plan: Plan) -> None:
    empty = plan.model_copy(update={"weeks": (), "phases": (), "projects": ()})
    assert plan_timeline(empty, "png").startswith(b"\x89PNG")
    ET.fromstring(plan_timeline(empty, "svg"))


def test_exports_of_a_real_plan_agree_with_it(catalog: Catalog) -> None:
    from mlpivot.engine.plan import PlanRequest, build_plan
    from mlpivot.engine.profile import profile_from_data

    data = yaml.safe_load((REPO / "examples/profiles/backend-python.yaml").read_text())
    profile = profile_from_data(data, catalog, source="backend-python")
    request = PlanRequest(
        role_ids=("ml-engineer",),
        start=date(2027, 1, 6),
        unavailable_weeks=frozenset({date(2027, 3, 1)}),
    )
    real = build_plan(profile, catalog, request)
    _check_calendar_matches_plan(real, plan_to_ics(real))
    text = plan_to_markdown(real)
    assert all(p.name in text for p in real.phases)
    pdf_text = "".join(p.extract_text() for p in PdfReader(io.BytesIO(plan_to_pdf(real))).pages)
    assert real.weeks[0].blocks[0].title in pdf_text
    assert plan_from_json(plan_to_json(real)) == real


# --- the command ----------------------------------------------------------------------------


@pytest.fixture
def cli(local_services: Services) -> Iterator[tuple[typer.Typer, CliState]]:
    app = typer.Typer(cls=FriendlyGroup)

    @app.callback()
    def root() -> None:
        """mlpivot (export only)."""

    register(app)
    yield app, CliState(_services=local_services)


def test_export_without_a_plan_says_how_to_make_one(
    cli: tuple[typer.Typer, CliState],
) -> None:
    app, cli_state = cli
    result = CliRunner().invoke(app, ["export", "plan", "--format", "md"], obj=cli_state)
    assert result.exit_code == 1
    assert "you have no plan yet" in result.output
    assert "mlpivot plan --role" in result.output


def test_export_writes_the_stored_plan_in_each_format(
    cli: tuple[typer.Typer, CliState], plan: Plan, tmp_path: Path
) -> None:
    from mlpivot.store.repositories import Plans

    app, cli_state = cli
    with cli_state.services.local() as (session, user):
        Plans(session, user).add("ml-engineer", plan.model_dump(mode="json"))
    runner = CliRunner()

    md = runner.invoke(app, ["export", "plan"], obj=cli_state)
    assert md.exit_code == 0, md.output
    assert "# Learning plan: ML Engineer" in md.stdout

    ics = runner.invoke(
        app, ["export", "plan", "-f", "ics", "--role", "ml-engineer"], obj=cli_state
    )
    assert ics.exit_code == 0, ics.output
    _check_calendar_matches_plan(plan, ics.stdout.encode())

    no_out = runner.invoke(app, ["export", "plan", "--format", "pdf"], obj=cli_state)
    assert no_out.exit_code == 1 and "--out" in no_out.output

    pdf_path = tmp_path / "plan.pdf"
    pdf = runner.invoke(app, ["export", "plan", "--out", str(pdf_path)], obj=cli_state)
    assert pdf.exit_code == 0, pdf.output
    assert pdf_path.read_bytes().startswith(b"%PDF")

    json_path = tmp_path / "plan.json"
    runner.invoke(app, ["export", "plan", "-f", "json", "-o", str(json_path)], obj=cli_state)
    assert plan_from_json(json_path.read_text()) == plan

    other = runner.invoke(app, ["export", "plan", "--role", "data-scientist"], obj=cli_state)
    assert other.exit_code == 1 and "mlpivot plan --role data-scientist" in other.output


def test_a_calendar_stamp_can_be_given_else_it_comes_from_the_plan(plan: Plan) -> None:
    default = _events(plan_to_ics(plan))[0].decoded("dtstamp")
    assert default == datetime(2027, 1, 4, tzinfo=UTC)
    stamp = datetime(2026, 12, 1, 9, 30, tzinfo=UTC)
    assert _events(plan_to_ics(plan, stamp))[0].decoded("dtstamp") == stamp
