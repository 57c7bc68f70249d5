"""Resume-reader benchmark on the frozen gold set in tests/data/devsets/resumes/.

    uv run python bench/resumes.py [--quiet]

Runs the same code path as `mlpivot import resume FILE` (`parse_resume` with the packaged
catalog, then `resume_evidence` for the skills that become evidence) on every file, with
today = 2026-11-15 (the gold's "present" is 2026-11), and prints, per file and in total:

Matching rules (stated once, applied everywhere):
  normalise(s)  NFKD, accents dropped, casefold, every run of characters that is not a letter
                or digit becomes one space, stripped.  tokens(s) = set(normalise(s).split()).
  same(a, b)    normalise(a) == normalise(b), or the token Jaccard |A & B| / |A | B| >= 0.5
                (so "Acme GmbH" matches "Acme GmbH, Berlin"; "Engineer" does not match
                "Senior Staff Engineer").
  position      a predicted position matches a gold one when same(title), same(employer)
                and the start month is equal (YYYY-MM; both unknown also counts as equal).
                Each gold position is matched at most once (greedy, in gold order).
  education     same(institution) and the end year is equal (both unknown counts as equal);
                the degree is not compared (readers vary in where they cut it).
  years         |reader experience_years - gold total_years|, averaged over files (MAE).
  skills        the set of catalog skill ids that become evidence vs the gold `skills` list.
P/R/F1 are micro-averaged over the files of a part.

Guard against tuning to this set: of the original forty, the 28 ids that sort first are the
TUNING part and the last 12 the HELD-OUT part (looked at once, so no longer clean); the sources
named h* are the FRESH hold-out, written later by someone who had not seen the reader. Per-file
rows and misses are printed for the tuning part only (`--all-files` shows every part's rows, for
a final check, never for tuning); each part's summary is printed, and the whole set.
"""

from __future__ import annotations

import argparse
import re
import sys
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

import yaml

from mlpivot.catalog import load_catalog
from mlpivot.errors import MlpivotError
from mlpivot.ingest.resume import parse_resume, resume_evidence

ROOT = Path(__file__).resolve().parent.parent
DEVSET = ROOT / "tests" / "data" / "devsets" / "resumes"
TODAY = date(2026, 11, 15)
TUNING_COUNT = 28


def normalise(text: str) -> str:
    decomposed = unicodedata.normalize("NFKD", text or "")
    plain = "".join(c for c in decomposed if not unicodedata.combining(c)).casefold()
    return " ".join(re.sub(r"[^\w]+|_", " ", plain).split())


def same(a: str, b: str) -> bool:
    na, nb = normalise(a), normalise(b)
    if na == nb:
        return True
    ta, tb = set(na.split()), set(nb.split())
    return bool(ta | tb) and len(ta & tb) / len(ta | tb) >= 0.5


def _month(value: Any) -> str | None:
    if value is None or value == "present":
        return None if value is None else "present"
    if isinstance(value, date):
        return f"{value.year:04d}-{value.month:02d}"
    return str(value)


@dataclass
class Counts:
    tp: int = 0
    predicted: int = 0
    gold: int = 0

    def add(self, other: Counts) -> None:
        self.tp += other.tp
        self.predicted += other.predicted
        self.gold += other.gold

    @property
    def prf(self) -> tuple[float, float, float]:
        p = self.tp / self.predicted if self.predicted else (1.0 if not self.gold else 0.0)
        r = self.tp / self.gold if self.gold else (1.0 if not self.predicted else 0.0)
        f = 2 * p * r / (p + r) if p + r else 0.0
        return p, r, f


@dataclass
class Result:
    id: str
    group: str
    positions: Counts
    education: Counts
    skills: Counts
    years_error: float
    years: float
    gold_years: float
    error: str = ""
    missed: list[str] = field(default_factory=list)
    extra: list[str] = field(default_factory=list)


def _match(gold: list[Any], predicted: list[Any], equal: Any) -> tuple[int, list[int], list[int]]:
    """Greedy one-to-one matching in gold order: (matches, unmatched gold, unmatched pred)."""
    used: set[int] = set()
    missed: list[int] = []
    for gi, g in enumerate(gold):
        hit = next((pi for pi, p in enumerate(predicted) if pi not in used and equal(g, p)), None)
        if hit is None:
            missed.append(gi)
        else:
            used.add(hit)
    return len(used), missed, [i for i in range(len(predicted)) if i not in used]


def _position_equal(g: dict[str, Any], p: dict[str, Any]) -> bool:
    return (
        same(g["title"], p["title"])
        and same(g["employer"], p["employer"])
        and _month(g["start"]) == p["start"]
    )


def _education_equal(g: dict[str, Any], p: dict[str, Any]) -> bool:
    gold_end = str(g["end"]) if g.get("end") else None
    return same(g["institution"], p["institution"]) and gold_end == p["end"]


