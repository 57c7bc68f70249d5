"""Grade a free-text answer against a reference answer and its rubric points, offline on the CPU.

Why this shape: a grader that only counts shared words rewards an answer that names every
rubric term without saying anything (keyword stuffing) and one that states a key fact the wrong
way round (negation) as much as a correct answer. So each rubric point is matched sentence by
sentence (the words of a point must meet in one place of the answer, not be scattered over it),
a matched sentence whose polarity disagrees with the point (a negation cue or an antonym) flips
that point to wrong, and an answer with too little sentence structure (few function words,
comma lists of bare terms) is capped low. When the question sets two terms side by side
("ETL and ELT"), an answer clause that says of one what the reference says only of the other
counts as wrong too (swapped definitions are the commonest way to state a fact the wrong way
round without a "not"). Partial credit comes from how much of each point a
sentence carries. Word forms are folded by a small suffix stemmer so "regularises" meets
"regularisation". Everything is pure and deterministic: no I/O, no clock, no network.
"""

from __future__ import annotations

import math
import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from functools import lru_cache

__all__ = ["Grade", "grade_answer"]


@dataclass(frozen=True)
class Grade:
    """The score and feedback for one free-text answer (CONTRACTS.md)."""

    score: float
    score_5: float
    covered: list[str] = field(default_factory=list)
    missed: list[str] = field(default_factory=list)
    feedback: str = ""


# Function words: their share of an answer tells prose from a list of terms.
_STOPWORD_TEXT = """a about above after again against all also am an and any are as at be
    because been
    before being below between both but by can could did do does doing down during each few for
    from further had has have having he her here hers him his how i if in into is it its itself
    just me more most my no nor not of off on once only or other our ours out over own same she
    should so some such than that the their theirs them then there these they this those through
    to too under until up very was we were what when where which while who whom why will with
    would you your yours one ones get gets got make makes made use uses used using like way
    much many may might must shall well even still yet thing things something really quite
    whether either neither instead rather per via without within upon since though although
    let lets every each its it's don't doesn't isn't aren't can't won't"""
STOPWORDS = frozenset(_STOPWORD_TEXT.split())

_NEGATION_TEXT = """not non no never none nor neither without cannot cant nothing nobody
    nowhere hardly
    barely isnt arent wasnt werent dont doesnt didnt wont wouldnt shouldnt couldnt cant
    aint hasnt havent hadnt"""
NEGATIONS = frozenset(_NEGATION_TEXT.split())

# General English antonym pairs: a sentence that says the opposite word of a point's word.
_ANTONYM_PAIRS = [
    ("increase", "decrease"),
    ("increas", "reduc"),
    ("rais", "lower"),
    ("higher", "lower"),
    ("high", "low"),
    ("more", "less"),
    ("more", "fewer"),
    ("larger", "smaller"),
    ("large", "small"),
    ("bigger", "smaller"),
    ("parallel", "sequenti"),
    ("true", "fals"),
    ("before", "after"),
    ("sparse", "dens"),
    ("alway", "never"),
    ("underfit", "overfit"),
    ("simpl", "complex"),
    ("fast", "slow"),
    ("faster", "slower"),
    ("add", "remov"),
    ("includ", "exclud"),
    ("correct", "incorrect"),
    ("posit", "negat"),
    ("independ", "depend"),
    ("maxim", "minim"),
    ("better", "wors"),
    ("stabl", "unstabl"),
    ("same", "differ"),
    ("determinist", "nondeterminist"),
    ("determinist", "random"),
    ("overestim", "underestim"),
    ("shrink", "grow"),
]
ANTONYMS: dict[str, set[str]] = {}

# Tuned on the dev set's tuning questions only (bench/grading.py).
CREDIT_FLOOR = 0.1
CREDIT_SPAN = 0.35
STRUCTURE_FLOOR = 0.5
STRUCTURE_SPAN = 0.3
FLIP_MIN_MATCH = 0.35
FLIP_PENALTY_EACH = 0.2
FLIP_PENALTY_ANY = 0.15
SWAP_MIN_WORDS = 1
"""Words that only the other term's sentences of the reference use, before a clause of the
answer counts as saying of one term what the reference says of the other."""
SOFT_MIN = 0.7
SOFT_WEIGHT = 0.5

_WORD = re.compile(r"[a-z0-9]+(?:['’][a-z]+)?")
_SENTENCE = re.compile(r"(?<=[.!?;:])\s+|\n+")

