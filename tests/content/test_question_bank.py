"""The question bank (question_bank/*.yaml) is well formed, resolves, covers and varies.

The files are read with plain yaml.safe_load so the rules hold before the catalog loader is
taught the folder; tags are checked against the real shipped catalog. The folder sits beside
knowledge/ rather than in it because the loader reads every YAML file under knowledge/ and
rejects sections it does not know.
"""

from __future__ import annotations

import itertools
import re
from collections import Counter
from pathlib import Path
from typing import Any

import pytest
import yaml

import mlpivot
from mlpivot.catalog import Catalog

KNOWLEDGE = Path(mlpivot.__file__).parent / "knowledge"
QUESTIONS_DIR = Path(mlpivot.__file__).parent / "question_bank"
SECTION = "question_bank"

TYPES = {"mcq", "short", "interview"}
CATEGORIES = {
    "ml-theory",
    "statistics",
    "ml-system-design",
    "coding-for-ml",
    "llm-app-design",
    "product-sense",
    "behavioural",
    "maths",
    "data-engineering",
    "mlops",
    "deep-learning",
}
COMMON_KEYS = {"id", "type", "skills", "roles", "difficulty", "category", "question"}
KEYS_BY_TYPE = {
    "mcq": COMMON_KEYS | {"options"},
    "short": COMMON_KEYS | {"reference", "rubric"},
    "interview": COMMON_KEYS | {"reference", "rubric"},
}
ID_PATTERN = re.compile(r"^[a-z0-9]+(-[a-z0-9]+)*$")
TOP_WEIGHTED = 80
MIN_ITEMS_PER_TOP_SKILL = 2
MIN_NEW_ITEMS = 310

# Near-duplicate measure: Jaccard similarity of the sets of content words of two questions
# (lower-cased, stop words and one- or two-letter words dropped). Questions on one topic share
# its vocabulary, and short questions share a large part of few words: over the 460-odd
# questions of the bank and interview_questions.yaml the most similar distinct pair scores 0.43
# (two short questions that share "model", "training" and "data"). A reworded copy keeps
# nearly all its content words and scores 0.67 or more (see the test of the measure below).
# A threshold of 0.6 sits between the two with room on both sides. Items on one concept in two
# forms (a quick multiple-choice check and an open question) are allowed only when they ask
# different things; that was reviewed by hand, as no word measure can judge it.
NEAR_DUPLICATE_JACCARD = 0.6
STOP_WORDS = frozenset(
    re.findall(
        r"[a-z]+",
        """a an the and or but of to in on at for by with from into onto over under as is are was
    were be been being it its this that these those which what when where who whom why how do
    does did you your we our they their them he she his her i me my can could would should will
    shall may might must not no than then there here so if about between after before while one
    two any all each some such more most other very much many also only own same too just has
    have had give explain describe""",
    )
)


def _load_bank() -> list[tuple[str, dict[str, Any]]]:
    items: list[tuple[str, dict[str, Any]]] = []
    for path in sorted(QUESTIONS_DIR.glob("*.yaml")):
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
        assert isinstance(data, dict) and set(data) == {SECTION}, (
            f"{path.name}: expected one top-level key {SECTION!r}"
        )
        assert isinstance(data[SECTION], list) and data[SECTION], f"{path.name}: empty"
        items.extend((path.name, item) for item in data[SECTION])
    return items


def _load_existing() -> list[dict[str, Any]]:
    data = yaml.safe_load((KNOWLEDGE / "interview_questions.yaml").read_text(encoding="utf-8"))
    existing: list[dict[str, Any]] = data["interview_questions"]
    return existing


BANK = _load_bank()
EXISTING = _load_existing()


@pytest.fixture(scope="module")
def catalog() -> Catalog:
    return mlpivot.load_catalog()


def _where(file: str, item: dict[str, Any]) -> str:
    return f"{file}: item {item.get('id', '<no id>')!r}"


def _sentences(text: str) -> int:
    return len([s for s in re.split(r"(?<=[.!?])\s+", text.strip()) if s])


def _content_words(text: str) -> frozenset[str]:
    words = re.findall(r"[a-z0-9]+(?:[-'][a-z0-9]+)*", text.lower())
    return frozenset(w for w in words if len(w) > 2 and w not in STOP_WORDS)


