"""Which of our roles a job posting is for, with a confidence and the reasons.

Real postings are long: a company blurb, the duties, the requirements, benefits and
equal-opportunity text. The answer comes from four kinds of evidence, each explainable, with all
words, weights and patterns as data in posting_roles.yaml:

* the **sections**: `segment_posting` cuts the posting at its headings ("What you'll do",
  "Requirements", "Benefits"...) and weighs each line by its section: duties and requirements
  count fully, the text before the first heading (company blurb, summary) half, "nice to have"
  less, benefits, pay and application text not at all; a boilerplate line (equal opportunity,
  401(k), visa...) weighs nothing anywhere. So an AI company's blurb does not make its sales job
  an AI job.
* the **title**: the catalog's role names, aliases and title variants, then every `title_rules`
  pattern. A title matching one role's rules is clear; a title matching two roles' rules ("AI/ML
  Engineer", "Data Scientist / ML Engineer", "Machine Learning Research Engineer") is mixed and
  only nudges those roles, so the description decides between them; a vague title ("Engineer
  II") says nothing. An engineer title makes the non-engineering roles (data scientist,
  research scientist, AI product manager) count less unless the title names them.
* the **skill profile**: the catalog skills named in the posting (via `extract_skills`) and cue
  phrases that are not skills ("PhD", "NeurIPS", "backlog"), each weighted by its section,
  compared with each role's weighted skills by cosine similarity (a skill's weight is divided by
  how many roles want it, so Python and SQL decide nothing). The `none` cues (sales, finance,
  recruiting, reporting, backend...) are rivals that stand for jobs that are not ours, scaled by
  `rival_scale`. The `work_gates` ask that each role's kind of work shows in the sections that
  count: a backend job that uses Kafka is not data engineering, a controller at an AI company is
  not an AI engineer.
* the **skill model**: a multinomial logistic regression over the catalog skills found and the
  pairs of them that co-occur often in real postings, with per-class offsets that balance the
  classes' F1 (a rare class, ML engineer, is not drowned by the common ones), trained
  by scripts/train_posting_classifier.py on the TRAIN split of data-jobs 2023 (models/
  posting_roles_lr.json). It knows only the classes that set has (data scientist, data engineer,
  ML engineer, software engineer, and none for analysts and cloud engineers) and mixes in by how
  much of the posting it covers: a bare list of tools is mostly the model's, a posting about LLMs
  or publications mostly the profile's.

How they combine: the description's evidence for a role is its profile similarity (scaled so the
best role is 1) mixed with the model's probability; the title adds `title_weight` (times its
strength, times `mixed_title_share` for a mixed title) to the roles it names. A strongly
contrary description can still outvote a clear title (an "AI Engineer" who trains
gradient-boosted models is an ML engineer), and in a posting whose duties say enough, a title
lifts only the roles the description supports at least `title_support` as well as its best (a
"Data Scientist" who builds reports is decided by the reports). The answer is None, "not one of
our roles", when the rivals or the model's none class win, when the winner is the
software-engineer reference role (where people come from, not an ML role), when nothing matches
well, or when a product manager posting never mentions AI or models.
"""

from __future__ import annotations

import hashlib
import json
import math
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from functools import cached_property, lru_cache
from pathlib import Path
from typing import TYPE_CHECKING, Any

import yaml
from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    ValidationError,
    field_validator,
    model_validator,
)

from mlpivot.errors import CatalogError
from mlpivot.ingest.extract import extract_skills

if TYPE_CHECKING:
    import numpy as np
    import numpy.typing as npt

    from mlpivot.catalog import Catalog

HERE = Path(__file__).resolve().parent
RULES_FILE = HERE / "posting_roles.yaml"
MODEL_FILE = HERE / "models" / "posting_roles_lr.json"
NONE = "none"
"""The skill model's class for a posting that is none of our roles."""
PAIR = "&"
"""Joins two skill ids into the skill model's feature for a posting naming both."""


@dataclass(frozen=True)
class PostingClass:
    """docs/CONTRACTS.md: role_id None = not one of our roles; `scores` has every role id."""

    role_id: str | None
    confidence: float
    reasons: list[str] = field(default_factory=list)
    scores: dict[str, float] = field(default_factory=dict)


# ---------------------------------------------------------------------------------------------
# The rules file


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


def _compiles(pattern: str) -> str:
    try:
        re.compile(pattern)
    except re.error as exc:
        raise ValueError(f"not a valid regular expression ({exc})") from None
    return pattern


class _BlendEntry(_Strict):
    title_weight: float = Field(gt=0, lt=1)
    title_weight_short: float = Field(gt=0, lt=1)
    title_support: float = Field(ge=0, le=1)
    min_score: float = Field(ge=0, lt=1)
    model_weight: float = Field(ge=0, le=1)
    rival_scale: float = Field(gt=0, le=1)


