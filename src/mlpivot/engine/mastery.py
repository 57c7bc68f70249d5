"""How well a person knows a skill, from their quiz answers: a level with its reasons.

Two signals, multiplied: how often the skill's questions were answered right (with one right
and one wrong answer assumed up front, so two lucky answers are not "strong"), and how likely
the person is to recall those answers today by FSRS (the mean retrievability of the skill's
answered cards, counting a card whose last answer was wrong as not recalled). Both only grow
with a right answer given now, so more correct reviews never lower mastery (pinned by a
property test). The level thresholds also ask for a
minimum number of answers: a level is a claim, and a claim needs evidence.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime

from mlpivot.catalog.models import LEVEL_NAMES
from mlpivot.engine.review import Card, Review, retrievability

LEVEL_RULES = ((3, 0.8, 8), (2, 0.6, 4), (1, 0.3, 1))
"""(level, lowest score, fewest answers), tried from the top."""


@dataclass(frozen=True)
class Mastery:
    skill_id: str
    level: int
    score: float
    """accuracy (smoothed) x recall, in [0, 1]"""
    answers: int
    correct: int
    recall: float
    """mean FSRS retrievability of the skill's answered cards at the time asked"""

    def describe(self, skill_name: str) -> str:
        return (
            f"{skill_name}: {LEVEL_NAMES[self.level]} level, from {self.answers} "
            f"answer{'s' if self.answers != 1 else ''}, {self.recall:.0%} likely recalled today"
        )


def _level(score: float, answers: int) -> int:
    for level, lowest, fewest in LEVEL_RULES:
        if score >= lowest and answers >= fewest:
            return level
    return 0


def skill_mastery(
    cards: Mapping[str, Card],
    reviews: Iterable[Review],
    skills_of: Mapping[str, Sequence[str]],
    now: datetime,
) -> dict[str, Mastery]:
    """Mastery per skill that has at least one answered question among `skills_of`."""
    answers: dict[str, list[bool]] = {}
    last_right: dict[str, bool] = {}
    for review in sorted(reviews, key=lambda r: r.answered_at):
        if review.answered_at > now:
            continue
        last_right[review.question_id] = review.correct
        for skill in skills_of.get(review.question_id, ()):
            answers.setdefault(skill, []).append(review.correct)
    recalls: dict[str, list[float]] = {}
    for qid, card in cards.items():
        if card.reviews == 0 or qid not in last_right:
            continue
        # A card just failed is not "recalled", however recently it was seen.
        recall = retrievability(card, now) if last_right[qid] else 0.0
        for skill in skills_of.get(qid, ()):
            recalls.setdefault(skill, []).append(recall)
    found: dict[str, Mastery] = {}
    for skill, marks in answers.items():
        right = sum(marks)
        accuracy = (right + 1) / (len(marks) + 2)
        got = recalls.get(skill, [])
        recall = sum(got) / len(got) if got else 0.0
        score = accuracy * recall
        found[skill] = Mastery(skill, _level(score, len(marks)), score, len(marks), right, recall)
    return found