_SUFFIXES = (
    "isations",
    "izations",
    "isation",
    "ization",
    "ational",
    "fulness",
    "iveness",
    "ments",
    "ities",
    "ising",
    "izing",
    "ative",
    "ously",
    "ement",
    "ness",
    "ment",
    "ings",
    "ised",
    "ized",
    "ises",
    "izes",
    "ions",
    "able",
    "ible",
    "ally",
    "ical",
    "ity",
    "ing",
    "ion",
    "ies",
    "ise",
    "ize",
    "ive",
    "ous",
    "ful",
    "ers",
    "ed",
    "es",
    "er",
    "ly",
    "al",
    "ic",
    "s",
    "e",
    "y",
)


@lru_cache(maxsize=65536)
def stem(word: str) -> str:
    """Fold a word to a crude stem so inflections and British/US spellings meet."""
    word = word.replace("’", "'").split("'")[0]
    if len(word) <= 3 or word.isdigit():
        return word
    for suffix in _SUFFIXES:
        if word.endswith(suffix) and len(word) - len(suffix) >= 3:
            word = word[: -len(suffix)]
            break
    if len(word) > 4 and word[-1] == word[-2] and word[-1] not in "ls":
        word = word[:-1]
    return word


def _antonyms() -> None:
    """Each pair under its written form and under its stem ("same" stems to "sam"), so a pair
    is found whichever form the stemmer leaves."""
    for a, b in _ANTONYM_PAIRS:
        left, right = {a, stem(a)}, {b, stem(b)}
        for x in left:
            ANTONYMS.setdefault(x, set()).update(right)
        for x in right:
            ANTONYMS.setdefault(x, set()).update(left)


_antonyms()


def _words(text: str) -> list[str]:
    return _WORD.findall(text.lower())


def _sentences(text: str) -> list[str]:
    return [s for s in (p.strip() for p in _SENTENCE.split(text)) if s]


def _content(words: list[str]) -> list[str]:
    return [stem(w) for w in words if w not in STOPWORDS and w not in NEGATIONS]


def _negated(words: list[str]) -> int:
    count = 0
    for w in words:
        plain = w.replace("’", "'").replace("'", "")
        if plain in NEGATIONS or w.endswith(("n't", "n’t")):
            count += 1
    return count


@dataclass(frozen=True)
class _Unit:
    """One place in the answer: a sentence, or two neighbouring sentences.

    `negated` holds the stems that a negation cue governs (a cue up to NEGATION_WINDOW content
    words before them in the same clause), so "L1 does not produce sparse weights" negates
    "sparse" and "weight" but a "not" in another clause leaves them alone.
    """

    stems: frozenset[str]
    prefixes: frozenset[str]
    negated: frozenset[str]
    deletes: frozenset[str]
    every: frozenset[str] = frozenset()
    """the stems of every word, function words too: "the same" is the antonym of "different"
    though "same" is too common to count as content"""


def _deletes(word: str) -> set[str]:
    """Every form of a word with one letter dropped: two words within one edit share one."""
    return {word[:i] + word[i + 1 :] for i in range(len(word))}


NEGATION_WINDOW = 4
"""Content words a negation cue reaches (small words do not count: "no need to check it against
human grades" denies "human" as much as "check"). Tuned on the dev set's tuning questions."""
_RELATIVE = frozenset({"that", "which", "who", "whom", "whose", "where"})
_CLAUSE_BREAK = frozenset({"but", "while", "whereas", "although", "though", "however", "so"})


def _negated_stems(words: list[str]) -> set[str]:
    out: set[str] = set()
    since = NEGATION_WINDOW + 1
    for i, w in enumerate(words):
        plain = w.replace("’", "'").replace("'", "")
        if plain in NEGATIONS or w.endswith(("n't", "n’t")):
            # A cue inside a relative clause ("rows that a tree never saw") describes a noun;
            # it does not deny the sentence's statement.
            if not _RELATIVE.intersection(words[max(0, i - 3) : i]):
                since = 0
            continue
        if w in _CLAUSE_BREAK:
            since = NEGATION_WINDOW + 1
            continue
        if w in STOPWORDS:
            continue
        since += 1
        if since <= NEGATION_WINDOW:
            out.add(stem(w))
    return out


def _clause_words(sentence: str) -> list[str]:
    # Commas end a negation's reach; keep them as break tokens.
    return _words(sentence.replace(",", " so "))


