"""The text rules every reader in `ingest` shares: what a bullet is, what a page number is,
which HTML is not text.

Resumes and postings arrive from word processors, PDF exports and web pages, and each writes
its list marks differently: a hyphen or asterisk typed by hand, a "•" from Word, a "▪" or "➤"
from a template, a Symbol or ZapfDingbats glyph that comes out of a PDF as a private-use
character (U+F0B7) or a control character. One definition here keeps the resume reader, the
posting reader and the evidence lines in agreement.
"""

from __future__ import annotations

import re

__all__ = [
    "BULLET",
    "NON_TEXT_TAGS",
    "PAGE_FIELD",
    "PAGE_NUMBER",
    "is_bullet",
    "strip_bullet",
]

# Typed marks need a space after them ("- item", "* item", "o item", "1. item"); glyphs that only
# ever mark a list ("•", "▪", U+F0B7, ...) may touch the word they mark ("▪TypeScript").
_TYPED = r"[-*+o–—]|\d{1,2}[.)]"
_GLYPHS = (
    r"[•·‣⁃◦○●■□▪▫▶►▸▹➤➢➔➜➝➞✓✔✗✘❖◆◇♦★☆❯›»"
    r"\u2022-\u2043\u25a0-\u25ff\u2700-\u27bf\ue000-\uf8ff\x00-\x08\x0e-\x1f\x7f-\x9f]"
)
BULLET = re.compile(rf"^\s*(?:(?:{_TYPED})\s+|{_GLYPHS}+\s*)")
"""The list mark at the start of a line, with the space after it."""

PAGE_NUMBER = re.compile(r"^\s*(?:page\s*)?\d+(?:\s*(?:of|/)\s*\d+)?\s*$", re.IGNORECASE)
"""A line that is only a page number ("3", "Page 2", "2 of 5", "1/2")."""

PAGE_FIELD = re.compile(
    r"(?:\bpage|\bseite|\bpágina|\bpagina)\s*\d+(?:\s*(?:of|/|von|de|di|sur)\s*\d+)?\b"
    r"|^\s*\d+\s*(?:of|/)\s*\d+\s*$|^\s*\d+\s*$",
    re.IGNORECASE,
)
"""A page number inside a running header or footer line ("Jane Doe - Page 2 of 3")."""

NON_TEXT_TAGS = ("script", "style", "noscript", "template", "nav", "footer", "head")
"""HTML elements whose content is never part of a document's text."""


def is_bullet(line: str) -> bool:
    return BULLET.match(line) is not None


def strip_bullet(line: str) -> str:
    """The line without its list mark."""
    return BULLET.sub("", line, count=1)
