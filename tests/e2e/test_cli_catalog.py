"""The catalog commands, run as a person runs them: a subprocess, exit codes, stdout/stderr."""

from __future__ import annotations

import json
from pathlib import Path


def test_help_teaches_where_to_start(cli) -> None:  # type: ignore[no-untyped-def]
    result = cli("--help")
    assert result.returncode == 0
    assert "mlpivot roles" in result.stdout and "--json" in result.stdout


def test_catalog_check_passes_on_the_shipped_knowledge(cli) -> None:  # type: ignore[no-untyped-def]
    result = cli("catalog", "check", "--json")
    assert result.returncode == 0, result.stderr
    report = json.loads(result.stdout)
    assert report["ok"] is True and report["counts"]["skills"] > 0


def test_catalog_check_lists_problems_with_file_and_line_and_exits_1(cli, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    bad = tmp_path / "bad"
    bad.mkdir()
    (bad / "mine.yaml").write_text(
        "skills:\n  - id: my-skill\n    name: Mine\n    category: nonsense\n", encoding="utf-8"
    )
    result = cli("--knowledge", str(bad), "catalog", "check")
    assert result.returncode == 1
    assert f"{bad}/mine.yaml:4: skill 'my-skill': category:" in result.stderr
    assert "Traceback" not in result.stderr + result.stdout


def test_catalog_stats_reports_the_longest_chain_in_hours(cli) -> None:  # type: ignore[no-untyped-def]
    result = cli("catalog", "stats", "--json")
    assert result.returncode == 0, result.stderr
    stats = json.loads(result.stdout)
    chain = stats["longest_prerequisite_chain"]
    assert chain["hours"] > 0 and len(chain["skills"]) >= 2


def test_roles_list_and_show_as_json(cli) -> None:  # type: ignore[no-untyped-def]
    roles = json.loads(cli("roles", "--json").stdout)
    ids = {r["id"] for r in roles}
    assert {"ml-engineer", "data-scientist", "software-engineer"} <= ids
    shown = cli("role", "show", "Applied ML Engineer", "--json")
    assert shown.returncode == 0, shown.stderr
    assert json.loads(shown.stdout)["id"] == "ml-engineer"


def test_unknown_role_is_one_plain_sentence_and_exit_1(cli) -> None:  # type: ignore[no-untyped-def]
    result = cli("role", "show", "ml-enginer")
    assert result.returncode == 1
    assert "there is no role 'ml-enginer'" in result.stderr
    assert "did you mean 'ml-engineer'" in result.stderr
    assert "Traceback" not in result.stderr


def test_usage_error_exits_2(cli) -> None:  # type: ignore[no-untyped-def]
    assert cli("roles", "--no-such-flag").returncode == 2


def test_skill_show_prints_prerequisite_tree_hours_and_resources(cli) -> None:  # type: ignore[no-untyped-def]
    result = cli("skill", "show", "deep-learning")
    assert result.returncode == 0, result.stderr
    assert "builds on" in result.stdout and "Resources" in result.stdout and "http" in result.stdout
    data = json.loads(cli("skill", "show", "deep-learning", "--json").stdout)
    assert data["prerequisites"] and set(data["prerequisites"]) <= set(data["all_prerequisites"])


def test_skills_filter_by_role_and_category(cli) -> None:  # type: ignore[no-untyped-def]
    skills = json.loads(
        cli("skills", "--role", "mlops-engineer", "--category", "mlops", "--json").stdout
    )
    assert skills and all(s["category"] == "mlops" for s in skills)
    bad = cli("skills", "--category", "cooking")
    assert bad.returncode == 1 and "there is no category 'cooking'" in bad.stderr
