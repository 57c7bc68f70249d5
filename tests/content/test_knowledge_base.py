"""The knowledge base itself: complete against the seed articles, sound, and calibrated.

The checklists below were drawn from the four seed articles (shared/seeds); every name must
resolve to a skill (by id, name or alias), role or specialism of the shipped catalog.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from mlpivot.catalog import Catalog
from mlpivot.catalog.models import Category
from mlpivot.engine.fit import fit_role
from mlpivot.engine.gap import cumulative_hours
from mlpivot.engine.profile import profile_from_data

SEED_SKILLS = [
    # maths and statistics (all four articles)
    "linear algebra",
    "calculus",
    "probability",
    "statistics",
    "hypothesis testing",
    "A/B testing",
    "multivariate calculus",
    # algorithms (InterviewNode, PrepVector, Demando)
    "linear regression",
    "logistic regression",
    "decision trees",
    "naive bayes",
    "SVM",
    "k-nearest neighbours",
    "k-means",
    "clustering",
    "random forests",
    "gradient boosting",
    "XGBoost",
    "LightGBM",
    "CatBoost",
    "neural networks",
    "CNN",
    "RNN",
    "LSTM",
    "GAN",
    "transformers",
    "deep learning",
    "reinforcement learning",
    "feature engineering",
    "cross-validation",
    # tools and languages
    "Python",
    "R",
    "Julia",
    "Java",
    "SQL",
    "NoSQL",
    "NumPy",
    "pandas",
    "scikit-learn",
    "TensorFlow",
    "PyTorch",
    "Keras",
    "Jupyter",
    "Matplotlib",
    "Seaborn",
    "Tableau",
    "Excel",
    "Spark",
    "Hadoop",
    "Kafka",
    "Flink",
    "Docker",
    "Kubernetes",
    "AWS",
    "GCP",
    "Azure",
    "Git",
    # software-engineering strengths the articles name
    "data structures",
    "algorithms",
    "distributed systems",
    "CI/CD",
    "REST APIs",
    "software testing",
    "cloud computing",
]
SEED_SPECIALISMS = [
    "NLP",
    "Computer Vision",
    "Reinforcement Learning",
    "Time Series",
    "Anomaly Detection",
    "Recommendation Systems",
    "Speech",
    "Optimisation",
    "Quantitative Analysis",
    "Deep Learning",
    "Bioinformatics",
    "Econometrics",
    "Geospatial",
]
SEED_ROLE_NAMES = [
    "ML Engineer",
    "Machine Learning Engineer",
    "Applied ML Engineer",
    "Data Scientist",
    "Research Scientist",
    "AI Researcher",
    "AI Engineer",
    "Data Engineer",
    "MLOps Engineer",
    "ML Infrastructure Engineer",
    "AI/ML Product Manager",
    "Software Engineer",
]
BACKEND_ENGINEER = {
    "python": 3,
    "sql": 2,
    "rest-apis": 3,
    "api-design": 3,
    "git": 3,
    "docker": 2,
    "software-testing": 3,
    "data-structures-algorithms": 2,
    "linux": 2,
    "ci-cd": 2,
    "system-design": 2,
    "object-oriented-design": 3,
    "debugging": 3,
    "relational-databases": 2,
    "code-review": 2,
    "communication": 2,
    "collaboration": 2,
    "bash": 2,
    "microservices": 2,
    "postgresql": 2,
}


def resolves(catalog: Catalog, name: str) -> bool:
    key = " ".join(name.casefold().split())
    return key in catalog.alias_index or key.replace(" ", "-") in catalog.skills


@pytest.mark.parametrize("name", SEED_SKILLS)
def test_every_seed_skill_and_tool_has_a_home(catalog: Catalog, name: str) -> None:
    assert resolves(catalog, name), f"'{name}' from the seeds resolves to no skill"


@pytest.mark.parametrize("name", SEED_ROLE_NAMES)
def test_every_seed_role_name_resolves(catalog: Catalog, name: str) -> None:
    assert catalog.alias_role(name) is not None, name


@pytest.mark.parametrize("name", SEED_SPECIALISMS)
def test_every_seed_specialism_has_a_home(catalog: Catalog, name: str) -> None:
    words = name.casefold()
    assert any(
        words in (s.name.casefold(), *(a.casefold() for a in s.aliases))
        or words in s.name.casefold()
        for s in catalog.specialisms.values()
    ), name


def test_the_catalog_is_big_enough_to_trust(catalog: Catalog) -> None:
    assert len(catalog.skills) >= 200
    assert len(catalog.projects) >= 40
    assert len(catalog.specialisms) >= 13
    assert {c.value for c in Category} == {str(s.category) for s in catalog.skills.values()}
    assert {"prepvector-nine-steps", "howell-route", "demando-route"} <= set(catalog.pathways)


def test_target_and_reference_roles_are_the_contracted_ones(catalog: Catalog) -> None:
    assert {r.id for r in catalog.target_roles} == {
        "ml-engineer",
        "data-scientist",
        "research-scientist",
        "mlops-engineer",
        "ai-engineer",
        "data-engineer",
        "ai-product-manager",
    }
    assert catalog.roles["software-engineer"].kind == "reference"


def test_every_role_has_projects_and_ml_engineer_is_not_entry_level(catalog: Catalog) -> None:
    for role in catalog.target_roles:
        assert sum(role.id in p.roles for p in catalog.projects.values()) >= 4, role.id
    assert catalog.roles["ml-engineer"].entry_level is False


def test_roles_differ_where_the_jobs_differ(catalog: Catalog) -> None:
    def top(role_id: str, n: int = 12) -> set[str]:
        needs = sorted(catalog.roles[role_id].skills, key=lambda s: -s.weight)
        return {s.skill for s in needs[:n]}

    for a, b in [("ml-engineer", "mlops-engineer"), ("research-scientist", "data-scientist")]:
        overlap = len(top(a) & top(b)) / 12
        assert overlap < 0.75, f"{a} and {b} share {overlap:.0%} of their top skills"


def test_seed_domains_map_to_projects(catalog: Catalog) -> None:
    for domain, word in [("finance", "fraud"), ("healthcare", ""), ("retail", "recommend")]:
        found = [p for p in catalog.projects.values() if domain in p.domains]
        assert found, domain
        assert any(word in (p.name + p.goal).casefold() for p in found), (domain, word)


def test_no_alias_names_two_skills(catalog: Catalog) -> None:
    seen: dict[str, str] = {}
    for skill in catalog.skills.values():
        for alias in {skill.name, *skill.aliases}:
            key = " ".join(alias.casefold().split())
            assert seen.setdefault(key, skill.id) == skill.id, (alias, seen[key], skill.id)


def test_deep_learning_really_sits_on_the_maths(catalog: Catalog) -> None:
    ancestors = catalog.graph.ancestors["deep-learning"]
    assert {"linear-algebra", "calculus", "python"} <= ancestors
    assert "ml-fundamentals" in ancestors


# Calibration from the seeds' own figures.


def test_a_backend_engineer_already_holds_half_of_ml_engineer(catalog: Catalog) -> None:
    person = profile_from_data({"skills": BACKEND_ENGINEER, "years_experience": 6}, catalog)
    fit = fit_role(person, catalog.roles["ml-engineer"], catalog)
    assert fit.coverage_curated >= 0.5


def test_ml_engineer_maths_fundamentals_take_about_two_months(catalog: Catalog) -> None:
    maths = ["linear-algebra", "calculus", "multivariate-calculus", "probability"]
    needs = {n.skill: n.level for n in catalog.roles["ml-engineer"].skills}
    hours = sum(cumulative_hours(catalog.skills[s], needs.get(s, 2)) for s in maths)
    weeks_at_8_to_10 = (hours / 10, hours / 8)
    assert weeks_at_8_to_10[0] >= 6 and weeks_at_8_to_10[1] <= 12, hours


def test_backend_engineer_to_ml_engineer_takes_about_a_year(catalog: Catalog) -> None:
    person = profile_from_data(
        {"skills": BACKEND_ENGINEER, "years_experience": 6, "hours_per_week": 9}, catalog
    )
    fit = fit_role(person, catalog.roles["ml-engineer"], catalog)
    assert 36 <= fit.weeks_to_ready <= 66, fit.missing_hours


@pytest.mark.parametrize(
    ("name", "leads_to"),
    [
        ("signal processing", {"time-series-forecasting", "speech-processing"}),
        ("embedded systems", {"edge-deployment"}),
        ("CMake", {"edge-deployment"}),
        ("Swift", {"edge-deployment"}),
        ("Kotlin", {"edge-deployment"}),
        ("mobile development", {"edge-deployment"}),
        ("finance", {"anomaly-detection-methods"}),
        ("healthcare", set()),
        ("retail", {"recommender-systems-methods"}),
    ],
)
def test_skills_from_other_engineering_backgrounds_have_a_home_linked_to_ml(
    catalog: Catalog, name: str, leads_to: set[str]
) -> None:
    skill_id = catalog.alias_index.get(name.casefold())
    assert skill_id is not None, f"'{name}' has no home in the knowledge base"
    assert leads_to <= set(catalog.skills[skill_id].related)
    assert catalog.skills[skill_id].related, f"{skill_id} leads into no ML skill"


def test_edge_and_on_device_ml_is_a_specialism_that_embedded_and_mobile_lead_into(
    catalog: Catalog,
) -> None:
    edge = next(s for s in catalog.specialisms.values() if "On-device ML" in s.aliases)
    assert {"edge-deployment", "embedded-systems", "mobile-development"} <= set(edge.skills)
    for skill_id in ("embedded-systems", "swift", "kotlin", "cmake"):
        assert set(catalog.skills[skill_id].related) & set(edge.skills), skill_id


def test_every_background_the_questionnaire_offers_leads_somewhere(catalog: Catalog) -> None:
    assert {"devops-engineer", "mobile-engineer", "phd-researcher"} <= set(catalog.backgrounds)
    for background in catalog.backgrounds.values():
        if background.id != "other":
            assert background.leads_to, background.id


def test_every_example_profile_states_the_input_limits() -> None:
    from mlpivot.engine.limits import LIMITS

    examples = Path(__file__).resolve().parents[2] / "examples" / "profiles"
    wanted = " ".join(LIMITS.describe().split())
    for path in sorted(examples.glob("*.yaml")):
        comments = " ".join(
            line.lstrip("# ").strip()
            for line in path.read_text(encoding="utf-8").splitlines()
            if line.startswith("#")
        )
        assert wanted in " ".join(comments.split()), path.name
