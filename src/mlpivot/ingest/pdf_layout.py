"""Lines of one PDF page in reading order, from where each word's glyphs are drawn.

A PDF places text by coordinates, not in reading order; a two-column resume read top to bottom
interleaves its columns. pdfplumber gives each word's real box (the glyph widths of its font),
so words close together on one baseline become a run, runs on one baseline become a line, and a
page with a clear second column (an x that no run crosses, with a left-aligned column after it)
is read column by column: a full-width banner first, then the left column, then the right.
"""

from __future__ import annotations

import bisect
import itertools
import re
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from mlpivot.ingest.positions import find_dates
from mlpivot.ingest.resume_sections import heading_of

__all__ = ["Run", "has_columns", "page_lines", "reading_order"]

_UNMAPPED = re.compile(r"\(cid:\d+\)")
_SYMBOL_FONT = re.compile(r"dingbat|symbol|wingding|webding", re.IGNORECASE)


@dataclass(frozen=True)
class Run:
    """Words drawn next to each other on one baseline (PDF points, origin top left)."""

    x0: float
    x1: float
    top: float
    bottom: float
    size: float
    text: str


def page_lines(page: Any) -> list[tuple[float, str]]:
    """(height above the page foot, line) pairs of a pdfplumber page, in reading order."""
    words = page.extract_words(
        use_text_flow=False, keep_blank_chars=False, extra_attrs=["size", "fontname"]
    )
    runs = _runs(words)
    height = float(page.height)
    return [(height - bottom, text) for bottom, text in reading_order(runs, float(page.width))]


def _runs(words: list[dict[str, Any]]) -> list[Run]:
    """Words joined into runs: same baseline, and a gap no wider than a few spaces.

    A glyph from a symbol font (Symbol, ZapfDingbats, Wingdings) or one the font gives no
    character for comes out as a letter or "(cid:N)"; where it starts a run of words (a line, or a
    column's line) it is a list mark, and inside a run a decoration (an arrow) that is left out.
    """
    runs: list[Run] = []
    for row in _rows(words):
        for k, w in enumerate(row):
            text = str(w["text"])
            symbol = _SYMBOL_FONT.search(str(w.get("fontname", ""))) and len(text) <= 2
            if symbol or _UNMAPPED.fullmatch(text):
                gap = float(w["x0"]) - float(row[k - 1]["x1"]) if k else float("inf")
                if gap <= 1.2 * float(w.get("size") or 10.0):
                    continue  # inside a run of words: a decoration
                text = "•"
            text = _UNMAPPED.sub("", text)
            if not text:
                continue
            size = float(w.get("size") or (float(w["bottom"]) - float(w["top"])) or 10.0)
            x0, x1 = float(w["x0"]), float(w["x1"])
            top, bottom = float(w["top"]), float(w["bottom"])
            last = runs[-1] if runs and k else None
            if last is not None and 0 <= x0 - last.x1 <= 1.2 * size:
                glue = " " if x0 - last.x1 > 0.1 * size else ""
                runs[-1] = Run(
                    last.x0, x1, min(last.top, top), last.bottom, last.size, last.text + glue + text
                )
            else:
                runs.append(Run(x0, x1, top, bottom, size, text))
    return runs


def _rows(words: list[dict[str, Any]]) -> list[list[dict[str, Any]]]:
    """Words on (nearly) one baseline, left to right; a smaller glyph may sit a little higher."""
    rows: list[list[dict[str, Any]]] = []
    for w in sorted(words, key=lambda w: float(w["bottom"])):
        size = float(w.get("size") or 10.0)
        if rows and abs(float(rows[-1][0]["bottom"]) - float(w["bottom"])) <= 0.35 * size:
            rows[-1].append(w)
        else:
            rows.append([w])
    return [sorted(row, key=lambda w: float(w["x0"])) for row in rows]


def reading_order(runs: list[Run], width: float) -> list[tuple[float, str]]:
    """(baseline, line) pairs: one column top to bottom, or banner, left column, right column."""
    gutter = _gutter(runs, width)
    if gutter is None:
        return _lines(runs)
    crossing = [r for r in runs if r.x0 < gutter < r.x1]
    columns = [r for r in runs if not r.x0 < gutter < r.x1]
    top = min((r.top for r in columns), default=0.0)
    banner = [r for r in crossing if r.bottom <= top + 1]
    rest = [r for r in crossing if r.bottom > top + 1]
    left = [r for r in columns if r.x1 <= gutter] + [r for r in rest if r.x0 < gutter]
    right = [r for r in columns if r.x0 >= gutter]
    return _lines(banner) + _lines(left) + _lines(right)


