"""Outside files into plain text, within a size and a time limit, explaining what went wrong.

People drop in whatever they have: a PDF exported from a word processor, a scan, a DOCX, a
Markdown file, a web page. Every failure here becomes an `IngestError` whose message starts with
the file name and says what to do instead; problems that still leave usable text (a file that is
not UTF-8, text mostly in another script, a truncated PDF) become warnings on the `Document`.
The file type is decided by its first bytes before its name, so a PNG renamed `.pdf` is caught.
"""

from __future__ import annotations

import itertools
import logging
import re
import threading
import time
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Literal

from mlpivot.errors import IngestError

DocumentKind = Literal["pdf", "docx", "html", "markdown", "text", "json"]

DEFAULT_MAX_BYTES = 10_000_000
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
    document = _with_watchdog(lambda: _parse(label, data, deadline), deadline)
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


def _with_watchdog(parse: Callable[[], Document], deadline: Deadline) -> Document:
    """Run `parse` in a daemon thread and stop waiting for it at the deadline."""
    box: dict[str, Document | BaseException] = {}

    def run() -> None:
        try:
            box["result"] = parse()
        except BaseException as exc:  # handed over to the caller's thread below
            box["error"] = exc

    worker = threading.Thread(target=run, name="mlpivot-parse", daemon=True)
    worker.start()
    worker.join(max(0.0, deadline.at - time.monotonic()) + 1.0)
    if worker.is_alive():
        raise deadline.error()
    error = box.get("error")
    if isinstance(error, BaseException):
        raise error
    result = box["result"]
    assert isinstance(result, Document)
    return result


def sniff(data: bytes) -> str | None:
    """What a binary file is, from its first bytes ("a PNG image"), or None if not recognised."""
    head = data[:16]
    for signature, what in _SIGNATURES:
        if head.startswith(signature):
            return what
    return None


def _parse(label: str, data: bytes, deadline: Deadline) -> Document:
    suffix = Path(label).suffix.lower()
    if b"%PDF-" in data[:1024]:
        text, warnings = read_pdf(label, data, deadline)
        return Document(label, "pdf", text, tuple(warnings))
    what = sniff(data)
    if suffix == ".pdf":
        found = f"it is {what}" if what else "it does not start like a PDF"
        raise IngestError(f"{label}: this is not a PDF, although it is named .pdf ({found})")
    if what is not None and what.startswith("a ZIP") and suffix in (".docx", ".zip", ""):
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


def html_to_text(html: str) -> str:
    """Visible text of a web page, one block a line; scripts, styles and navigation dropped."""
    from bs4 import BeautifulSoup

    soup = BeautifulSoup(html, "html.parser")
    for tag in soup(["script", "style", "noscript", "template", "nav", "footer", "head"]):
        tag.decompose()
    lines = (" ".join(line.split()) for line in soup.get_text("\n").splitlines())
    return "\n".join(line for line in lines if line)


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


# ---------------------------------------------------------------------------------------------
# Time limit


@dataclass(frozen=True)
class Deadline:
    """When parsing must stop; readers call `check` between pages and paragraphs."""

    at: float
    label: str
    seconds: float

    def error(self) -> IngestError:
        return IngestError(
            f"{self.label}: reading the file took longer than the {self.seconds:g} s limit; "
            "the file may be damaged, or far longer than a resume or a job posting"
        )

    def check(self) -> None:
        if time.monotonic() > self.at:
            raise self.error()


# ---------------------------------------------------------------------------------------------
# DOCX


def read_docx(label: str, data: bytes, deadline: Deadline) -> str:
    """Paragraphs and table rows in document order, then headers and footers once each."""
    import io
    import zipfile

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
            lines.append("".join(t.text or "" for t in child.iter() if t.tag.endswith("}t")))
        elif tag == "tbl":
            for row in child.iter():
                if not row.tag.endswith("}tr"):
                    continue
                cells = [
                    "".join(t.text or "" for t in cell.iter() if t.tag.endswith("}t")).strip()
                    for cell in row.iterchildren()
                    if cell.tag.endswith("}tc")
                ]
                lines.append(" | ".join(c for c in cells if c))
    extra: list[str] = []
    for section in document.sections:
        for part in (section.header, section.footer):
            for paragraph in part.paragraphs:
                if paragraph.text.strip() and paragraph.text not in extra:
                    extra.append(paragraph.text)
    return "\n".join([*extra[:1], *lines, *extra[1:]]).strip()


# ---------------------------------------------------------------------------------------------
# PDF

_PAGE_NUMBER = re.compile(r"^\s*(page\s*)?\d+(\s*(of|/)\s*\d+)?\s*$", re.IGNORECASE)