class _TitleRuleEntry(_Strict):
    pattern: str = Field(min_length=1)
    role: str | None
    strength: float = Field(gt=0, le=1)
    label: str = Field(min_length=1)
    exclusive: bool = False


class _CueEntry(_Strict):
    pattern: str = Field(min_length=1)
    roles: dict[str, float] = Field(min_length=1)

    _check = field_validator("pattern")(_compiles)

    @field_validator("roles")
    @classmethod
    def _positive(cls, roles: dict[str, float]) -> dict[str, float]:
        bad = [r for r, w in roles.items() if not 0 < w <= 1]
        if bad:
            raise ValueError(f"weights must be in (0, 1]: {', '.join(bad)}")
        return roles


class _EngineerEntry(_Strict):
    pattern: str
    roles: list[str] = Field(min_length=1)
    factor: float = Field(gt=0, le=1)

    _check = field_validator("pattern")(_compiles)


class _HeadingEntry(_Strict):
    kind: str
    pattern: str

    _check = field_validator("pattern")(_compiles)


class _SectionsEntry(_Strict):
    weights: dict[str, float]
    headings: list[_HeadingEntry] = Field(min_length=1)
    boilerplate: str

    _check = field_validator("boilerplate")(_compiles)

    @field_validator("weights")
    @classmethod
    def _in_unit(cls, weights: dict[str, float]) -> dict[str, float]:
        bad = [k for k, w in weights.items() if not 0 <= w <= 1]
        if bad:
            raise ValueError(f"weights must be in [0, 1]: {', '.join(bad)}")
        missing = {"intro", "other"} - set(weights)
        if missing:
            raise ValueError(f"weights must name {', '.join(sorted(missing))}")
        return weights


class _GateEntry(_Strict):
    roles: list[str] = Field(min_length=1)
    pattern: str

    _check = field_validator("pattern")(_compiles)


class _GatesEntry(_Strict):
    min_hits: float = Field(ge=0)
    factor: float = Field(ge=0, le=1)
    gates: list[_GateEntry] = Field(min_length=1)


class _RulesFile(_Strict):
    blend: _BlendEntry
    fragments: dict[str, str] = Field(default_factory=dict)
    title_rules: list[_TitleRuleEntry] = Field(min_length=1)
    level_words: str
    generic_titles: list[str]
    cues: dict[str, _CueEntry]
    ml_words: str
    mixed_title_share: float = Field(gt=0, le=1)
    engineer_titles: _EngineerEntry
    sections: _SectionsEntry
    work_gates: _GatesEntry

    _check = field_validator("level_words", "ml_words")(_compiles)

    @model_validator(mode="after")
    def _known_kinds(self) -> _RulesFile:
        unknown = sorted({h.kind for h in self.sections.headings} - set(self.sections.weights))
        if unknown:
            raise ValueError(f"sections.headings name kinds without a weight: {unknown}")
        return self


@dataclass(frozen=True)
class TitleRule:
    """A title pattern; `role` None = a job that is not one of ours; `strength` in (0, 1]."""

    pattern: re.Pattern[str]
    role: str | None
    strength: float
    label: str
    exclusive: bool = False


@dataclass(frozen=True)
class Cue:
    """Words that are not a catalog skill but point at roles (weight per role id)."""

    pattern: re.Pattern[str]
    roles: Mapping[str, float]


@dataclass(frozen=True)
class PostingRules:
    """posting_roles.yaml, validated and compiled."""

    title_weight: float
    title_weight_short: float
    title_support: float
    min_score: float
    model_weight: float
    rival_scale: float
    title_rules: tuple[TitleRule, ...]
    level_words: re.Pattern[str]
    generic_titles: frozenset[str]
    cues: Mapping[str, Cue]
    ml_words: re.Pattern[str]
    mixed_title_share: float
    engineer_title: re.Pattern[str]
    engineering_roles: frozenset[str]
    engineer_factor: float
    section_weights: Mapping[str, float]
    headings: tuple[tuple[str, re.Pattern[str]], ...]
    boilerplate: re.Pattern[str]
    work_gates: tuple[tuple[frozenset[str], re.Pattern[str]], ...]
    min_work_hits: float
    work_factor: float
    path: Path

    def role_ids(self) -> set[str]:
        """Every role id the file names (checked against the catalog when profiles are built);
        `none`, the rival that stands for other jobs, is not a role."""
        named = {r.role for r in self.title_rules if r.role is not None}
        named |= {role for cue in self.cues.values() for role in cue.roles}
        named |= {role for roles, _pattern in self.work_gates for role in roles}
        return (named | self.engineering_roles) - {NONE}


def _problems(path: Path, exc: ValidationError) -> list[str]:
    out = []
    for err in exc.errors():
        where = "".join(f"[{p}]" if isinstance(p, int) else f".{p}" for p in err["loc"])
        out.append(f"{path}: {where.lstrip('.') or '(top level)'}: {err['msg']}")
    return out


