"""The business domains a resume shows work in (finance, health...), from domains.yaml."""

from __future__ import annotations

import re
from functools import lru_cache
from pathlib import Path

import yaml

from mlpivot.ingest.positions import PositionDraft
from mlpivot.ingest.resume_sections import section_kind

DOMAINS_FILE = Path(__file__).resolve().parent / "domains.yaml"


def domains_worked_in(jobs: list[PositionDraft], sections: dict[str, str]) -> dict[str, str]:
    """Domain -> the line that shows it, read from the jobs (or, with none, the whole resume
    except education, where a university is not a domain worked in)."""
    if jobs:
        lines = [line for j in jobs for line in (f"{j.title}, {j.employer}", *j.lines)]
    else:
        education = {h for h in sections if section_kind(h) == "education"}
        lines = [
            line for h, body in sections.items() if h not in education for line in body.split("\n")
        ]
    found: dict[str, str] = {}
    for domain, pattern in _domain_patterns():
        if domain in found:
            continue
        line = next((line for line in lines if pattern.search(line)), None)
        if line is not None:
            found[domain] = line
    return dict(sorted(found.items()))


@lru_cache(maxsize=1)
def _domain_patterns() -> tuple[tuple[str, re.Pattern[str]], ...]:
    # libyaml's loader where present: the same values, read several times faster.
    loader: type[yaml.SafeLoader] = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
    raw = yaml.load(DOMAINS_FILE.read_text(encoding="utf-8"), Loader=loader)
    found: list[tuple[str, re.Pattern[str]]] = []
    for domain, entry in raw.items():
        for words, flags in (
            (entry.get("keywords", []), re.IGNORECASE),
            (entry.get("employers", []), 0),
        ):
            if words:
                alternatives = "|".join(
                    re.escape(str(w)) for w in sorted(words, key=len, reverse=True)
                )
                found.append((domain, re.compile(rf"(?<![\w-])(?:{alternatives})(?![\w-])", flags)))
    return tuple(found)