def _units(answer: str) -> list[_Unit]:
    sentences = _sentences(answer)
    units: list[_Unit] = []
    for i in range(len(sentences)):
        for span in (sentences[i : i + 1], sentences[i : i + 2]):
            words = [w for s in span for w in _words(s)]
            negated = {x for s in span for x in _negated_stems(_clause_words(s))}
            stems = frozenset(_content(words))
            units.append(
                _Unit(
                    stems=stems,
                    prefixes=frozenset(s[:4] for s in stems if len(s) >= 5),
                    negated=frozenset(negated),
                    deletes=frozenset(d for x in stems if len(x) >= 5 for d in _deletes(x)),
                    every=frozenset(stem(w) for w in words if w not in NEGATIONS),
                )
            )
            if i + 1 >= len(sentences):
                break
    return units


def _misspelt(word: str, unit: _Unit) -> bool:
    """Whether the unit holds the word with one letter added, dropped or changed (a typo)."""
    if word in unit.deletes:
        return True
    return any(d in unit.stems or d in unit.deletes for d in _deletes(word))


Related = dict[str, dict[str, float]]


def _relatedness(point_stems: set[str], answer_stems: set[str]) -> Related:
    """For each rubric stem, the answer stems near it in the trained vectors, scaled to (0, 1].

    One matrix product per answer; only pairs at or above SOFT_MIN are kept.
    """
    from mlpivot.catalog.vectors import grading_vectors  # numpy only once vectors are needed

    index, vectors = grading_vectors()
    ps = sorted(w for w in point_stems if w in index)
    ans = sorted(w for w in answer_stems if w in index)
    if not ps or not ans:
        return {}
    sims = vectors[[index[w] for w in ps]] @ vectors[[index[w] for w in ans]].T
    out: Related = {}
    for i, j in zip(*(sims >= SOFT_MIN).nonzero(), strict=True):
        scaled = (float(sims[i, j]) - SOFT_MIN) / (1.0 - SOFT_MIN)
        out.setdefault(ps[i], {})[ans[j]] = scaled
    return out


def _related(word: str, unit: _Unit, related: Related) -> float:
    near = related.get(word)
    if not near:
        return 0.0
    return max((near.get(x, 0.0) for x in unit.stems), default=0.0)


def _match(point: list[str], weights: dict[str, float], unit: _Unit, related: Related) -> float:
    total = sum(weights[s] for s in point)
    if total == 0:
        return 0.0
    got = 0.0
    for s in point:
        if s in unit.stems:
            got += weights[s]
        elif len(s) >= 5 and _misspelt(s, unit):
            got += 0.8 * weights[s]
        elif len(s) >= 5 and s[:4] in unit.prefixes:
            got += 0.5 * weights[s]
        else:
            got += SOFT_WEIGHT * _related(s, unit, related) * weights[s]
    return got / total


def _flipped(point_text: str, point_stems: list[str], unit: _Unit) -> bool:
    """Whether the answer's matching place says the point the other way round.

    A key stem of the point that the answer negates while the point does not (or the other
    way round), or an antonym of a point stem standing where the stem itself is absent.
    """
    point_negated = _negated_stems(_clause_words(point_text))
    for s in point_stems:
        if s in unit.stems and ((s in unit.negated) != (s in point_negated)):
            return True
    point_every = {stem(w) for w in _words(point_text) if w not in NEGATIONS}
    for s in point_every:
        if s in unit.every or any(_holds(k, unit.every) for k in _family(s)):
            continue  # the answer says the point's own word (maybe beside its opposite)
        for a in _opposites(s):
            if _holds(a, unit.every) and not _holds(a, point_every):
                return True
    return False


def _holds(form: str, stems: frozenset[str] | set[str]) -> bool:
    """A word form among stems: exactly when short, as a prefix when long enough to be safe
    ("differ" finds "different" and "difference"; "sam" must not find "sample")."""
    return form in stems or (len(form) >= 5 and any(x.startswith(form) for x in stems))


@lru_cache(maxsize=16384)
def _family(word_stem: str) -> frozenset[str]:
    """The antonym-list forms a stem belongs to ("maximum" belongs to "maxim")."""
    return frozenset(
        key for key in ANTONYMS if key == word_stem or (len(key) >= 5 and word_stem.startswith(key))
    )


@lru_cache(maxsize=16384)
def _opposites(word_stem: str) -> frozenset[str]:
    return frozenset(a for key in _family(word_stem) for a in ANTONYMS[key])


