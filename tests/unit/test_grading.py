"""grade_answer: the behaviours a person relies on, in words (not the dev set's strings)."""

from __future__ import annotations

import json
from dataclasses import asdict

from hypothesis import given, settings
from hypothesis import strategies as st

from mlpivot import grade_answer

QUESTION = "What does a random forest do, and why does it usually beat a single decision tree?"
REFERENCE = (
    "A random forest trains many decision trees, each on a bootstrap sample of the rows and "
    "with a random subset of features considered at each split. Averaging the votes of many "
    "decorrelated trees reduces variance, so the forest overfits less than one deep tree. "
    "Out-of-bag rows give a free validation estimate."
)
RUBRIC = [
    "many trees trained on bootstrap samples of the rows",
    "a random subset of features is considered at each split",
    "averaging decorrelated trees reduces variance and overfitting",
    "out-of-bag rows give a validation estimate",
]
# One sentence per rubric point, stated in words a learner might use.
STATEMENTS = [
    "It builds lots of trees, and each tree is trained on its own bootstrap sample of the rows.",
    "When a tree splits a node it only considers a random subset of the features.",
    "Averaging the predictions of these decorrelated trees reduces variance, "
    "so the forest overfits much less than a single deep tree.",
    "The out-of-bag rows that a tree never saw give you a validation estimate for free.",
]


def grade(answer: str, rubric: list[str] | None = RUBRIC) -> float:
    return grade_answer(QUESTION, REFERENCE, answer, rubric).score


def test_a_paraphrase_of_the_reference_scores_high() -> None:
    result = grade_answer(QUESTION, REFERENCE, " ".join(STATEMENTS), RUBRIC)
    assert result.score >= 0.7
    assert len(result.covered) >= 3
    assert set(result.covered) | set(result.missed) == set(RUBRIC)


def test_an_unrelated_answer_scores_low() -> None:
    answer = (
        "I would containerise the service with Docker, put it behind a load balancer and "
        "watch the latency dashboards during the rollout."
    )
    assert grade(answer) <= 0.15


def test_a_negated_key_fact_scores_lower_than_the_same_sentence_unnegated() -> None:
    positive = (
        "Averaging many decorrelated trees reduces variance, so the forest overfits less "
        "than one deep tree."
    )
    negated = (
        "Averaging many decorrelated trees does not reduce variance, so the forest does not "
        "overfit less than one deep tree."
    )
    assert grade(negated) < grade(positive)
    result = grade_answer(QUESTION, REFERENCE, negated, RUBRIC)
    assert RUBRIC[2] not in result.covered


def test_an_antonym_flips_a_point_like_a_negation() -> None:
    right = "Averaging the trees reduces variance compared with one deep tree."
    flipped = "Averaging the trees increases variance compared with one deep tree."
    assert grade(flipped) < grade(right)


def test_stuffing_the_rubric_keywords_without_statements_scores_low() -> None:
    stuffed = (
        "Random forest: trees, bootstrap samples, rows, random subset, features, split, "
        "averaging, decorrelated, variance, overfitting, out-of-bag, validation estimate."
    )
    assert grade(stuffed) <= 0.2
    assert grade(stuffed) < grade(" ".join(STATEMENTS)) - 0.4


@settings(max_examples=60, deadline=None)
@given(st.sets(st.integers(0, 3)), st.integers(0, 3))
def test_covering_more_rubric_points_never_lowers_the_score(chosen: set[int], extra: int) -> None:
    fewer = sorted(chosen)
    more = sorted(chosen | {extra})
    low = grade(" ".join(STATEMENTS[i] for i in fewer))
    high = grade(" ".join(STATEMENTS[i] for i in more))
    assert high >= low


def test_an_empty_answer_scores_zero_and_misses_every_point() -> None:
    for answer in ("", "   \n\t", "...?!"):
        result = grade_answer(QUESTION, REFERENCE, answer, RUBRIC)
        assert result.score == 0.0
        assert result.score_5 == 0.0
        assert result.covered == []
        assert result.missed == RUBRIC


@settings(max_examples=40, deadline=None)
@given(st.text(max_size=300))
def test_score_is_in_range_and_score_5_is_five_times_score(answer: str) -> None:
    result = grade_answer(QUESTION, REFERENCE, answer, RUBRIC)
    assert 0.0 <= result.score <= 1.0
    assert result.score_5 == 5 * result.score


