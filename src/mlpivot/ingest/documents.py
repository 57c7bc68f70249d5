"""Outside files into plain text, within a size and a time limit, explaining what went wrong.

People drop in whatever they have: a PDF exported from a word processor, a scan, a DOCX, a
Markdown file, a web page. Every failure here becomes an `IngestError` whose message starts with
the file name and says what to do instead; problems that still leave usable text (a file that is
not UTF-8, text mostly in another script, a truncated PDF) become warnings on the `Document`.
The file type is decided by its first bytes before its name, so a PNG renamed `.pdf` is caught;
the readers for each format are `pdf_text`, `docx_text` and `html_text`.
"""

from __future__ import annotations

import time
import unicodedata
from dataclasses import dataclass
from pathlib import Path
from typing import Literal

from mlpivot.errors import IngestError
from mlpivot.ingest.deadline import Deadline, run_with_watchdog
from mlpivot.limits import MAX_DOCUMENT_BYTES

__all__ = [
    "DEFAULT_MAX_BYTES",
    "DEFAULT_TIMEOUT_SECONDS",
    "Document",
    "DocumentKind",
    "decode_text",
    "read_document",
    "sniff",
]

DocumentKind = Literal["pdf", "docx", "html", "markdown", "text", "json"]

DEFAULT_MAX_BYTES = MAX_DOCUMENT_BYTES
DEFAULT_TIMEOUT_SECONDS = 30.0

