"""The text of a DOCX file, in the order a person reads it."""

from __future__ import annotations

import io
import zipfile
from typing import Any

from mlpivot.errors import IngestError
from mlpivot.ingest.deadline import Deadline
from mlpivot.ingest.plain_text import PAGE_FIELD


def read_docx(label: str, data: bytes, deadline: Deadline) -> str:
    """Paragraphs and table rows in document order, then headers and footers once each."""
    import docx

    try:
        document = docx.Document(io.BytesIO(data))
    except (zipfile.BadZipFile, KeyError, ValueError) as exc:
        raise IngestError(f"{label}: this is not a readable DOCX file ({exc})") from None
    lines: list[str] = []
    for child in document.element.body.iterchildren():
        deadline.check()
        lines.extend(_block_lines(child))
    extra: list[str] = []
    for section in document.sections:
        for part in (section.header, section.footer):
            for paragraph in part.paragraphs:
                text = _without_page_number(_run_text(paragraph._p))
                if text and text not in extra:
                    extra.append(text)
    return "\n".join([*extra[:1], *lines, *extra[1:]]).strip()


def _without_page_number(text: str) -> str:
    """A header or footer line without its page field ("Jane Doe · Page 2 of 3" -> "Jane Doe")."""
    text = PAGE_FIELD.sub(" ", text)
    return " ".join(text.split()).strip(" ·|-–—,")


def _block_lines(element: Any) -> list[str]:
    tag = element.tag.rsplit("}", 1)[-1]
    if tag == "p":
        lines = _run_text(element).split("\n")
        if _is_list_item(element) and lines[0].strip():
            # Word draws the bullet from numbering, not text; write it so a reader sees one.
            lines[0] = "• " + lines[0].lstrip()
        return lines
    if tag == "tbl":
        return _table_lines(element)
    if tag == "sdt":  # a content control wraps ordinary paragraphs and tables
        content = next((c for c in element.iterchildren() if c.tag.endswith("}sdtContent")), None)
        return (
            [] if content is None else [x for c in content.iterchildren() for x in _block_lines(c)]
        )
    return []


def _is_list_item(paragraph: Any) -> bool:
    """A paragraph with list numbering, directly or through a list style ("List Bullet")."""
    props = next((c for c in paragraph.iterchildren() if c.tag.endswith("}pPr")), None)
    if props is None:
        return False
    for child in props.iterchildren():
        if child.tag.endswith("}numPr"):
            return True
        if child.tag.endswith("}pStyle"):
            style = next((v for k, v in child.attrib.items() if k.endswith("}val")), "")
            if style.casefold().startswith("list"):
                return True
    return False


def _run_text(element: Any) -> str:
    """The text inside an lxml element as written: a tab becomes " | ", a line break a newline."""
    out: list[str] = []
    for node in element.iter():
        name = node.tag.rsplit("}", 1)[-1] if isinstance(node.tag, str) else ""
        if name == "t":
            out.append(node.text or "")
        elif name == "tab" and node.getparent() is not None and node.getparent().tag.endswith("}r"):
            out.append(" | ")
        elif name in ("br", "cr"):
            out.append("\n")
    return "".join(out)


_LAYOUT_CELL_LINES = 6
"""A cell with more lines than this is a page region (a sidebar), not a table entry."""


def _table_lines(table: Any) -> list[str]:
    """A table in reading order.

    A layout table (a sidebar and a main column) is read cell after cell; an entry table
    ("2019 - present | Senior Analyst" over its details) gives one line per row with the first
    line of each cell, followed by the remaining lines of its cells.
    """
    lines: list[str] = []
    for row in table.iterchildren():
        if not row.tag.endswith("}tr"):
            continue
        cells = [
            [line for c in cell.iterchildren() for line in _block_lines(c) if line.strip()]
            for cell in row.iterchildren()
            if cell.tag.endswith("}tc")
        ]
        cells = [c for c in cells if c]
        if not cells:
            continue
        if max(len(c) for c in cells) > _LAYOUT_CELL_LINES:
            lines.extend(line for cell in cells for line in cell)
            continue
        lines.append(" | ".join(cell[0].strip() for cell in cells))
        lines.extend(line for cell in cells for line in cell[1:])
    return lines
