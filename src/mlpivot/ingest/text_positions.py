"""Jobs in a text resume: each line with job dates starts one, up to the next such line.

The title and employer are read from the rest of that line and from the short plain lines next
to it, whatever their order: "Barista, Brightline Coffee", "Okafor & Sons — Bookkeeper",
"Company / Title / dates" (LinkedIn exports), "dates / Title, Company" (Europass), a company
header over several titles (promotions). Which piece is which is decided by what each piece
is, not where it stands: a title ends with a word that ends job titles (O*NET's 64,000 titles,
`title_words.txt`), an employer carries an organisation word ("Ltd", "Bank", "University"), a
place or a duration ("Berlin, Germany", "2 yrs 3 mos") is neither. A resume lays all its jobs
out alike, so the first job of a section decides whether names stand above the dates or on and
below them, and the jobs after it are read the same way.

A section of work with no dates at all still has jobs ("Data Analyst — Fenwick Logistics" over
its bullets): they are read as positions without dates, which add nothing to the years.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date

from mlpivot.ingest.job_words import (
    COMMON_TITLE,
    employer_score,
    is_duration,
    is_place,
    title_score,
)
from mlpivot.ingest.plain_text import is_bullet, strip_bullet
from mlpivot.ingest.positions import DateSpan, PositionDraft, find_dates, position_span
from mlpivot.ingest.resume_sections import heading_of, section_kind

# Lines of an education entry: a degree, a school grade or an honour. They carry years like a
# job line does, and must never be read as one.
_EDUCATION_LINE = re.compile(
    r"\b(b\.?\s?sc|m\.?\s?sc|b\.?\s?eng|m\.?\s?eng|ph\.?\s?d|mba|bachelor|master|doctorate|"
    r"diploma|degree|licence|license|gpa|grade|cum laude|honours|honors|thesis|graduated|"
    r"university|universit[éàä]t?|universidad|université|college|school|academy|"
    r"highers|a-levels|abitur|baccalaur\w*)\b|\b\d{1,3}\s*/\s*\d{1,3}\b",
    re.IGNORECASE,
)
# Time away from work that resumes date like a job; it is not a position.
_BREAK = re.compile(
    r"\b(career break|sabbatical|parental leave|maternity leave|paternity leave|gap year|"
    r"travell?ing|caring for|family leave|career pause)\b",
    re.IGNORECASE,
)
_STRONG_SEPARATORS = re.compile(r"\s+(?:at|@)\s+|\s*[|–—•·\t]\s*|\s+[-/]\s+")
_PARENTHESES = re.compile(r"\s*\([^()]*\)")
_SELF_EMPLOYED = re.compile(r"\b(self[- ]employed|freelanc\w*)\b", re.IGNORECASE)

# "Occupation or position held: Data Scientist" (Europass), "Employer: Acme GmbH".
_LABEL = re.compile(
    r"^\s*(?P<label>job title|title|position(?: held)?|role|occupation(?: or position held)?|"
    r"employer|company|organi[sz]ation|name (?:and address )?of (?:the )?employer|dates?|"
    r"period|duration|location|place|city)\s*:\s*(?P<value>.*)$",
    re.IGNORECASE,
)
_DATE_LABEL = re.compile(r"(dates?|period|duration|from|time|when|zeitraum)", re.IGNORECASE)
_TITLE_LABELS = re.compile(r"title|position|role|occupation", re.IGNORECASE)
_EMPLOYER_LABELS = re.compile(r"employer|company|organi", re.IGNORECASE)
_FIELD_AFTER_IN = re.compile(
    r"^(test|training|residence|charge|chief|computer|data|machine|artificial|statistics|"
    r"mathematics|physics|chemistry|biology|economics|finance|engineering|science)\b",
    re.IGNORECASE,
)


@dataclass(frozen=True)
class _Piece:
    text: str
    hint: str = ""
    """"title" or "employer" when a label says so ("Employer: Acme")"""


@dataclass
class _Names:
    title: str = ""
    employer: str = ""
    first: int = 0
    claimed: set[int] = field(default_factory=set)
    """the neighbouring lines this job's names were read from"""
    header: bool = False
    """True when the employer came from a line above, which the titles after it may share"""
    own_employer: bool = True
    """False when the employer was read from a line other than the title's or the dates'"""
    below_named: bool = False
    """True when a line below the dates gave the title or the employer"""