def parse_posting_rules(raw: object, path: Path) -> PostingRules:
    """Validate the parsed YAML of a rules file; CatalogError names the file and each entry."""
    try:
        entry = _RulesFile.model_validate(raw)
    except ValidationError as exc:
        raise CatalogError(_problems(path, exc)) from None
    problems: list[str] = []
    rules: list[TitleRule] = []
    for i, rule in enumerate(entry.title_rules):
        try:
            pattern = re.compile(rule.pattern.format_map(entry.fragments), re.IGNORECASE)
        except (KeyError, ValueError, IndexError, re.error) as exc:
            problems.append(
                f"{path}: title_rules[{i}].pattern: not a valid pattern after fragments are "
                f"filled in ({type(exc).__name__}: {exc}); fragments: {sorted(entry.fragments)}"
            )
            continue
        rules.append(TitleRule(pattern, rule.role, rule.strength, rule.label, rule.exclusive))
    if problems:
        raise CatalogError(problems)
    return PostingRules(
        title_weight=entry.blend.title_weight,
        title_weight_short=entry.blend.title_weight_short,
        title_support=entry.blend.title_support,
        min_score=entry.blend.min_score,
        model_weight=entry.blend.model_weight,
        rival_scale=entry.blend.rival_scale,
        title_rules=tuple(rules),
        level_words=re.compile(entry.level_words, re.IGNORECASE),
        generic_titles=frozenset(entry.generic_titles),
        cues={
            name: Cue(re.compile(c.pattern, re.IGNORECASE), dict(c.roles))
            for name, c in entry.cues.items()
        },
        ml_words=re.compile(entry.ml_words, re.IGNORECASE),
        mixed_title_share=entry.mixed_title_share,
        engineer_title=re.compile(entry.engineer_titles.pattern, re.IGNORECASE),
        engineering_roles=frozenset(entry.engineer_titles.roles),
        engineer_factor=entry.engineer_titles.factor,
        section_weights=dict(entry.sections.weights),
        headings=tuple(
            (h.kind, re.compile(h.pattern, re.IGNORECASE)) for h in entry.sections.headings
        ),
        boilerplate=re.compile(entry.sections.boilerplate, re.IGNORECASE),
        work_gates=tuple(
            (frozenset(g.roles), re.compile(g.pattern, re.IGNORECASE))
            for g in entry.work_gates.gates
        ),
        min_work_hits=entry.work_gates.min_hits,
        work_factor=entry.work_gates.factor,
        path=path,
    )


@lru_cache(maxsize=4)
def load_posting_rules(path: Path = RULES_FILE) -> PostingRules:
    """posting_roles.yaml, read once."""
    try:
        # libyaml's loader where present: the same values, read several times faster.
        loader: type[yaml.SafeLoader] = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
        raw = yaml.load(path.read_text(encoding="utf-8"), Loader=loader)
    except (OSError, yaml.YAMLError) as exc:
        raise CatalogError([f"{path}: cannot be read as YAML ({exc})"]) from None
    return parse_posting_rules(raw, path)


# ---------------------------------------------------------------------------------------------
# The skill model


class _Split(_Strict):
    salt: str
    held_out_percent: int = Field(gt=0, lt=100)


class _ModelFile(_Strict):
    script: str
    trained_on: str
    split: _Split
    params: dict[str, Any]
    dev: dict[str, float]
    classes: list[str] = Field(min_length=2)
    features: list[str] = Field(min_length=1)
    weights: list[list[float]]
    bias: list[float]


def held_out(row: int, salt: str, held_out_percent: int) -> bool:
    """Whether data-jobs row `row` (0-based, file order) is in the held-out split: a hash of the
    row number, so the split is stable and needs no random state."""
    digest = hashlib.sha256(f"{salt}:{row}".encode()).digest()
    return int.from_bytes(digest[:4], "big") % 100 < held_out_percent


