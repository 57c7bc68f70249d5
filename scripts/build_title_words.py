"""Build the words that end job titles, for the resume reader (deterministic).

    uv run python scripts/build_title_words.py [--data ../shared/data]

A resume's job line holds a title and an employer in no fixed order ("Barista, Brightline
Coffee", "Okafor & Sons — Bookkeeper"). The reader tells them apart by the word a title ends
with, and a hand-written list of such words only knows the jobs its author thought of. O*NET
29.2 (CC BY 4.0, USDOL/ETA) lists about 64,000 real job titles across every occupation: the last
word of each ("Technician", "Barista", "Underwriter") is the word a title ends with. Words that
end at least `MIN_TITLES` titles are kept, minus the few that are as often a thing as a person
(`NOT_TITLES`: "Model", "Server", "Master"), plus the short forms and other languages' words
that resumes use and O*NET does not (`EXTRA`).

Writes src/mlpivot/ingest/title_words.txt (one lower-case word a line, sorted).
"""

from __future__ import annotations

import argparse
import csv
import re
import sys
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "src" / "mlpivot" / "ingest" / "title_words.txt"
MIN_TITLES = 2
NOT_TITLES = frozenset(
    [
        "out",
        "up",
        "off",
        "on",
        "in",
        "down",
        "over",
        "back",
        "man",
        "men",
        "hand",
        "girl",
        "boy",
        "his",
        "her",
        "model",
        "models",
        "server",
        "host",
        "master",
        "masters",
        "police",
        "intelligence",
        "anchor",
        "router",
        "monitor",
        "compiler",
        "counter",
        "header",
        "holder",
        "reader",
        "pointer",
        "selector",
        "dispenser",
        "integrator",
        "player",
        "guide",
        "scout",
        "cyber",
        "data",
        "systems",
        "services",
        "operations",
        "products",
        "product",
        "sales",
        "marketing",
        "support",
        "care",
        "development",
        "research",
        "science",
        "engineering",
        "design",
        "management",
        "training",
        "production",
        "maintenance",
        "quality",
        "safety",
        "security",
        "health",
        "education",
        "finance",
        "accounting",
        "logistics",
        "technology",
        "software",
        "hardware",
        "network",
        "networks",
        "equipment",
        "machine",
        "machines",
        "line",
        "lines",
        "room",
        "shop",
        "store",
        "floor",
        "field",
        "center",
        "centre",
        "desk",
        "office",
        "department",
        "unit",
        "team",
        "group",
        "general",
        "i",
        "ii",
        "iii",
        "iv",
        "v",
        "jr",
        "sr",
        "senior",
        "junior",
        "lead",
        "level",
        "plant",
        "parts",
        "service",
        "tools",
        "materials",
        "control",
        "systems",
        "affairs",
        "applications",
        "arms",
        "artillery",
        "basic",
        "belt",
        "build",
        "cap",
        "ceremonies",
        "charge",
        "computer",
        "court",
        "crew",
        "deeds",
        "deployed",
        "disabilities",
        "double",
        "extra",
        "helicopter",
        "horses",
        "law",
        "marine",
        "medicine",
        "mother",
        "page",
        "parent",
        "patrol",
        "peace",
        "person",
        "personality",
        "prep",
        "justice",
        "generator",
        "calculator",
        "compressor",
        "condenser",
        "converter",
        "freezer",
        "hopper",
        "injector",
        "equalizer",
        "scanner",
        "timer",
        "trailer",
        "river",
        "star",
        "system",
        "work",
        "surgery",
        "therapy",
        "specimens",
        "qualified",
        "registered",
        "relief",
        "superior",
        "shot",
        "sweep",
        "sister",
        "woman",
        "rat",
        "rubber",
        "ruler",
        "sinker",
        "snapper",
        "stapler",
        "strainer",
        "tanker",
        "thinner",
        "tumbler",
        "wills",
        "buffer",
        "tracker",
        "tracer",
        "sampler",
        "profiler",
        "renderer",
        "scraper",
        "visualizer",
        "splitter",
        "novice",
        "visitor",
        "robber",
        "poisoner",
        "killer",
        "smoker",
    ]
)
EXTRA = frozenset(
    [
        "quant",
        "modeller",
        "modeler",
        "barista",
        "sde",
        "swe",
        "mle",
        "sre",
        "sdet",
        "dba",
        "qa",
        "cto",
        "ceo",
        "cfo",
        "coo",
        "cio",
        "cpo",
        "vp",
        "pm",
        "devops",
        "intern",
        "interns",
        "werkstudent",
        "praktikant",
        "trainee",
        "apprentice",
        "postdoc",
        "freelancer",
        "contractor",
        "founder",
        "cofounder",
        "co-founder",
        "ingénieur",
        "ingenieur",
        "ingeniero",
        "ingegnere",
        "desarrollador",
        "entwickler",
        "berater",
        "leiter",
        "analista",
        "analyste",
        "consultor",
        "développeur",
        "developpeur",
        "chercheur",
        "investigador",
        "stagiaire",
        "becario",
        "doktorand",
        "mitarbeiter",
        "referent",
        "sachbearbeiter",
        "tutor",
        "staff",
        "lead",
        "head",
    ]
)
_WORD = re.compile(r"^[a-zà-ÿ][a-zà-ÿ'-]*[a-zà-ÿ]$")


def title_words(data: Path) -> list[str]:
    onet = data / "onet-29.2"
    titles: list[str] = []
    for name, column in (
        ("Alternate Titles.txt", "Alternate Title"),
        ("Sample of Reported Titles.txt", "Reported Job Title"),
    ):
        with (onet / name).open(encoding="utf-8", newline="") as handle:
            titles += [row[column] for row in csv.DictReader(handle, delimiter="\t")]
    ends: Counter[str] = Counter()
    for title in titles:
        words = re.sub(r"\([^)]*\)", " ", title).replace("/", " ").casefold().split()
        if words:
            ends[words[-1].strip(".,;:")] += 1
    kept = {w for w, n in ends.items() if n >= MIN_TITLES and _WORD.match(w) and len(w) >= 3}
    return sorted((kept - NOT_TITLES) | EXTRA)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0] if __doc__ else "")
    parser.add_argument("--data", type=Path, default=ROOT.parent / "shared" / "data")
    parser.add_argument("--out", type=Path, default=OUT)
    args = parser.parse_args(argv)
    words = title_words(args.data)
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text("\n".join(words) + "\n", encoding="utf-8")
    print(f"wrote {len(words)} words to {args.out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
