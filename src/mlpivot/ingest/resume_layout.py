"""What an applicant-tracking system meets in a resume file before it reads a word.

Screening systems extract text the simple way: top to bottom, left to right, body text only.
What trips them is known and visible in the file itself — pages whose text is an image, two
columns read across, tables and text boxes, contact details that exist only in a page header,
an unusual file type or a heavy file. These are facts about the file, measured here without
judging them; `resume_check` turns them into advice.
"""

from __future__ import annotations

import io
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Literal

FileKind = Literal["pdf", "docx", "markdown", "text", "json", "other"]

MIN_TEXT_CHARS_PER_PAGE = 80
"""a page with less extractable text than this (and an image) is read as an image of text"""


@dataclass(frozen=True)
class LayoutFacts:
    """Measured facts about a resume file; page numbers are 1-based."""

    kind: FileKind
    size_bytes: int
    pages: int | None = None
    image_only_pages: tuple[int, ...] = ()
    images: int = 0
    multi_column_pages: tuple[int, ...] = ()
    tables: int = 0
    text_boxes: int = 0
    contact_only_in_header: bool = False


def _kind(name: str, data: bytes) -> FileKind:
    suffix = Path(name).suffix.lower()
    if data[:5] == b"%PDF-":
        return "pdf"
    if data[:2] == b"PK" and suffix in (".docx", ""):
        return "docx"
    if suffix in (".md", ".markdown"):
        return "markdown"
    if suffix == ".json":
        return "json"
    if suffix in (".txt", ".text", ""):
        return "text"
    return "other"


def layout_facts(data: bytes, name: str) -> LayoutFacts:
    """The facts of one file; a file that cannot be opened is left to the resume reader's errors."""
    kind = _kind(name, data)
    if kind == "pdf":
        return _pdf_facts(data)
    if kind == "docx":
        return _docx_facts(data)
    return LayoutFacts(kind=kind, size_bytes=len(data))


def _pdf_facts(data: bytes) -> LayoutFacts:
    import pdfplumber

    from mlpivot.ingest.pdf_layout import has_columns

    image_only: list[int] = []
    columns: list[int] = []
    images = tables = 0
    with pdfplumber.open(io.BytesIO(data)) as pdf:
        for number, page in enumerate(pdf.pages, start=1):
            text = page.extract_text() or ""
            page_images = len(page.images)
            images += page_images
            if page_images and len(text.strip()) < MIN_TEXT_CHARS_PER_PAGE:
                image_only.append(number)
            if has_columns(page):
                columns.append(number)
            tables += sum(
                1
                for table in page.find_tables()
                if len(table.rows) >= 2 and max(len(r.cells) for r in table.rows) >= 2
            )
        pages = len(pdf.pages)
    return LayoutFacts(
        kind="pdf",
        size_bytes=len(data),
        pages=pages,
        image_only_pages=tuple(image_only),
        images=images,
        multi_column_pages=tuple(columns),
        tables=tables,
    )


def _docx_facts(data: bytes) -> LayoutFacts:
    import docx

    document = docx.Document(io.BytesIO(data))
    body = document.element.body
    text_boxes = len(body.xpath(".//w:txbxContent"))
    header_text = " ".join(
        p.text for s in document.sections for p in (*s.header.paragraphs, *s.footer.paragraphs)
    )
    body_text = "\n".join(p.text for p in document.paragraphs)
    return LayoutFacts(
        kind="docx",
        size_bytes=len(data),
        images=len(document.inline_shapes),
        tables=len(document.tables),
        text_boxes=text_boxes,
        contact_only_in_header=_has_contact(header_text) and not _has_contact(body_text),
    )


CONTACT = re.compile(
    r"[\w.+-]+@[\w-]+\.[\w.-]+"  # an e-mail address
    r"|\+\d[\d ().-]{7,}\d"  # an international number
    r"|\(?\b\d{3}\)?[ .-]\d{3}[ .-]\d{4}\b"  # a North American number
)
"""an e-mail address or a phone number (a date range such as "2014 - 2018" is neither)"""


def _has_contact(text: str) -> bool:
    return CONTACT.search(text) is not None
