"""What the pieces of a job line are: a job title, an organisation, a place, a duration.

A resume's job line holds a title and an employer in no fixed order, often with a place and a
length of service ("Okafor & Sons — Bookkeeper, Leeds, 2 yrs"). Each piece is judged by what it
is: a title ends with a word that ends job titles (the last words of O*NET's 64,000 titles,
`title_words.txt`, built by scripts/build_title_words.py), an organisation carries a word such as
"Ltd", "Bank" or "University", a place names a country, a state or a work mode.
"""

from __future__ import annotations

import re
from functools import lru_cache
from pathlib import Path

__all__ = [
    "COMMON_TITLE",
    "TITLE_WORDS_FILE",
    "employer_score",
    "is_duration",
    "is_place",
    "title_score",
]

_PARENTHESES = re.compile(r"\s*\([^()]*\)")
TITLE_WORDS_FILE = Path(__file__).resolve().parent / "title_words.txt"

COMMON_TITLE = re.compile(
    r"\b\w*(engineer|developer|scientist|analyst|manager|lead|leader|architect|intern|"
    r"consultant|researcher|director|designer|head|officer|specialist|administrator|programmer|"
    r"founder|cto|ceo|cfo|vp|president|technician|associate|fellow|assistant|professor|lecturer|"
    r"teacher|sre|devops|owner|statistician|tester|trainee|apprentice|student|translator|"
    r"coordinator|advisor|adviser|partner|principal|instructor|tutor|postdoc|soldier|sergeant|"
    r"lieutenant|captain|operator|writer|editor|accountant|nurse|clerk|representative|"
    r"freelancer|contractor|practitioner|economist|mathematician|physicist|chemist|biologist)"
    r"s?\b",
    re.IGNORECASE,
)
"""The common title words, for deciding whether a dated line is a job at all (see `_job_dates`);
which piece of a job line is the title uses the longer list in `title_words.txt`."""
# What an organisation's name carries. Sub-units (a department, a team) count for less: in
# "Teaching Assistant, Dept. of Statistics, Marlow University" the employer is the university.
_ORG_WORDS = re.compile(
    r"\b(inc|ltd|llc|llp|lp|plc|gmbh|ag|kg|se|sa|sas|sarl|srl|spa|s\.?a|bv|nv|oy|ab|asa|a/s|kk|"
    r"pty|pvt|limited|corp|corporation|company|co|group|holdings?|bank|banking|labs?|"
    r"laborator(?:y|ies)|technolog(?:y|ies)|tech|systems|solutions|software|services|"
    r"consulting|consultancy|consultants|partners|associates|capital|ventures|media|studios?|"
    r"digital|analytics|networks|industries|international|global|enterprises?|university|"
    r"universit\w+|universidad|college|institute|instituto|institut|school|academy|hospital|"
    r"clinic|health|healthcare|trust|council|agency|ministry|government|foundation|society|"
    r"association|foods?|restaurant|cafe|café|coffee|bakery|hotel|supermarket|stores?|retail|"
    r"insurance|versicherung|logistics|energy|motors|airlines?|airways|pharma\w*|therapeutics|"
    r"biotech|robotics|games|entertainment|publishing|press|bureau|authority|army|navy|"
    r"forces|ai|inc\.|ltd\.|co\.|corp\.)(?![\w])",
    re.IGNORECASE,
)
_LEGAL_FORM = re.compile(
    r"\b(inc|ltd|llc|llp|plc|gmbh|ag|kg|sarl|srl|spa|bv|nv|oy|pty|pvt|limited|corp|corporation)"
    r"(?![\w])\.?",
    re.IGNORECASE,
)
_SUB_UNIT = re.compile(
    r"^(dept\.?|department|team|division|faculty|unit|lab|group|chair)\b"
    r"|\b(team|group|lab|department|division|unit|squad)$",
    re.IGNORECASE,
)
"""A part of an organisation ("Dept. of Statistics", "Quantum Optics Group"): an employer only
when the line names nothing bigger."""
_DURATION = re.compile(
    r"^\(?\s*(?:(?:\d+\+?|one|two|three|four|five|six|seven|eight|nine|ten)\s*"
    r"(?:years?|yrs?|y|months?|mos?|mths?|m)\b[\s,]*(?:and\s*)?)+\)?$|^less than a year$",
    re.IGNORECASE,
)
_COUNTRY_NAMES = frozenset(
    (
        *[
            "usa",
            "us",
            "u.s",
            "u.s.a",
            "america",
            "uk",
            "u.k",
            "england",
            "scotland",
            "wales",
            "ireland",
            "canada",
            "mexico",
            "brazil",
            "argentina",
            "chile",
            "colombia",
            "peru",
            "spain",
            "portugal",
            "france",
            "germany",
            "deutschland",
            "austria",
            "switzerland",
            "italy",
            "netherlands",
            "belgium",
            "luxembourg",
            "denmark",
            "sweden",
            "norway",
            "finland",
            "iceland",
            "poland",
            "czechia",
            "slovakia",
            "hungary",
            "romania",
            "bulgaria",
            "greece",
            "turkey",
            "türkiye",
            "ukraine",
            "estonia",
            "latvia",
            "lithuania",
            "croatia",
            "serbia",
            "slovenia",
            "israel",
            "egypt",
            "nigeria",
            "kenya",
            "ghana",
            "morocco",
            "india",
            "pakistan",
            "bangladesh",
            "nepal",
            "china",
            "taiwan",
            "japan",
            "korea",
            "singapore",
            "malaysia",
            "indonesia",
            "philippines",
            "vietnam",
            "thailand",
            "australia",
            "uae",
            "qatar",
            "emea",
            "europe",
            "apac",
            "españa",
            "méxico",
            "brasil",
            "österreich",
            "schweiz",
            "suisse",
            "italia",
            "belgique",
        ],
        "united states",
        "united kingdom",
        "northern ireland",
        "czech republic",
        "south africa",
        "sri lanka",
        "hong kong",
        "south korea",
        "new zealand",
        "united arab emirates",
        "saudi arabia",
    )
)
_PLACE = re.compile(
    r"^(remote|hybrid|on-?site|home[- ]based|worldwide|anywhere)\b|\b(area|region)$", re.IGNORECASE
)
_STATE = re.compile(r",\s*[A-Z]{2}$")
_LEVEL = frozenset(("i", "ii", "iii", "iv", "v", "1", "2", "3", "4", "jr", "sr"))


