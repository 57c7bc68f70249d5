"""A text resume cut into sections at the headings people recognise ("Experience", "Skills")."""

from __future__ import annotations

import re

from mlpivot.ingest.plain_text import BULLET
from mlpivot.ingest.positions import DATE_RANGE

_HEADINGS = {
    "experience": (
        "experience",
        "work experience",
        "professional experience",
        "relevant experience",
        "employment",
        "employment history",
        "work history",
        "career history",
        "career",
        "professional background",
        "professional history",
        "employment record",
        "berufserfahrung",
        "berufliche erfahrung",
        "praxiserfahrung",
        "expérience professionnelle",
        "expériences professionnelles",
        "experiencia profesional",
        "experiencia laboral",
        "esperienza lavorativa",
        "esperienze professionali",
    ),
    "education": (
        "education",
        "academic background",
        "education and training",
        "qualifications",
        "ausbildung",
        "studium",
        "formation",
        "formación",
        "educación",
        "formação",
        "istruzione",
    ),
    "skills": (
        "skills",
        "technical skills",
        "core skills",
        "key skills",
        "competencies",
        "technologies",
        "tech stack",
        "tools",
        "skills and tools",
        "technical proficiencies",
        "areas of expertise",
        "expertise",
        "kenntnisse",
        "compétences",
        "habilidades",
        "competenze",
    ),
    "projects": ("projects", "personal projects", "side projects", "selected projects"),
    "summary": ("summary", "profile", "about", "about me", "objective", "professional summary"),
    "other": (
        "certifications",
        "certificates",
        "courses",
        "publications",
        "awards",
        "languages",
        "interests",
        "volunteering",
        "volunteer experience",
        "references",
        "contact",
    ),
}
_KIND_OF_HEADING = {name: kind for kind, names in _HEADINGS.items() for name in names}
_SEPARATORS = re.compile(r"\s+(?:at|@)\s+|\s*[|–—•·]\s*|\s+-\s+|,\s+")


def tidy_resume_text(text: str) -> str:
    """Tidy lines (see `_tidy_line`), at most one blank line, and date ranges made whole again where
    a PDF wrapped them ("... Northwind Bank, Jan" / "2020 - Present")."""
    lines = (part for line in text.splitlines() for part in _heading_apart(_tidy_line(line)))
    out: list[str] = []
    for line in lines:
        if out and out[-1] and line and _wrapped_date(out[-1], line):
            out[-1] = f"{out[-1]} {line}"
        elif line or (out and out[-1]):
            out.append(line)
    return "\n".join(out).strip()


def _heading_apart(line: str) -> list[str]:
    """A heading in the margin beside its section's first line ("EXPERIENCE | Senior Analyst |
    2019 – Present", as a PDF with headings in a left column reads) as two lines."""
    first, bar, rest = line.partition(" | ")
    heading = heading_of(first) if bar and rest.strip() else None
    if heading is not None and section_kind(heading) is not None:
        return [first, rest]
    return [line]


def _tidy_line(line: str) -> str:
    """One space between words; a tab or a wide gap inside a line separates fields, as " | "
    ("2019/07 - 2021/02    Acme Finance    Data Scientist")."""
    line = line.replace("\u00a0", " ").strip()
    return " ".join(re.sub(r"\t+| {3,}", " | ", line).split())


def _wrapped_date(before: str, after: str) -> bool:
    if re.search(r"\d\s*[-–—]$", before) and DATE_RANGE.search(f"2000 – {after}"):
        # "Data Engineer, Fenmoor Water, Jan 2015 –" / "Dec 2018"
        first = DATE_RANGE.search(f"2000 – {after}")
        return first is not None and first.start() == 0
    joined = f"{before} {after}"
    return any(m.start() < len(before) < m.end() for m in DATE_RANGE.finditer(joined)) and not any(
        DATE_RANGE.finditer(before)
    )


# Headings not in the list above, by the word that decides them, most specific first
# ("Volunteer experience" is not work; "Education and internships" is education).
_KIND_BY_WORD = (
    ("other", re.compile(r"\b(volunteer\w*|publications?|talks?|awards?|references?)\b")),
    # "Academic Appointments" is work, "Academic Background" is education
    ("experience", re.compile(r"\b(appointments?|positions?|employment)\b")),
    ("education", re.compile(r"\b(education|academic|studies|degrees?|schooling)\b")),
    (
        "experience",
        re.compile(
            r"\b(experience|employment|internships?|career|work|positions?|engagements?|"
            r"appointments?|jobs?)\b"
        ),
    ),
    ("skills", re.compile(r"\b(skills?|technolog\w*|tools|stack|competenc\w*|proficienc\w*)\b")),
    ("projects", re.compile(r"\bprojects?\b")),
)


