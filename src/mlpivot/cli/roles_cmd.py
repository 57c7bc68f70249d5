"""`mlpivot roles` and `mlpivot role show ID`."""

from __future__ import annotations

from typing import TYPE_CHECKING, Annotated

import typer

from mlpivot.cli.context import state
from mlpivot.cli.output import bar, console, people_table, print_json

if TYPE_CHECKING:
    from mlpivot.catalog.models import Role

JsonOpt = Annotated[bool, typer.Option("--json", help="Print JSON instead of a table.")]

role_app = typer.Typer(help="Look at one role in depth.", no_args_is_help=True)


def register(app: typer.Typer) -> None:
    app.command("roles")(list_roles)
    app.add_typer(role_app, name="role")


def list_roles(ctx: typer.Context, as_json: JsonOpt = False) -> None:
    """The ML roles mlpivot knows (and the software-engineer reference role)."""
    roles = list(state(ctx).catalog.roles.values())
    if as_json:
        print_json([_summary(r) for r in roles])
        return
    table = people_table(
        "Roles",
        [
            ("name", "left"),
            ("id", "left"),
            ("first job?", "left"),
            ("maths", "left"),
        ],
    )
    for role in roles:
        name = role.name + (" *" if role.kind == "reference" else "")
        table.add_row(name, role.id, "often" if role.entry_level else "rarely", role.maths_depth)
    console.print(table)
    console.print("* where most people come from; mlpivot compares against it.")
    console.print("`mlpivot role show ID` tells what the work is, who it suits and its skills.")


def _summary(role: Role) -> dict[str, object]:
    return {
        "id": role.id,
        "name": role.name,
        "kind": role.kind,
        "entry_level": role.entry_level,
        "maths_depth": role.maths_depth,
        "skills": len(role.skills),
        "summary": role.summary,
    }


@role_app.command("show")
def show_role(
    ctx: typer.Context,
    role_id: Annotated[str, typer.Argument(help="A role id, name or alias, e.g. ml-engineer.")],
    as_json: JsonOpt = False,
) -> None:
    """Everything about one role: what the work is, who it suits, and the skills it needs."""
    from mlpivot.catalog.models import LEVEL_NAMES

    catalog = state(ctx).catalog
    role = catalog.role(role_id)
    if as_json:
        print_json(role)
        return
    console.print(f"[bold]{role.name}[/bold] ({role.id})")
    if role.aliases:
        console.print("Also called: " + ", ".join(role.aliases))
    console.print(role.summary + "\n")
    for title, items in (
        ("Day to day", role.responsibilities),
        ("Suits", role.suits),
        ("Usual routes in", role.entry_routes),
        ("Interviews", role.interview_formats),
    ):
        if items:
            console.print(f"[bold]{title}[/bold]")
            for item in items:
                console.print(f"  • {item}")
    table = people_table(
        f"Skills for {role.name} (maths depth: {role.maths_depth})",
        [
            ("skill", "left"),
            ("needed", "left"),
            ("importance", "left"),
            ("hours from none", "right"),
        ],
    )
    from mlpivot.engine.gap import cumulative_hours

    for need in sorted(role.skills, key=lambda s: -s.weight):
        skill = catalog.skill(need.skill)
        table.add_row(
            skill.name,
            LEVEL_NAMES[need.level],
            bar(need.weight, width=5),
            f"{cumulative_hours(skill, need.level):.0f} h to {LEVEL_NAMES[need.level]}",
        )
    console.print(table)
