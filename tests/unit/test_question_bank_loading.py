"""The catalog loads the question bank: bank files, the built-in interview questions, overlays."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from mlpivot.catalog import Catalog, load_catalog
from mlpivot.catalog import catalog as catalog_module
from mlpivot.errors import CatalogError

BANKS = Path(__file__).resolve().parents[1] / "data" / "question_bank"


def test_every_interview_question_is_a_quiz_item_with_its_rubric(catalog: Catalog) -> None:
    assert set(catalog.interview_questions) <= set(catalog.question_bank)
    for qid, source in catalog.interview_questions.items():
        item = catalog.question_bank[qid]
        assert item.type == ("short" if source.kind == "concept" else "interview")
        assert item.question == source.question
        assert item.reference == source.reference
        assert item.rubric
        assert item.skills == source.skills
        assert item.roles, f"{qid} is for no role, so no role filter would find it"
        if source.role is not None:
            assert item.roles == (source.role,)
        assert all(catalog.roles[r].kind == "target" for r in item.roles)


def test_interview_questions_get_a_category_from_their_kind_or_skill(catalog: Catalog) -> None:
    kinds = {q.kind: catalog.question_bank[q.id] for q in catalog.interview_questions.values()}
    assert kinds["system-design"].category == "ml-system-design"
    assert kinds["behavioural"].category == "behavioural"
    stats = [
        catalog.question_bank[q.id]
        for q in catalog.interview_questions.values()
        if q.kind == "concept" and catalog.skills[q.skills[0]].category.value == "statistics"
    ]
    assert stats
    assert all(item.category == "statistics" for item in stats)


def test_an_overlay_bank_adds_mcq_short_and_interview_items() -> None:
    catalog = load_catalog(BANKS / "good")
    mcq = catalog.question_bank["sigmoid-output-mcq"]
    assert mcq.type == "mcq"
    assert mcq.correct_option == 0
    assert [o.correct for o in mcq.options] == [True, False, False, False]
    assert all(o.why for o in mcq.options)
    assert (
        catalog.question_bank["precision-recall-short"].rubric[0] == "a missed positive is costly"
    )
    assert catalog.question_bank["tell-me-about-a-failure"].type == "interview"
    assert len(catalog.question_bank) == len(load_catalog().question_bank) + 3


def test_bad_bank_items_are_reported_each_with_file_and_line() -> None:
    with pytest.raises(CatalogError) as caught:
        load_catalog(BANKS / "bad")
    text = "\n".join(caught.value.problems)
    shown = str(BANKS / "bad" / "bank.yaml")
    assert f"{shown}:2: question bank 'two-right-answers'" in text
    assert "exactly one correct option (it has 2)" in text
    assert f"{shown}:10: question bank 'no-rubric'" in text
    assert "needs rubric points" in text
    assert f"{shown}:16: question 'unknown-tags' tests unknown skill 'no-such-skill'" in text
    assert f"{shown}:16: question 'unknown-tags' is for unknown role 'astronaut'" in text
    assert "question id 'bias-variance-tradeoff' is also a question bank item" in text
    assert f"(at {shown}:24)" in text
    assert len(caught.value.problems) == 5


def test_the_bank_folder_beside_the_knowledge_base_loads_by_itself(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The bank's own folder is read with the built-in layer, so its files need no wiring."""
    bank = tmp_path / "question_bank"
    shutil.copytree(BANKS / "good", bank)
    monkeypatch.setattr(catalog_module, "QUESTION_BANK_DIR", bank)
    catalog = load_catalog()
    assert catalog.question_bank["sigmoid-output-mcq"].type == "mcq"
    assert str(catalog.locations[("question_bank", "sigmoid-output-mcq")]).startswith(
        "question_bank/bank.yaml:"
    )
    (bank / "again.yaml").write_text(
        (bank / "bank.yaml").read_text(encoding="utf-8"), encoding="utf-8"
    )
    with pytest.raises(CatalogError) as caught:
        load_catalog()
    assert any(
        "duplicate question_bank id 'sigmoid-output-mcq'" in p for p in caught.value.problems
    )


def test_a_changed_bank_file_is_read_again_not_answered_from_the_cache(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    bank = tmp_path / "question_bank"
    shutil.copytree(BANKS / "good", bank)
    monkeypatch.setattr(catalog_module, "QUESTION_BANK_DIR", bank)
    monkeypatch.setenv("MLPIVOT_CACHE_DIR", str(tmp_path / "cache"))
    assert load_catalog().question_bank["sigmoid-output-mcq"].difficulty == 1
    assert any((tmp_path / "cache").rglob("*.pickle"))  # the first load was cached
    text = (bank / "bank.yaml").read_text(encoding="utf-8")
    (bank / "bank.yaml").write_text(text.replace("difficulty: 1", "difficulty: 3", 1), "utf-8")
    assert load_catalog().question_bank["sigmoid-output-mcq"].difficulty == 3
