"""Which of our roles a job posting is for, with a confidence and the reasons.

Two kinds of evidence, both explainable:

* the **title**: first the catalog's role names, aliases and title variants (seniority words and
  level numerals removed), then `TITLE_RULES`, an ordered list of patterns for the many ways
  companies spell the same job. A generic title ("Engineer II", "Platform Engineer", "Product
  Manager") only hints, so the description decides.
* the **skill profile**: the catalog skills named in the text (via `extract_skills`) and a few
  cue words that are not skills ("PhD", "NeurIPS", "backlog"), compared with each role's
  weighted skills by cosine similarity. Each skill's weight is divided by how many roles want
  it, so Python and SQL, which every role lists, decide nothing.

The two are blended (title 0.55, profile 0.45) when the title is specific, and the profile
alone decides when it is not. A posting is "none of ours" when its title is a known other job
(analyst, nurse, accountant...) and the profile does not strongly contradict it, or when no role
reaches `MIN_SCORE`.
"""

from __future__ import annotations

import math
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from mlpivot.ingest.extract import extract_skills

if TYPE_CHECKING:
    from mlpivot.catalog import Catalog

TITLE_WEIGHT = 0.55
MIN_SCORE = 0.12
"""Below this blended score for every role, the posting is not one of ours."""


@dataclass(frozen=True)
class PostingClass:
    """CONTRACTS.md: role_id None = not one of our roles; `scores` has every role id."""

    role_id: str | None
    confidence: float
    reasons: list[str] = field(default_factory=list)
    scores: dict[str, float] = field(default_factory=dict)


@dataclass(frozen=True)
class TitleRule:
    """A title pattern; `role` None = a job that is not one of ours; `strength` in (0, 1]."""

    pattern: re.Pattern[str]
    role: str | None
    strength: float
    label: str


def _rule(pattern: str, role: str | None, strength: float, label: str) -> TitleRule:
    return TitleRule(re.compile(pattern, re.IGNORECASE), role, strength, label)


_AI = r"(ai|a\.i\.|artificial intelligence|gen ?ai|generative ai|llm|ml|machine learning)"
_ENG = r"(engineer|developer|programmer)"

# Checked in order; the first match wins, so specific patterns come before general ones.
TITLE_RULES: tuple[TitleRule, ...] = (
    _rule(
        rf"\b{_AI}\b.*\bproduct (manager|owner|lead)\b|\bproduct (manager|owner|lead)\b.*"
        rf"\b({_AI[1:-1]}|personali[sz]ation|recommendations?)\b",
        "ai-product-manager",
        1.0,
        "an AI/ML product manager title",
    ),
    _rule(
        r"\bml ?ops\b|machine learning operations|\b(ml|machine learning|ai)\b.*\b(platform|"
        r"infrastructure|infra|systems)\b.*\b(engineer|developer)\b|\bdevops\b.*\b(ml|machine "
        r"learning|ai)\b",
        "mlops-engineer",
        1.0,
        "an ML platform / MLOps title",
    ),
    _rule(
        r"\bresearch (scientist|engineer)\b|\bresearcher\b|\bpostdoc",
        "research-scientist",
        1.0,
        "a research title",
    ),
    _rule(
        r"\b(ml|machine learning|ai) scientist\b|\bapplied scientist\b",
        "research-scientist",
        0.6,
        "a machine-learning scientist title",
    ),
    _rule(
        rf"\b(ai|a\.i\.|artificial intelligence|gen ?ai|generative ai|llm|conversational ai|"
        rf"prompt|chatbot|agents?)\b.*\b{_ENG}\b|\b{_ENG}\b.*\b(gen ?ai|generative ai|llm|ai)\b",
        "ai-engineer",
        1.0,
        "an AI / LLM engineer title",
    ),
    _rule(
        rf"\b(ml|machine learning|deep learning|computer vision|nlp|cv|perception|"
        rf"recommender systems?)\b.*\b{_ENG}\b|\b{_ENG}\b.*\b(ml|machine learning)\b",
        "ml-engineer",
        1.0,
        "a machine learning engineer title",
    ),
    _rule(
        r"\bdata scien|\b(decision|analytics|product) scientist\b|\bstatistician\b",
        "data-scientist",
        1.0,
        "a data scientist title",
    ),
    _rule(
        r"\bdata (engineer|platform|warehouse|infrastructure|pipeline|integration)|\betl\b|"
        r"\banalytics engineer\b|\bbig data\b|\bdataops\b",
        "data-engineer",
        1.0,
        "a data engineer title",
    ),
    _rule(
        r"\b(data|business|bi|reporting|financial|marketing|operations|research) analyst\b|"
        r"\banalyst\b",
        None,
        1.0,
        "an analyst title (not one of our roles)",
    ),
    _rule(
        r"\b(cloud|devops|site reliability|network|systems|security|mechanical|electrical|"
        r"civil|design|sales|support|field|hardware|quality) engineer\b|\bsre\b|nurse|"
        r"\baccountant\b|\brecruiter\b|\bsales\b|\bdesigner\b|\btechnician\b|\bcashier\b|"
        r"\bwarehouse\b|\bdriver\b|\bteacher\b|\bphysician\b|\bassociate\b$",
        None,
        1.0,
        "a job outside software and ML",
    ),
    _rule(
        r"\bproduct (manager|owner|lead)\b",
        "ai-product-manager",
        0.35,
        "a product manager title (AI or not: the description decides)",
    ),
    _rule(
        r"\bscientist\b|\bmember of technical staff\b",
        "research-scientist",
        0.3,
        "a generic scientist title",
    ),
    _rule(
        r"\b(software|backend|back-end|frontend|front-end|full[- ]?stack|web|mobile|java|"
        r"python|\.net|ios|android)\b.*\b(engineer|developer)\b|\bswe\b|\bprogrammer\b",
        "software-engineer",
        0.8,
        "a software engineer title",
    ),
)

