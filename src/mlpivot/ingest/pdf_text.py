"""The text layer of a PDF, page by page, without running headers, footers and page numbers."""

from __future__ import annotations

import io
import logging
import re

from mlpivot.errors import IngestError
from mlpivot.ingest.deadline import Deadline
from mlpivot.ingest.pdf_layout import page_lines
from mlpivot.ingest.plain_text import PAGE_NUMBER


def read_pdf(label: str, data: bytes, deadline: Deadline) -> tuple[str, list[str]]:
    """The text layer of a PDF, page by page, columns read one after the other.

    Headers and footers (a line repeated at the top or bottom of several pages, page numbers)
    are dropped so they do not split a position in two.
    """
    import pdfplumber
    import pypdf
    from pdfminer.pdfparser import PDFSyntaxError
    from pdfminer.psparser import PSException
    from pypdf.errors import DependencyError, FileNotDecryptedError, PdfReadError

    warnings: list[str] = []
    # pypdf logs what it repairs; the person gets our warnings instead of its log lines.
    logging.getLogger("pypdf").setLevel(logging.ERROR)
    if b"%%EOF" not in data[-2048:]:
        warnings.append(f"{label}: the PDF looks cut off (no end marker); some text may be missing")
    try:
        reader = pypdf.PdfReader(io.BytesIO(data), strict=False)
        if reader.is_encrypted and not reader.decrypt(""):
            raise IngestError(
                f"{label}: the PDF is password-protected; save or print an unprotected copy "
                "and import that"
            )
        pages = list(reader.pages)
        lines_per_page: list[list[tuple[float, str]]] = []
        images = 0
        heights: list[float] = []
        with pdfplumber.open(io.BytesIO(data)) as laid_out:
            for page, placed in zip(pages, laid_out.pages, strict=False):
                deadline.check()
                heights.append(float(placed.height))
                lines_per_page.append(page_lines(placed))
                images += _image_count(page)
    except IngestError:
        raise
    except (FileNotDecryptedError, DependencyError):
        raise IngestError(
            f"{label}: the PDF is encrypted in a way mlpivot cannot open; save or print an "
            "unprotected copy and import that"
        ) from None
    except (
        PdfReadError,
        PDFSyntaxError,
        PSException,
        ValueError,
        KeyError,
        TypeError,
        AttributeError,
        IndexError,
    ) as exc:
        raise IngestError(
            f"{label}: the PDF is damaged or incomplete and could not be read "
            f"({str(exc) or type(exc).__name__}); export it again from the original"
        ) from None
    if not pages:
        raise IngestError(f"{label}: the PDF has no pages")
    kept, dropped = _drop_running_lines(lines_per_page, heights)
    if dropped:
        warnings.append(f"{label}: left out {dropped} repeated header/footer line(s)")
    text = "\n\n".join("\n".join(lines) for lines in kept).strip()
    if not text:
        what = "images only (it looks like a scan)" if images else "no text in it"
        raise IngestError(
            f"{label}: the PDF has {what} and no text layer; run OCR on it (for example with "
            "ocrmypdf) or export a PDF with text from the original document"
        )
    return text, warnings


def _image_count(page: object) -> int:
    try:
        return len(page.images)  # type: ignore[attr-defined]
    except Exception:  # an unreadable image only matters for the "scan" message
        return 0


def _running_key(line: str) -> str:
    return re.sub(r"\d+", "#", line.casefold())


def _drop_running_lines(
    pages: list[list[tuple[float, str]]], heights: list[float]
) -> tuple[list[list[str]], int]:
    """Drop page numbers, and lines near the top or bottom edge that repeat on other pages."""
    seen: dict[str, int] = {}
    for lines, height in zip(pages, heights, strict=True):
        for key in {_running_key(t) for y, t in lines if _near_edge(y, height)}:
            seen[key] = seen.get(key, 0) + 1
    kept: list[list[str]] = []
    dropped = 0
    for lines, height in zip(pages, heights, strict=True):
        page: list[str] = []
        for y, line in lines:
            edge = _near_edge(y, height)
            if edge and (PAGE_NUMBER.match(line) or seen.get(_running_key(line), 0) > 1):
                dropped += 1
                continue
            page.append(line)
        kept.append(page)
    return kept, dropped


def _near_edge(y: float, height: float) -> bool:
    return height > 0 and (y > 0.92 * height or y < 0.08 * height)