def evaluate(source: Path, catalog: Any) -> Result:
    spec = yaml.safe_load(source.read_text(encoding="utf-8"))
    gold = spec["gold"]
    rid = spec["id"]
    group = f"{spec['format']}/{spec.get('layout', 'plain')}"
    path = next((DEVSET / "files").glob(f"{rid}.*"))
    gold_positions = list(gold["positions"])
    gold_education = list(gold["education"])
    gold_skills = set(gold["skills"])
    try:
        resume = parse_resume(path, catalog=catalog, today=TODAY)
    except MlpivotError as exc:
        return Result(
            rid,
            group,
            Counts(0, 0, len(gold_positions)),
            Counts(0, 0, len(gold_education)),
            Counts(0, 0, len(gold_skills)),
            float(gold["total_years"]),
            0.0,
            float(gold["total_years"]),
            error=str(exc),
        )
    predicted = [
        {"title": p.title, "employer": p.employer, "start": _month(p.start)}
        for p in resume.positions
    ]
    tp, missed, extra = _match(gold_positions, predicted, _position_equal)
    pred_edu = [
        {"institution": e.institution, "end": str(e.end.year) if e.end else None}
        for e in resume.education
    ]
    etp, emissed, eextra = _match(gold_education, pred_edu, _education_equal)
    skills = set(resume_evidence(resume, catalog))
    return Result(
        rid,
        group,
        Counts(tp, len(predicted), len(gold_positions)),
        Counts(etp, len(pred_edu), len(gold_education)),
        Counts(len(skills & gold_skills), len(skills), len(gold_skills)),
        abs(resume.experience_years - float(gold["total_years"])),
        resume.experience_years,
        float(gold["total_years"]),
        missed=[_show(gold_positions[i]) for i in missed]
        + [f"education {gold_education[i]}" for i in emissed],
        extra=[_show(predicted[i]) for i in extra] + [f"education {pred_edu[i]}" for i in eextra],
    )


def _show(p: dict[str, Any]) -> str:
    return f"{p['title']!r} @ {p['employer']!r} from {_month(p['start'])}"


def _summary(label: str, results: Iterable[Result]) -> str:
    rows = list(results)
    if not rows:
        return f"{label:<22} n= 0  (no files)"
    pos, edu, ski = Counts(), Counts(), Counts()
    for r in rows:
        pos.add(r.positions)
        edu.add(r.education)
        ski.add(r.skills)
    mae = sum(r.years_error for r in rows) / len(rows)
    pp, pr, pf = pos.prf
    sp, sr, sf = ski.prf
    return (
        f"{label:<22} n={len(rows):>2}  positions P {pp:.2f} R {pr:.2f} F1 {pf:.2f}  "
        f"education F1 {edu.prf[2]:.2f}  years MAE {mae:5.2f}  "
        f"skills P {sp:.2f} R {sr:.2f} F1 {sf:.2f}"
    )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0] if __doc__ else "")
    parser.add_argument("--quiet", action="store_true", help="only the summaries")
    parser.add_argument("--misses", action="store_true", help="list missed/extra positions")
    parser.add_argument(
        "--all-files", action="store_true", help="per-file rows for the hold-out parts too"
    )
    args = parser.parse_args(argv)
    catalog = load_catalog()
    sources = sorted((DEVSET / "sources").glob("*.yaml"))
    original = [s for s in sources if not s.name.startswith("h")]
    fresh_sources = [s for s in sources if s.name.startswith("h")]
    tuning = [evaluate(s, catalog) for s in original[:TUNING_COUNT]]
    held_out = [evaluate(s, catalog) for s in original[TUNING_COUNT:]]
    fresh = [evaluate(s, catalog) for s in fresh_sources]
    results = tuning + held_out + fresh
    if not args.quiet:
        print(f"{'file':<34} {'pos F1':>6} {'edu F1':>6} {'years':>11} {'skill F1':>8}")
        for r in results if args.all_files else tuning:
            part = "T" if r in tuning else ("H" if r in held_out else "F")
            years = f"{r.years:4.1f}/{r.gold_years:4.1f}"
            print(
                f"{part} {r.id:<32} {r.positions.prf[2]:6.2f} {r.education.prf[2]:6.2f} "
                f"{years:>11} {r.skills.prf[2]:8.2f}" + (f"  ERROR {r.error}" if r.error else "")
            )
            if args.misses:
                for m in r.missed:
                    print(f"      missed {m}")
                for e in r.extra:
                    print(f"      extra  {e}")
        print()
    groups: dict[str, list[Result]] = {}
    for r in results if args.all_files else tuning:
        groups.setdefault(r.group, []).append(r)
    print("By format/layout" + ("" if args.all_files else " (tuning part)") + ":")
    for group, rows in sorted(groups.items()):
        print("  " + _summary(group, rows))
    print()
    print(_summary(f"TUNING (first {len(tuning)})", tuning))
    print(_summary(f"HELD-OUT (last {len(held_out)})", held_out))
    print(_summary("FRESH HOLD-OUT (h*)", fresh))
    print(_summary("ALL", results))
    return 0


if __name__ == "__main__":
    sys.exit(main())
