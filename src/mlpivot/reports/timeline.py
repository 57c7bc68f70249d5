"""The plan as a Gantt-like chart: what is studied in which weeks, by phase, holidays shaded.

A table of 30 weeks hides the shape of a plan; the chart shows at a glance where the projects
sit, how long the foundations take and where the breaks are. It is drawn on a bare `Figure`
(no pyplot state), with fixed SVG ids and no timestamp, so the same plan gives the same bytes.
matplotlib is imported when a chart is drawn, not with this module.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import date, timedelta
from io import BytesIO
from pathlib import Path
from typing import TYPE_CHECKING, Literal

if TYPE_CHECKING:
    from matplotlib.axes import Axes
    from matplotlib.figure import Figure

    from mlpivot.engine.plan_model import Plan

ChartFormat = Literal["svg", "png"]
LABEL_CHARS = 42
PALETTE = (
    "#4e79a7",
    "#f28e2b",
    "#59a14f",
    "#e15759",
    "#b07aa1",
    "#76b7b2",
    "#edc948",
    "#9c755f",
    "#ff9da7",
    "#bab0ac",
)
UNAVAILABLE_COLOUR = "#d9d9d9"
CHARTS_KEPT = 1024
"""chart files kept in the cache (about 80 KB each): a cohort's plans, each in a version or two"""
SVG_METADATA = {"Date": None, "Creator": None, "Format": None, "Type": None}
"""no timestamp, version or RDF block: the same plan gives the same bytes on any install"""


@dataclass(frozen=True)
class TimelineRow:
    """One line of the chart: a phase, a skill or a project, and its dated segments."""

    label: str
    segments: tuple[tuple[date, date, str], ...]
    """(first day, day after the last, phase name) for each contiguous stretch"""


def phase_colours(plan: Plan) -> dict[str, str]:
    """A stable colour per phase, in the plan's phase order, so the legend reads left to right."""
    names = [p.name for p in plan.phases]
    for week in plan.weeks:
        names.extend(b.phase for b in week.blocks)
    ordered = list(dict.fromkeys(names))
    return {name: PALETTE[i % len(PALETTE)] for i, name in enumerate(ordered)}


def _short(text: str) -> str:
    return text if len(text) <= LABEL_CHARS else text[: LABEL_CHARS - 1] + "…"


def timeline_rows(plan: Plan) -> list[TimelineRow]:
    """Phases first, then every skill/project in order of first appearance.

    A skill studied in weeks 3, 4 and 6 gets two segments, so a holiday in week 5 shows as a
    gap in its bar rather than being painted over.
    """
    rows = [
        TimelineRow(f"Phase: {_short(p.name)}", ((p.start, p.end + timedelta(days=1), p.name),))
        for p in plan.phases
    ]
    cells: dict[str, list[tuple[date, date, str]]] = {}
    labels: dict[str, str] = {}
    for week in plan.weeks:
        for block in week.blocks:
            if block.hours <= 0:
                continue
            key = f"{block.kind}:{block.ref_id}"
            labels.setdefault(key, block.title)
            cells.setdefault(key, []).append(
                (week.start, week.end + timedelta(days=1), block.phase)
            )
    for key, stretch in cells.items():
        merged: list[tuple[date, date, str]] = []
        for start, end, phase in stretch:
            if merged and merged[-1][1] >= start and merged[-1][2] == phase:
                merged[-1] = (merged[-1][0], max(end, merged[-1][1]), phase)
            else:
                merged.append((start, end, phase))
        rows.append(TimelineRow(_short(labels[key]), tuple(merged)))
    return rows


def date_ticks(first: date, end: date, most: int = 12) -> list[tuple[date, str]]:
    """Week-start ticks, every n weeks so that at most `most` show; the year on the first tick
    and on the first tick of each new year, so a long plan never leaves the reader guessing."""
    weeks = max(1, math.ceil((end - first).days / 7))
    step = max(1, math.ceil(weeks / most))
    ticks: list[tuple[date, str]] = []
    day = first
    while day <= end:
        new_year = not ticks or ticks[-1][0].year != day.year
        ticks.append((day, f"{day:%d %b}" + (f"\n{day:%Y}" if new_year else "")))
        day += timedelta(weeks=step)
    return ticks


def _draw_rows(ax: Axes, plan: Plan, rows: list[TimelineRow], colours: dict[str, str]) -> None:
    """Bars in days since the chart's first day, holidays shaded behind, dated ticks below."""
    firsts = [seg[0] for r in rows for seg in r.segments] + [w.start for w in plan.weeks]
    lasts = [seg[1] for r in rows for seg in r.segments]
    lasts += [w.end + timedelta(days=1) for w in plan.weeks]
    origin, last = min(firsts), max(lasts)

    def x(day: date) -> int:
        return (day - origin).days

    for week in plan.weeks:
        if not week.available:
            ax.axvspan(
                x(week.start),
                x(week.end + timedelta(days=1)),
                color=UNAVAILABLE_COLOUR,
                hatch="//",
                alpha=0.6,
                linewidth=0,
            )
    for y, row in enumerate(rows):
        is_phase = row.label.startswith("Phase: ")
        for start, end, phase in row.segments:
            ax.barh(
                y,
                x(end) - x(start),
                left=x(start),
                height=0.8 if is_phase else 0.6,
                color=colours.get(phase, PALETTE[0]),
                alpha=0.55 if is_phase else 0.95,
                edgecolor="white",
                linewidth=0.5,
            )
    ax.set_yticks(range(len(rows)))
    ax.set_yticklabels([r.label for r in rows], fontsize=7)
    ax.set_ylim(len(rows) - 0.5, -0.5)
    ax.set_xlim(0, x(last))
    ticks = date_ticks(origin, last)
    ax.set_xticks([x(d) for d, _ in ticks])
    ax.set_xticklabels([label for _, label in ticks])
    ax.tick_params(axis="x", labelsize=7)
    ax.grid(axis="x", color="0.85", linewidth=0.5)
    ax.set_axisbelow(True)


