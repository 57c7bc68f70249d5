"""The questionnaire: short enough for five minutes, and its answers make a valid profile."""

from __future__ import annotations

from datetime import date

from mlpivot.catalog import Catalog
from mlpivot.catalog.models import Interest
from mlpivot.engine.fit import rank_roles
from mlpivot.engine.profile import profile_from_data
from mlpivot.engine.questionnaire import profile_data_from_answers, questionnaire


def test_at_most_25_questions_covering_every_interest(catalog: Catalog) -> None:
    prompts = questionnaire(catalog)
    assert len(prompts) <= 25
    asked = {p.id.split(":", 1)[1] for p in prompts if p.id.startswith("interest:")}
    assert asked == {i.value for i in Interest}
    assert all(p.choices for p in prompts if p.kind in ("choice", "multi"))


def test_answers_become_a_profile_that_ranks_by_what_the_person_enjoys(catalog: Catalog) -> None:
    prompts = questionnaire(catalog)

    def answers(love: str) -> dict[str, object]:
        given: dict[str, object] = {}
        for p in prompts:
            if p.id.startswith("interest:"):
                given[p.id] = "love it" if p.id.endswith(love) else "not at all"
            elif p.kind == "multi":
                given[p.id] = ["finance"]
            elif p.kind == "number":
                given[p.id] = "6"
            elif p.id == "rate:rate-python":
                given[p.id] = "strong"
            else:
                given[p.id] = p.default or p.choices[0]
        return given

    pipelines = profile_from_data(
        profile_data_from_answers(answers("data-pipelines"), catalog, date(2026, 11, 23)), catalog
    )
    research = profile_from_data(profile_data_from_answers(answers("research"), catalog), catalog)
    assert pipelines.level("python") == 3 and pipelines.domains == ("finance",)
    evidence = pipelines.evidence_for("python")
    assert evidence is not None and evidence.source == "self"
    assert evidence.observed_on == date(2026, 11, 23)
    assert pipelines.hours_per_week == 6
    top_pipelines = [f.role_id for f in rank_roles(pipelines, catalog)]
    top_research = [f.role_id for f in rank_roles(research, catalog)]
    assert top_pipelines.index("data-engineer") < top_research.index("data-engineer")
    assert top_research.index("research-scientist") < top_pipelines.index("research-scientist")
