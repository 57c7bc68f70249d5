"""The catalog refuses bad knowledge with file:line and a plain reason, and overlays work."""

from __future__ import annotations

from pathlib import Path

import pytest

from mlpivot.catalog import Catalog, load_catalog
from mlpivot.errors import CatalogError, NotFoundError

SKILL = """\
  - id: {id}
    name: {name}
    category: classic-ml
    description: A test skill used by the loader tests.
    prerequisites: [{pre}]
    hours: {{working: 10, strong: 20}}
    hours_basis: estimate for tests
    resources:
      - {{title: Scikit-learn guide, url: "https://scikit-learn.org/stable/", kind: docs}}
    evidence: [a quiz]
"""


def overlay(tmp_path: Path, text: str, name: str = "extra.yaml") -> Path:
    folder = tmp_path / "overlay"
    folder.mkdir(exist_ok=True)
    (folder / name).write_text(text, encoding="utf-8")
    return folder


def problems_of(folder: Path) -> list[str]:
    with pytest.raises(CatalogError) as caught:
        load_catalog(folder, builtin=False)
    return caught.value.problems


def test_unknown_prerequisite_is_reported_with_file_line_and_ids(tmp_path: Path) -> None:
    folder = overlay(
        tmp_path,
        "skills:\n" + SKILL.format(id="zz-boost", name="ZZ boost", pre="gradient-boosting-basics"),
    )
    problems = problems_of(folder)
    assert (
        f"{folder}/extra.yaml:2: skill 'zz-boost' requires unknown skill "
        "'gradient-boosting-basics'" in problems
    )


def test_prerequisite_cycle_is_an_error_naming_the_cycle(tmp_path: Path) -> None:
    text = (
        "skills:\n"
        + SKILL.format(id="zz-a", name="ZZ A", pre="zz-b")
        + SKILL.format(id="zz-b", name="ZZ B", pre="zz-a")
    )
    problems = problems_of(overlay(tmp_path, text))
    assert any("prerequisite cycle" in p and "zz-a" in p and "zz-b" in p for p in problems)


def test_wrong_field_points_at_its_own_line(tmp_path: Path) -> None:
    text = "skills:\n" + SKILL.format(id="zz-a", name="ZZ A", pre="").replace(
        "working: 10", "working: -3"
    )
    problems = problems_of(overlay(tmp_path, text))
    assert len(problems) == 1
    assert ":7: skill 'zz-a': hours.working:" in problems[0]
    assert "greater than 0" in problems[0]


def test_invalid_yaml_names_the_line(tmp_path: Path) -> None:
    problems = problems_of(overlay(tmp_path, "skills:\n  - id: [unclosed\n    name: x\n"))
    assert len(problems) == 1
    assert (
        "extra.yaml:3: invalid YAML" in problems[0] or "extra.yaml:2: invalid YAML" in problems[0]
    )


def test_unknown_section_is_refused(tmp_path: Path) -> None:
    problems = problems_of(overlay(tmp_path, "skils:\n  - id: x\n"))
    assert problems == [
        f"{tmp_path}/overlay/extra.yaml:1: unknown section 'skils' (known: "
        "advice, backgrounds, figures, interview_questions, pathways, projects, question_bank, "
        "questions, "
        "roles, skill_questions, skills, specialisms, strengths)"
    ]


def test_alias_that_names_two_skills_is_an_error(tmp_path: Path) -> None:
    text = (
        "skills:\n"
        + SKILL.format(id="zz-a", name="Shared name", pre="")
        + SKILL.format(id="zz-b", name="shared  NAME", pre="")
    )
    problems = problems_of(overlay(tmp_path, text))
    assert any("'zz-b'" in p and "already names skill 'zz-a'" in p for p in problems)


def test_duplicate_id_in_one_layer_is_an_error(tmp_path: Path) -> None:
    text = (
        "skills:\n"
        + SKILL.format(id="zz-a", name="ZZ A", pre="")
        + SKILL.format(id="zz-a", name="ZZ A2", pre="")
    )
    problems = problems_of(overlay(tmp_path, text))
    assert any("duplicate skills id 'zz-a'" in p and "first defined at" in p for p in problems)


def test_overlay_adds_a_skill_and_overrides_a_builtin_one(tmp_path: Path) -> None:
    builtin = load_catalog()
    some_id = sorted(builtin.skills)[0]
    replaced = builtin.skills[some_id]
    text = (
        "skills:\n"
        + SKILL.format(id="zz-new", name="ZZ new", pre="")
        + SKILL.format(id=some_id, name=replaced.name, pre="").replace("working: 10", "working: 77")
    )
    cat = load_catalog(overlay(tmp_path, text))
    assert "zz-new" in cat.skills
    assert cat.skills[some_id].hours.working == 77
    assert len(cat.skills) == len(builtin.skills) + 1


def test_missing_overlay_folder_is_a_plain_error(tmp_path: Path) -> None:
    with pytest.raises(CatalogError, match="does not exist"):
        load_catalog(tmp_path / "nope")


def test_every_problem_is_reported_at_once(tmp_path: Path) -> None:
    folder = overlay(tmp_path, "skills:\n" + SKILL.format(id="zz-a", name="A1", pre="nope-1"))
    (folder / "more.yaml").write_text(
        "skills:\n" + SKILL.format(id="zz-b", name="B1", pre="nope-2"), encoding="utf-8"
    )
    problems = problems_of(folder)
    assert any("nope-1" in p for p in problems) and any("nope-2" in p for p in problems)


def test_a_skill_and_a_role_are_found_by_id_name_or_alias_alike(catalog: Catalog) -> None:
    assert catalog.skill("pytorch").id == "pytorch"
    assert catalog.skill("  Machine   LEARNING ").id == catalog.alias_skill("ml")
    assert catalog.alias_skill("machine learning") is not None
    assert catalog.role("AI Researcher").id == "research-scientist"
    with pytest.raises(NotFoundError, match="there is no skill 'pytorc'; did you mean 'pytorch'"):
        catalog.skill("pytorc")
    assert catalog.alias_skill("astrology") is None
