"""classify_posting: titles, vague or empty titles, and postings that are none of our roles."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
import yaml

from mlpivot.catalog import Catalog, load_catalog
from mlpivot.ingest.classify import classify_posting
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