# Signatures of binary formats people rename by mistake, for a message that says what it is.
_SIGNATURES: tuple[tuple[bytes, str], ...] = (
    (b"\x89PNG\r\n\x1a\n", "a PNG image"),
    (b"\xff\xd8\xff", "a JPEG image"),
    (b"GIF8", "a GIF image"),
    (b"II*\x00", "a TIFF image"),
    (b"MM\x00*", "a TIFF image"),
    (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1", "an old-style Word/Office document (.doc)"),
    (b"PK\x03\x04", "a ZIP archive (DOCX, ODT or similar)"),
    (b"\x7fELF", "a program (ELF executable)"),
    (b"MZ", "a Windows program"),
    (b"\x1f\x8b", "a gzip archive"),
    (b"{\\rtf", "an RTF document"),
)
_TEXT_SUFFIXES = frozenset({".txt", ".text", ".md", ".markdown", ".rst", ""})
_HTML_SUFFIXES = frozenset({".html", ".htm", ".xhtml"})


@dataclass(frozen=True)
class Document:
    """The text of one file, what kind it was, and what the reader noticed on the way."""

    name: str
    kind: DocumentKind
    text: str
    warnings: tuple[str, ...] = ()


def read_document(
    source: str | Path | bytes,
    name: str | None = None,
    *,
    max_bytes: int = DEFAULT_MAX_BYTES,
    timeout_seconds: float = DEFAULT_TIMEOUT_SECONDS,
) -> Document:
    """Read a file (a path, or its bytes with `name`) into text.

    The size is checked before a byte is read, so a 50 MB file costs nothing. Parsing runs under
    `timeout_seconds`: the PDF and DOCX readers check the deadline between pages and paragraphs,
    and a watchdog thread gives up on a parser stuck inside one page.
    """
    label, data = _load(source, name, max_bytes)
    deadline = Deadline(time.monotonic() + timeout_seconds, label, timeout_seconds)
    document = run_with_watchdog(lambda: _parse(label, data, deadline), deadline)
    if not document.text.strip():
        raise IngestError(f"{label}: the file has no text in it")
    return _with_script_warning(document)


def _load(source: str | Path | bytes, name: str | None, max_bytes: int) -> tuple[str, bytes]:
    limit = f"{max_bytes / 1_000_000:g} MB"
    if isinstance(source, bytes):
        label = name or "document"
        if len(source) > max_bytes:
            raise IngestError(f"{label}: the file is larger than the {limit} limit")
        data = source
    else:
        path = Path(source)
        label = name or path.name
        if not path.is_file():
            raise IngestError(f"{label}: there is no such file")
        size = path.stat().st_size
        if size > max_bytes:
            raise IngestError(
                f"{label}: the file is {size / 1_000_000:.1f} MB, over the {limit} limit; "
                "a resume or a job posting is rarely over 1 MB (export it without images)"
            )
        data = path.read_bytes()
    if not data.strip():
        raise IngestError(f"{label}: the file is empty")
    return label, data


def sniff(data: bytes) -> str | None:
    """What a binary file is, from its first bytes ("a PNG image"), or None if not recognised."""
    head = data[:16]
    for signature, what in _SIGNATURES:
        if head.startswith(signature):
            return what
    return None


def _parse(label: str, data: bytes, deadline: Deadline) -> Document:
    # Each reader is imported when a file of its kind comes: the PDF one alone costs more
    # than reading a plain-text posting does.
    suffix = Path(label).suffix.lower()
    if b"%PDF-" in data[:1024]:
        from mlpivot.ingest.pdf_text import read_pdf

        text, warnings = read_pdf(label, data, deadline)
        return Document(label, "pdf", text, tuple(warnings))
    what = sniff(data)
    if suffix == ".pdf":
        found = f"it is {what}" if what else "it does not start like a PDF"
        raise IngestError(f"{label}: this is not a PDF, although it is named .pdf ({found})")
    if what is not None and what.startswith("a ZIP") and suffix in (".docx", ".zip", ""):
        from mlpivot.ingest.docx_text import read_docx

        return Document(label, "docx", read_docx(label, data, deadline))
    if suffix == ".docx":
        raise IngestError(
            f"{label}: this is not a DOCX file ({f'it is {what}' if what else 'not a ZIP'})"
        )
    if what is not None:
        hint = "; save it as DOCX or PDF" if "Word" in what or "RTF" in what else ""
        raise IngestError(f"{label}: this is {what}, not a document mlpivot can read{hint}")
    text, warnings = decode_text(label, data)
    if suffix in _HTML_SUFFIXES or text.lstrip()[:15].lower().startswith(("<!doctype", "<html")):
        from mlpivot.ingest.html_text import html_to_text

        return Document(label, "html", html_to_text(text), tuple(warnings))
    if suffix == ".json" or (suffix not in _TEXT_SUFFIXES and text.lstrip().startswith("{")):
        return Document(label, "json", text, tuple(warnings))
    kind: DocumentKind = "markdown" if suffix in (".md", ".markdown") else "text"
    return Document(label, kind, text, tuple(warnings))


def decode_text(label: str, data: bytes) -> tuple[str, list[str]]:
    """UTF-8 (with or without a byte-order mark) or UTF-16 with one; else Windows-1252, warned."""
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        return data.decode("utf-16"), []
    if b"\x00" in data[:4096]:
        raise IngestError(f"{label}: this is a binary file, not text mlpivot can read")
    try:
        return data.decode("utf-8-sig"), []
    except UnicodeDecodeError as exc:
        where = exc.start
    try:
        text = data.decode("cp1252")
    except UnicodeDecodeError:
        text = data.decode("latin-1")
    return text.replace("\r\n", "\n"), [
        f"{label}: the text is not UTF-8 (first odd byte at offset {where}); it was read as "
        "Windows-1252, so check accented letters, or save the file as UTF-8"
    ]


def _script_of(char: str) -> str:
    name = unicodedata.name(char, "")
    first = name.split(" ", 1)[0]
    if first in ("CJK", "HIRAGANA", "KATAKANA"):
        return "Chinese/Japanese"
    return first.title() or "unknown"


def _with_script_warning(document: Document) -> Document:
    """Skills are matched on Latin letters; say so when most of the text is in another script."""
    letters = [c for c in document.text if c.isalpha()]
    if not letters:
        raise IngestError(f"{document.name}: the file has no words in it")
    counts: dict[str, int] = {}
    for c in letters:
        script = _script_of(c)
        counts[script] = counts.get(script, 0) + 1
    latin = counts.pop("Latin", 0)
    if not counts or latin >= 0.7 * len(letters):
        return document
    main = max(counts, key=lambda s: counts[s])
    share = round(100 * (len(letters) - latin) / len(letters))
    warning = (
        f"{document.name}: {share}% of the letters are not Latin (mostly {main}); mlpivot "
        "finds skills written in Latin letters (Python, SQL, PyTorch...) and reads the rest as "
        "plain text, so some skills may be missed"
    )
    return Document(document.name, document.kind, document.text, (*document.warnings, warning))