@dataclass(frozen=True)
class _Piece:
    """A run of text drawn at one place on a page (PDF points, origin bottom left)."""

    x: float
    y: float
    size: float
    text: str

    @property
    def right(self) -> float:
        # PDF text carries no width in the visitor; half the font size a character is a fair
        # guess for proportional fonts, and only used to decide whether columns overlap.
        return self.x + 0.5 * self.size * len(self.text)


def read_pdf(label: str, data: bytes, deadline: Deadline) -> tuple[str, list[str]]:
    """The text layer of a PDF, page by page, columns read one after the other.

    Headers and footers (a line repeated at the top or bottom of several pages, page numbers)
    are dropped so they do not split a position in two.
    """
    import io

    import pypdf
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
        page_lines: list[list[tuple[float, str]]] = []
        images = 0
        heights: list[float] = []
        for page in pages:
            deadline.check()
            heights.append(float(page.mediabox.height))
            page_lines.append(_page_lines(page))
            images += _image_count(page)
    except IngestError:
        raise
    except (FileNotDecryptedError, DependencyError):
        raise IngestError(
            f"{label}: the PDF is encrypted in a way mlpivot cannot open; save or print an "
            "unprotected copy and import that"
        ) from None
    except (PdfReadError, ValueError, KeyError, TypeError, AttributeError, IndexError) as exc:
        raise IngestError(
            f"{label}: the PDF is damaged or incomplete and could not be read "
            f"({str(exc) or type(exc).__name__}); export it again from the original"
        ) from None
    if not pages:
        raise IngestError(f"{label}: the PDF has no pages")
    kept, dropped = _drop_running_lines(page_lines, heights)
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


def _page_lines(page: object) -> list[tuple[float, str]]:
    """(height, line) pairs in reading order; two columns are read left, then right."""
    pieces: list[_Piece] = []

    def visit(text: str, cm: list[float], tm: list[float], _font: object, size: float) -> None:
        if not text.strip():
            return
        x = tm[4] * cm[0] + tm[5] * cm[2] + cm[4]
        y = tm[4] * cm[1] + tm[5] * cm[3] + cm[5]
        scale = abs(cm[3] * tm[3]) or abs(tm[3]) or 1.0
        for i, part in enumerate(text.split("\n")):
            if part.strip():
                pieces.append(_Piece(x, y - i * size * scale * 1.2, size * scale, part))

    plain = page.extract_text(visitor_text=visit)  # type: ignore[attr-defined]
    if not pieces:
        return [(0.0, line) for line in str(plain or "").splitlines() if line.strip()]
    width = float(page.mediabox.width)  # type: ignore[attr-defined]
    gutter = _gutter(pieces, width)
    if gutter is None:
        return _lines(pieces)
    left = [p for p in pieces if p.x < gutter]
    right = [p for p in pieces if p.x >= gutter]
    return _lines(left) + _lines(right)


def _gutter(pieces: list[_Piece], width: float) -> float | None:
    """The x where a second column starts, if the page has two columns."""
    starts: dict[int, int] = {}
    for p in pieces:
        if 0.3 * width < p.x < 0.75 * width:
            key = round(p.x / 2)
            starts[key] = starts.get(key, 0) + 1
    if not starts:
        return None
    key = max(starts, key=lambda k: starts[k])
    gutter = key * 2 - 2
    if starts[key] < 3 or starts[key] < 0.1 * len(pieces):
        return None
    left = [p for p in pieces if p.x < gutter]
    crossing = sum(1 for p in left if p.right > gutter + 0.02 * width)
    # Wrapped prose runs up to the gutter; a table's first column stops well short of the next.
    full = sum(1 for p in left if p.right > gutter - 0.12 * width)
    if len(left) < 3 or crossing > 0.1 * len(left) or full < 0.3 * len(left):
        return None
    return gutter


def _lines(pieces: list[_Piece]) -> list[tuple[float, str]]:
    """Pieces at (nearly) the same height joined left to right, top line first."""
    rows: list[list[_Piece]] = []
    for p in sorted(pieces, key=lambda p: (-p.y, p.x)):
        if rows and abs(rows[-1][0].y - p.y) <= 0.35 * max(p.size, 1.0):
            rows[-1].append(p)
        else:
            rows.append([p])
    out: list[tuple[float, str]] = []
    for row in rows:
        row.sort(key=lambda p: p.x)
        text = row[0].text
        for before, piece in itertools.pairwise(row):
            gap = piece.x - before.right
            glue = " | " if gap > 3 * piece.size else " " if gap > 0.15 * piece.size else ""
            if text.endswith(" ") or piece.text.startswith(" "):
                glue = ""
            text += glue + piece.text
        out.append((row[0].y, " ".join(text.split())))
    return out


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
            if edge and (_PAGE_NUMBER.match(line) or seen.get(_running_key(line), 0) > 1):
                dropped += 1
                continue
            page.append(line)
        kept.append(page)
    return kept, dropped


def _near_edge(y: float, height: float) -> bool:
    return height > 0 and (y > 0.92 * height or y < 0.08 * height)
