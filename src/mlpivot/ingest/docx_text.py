"""The text of a DOCX file, in the order a person reads it."""

from __future__ import annotations

import io
import zipfile
from typing import Any

from mlpivot.errors import IngestError
from mlpivot.ingest.deadline import Deadline


def read_docx(label: str, data: bytes, deadline: Deadline) -> str:
    """Paragraphs and table rows in document order, then headers and footers once each."""
    import docx

    try:
        document = docx.Document(io.BytesIO(data))
    except (zipfile.BadZipFile, KeyError, ValueError) as exc:
        raise IngestError(f"{label}: this is not a readable DOCX file ({exc})") from None
    lines: list[str] = []
    body = document.element.body
    for child in body.iterchildren():
        deadline.check()
        tag = child.tag.rsplit("}", 1)[-1]
        if tag == "p":
            lines.append(_run_text(child))
        elif tag == "tbl":
            lines.extend(_table_rows(child))
    extra: list[str] = []
    for section in document.sections:
        for part in (section.header, section.footer):
            for paragraph in part.paragraphs:
                if paragraph.text.strip() and paragraph.text not in extra:
                    extra.append(paragraph.text)
    return "\n".join([*extra[:1], *lines, *extra[1:]]).strip()


def _run_text(element: Any) -> str:
    """All the text (`w:t`) inside an lxml element of the document, joined as written."""
    return "".join(t.text or "" for t in element.iter() if t.tag.endswith("}t"))


def _table_rows(table: Any) -> list[str]:
    """One line per table row, its non-empty cells joined with ` | `."""
    rows: list[str] = []
    for row in table.iter():
        if not row.tag.endswith("}tr"):
            continue
        cells = [_run_text(cell).strip() for cell in row.iterchildren() if cell.tag.endswith("}tc")]
        rows.append(" | ".join(c for c in cells if c))
    return rows