def section_kind(heading: str) -> str | None:
    """ "experience", "education", "skills", "projects", "summary" or "other"; None if unknown."""
    key = " ".join(heading.casefold().split())
    if key in _KIND_OF_HEADING:
        return _KIND_OF_HEADING[key]
    for kind, words in _KIND_BY_WORD:
        if words.search(key):
            return kind
    return None


def heading_of(line: str) -> str | None:
    """The heading a line is, as written, or None; job lines with dates are never headings."""
    if DATE_RANGE.search(line) or BULLET.match(line):
        return None
    marks = re.match(r"^(#{1,6})\s+(.*)$", line)
    bare = (marks.group(2) if marks else line).strip().strip("*_:= ").strip()
    key = re.sub(r"[^a-z& ]", "", bare.casefold()).replace("&", "and").strip()
    key = " ".join(key.split())
    if key in _KIND_OF_HEADING:
        return bare
    if marks and len(marks.group(1)) == 2 and bare and not BULLET.match(bare):
        return bare
    words = bare.split()
    if not 1 <= len(words) <= 4 or not all(w.isalpha() or w in _JOINERS for w in words):
        return None
    if bare.isupper() and len(words) <= 3 + sum(w in _JOINERS for w in words):
        return bare.title()
    # "Professional Background", "Experience & Leadership": a short line of capitalised words
    # that names a kind of section, and no job ("Education Consultant").
    content = [w.casefold() for w in words if w not in _JOINERS]
    if (
        all(w[:1].isupper() or w in _JOINERS for w in words)
        and section_kind(bare) is not None
        and all(w in _HEADING_WORDS or _heading_word(w) for w in content)
        and not _JOB_WORDS.search(bare)
    ):
        return bare
    return None


def _heading_word(word: str) -> bool:
    return any(pattern.fullmatch(word) for _, pattern in _KIND_BY_WORD)


_HEADING_WORDS = frozenset(
    {w for names in _HEADINGS.values() for name in names for w in name.split()}
    | {
        "leadership",
        "relevant",
        "selected",
        "additional",
        "industry",
        "research",
        "teaching",
        "volunteer",
        "activities",
        "honors",
        "honours",
        "achievements",
        "training",
        "certifications",
        "highlights",
        "professional",
        "academic",
        "technical",
        "key",
        "core",
        "other",
        "further",
    }
)
_JOINERS = frozenset(("&", "and", "of", "the", "/", "+", "und", "et", "y", "e"))
_JOB_WORDS = re.compile(
    r"\b\w*(engineer|developer|scientist|analyst|manager|consultant|coach|trainer|teacher|"
    r"assistant|specialist|lead|officer|director|intern|coordinator|advisor|instructor)s?\b",
    re.IGNORECASE,
)


def read_sections(lines: list[str]) -> tuple[dict[str, str], list[str]]:
    """Non-empty sections by heading as written, and the kind of section each line is in.

    A line's kind is "heading" for a heading itself, "header" before the first heading, else
    the kind of the heading above it; a Markdown heading (`#`, `##`) with no kind more specific
    than "other" starts a "section".
    """
    sections: dict[str, list[str]] = {}
    kinds: list[str] = []
    current, kind = "header", "header"
    for line in lines:
        heading = heading_of(line) if line else None
        if heading is not None:
            current = heading
            kind = section_kind(heading) or "other"
            if kind == "other" and re.match(r"^#{1,2}\s", line):
                kind = "section"
            sections.setdefault(current, [])
            kinds.append("heading")
            continue
        sections.setdefault(current, []).append(line)
        kinds.append(kind)
    return {k: "\n".join(v).strip() for k, v in sections.items() if "\n".join(v).strip()}, kinds


def split_parts(text: str) -> list[str]:
    """The pieces of a line between separators (" at ", "|", " - ", ", "), markup removed."""
    cleaned = re.sub(r"^#+\s*|[*_`]", "", text).strip(" ()[]|,-–—:")
    return [p.strip(" ()[]") for p in _SEPARATORS.split(cleaned) if p.strip(" ()[]")]
