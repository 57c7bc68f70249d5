"""Which of our roles a job posting is for, with a confidence and the reasons.

Three kinds of evidence, each explainable:

* the **title**: first the catalog's role names, aliases and title variants (seniority words and
  level numerals removed), then the `title_rules` of posting_roles.yaml, an ordered list of
  patterns for the many ways companies spell the same job. A generic title ("Engineer II",
  "Platform Engineer", "Product Manager") only hints, so the description decides.
* the **skill profile**: the catalog skills named in the text (via `extract_skills`) and a few
  cue words that are not skills ("PhD", "NeurIPS", "backlog"; the `cues` of posting_roles.yaml),
  compared with each role's weighted skills by cosine similarity. Each skill's weight is divided
  by how many roles want it, so Python and SQL, which every role lists, decide nothing.
* the **skill model**: a multinomial logistic regression over the catalog skills found, trained
  by scripts/train_posting_classifier.py on the TRAIN split of data-jobs 2023 (models/
  posting_roles_lr.json). It knows only the classes that set has (data scientist, data engineer,
  ML engineer, software engineer, and "none of ours" for analysts and cloud engineers), and only
  the skills that occur there.

How they combine. The description evidence for a role is the profile similarity (scaled so the
best role is 1) mixed with the model's probability for that role:

    description[r] = (1 - share) * similarity[r] / best similarity + share * P_model(r)
    share          = model_weight * coverage

where `coverage` is the part of what the posting says that the model was trained on: skills it
knows over all skills and cue words found. A bare list of tools (what data-jobs holds) is all
coverage, so the model leads; a posting about LLMs, vector databases or publications is mostly
outside it, so the profile leads and the roles data-jobs lacks (AI engineer, MLOps, research
scientist, AI product manager) keep working as before. With no known skill the model is silent.

The title and the description then blend (title 0.55 when the title is specific, less for a
vague one). A posting is "none of ours" when its title is a known other job (analyst, nurse,
accountant...) and the description does not strongly contradict it, when the model's "none"
outweighs every role, or when no role's profile reaches `min_score`.
"""

from __future__ import annotations

import hashlib
import json
import math
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np
import numpy.typing as npt
import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator

from mlpivot.errors import CatalogError
from mlpivot.ingest.extract import extract_skills

if TYPE_CHECKING:
    from mlpivot.catalog import Catalog

HERE = Path(__file__).resolve().parent
RULES_FILE = HERE / "posting_roles.yaml"
MODEL_FILE = HERE / "models" / "posting_roles_lr.json"
NONE = "none"
"""The skill model's class for a posting that is none of our roles."""


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
    min_score: float = Field(ge=0, lt=1)
    model_weight: float = Field(ge=0, le=1)


class _TitleRuleEntry(_Strict):
    pattern: str = Field(min_length=1)
    role: str | None
    strength: float = Field(gt=0, le=1)
    label: str = Field(min_length=1)


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


class _RulesFile(_Strict):
    blend: _BlendEntry
    fragments: dict[str, str] = Field(default_factory=dict)
    title_rules: list[_TitleRuleEntry] = Field(min_length=1)
    level_words: str
    generic_titles: list[str]
    cues: dict[str, _CueEntry]
    ml_words: str

    _check = field_validator("level_words", "ml_words")(_compiles)


@dataclass(frozen=True)
class TitleRule:
    """A title pattern; `role` None = a job that is not one of ours; `strength` in (0, 1]."""

    pattern: re.Pattern[str]
    role: str | None
    strength: float
    label: str


@dataclass(frozen=True)
class Cue:
    """Words that are not a catalog skill but point at roles (weight per role id)."""

    pattern: re.Pattern[str]
    roles: Mapping[str, float]


