"""classify_posting: titles, vague or empty titles, and postings that are none of our roles."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
import yaml

from mlpivot.catalog import Catalog, load_catalog
from mlpivot.errors import CatalogError
from mlpivot.ingest.classify import (
    MODEL_FILE,
    NONE,
    RULES_FILE,
    classify_posting,
    held_out,
    load_posting_model,
    load_posting_rules,
    parse_posting_model,
    parse_posting_rules,
    role_profiles,
)
from mlpivot.ingest.posting import parse_posting

POSTINGS = Path(__file__).resolve().parents[1] / "data" / "postings"
LABELS: dict[str, dict[str, Any]] = yaml.safe_load(
    (POSTINGS / "labels.yaml").read_text(encoding="utf-8")
)["postings"]


@pytest.fixture(scope="module")
def catalog() -> Catalog:
    return load_catalog()


def test_scores_cover_every_role_and_the_result_explains_itself(catalog: Catalog) -> None:
    found = classify_posting("Machine Learning Engineer", "Python, PyTorch, Docker.", catalog)
    assert found.role_id == "ml-engineer"
    assert set(found.scores) == set(catalog.roles)
    assert 0 < found.confidence <= 1
    assert any("title" in r for r in found.reasons)


@pytest.mark.parametrize(
    ("title", "role"),
    [
        ("Senior MLOps Engineer", "mlops-engineer"),
        ("Staff Research Scientist", "research-scientist"),
        ("GenAI Engineer", "ai-engineer"),
        ("Product Manager, Machine Learning", "ai-product-manager"),
        ("Lead Data Engineer", "data-engineer"),
        ("Data Scientist II", "data-scientist"),
    ],
)
def test_known_titles_name_their_role(title: str, role: str, catalog: Catalog) -> None:
    assert classify_posting(title, "", catalog).role_id == role


def test_a_vague_title_is_decided_by_the_description(catalog: Catalog) -> None:
    text = (
        "Build retrieval-augmented generation over our documents with embeddings and a vector "
        "database; write prompts and LLM evaluations; ship it behind FastAPI."
    )
    found = classify_posting("Engineer II", text, catalog)
    assert found.role_id == "ai-engineer"
    assert any("does not name a role" in r for r in found.reasons)


def test_an_empty_title_works_from_the_description(catalog: Catalog) -> None:
    text = (
        "You will publish at NeurIPS and ICML, design experiments on transformers and "
        "self-supervised learning in PyTorch. PhD required."
    )
    assert classify_posting("", text, catalog).role_id == "research-scientist"


def test_a_nurse_is_not_one_of_our_roles(catalog: Catalog) -> None:
    found = classify_posting(
        "Registered Nurse", "Assess patients and give medication. BLS certification.", catalog
    )
    assert found.role_id is None
    assert found.reasons


def test_a_data_analyst_is_not_one_of_our_roles(catalog: Catalog) -> None:
    found = classify_posting("Data Analyst", "SQL, Excel pivot tables and Tableau.", catalog)
    assert found.role_id is None


def test_a_product_manager_without_ml_is_not_an_ai_product_manager(catalog: Catalog) -> None:
    text = "Own the checkout roadmap, work with stakeholders and run A/B tests with SQL."
    assert classify_posting("Product Manager", text, catalog).role_id is None


def test_no_skills_and_no_title_is_none(catalog: Catalog) -> None:
    assert (
        classify_posting("", "We are a friendly team in a sunny office.", catalog).role_id is None
    )


@pytest.mark.parametrize("name", sorted(LABELS))
def test_written_postings_get_their_labelled_role(name: str, catalog: Catalog) -> None:
    posting = parse_posting(POSTINGS / name, catalog)
    assert classify_posting(posting.title, posting.text, catalog).role_id == LABELS[name]["role"]


# ---------------------------------------------------------------------------------------------
# The rules file and the skill model


def _rules_raw() -> dict[str, Any]:
    raw: dict[str, Any] = yaml.safe_load(RULES_FILE.read_text(encoding="utf-8"))
    return raw


def test_the_rules_file_loads_once_and_names_only_catalog_roles(catalog: Catalog) -> None:
    rules = load_posting_rules()
    assert rules is load_posting_rules()
    assert rules.title_rules and rules.cues
    assert rules.role_ids() <= set(catalog.roles)


@pytest.mark.parametrize(
    ("change", "where"),
    [
        (lambda raw: raw["title_rules"][2].update(pattern="(unclosed"), "title_rules[2].pattern"),
        (lambda raw: raw["title_rules"][0].update(strength=1.5), "title_rules[0].strength"),
        (lambda raw: raw["title_rules"][1].update(pattern="{nope} engineer"), "title_rules[1]"),
        (lambda raw: raw["cues"]["phd"].update(pattern="[a-"), "cues.phd.pattern"),
        (lambda raw: raw["cues"]["llm"].update(colour="red"), "cues.llm.colour"),
        (lambda raw: raw["blend"].pop("title_weight"), "blend.title_weight"),
    ],
)
def test_a_broken_rules_entry_names_the_file_and_the_entry(change: Any, where: str) -> None:
    raw = _rules_raw()
    change(raw)
    path = Path("broken_roles.yaml")
    with pytest.raises(CatalogError) as caught:
        parse_posting_rules(raw, path)
    assert any(p.startswith(f"{path}: {where}") for p in caught.value.problems), caught.value


def test_a_rule_for_an_unknown_role_is_refused_with_the_file(catalog: Catalog) -> None:
    raw = _rules_raw()
    raw["title_rules"][0]["role"] = "astronaut"
    rules = parse_posting_rules(raw, Path("odd_roles.yaml"))
    with pytest.raises(CatalogError, match=r"odd_roles\.yaml: unknown role ids: astronaut"):
        role_profiles(catalog, rules)


def test_the_committed_model_is_small_and_consistent(catalog: Catalog) -> None:
    assert MODEL_FILE.stat().st_size < 300_000
    model = load_posting_model()
    assert model.weights.shape == (len(model.features), len(model.classes))
    assert set(model.features) <= set(catalog.skills)
    assert set(model.classes) - {NONE} <= set(catalog.roles)
    probs = model.probabilities(["spark", "python", "not-a-skill"])
    assert sum(probs.values()) == pytest.approx(1.0)


def test_a_model_file_with_the_wrong_shape_is_refused() -> None:
    raw = json.loads(MODEL_FILE.read_text(encoding="utf-8"))
    raw["bias"] = raw["bias"][:-1]
    with pytest.raises(CatalogError, match=r"bad_model\.json: weights must be"):
        parse_posting_model(raw, Path("bad_model.json"))


def test_the_held_out_split_is_a_fifth_of_the_rows_named_by_the_model_file() -> None:
    model = load_posting_model()
    raw = json.loads(MODEL_FILE.read_text(encoding="utf-8"))
    assert (model.split_salt, model.held_out_percent) == (
        raw["split"]["salt"],
        raw["split"]["held_out_percent"],
    )
    picked = [model.is_held_out(i) for i in range(5000)]
    assert 0.17 < sum(picked) / len(picked) < 0.23


def test_the_held_out_split_is_the_same_in_every_process() -> None:
    """The bench scores the committed model on rows its training never saw: that holds only if
    the split does not change with the process (Python's own `hash` would)."""
    code = (
        "from mlpivot.ingest.classify import held_out;"
        "print(''.join('1' if held_out(i, 'data-jobs-2023', 20) else '0' for i in range(400)))"
    )
    runs = {
        subprocess.run(
            [sys.executable, "-c", code],
            env={**os.environ, "PYTHONHASHSEED": seed},
            capture_output=True,
            text=True,
            check=True,
        ).stdout.strip()
        for seed in ("1", "2")
    }
    here = "".join("1" if held_out(i, "data-jobs-2023", 20) else "0" for i in range(400))
    assert runs == {here}


def test_the_split_depends_on_the_salt_and_grows_with_the_percentage() -> None:
    rows = range(2000)
    assert [held_out(i, "a", 20) for i in rows] != [held_out(i, "b", 20) for i in rows]
    assert all(held_out(i, "a", 20) for i in rows if held_out(i, "a", 10))
    assert not any(held_out(i, "a", 0) for i in rows)
    assert all(held_out(i, "a", 100) for i in rows)


def test_a_bare_skill_list_is_decided_by_the_model_and_says_why(catalog: Catalog) -> None:
    text = "Skills: Python, SQL, Apache Spark, Apache Kafka, Apache Airflow, Snowflake."
    before = classify_posting("", text, catalog, use_model=False)
    after = classify_posting("", text, catalog)
    assert after.role_id == "data-engineer"
    assert any(r.startswith("the skill model") for r in after.reasons)
    assert not any(r.startswith("the skill model") for r in before.reasons)


def test_analyst_tools_alone_are_none_of_ours(catalog: Catalog) -> None:
    found = classify_posting("", "Skills: Excel, Tableau, Power BI, SQL.", catalog)
    assert found.role_id is None
    assert any("skill model" in r for r in found.reasons)


def test_skills_the_model_never_saw_leave_the_old_method_alone(catalog: Catalog) -> None:
    text = (
        "Build retrieval-augmented generation with a vector database, prompt engineering and "
        "LLM evaluation for our assistant."
    )
    with_model = classify_posting("", text, catalog)
    assert with_model.scores == classify_posting("", text, catalog, use_model=False).scores
    assert with_model.role_id == "ai-engineer"