def _structure(answer: str) -> float:
    """How much the answer reads as statements (1) rather than a list of terms (0)."""
    words = _words(answer)
    if not words:
        return 0.0
    function_share = sum(1 for w in words if w in STOPWORDS or w in NEGATIONS) / len(words)
    segments = [seg for seg in re.split(r"[,;:/\n]|\band\b", answer.lower()) if seg.strip()]
    short_segments = sum(1 for seg in segments if len(_words(seg)) <= 3)
    list_share = short_segments / len(segments) if segments else 0.0
    prose = min(1.0, max(0.0, (function_share - 0.12) / 0.18))
    return prose * (1.0 - 0.6 * max(0.0, list_share - 0.3) / 0.7)


def _weights(points: list[list[str]], question: list[str]) -> dict[str, float]:
    """Rare-in-the-rubric stems weigh more; stems the question already gives weigh less."""
    df: dict[str, int] = {}
    for p in points:
        for s in set(p):
            df[s] = df.get(s, 0) + 1
    asked = set(question)
    n = len(points)
    return {
        s: (1.0 + math.log((1 + n) / (1 + d))) * (0.5 if s in asked else 1.0) for s, d in df.items()
    }


def _credit(match: float) -> float:
    """Map a point's match share to credit: a thin mention earns little, most words earn all."""
    return min(1.0, max(0.0, (match - CREDIT_FLOOR) / CREDIT_SPAN))


_CLAUSE = re.compile(r";\s+|,\s+(?=(?:and|but|which|so|while|whereas|because)\b)|\s+(?=because\b)")
MIN_POINT_STEMS = 3


def _reference_points(reference: str) -> list[str]:
    """Without a rubric, the reference's clauses are the points, so partial answers earn part.

    A clause too short to stand alone (fewer than MIN_POINT_STEMS content words) joins the one
    before it.
    """
    points: list[str] = []
    for sentence in _sentences(reference):
        for clause in _CLAUSE.split(sentence):
            clause = clause.strip(" ,;")
            if not clause:
                continue
            short = min(
                len(_content(_words(clause))),
                len(_content(_words(points[-1] if points else clause))),
            )
            if points and short < MIN_POINT_STEMS:
                points[-1] = points[-1] + ", " + clause
            else:
                points.append(clause)
    return points


def grade_answer(
    question: str, reference: str, answer: str, rubric: list[str] | None = None
) -> Grade:
    """Score `answer` in [0, 1] against the rubric points (or the reference's sentences)."""
    points_text = [p.strip() for p in (rubric or []) if p.strip()] or _reference_points(reference)
    if not points_text:
        points_text = [question]
    if not answer.strip() or not _words(answer):
        return Grade(0.0, 0.0, [], list(points_text), "No answer given.")

    point_words = [_words(p) for p in points_text]
    point_stems = [_content(w) for w in point_words]
    question_stems = _content(_words(question))
    weights = _weights(point_stems, question_stems)
    units = _units(answer)
    related = _relatedness({x for p in point_stems for x in p}, {x for u in units for x in u.stems})

    credits: list[float] = []
    flips: list[bool] = []
    for text, stems in zip(points_text, point_stems, strict=True):
        # The best place that states the point as the reference does, against the best place
        # that states it the other way round: a point is wrong only when the wrong statement
        # is the clearer one, so adding a correct sentence never turns a point wrong.
        as_stated, reversed_ = 0.0, 0.0
        for unit in units:
            m = _match(stems, weights, unit, related)
            if m >= FLIP_MIN_MATCH and _flipped(text, stems, unit):
                reversed_ = max(reversed_, m)
            else:
                as_stated = max(as_stated, m)
        flipped = reversed_ > as_stated
        flips.append(flipped)
        credits.append(0.0 if flipped else _credit(as_stated))

    swapped = _swaps(question, reference, answer)
    n = len(points_text)
    coverage = sum(credits) / n
    wrong_count = sum(flips) + len(swapped)
    penalty = FLIP_PENALTY_EACH * wrong_count / n + (FLIP_PENALTY_ANY if wrong_count else 0.0)
    structure = _structure(answer)
    raw = max(0.0, coverage - penalty)
    cap = 0.1 + 0.9 * min(1.0, max(0.0, (structure - STRUCTURE_FLOOR) / STRUCTURE_SPAN))
    score = round(min(raw, cap), 4)

    covered = [p for p, c in zip(points_text, credits, strict=True) if c >= 0.5]
    missed = [p for p, c in zip(points_text, credits, strict=True) if c < 0.5]
    wrong = [p for p, f in zip(points_text, flips, strict=True) if f]
    feedback = _feedback(score, covered, missed, wrong, structure, swapped)
    return Grade(score, 5 * score, covered, missed, feedback)