@dataclass(frozen=True)
class PostingModel:
    """A multinomial logistic regression over binary skill features (one weight row a skill).

    The rows are plain floats: a posting adds up a few dozen rows of five numbers, which needs
    no numpy, and importing numpy cost `classify` more than classifying does. `weights` and
    `bias` give the arrays for code that wants them (training checks, tests).
    """

    classes: tuple[str, ...]
    features: tuple[str, ...]
    rows: tuple[tuple[float, ...], ...]
    """One row a feature, one number a class."""
    intercepts: tuple[float, ...]
    trained_on: str
    split_salt: str
    held_out_percent: int

    @property
    def weights(self) -> npt.NDArray[np.float64]:
        """Shape (features, classes)."""
        import numpy as np

        return np.asarray(self.rows, dtype=np.float64).reshape(
            len(self.features), len(self.classes)
        )

    @property
    def bias(self) -> npt.NDArray[np.float64]:
        import numpy as np

        return np.asarray(self.intercepts, dtype=np.float64)

    @cached_property
    def feature_index(self) -> dict[str, int]:
        return {f: i for i, f in enumerate(self.features)}

    def is_held_out(self, row: int) -> bool:
        """Whether a data-jobs row was kept out of this model's training."""
        return held_out(row, self.split_salt, self.held_out_percent)

    def active(self, skills: Iterable[str]) -> list[str]:
        """The model's features a posting naming `skills` turns on: each known skill, and each
        known pair of them ("airflow&spark"). A pair carries what one skill cannot: Python with
        PyTorch is an ML engineer's, Python with Excel an analyst's."""
        index = self.feature_index
        known = sorted({s for s in skills if s in index})
        pairs = [f"{a}{PAIR}{b}" for i, a in enumerate(known) for b in known[i + 1 :]]
        return known + [p for p in pairs if p in index]

    def probabilities(self, skills: Iterable[str]) -> dict[str, float]:
        """Class -> probability for a posting naming `skills` (unknown skills are ignored)."""
        index = self.feature_index
        rows = [self.rows[index[f]] for f in self.active(skills)]
        # Rows are scaled to unit length (as in training): a long posting naming twenty skills
        # and their pairs is not twenty times as sure as a short list naming a few. Summed in
        # numpy's order (one after another, from the first); only `exp` may differ from numpy's
        # in the last bit.
        summed = list(rows[0]) if rows else [0.0] * len(self.classes)
        for row in rows[1:]:
            summed = [x + y for x, y in zip(summed, row, strict=True)]
        scale = 1 / math.sqrt(len(rows)) if rows else 0.0
        logits = [b + scale * x for b, x in zip(self.intercepts, summed, strict=True)]
        top = max(logits)
        exp = [math.exp(x - top) for x in logits]
        total = _sum(exp)
        return {c: p / total for c, p in zip(self.classes, exp, strict=True)}

    def top_features(self, skills: Iterable[str], cls: str, n: int = 3) -> list[tuple[str, float]]:
        """The skills that pushed hardest towards `cls`: each skill's weight for the class minus
        its mean weight over all classes, plus half of each known pair it is in, largest first,
        positive only."""
        index = self.feature_index
        col = self.classes.index(cls)
        parts: dict[str, float] = {}
        for f in self.active(skills):
            push = self.rows[index[f]][col] - _mean(self.rows[index[f]])
            members = f.split(PAIR)
            for s in members:
                parts[s] = parts.get(s, 0.0) + push / len(members)
        ranked = sorted(parts.items(), key=lambda kv: (-kv[1], kv[0]))
        return [(s, w) for s, w in ranked[:n] if w > 0]


def _sum(values: Iterable[float]) -> float:
    """Left to right, as numpy adds a few numbers (Python's own `sum` may compensate)."""
    total = 0.0
    for value in values:
        total += value
    return total


def _mean(row: tuple[float, ...]) -> float:
    return _sum(row) / len(row)


def parse_posting_model(raw: object, path: Path) -> PostingModel:
    """Validate a model file's JSON; CatalogError names the file and what is wrong."""
    try:
        entry = _ModelFile.model_validate(raw)
    except ValidationError as exc:
        raise CatalogError(_problems(path, exc)) from None
    shape = (len(entry.features), len(entry.classes))
    widths = {len(row) for row in entry.weights}
    if len(entry.weights) != shape[0] or widths - {shape[1]} or len(entry.bias) != shape[1]:
        found = (len(entry.weights), *sorted(widths)) if len(widths) < 3 else "rows of many widths"
        raise CatalogError(
            [
                f"{path}: weights must be {shape[0]} rows of {shape[1]} and bias {shape[1]} "
                f"numbers, found {found} and {len(entry.bias)}"
            ]
        )
    return PostingModel(
        classes=tuple(entry.classes),
        features=tuple(entry.features),
        rows=tuple(tuple(row) for row in entry.weights),
        intercepts=tuple(entry.bias),
        trained_on=entry.trained_on,
        split_salt=entry.split.salt,
        held_out_percent=entry.split.held_out_percent,
    )


@lru_cache(maxsize=4)
def load_posting_model(path: Path = MODEL_FILE) -> PostingModel:
    """The committed skill model, read once; rebuild it with scripts/train_posting_classifier.py."""
    try:
        raw = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise CatalogError(
            [f"{path}: cannot be read ({exc}); rebuild it with scripts/train_posting_classifier.py"]
        ) from None
    return parse_posting_model(raw, path)


# ---------------------------------------------------------------------------------------------
# The posting's parts


@dataclass(frozen=True)
class Section:
    """A stretch of the posting (one line) and how much what it names counts."""

    kind: str
    start: int
    end: int
    weight: float


