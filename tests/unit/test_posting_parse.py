"""parse_posting on the hand-written postings (text, Markdown, HTML, JSON-LD) and edge cases."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
import yaml

from mlpivot.catalog import Catalog, load_catalog
from mlpivot.errors import IngestError
from mlpivot.ingest.posting import Posting, parse_posting

POSTINGS = Path(__file__).resolve().parents[1] / "data" / "postings"
LABELS: dict[str, dict[str, Any]] = yaml.safe_load(
    (POSTINGS / "labels.yaml").read_text(encoding="utf-8")
)["postings"]
_CATALOG: list[Catalog] = []


def parse(source: str | Path) -> Posting:
    """parse_posting with one catalog for the whole module (loading it takes a second)."""
    if not _CATALOG:
        _CATALOG.append(load_catalog())
    return parse_posting(source, _CATALOG[0])


@pytest.mark.parametrize("name", sorted(LABELS))
def test_title_company_location_and_seniority_match_the_labels(name: str) -> None:
    posting = parse(POSTINGS / name)
    label = LABELS[name]
    assert posting.title == label["title"]
    for key in ("company", "location", "seniority"):
        if key in label:
            assert getattr(posting, key) == label[key], key


def test_every_format_is_recognised() -> None:
    formats = {parse(POSTINGS / n).source_format for n in LABELS}
    assert {"text", "markdown", "html", "json-ld"} <= formats


def test_requirements_and_nice_to_have_sections_decide_the_need() -> None:
    posting = parse(POSTINGS / "ai-eng-01.md")
    required = {s.skill_id for s in posting.required}
    nice = {s.skill_id for s in posting.nice_to_have}
    assert {"python", "vector-databases", "docker", "embeddings"} <= required
    assert {"llm-fine-tuning", "langchain"} <= nice
    evidence = next(s.evidence for s in posting.skills if s.skill_id == "langchain")
    assert evidence == "Familiarity with LangChain or LlamaIndex."


def test_a_cue_in_the_clause_beats_the_section() -> None:
    # "(GCP preferred)" inside a requirements line; "basic SQL is a plus" after a semicolon.
    mlops = parse(POSTINGS / "mlops-02.json")
    need = {s.skill_id: s.need for s in mlops.skills}
    assert need["gcp"] == "nice" and need["kubernetes"] == "required"
    analyst = parse(POSTINGS / "other-03.html")
    assert {s.skill_id: s.need for s in analyst.skills}["sql"] == "nice"


def test_json_ld_inside_html_gives_the_fields_and_the_page_gives_the_text() -> None:
    posting = parse(POSTINGS / "mlops-03.html")
    assert posting.location == "Seattle, WA, US"
    assert "model-serving" in {s.skill_id for s in posting.nice_to_have}


def test_a_posting_given_as_text_is_sniffed() -> None:
    text = (
        "Data Engineer\nAcme Ltd - Leeds, UK\n\nRequirements\n- Strong SQL and Airflow.\n\n"
        "Nice to have\n- Kafka.\n"
    )
    posting = parse(text)
    assert (posting.title, posting.company, posting.location) == (
        "Data Engineer",
        "Acme Ltd",
        "Leeds, UK",
    )
    assert {s.skill_id for s in posting.nice_to_have} == {"kafka"}
    assert {"sql", "airflow"} <= {s.skill_id for s in posting.required}


def test_seniority_comes_from_years_when_the_title_is_silent() -> None:
    assert parse("Data Engineer\n\nRequirements\n- 6+ years of SQL.\n").seniority == ("senior")
    assert parse("Junior Data Engineer\n\n- SQL\n").seniority == "junior"


def test_json_without_a_job_posting_is_a_clear_error(tmp_path: Path) -> None:
    bad = tmp_path / "thing.json"
    bad.write_text('{"@type": "Person", "name": "x"}', encoding="utf-8")
    with pytest.raises(IngestError, match=r"thing\.json: .*JobPosting"):
        parse_posting(bad)


def test_an_empty_file_is_a_clear_error(tmp_path: Path) -> None:
    empty = tmp_path / "empty.txt"
    empty.write_text("", encoding="utf-8")
    with pytest.raises(IngestError, match=r"empty\.txt"):
        parse_posting(empty)