def _gutter(runs: list[Run], width: float) -> float | None:
    """The x where a second column starts, if the page has two columns.

    A gutter is an x between 20% and 80% of the width that almost no run crosses, where the runs
    right of it mostly start near one left edge, many of them on baselines the left side does
    not use (a column that flows on its own, not dates right-aligned on title lines), and where
    both sides hold text on many lines.
    """
    if len(runs) < 10:
        return None
    best: tuple[int, float] | None = None
    for step in range(int(0.2 * width), int(0.8 * width), 2):
        x = float(step)
        crossing = sum(1 for r in runs if r.x0 < x - 1 < r.x1 - 2)
        if crossing > max(2, 0.05 * len(runs)):
            continue
        left = [r for r in runs if r.x1 <= x]
        right = [r for r in runs if r.x0 >= x]
        if len(left) < 5 or len(right) < 5:
            continue
        edge = min(r.x0 for r in right)
        aligned = sum(1 for r in right if r.x0 <= edge + 0.08 * width)
        if aligned < 0.7 * len(right):
            continue
        if _label_column(left):
            continue
        left_baselines = sorted(r.bottom for r in left)
        alone = sum(1 for r in right if not _near(left_baselines, r.bottom, 0.35 * r.size))
        if alone < 0.3 * len(right) and _clustered(r.x0 for r in right) <= _clustered(
            r.x1 for r in right
        ):  # dates right-aligned on title lines, not a column
            continue
        score = min(len(left), len(right))
        if best is None or score > best[0]:
            best = (score, min(r.x0 for r in right) - 1)
    return best[1] if best else None


def _label_column(left: list[Run]) -> bool:
    """Whether the runs left of a gutter are labels for the lines beside them, not a column:
    a timeline of dates ("2019 – Present" beside "Senior Engineer, Acme") or section headings in
    the margin ("EXPERIENCE" beside the first job). Such a page is read line by line, each label
    with the entry it stands beside."""
    labels = 0
    for run in left:
        span = find_dates(run.text)
        rest = run.text if span is None else run.text[: span.begin] + run.text[span.finish :]
        if heading_of(run.text) is not None or (span is not None and len(rest.split()) <= 2):
            labels += 1
    return labels >= 0.6 * len(left)


def _near(ordered: list[float], value: float, tolerance: float) -> bool:
    """Whether a sorted list holds a value within `tolerance` of `value`."""
    at = bisect.bisect_left(ordered, value - tolerance)
    return at < len(ordered) and ordered[at] <= value + tolerance


def _clustered(edges: Iterable[float]) -> int:
    """How many edges lie within 2 points of the most common one (an alignment's strength)."""
    values = sorted(edges)
    return max(
        (bisect.bisect_right(values, v + 2) - bisect.bisect_left(values, v - 2) for v in values),
        default=0,
    )


def _lines(runs: list[Run]) -> list[tuple[float, str]]:
    """Runs on (nearly) the same baseline joined left to right, top line first."""
    rows: list[list[Run]] = []
    for r in sorted(runs, key=lambda r: (r.bottom, r.x0)):
        if rows and abs(rows[-1][0].bottom - r.bottom) <= 0.35 * max(r.size, 1.0):
            rows[-1].append(r)
        else:
            rows.append([r])
    out: list[tuple[float, str]] = []
    for row in rows:
        row.sort(key=lambda r: r.x0)
        text = row[0].text
        for before, run in itertools.pairwise(row):
            gap = run.x0 - before.x1
            text += (" | " if gap > 3 * run.size else " ") + run.text
        out.append((row[0].bottom, " ".join(text.split())))
    return out


def has_columns(page: Any) -> bool:
    """Whether a pdfplumber page is laid out in two columns (the rule `reading_order` reads by)."""
    words = page.extract_words(
        use_text_flow=False, keep_blank_chars=False, extra_attrs=["size", "fontname"]
    )
    return _gutter(_runs(words), float(page.width)) is not None