_LEVEL_WORDS = re.compile(
    r"\b(senior|sr|junior|jr|lead|staff|principal|head|chief|associate|intern|"
    r"entry[- ]level|mid[- ]level|i{1,3}|iv|v|\d)\b",
    re.IGNORECASE,
)

# Cue words that are not catalog skills but say much about a role, as pseudo-skills.
CUES: Mapping[str, tuple[str, Mapping[str, float]]] = {
    "cue:phd": (r"\bph\.? ?d\b|\bdoctorate\b|\bpostdoc", {"research-scientist": 0.8}),
    "cue:publications": (
        r"\bpublicat|\bpublish|\bneurips\b|\bicml\b|\biclr\b|\bcvpr\b|\biccv\b|\beccv\b|"
        r"\bacl\b|\bemnlp\b|\bpapers?\b|\bconferences?\b",
        {"research-scientist": 1.0},
    ),
    "cue:research": (
        r"\bresearch (agenda|projects?|group|team|record)\b|\bnovel\b",
        {"research-scientist": 0.8},
    ),
    "cue:product": (
        r"\broadmaps?\b|\bbacklog\b|\buser stor|\bproduct (vision|strategy|requirements)\b|"
        r"\bprioriti[sz]|\bgo-to-market\b|\blaunch(es)?\b|\bproduct managers?\b",
        {"ai-product-manager": 1.0},
    ),
    "cue:llm": (
        r"\bllms?\b|large language models?|\bgenerative\b|\bchat ?bots?\b|\bassistants?\b|"
        r"\bagents?\b|\bfoundation models?\b|\bhallucinat",
        {"ai-engineer": 0.8, "ai-product-manager": 0.2, "research-scientist": 0.1},
    ),
    "cue:platform": (
        r"\b(ml|model|machine learning) platform\b|\bmodel registry\b|\bmodel deployment\b|"
        r"\bserving\b|\bon-?call\b|\bsre\b|\bgpu clusters?\b|\bprovision",
        {"mlops-engineer": 0.8},
    ),
    "cue:analytics": (
        r"\bdashboards?\b|\binsights?\b|\bstakeholders?\b|\bbusiness partners\b|\bchurn\b|"
        r"\bexperiments?\b",
        {"data-scientist": 0.5, "ai-product-manager": 0.2},
    ),
    "cue:warehouse": (
        r"\bdata (warehouse|lake|pipelines?|models?|platform)\b|\bingestion\b|\bschemas?\b",
        {"data-engineer": 0.6},
    ),
    "cue:production-ml": (
        r"\b(train|deploy)(ing|s)? (and (deploy|train)(ing)? )?(ml |machine learning )?models?\b|"
        r"\bmodels? (in|to) production\b|\bproduction models?\b",
        {"ml-engineer": 0.6, "mlops-engineer": 0.3},
    ),
    "cue:web": (
        r"\b(react|angular|vue|typescript|kotlin|frontend|front-end|web apps?|checkout|"
        r"microservices?|backend services?)\b",
        {"software-engineer": 0.6},
    ),
}


# An AI product manager is a product manager whose product is models; without these words the
# posting is for a product manager of something else.
_ML_WORDS = re.compile(
    r"\b(ai|ml|machine learning|artificial intelligence|llms?|models?|algorithms?|"
    r"personali[sz]ation|recommendations?|ranking|data science)\b",
    re.IGNORECASE,
)


@dataclass(frozen=True)
class _Profiles:
    """Each role's skill weights divided by how many roles list the skill (IDF-like)."""

    vectors: dict[str, dict[str, float]]
    norms: dict[str, float]
    names: dict[str, str]
    exact_titles: dict[str, str]


_CACHE: dict[int, tuple[object, _Profiles]] = {}


def _title_key(title: str) -> str:
    words = re.sub(r"[^\w+#/ ]+", " ", _LEVEL_WORDS.sub(" ", title.casefold()))
    return " ".join(words.split())