def _draw(plan: Plan, width_in: float, title: str | None) -> Figure:
    from matplotlib.figure import Figure
    from matplotlib.patches import Patch

    rows = timeline_rows(plan)
    colours = phase_colours(plan)
    height_in = max(2.5, 0.26 * len(rows) + 1.6)
    fig = Figure(figsize=(width_in, height_in), layout="constrained")
    ax = fig.subplots()
    heading = title or f"Learning plan: {', '.join(plan.role_ids)}"
    ax.set_title(f"{heading} — {plan.hours_per_week:g} h/week", fontsize=10)
    if not rows:
        ax.text(0.5, 0.5, "Nothing to schedule", ha="center", va="center", transform=ax.transAxes)
        ax.set_axis_off()
        return fig
    _draw_rows(ax, plan, rows, colours)
    handles = [Patch(color=c, label=name) for name, c in colours.items()]
    if any(not w.available for w in plan.weeks):
        handles.append(Patch(facecolor=UNAVAILABLE_COLOUR, hatch="//", label="unavailable"))
    fig.legend(
        handles=handles,
        fontsize=7,
        loc="outside lower center",
        ncol=min(3, len(handles)),
        frameon=False,
    )
    return fig


def plan_timeline(
    plan: Plan, fmt: ChartFormat = "svg", width_in: float = 11, title: str | None = None
) -> bytes:
    """The chart as SVG (text kept as text, for HTML pages) or PNG (for the PDF report).

    `width_in` is the figure width in inches: the PDF asks for a page-wide figure so that the
    labels print at a readable size instead of being scaled down.

    A plan version never changes and the same plan gives the same bytes, so a chart is drawn
    once and kept in the user cache folder (`catalog.cache`: keyed by the plan's content, the
    options, this code and matplotlib's version; checksummed; skipped if not writable):
    importing matplotlib and drawing take most of a PDF export or a first `/plan`. Callers
    that ask for the same chart at once (the workers of a server) wait for one drawing.
    """
    if fmt not in ("svg", "png"):
        raise ValueError(f"a timeline is drawn as svg or png, not {fmt!r}")
    from mlpivot.catalog.cache import building, read_cache, source_key, write_cache

    options = f"{fmt} {width_in!r} {title!r}".encode()
    key = source_key((plan.model_dump_json().encode(), options), _chart_code_files())
    name = f"timeline-{key[:24]}.pickle"
    found = read_cache("charts", name, key, frozenset())
    if isinstance(found, bytes):
        return found
    with building("charts", key):
        found = read_cache("charts", name, key, frozenset())  # drawn while this one waited
        if isinstance(found, bytes):
            return found
        chart = draw_timeline(plan, fmt, width_in, title)
        write_cache("charts", name, key, chart, keep=CHARTS_KEPT)
    return chart


def _chart_code_files() -> tuple[Path, ...]:
    """This module and matplotlib's version file, found without importing matplotlib."""
    import importlib.util

    files = [Path(__file__)]
    spec = importlib.util.find_spec("matplotlib")
    if spec is not None and spec.origin is not None:
        package = Path(spec.origin).parent
        files += [p for p in (package / "_version.py", package / "__init__.py") if p.is_file()]
    return tuple(files)


def draw_timeline(
    plan: Plan, fmt: ChartFormat = "svg", width_in: float = 11, title: str | None = None
) -> bytes:
    """The chart drawn now with matplotlib (`plan_timeline` keeps what this draws)."""
    import matplotlib

    matplotlib.use("Agg")
    fig = _draw(plan, width_in, title)
    out = BytesIO()
    with matplotlib.rc_context({"svg.hashsalt": "mlpivot-plan", "svg.fonttype": "none"}):
        if fmt == "svg":
            fig.savefig(out, format="svg", metadata=SVG_METADATA, bbox_inches="tight")
        elif fmt == "png":
            fig.savefig(
                out, format="png", dpi=150, metadata={"Software": None}, bbox_inches="tight"
            )
            return _opaque_png(out.getvalue())
        else:
            raise ValueError(f"a timeline is drawn as svg or png, not {fmt!r}")
    return out.getvalue()


def _opaque_png(png: bytes) -> bytes:
    """The PNG without its alpha channel when every pixel is opaque (as on the chart's white
    background): the same picture, and a PDF embeds it without a second, transparency image
    that ReportLab would otherwise build on every export."""
    from PIL import Image

    with Image.open(BytesIO(png)) as image:
        if image.mode != "RGBA" or image.getchannel("A").getextrema() != (255, 255):
            return png
        out = BytesIO()
        image.convert("RGB").save(out, format="PNG")
    return out.getvalue()
