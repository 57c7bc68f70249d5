"""A `Plan` out of mlpivot: iCalendar, Markdown, HTML, PDF and JSON.

Each export is a pure function of the plan (and, optionally, a small `context`), with no clock
read: the same plan gives the same bytes, so exports can be compared and tested. `context` may
carry `role_names` (role id -> display name) and `summary` (lines on where the person stands,
e.g. the role fit and the gap), which the Markdown, HTML and PDF reports print near the top.
Each format's library (icalendar, Jinja, ReportLab) is imported by the function that writes it.
"""

from __future__ import annotations

import math
import threading
from collections.abc import Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from io import BytesIO
from pathlib import Path
from typing import TYPE_CHECKING, Any
from xml.sax.saxutils import escape

from markupsafe import Markup
from pydantic import ValidationError

from mlpivot.engine.plan_model import Plan, PlanBlock, PlanWeek
from mlpivot.errors import UserError
from mlpivot.reports.timeline import phase_colours, plan_timeline

if TYPE_CHECKING:
    import icalendar
    from jinja2 import Environment

TEMPLATES = Path(__file__).resolve().parent / "templates"
MAX_SESSION_MINUTES = 120
WEEKDAY_EVENING = time(19, 0)
LATEST_END_MINUTES = 22 * 60
WEEKEND_START = time(10, 0)
DAY_PREFERENCE = (0, 2, 4, 5, 1, 3, 6)
"""Mon, Wed, Fri, Sat, Tue, Thu, Sun: two or three sessions a week land on alternate days"""
KIND_LABELS = {"skill": "Study", "project": "Project", "interview-prep": "Interview prep"}


# --- shared facts ---------------------------------------------------------------------------


def _role_names(plan: Plan, context: Mapping[str, Any] | None) -> list[str]:
    names = dict((context or {}).get("role_names") or {})
    return [str(names.get(r, r)) for r in plan.role_ids]


def _context_lines(context: Mapping[str, Any] | None) -> list[str]:
    return [str(line) for line in (context or {}).get("summary") or ()]


def plan_title(plan: Plan, context: Mapping[str, Any] | None = None) -> str:
    return "Learning plan: " + " then ".join(_role_names(plan, context))


def plan_facts(plan: Plan, context: Mapping[str, Any] | None = None) -> list[tuple[str, str]]:
    """The summary rows every report starts with, so the formats cannot drift apart."""
    studied = sum(w.hours for w in plan.weeks)
    off = sum(1 for w in plan.weeks if not w.available)
    facts = [
        ("Target roles", ", ".join(_role_names(plan, context))),
        ("Route", plan.pathway_name or "mlpivot's own ordering"),
        ("Hours per week", fmt_hours(plan.hours_per_week)),
        ("Dates", f"{plan.start.isoformat()} to {plan.finish.isoformat()}"),
        ("Weeks to ready", f"{plan.weeks_to_ready:.1f}"),
        ("Weeks in the plan", f"{len(plan.weeks)} ({off} unavailable)"),
        (
            "Hours of study",
            f"{fmt_hours(studied)} scheduled of {fmt_hours(plan.total_hours)} needed",
        ),
    ]
    if plan.specialisms:
        facts.append(("Specialisms", ", ".join(plan.specialisms)))
    if plan.dropped:
        facts.append(("Left for later", ", ".join(plan.dropped)))
    if plan.optimality_gap is not None:
        facts.append(("Optimality gap", f"{plan.optimality_gap:.2%}"))
    return facts


def fmt_hours(hours: float) -> str:
    """Hours as a person writes them: 1.3, 8, 0.5 (planners split hours into long fractions)."""
    return f"{round(hours, 1):g}"


def block_line(block: PlanBlock) -> str:
    """One block as a short phrase: '3 h Study: Linear algebra (done)'."""
    done = " (finish)" if block.completes else ""
    return (
        f"{fmt_hours(block.hours)} h {KIND_LABELS.get(block.kind, block.kind)}: {block.title}{done}"
    )