@lru_cache(maxsize=1)
def _title_words() -> frozenset[str]:
    return frozenset(TITLE_WORDS_FILE.read_text(encoding="utf-8").split())


def title_score(piece: str) -> int:
    """2 when the piece ends with a word that ends job titles ("Senior Data Scientist",
    "Member of Technical Staff", "Engineer II"), 1 when such a word is inside it, else 0."""
    text = _PARENTHESES.sub("", piece).strip()
    if re.match(r"^(head|member|director|vp|chief|manager|lead|leader)\s+of\b", text, re.I):
        return 2
    words = [w.strip(".'’-") for w in re.findall(r"[^\W\d_][\w'’.&-]*|\d+", text.casefold())]
    words = [w for w in words if w]
    while len(words) > 1 and words[-1] in _LEVEL:
        words.pop()
    if not words:
        return 0
    heads = _title_words()
    if words[-1] in heads:
        return 2
    return 1 if any(w in heads for w in words) or COMMON_TITLE.search(text) else 0


def employer_score(piece: str) -> int:
    """2 when the piece names an organisation ("Acme GmbH", "Okafor & Sons", "Kestrel Bank"),
    1 for a sub-unit ("Dept. of Statistics"), else 0."""
    if _LEGAL_FORM.search(piece):
        return 2
    if _SUB_UNIT.search(piece.strip()):
        return 1
    if title_score(piece) == 2:  # "Software Engineer", "Bank Teller"
        return 0
    if _ORG_WORDS.search(piece) or re.search(r"\w\s*&\s*\w", piece):
        return 2
    return 0


def is_place(piece: str) -> bool:
    """A place or a work mode: "Berlin, Germany", "Austin, TX", "Remote", "Greater Leeds Area"."""
    text = piece.strip(" ()")
    parts = [p.strip(" .") for p in text.split(",")]
    # "City, Country" at most: "Brightline, Berlin, Germany" names an employer and its place.
    if len(parts) > 2 or any(len(p.split()) > 3 for p in parts):
        return False
    if _PLACE.search(text) or (_STATE.search(text) and len(parts) == 2):
        return True
    return parts[-1].casefold() in _COUNTRY_NAMES


def is_duration(piece: str) -> bool:
    """A length of service: "2 yrs 3 mos", "(1 year 10 months)", "less than a year"."""
    return bool(_DURATION.match(piece.strip()))