def _heading_kind(line: str, rules: PostingRules) -> str | None:
    """The kind of section a line heads, if it is a heading: a short line, not a bullet, not a
    sentence, whose words match one of the heading patterns."""
    text = line.strip().strip("#*_ ").strip()
    text = text.rstrip(":").strip()
    if not text or len(text) > 60 or len(text.split()) > 8 or text.endswith((".", ",", ";")):
        return None
    if line.lstrip().startswith(("-", "•", "*  ", "·", "–")) and not line.lstrip().startswith("**"):
        return None
    for kind, pattern in rules.headings:
        if pattern.search(text):
            return kind
    return None


def segment_posting(text: str, rules: PostingRules | None = None) -> list[Section]:
    """The posting cut into lines, each weighted by the section it sits in (posting_roles.yaml
    `sections`): duties and requirements count fully, the company blurb and "nice to have" less,
    benefits and application text not at all; a boilerplate line weighs nothing anywhere. A text
    with no heading at all is one plain description: every line counts fully."""
    rules = rules or load_posting_rules()
    lines: list[tuple[int, int, str | None]] = []
    offset = 0
    for raw in text.splitlines(keepends=True):
        line = raw.rstrip("\r\n")
        lines.append((offset, offset + len(line), _heading_kind(line, rules)))
        offset += len(raw)
    has_headings = any(kind is not None for _s, _e, kind in lines)
    out: list[Section] = []
    current = "intro" if has_headings else "duties"
    for start, end, kind in lines:
        if kind is not None:
            current = kind
            out.append(Section("heading", start, end, 0.0))
            continue
        weight = rules.section_weights.get(current, 1.0)
        if rules.boilerplate.search(text[start:end]):
            weight = 0.0
        out.append(Section(current, start, end, weight))
    return out


def _weight_at(sections: list[Section], position: int) -> float:
    for section in sections:
        if section.start <= position <= section.end:
            return section.weight
    return 0.0


def _weighted_hits(pattern: re.Pattern[str], text: str, sections: list[Section]) -> float:
    return sum(
        section.weight * len(pattern.findall(text, section.start, section.end))
        for section in sections
        if section.weight > 0
    )


# ---------------------------------------------------------------------------------------------
# Title and profile evidence


@dataclass(frozen=True)
class RoleProfiles:
    """Each role's skill weights divided by how many roles list the skill (IDF-like), and one
    rival per "none" cue (a sales, finance, recruiting... job)."""

    vectors: dict[str, dict[str, float]]
    norms: dict[str, float]
    names: dict[str, str]
    exact_titles: dict[str, str]
    rules: PostingRules


_CACHE: dict[int, tuple[object, RoleProfiles]] = {}
RIVAL = "none:"
"""Prefix of the rivals' keys in `RoleProfiles.vectors` (one a "none" cue)."""


def _title_key(title: str, rules: PostingRules) -> str:
    words = re.sub(r"[^\w+#/ ]+", " ", rules.level_words.sub(" ", title.casefold()))
    return " ".join(words.split())


def role_profiles(catalog: Catalog, rules: PostingRules) -> RoleProfiles:
    """Each role's weighted skills and cues, the rivals, and the exact titles; checks that every
    role the rules name is in the catalog."""
    cached = _CACHE.get(id(catalog))
    if cached is not None and cached[0] is catalog and cached[1].rules is rules:
        return cached[1]
    unknown = sorted(rules.role_ids() - set(catalog.roles))
    if unknown:
        raise CatalogError([f"{rules.path}: unknown role ids: {', '.join(unknown)}"])
    roles = list(catalog.roles.values())
    df: dict[str, int] = {}
    for role in roles:
        for rs in role.skills:
            df[rs.skill] = df.get(rs.skill, 0) + 1
    vectors: dict[str, dict[str, float]] = {}
    for role in roles:
        vec = {rs.skill: rs.weight * math.log(1 + len(roles) / df[rs.skill]) for rs in role.skills}
        for name, cue in rules.cues.items():
            if role.id in cue.roles:
                vec[f"cue:{name}"] = cue.roles[role.id] * math.log(1 + len(roles))
        vectors[role.id] = vec
    names = {r.id: r.name for r in roles}
    for name, cue in rules.cues.items():
        if NONE in cue.roles:
            vectors[RIVAL + name] = {f"cue:{name}": 1.0}
            names[RIVAL + name] = f"{name.replace('-', ' ')} work"
    exact: dict[str, str] = {}
    for role in roles:
        for title in (role.name, *role.aliases, *role.title_variants):
            key = _title_key(title, rules)
            if key and key not in rules.generic_titles and len(key) > 3:
                exact.setdefault(key, role.id)
    built = RoleProfiles(
        vectors,
        {r: math.sqrt(sum(v * v for v in vec.values())) for r, vec in vectors.items()},
        names,
        exact,
        rules,
    )
    _CACHE.clear()
    _CACHE[id(catalog)] = (catalog, built)
    return built