def _jaccard(a: frozenset[str], b: frozenset[str]) -> float:
    return len(a & b) / len(a | b) if a | b else 0.0


def top_weighted_skills(catalog: Catalog, n: int = TOP_WEIGHTED) -> list[str]:
    """The n skills with the largest weight summed over the target roles, ties at n included.

    Reference roles (the software engineer people come from) are left out: the bank serves the
    roles a person aims for.
    """
    total: dict[str, float] = {}
    for role in catalog.target_roles:
        for role_skill in role.skills:
            total[role_skill.skill] = total.get(role_skill.skill, 0.0) + role_skill.weight
    ranked = sorted(total.items(), key=lambda kv: (-kv[1], kv[0]))
    cutoff = ranked[n - 1][1]
    return [skill for skill, weight in ranked if weight >= cutoff - 1e-9]


def test_bank_has_enough_items_in_the_intended_mix() -> None:
    types = Counter(item["type"] for _, item in BANK)
    total = sum(types.values())
    assert total >= MIN_NEW_ITEMS, f"only {total} new items"
    assert total + len(EXISTING) >= 400
    assert 0.38 <= types["mcq"] / total <= 0.52, types
    assert 0.28 <= types["short"] / total <= 0.42, types
    assert 0.14 <= types["interview"] / total <= 0.26, types


@pytest.mark.parametrize(("file", "item"), BANK, ids=[item.get("id", "?") for _, item in BANK])
def test_item_follows_the_schema_of_its_type(file: str, item: dict[str, Any]) -> None:
    where = _where(file, item)
    assert item.get("type") in TYPES, f"{where}: type must be one of {sorted(TYPES)}"
    keys = set(item)
    expected = KEYS_BY_TYPE[item["type"]]
    assert keys == expected, f"{where}: missing {expected - keys}, unexpected {keys - expected}"
    assert ID_PATTERN.match(item["id"]), f"{where}: id is not kebab-case"
    assert item["category"] in CATEGORIES, f"{where}: unknown category {item['category']!r}"
    assert item["difficulty"] in (1, 2, 3), f"{where}: difficulty must be 1, 2 or 3"
    for field in ("skills", "roles"):
        tags = item[field]
        assert isinstance(tags, list) and tags, f"{where}: {field} must be a non-empty list"
        assert len(set(tags)) == len(tags), f"{where}: repeated {field}"
    question = item["question"]
    assert isinstance(question, str) and len(question.split()) >= 4, f"{where}: question"

    if item["type"] == "mcq":
        options = item["options"]
        assert isinstance(options, list) and len(options) == 4, f"{where}: needs 4 options"
        for option in options:
            assert set(option) == {"text", "correct", "why"}, f"{where}: option keys {option}"
            assert isinstance(option["correct"], bool), f"{where}: correct must be a boolean"
            assert str(option["text"]).strip(), f"{where}: empty option text"
            assert len(str(option["why"]).split()) >= 4, f"{where}: option without a real why"
        assert sum(o["correct"] for o in options) == 1, f"{where}: needs exactly one correct"
        texts = [str(o["text"]).strip().lower() for o in options]
        assert len(set(texts)) == 4, f"{where}: repeated option text"
    else:
        reference = item["reference"]
        assert isinstance(reference, str), f"{where}: reference must be text"
        assert 2 <= _sentences(reference) <= 5, f"{where}: reference must be 2-5 sentences"
        rubric = item["rubric"]
        assert isinstance(rubric, list) and 3 <= len(rubric) <= 6, f"{where}: 3-6 rubric points"
        for point in rubric:
            assert isinstance(point, str) and len(point.split()) >= 2, f"{where}: rubric {point!r}"
        assert len({p.lower() for p in rubric}) == len(rubric), f"{where}: repeated rubric point"


def test_ids_are_unique_across_the_bank_and_the_interview_questions() -> None:
    ids = [item["id"] for _, item in BANK] + [q["id"] for q in EXISTING]
    repeated = [i for i, n in Counter(ids).items() if n > 1]
    assert not repeated, f"ids used more than once: {repeated}"