_SWAP_CLAUSE = re.compile(r"[.;:!?]\s+|,?\s+(?=(?:while|whereas|but|and then)\b)|,\s+and\s+")


def _swap_clauses(text: str) -> list[str]:
    return [c.strip() for c in _SWAP_CLAUSE.split(text) if c and c.strip()]


_PAIRED = re.compile(
    r"((?:[a-z0-9]+\s+){0,2})([a-z0-9]+)(?:\s+(?:and|or|vs|versus)\s+|-)((?:[a-z0-9]+[\s,?.]*){1,4})"
)


def _contrasted(question: str) -> set[str]:
    """Stems of the terms a question sets side by side: "shadow and canary", "ETL vs ELT",
    "bias-variance", "maximum likelihood and maximum a posteriori" (the first word on the
    right that the left side does not share)."""
    found: set[str] = set()
    for before, left, right in _PAIRED.findall(question.lower() + " "):
        if left in STOPWORDS:
            continue
        shared = {stem(w) for w in _words(before)} | {stem(left)}
        after = [
            stem(w)
            for w in _words(right)
            if w not in STOPWORDS and w not in NEGATIONS and stem(w) not in shared
        ]
        if after:
            found.update((stem(left), after[0]))
    return found


_RELATIONAL = frozenset(
    [
        "before",
        "after",
        "first",
        "more",
        "most",
        "less",
        "fewer",
        "same",
        "above",
        "below",
        "over",
        "under",
        "only",
        "instead",
    ]
)


def _swap_words(text: str) -> set[str]:
    """Content stems plus the small words that carry an order or a comparison ("before",
    "more", "same"): in a contrast they are often the very point."""
    return {
        stem(w)
        for w in _words(text)
        if w not in NEGATIONS and (w not in STOPWORDS or w in _RELATIONAL)
    }


def _swaps(question: str, reference: str, answer: str) -> list[str]:
    """Reference statements the answer makes about the wrong term ("ELT transforms before
    loading"): the terms the question sets side by side are the contrasted ones; an answer
    clause about one term that uses words only the other term's
    statements use, and none of its own term's, has the terms the wrong way round."""
    asked = _contrasted(question)
    if len(asked) < 2:
        return []
    ref = [(c, _swap_words(c)) for c in _swap_clauses(reference)]
    terms_of = [stems & asked for _, stems in ref]
    single = [
        (c, next(iter(t)), stems - asked)
        for (c, stems), t in zip(ref, terms_of, strict=True)
        if len(t) == 1
    ]
    terms = {t for _, t, _ in single}
    if len(terms) < 2:
        return []
    said: dict[str, set[str]] = {}
    for _, term, words in single:
        said.setdefault(term, set()).update(words)
    only = {
        t: words - set().union(*(w for o, w in said.items() if o != t)) for t, words in said.items()
    }
    found: list[str] = []
    for clause in _swap_clauses(answer):
        stems = _swap_words(clause)
        about = stems & terms
        if len(about) != 1 or _negated(_words(clause)):
            continue
        (term,) = about
        own = len(stems & only[term])
        for other in terms - {term}:
            theirs = stems & only[other]
            if len(theirs) >= SWAP_MIN_WORDS and not own:
                found.extend(c for c, t, w in single if t == other and w & theirs)
    return list(dict.fromkeys(found))


def _feedback(
    score: float,
    covered: list[str],
    missed: list[str],
    wrong: list[str],
    structure: float,
    swapped: Sequence[str] = (),
) -> str:
    parts = [f"Score {5 * score:.1f} of 5."]
    if covered:
        parts.append("Covered: " + "; ".join(covered) + ".")
    if wrong:
        parts.append(
            "Check these, your answer seems to state the opposite: " + "; ".join(wrong) + "."
        )
    if swapped:
        parts.append(
            "Check which term each statement is about; the reference says: "
            + "; ".join(swapped)
            + "."
        )
    rest = [m for m in missed if m not in wrong]
    if rest:
        parts.append("Missing: " + "; ".join(rest) + ".")
    if structure < 0.5:
        parts.append("Say how the terms relate in full sentences rather than listing them.")
    return " ".join(parts)