@dataclass(frozen=True)
class PostingRules:
    """posting_roles.yaml, validated and compiled."""

    title_weight: float
    min_score: float
    model_weight: float
    title_rules: tuple[TitleRule, ...]
    level_words: re.Pattern[str]
    generic_titles: frozenset[str]
    cues: Mapping[str, Cue]
    ml_words: re.Pattern[str]
    path: Path

    def role_ids(self) -> set[str]:
        """Every role id the file names (checked against the catalog when profiles are built)."""
        named = {r.role for r in self.title_rules if r.role is not None}
        return named | {role for cue in self.cues.values() for role in cue.roles}


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
        rules.append(TitleRule(pattern, rule.role, rule.strength, rule.label))
    if problems:
        raise CatalogError(problems)
    return PostingRules(
        title_weight=entry.blend.title_weight,
        min_score=entry.blend.min_score,
        model_weight=entry.blend.model_weight,
        title_rules=tuple(rules),
        level_words=re.compile(entry.level_words, re.IGNORECASE),
        generic_titles=frozenset(entry.generic_titles),
        cues={
            name: Cue(re.compile(c.pattern, re.IGNORECASE), dict(c.roles))
            for name, c in entry.cues.items()
        },
        ml_words=re.compile(entry.ml_words, re.IGNORECASE),
        path=path,
    )


@lru_cache(maxsize=4)
def load_posting_rules(path: Path = RULES_FILE) -> PostingRules:
    """posting_roles.yaml, read once."""
    try:
        raw = yaml.safe_load(path.read_text(encoding="utf-8"))
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
    """A multinomial logistic regression over binary skill features (one weight row a skill)."""

    classes: tuple[str, ...]
    features: tuple[str, ...]
    weights: npt.NDArray[np.float64]
    """Shape (features, classes)."""
    bias: npt.NDArray[np.float64]
    trained_on: str
    split_salt: str
    held_out_percent: int

    @property
    def feature_index(self) -> dict[str, int]:
        return {f: i for i, f in enumerate(self.features)}

    def is_held_out(self, row: int) -> bool:
        """Whether a data-jobs row was kept out of this model's training."""
        return held_out(row, self.split_salt, self.held_out_percent)

    def probabilities(self, skills: Iterable[str]) -> dict[str, float]:
        """Class -> probability for a posting naming `skills` (unknown skills are ignored)."""
        index = self.feature_index
        rows = [index[s] for s in set(skills) if s in index]
        logits = self.bias + self.weights[rows].sum(axis=0)
        exp = np.exp(logits - logits.max())
        probs = exp / exp.sum()
        return {c: float(p) for c, p in zip(self.classes, probs, strict=True)}

    def top_features(self, skills: Iterable[str], cls: str, n: int = 3) -> list[tuple[str, float]]:
        """The skills that pushed hardest towards `cls`: each skill's weight for the class minus
        its mean weight over all classes, largest first, positive only."""
        index = self.feature_index
        col = self.classes.index(cls)
        parts = {
            s: float(self.weights[index[s], col] - self.weights[index[s]].mean())
            for s in set(skills)
            if s in index
        }
        ranked = sorted(parts.items(), key=lambda kv: (-kv[1], kv[0]))
        return [(s, w) for s, w in ranked[:n] if w > 0]