def week_label(week: PlanWeek) -> str:
    return f"Week {week.index + 1}"


# --- iCalendar ------------------------------------------------------------------------------


@dataclass(frozen=True)
class StudySession:
    """One sitting in a calendar: a part of a block, at most two hours, on one evening."""

    week: PlanWeek
    block_index: int
    block: PlanBlock
    part: int
    parts: int
    start: datetime
    """floating local time: the calendar shows it in the person's own timezone"""
    minutes: int


def _split_minutes(hours: float) -> list[int]:
    total = round(hours * 60)
    if total <= 0:
        return []
    count = math.ceil(total / MAX_SESSION_MINUTES)
    base, extra = divmod(total, count)
    return [base + (1 if i < extra else 0) for i in range(count)]


def _study_days(week: PlanWeek, plan_start: date) -> list[date]:
    """The week's days from the plan's start on: a plan made on Wednesday starts on Wednesday."""
    first = max(week.start, plan_start)
    days = [first + timedelta(days=i) for i in range((week.end - first).days + 1)]
    if not days:
        days = [week.end]
    rank = {offset: i for i, offset in enumerate(DAY_PREFERENCE)}
    return sorted(days, key=lambda d: (rank[d.weekday()], d))


def _day_start(day: date, load_minutes: int) -> datetime:
    """Weekdays start at 19:00, weekends at 10:00; a day holding more starts earlier so that
    it ends by 22:00 (a week's hours squeezed into its last day can begin in the morning)."""
    preferred = WEEKEND_START if day.weekday() >= 5 else WEEKDAY_EVENING
    minutes = max(0, min(preferred.hour * 60, LATEST_END_MINUTES - load_minutes))
    return datetime.combine(day, time(minutes // 60, minutes % 60))


def study_sessions(week: PlanWeek, plan_start: date) -> list[StudySession]:
    """Split the week's blocks into sittings of at most two hours, spread over its days.

    Each sitting goes to the least-loaded day (ties by DAY_PREFERENCE); sittings on the same
    day follow each other, and parts are numbered in date order. Minutes are integers that
    add up to each block's hours exactly.
    """
    days = _study_days(week, plan_start)
    load = dict.fromkeys(days, 0)
    placed: list[tuple[date, int, PlanBlock, int, int, int]] = []
    for index, block in enumerate(week.blocks):
        pieces = _split_minutes(block.hours)
        for part, minutes in enumerate(pieces, 1):
            day = min(days, key=lambda d: load[d])
            placed.append((day, index, block, part, len(pieces), minutes))
            load[day] += minutes
    sessions: list[StudySession] = []
    cursor = {d: _day_start(d, load[d]) for d in days}
    seen: dict[int, int] = {}
    for day, index, block, _, parts, minutes in sorted(placed, key=lambda p: (p[0], p[1], p[3])):
        start = cursor[day]
        cursor[day] = start + timedelta(minutes=minutes)
        seen[index] = seen.get(index, 0) + 1
        sessions.append(StudySession(week, index, block, seen[index], parts, start, minutes))
    return sessions


def _description(plan: Plan, session: StudySession, last_of_week: bool) -> str:
    block = session.block
    lines = [
        f"Phase: {block.phase}",
        f"This week: {fmt_hours(block.hours)} h on {block.title}"
        f" (part {session.part} of {session.parts})",
    ]
    if block.resource:
        lines.append(f"Resource: {block.resource.title} - {block.resource.url}")
    if block.completes and session.part == session.parts:
        lines.append(f"This sitting finishes {block.title}.")
    if last_of_week and session.week.milestones:
        lines.append("Milestones this week: " + "; ".join(session.week.milestones))
    lines.append(f"Plan: {', '.join(plan.role_ids)}, {plan.pathway_name or 'own ordering'}")
    return "\n".join(lines)


def _event(plan: Plan, session: StudySession, stamp: datetime, last: bool) -> icalendar.Event:
    import icalendar

    block = session.block
    event = icalendar.Event()
    uid = (
        f"{plan.role_ids[0] if plan.role_ids else 'plan'}-{plan.start:%Y%m%d}"
        f"-w{session.week.index:03d}-b{session.block_index:02d}-s{session.part:02d}@mlpivot"
    )
    event.add("uid", uid)
    event.add("dtstamp", stamp)
    event.add("dtstart", session.start)
    event.add("dtend", session.start + timedelta(minutes=session.minutes))
    suffix = f" ({session.part}/{session.parts})" if session.parts > 1 else ""
    event.add("summary", f"{KIND_LABELS.get(block.kind, block.kind)}: {block.title}{suffix}")
    event.add("description", _description(plan, session, last))
    event.add("categories", [block.phase])
    if block.resource:
        event.add("url", block.resource.url)
    event.add("x-mlpivot-ref", f"{block.kind}:{block.ref_id}")
    return event


def plan_to_ics(plan: Plan, stamp: datetime | None = None) -> bytes:
    """One VEVENT per study sitting; a block of more than two hours becomes several sittings.

    UIDs come from the plan's start, week and block, so importing a re-plan made from the same
    start updates the events instead of doubling them. `stamp` defaults to the plan's start at
    midnight UTC, which keeps the output free of the clock.
    """
    import icalendar

    cal = icalendar.Calendar()
    cal.add("prodid", "-//mlpivot//learning plan//EN")
    cal.add("version", "2.0")
    cal.add("calscale", "GREGORIAN")
    cal.add("x-wr-calname", plan_title(plan))
    when = stamp or datetime.combine(plan.start, time(0), tzinfo=UTC)
    for week in plan.weeks:
        sessions = study_sessions(week, plan.start)
        for i, session in enumerate(sessions):
            cal.add_component(_event(plan, session, when, i == len(sessions) - 1))
    return bytes(cal.to_ical())


# --- Markdown -------------------------------------------------------------------------------


def _cell(text: str) -> str:
    text = text.replace("|", "\\|").replace("<", "&lt;").replace(">", "&gt;")
    return " ".join(text.split())


def _markdown_week(week: PlanWeek) -> str:
    dates = f"{week.start:%d %b} – {week.end:%d %b %Y}"
    if not week.available:
        work, hours = "unavailable: no study", "0"
    else:
        parts = []
        for b in week.blocks:
            text = block_line(b)
            parts.append(f"[{text}]({b.resource.url})" if b.resource else text)
        work = "<br>".join(_cell(p) for p in parts) or "free"
        hours = f"{fmt_hours(week.hours)} / {fmt_hours(week.hours_budget)}"
    milestones = "<br>".join(_cell(m) for m in week.milestones)
    return f"| {week_label(week)} | {dates} | {hours} | {work} | {milestones} |"


def plan_to_markdown(plan: Plan, context: Mapping[str, Any] | None = None) -> str:
    """A plan to keep in a notes app or a repository: summary, phases, projects, every week."""
    out = [f"# {plan_title(plan, context)}", ""]
    out += [f"- **{k}:** {v}" for k, v in plan_facts(plan, context)]
    lines = _context_lines(context)
    if lines:
        out += ["", "## Where you stand", "", *[f"- {line}" for line in lines]]
    if plan.notes:
        out += ["", "## Notes", "", *[f"- {note}" for note in plan.notes]]
    out += ["", "## Phases", "", "| phase | dates | study hours | work hours | what |"]
    out.append("|---|---|---:|---:|---|")
    for p in plan.phases:
        where = " (in your current job)" if p.in_current_job else ""
        out.append(
            f"| {_cell(p.name)} | {p.start.isoformat()} – {p.end.isoformat()} | "
            f"{fmt_hours(p.study_hours)} | {fmt_hours(p.work_hours)} | "
            f"{_cell(p.description + where)} |"
        )
    if plan.projects:
        out += ["", "## Portfolio projects", ""]
        for pr in plan.projects:
            out.append(f"- **{pr.name}** ({fmt_hours(pr.hours)} h; skills: {', '.join(pr.skills)})")
            out.append(f"  - Measure: {pr.metric}")
            out.append(f"  - Take it to production: {pr.production_extension}")
    out += ["", "## Week by week", "", "| week | dates | hours | work | milestones |"]
    out.append("|---|---|---:|---|---|")
    out += [_markdown_week(w) for w in plan.weeks]
    return "\n".join(out) + "\n"


# --- HTML -----------------------------------------------------------------------------------


def _environment() -> Environment:
    from jinja2 import Environment, FileSystemLoader, select_autoescape

    return Environment(
        loader=FileSystemLoader(TEMPLATES),
        autoescape=select_autoescape(["html", "j2"]),
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )


def inline_svg(svg: bytes) -> Markup:
    """The chart's <svg> element alone (no XML prolog or DOCTYPE), safe to place in a page."""
    text = svg.decode("utf-8")
    return Markup(text[text.index("<svg") :])  # our own matplotlib output


def plan_to_html(plan: Plan, context: Mapping[str, Any] | None = None) -> str:
    """A self-contained page to read or print: inline CSS and chart, nothing fetched."""
    template = _environment().get_template("plan.html.j2")
    return template.render(
        title=plan_title(plan, context),
        plan=plan,
        facts=plan_facts(plan, context),
        summary=_context_lines(context),
        chart=inline_svg(plan_timeline(plan, "svg", title=plan_title(plan, context))),
        colours=phase_colours(plan),
        block_line=block_line,
        week_label=week_label,
        fmt_hours=fmt_hours,
    )


# --- PDF ------------------------------------------------------------------------------------


def _pdf_story(plan: Plan, context: Mapping[str, Any] | None) -> list[Any]:
    from reportlab.lib import colors
    from reportlab.lib.styles import getSampleStyleSheet
    from reportlab.lib.units import cm
    from reportlab.platypus import (
        Image,
        KeepTogether,
        Paragraph,
        Spacer,
        Table,
        TableStyle,
    )

    styles = getSampleStyleSheet()
    small = styles["BodyText"].clone("small", fontSize=8, leading=10)

    def para(text: str, style: Any = small) -> Paragraph:
        return Paragraph(escape(text).replace("\n", "<br/>"), style)

    def table(rows: Sequence[Sequence[str]], widths: Sequence[float], header: bool = True) -> Table:
        body = [[para(c) for c in row] for row in rows]
        t = Table(body, colWidths=[w * cm for w in widths], repeatRows=1 if header else 0)
        look: list[tuple[Any, ...]] = [
            ("GRID", (0, 0), (-1, -1), 0.25, colors.grey),
            ("VALIGN", (0, 0), (-1, -1), "TOP"),
        ]
        if header:
            look.append(("BACKGROUND", (0, 0), (-1, 0), colors.HexColor("#e8edf3")))
        t.setStyle(TableStyle(look))
        return t

    story: list[Any] = [Paragraph(escape(plan_title(plan, context)), styles["Title"])]
    story.append(table(plan_facts(plan, context), (4.5, 12.5), header=False))
    for heading, lines in (("Where you stand", _context_lines(context)), ("Notes", plan.notes)):
        if lines:
            story += [Spacer(1, 8), Paragraph(heading, styles["Heading2"])]
            story += [para("• " + line, styles["BodyText"]) for line in lines]
    story += [Spacer(1, 8), Paragraph("Phases", styles["Heading2"])]
    phase_rows = [("phase", "dates", "study h", "work h", "what")]
    for p in plan.phases:
        where = " (in your current job)" if p.in_current_job else ""
        phase_rows.append(
            (
                p.name,
                f"{p.start.isoformat()} – {p.end.isoformat()}",
                fmt_hours(p.study_hours),
                fmt_hours(p.work_hours),
                p.description + where,
            )
        )
    story.append(table(phase_rows, (3.5, 3.6, 1.4, 1.4, 7.1)))
    if plan.projects:
        story += [Spacer(1, 8), Paragraph("Portfolio projects", styles["Heading2"])]
        rows = [("project", "hours", "skills", "measure / production")]
        for pr in plan.projects:
            rows.append(
                (
                    pr.name,
                    fmt_hours(pr.hours),
                    ", ".join(pr.skills),
                    f"{pr.metric}\nProduction: {pr.production_extension}",
                )
            )
        story.append(table(rows, (3.5, 1.3, 4.5, 7.7)))
    png = plan_timeline(plan, "png", width_in=7.5, title=plan_title(plan, context))
    reader = Image(BytesIO(png))
    scale = min(17 * cm / reader.imageWidth, 22 * cm / reader.imageHeight)
    chart = Image(BytesIO(png), width=reader.imageWidth * scale, height=reader.imageHeight * scale)
    story += [Spacer(1, 8), KeepTogether([Paragraph("Timeline", styles["Heading2"]), chart])]
    story += [Spacer(1, 8), Paragraph("Week by week", styles["Heading2"])]
    week_rows = [("week", "dates", "hours", "work", "milestones")]
    for w in plan.weeks:
        work = "unavailable: no study" if not w.available else "\n".join(map(block_line, w.blocks))
        week_rows.append(
            (
                week_label(w),
                f"{w.start:%d %b} – {w.end:%d %b %Y}",
                f"{fmt_hours(w.hours)} / {fmt_hours(w.hours_budget)}" if w.available else "0",
                work or "free",
                "\n".join(w.milestones),
            )
        )
    story.append(table(week_rows, (1.6, 3.4, 1.6, 6.6, 3.8)))
    return story


def plan_to_pdf(plan: Plan, context: Mapping[str, Any] | None = None) -> bytes:
    """A printable report: summary, where you stand, phases, projects, timeline, weekly table.

    `invariant=True` keeps reportlab from stamping the current time and a random id, so the
    same plan gives the same file.
    """
    out = BytesIO()
    with _binary_streams():
        _build_pdf(out, plan, context)
    return out.getvalue()


_A85_LOCK = threading.Lock()


@contextmanager
def _binary_streams() -> Iterator[None]:
    """ReportLab without its ASCII85 text encoding of streams (a 1990s e-mail safeguard that
    ReportLab 4 runs in pure Python: a third of the time spent embedding the chart). The
    setting is ReportLab's global, so it is put back after, under a lock."""
    from reportlab import rl_config

    with _A85_LOCK:
        before = rl_config.useA85
        rl_config.useA85 = 0
        try:
            yield
        finally:
            rl_config.useA85 = before


def _build_pdf(out: BytesIO, plan: Plan, context: Mapping[str, Any] | None) -> None:
    from reportlab.lib.pagesizes import A4
    from reportlab.lib.units import cm
    from reportlab.platypus import SimpleDocTemplate

    doc = SimpleDocTemplate(
        out,
        pagesize=A4,
        leftMargin=2 * cm,
        rightMargin=2 * cm,
        topMargin=1.8 * cm,
        bottomMargin=1.8 * cm,
        title=plan_title(plan, context),
        author="mlpivot",
        invariant=True,
    )
    doc.build(_pdf_story(plan, context))


# --- JSON -----------------------------------------------------------------------------------


def plan_to_json(plan: Plan) -> str:
    return plan.model_dump_json(indent=2) + "\n"


def plan_from_json(text: str | bytes) -> Plan:
    """Read an exported plan back; a file that is not one says which field is wrong."""
    try:
        return Plan.model_validate_json(text)
    except ValidationError as exc:
        first = exc.errors()[0]
        where = ".".join(str(p) for p in first["loc"]) or "the top level"
        raise UserError(f"not an mlpivot plan: {where}: {first['msg']}") from None