_EMPLOYMENT_TYPE = re.compile(
    r"(full|part)[- ]?time|contract|permanent|temporary|temp|fixed[- ]term|interim|"
    r"seasonal|casual|on contract|contractor role",
    re.IGNORECASE,
)


def _noise(piece: str) -> bool:
    """A piece that is neither title nor employer: a place, a duration, a kind of contract."""
    return (
        not piece
        or is_duration(piece)
        or is_place(piece)
        or bool(_EMPLOYMENT_TYPE.fullmatch(piece.strip()))
    )


def find_positions(lines: list[str], kinds: list[str], today: date) -> list[PositionDraft]:
    """The jobs in `lines`, given each line's section kind (see `read_sections`).

    Only experience sections are searched when the resume has one; otherwise any section but
    education. `today` ends current jobs.
    """
    offsets = [0]
    for line in lines:
        offsets.append(offsets[-1] + len(line) + 1)
    has_experience = "experience" in kinds
    jobs: list[PositionDraft] = []
    header = ""
    used: set[int] = set()
    layout: dict[int, tuple[int, bool]] = {}
    """per section (the index of its heading), from its first job: how many lines above the
    dates name a job (0: names stand on and below the date line), and whether a line below
    the dates did"""
    section = -1
    for i, line in enumerate(lines):
        if kinds[i] == "heading":
            section = i
        allowed = kinds[i] == "experience" or (
            not has_experience
            and kinds[i] not in ("education", "heading", "other", "projects", "skills", "summary")
        )
        span = _job_dates(lines, i) if allowed else None
        if span is None:
            if jobs and kinds[i] != "heading" and kinds[i] == kinds[jobs[-1].first]:
                jobs[-1].last = i
            elif jobs and kinds[i] != kinds[jobs[-1].first]:
                jobs[-1].last = min(jobs[-1].last, i - 1)
                header = ""
            continue
        if section not in layout:
            header = ""
        lead, below_named = layout.get(section, (None, False))
        names = _names(lines, kinds, i, span, used, lead, below_named)
        if section not in layout:
            layout[section] = (i - names.first, names.below_named)
        if names.header:
            header = names.employer
        elif not names.employer and header:
            names.employer = header
        elif names.employer:
            header = ""
        if (
            (not names.employer or not names.own_employer)
            and _SELF_EMPLOYED.search(f"{line} {names.title}")
            and employer_score(names.employer) < 2
        ) or _SELF_EMPLOYED.fullmatch(names.employer.strip()):
            names.employer = "self-employed"
        used.update(range(names.first, i + 1))
        used.update(names.claimed)
        end_day, months = position_span(span.start, span.end, today)
        if jobs and jobs[-1].last >= names.first:
            jobs[-1].last = names.first - 1
        jobs.append(
            PositionDraft(
                names.title,
                names.employer,
                span.start.day,
                end_day,
                months,
                names.first,
                max([i, *names.claimed]),
                [],
                head=i,
            )
        )
    if not jobs:
        jobs = _undated_jobs(lines, kinds)
    for job in jobs:
        body = lines[job.head + 1 : job.last + 1]
        job.lines = [strip_bullet(b).strip() for b in body if b.strip()]
        job.span = (offsets[job.first], offsets[job.last + 1])
    return jobs


def _job_dates(lines: list[str], i: int) -> DateSpan | None:
    """The dates on line `i` if it is a job line: not a bullet, not an education line.

    A single date ("Summer 2025", "2007") counts only on a short line that also names a title,
    or that stands under a title line; a range or "Since 2021" counts on any such line.
    """
    line = lines[i]
    if not line or is_bullet(line) or len(line.split()) > 20:
        return None
    span = find_dates(line)
    if span is None:
        return None
    rest = (line[: span.begin] + " " + line[span.finish :]).strip()
    if _EDUCATION_LINE.search(rest) and not COMMON_TITLE.search(rest):
        return None
    if _BREAK.search(rest) and not COMMON_TITLE.search(_BREAK.sub("", rest)):
        return None
    if span.single:
        prev = lines[i - 1] if i else ""
        titled = COMMON_TITLE.search(rest) or (_is_plain(prev) and COMMON_TITLE.search(prev))
        if not titled or len(rest.split()) > 12:
            return None
    return span


