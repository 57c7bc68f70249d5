"""A tailored resume out of mlpivot: Markdown, HTML, PDF and JSON Resume, changes marked.

With `marked=True` (the default of `mlpivot resume tailor`) every moved or reordered line is
marked — an HTML comment in Markdown, `<mark>` in HTML, a highlight in the PDF — and the
suggestions follow, so the person sees what changed and why. With
`marked=False` the result is the clean copy to send. Pure functions: the same input gives the
same bytes.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from html import escape
from io import BytesIO
from typing import Any, Literal

Format = Literal["md", "html", "pdf", "json"]
FORMATS: tuple[Format, ...] = ("md", "html", "pdf", "json")


@dataclass(frozen=True)
class ResumeLine:
    """One line to print: its text without the list mark, whether it is a bullet, its mark."""

    text: str
    bullet: bool = False
    mark: str | None = None
    raw: str = ""
    """the line as the resume writes it (Markdown keeps it verbatim)"""


def to_markdown(
    lines: Sequence[ResumeLine], suggestions: Sequence[str], marked: bool = True
) -> str:
    out = [
        f"{line.raw}  <!-- mlpivot {line.mark} -->" if marked and line.mark else line.raw
        for line in lines
    ]
    if marked and suggestions:
        out += ["", "<!-- mlpivot suggestions (write these yourself, only if true):"]
        out += [f"  - {s}" for s in suggestions]
        out.append("-->")
    return "\n".join(out) + "\n"


def to_html(
    lines: Sequence[ResumeLine], suggestions: Sequence[str], title: str, marked: bool = True
) -> str:
    body: list[str] = []
    in_list = False
    for line in lines:
        text = escape(line.text)
        if marked and line.mark:
            text = f'<mark title="{escape(line.mark)}">{text}</mark>'
        if line.bullet != in_list:
            body.append("<ul>" if line.bullet else "</ul>")
            in_list = line.bullet
        if line.bullet:
            body.append(f"<li>{text}</li>")
        elif text:
            body.append(f"<p>{text}</p>")
    if in_list:
        body.append("</ul>")
    if marked and suggestions:
        body.append("<aside><h2>Suggestions (write these yourself, only if true)</h2><ul>")
        body += [f"<li>{escape(s)}</li>" for s in suggestions]
        body.append("</ul></aside>")
    return (
        f'<!doctype html>\n<html lang="en"><head><meta charset="utf-8"><title>{escape(title)}'
        "</title></head><body>\n" + "\n".join(body) + "\n</body></html>\n"
    )


def to_pdf(
    lines: Sequence[ResumeLine], suggestions: Sequence[str], title: str, marked: bool = True
) -> bytes:
    from reportlab.lib import colors
    from reportlab.lib.pagesizes import A4
    from reportlab.lib.styles import getSampleStyleSheet
    from reportlab.platypus import Paragraph, SimpleDocTemplate, Spacer

    styles = getSampleStyleSheet()
    story: list[Any] = []
    for line in lines:
        if not line.text:
            story.append(Spacer(1, 4))
            continue
        text = escape(line.text)
        if marked and line.mark:
            text = f'<font backColor="{colors.yellow.hexval()}">{text}</font>'
        style = styles["Bullet"] if line.bullet else styles["BodyText"]
        story.append(Paragraph(("• " if line.bullet else "") + text, style))
    if marked and suggestions:
        story.append(Paragraph("Suggestions (write these yourself, only if true)", styles["h2"]))
        story += [Paragraph("• " + escape(s), styles["Bullet"]) for s in suggestions]
    buffer = BytesIO()
    SimpleDocTemplate(buffer, pagesize=A4, title=title, invariant=True).build(story)
    return buffer.getvalue()


def render(
    lines: Sequence[ResumeLine],
    suggestions: Sequence[str],
    fmt: Literal["md", "html", "pdf"],
    title: str,
    marked: bool = True,
) -> bytes:
    """The printable formats; JSON Resume is data, made by `ingest.tailor.json_resume`."""
    if fmt == "md":
        return to_markdown(lines, suggestions, marked).encode("utf-8")
    if fmt == "html":
        return to_html(lines, suggestions, title, marked).encode("utf-8")
    return to_pdf(lines, suggestions, title, marked)
