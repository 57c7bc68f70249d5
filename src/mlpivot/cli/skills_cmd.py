"""`mlpivot skills` and `mlpivot skill show ID`."""

from __future__ import annotations

from typing import TYPE_CHECKING, Annotated

import typer
from rich.tree import Tree

from mlpivot.catalog.vocabulary import CATEGORY_NAMES, Category
from mlpivot.cli.context import state
from mlpivot.cli.output import console, people_table, print_json
from mlpivot.errors import UserError

if TYPE_CHECKING:
    from mlpivot.catalog import Catalog
    from mlpivot.catalog.models import Skill

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
    # At 80 columns: one table per category, the name with its id under it (what `skill show`
    # and `progress log` take), round hours, and what it builds on by name, wrapped at words.
    console.print(f"[bold]{len(skills)} skills[/bold]")
    by_category: dict[str, list[Skill]] = {}
    for s in skills:
        by_category.setdefault(str(s.category), []).append(s)
    for name, members in by_category.items():
        table = people_table(
            CATEGORY_NAMES.get(Category(name), name),
            [("skill (id)", "left"), ("hours", "right"), ("builds on", "left")],
            wrap="builds on",
        )
        for s in members:
            table.add_row(
                f"{s.name}\n[dim]{s.id}[/dim]",
                f"{s.hours.working:.0f} h",
                ", ".join(catalog.skill(p).name for p in s.prerequisites) or "—",
            )
        console.print(table)
    console.print("[dim]hours: from none to working level.[/dim]")


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
    category = CATEGORY_NAMES.get(Category(skill.category), str(skill.category))
    console.print(f"[bold]{skill.name}[/bold] ({skill.id}) — {category}")
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
        console.print("Needed by: " + ", ".join(catalog.roles[r].name for r in needed_by))
