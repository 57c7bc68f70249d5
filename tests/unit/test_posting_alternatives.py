"""A choice in a posting ("PyTorch or TensorFlow") is one requirement that either option meets."""

from __future__ import annotations

import functools
from collections.abc import Sequence

import pytest

from mlpivot.catalog import Catalog, load_catalog
from mlpivot.ingest.match import match_resume
from mlpivot.ingest.posting import Posting, choice_groups, parse_posting


@functools.cache
def _catalog() -> Catalog:
    return load_catalog()


def _posting(requirement_lines: Sequence[str], nice_lines: Sequence[str] = ()) -> Posting:
    text = "\n".join(
        [
            "Machine Learning Engineer",
            "Acme Analytics - Remote",
            "",
            "## Requirements",
            *[f"- {line}" for line in requirement_lines],
            *(["", "## Nice to have", *[f"- {line}" for line in nice_lines]] if nice_lines else []),
        ]
    )
    return parse_posting(text, _catalog())


def _options(posting: Posting) -> list[set[str]]:
    return [set(r.options) for r in posting.required]


# Real phrasings of a choice, each with the skills it offers.
CHOICES = [
    ("Hands-on experience with PyTorch or TensorFlow", {"pytorch", "tensorflow"}),
    ("Production experience on AWS/GCP", {"aws", "gcp"}),
    ("Strong programming skills in one of Go, Rust, C++", {"go", "rust", "cpp"}),
    ("Experience with Airflow, Dagster or similar orchestration tools", {"airflow", "dagster"}),
    ("A cloud platform (e.g. AWS, GCP, Azure)", {"aws", "gcp", "azure"}),
    ("Either Java or Scala for backend services", {"java", "scala"}),
    ("Snowflake and/or BigQuery", {"snowflake", "bigquery"}),
    ("Deep learning frameworks such as JAX, PyTorch", {"jax", "pytorch"}),
    ("Tableau, Power BI, or an equivalent BI tool", {"tableau", "power-bi"}),
    ("Kafka | Flink streaming", {"kafka", "flink"}),
    ("Cloud: GCP preferred (AWS fine)", {"gcp", "aws"}),
    ("Scala (Java is also ok) for the services", {"scala", "java"}),
    ("Snowflake (or BigQuery) for the warehouse", {"snowflake", "bigquery"}),
    ("Spark [or Flink] for streaming jobs", {"spark", "flink"}),
]


@pytest.mark.parametrize(("line", "offered"), CHOICES, ids=[c[0][:30] for c in CHOICES])
def test_a_choice_is_one_requirement(line: str, offered: set[str]) -> None:
    posting = _posting([line])
    asked = [set(r.options) for r in (*posting.required, *posting.nice_to_have)]
    groups = [opts for opts in asked if opts & offered]
    missing = offered - set(_catalog().skills)
    assert groups == [offered - missing], _options(posting)


@pytest.mark.parametrize(
    "line",
    [
        "Python, SQL and Spark",
        "Python and SQL",
        "Docker, Kubernetes, Terraform",
        "Python; SQL",
    ],
)
def test_a_list_without_a_choice_asks_for_every_item(line: str) -> None:
    posting = _posting([line])
    assert all(len(opts) == 1 for opts in _options(posting))
    assert len(posting.required) >= 2


def test_and_ends_a_choice() -> None:
    posting = _posting(["Python and SQL or Spark"])
    assert {"python"} in _options(posting)
    assert {"sql", "spark"} in _options(posting)


def test_a_choice_whose_option_is_also_asked_alone_is_implied() -> None:
    posting = _posting(["Python", "Python or Scala"])
    assert _options(posting) == [{"python"}]


def test_a_nice_to_have_choice_stays_nice() -> None:
    posting = _posting(["Python"], ["Kubernetes or Docker"])
    assert [set(r.options) for r in posting.nice_to_have] == [{"kubernetes", "docker"}]
    assert _options(posting) == [{"python"}]


def test_the_requirement_counts_count_a_choice_once() -> None:
    two_frameworks = _posting(["PyTorch or TensorFlow", "SQL"])
    assert len(two_frameworks.required) == 2


@pytest.mark.parametrize("shown", ["pytorch", "tensorflow"])
def test_match_credits_a_choice_met_by_either_option(shown: str) -> None:
    name = _catalog().skills[shown].name
    resume = (
        f"Jane Doe\n\nExperience\nML Engineer, Foo Ltd, 2020 - 2024\n- Trained models in {name}.\n"
    )
    posting = _posting(["Hands-on experience with PyTorch or TensorFlow"])
    report = match_resume(resume, posting, _catalog())
    frameworks = [
        m for m in (*report.shown, *report.missing) if shown in (m.skill_id, *m.alternatives)
    ]
    assert len(frameworks) == 1
    assert frameworks[0].skill_id == shown
    assert frameworks[0].where is not None
    assert " or " in frameworks[0].name
    assert report.required_coverage > 0


def test_match_reports_an_unmet_choice_once_with_every_option() -> None:
    resume = "Jane Doe\n\nExperience\nAnalyst, Foo Ltd, 2020 - 2024\n- Built dashboards in Excel.\n"
    posting = _posting(["Hands-on experience with PyTorch or TensorFlow"])
    report = match_resume(resume, posting, _catalog())
    assert len(report.missing) == 1
    assert {report.missing[0].skill_id, *report.missing[0].alternatives} == {
        "pytorch",
        "tensorflow",
    }


def test_choice_groups_on_offsets() -> None:
    line = "Go, Rust or C++; also Python and SQL"
    spans = [(0, 2, "go"), (4, 8, "rust"), (12, 15, "cpp"), (22, 28, "python"), (33, 36, "sql")]
    groups = [[s[2] for s in g] for g in choice_groups(line, spans)]
    assert groups == [["go", "rust", "cpp"], ["python"], ["sql"]]