def test_without_a_rubric_the_reference_clauses_are_the_points() -> None:
    result = grade_answer(QUESTION, REFERENCE, " ".join(STATEMENTS), None)
    assert result.score >= 0.5
    points = result.covered + result.missed
    assert len(points) >= 3  # at least one per sentence of the reference
    reference_words = set(REFERENCE.lower().replace(",", " ").replace(".", " ").split())
    for point in points:
        assert set(point.lower().replace(",", " ").replace(".", " ").split()) <= reference_words
    partial = grade_answer(QUESTION, REFERENCE, STATEMENTS[3], None)
    assert 0.0 < partial.score < result.score


def test_feedback_names_missed_points_and_the_grade_serialises() -> None:
    result = grade_answer(QUESTION, REFERENCE, STATEMENTS[0], RUBRIC)
    assert RUBRIC[3] in result.missed
    assert RUBRIC[3] in result.feedback
    assert json.loads(json.dumps(asdict(result)))["score"] == result.score


def test_a_misspelt_statement_keeps_most_of_its_credit() -> None:
    clean = "Averaging the predictions of decorrelated trees reduces variance and overfitting."
    typos = "Averging the predictons of decorelated trees reduces varience and overfiting."
    assert grade(typos) >= 0.6 * grade(clean) > 0


def test_the_committed_word_vectors_load_and_relate_domain_words() -> None:
    import numpy as np

    from mlpivot.catalog.vectors import grading_vectors
    from mlpivot.engine.grading import stem

    index, vectors = grading_vectors()
    assert len(index) > 1000
    norms = np.linalg.norm(vectors, axis=1)
    assert np.allclose(norms[norms > 0], 1.0, atol=1e-2)
    lasso, ridge, docker = (index[stem(w)] for w in ("lasso", "ridge", "docker"))
    assert vectors[lasso] @ vectors[ridge] > vectors[lasso] @ vectors[docker]


def test_a_non_prefix_negates_like_not() -> None:
    rubric = ["the squared error is non-negative", "it punishes large errors more"]
    question = "What can you say about the squared error loss?"
    reference = "The squared error is non-negative and punishes large errors more than small ones."
    kept = "The squared error is never below zero, it is non-negative, and large errors cost more."
    flipped = "The squared error can be negative, and large errors cost more."
    right = grade_answer(question, reference, kept, rubric)
    wrong = grade_answer(question, reference, flipped, rubric)
    assert rubric[0] not in wrong.covered
    assert wrong.score < right.score


QUEUE_Q = "What is the difference between a stack and a queue?"
QUEUE_REF = (
    "A stack hands back the last item pushed first, like a pile of plates. A queue hands "
    "back the oldest item first, like people waiting in line at a counter."
)
QUEUE_RUBRIC = ["stack returns the last item pushed first", "queue returns the oldest item first"]


def test_saying_of_one_term_what_the_reference_says_of_the_other_scores_lower() -> None:
    right = (
        "A stack gives back whatever was pushed last, like plates in a pile, while a queue "
        "gives back the oldest item, like people in line."
    )
    swapped = (
        "A stack gives back the oldest item, like people waiting in line, while a queue gives "
        "back whatever was pushed last, like plates in a pile."
    )
    good = grade_answer(QUEUE_Q, QUEUE_REF, right, QUEUE_RUBRIC)
    bad = grade_answer(QUEUE_Q, QUEUE_REF, swapped, QUEUE_RUBRIC)
    assert bad.score < good.score
    assert "Check which term each statement is about" in bad.feedback
    assert "Check which term" not in good.feedback


def test_the_same_is_the_opposite_of_different_even_as_a_common_word() -> None:
    question = "How do dropout layers behave when training and when predicting?"
    reference = (
        "Dropout behaves differently in training and in prediction: it is off at prediction."
    )
    rubric = ["behaves differently in training and in prediction", "switched off at prediction"]
    right = "Dropout behaves differently in training and prediction; at prediction it is off."
    flipped = "Dropout behaves the same way in training and prediction; at prediction it is off."
    assert (
        grade_answer(question, reference, flipped, rubric).score
        < grade_answer(question, reference, right, rubric).score
    )


def test_a_negation_reaches_past_small_words_to_the_fact_it_denies() -> None:
    question = "How should you trust an LLM judge that grades answers?"
    reference = "Validate the LLM judge against human grades on a sample before relying on it."
    rubric = ["validate the judge against human grades"]
    right = "Before relying on the LLM judge, check it against human grades on a sample."
    denied = "There is no need to check the LLM judge against human grades, it is consistent."
    result = grade_answer(question, reference, denied, rubric)
    assert result.score < grade_answer(question, reference, right, rubric).score
    assert rubric[0] not in result.covered
