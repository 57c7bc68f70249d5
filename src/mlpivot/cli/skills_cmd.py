"""`mlpivot skills` and `mlpivot skill show ID`."""

from __future__ import annotations

from typing import TYPE_CHECKING, Annotated

import typer
from rich.table import Table
from rich.tree import Tree

from mlpivot.catalog.vocabulary import Category
from mlpivot.cli.context import state
from mlpivot.cli.output import console, print_json
from mlpivot.errors import UserError

if TYPE_CHECKING:
    from mlpivot.catalog import Catalog

JsonOpt = Annotated[bool, typer.Option("--json", help="Print JSON instead of a table.")]

skill_app = typer.Typer(help="Look at one skill in depth.", no_args_is_help=True)


def register(app: typer.Typer) -> None:
    app.command("skills")(list_skills)
    app.add_typer(skill_app, name="skill")


def list_skills(
    ctx: typer.Context,
    role: Annotated[str | None, typer.Option(help="Only the skills this role needs.")] = None,
    category: Annotated[
        str | None,
        typer.Option(help="Only this category: " + ", ".join(c.value for c in Category) + "."),
    ] = None,
    as_json: JsonOpt = False,
) -> None:
    """List skills, with hours to working level and direct prerequisites."""
    catalog = state(ctx).catalog
    skills = list(catalog.skills.values())
    if role:
        wanted = {need.skill for need in catalog.role(role).skills}
        skills = [s for s in skills if s.id in wanted]
    if category:
        if category not in {c.value for c in Category}:
            raise UserError(
                f"there is no category '{category}'; choose one of "
                + ", ".join(c.value for c in Category)
            )
        skills = [s for s in skills if s.category == category]
    skills.sort(key=lambda s: (s.category, s.id))
    if as_json:
        print_json(skills)
        return
    table = Table(title=f"{len(skills)} skills")
    for col in ("id", "name", "category", "hours to working", "requires"):
        table.add_column(col)
    for s in skills:
        table.add_row(
            s.id, s.name, str(s.category), f"{s.hours.working:g}", ", ".join(s.prerequisites)
        )
    console.print(table)


def _tree(catalog: Catalog, skill_id: str, node: Tree, seen: set[str]) -> None:
    for pre in catalog.graph.prerequisites(skill_id):
        skill = catalog.skill(pre)
        label = f"{skill.name} [dim]({pre}, {skill.hours.working:g} h)[/dim]"
        if pre in seen:
            node.add(label + " [dim]…[/dim]")
            continue
        _tree(catalog, pre, node.add(label), seen | {pre})


@skill_app.command("show")
def show_skill(
    ctx: typer.Context,
    skill_id: Annotated[str, typer.Argument(help="A skill id, name or alias, e.g. pytorch.")],
    as_json: JsonOpt = False,
) -> None:
    """One skill: hours, what it builds on (as a tree), resources, how to show it."""
    catalog = state(ctx).catalog
    skill = catalog.skill(skill_id)
    needed_by = sorted(
        r.id for r in catalog.roles.values() if any(n.skill == skill.id for n in r.skills)
    )
    if as_json:
        data = skill.model_dump(mode="json")
        data["all_prerequisites"] = catalog.graph.sort(catalog.graph.ancestors[skill.id])
        data["needed_by_roles"] = needed_by
        print_json(data)
        return
    console.print(f"[bold]{skill.name}[/bold] ({skill.id}) — {skill.category}")
    console.print(skill.description)
    if skill.aliases:
        console.print("Also written: " + ", ".join(skill.aliases))
    console.print(
        f"Hours: {skill.hours.working:g} to working, {skill.hours.strong:g} more to strong "
        f"[dim]({skill.hours_basis})[/dim]"
    )
    tree = Tree(f"[bold]{skill.name}[/bold] builds on")
    _tree(catalog, skill.id, tree, {skill.id})
    if tree.children:
        console.print(tree)
    else:
        console.print("No prerequisites.")
    console.print("[bold]Resources[/bold]")
    for res in skill.resources:
        console.print(f"  • {res.title} ({res.kind}{', free' if res.free else ''}): {res.url}")
    console.print("[bold]How to show it[/bold]: " + "; ".join(skill.evidence))
    if needed_by:
        console.print("Needed by: " + ", ".join(needed_by))