def parse_posting_model(raw: object, path: Path) -> PostingModel:
    """Validate a model file's JSON; CatalogError names the file and what is wrong."""
    try:
        entry = _ModelFile.model_validate(raw)
    except ValidationError as exc:
        raise CatalogError(_problems(path, exc)) from None
    weights = np.asarray(entry.weights, dtype=np.float64)
    shape = (len(entry.features), len(entry.classes))
    if weights.shape != shape or len(entry.bias) != len(entry.classes):
        raise CatalogError(
            [
                f"{path}: weights must be {shape[0]} rows of {shape[1]} and bias {shape[1]} "
                f"numbers, found {weights.shape} and {len(entry.bias)}"
            ]
        )
    return PostingModel(
        classes=tuple(entry.classes),
        features=tuple(entry.features),
        weights=weights,
        bias=np.asarray(entry.bias, dtype=np.float64),
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
# Title and profile evidence


@dataclass(frozen=True)
class RoleProfiles:
    """Each role's skill weights divided by how many roles list the skill (IDF-like)."""

    vectors: dict[str, dict[str, float]]
    norms: dict[str, float]
    names: dict[str, str]
    exact_titles: dict[str, str]
    rules: PostingRules


_CACHE: dict[int, tuple[object, RoleProfiles]] = {}


def _title_key(title: str, rules: PostingRules) -> str:
    words = re.sub(r"[^\w+#/ ]+", " ", rules.level_words.sub(" ", title.casefold()))
    return " ".join(words.split())


def role_profiles(catalog: Catalog, rules: PostingRules) -> RoleProfiles:
    """Each role's weighted skills and cues, and its exact titles; checks that every role the
    rules name is in the catalog."""
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
    exact: dict[str, str] = {}
    for role in roles:
        for name in (role.name, *role.aliases, *role.title_variants):
            key = _title_key(name, rules)
            if key and key not in rules.generic_titles and len(key) > 3:
                exact.setdefault(key, role.id)
    built = RoleProfiles(
        vectors,
        {r: math.sqrt(sum(v * v for v in vec.values())) for r, vec in vectors.items()},
        {r.id: r.name for r in roles},
        exact,
        rules,
    )
    _CACHE.clear()
    _CACHE[id(catalog)] = (catalog, built)
    return built


def title_evidence(title: str, profiles: RoleProfiles) -> tuple[str | None, float, str] | None:
    """(role or None for "not ours", strength, why) from a title, or None if it says nothing."""
    key = _title_key(title, profiles.rules)
    if not key:
        return None
    role = profiles.exact_titles.get(key)
    if role is not None:
        return role, 1.0, f"the title '{title}' is a known name for {profiles.names[role]}"
    for rule in profiles.rules.title_rules:
        if rule.pattern.search(title):
            return rule.role, rule.strength, f"the title '{title}' is {rule.label}"
    return None


def posting_vector(
    text: str, catalog: Catalog, rules: PostingRules | None = None
) -> dict[str, float]:
    """Skill ids (and cue names, "cue:...") found in the text, each skill with weight 1."""
    rules = rules or load_posting_rules()
    found = {m.skill_id: 1.0 for m in extract_skills(text, catalog, use_model=False) if m.skill_id}
    for name, cue in rules.cues.items():
        hits = len(cue.pattern.findall(text))
        if hits:
            found[f"cue:{name}"] = min(1.0 + 0.25 * (hits - 1), 2.0)
    return found


def profile_scores(
    vector: Mapping[str, float], profiles: RoleProfiles
) -> dict[str, tuple[float, list[str]]]:
    """Cosine similarity of the posting with each role, and the items that contributed most."""
    norm = math.sqrt(sum(v * v for v in vector.values())) or 1.0
    out: dict[str, tuple[float, list[str]]] = {}
    for role, weights in profiles.vectors.items():
        parts = {k: v * weights[k] for k, v in vector.items() if k in weights}
        score = sum(parts.values()) / (norm * (profiles.norms[role] or 1.0))
        top = sorted(parts, key=lambda k: -parts[k])[:5]
        out[role] = (score, top)
    return out


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
    skills = [k for k in vector if not k.startswith("cue:")]
    known = sorted(s for s in skills if s in index)
    if not known:
        return _ModelView({}, 0.0, [], len(vector))
    coverage = len(known) / len(vector)
    return _ModelView(model.probabilities(known), rules.model_weight * coverage, known, len(vector))


def _model_reason(view: _ModelView, model: PostingModel, cls: str, names: Mapping[str, str]) -> str:
    top = model.top_features(view.known, cls)
    label = names.get(cls, "none of our roles (analysts, cloud engineers...)")
    because = f" mostly from {', '.join(f'{s} (+{w:.1f})' for s, w in top)}" if top else ""
    return (
        f"the skill model (trained on {model.trained_on}) gives {label} "
        f"{view.probs[cls]:.2f}{because}; it knows {len(view.known)} of the {view.found} things "
        f"found, so it carries {view.share:.0%} of the description evidence"
    )


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
        from mlpivot.catalog import load_catalog

        catalog = load_catalog()
    rules = load_posting_rules()
    profiles = role_profiles(catalog, rules)
    if use_model and model is None:
        model = load_posting_model()
    by_title = title_evidence(title, profiles)
    vector = posting_vector(f"{title}\n{text}", catalog, rules)
    profile = profile_scores(vector, profiles)
    best_profile = max((s for s, _ in profile.values()), default=0.0) or 1.0
    view = _model_view(vector, model if use_model else None, rules)

    title_role, strength, title_why = by_title if by_title else (None, 0.0, "")
    weight = rules.title_weight * strength
    scores: dict[str, float] = {}
    for role, (sim, _top) in profile.items():
        # The profile is scaled to its best role so that the title, the profile and the model
        # speak on the same 0..1 scale; the raw similarity still gates "none of ours" below.
        description = (1 - view.share) * sim / best_profile + view.share * view.probs.get(role, 0)
        title_part = 1.0 if role == title_role else 0.0
        scores[role] = round(weight * title_part + (1 - weight) * description, 4)
    # "None of ours" competes on the description side only: a title that names another job is
    # handled by its own rule below.
    none_score = (1 - weight) * view.share * view.probs.get(NONE, 0.0)
    best = max(scores, key=lambda r: scores[r])
    reasons: list[str] = []
    if title_why:
        reasons.append(title_why)
    elif title.strip():
        reasons.append(f"the title '{title}' does not name a role, so the description decides")
    else:
        reasons.append("there is no title, so the description decides")
    sim, top = profile[best]
    shown = [k.removeprefix("cue:") + (" (cue)" if k.startswith("cue:") else "") for k in top]
    if shown:
        reasons.append(
            f"the description's skills are closest to {profiles.names[best]} "
            f"(similarity {sim:.2f}): {', '.join(shown)}"
        )
    ranked = sorted(scores.values(), reverse=True)
    margin = ranked[0] - (ranked[1] if len(ranked) > 1 else 0.0)

    outside = by_title is not None and title_role is None
    too_weak = profile[best][0] < rules.min_score and (by_title is None or strength < 0.5)
    if outside and not (profile[best][0] >= 0.45 and best != "software-engineer"):
        reasons.append("so it is not one of the ML roles mlpivot covers")
        return PostingClass(None, round(min(1.0, 0.6 + 0.4 * strength), 3), reasons, scores)
    if model is not None and view.share > 0 and none_score > ranked[0]:
        reasons.append(_model_reason(view, model, NONE, profiles.names))
        reasons.append("so it is most likely not one of the ML roles mlpivot covers")
        confidence = min(0.95, 0.35 + 0.5 * (none_score - ranked[0]) + 0.3 * view.share)
        return PostingClass(None, round(confidence, 3), reasons, scores)
    if too_weak and view.share * view.probs.get(best, 0.0) < rules.min_score:
        reasons.append(
            f"no role's skills match well (best similarity {profile[best][0]:.2f} < "
            f"{rules.min_score}), so it is not one of ours"
        )
        return PostingClass(
            None, round(1 - profile[best][0] / rules.min_score / 2, 3), reasons, scores
        )
    if best == "ai-product-manager" and not rules.ml_words.search(f"{title}\n{text}"):
        reasons.append(
            "but the posting never mentions AI, ML or models: a product manager, not ours"
        )
        return PostingClass(None, 0.7, reasons, scores)
    if model is not None and view.share > 0 and best in view.probs:
        reasons.append(_model_reason(view, model, best, profiles.names))
    if len(ranked) > 1:
        runner = sorted(scores, key=lambda r: -scores[r])[1]
        reasons.append(f"next best: {profiles.names[runner]} ({scores[runner]:.2f})")
    # Half from how far ahead the winner is, the rest from whether the title agrees with it.
    agrees = 1.0 if title_role == best else 0.0
    confidence = min(0.99, 0.35 + 0.5 * margin + 0.3 * strength * agrees)
    return PostingClass(best, round(confidence, 3), reasons, scores)
