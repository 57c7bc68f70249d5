"""`mlpivot extract FILE|-`: the skills named in a text, with where each was found."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from mlpivot.cli.context import state
from mlpivot.cli.output import confidence_words, console, print_json
from mlpivot.errors import UserError

if TYPE_CHECKING:
    from mlpivot.ingest.extract import SkillMention

MAX_BYTES = 5_000_000


def register(app: typer.Typer) -> None:
    app.command("extract")(extract)


def _read(source: str) -> str:
    if source == "-":
        return sys.stdin.read()
    path = Path(source)
    if not path.is_file():
        raise UserError(f"{source}: there is no such file")
    if path.stat().st_size > MAX_BYTES:
        raise UserError(f"{source}: the file is larger than {MAX_BYTES // 1_000_000} MB")
    try:
        return path.read_text(encoding="utf-8")
    except UnicodeDecodeError:
        raise UserError(f"{source}: this is not a UTF-8 text file") from None


def _line_of(text: str, m: SkillMention) -> tuple[int, str]:
    start = text.rfind("\n", 0, m.start) + 1
    end = text.find("\n", m.end)
    line = text[start : end if end >= 0 else len(text)].strip()
    return text.count("\n", 0, m.start) + 1, line


def _window(text: str, m: SkillMention, width: int = 24) -> str:
    """The mention in its surroundings, on one line, for a narrow table column."""
    from rich.markup import escape

    lo, hi = max(0, m.start - width), min(len(text), m.end + width)
    before = escape(" ".join(text[lo : m.start].split()))
    after = escape(" ".join(text[m.end : hi].split()))
    more = "…" if hi < len(text) else ""
    return f"{'…' if lo else ''}{before} [bold]{escape(m.text)}[/bold] {after}{more}"


def _conll(text: str, mentions: list[SkillMention]) -> str:
    """One token a line (token, BIO tag with type, skill id), a blank line between lines."""
    from mlpivot.ingest.extract import tokenize

    outer = [
        m
        for m in mentions
        if not any(
            o is not m
            and o.start <= m.start
            and m.end <= o.end
            and (o.end - o.start) > (m.end - m.start)
            for o in mentions
        )
    ]
    out: list[str] = []
    prev_end = 0
    for a, b in tokenize(text):
        if out and "\n" in text[prev_end:a]:
            out.append("")
        prev_end = b
        tag, sid = "O", "_"
        for m in outer:
            if m.start <= a and b <= m.end:
                tag = ("B-" if a == m.start else "I-") + m.span_type
                sid = m.skill_id or "_"
                break
        out.append(f"{text[a:b]}\t{tag}\t{sid}")
    return "\n".join(out) + "\n"


def extract(
    ctx: typer.Context,
    source: Annotated[str, typer.Argument(help="A text file, or - to read standard input.")],
    as_json: Annotated[bool, typer.Option("--json", help="Print JSON instead of a table.")] = False,
    fmt: Annotated[
        str, typer.Option("--format", help="table (default) or conll (one token a line).")
    ] = "table",
) -> None:
    """Find the skills named in a text: offsets, the catalog skill, and the line as evidence."""
    from mlpivot.ingest.extract import extract_skills

    if fmt not in ("table", "conll"):
        raise UserError(f"there is no format '{fmt}'; choose table or conll")
    text = _read(source)
    mentions = extract_skills(text, state(ctx).catalog)
    if as_json:
        print_json(
            [
                {**m.__dict__, "line": _line_of(text, m)[0], "evidence": _line_of(text, m)[1]}
                for m in mentions
            ]
        )
        return
    if fmt == "conll":
        sys.stdout.write(_conll(text, mentions))
        return
    catalog = state(ctx).catalog
    from rich import box
    from rich.table import Table

    # both text columns wrap at word boundaries; the short ones never do
    table = Table(title=f"{len(mentions)} skill mentions", box=box.SIMPLE_HEAD, pad_edge=False)
    table.add_column("line", justify="right", no_wrap=True)
    table.add_column("skill", ratio=2)
    table.add_column("how sure", no_wrap=True)
    table.add_column("in the text", ratio=3)
    for m in mentions:
        line_no, _ = _line_of(text, m)
        skill = catalog.skills.get(m.skill_id or "")
        table.add_row(
            str(line_no),
            skill.name if skill else f"{m.text} [dim](not in the catalog)[/dim]",
            confidence_words(m.confidence),
            _window(text, m),
        )
    console.print(table)
    console.print(
        "[dim]how sure: from the extractor's confidence; --json gives the exact figure, the "
        "character offsets and whether a span is a skill or knowledge.[/dim]"
    )
