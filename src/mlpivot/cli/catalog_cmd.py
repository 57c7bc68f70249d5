"""`mlpivot catalog check|stats`: is the knowledge base sound, and how big is it."""

from __future__ import annotations

from collections import Counter
from typing import TYPE_CHECKING, Annotated, Any

import typer
from rich.table import Table

from mlpivot.cli.context import state
from mlpivot.cli.output import console, err_console, print_json
from mlpivot.errors import CatalogError

if TYPE_CHECKING:
    from mlpivot.catalog import Catalog

app = typer.Typer(help="Check the knowledge base and count what it holds.", no_args_is_help=True)

JsonOpt = Annotated[bool, typer.Option("--json", help="Print JSON instead of a table.")]


@app.command()
def check(ctx: typer.Context, as_json: JsonOpt = False) -> None:
    """Validate every YAML file (built-in plus your --knowledge overlay); exit 1 on problems.

    Each problem is printed as `file:line: what is wrong`.
    """
    try:
        catalog = state(ctx).catalog
    except CatalogError as exc:
        if as_json:
            print_json({"ok": False, "problems": exc.problems})
        else:
            err_console.print(
                f"{len(exc.problems)} problem(s) in the knowledge base:", markup=False
            )
            for problem in exc.problems:
                err_console.print(f"  {problem}", markup=False, soft_wrap=True)
        raise typer.Exit(1) from None
    counts = stats_of(catalog)["counts"]
    if as_json:
        print_json({"ok": True, "counts": counts})
    else:
        summary = ", ".join(f"{n} {name}" for name, n in counts.items())
        console.print(f"The knowledge base is valid: {summary}.")


def stats_of(catalog: Catalog) -> dict[str, Any]:
    working = {s.id: s.hours.working for s in catalog.skills.values()}
    chain_hours, chain = catalog.graph.longest_chain(working)
    return {
        "counts": {
            "skills": len(catalog.skills),
            "roles": len(catalog.roles),
            "specialisms": len(catalog.specialisms),
            "projects": len(catalog.projects),
            "pathways": len(catalog.pathways),
            "questions": len(catalog.questions),
            "interview_questions": len(catalog.interview_questions),
        },
        "skills_by_category": dict(
            sorted(Counter(str(s.category) for s in catalog.skills.values()).items())
        ),
        "hours_to_working_all_skills": round(sum(working.values()), 1),
        "longest_prerequisite_chain": {"hours": round(chain_hours, 1), "skills": list(chain)},
    }


@app.command()
def stats(ctx: typer.Context, as_json: JsonOpt = False) -> None:
    """Counts, skills per category, and the longest prerequisite chain in hours."""
    figures = stats_of(state(ctx).catalog)
    if as_json:
        print_json(figures)
        return
    table = Table(title="Knowledge base", show_header=True)
    table.add_column("what")
    table.add_column("count", justify="right")
    for name, n in figures["counts"].items():
        table.add_row(name, str(n))
    console.print(table)
    cats = Table(title="Skills by category")
    cats.add_column("category")
    cats.add_column("skills", justify="right")
    for name, n in figures["skills_by_category"].items():
        cats.add_row(name, str(n))
    console.print(cats)
    chain = figures["longest_prerequisite_chain"]
    console.print(
        f"Longest prerequisite chain: {chain['hours']} h to working level: "
        + " → ".join(chain["skills"])
    )