def test_every_skill_and_role_tag_resolves(catalog: Catalog) -> None:
    targets = {role.id for role in catalog.target_roles}
    problems = []
    for file, item in BANK:
        problems += [
            f"{_where(file, item)}: unknown skill {s!r}"
            for s in item["skills"]
            if s not in catalog.skills
        ]
        problems += [
            f"{_where(file, item)}: unknown target role {r!r}"
            for r in item["roles"]
            if r not in targets
        ]
    assert not problems, "\n".join(problems)


def test_every_role_category_and_skill_category_is_covered(catalog: Catalog) -> None:
    roles = {r for _, item in BANK for r in item["roles"]}
    assert {role.id for role in catalog.target_roles} <= roles
    assert {item["category"] for _, item in BANK} == CATEGORIES
    skill_categories = {catalog.skills[s].category for _, item in BANK for s in item["skills"]}
    assert skill_categories == {skill.category for skill in catalog.skills.values()}
    for role in catalog.target_roles:
        role_types = {item["type"] for _, item in BANK if role.id in item["roles"]}
        assert role_types == TYPES, f"{role.id} lacks some question types: {role_types}"


def test_behavioural_and_product_sense_prompts_are_there() -> None:
    behavioural = [i for _, i in BANK if i["category"] == "behavioural" and i["type"] != "mcq"]
    assert len(behavioural) >= 10
    star = [
        i
        for i in behavioural
        if any(re.search(r"\b(situation|context)\b", p, re.I) for p in i["rubric"])
        and any(re.search(r"\b(result|outcome|impact)\b", p, re.I) for p in i["rubric"])
    ]
    assert len(star) >= 8, "behavioural prompts need STAR-style rubric points"
    product = [
        i
        for _, i in BANK
        if i["category"] == "product-sense" and "ai-product-manager" in i["roles"]
    ]
    assert len(product) >= 20


def test_top_weighted_skills_have_at_least_two_items(catalog: Catalog) -> None:
    top = top_weighted_skills(catalog)
    assert len(top) >= TOP_WEIGHTED
    counts: Counter[str] = Counter()
    for _, item in BANK:
        counts.update(item["skills"])
    for question in EXISTING:
        counts.update(question["skills"])
    thin = {s: counts[s] for s in top if counts[s] < MIN_ITEMS_PER_TOP_SKILL}
    assert not thin, f"top-weighted skills with fewer than 2 items: {thin}"


def test_top_weighted_list_follows_the_role_weights(catalog: Catalog) -> None:
    top = top_weighted_skills(catalog)
    # python is weighted in every technical role; a skill no target role lists cannot rank
    assert top[0] == "python"
    listed = {rs.skill for role in catalog.target_roles for rs in role.skills}
    assert set(top) <= listed
    assert len(top_weighted_skills(catalog, 10)) < len(top)


def test_no_two_questions_are_near_duplicates() -> None:
    texts = [(item["id"], item["question"]) for _, item in BANK]
    texts += [(q["id"], q["question"]) for q in EXISTING]
    words = [(qid, _content_words(text)) for qid, text in texts]
    pairs = [
        (round(_jaccard(a, b), 2), ida, idb)
        for (ida, a), (idb, b) in itertools.combinations(words, 2)
        if _jaccard(a, b) >= NEAR_DUPLICATE_JACCARD
    ]
    assert not pairs, f"near-duplicate questions: {pairs}"


def test_near_duplicate_measure_flags_a_reworded_copy() -> None:
    original = _content_words("What does a p-value mean, and what does it not mean?")
    reworded = _content_words("What does the p-value mean and what does it not tell you?")
    other = _content_words("What is the difference between ETL and ELT pipelines?")
    assert _jaccard(original, reworded) >= NEAR_DUPLICATE_JACCARD
    assert _jaccard(original, other) < NEAR_DUPLICATE_JACCARD


def test_correct_option_position_varies() -> None:
    """A learner must not be able to guess from where the right answer usually sits."""
    positions = Counter(
        [option["correct"] for option in item["options"]].index(True)
        for _, item in BANK
        if item["type"] == "mcq"
    )
    total = sum(positions.values())
    assert set(positions) == {0, 1, 2, 3}
    assert max(positions.values()) / total < 0.4, positions