def _profiles(catalog: Catalog) -> _Profiles:
    cached = _CACHE.get(id(catalog))
    if cached is not None and cached[0] is catalog:
        return cached[1]
    roles = list(catalog.roles.values())
    df: dict[str, int] = {}
    for role in roles:
        for rs in role.skills:
            df[rs.skill] = df.get(rs.skill, 0) + 1
    vectors: dict[str, dict[str, float]] = {}
    for role in roles:
        vec = {rs.skill: rs.weight * math.log(1 + len(roles) / df[rs.skill]) for rs in role.skills}
        for cue, (_pattern, weights) in CUES.items():
            if role.id in weights:
                vec[cue] = weights[role.id] * math.log(1 + len(roles))
        vectors[role.id] = vec
    exact: dict[str, str] = {}
    generic = {
        "engineer",
        "developer",
        "scientist",
        "platform engineer",
        "software engineer",
        "product manager",
        "technical product manager",
        "member of technical staff",
    }
    for role in roles:
        for name in (role.name, *role.aliases, *role.title_variants):
            key = _title_key(name)
            if key and key not in generic and len(key) > 3:
                exact.setdefault(key, role.id)
    built = _Profiles(
        vectors,
        {r: math.sqrt(sum(v * v for v in vec.values())) for r, vec in vectors.items()},
        {r.id: r.name for r in roles},
        exact,
    )
    _CACHE.clear()
    _CACHE[id(catalog)] = (catalog, built)
    return built


def title_evidence(title: str, profiles: _Profiles) -> tuple[str | None, float, str] | None:
    """(role or None for "not ours", strength, why) from a title, or None if it says nothing."""
    key = _title_key(title)
    if not key:
        return None
    role = profiles.exact_titles.get(key)
    if role is not None:
        return role, 1.0, f"the title '{title}' is a known name for {profiles.names[role]}"
    for rule in TITLE_RULES:
        if rule.pattern.search(title):
            return rule.role, rule.strength, f"the title '{title}' is {rule.label}"
    return None


def posting_vector(text: str, catalog: Catalog) -> dict[str, float]:
    """Skill ids (and cue names) found in the text, each counted once with weight 1."""
    found = {m.skill_id: 1.0 for m in extract_skills(text, catalog, use_model=False) if m.skill_id}
    for cue, (pattern, _weights) in CUES.items():
        hits = len(re.findall(pattern, text, re.IGNORECASE))
        if hits:
            found[cue] = min(1.0 + 0.25 * (hits - 1), 2.0)
    return found


def profile_scores(
    vector: Mapping[str, float], profiles: _Profiles
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


def classify_posting(title: str, text: str, catalog: Catalog | None = None) -> PostingClass:
    """Which of our roles a posting is for; works from the description alone if the title is
    empty or vague ("Engineer II")."""
    if catalog is None:
        from mlpivot.catalog import load_catalog

        catalog = load_catalog()
    profiles = _profiles(catalog)
    by_title = title_evidence(title, profiles)
    vector = posting_vector(f"{title}\n{text}", catalog)
    profile = profile_scores(vector, profiles)
    best_profile = max((s for s, _ in profile.values()), default=0.0) or 1.0

    title_role, strength, title_why = by_title if by_title else (None, 0.0, "")
    weight = TITLE_WEIGHT * strength
    scores: dict[str, float] = {}
    for role, (sim, _top) in profile.items():
        # The profile is scaled to its best role so that the title and the profile speak on
        # the same 0..1 scale; the raw similarity still gates "none of ours" below.
        title_part = 1.0 if role == title_role else 0.0
        scores[role] = round(weight * title_part + (1 - weight) * sim / best_profile, 4)
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
    too_weak = profile[best][0] < MIN_SCORE and (by_title is None or strength < 0.5)
    if outside and not (profile[best][0] >= 0.45 and best != "software-engineer"):
        reasons.append("so it is not one of the ML roles mlpivot covers")
        return PostingClass(None, round(min(1.0, 0.6 + 0.4 * strength), 3), reasons, scores)
    if too_weak:
        reasons.append(
            f"no role's skills match well (best similarity {profile[best][0]:.2f} < "
            f"{MIN_SCORE}), so it is not one of ours"
        )
        return PostingClass(None, round(1 - profile[best][0] / MIN_SCORE / 2, 3), reasons, scores)
    if best == "ai-product-manager" and not _ML_WORDS.search(f"{title}\n{text}"):
        reasons.append(
            "but the posting never mentions AI, ML or models: a product manager, not ours"
        )
        return PostingClass(None, 0.7, reasons, scores)
    if len(ranked) > 1:
        runner = sorted(scores, key=lambda r: -scores[r])[1]
        reasons.append(f"next best: {profiles.names[runner]} ({scores[runner]:.2f})")
    # Half from how far ahead the winner is, the rest from whether the title agrees with it.
    agrees = 1.0 if title_role == best else 0.0
    confidence = min(0.99, 0.35 + 0.5 * margin + 0.3 * strength * agrees)
    return PostingClass(best, round(confidence, 3), reasons, scores)