@dataclass(frozen=True)
class TitleReading:
    """What a title says: one role, several (`mixed`: the description decides between them), or
    a job that is not ours (`roles == (None,)`)."""

    roles: tuple[str | None, ...]
    strength: float
    why: str

    @property
    def mixed(self) -> bool:
        return len(self.roles) > 1


def read_title(title: str, profiles: RoleProfiles) -> TitleReading | None:
    """The roles a title names, or None if it names none. Every title rule is tried: a title
    that matches the rules of two roles ("AI/ML Engineer", "ML Research Engineer") is mixed. A
    weak (generic) rule only counts when no strong one matched, and a plain software or outside
    title gives way to an ML role named beside it ("Software Engineer - AI/ML")."""
    rules = profiles.rules
    key = _title_key(title, rules)
    if not key:
        return None
    role = profiles.exact_titles.get(key)
    outside = next(
        (
            r
            for r in rules.title_rules
            if r.exclusive and r.role is None and r.pattern.search(title)
        ),
        None,
    )
    if role is not None and outside is not None:
        # The catalog lists some customer-facing titles as variants of a role ("AI Solutions
        # Engineer"), while the same words name a pre-sales or business job at most companies:
        # both readings stand and the description decides (ties go to "not ours").
        return TitleReading(
            (None, role),
            1.0,
            f"the title '{title}' is a name for {profiles.names[role]} but also "
            f"{outside.label}, so the description decides between them",
        )
    if role is not None:
        return TitleReading(
            (role,), 1.0, f"the title says '{title}', a name for {profiles.names[role]}"
        )
    matched: dict[str | None, TitleRule] = {}
    for rule in rules.title_rules:
        if rule.role not in matched and rule.pattern.search(title):
            if rule.exclusive:
                matched = {rule.role: rule}
                break
            matched[rule.role] = rule
    if not matched:
        return None
    strong = {r: m for r, m in matched.items() if m.strength >= 0.6}
    picked = strong or matched
    ml_roles = [r for r in picked if r not in (None, "software-engineer")]
    if ml_roles and len(picked) > len(ml_roles):
        picked = {r: picked[r] for r in ml_roles}
    if len(picked) == 1:
        (only,) = picked.values()
        return TitleReading((only.role,), only.strength, f"the title says '{title}': {only.label}")
    roles = tuple(picked)
    shown = ", ".join(profiles.names[r] if r else "a job that is not ours" for r in roles)
    return TitleReading(
        roles,
        max(m.strength for m in picked.values()),
        f"the title '{title}' names several roles ({shown}), so the description decides between "
        "them",
    )


def title_evidence(title: str, profiles: RoleProfiles) -> tuple[str | None, float, str] | None:
    """(role or None for "not ours", strength, why) from a title's first role, or None."""
    reading = read_title(title, profiles)
    if reading is None:
        return None
    return reading.roles[0], reading.strength, reading.why


def posting_vector(
    text: str,
    catalog: Catalog,
    rules: PostingRules | None = None,
    sections: list[Section] | None = None,
) -> dict[str, float]:
    """Skill ids (and cue names, "cue:...") found in the text, each weighted by the section it
    is named in (the heaviest mention counts); cue hits add up, with diminishing returns."""
    rules = rules or load_posting_rules()
    sections = segment_posting(text, rules) if sections is None else sections
    found: dict[str, float] = {}
    for m in extract_skills(text, catalog, use_model=False):
        if m.skill_id:
            weight = _weight_at(sections, m.start)
            if weight > found.get(m.skill_id, 0.0):
                found[m.skill_id] = weight
    for name, cue in rules.cues.items():
        hits = _weighted_hits(cue.pattern, text, sections)
        if hits > 0:
            found[f"cue:{name}"] = hits if hits < 1 else min(1.0 + 0.25 * (hits - 1), 2.0)
    return found


def profile_scores(
    vector: Mapping[str, float], profiles: RoleProfiles
) -> dict[str, tuple[float, list[str]]]:
    """Cosine similarity of the posting with each role and rival, and what contributed most."""
    norm = math.sqrt(sum(v * v for v in vector.values())) or 1.0
    out: dict[str, tuple[float, list[str]]] = {}
    for role, weights in profiles.vectors.items():
        parts = {k: v * weights[k] for k, v in vector.items() if k in weights}
        score = sum(parts.values()) / (norm * (profiles.norms[role] or 1.0))
        top = sorted(parts, key=lambda k: (-parts[k], k))[:5]
        out[role] = (score, top)
    return out


MODEL_MIN_WEIGHT = 0.4
"""What the skill model reads of a posting: the skills and cues named where they weigh at least
this much (duties, requirements, the summary; not the company blurb or the benefits)."""


@dataclass(frozen=True)
class _ModelView:
    """What the skill model says about one posting, and how much it is allowed to say."""

    probs: dict[str, float]
    share: float
    known: list[str]
    found: int