_ABBREVIATION_END = re.compile(r"\b(inc|ltd|co|corp|llc|plc|jr|sr|st|dept|s\.a|e\.v)\.$", re.I)


def _is_plain(line: str) -> bool:
    """A short line that is not a bullet, a heading or a job line: a title or an employer."""
    return (
        sum(c.isalpha() for c in line) >= 2
        and len(_PARENTHESES.sub("", line).split()) <= 10
        and not is_bullet(line)
        and find_dates(line, single=False) is None
        and section_kind(heading_of(line) or "") is None
        and (not line.rstrip().endswith(".") or bool(_ABBREVIATION_END.search(line.rstrip())))
        and not line.lstrip()[:1].islower()  # the wrapped end of the bullet above
    )


def _looks_like_employer(line: str) -> bool:
    """A name and at most a place or two ("Acme GmbH, Berlin"), not a list of tools."""
    pieces = re.split(r",\s+", _clean(line))
    return (
        len(pieces) <= 3
        and len(line.split()) <= 8
        and title_score(line) == 0
        and not is_place(line)
        and not is_duration(line)
    )


def _clean(text: str) -> str:
    """Markup, parenthetical remarks and stray punctuation off a piece of a job line."""
    text = re.sub(r"^#+\s*|[*_`]", "", text)
    text = _PARENTHESES.sub("", text)
    return text.strip(" ()[]|,;:-–—/·")


def _pieces(text: str) -> tuple[list[_Piece], bool]:
    """Pieces between strong separators (" | ", " — ", " at ", " / "), else between commas; and
    whether the commas did the splitting."""
    if _DATE_LABEL.fullmatch(_clean(text)):
        return [], False  # what is left of "Dates: 03/2015 – 06/2019"
    label = _LABEL.match(_clean(text))
    if label:
        value = _clean(label.group("value"))
        name = label.group("label")
        if not value or not (_TITLE_LABELS.search(name) or _EMPLOYER_LABELS.search(name)):
            return [], False
        hint = "employer" if _EMPLOYER_LABELS.search(name) else "title"
        return [_Piece(value.split(", ")[0] if hint == "employer" else value, hint)], False
    cleaned = _clean(text)
    strong = [p.strip(" ,;:") for p in _STRONG_SEPARATORS.split(cleaned) if p.strip(" ,;:")]
    by_comma = False
    if len(strong) == 1:
        # "Pelican Media: Copy Editor"
        colon = re.split(r"(?<=\w):\s+", strong[0], maxsplit=1)
        if len(colon) == 2 and all(c.strip() for c in colon):
            strong = colon
    # "Leeds, UK" is a place, not two pieces; "Contract:" says how, not who
    strong = [p for p in strong if not _noise(p)]
    if len(strong) == 1:
        commas = [p.strip() for p in re.split(r",\s+", strong[0]) if p.strip()]
        # "..., Toronto, ON": a place at the end of the list
        while len(commas) > 2 and is_place(", ".join(commas[-2:])):
            commas = commas[:-2]
        by_comma = len(commas) > 1
        strong = commas
    out: list[_Piece] = []
    for piece in strong:
        piece = piece.strip(" ,;:·")
        # "Intern in Norrland Bank": " in " before an organisation's name
        at_in = re.match(r"^(.+?)\s+in\s+(\S.*)$", piece)
        if (
            at_in
            and title_score(at_in.group(1)) == 2
            and employer_score(at_in.group(2)) == 2
            and at_in.group(2)[:1].isupper()
        ):
            out += [_Piece(at_in.group(1)), _Piece(at_in.group(2))]
        elif piece and not _noise(piece):
            out.append(_Piece(piece))
    return out, by_comma


def _employer(part: str) -> str:
    """An employer without the place after it ("Sonoric Audio GmbH, Erlangen") or a second title
    before it ("ML Engineer, Acme" left of "Data Scientist / ")."""
    parts = [p.strip() for p in part.split(", ") if p.strip()]
    if not parts:
        return ""
    named = [p for p in parts if not is_place(p) and title_score(p) < 2]
    best = max(named, key=lambda p: (employer_score(p) == 2, -named.index(p)), default=parts[0])
    # The first part is the employer unless it is a title or a department ("Dept. of Physics,
    # Northmoor University").
    first_named = title_score(parts[0]) < 2 and employer_score(parts[0]) != 1
    return parts[0] if first_named else best


