"""A job posting, from whatever form it arrives in, as one `Posting` value.

Postings come as plain text pasted from a job board, Markdown, a saved web page, or the
schema.org `JobPosting` JSON-LD that most career sites embed for search engines. All four are
turned into the same Markdown-like text (headings as `## `, list items as `- `), so one set of
rules finds the title, the sections and whether a skill is required or only welcome.

Whether a skill is required is read from where it is named: its own clause first ("Kubernetes
is a plus", "(GCP preferred)"), then the heading of its section ("Requirements", "Nice to
have"). Skills named only in the duties count as required, because the job does them; skills
named only in the company blurb are kept as `mentioned` and count for nothing.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from itertools import pairwise
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal

from pydantic import BaseModel, ConfigDict

from mlpivot.errors import IngestError
from mlpivot.ingest.extract import SkillMention, extract_skills
from mlpivot.ingest.plain_text import BULLET, NON_TEXT_TAGS
from mlpivot.limits import MAX_HTML_CHARS, load_json

if TYPE_CHECKING:
    from mlpivot.catalog import Catalog

Seniority = Literal["junior", "mid", "senior", "lead"]
Need = Literal["required", "nice", "mentioned"]
SourceFormat = Literal["text", "markdown", "html", "json-ld", "pdf", "docx"]


class PostingSkill(BaseModel):
    """One requirement a posting names, how much it wants it, and the sentence that says so.

    Usually one catalog skill. When the posting offers a choice ("PyTorch or TensorFlow",
    "AWS/GCP", "one of Go, Rust, C++") it is still one requirement: `skill_id` is the first
    option named and `alternatives` the others, and any one of them meets it.
    """

    model_config = ConfigDict(frozen=True)

    skill_id: str
    need: Need
    evidence: str
    section: str = ""
    start: int = 0
    end: int = 0
    alternatives: tuple[str, ...] = ()

    @property
    def options(self) -> tuple[str, ...]:
        """Every skill that meets this requirement, in the order the posting names them."""
        return (self.skill_id, *self.alternatives)


class Posting(BaseModel):
    """A parsed job posting; `text` is the normalised body that the skill offsets point into."""

    model_config = ConfigDict(frozen=True)

    title: str = ""
    company: str | None = None
    location: str | None = None
    seniority: Seniority | None = None
    source_format: SourceFormat = "text"
    text: str = ""
    skills: tuple[PostingSkill, ...] = ()

    @property
    def required(self) -> tuple[PostingSkill, ...]:
        return tuple(s for s in self.skills if s.need == "required")

    @property
    def nice_to_have(self) -> tuple[PostingSkill, ...]:
        return tuple(s for s in self.skills if s.need == "nice")

    def summary(self) -> dict[str, Any]:
        """The JSON stored with the document and printed by `--json`."""
        return {
            **self.model_dump(mode="json", exclude={"text", "skills"}),
            "required": [s.model_dump(mode="json") for s in self.required],
            "nice_to_have": [s.model_dump(mode="json") for s in self.nice_to_have],
        }


# ---------------------------------------------------------------------------------------------
# Reading: any form -> (fields found in structured data, Markdown-like text)

_HTML_HINT = re.compile(r"<(html|body|div|p|ul|li|h[1-6]|section|article|br)\b", re.IGNORECASE)
_MD_HINT = re.compile(r"^(#{1,6} |\*\*[^*]+\*\*\s*$)", re.MULTILINE)


def parse_posting(
    source: str | Path, catalog: Catalog | None = None, *, name: str | None = None
) -> Posting:
    """A `Posting` from a file (`Path`) or from the posting's text (`str`, form sniffed).

    A file goes through `ingest.documents` first, so it gets the same size and time limits and
    the same plain error messages as a resume (and a PDF or DOCX posting works too).
    """
    if isinstance(source, Path):
        raw, fmt = _read_file(source, name)
    else:
        raw, fmt = source, _sniff(source)
    label = name or (source.name if isinstance(source, Path) else "the posting")
    if len(raw) > MAX_HTML_CHARS:
        raise IngestError(
            f"{label}: the posting is {len(raw):,} characters, over the limit of "
            f"{MAX_HTML_CHARS:,}; save the page's text (or its main part) instead"
        )
    fields, body = _to_markdown(raw, fmt, label)
    if not body.strip():
        raise IngestError(f"{label}: the posting has no text in it")
    return _build(fields, body, fmt, catalog)


def _read_file(path: Path, name: str | None) -> tuple[str, SourceFormat]:
    from mlpivot.ingest.documents import decode_text, read_document

    document = read_document(path, name)
    if document.kind == "html":
        # documents.py drops <head> and <script>, where the title and the JSON-LD live.
        return decode_text(document.name, path.read_bytes())[0], "html"
    if document.kind == "json":
        return document.text, "json-ld"
    if document.kind in ("pdf", "docx", "markdown"):
        return document.text, document.kind
    return document.text, _sniff(document.text)


def _sniff(text: str) -> SourceFormat:
    head = text.lstrip()[:1]
    if head in "{[" and head:
        return "json-ld"
    if _HTML_HINT.search(text[:5000]):
        return "html"
    if _MD_HINT.search(text):
        return "markdown"
    return "text"


def _to_markdown(raw: str, fmt: SourceFormat, label: str) -> tuple[dict[str, str], str]:
    if fmt == "json-ld":
        data = load_json(raw, label, IngestError)
        found = next(_job_postings(data), None)
        if found is None:
            raise IngestError(f"{label}: the JSON has no schema.org JobPosting in it")
        return _json_ld(found)
    if fmt == "html":
        return _html(raw)
    return {}, raw.replace("\r\n", "\n")


def _job_postings(data: Any) -> Iterator[dict[str, Any]]:
    """Every JobPosting object in a JSON-LD value (top level, in a list, or in an @graph)."""
    if isinstance(data, list):
        for item in data:
            yield from _job_postings(item)
    elif isinstance(data, dict):
        kind = data.get("@type")
        kinds = kind if isinstance(kind, list) else [kind]
        if "JobPosting" in kinds:
            yield data
        yield from _job_postings(data.get("@graph", []))


def _text_of(value: Any) -> str:
    if isinstance(value, dict):
        return str(value.get("name") or value.get("@value") or "")
    if isinstance(value, list):
        return ", ".join(t for t in (_text_of(v) for v in value) if t)
    return "" if value is None else str(value)


def _place(value: Any) -> str:
    places = value if isinstance(value, list) else [value]
    out: list[str] = []
    for place in places:
        if not isinstance(place, dict):
            continue
        address = place.get("address", place)
        if isinstance(address, dict):
            parts = [
                _text_of(address.get(k))
                for k in ("addressLocality", "addressRegion", "addressCountry")
            ]
            text = ", ".join(p for p in parts if p)
        else:
            text = _text_of(address)
        if text:
            out.append(text)
    return "; ".join(out)


# JSON-LD text fields beyond the description, with the heading they get in the body.
_JSON_LD_SECTIONS = (
    ("responsibilities", "Responsibilities"),
    ("qualifications", "Qualifications"),
    ("skills", "Skills"),
    ("experienceRequirements", "Experience requirements"),
    ("educationRequirements", "Education requirements"),
)


def _json_ld(posting: dict[str, Any]) -> tuple[dict[str, str], str]:
    fields = {
        "title": _text_of(posting.get("title")).strip(),
        "company": _text_of(posting.get("hiringOrganization")).strip(),
        "location": _place(posting.get("jobLocation")),
    }
    if not fields["location"] and posting.get("jobLocationType") == "TELECOMMUTE":
        fields["location"] = "Remote"
    description = _text_of(posting.get("description"))
    body = _html(description)[1] if _HTML_HINT.search(description) else description
    extra = [
        f"## {heading}\n{_text_of(posting.get(key))}"
        for key, heading in _JSON_LD_SECTIONS
        if _text_of(posting.get(key)).strip()
    ]
    return {k: v for k, v in fields.items() if v}, "\n\n".join([body.strip(), *extra]).strip()


_BLOCKS = ("p", "div", "section", "article", "header", "main", "tr", "br", "dd", "dt")


def _html(html: str) -> tuple[dict[str, str], str]:
    """Markdown-like text of a page, plus the fields of any JobPosting JSON-LD in it."""
    from bs4 import BeautifulSoup, Tag

    soup = BeautifulSoup(html, "html.parser")
    fields: dict[str, str] = {}
    ld_body = ""
    for script in soup.find_all("script", attrs={"type": "application/ld+json"}):
        try:
            data = load_json(script.get_text(), "the page's JSON-LD", IngestError)
        except IngestError:
            continue
        found = next(_job_postings(data), None)
        if found is not None:
            fields, ld_body = _json_ld(found)
            break
    for key in ("company", "location"):
        tagged = soup.find(class_=re.compile(key if key == "location" else "company|employer"))
        if key not in fields and isinstance(tagged, Tag) and len(tagged.get_text()) < 80:
            fields[key] = tagged.get_text(" ", strip=True)
    title_tag = soup.find("title")
    page_title = title_tag.get_text(" ", strip=True) if title_tag else ""
    for tag in soup(list(NON_TEXT_TAGS)):
        tag.decompose()
    for tag in soup.find_all(re.compile(r"^h[1-6]$")):
        if isinstance(tag, Tag):
            tag.insert_before("\n## ")
            tag.insert_after("\n")
    for tag in soup.find_all("li"):
        tag.insert_before("\n- ")
        tag.insert_after("\n")
    for tag in soup.find_all(_BLOCKS):
        tag.insert_before("\n")
        tag.insert_after("\n")
    lines = (" ".join(line.split()) for line in soup.get_text("").splitlines())
    body = "\n".join(line for line in lines if line and line not in ("-", "##"))
    if not body.strip() or len(ld_body) > len(body):
        body = ld_body
    if "title" not in fields and not re.search(r"^# ", body) and page_title:
        h1 = soup.find("h1")
        if h1 is None:
            fields["page_title"] = page_title
    return fields, body


# ---------------------------------------------------------------------------------------------
# Sections and the head of the posting

_BULLET = BULLET
_HEADING_MD = re.compile(r"^\s*#{1,6}\s+(.*?)\s*#*\s*$")
_HEADING_BOLD = re.compile(r"^\s*\*\*([^*]{2,60})\*\*:?\s*$")
_SECTION_WORDS = re.compile(
    r"\b(about|overview|responsibilit|requirement|qualification|what you|you will|you'll|"
    r"you have|you should|who you|who we|we are|we're|your |skills|duties|criteria|bonus|"
    r"nice to have|preferred|plus|profile|benefits|mission|the role|the team|the work|"
    r"the opportunity|role|team|experience|expect|bring|need|looking for|offer|perks|"
    r"schedule|essential|desirable|minimum|must)",
    re.IGNORECASE,
)


def _heading(line: str, next_line: str) -> str | None:
    """The heading a line is, if it is one (Markdown, bold alone, or a short labelled line)."""
    m = _HEADING_MD.match(line) or _HEADING_BOLD.match(line)
    if m:
        return m.group(1).strip(" :*")
    text = line.strip()
    if not text or _BULLET.match(line) or len(text) > 60 or text.endswith((".", ",")):
        return None
    if text.endswith(":") or (
        _SECTION_WORDS.search(text) and len(text.split()) <= 7 and not next_line.startswith(" ")
    ):
        return text.rstrip(":").strip()
    return None


def _strip_md(line: str) -> str:
    return re.sub(r"\*\*|__|`", "", _HEADING_MD.sub(r"\1", line)).strip()


_SEPARATORS = re.compile(r"\s+(?:[|·•—–]|-|&middot;)\s+|\s*\|\s*")
_LABELLED = re.compile(r"\*{0,2}(company|location)\*{0,2}:\*{0,2}\s*([^·|*]+)", re.IGNORECASE)
_OPENER = re.compile(r"^(about|overview|who we|the role|our |at [A-Z])", re.IGNORECASE)


def _head_fields(lines: list[str]) -> dict[str, str]:
    """Title, company and location from the first lines of a text posting.

    Job boards and career pages put the title first and "Company - City, ST" under it; a
    posting that opens with a section heading ("About us") has no title.
    """
    content = [ln for ln in lines if ln.strip()]
    if not content:
        return {}
    fields: dict[str, str] = {}
    first = _strip_md(content[0])
    if _OPENER.match(first) or first.endswith(".") or len(first) > 90:
        return fields
    fields["title"] = first
    for line in content[1:3]:
        plain = _strip_md(line)
        labelled = {m.group(1).lower(): m.group(2).strip(" *") for m in _LABELLED.finditer(line)}
        if labelled:
            fields.update(labelled)
            break
        if _heading(line, "") and not _SEPARATORS.search(plain):
            break
        parts = [p.strip() for p in _SEPARATORS.split(plain) if p.strip()]
        if len(parts) < 2 and plain.count(",") >= 2 and len(plain) < 60:
            parts = [plain.split(",", 1)[0], plain.split(",", 1)[1].strip()]
        if len(parts) >= 2 and len(plain) < 120 and not plain.endswith("."):
            fields["company"], fields["location"] = parts[0], ", ".join(parts[1:])
            break
    return fields


# ---------------------------------------------------------------------------------------------
# Required or nice to have

_NICE = re.compile(
    r"nice[ -]to[ -]have|\bbonus|\bpreferred\b|\bpreferably\b|\ba plus\b|\bis a plus\b|"
    r"\bplus(es)?\b(?! +\d)|\bdesirable\b|\bdesired\b|\bideally\b|\badvantage(ous)?\b|"
    r"\bwould be great\b|\bnot required\b|\boptional\b|good to have|great to have",
    re.IGNORECASE,
)
_REQUIRED = re.compile(
    r"\brequire(d|ments?)?\b|\bmust\b|\bessential\b|\bminimum\b|\bqualifications?\b|"
    r"\byou (have|bring|should have|will need|need)\b|what you('ll| will)? (need|bring|have)|"
    r"\babout you\b|\byour profile\b|looking for|\bwe expect\b|what we expect|\bskills\b|"
    r"\bcriteria\b|\bexperience\b",
    re.IGNORECASE,
)
_DUTIES = re.compile(
    r"responsibilit|\bduties\b|what you('ll| will)? (do|work on|be doing)|you will:?$|"
    r"\bin this role\b|the work|the role|role overview|your mission|key responsibilities|"
    r"what the team|the opportunity|\bthe position\b",
    re.IGNORECASE,
)
_ABOUT = re.compile(
    r"^(about (us|the company|the team|[A-Z][\w&]+$)|who we are|our (company|story)|benefits|perks|"
    r"what we offer|why join)",
    re.IGNORECASE,
)


def _section_need(heading: str) -> Need | None:
    """What a section heading says about the skills under it; None = duties."""
    if _NICE.search(heading):
        return "nice"
    if _DUTIES.search(heading):
        return None
    if _REQUIRED.search(heading):
        return "required"
    if _ABOUT.search(heading):
        return "mentioned"
    return None


def _clause(line: str, start: int, end: int) -> str:
    """The part of a line a mention belongs to: its parenthesis, or its `;`-clause without them."""
    depth_open = line.rfind("(", 0, start)
    if depth_open >= 0 and line.find(")", depth_open) in range(end, len(line) + 1):
        return line[depth_open : line.find(")", depth_open) + 1]
    lo = line.rfind(";", 0, start) + 1
    hi = line.find(";", end)
    part = line[lo : hi if hi >= 0 else len(line)]
    return re.sub(r"\([^)]*\)", " ", part)


def _mention_need(clause: str, section: Need | None) -> tuple[Need, str]:
    """The need of one mention and the words that decided it."""
    cue = _NICE.search(clause)
    if cue:
        return "nice", f'"{cue.group(0)}" in the sentence'
    if section == "nice":
        return "nice", "in a nice-to-have section"
    if section == "required":
        return "required", "in a requirements section"
    if section == "mentioned":
        return "mentioned", "only in the company description"
    return "required", "in the duties"


_YEARS = re.compile(r"(\d{1,2})\s*\+?\s*(?:-\s*\d+\s*)?years?", re.IGNORECASE)
_TITLE_LEVELS: tuple[tuple[re.Pattern[str], Seniority], ...] = (
    (re.compile(r"\b(head of|director|vp|principal|group product|lead|chief)\b", re.I), "lead"),
    (re.compile(r"\bstaff (\w+ )?(engineer|scientist|developer|researcher)\b", re.I), "lead"),
    (re.compile(r"\b(senior|sr\.?)\b|\b(iii)\b", re.I), "senior"),
    (
        re.compile(
            r"\b(junior|jr\.?|entry[- ]level|graduate|intern|trainee|associate)\b|"
            r"\b(i)\b(?!\.)",
            re.I,
        ),
        "junior",
    ),
    (re.compile(r"\b(ii|mid[- ]level)\b", re.I), "mid"),
    (re.compile(r"\b(iv|v)\b", re.I), "lead"),
)


def _seniority(title: str, text: str) -> Seniority | None:
    """From the title when it says; else from the largest "N+ years" the posting asks for."""
    for pattern, level in _TITLE_LEVELS:
        if pattern.search(title):
            return level
    years = [int(m.group(1)) for m in _YEARS.finditer(text) if int(m.group(1)) <= 20]
    if not years:
        return None
    most = max(years)
    return "junior" if most < 2 else "mid" if most < 5 else "senior" if most < 8 else "lead"


# ---------------------------------------------------------------------------------------------
# Putting it together


def _lines_with_offsets(text: str) -> Iterable[tuple[int, str]]:
    pos = 0
    for line in text.split("\n"):
        yield pos, line
        pos += len(line) + 1


def _build(
    fields: dict[str, str], body: str, fmt: SourceFormat, catalog: Catalog | None
) -> Posting:
    lines = body.split("\n")
    head = _head_fields(lines)
    title = fields.get("title") or head.get("title") or fields.get("page_title", "")
    title = re.split(r"\s+[|–—]\s+|\s+-\s+(?=[A-Z][\w ]*(Careers|Jobs))", title)[0].strip()
    mentions = [m for m in extract_skills(body, catalog, use_model=False) if m.skill_id]
    needs = _classify_mentions(body, mentions, title)
    return Posting(
        title=title,
        company=fields.get("company") or head.get("company"),
        location=fields.get("location") or head.get("location"),
        seniority=_seniority(title, body),
        source_format=fmt,
        text=body,
        skills=needs,
    )


# ---------------------------------------------------------------------------------------------
# Alternatives: "X or Y", "X/Y", "X, Y or similar", "one of X, Y, Z"

# What may stand between two options of one choice: a comma, a slash, "or", "and/or", "nor",
# or an "or" in brackets ("Snowflake (or BigQuery)").
_CHOICE_GAP = re.compile(
    r"^\s*(?:,|/|\||\bor\b|,\s*or\b|\band\s*/\s*or\b|\bnor\b|,\s*and\s*/\s*or\b|"
    r"[(\[]\s*(?:or|and\s*/\s*or)\b)\s*$",
    re.IGNORECASE,
)
_OR_WORD = re.compile(r"/|\||\bor\b|\bnor\b", re.IGNORECASE)
# Words just before a list that make it a choice even without "or" ("one of", "such as").
_CHOICE_OPENER = re.compile(
    r"(?:\bone of|\bany of|\beither|\bsuch as|\be\.?g\.?,?|\bfor example,?|\bfor instance,?|"
    r"\blike|\bincluding|\bsimilar to)\s*(?:the following\s*)?[:(]?\s*$",
    re.IGNORECASE,
)
# Words just after a list that make it a choice: "X, Y or similar", "X, Y or equivalent".
_CHOICE_CLOSER = re.compile(
    r"^\s*,?\s*(?:or|and/or)\s+(?:a\s+|an\s+|any\s+|some\s+)?(?:similar|equivalent|comparable|"
    r"other|another|related|alike)\b",
    re.IGNORECASE,
)
# A second option offered in brackets as acceptable: "GCP preferred (AWS fine)", "Go (Rust ok)".
_BRACKET_GAP = re.compile(r"^\s*(?:preferred|ideally|preferably)?\s*[(\[]\s*$", re.IGNORECASE)
_ACCEPTABLE = re.compile(
    r"^\s*(?:is\s+|are\s+|also\s+|too\s+)*(?:fine|ok|okay|acceptable|welcome|works)\b",
    re.IGNORECASE,
)


def _joins(line: str, left: tuple[int, int, str], right: tuple[int, int, str]) -> bool:
    gap = line[left[1] : right[0]]
    if _CHOICE_GAP.match(gap):
        return True
    return bool(_BRACKET_GAP.match(gap) and _ACCEPTABLE.match(line[right[1] :]))


def choice_groups(line: str, spans: list[tuple[int, int, str]]) -> list[list[tuple[int, int, str]]]:
    """The mentions of one line grouped by requirement: a group of two or more is a choice.

    Neighbouring mentions joined only by commas, slashes or "or" form a list; the list is a
    choice when an "or" or a slash joins it, when "one of", "such as", "e.g." opens it, or when
    "or similar", "or equivalent" closes it. An option offered in brackets as acceptable ("GCP
    preferred (AWS fine)") joins the one before it. "and" ends a list ("Python and SQL or R":
    Python, then SQL or R), and a comma list alone ("Python, SQL, Spark") asks for every item.
    """
    ordered = sorted(spans)
    runs: list[list[tuple[int, int, str]]] = []
    for span in ordered:
        if runs and _joins(line, runs[-1][-1], span):
            runs[-1].append(span)
        else:
            runs.append([span])
    groups: list[list[tuple[int, int, str]]] = []
    for run in runs:
        ids = list(dict.fromkeys(s[2] for s in run))
        gaps = [line[a[1] : b[0]] for a, b in pairwise(run)]
        before, after = line[: run[0][0]], line[run[-1][1] :]
        choice = len(ids) > 1 and (
            any(_OR_WORD.search(g) or _BRACKET_GAP.match(g) for g in gaps)
            or _CHOICE_OPENER.search(before) is not None
            or _CHOICE_CLOSER.match(after) is not None
        )
        if choice:
            groups.append(run)
        else:
            groups.extend([s] for s in run)
    return groups


def _classify_mentions(
    body: str, mentions: list[SkillMention], title: str
) -> tuple[PostingSkill, ...]:
    """One `PostingSkill` per requirement, at its strongest need (required > nice > mentioned).

    A choice ("PyTorch or TensorFlow") is one requirement; it is dropped when one of its
    options is asked for on its own at least as strongly, since meeting that meets it.
    """
    sections: list[tuple[int, int, str, Need | None]] = []
    lines = list(_lines_with_offsets(body))
    current: tuple[str, Need | None] = ("", None)
    start = 0
    for idx, (pos, line) in enumerate(lines):
        nxt = lines[idx + 1][1] if idx + 1 < len(lines) else ""
        heading = _heading(line, nxt)
        if heading is not None and _strip_md(line) != title:
            sections.append((start, pos, *current))
            current, start = (heading, _section_need(heading)), pos
    sections.append((start, len(body) + 1, *current))
    if any(h for _, _, h, n in sections if n != "mentioned"):
        # Text before the first heading is the company or team blurb when headings follow.
        sections = [(a, b, h, "mentioned" if not h else n) for a, b, h, n in sections]
    rank = {"required": 0, "nice": 1, "mentioned": 2}
    by_line: dict[int, list[SkillMention]] = {}
    for m in mentions:
        by_line.setdefault(body.rfind("\n", 0, m.start) + 1, []).append(m)
    best: dict[tuple[str, ...], PostingSkill] = {}
    for line_start, found in by_line.items():
        line_end = body.find("\n", line_start)
        line = body[line_start : line_end if line_end >= 0 else len(body)]
        if _heading(line, "") is not None:
            continue  # a skill named in a heading ("## Python skills") says nothing on its own
        heading, section = next(
            ((h, n) for a, b, h, n in sections if a <= line_start < b), ("", None)
        )
        spans = [(m.start - line_start, m.end - line_start, m.skill_id or "") for m in found]
        for group in choice_groups(line, spans):
            options = tuple(dict.fromkeys(s[2] for s in group))
            start, end = group[0][0], group[-1][1]
            need, _why = _mention_need(_clause(line, start, end), section)
            requirement = PostingSkill(
                skill_id=options[0],
                alternatives=options[1:],
                need=need,
                evidence=_BULLET.sub("", _strip_md(line)).strip(),
                section=heading,
                start=line_start + group[0][0],
                end=line_start + group[0][1],
            )
            key = tuple(sorted(options))
            old = best.get(key)
            if old is None or rank[need] < rank[old.need]:
                best[key] = requirement
    alone = {key[0]: r.need for key, r in best.items() if len(key) == 1}
    kept = [
        r
        for key, r in best.items()
        if len(key) == 1 or not any(k in alone and rank[alone[k]] <= rank[r.need] for k in key)
    ]
    return tuple(sorted(kept, key=lambda s: (rank[s.need], s.start)))
