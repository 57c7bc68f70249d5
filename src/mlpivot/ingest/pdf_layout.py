"""Lines of one PDF page in reading order, from where each run of text is drawn.

A PDF places text by coordinates, not in reading order; a two-column resume read top to bottom
interleaves its columns. Runs at the same height become one line, and a page with a clear second
column is read left column first.
"""

from __future__ import annotations

import itertools
from dataclasses import dataclass


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


def page_lines(page: object) -> list[tuple[float, str]]:
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
