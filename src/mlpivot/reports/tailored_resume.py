"""A tailored resume out of mlpivot: Markdown, HTML, PDF and JSON Resume, changes marked.

With `marked=True` (the default of `mlpivot resume tailor`) every moved or reordered line is
marked — an HTML comment in Markdown, `<mark>` in HTML, a highlight in the PDF, a `meta` list in
JSON Resume — and the suggestions follow, so the person sees what changed and why. With
`marked=False` the result is the clean copy to send. Pure functions: the same input gives the
same bytes.
"""

from __future__ import annotations

import json
from html import escape
from io import BytesIO
from typing import Any, Literal

from mlpivot.ingest.plain_text import BULLET
from mlpivot.ingest.resume import Resume
from mlpivot.ingest.tailor import TailoredResume

Format = Literal["md", "html", "pdf", "json"]
FORMATS: tuple[Format, ...] = ("md", "html", "pdf", "json")


def _marks(tailored: TailoredResume) -> dict[int, str]:
    words = {"moved-up": "moved up", "reordered": "reordered"}
    return {c.line_number: f"{words[c.kind]}: {c.reason}" for c in tailored.changes}


def to_markdown(tailored: TailoredResume, marked: bool = True) -> str:
    marks = _marks(tailored) if marked else {}
    out = [
        f"{line}  <!-- mlpivot {marks[n]} -->" if n in marks else line
        for n, line in enumerate(tailored.text.split("\n"), start=1)
    ]
    if marked and tailored.suggestions:
        out += ["", "<!-- mlpivot suggestions (write these yourself, only if true):"]
        out += [f"  - {s}" for s in tailored.suggestions]
        out.append("-->")
    return "\n".join(out) + "\n"


def to_html(tailored: TailoredResume, title: str, marked: bool = True) -> str:
    marks = _marks(tailored) if marked else {}
    body: list[str] = []
    in_list = False
    for n, line in enumerate(tailored.text.split("\n"), start=1):
        bullet = BULLET.match(line) is not None
        text = escape(BULLET.sub("", line).strip())
        if n in marks:
            text = f'<mark title="{escape(marks[n])}">{text}</mark>'
        if bullet and not in_list:
            body.append("<ul>")
            in_list = True
        if not bullet and in_list:
            body.append("</ul>")
            in_list = False
        if bullet:
            body.append(f"<li>{text}</li>")
        elif text:
            body.append(f"<p>{text}</p>")
    if in_list:
        body.append("</ul>")
    if marked and tailored.suggestions:
        body.append("<aside><h2>Suggestions (write these yourself, only if true)</h2><ul>")
        body += [f"<li>{escape(s)}</li>" for s in tailored.suggestions]
        body.append("</ul></aside>")
    return (
        f'<!doctype html>\n<html lang="en"><head><meta charset="utf-8"><title>{escape(title)}'
        "</title></head><body>\n" + "\n".join(body) + "\n</body></html>\n"
    )


def to_pdf(tailored: TailoredResume, title: str, marked: bool = True) -> bytes:
    from reportlab.lib import colors
    from reportlab.lib.pagesizes import A4
    from reportlab.lib.styles import getSampleStyleSheet
    from reportlab.platypus import Paragraph, SimpleDocTemplate, Spacer

    styles = getSampleStyleSheet()
    marks = _marks(tailored) if marked else {}
    story: list[Any] = []
    for n, line in enumerate(tailored.text.split("\n"), start=1):
        if not line.strip():
            story.append(Spacer(1, 4))
            continue
        bullet = BULLET.match(line) is not None
        text = escape(BULLET.sub("", line).strip())
        style = styles["Bullet"] if bullet else styles["BodyText"]
        paragraph = Paragraph(("• " if bullet else "") + text, style)
        if n in marks:
            paragraph = Paragraph(
                ("• " if bullet else "") + f'<font backColor="{colors.yellow.hexval()}">{text}'
                "</font>",
                style,
            )
        story.append(paragraph)
    if marked and tailored.suggestions:
        story.append(Paragraph("Suggestions (write these yourself, only if true)", styles["h2"]))
        story += [Paragraph("• " + escape(s), styles["Bullet"]) for s in tailored.suggestions]
    buffer = BytesIO()
    SimpleDocTemplate(buffer, pagesize=A4, title=title, invariant=True).build(story)
    return buffer.getvalue()


def to_json_resume(tailored: TailoredResume, resume: Resume, marked: bool = True) -> dict[str, Any]:
    """The JSON Resume shape (jsonresume.org): work highlights in the tailored order."""
    lines = tailored.text.split("\n")
    rank = {BULLET.sub("", line).strip(): i for i, line in enumerate(lines)}
    work = []
    for position in resume.positions:
        highlights = [BULLET.sub("", h).strip() for h in position.lines if h.strip()]
        highlights.sort(key=lambda h: rank.get(h, len(lines)))
        entry: dict[str, Any] = {"name": position.employer, "position": position.title}
        if position.start:
            entry["startDate"] = position.start.isoformat()[:7]
        if position.end:
            entry["endDate"] = position.end.isoformat()[:7]
        entry["highlights"] = highlights
        work.append(entry)
    name = next((line.strip("# ").strip() for line in lines if line.strip()), "")
    document: dict[str, Any] = {
        "basics": {"name": name},
        "work": work,
        "education": [
            {k: v for k, v in item.model_dump(mode="json").items() if v is not None}
            for item in resume.education
        ],
        "skills": [{"name": skill} for skill in tailored.skills],
    }
    if marked:
        document["meta"] = {
            "mlpivot": {
                "changes": [
                    {"line": c.line_number, "kind": c.kind, "reason": c.reason}
                    for c in tailored.changes
                ],
                "suggestions": list(tailored.suggestions),
            }
        }
    return document


def render(
    tailored: TailoredResume, resume: Resume, fmt: Format, title: str, marked: bool = True
) -> bytes:
    if fmt == "md":
        return to_markdown(tailored, marked).encode("utf-8")
    if fmt == "html":
        return to_html(tailored, title, marked).encode("utf-8")
    if fmt == "pdf":
        return to_pdf(tailored, title, marked)
    document = to_json_resume(tailored, resume, marked)
    return (json.dumps(document, indent=2, ensure_ascii=False) + "\n").encode("utf-8")