def _model_view(
    vector: Mapping[str, float], model: PostingModel | None, rules: PostingRules
) -> _ModelView:
    if model is None:
        return _ModelView({}, 0.0, [], 0)
    index = model.feature_index
    counted = {k: v for k, v in vector.items() if v >= MODEL_MIN_WEIGHT}
    known = sorted(k for k in counted if k in index)
    if not known:
        return _ModelView({}, 0.0, [], len(counted))
    coverage = len(known) / len(counted)
    return _ModelView(
        model.probabilities(known), rules.model_weight * coverage, known, len(counted)
    )


def _model_reason(
    view: _ModelView, model: PostingModel, cls: str, names: Mapping[str, str], catalog: Catalog
) -> str:
    top = model.top_features(view.known, cls)
    label = names.get(cls, "none of our roles (analysts, cloud engineers...)")
    because = f" mostly from {_shown([s for s, _ in top], catalog)}" if top else ""
    return (
        f"the skill model (trained on {model.trained_on}) gives {label} "
        f"{view.probs[cls]:.0%}{because}; it knows {len(view.known)} of the {view.found} things "
        f"found, so it carries {view.share:.0%} of the description evidence"
    )


def _shown(keys: Iterable[str], catalog: Catalog) -> str:
    """Skills by the names people read, and cue words as the words ("LLM" for cue:llm)."""
    return ", ".join(
        f"the theme '{k.removeprefix('cue:').replace('-', ' ')}'"
        if k.startswith("cue:")
        else catalog.skills[k].name
        if k in catalog.skills
        else k
        for k in keys
    )


PROSE_WORDS = 60
"""A text this long is a description, not a list of tools (see the work gates)."""

DUTY_WORDS = 30
"""A posting with this many words in the sections that count fully (duties, requirements, or
a text without headings) describes its job well enough to overrule what its title names."""

NOT_OURS = (NONE, "software-engineer")
"""Answers that mean "none of our roles": software engineering is the reference role a person
comes from, not a role mlpivot prepares for."""


def _duty_words(text: str, sections: list[Section]) -> int:
    return sum(len(text[s.start : s.end].split()) for s in sections if s.weight >= 0.85)


def _unsupported_title_roles(
    reading: TitleReading, description: Mapping[str, float], support: float
) -> list[str]:
    """The ML roles a title names that the description hardly supports: their evidence is under
    `support` times the best role's. A title is a strong hint, not the job: a "Data Scientist"
    who builds reports or an "MLOps Engineer" with no models in sight is what the duties say.
    Titles naming a job outside ML (recruiter, backend engineer) are not second-guessed."""
    top = max(description.values(), default=0.0)
    if top <= 0:
        return []
    return [
        r
        for r in reading.roles
        if r is not None and r not in NOT_OURS and description.get(r, 0.0) < support * top
    ]