def _title_rank(piece: _Piece) -> int:
    if piece.hint == "title":
        return 3
    return 0 if piece.hint == "employer" else title_score(piece.text)


def _employer_rank(piece: _Piece) -> int:
    if piece.hint == "employer":
        return 3
    return 0 if piece.hint == "title" else employer_score(piece.text)


_CONTACT = re.compile(r"\w@\w|https?://|www\.|\.(?:com|org|net|io|dev)\b|\+?\d[\d ()./-]{7,}\d")


def _eligible(lines: list[str], kinds: list[str], i: int, j: int, used: set[int]) -> bool:
    """Whether line `j` may name the job dated on line `i`: a plain line next to it in the same
    section, not yet read for another job, not the resume's first line (the person's name) and
    not a contact line."""
    return (
        0 <= j < len(lines)
        and (j > 0 or kinds[j] != "header")
        and not _CONTACT.search(lines[j])
        and kinds[j] == kinds[i]
        and j not in used
        and bool(lines[j])
        and _is_plain(lines[j])
        and bool(_pieces(lines[j])[0] or _noise(_clean(lines[j])))
    )


def _names(
    lines: list[str],
    kinds: list[str],
    i: int,
    span: DateSpan,
    used: set[int],
    lead: int | None,
    below_named: bool = False,
) -> _Names:
    """Title, employer, the first line of the job whose dates are on line `i`, and the lines
    next to it that were read for them. `lead` is how many lines above the dates the section's
    first job used (None for the first job itself)."""
    line = lines[i]
    before, comma_before = _pieces(line[: span.begin])
    after, comma_after = _pieces(line[span.finish :])
    own = before + after
    by_comma = (comma_before and not after) or (comma_after and not before)
    above: list[int] = []
    reach = 3 if lead is None else max(lead, 1)
    j = i - 1
    while len(above) < reach and _eligible(lines, kinds, i, j, used):
        above.append(j)
        j -= 1
    below: list[int] = []
    j = i + 1
    while len(below) < 2 and _eligible(lines, kinds, i, j, used):
        below.append(j)
        j += 1
    names = _Names(first=i)
    # A line under the dates that is only a place or a duration belongs to this job.
    for k, j in enumerate(below):
        if _pieces(lines[j])[0]:
            break
        names.claimed.add(j)
        below = below[:k]  # and ends the lines that can name it
        break
    if lead and not below_named:  # names stand above the dates: lines below are the job's text
        below = []
    elif lead == 0:  # names stand on and below the date line: lines above are the last job's
        titled = any(_title_rank(p) >= 2 for p in own)
        above = [j for j in above[:1] if not titled or title_score(lines[j]) < 2]
    neighbours = [(j, _pieces(lines[j])[0]) for j in (*above, *below)]
    neighbours = [(j, p) for j, p in neighbours if p]

    # The title: the best-ranked piece, the date line's own first, then the nearest lines.
    candidates = [(-1, p) for p in own] + [(j, p) for j, ps in neighbours for p in ps]
    best = max((_title_rank(p) for _, p in candidates), default=0)
    title_at, title = next(((j, p) for j, p in candidates if _title_rank(p) == best), (-1, None))
    if best == 0:
        # No piece names a role ("Member of Staff"?): the first piece that is not an
        # organisation, on the date line if it has one.
        plain = [(j, p) for j, p in candidates if _employer_rank(p) < 2]
        title_at, title = plain[0] if plain else (-1, None)
    if title is not None and title_at == -1 and by_comma and len(own) == 2:
        # "Head of Year, Science | 09/19 – Now" over "Redbrook Academy, Bristol": the comma is
        # inside the title when a line next to it names the employer.
        other = own[1] if own[0] is title else own[0]
        if _employer_rank(other) == 0 and any(
            _employer_rank(ps[0]) == 2
            or (_looks_like_employer(lines[j]) and title_score(lines[j]) == 0)
            for j, ps in neighbours
        ):
            whole = _clean(line[: span.begin] + line[span.finish :])
            own = before = [_Piece(whole)]
            after = []
            title = own[0]
    names.title = title.text if title is not None else ""
    if title_at >= 0:
        names.claimed.add(title_at)

    # The employer: on the date line, then on the title's line, then the nearest other line.
    def rest_of(pieces: list[_Piece]) -> list[_Piece]:
        return [p for p in pieces if p is not title]

    employer_at = -1
    employer: _Piece | None = None
    # Before the dates, then the title's own line, then after the dates ("dates, Lisbon").
    groups = [(-1, rest_of(before)), *[(j, rest_of(ps)) for j, ps in neighbours if j == title_at]]
    groups.append((-1, rest_of(after)))
    ranked_pieces = [
        (_employer_rank(p), -g, -k, j, p)
        for g, (j, rest) in enumerate(groups)
        for k, p in enumerate(rest)
    ]
    if ranked_pieces:
        _, _, _, employer_at, employer = max(ranked_pieces, key=lambda r: r[:3])
    if employer is None:
        others = [(j, ps) for j, ps in neighbours if j != title_at]
        if title_at >= 0:
            # On the title's side of the dates, beyond the title first; then the other side
            # ("Title / dates / Employer").
            side = [(j, ps) for j, ps in others if (j < i) == (title_at < i)]
            side.sort(key=lambda x: -abs(x[0] - i) if abs(x[0] - i) > abs(title_at - i) else 0)
            rest = [(j, ps) for j, ps in others if (j < i) != (title_at < i)]
            others = side + rest
        # With the title on the date line: below first ("Title | dates" over "Employer"), unless
        # the section's first job found its names above (a company header).
        below_first = title_at < 0 and not lead

        def near_side(j: int) -> bool:
            return j > i if below_first else (j < i) == (title_at < i)

        for group in ([(j, ps) for j, ps in others if near_side(j)], others):
            ranked = [(j, ps) for j, ps in group if _employer_rank(ps[0]) >= 1]
            plain_lines = [(j, ps) for j, ps in group if _title_rank(ps[0]) < 2]
            pick = (ranked or plain_lines or [(-1, [])])[0]
            if pick[1]:
                employer_at, employer = pick[0], pick[1][0]
                names.own_employer = False
                break
    if employer is not None:
        names.employer = _employer(employer.text)
        if employer_at >= 0:
            names.claimed.add(employer_at)
            names.header = employer_at < i and title_at != employer_at
    if not names.employer and " in " in names.title and not names.header:
        # "Software Engineer in Halvorsen Tech" with no employer anywhere else
        left, _, right = names.title.partition(" in ")
        if title_score(left) == 2 and right[:1].isupper() and not _FIELD_AFTER_IN.match(right):
            names.title, names.employer = left, _employer(right)
    if not names.employer and not names.header:
        # "Data Scientist (Ferris Health), 2020 – 2023": an organisation in parentheses
        remark = re.search(r"\(([^()]{4,60})\)", line[: span.begin] + " " + line[span.finish :])
        inside = remark.group(1).strip() if remark else ""
        if (
            inside[:1].isupper()
            and not _noise(inside)
            and title_score(inside) == 0
            and len(inside.split()) <= 5
            and not _SELF_EMPLOYED.search(inside)
        ):
            names.employer = _employer(inside)
    names.below_named = title_at > i or employer_at > i
    firsts = [j for j in names.claimed if j < i]
    names.first = min(firsts) if firsts else i
    names.claimed = {j for j in names.claimed if j > i}
    return names


def _undated_jobs(lines: list[str], kinds: list[str]) -> list[PositionDraft]:
    """Jobs in an experience section that gives no dates at all: a line that names a title and
    an employer ("Data Analyst — Fenwick Logistics") with the job's own lines under it."""
    jobs: list[PositionDraft] = []
    for i, line in enumerate(lines):
        if kinds[i] != "experience" or not _is_plain(line):
            if jobs and kinds[i] == "experience":
                jobs[-1].last = i
            continue
        pieces, _ = _pieces(line)
        nxt = lines[i + 1] if i + 1 < len(lines) else ""
        titles = [p for p in pieces if _title_rank(p) == 2]
        if len(pieces) != 2 or len(titles) != 1 or not (is_bullet(nxt) or not _is_plain(nxt)):
            if jobs and kinds[i] == "experience":
                jobs[-1].last = i
            continue
        employer = next(p for p in pieces if p is not titles[0])
        jobs.append(
            PositionDraft(
                titles[0].text, _employer(employer.text), None, None, set(), i, i, [], head=i
            )
        )
    return jobs