def classify_posting(
    title: str,
    text: str,
    catalog: Catalog | None = None,
    *,
    use_model: bool = True,
    model: PostingModel | None = None,
) -> PostingClass:
    """Which of our roles a posting is for; works from the description alone if the title is
    empty or vague ("Engineer II"). `use_model=False` leaves the skill model out (title and
    profile only); `model` replaces the committed one (training scripts)."""
    if catalog is None:
        from mlpivot.catalog import default_catalog

        catalog = default_catalog()
    rules = load_posting_rules()
    profiles = role_profiles(catalog, rules)
    if use_model and model is None:
        model = load_posting_model()
    reading = read_title(title, profiles)
    sections = segment_posting(text, rules)
    vector = posting_vector(text, catalog, rules, sections)
    profile = profile_scores(vector, profiles)
    view = _model_view(vector, model if use_model else None, rules)
    best_profile = max((s for s, _ in profile.values()), default=0.0) or 1.0

    # The description's evidence per role, on a 0..1 scale (the best profile is 1), and for
    # "none of ours": the best rival's, or the model's none class.
    description: dict[str, float] = {}
    for role in catalog.roles:
        sim = profile[role][0]
        description[role] = (1 - view.share) * sim / best_profile + view.share * view.probs.get(
            role, 0.0
        )
    rivals = {k: v for k, v in profile.items() if k.startswith(RIVAL)}
    rival = max(rivals, key=lambda k: (rivals[k][0], k)) if rivals else None
    rival_sim = rules.rival_scale * rivals[rival][0] if rival else 0.0
    description[NONE] = (1 - view.share) * rival_sim / best_profile + view.share * view.probs.get(
        NONE, 0.0
    )

    reasons: list[str] = []
    if reading is not None:
        reasons.append(reading.why)
    elif title.strip():
        reasons.append(f"the title '{title}' does not name a role, so the description decides")
    else:
        reasons.append("there is no title, so the description decides")

    # A bare list of tools is left to the model: the gates are for prose (PROSE_WORDS or more),
    # where the company blurb can name AI while the job itself does none.
    gated: set[str] = set()
    if vector and len(text.split()) >= PROSE_WORDS:
        for roles, pattern in rules.work_gates:
            if _weighted_hits(pattern, text, sections) < rules.min_work_hits:
                gated |= roles
    named = set(reading.roles) if reading else set()
    engineer = bool(rules.engineer_title.search(title))
    for role in description:
        if engineer and role not in rules.engineering_roles and role not in (NONE, *named):
            description[role] *= rules.engineer_factor
        if role in gated:
            description[role] *= rules.work_factor

    weight = 0.0
    title_roles = {r if r is not None else NONE for r in named}
    if reading is not None:
        share = rules.mixed_title_share if reading.mixed else 1.0
        prose = len(text.split()) >= PROSE_WORDS
        base = rules.title_weight if prose else rules.title_weight_short
        weight = base * reading.strength * share
        if _duty_words(text, sections) >= DUTY_WORDS:
            unsupported = _unsupported_title_roles(reading, description, rules.title_support)
            title_roles -= set(unsupported)
            if unsupported:
                unsure = ", ".join(profiles.names[r] for r in unsupported)
                reasons.append(
                    f"but the description hardly asks for the work of {unsure} (less than "
                    f"{rules.title_support:.0%} of the best role's evidence), so the title does "
                    "not lift it"
                )
            if not title_roles:
                weight = 0.0
    scores = {
        role: weight * (role in title_roles) + (1 - weight) * evidence
        for role, evidence in description.items()
    }
    order = [*(r if r is not None else NONE for r in (reading.roles if reading else ())), *scores]
    best = max(scores, key=lambda r: (scores[r], -order.index(r)))
    public = {r: round(scores[r], 4) for r in catalog.roles}

    if vector:
        sim, top = profile[best] if best in profile else profile[rival] if rival else (0.0, [])
        if best == NONE and rival:
            sim, top = profile[rival]
            if sim > 0:
                reasons.append(
                    f"the description is mostly {profiles.names[rival]}: "
                    f"{_shown(top, catalog)} ({sim:.0%} alike)"
                )
        elif top:
            reasons.append(
                f"the description asks for {_shown(top, catalog)}, closest to "
                f"{profiles.names.get(best, best)} ({sim:.0%} alike)"
            )
    if best in NOT_OURS and gated:
        shown = sorted(profiles.names[r] for r in gated if r in catalog.roles)
        reasons.append(
            "the duties and requirements hardly describe the work of "
            f"{', '.join(shown)}, so those count less"
        )
    if engineer and not (reading is not None and reading.mixed):
        reasons.append("an engineer title points at an engineering role")
    ranked = sorted(scores.values(), reverse=True)
    margin = ranked[0] - (ranked[1] if len(ranked) > 1 else 0.0)
    agrees = 1.0 if best in title_roles else 0.0
    strength = reading.strength if reading else 0.0

    # With no description at all, a title is all there is: a mixed one gives its first role.
    too_weak = (
        profile.get(best, (best_profile, []))[0] < rules.min_score
        and weight < 0.3
        and (bool(vector) or reading is None)
    )
    if best in NOT_OURS:
        if best == "software-engineer":
            reasons.append(
                "it is a software engineering job: the role people come from, not one of the "
                "ML roles mlpivot covers"
            )
        else:
            if model is not None and view.share > 0 and view.probs.get(NONE, 0) > 0.5:
                reasons.append(_model_reason(view, model, NONE, profiles.names, catalog))
            reasons.append("so it is not one of the ML roles mlpivot covers")
        confidence = min(0.95, 0.45 + 0.5 * margin + 0.2 * strength * agrees)
        return PostingClass(None, round(confidence, 3), reasons, public)
    if too_weak and view.share * view.probs.get(best, 0.0) < rules.min_score:
        reasons.append(
            f"no role's skills match well (the closest is {profile[best][0]:.0%} alike, under "
            f"the {rules.min_score:.0%} needed), so it is not one of ours"
        )
        return PostingClass(
            None, round(1 - profile[best][0] / rules.min_score / 2, 3), reasons, public
        )
    if best == "ai-product-manager" and not rules.ml_words.search(f"{title}\n{text}"):
        reasons.append(
            "but the posting never mentions AI, ML or models: a product manager, not ours"
        )
        return PostingClass(None, 0.7, reasons, public)
    if model is not None and view.share > 0 and best in view.probs:
        reasons.append(_model_reason(view, model, best, profiles.names, catalog))
    runner = max((r for r in scores if r != best), key=lambda r: scores[r])
    runner_name = "none of our roles" if runner in NOT_OURS else profiles.names[runner]
    reasons.append(f"next best: {runner_name} ({scores[runner]:.0%})")
    # Half from how far ahead the winner is, the rest from whether the title agrees with it.
    confidence = min(0.99, 0.35 + 0.5 * margin + 0.3 * strength * agrees)
    return PostingClass(best, round(confidence, 3), reasons, public)
