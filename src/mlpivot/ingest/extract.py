"""Find skills in free text: where each is named, which catalog skill it is, how sure we are.

Two parts work together. A dictionary matcher (Aho-Corasick over the catalog's names and
aliases, on normalised tokens) finds the skills we know and links them to a skill id; short or
everyday-word aliases ("R", "Go", "Spark", "Excel") are only accepted when `CONTEXT_RULES`
says the neighbourhood supports them. A CRF trained on the SkillSpan tech and house train
splits (`scripts/train_extractor.py`) finds skill-like spans the dictionary cannot; those carry
no skill id unless their text is a catalog alias, and `tidy_span` cuts the frame a tagger takes
in around them (brackets, "strong", "experience with", "preferred"). The CRF model and its
vocabulary are loaded on first use.
"""

from __future__ import annotations

import hashlib
import io
import re
import threading
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING, Literal

import ahocorasick

from mlpivot.catalog.models import Category

if TYPE_CHECKING:
    from mlpivot.catalog import Catalog

SpanType = Literal["skill", "knowledge"]

MODEL_DIR = Path(__file__).resolve().parent / "models"
CRF_MODEL = MODEL_DIR / "skill_crf.crfsuite"
VOCABULARY = MODEL_DIR / "vocabulary.tsv"
WORD_CLUSTERS = MODEL_DIR / "word_clusters.tsv"

# Categories whose skills are abilities (SkillSpan "skill"); every other category names tools,
# technologies or bodies of knowledge (SkillSpan "knowledge").
_ABILITY_CATEGORIES = frozenset({Category.COMMUNICATION, Category.PRODUCT})


@dataclass(frozen=True)
class SkillMention:
    """A place in a text where a skill is named; `text == source[start:end]`."""

    start: int
    end: int
    text: str
    skill_id: str | None
    span_type: SpanType
    confidence: float
    source: Literal["dictionary", "model"] = "dictionary"


# ---------------------------------------------------------------------------------------------
# Tokens

_TOKEN = re.compile(r"[^\W_]+(?:[.'’][^\W_]+)*(?:\+\+|#)?|\S")
_HYPHENS = frozenset({"-", "‐", "‑", "–", "_"})


def tokenize(text: str) -> list[tuple[int, int]]:
    """Character spans of the tokens: words (keeping C++, C#, node.js, k8s whole) and symbols."""
    return [m.span() for m in _TOKEN.finditer(text)]


def normalise(token: str) -> str:
    """Lower case with a light plural fold, applied alike to aliases and text ("LLMs" -> "llm")."""
    t = token.casefold()
    if len(token) > 2 and token[-1] == "s" and token[:-1].isupper() and token[:-1].isalpha():
        return t[:-1]  # an acronym's plural: "DBs", "PRs", "VMs"
    if len(t) > 4 and t.endswith("ies"):
        return t[:-3] + "y"
    if len(t) > 3 and t[-1] == "s" and t[-2].isalpha() and not t.endswith(("ss", "us", "is")):
        return t[:-1]
    return t


def normalise_phrase(phrase: str) -> str:
    """The key a phrase is matched by: its normalised tokens, hyphens read as spaces."""
    return " ".join(
        normalise(phrase[a:b]) for a, b in tokenize(phrase) if phrase[a:b] not in _HYPHENS
    )


class PhraseIndex:
    """Longest-match phrase lookup over token sequences, backed by an Aho-Corasick automaton.

    Phrases match whole tokens only (so "r" never matches inside "react"), hyphens count as
    spaces ("scikit-learn" = "scikit learn") and plurals fold ("ML pipelines" = "ML pipeline").
    """

    def __init__(self, phrases: Iterable[tuple[str, str]]) -> None:
        self._automaton = ahocorasick.Automaton()
        keys: dict[str, set[str]] = {}
        for phrase, value in phrases:
            key = normalise_phrase(phrase)
            if key:
                keys.setdefault(key, set()).add(value)
        for key, values in keys.items():
            self._automaton.add_word(f" {key} ", (key, tuple(sorted(values))))
        self.size = len(keys)
        if keys:
            self._automaton.make_automaton()

    def find(
        self, text: str, tokens: Sequence[tuple[int, int]], *, longest: bool = True
    ) -> list[tuple[int, int, str, tuple[str, ...]]]:
        """(first token, last token + 1, key, values) for each match; non-overlapping if longest."""
        if not self.size:
            return []
        kept = [i for i, (a, b) in enumerate(tokens) if text[a:b] not in _HYPHENS]
        parts: list[str] = []
        starts: dict[int, int] = {}
        ends: dict[int, int] = {}
        pos = 1
        for i in kept:
            a, b = tokens[i]
            norm = normalise(text[a:b])
            starts[pos] = i
            ends[pos + len(norm)] = i
            parts.append(norm)
            pos += len(norm) + 1
        joined = " " + " ".join(parts) + " "
        found = []
        for end, (key, values) in self._automaton.iter(joined):
            first = end - len(key)
            if first in starts and end in ends:
                found.append((starts[first], ends[end] + 1, key, values))
        if not longest:
            return found
        found.sort(key=lambda m: (m[0], -(m[1] - m[0])))
        chosen: list[tuple[int, int, str, tuple[str, ...]]] = []
        taken = -1
        for match in found:
            if match[0] >= taken:
                chosen.append(match)
                taken = match[1]
        return chosen


# ---------------------------------------------------------------------------------------------
# Context rules for aliases that are also everyday words, names or single letters


@dataclass(frozen=True)
class ContextRule:
    """When an alias that is also an everyday word, a name or a single letter counts as a skill.

    Spelling first: the text (or its singular) must be one of `trusted`, which counts on its
    own, or one of `cased`, which needs support. Then blocks, which rule a match out whatever
    supports it: the next/previous word in `blocked_next`/`blocked_prev`; a glued joiner ("R&D",
    "go-to", "Snowflake-shaped"; "-based" and the like are harmless); a capitalised word after it
    with `blocked_before_name` (a surname); a single letter that is a name's initial ("Jane R.");
    with `not_predicate`, a lower-case word in a bare list of adjectives ("small, agile and fun").
    Support for `cased` spellings: one of `cues` within two words, another skill within
    `ANCHOR_WINDOW` words (when `anchored`), or, with `proper_noun`, a capitalised spelling in
    the middle of a sentence, where an everyday word is capitalised only as a name ("Tuned Spark
    jobs", but not "Spark joy" at the start of a line).
    """

    cased: tuple[str, ...]
    cues: frozenset[str] = frozenset()
    blocked_next: frozenset[str] = frozenset()
    blocked_prev: frozenset[str] = frozenset()
    blocked_before_name: bool = False
    trusted: tuple[str, ...] = ()
    proper_noun: bool = False
    anchored: bool = True
    not_predicate: bool = False


ANCHOR_WINDOW = 4
_LANGUAGE_CUES = frozenset({"language", "languages", "programming", "developer", "developers"})
_PUNCT_JOINERS = frozenset({"-", "&", "'", "’", "‐", "‑"})
# "Spark-based", "Excel-powered": a hyphenated compound that still names the tool.
_NEUTRAL_COMPOUNDS = frozenset(
    {"based", "native", "powered", "backed", "compatible", "driven", "centric", "specific"}
)
# Where a word starts a sentence or a list item, capitalisation says nothing about it.
_SENTENCE_OPENERS = frozenset({".", "!", "?", ":", ";", "•", "*", "-", "–", "—", "(", '"', "“"})
# A lower-case word between these is a predicate adjective in a list ("small, agile and fun").
_LIST_BEFORE = frozenset({",", "and", "or", "&", "is", "are", "be", "stay", "very", "highly"})
_LIST_AFTER = frozenset({",", "and", "or", "&", ".", "!", "?", ";", ":", ")", ""})


def _cases(word: str) -> tuple[str, ...]:
    return (word.lower(), word.capitalize(), word.upper())


def _rule(
    cased: Iterable[str],
    cues: Iterable[str] = (),
    *,
    blocked_next: Iterable[str] = (),
    blocked_prev: Iterable[str] = (),
    blocked_before_name: bool = False,
    trusted: Iterable[str] = (),
    proper_noun: bool = False,
    anchored: bool = True,
    not_predicate: bool = False,
) -> ContextRule:
    return ContextRule(
        tuple(cased),
        frozenset(cues) | _LANGUAGE_CUES,
        frozenset(blocked_next),
        frozenset(blocked_prev),
        blocked_before_name,
        tuple(trusted),
        proper_noun,
        anchored,
        not_predicate,
    )


_REST_CUES = {
    "api", "apis", "service", "services", "endpoint", "endpoints", "interface", "interfaces",
    "web", "http", "json", "soap", "graphql", "grpc", "microservice", "microservices",
}  # fmt: skip
# "communication protocol", "API communication": the word names a link between machines.
_MACHINE_TALK_NEXT = {
    "protocol", "protocols", "layer", "layers", "bus", "buses", "stack", "stacks", "link",
    "links", "interface", "interfaces", "module", "modules", "port", "ports", "standard",
    "standards", "middleware", "library", "libraries", "mechanism", "mechanisms",
}  # fmt: skip
_MACHINE_TALK_PREV = {
    "api", "apis", "network", "serial", "wireless", "radio", "satellite", "interprocess",
    "process", "machine", "device", "service", "data", "asynchronous", "synchronous", "async",
    "tcp", "http", "grpc", "message", "messaging", "peer", "ipc", "bluetooth", "optical",
}  # fmt: skip

CONTEXT_RULES: dict[str, ContextRule] = {
    "r": _rule(
        ["R"],
        {"in", "rstudio", "tidyverse", "cran", "shiny", "ggplot2"},
        blocked_next=_PUNCT_JOINERS | {"&d"},
    ),
    "go": _rule(
        ["Go"],
        {"golang", "goroutines", "in"},
        blocked_next=_PUNCT_JOINERS | {"live", "to", "ahead", "back", "beyond", "through", "out"},
    ),
    "c": _rule(
        ["C"],
        {"embedded", "in"},
        blocked_next=_PUNCT_JOINERS | {".", "level", "suite"},
        blocked_prev={"vitamin", "grade", "level", "class", "type", "plan", "series"},
    ),
    "spark": _rule(
        ["Spark"],
        {"apache", "pyspark", "streaming", "databricks", "with", "using", "on", "in"},
        blocked_next={"joy", "interest", "curiosity", "ideas", "conversations"},
        proper_noun=True,
    ),
    "swift": _rule(["Swift"], {"ios", "swiftui", "objective", "xcode"}),
    "excel": _rule(
        ["Excel"],
        {"microsoft", "ms", "spreadsheet", "spreadsheets", "vba", "advanced", "pivot"},
        blocked_next={"at", "in", "as"},
        proper_noun=True,
    ),
    "julia": _rule(["Julia"], blocked_before_name=True),
    "rust": _rule(["Rust"], {"cargo", "tokio"}, proper_noun=True),
    "ray": _rule(
        ["Ray"],
        {"anyscale", "serve", "tune", "rllib", "cluster", "distributed"},
        blocked_before_name=True,
    ),
    "flask": _rule(["Flask"], {"python", "api", "apis", "web"}, proper_noun=True),
    "bash": _rule(["Bash"], {"shell", "scripting", "scripts", "linux"}, proper_noun=True),
    "dash": _rule(["Dash"], {"plotly"}),
    "snowflake": _rule(
        ["Snowflake"],
        {"warehouse", "data", "sql", "dbt", "snowpark", "schema"},
        proper_noun=True,
    ),
    "rest": _rule(
        ["rest", "Rest"],
        _REST_CUES,
        blocked_next={"of", "assured"},
        trusted=["REST"],
        anchored=False,
    ),
    "agile": _rule(_cases("agile"), trusted=_cases("agile"), not_predicate=True),
    "communication": _rule(
        _cases("communication"),
        trusted=_cases("communication"),
        blocked_next=_MACHINE_TALK_NEXT,
        blocked_prev=_MACHINE_TALK_PREV,
    ),
    "mentor": _rule(
        _cases("mentor"),
        trusted=_cases("mentor"),
        blocked_prev={"your", "dedicated", "assigned", "personal", "own"},
    ),
}


def _default_rule(surface: str) -> ContextRule:
    """Single letters and two-letter aliases not in `CONTEXT_RULES`: exact case plus support."""
    return ContextRule((surface,), _LANGUAGE_CUES, frozenset(_PUNCT_JOINERS))


def _is_ambiguous(key: str) -> bool:
    return key in CONTEXT_RULES or len(key) <= 1


# ---------------------------------------------------------------------------------------------
# The dictionary of catalog skills


@dataclass(frozen=True)
class _Dictionary:
    index: PhraseIndex
    span_types: dict[str, SpanType]
    surfaces: dict[str, tuple[str, ...]]
    """ambiguous key -> the spellings the catalog uses for it (for case-sensitive matching)"""


_DICTIONARIES: dict[int, tuple[object, _Dictionary]] = {}


def _dictionary(catalog: Catalog) -> _Dictionary:
    cached = _DICTIONARIES.get(id(catalog))
    if cached is not None and cached[0] is catalog:
        return cached[1]
    from mlpivot.catalog.cache import read_cache, write_cache

    labelled = [
        (label, skill.id, skill.category in _ABILITY_CATEGORIES)
        for skill in catalog.skills.values()
        for label in sorted({skill.name, *skill.aliases, skill.id.replace("-", " ")})
    ]
    # The automaton is built from the skills' labels alone: kept in the cache folder under a
    # key of those labels (and this code), so only a catalog with other labels builds anew.
    key = _automaton_key(repr(labelled).encode())
    name = f"dictionary-{key[:24]}.pickle"
    found = read_cache("dictionary", name, key, _DICTIONARY_CLASSES)
    if isinstance(found, _Dictionary) and isinstance(found.index, PhraseIndex):
        built = found
    else:
        built = _build_dictionary(labelled)
        write_cache("dictionary", name, key, built)
    _DICTIONARIES.clear()
    _DICTIONARIES[id(catalog)] = (catalog, built)
    return built


def _build_dictionary(labelled: list[tuple[str, str, bool]]) -> _Dictionary:
    phrases: list[tuple[str, str]] = []
    surfaces: dict[str, set[str]] = {}
    span_types: dict[str, SpanType] = {}
    for label, skill_id, ability in labelled:
        phrases.append((label, skill_id))
        span_types[skill_id] = "skill" if ability else "knowledge"
        key = normalise_phrase(label)
        if _is_ambiguous(key):
            surfaces.setdefault(key, set()).add(label.strip())
    return _Dictionary(
        PhraseIndex(phrases), span_types, {k: tuple(sorted(v)) for k, v in surfaces.items()}
    )


def _automaton_key(data: bytes) -> str:
    """A cache key for an automaton built from `data` by this code with this automaton library
    (its pickle is the library's own format, so the library's binary is in the key)."""
    from mlpivot.catalog.cache import source_key

    return source_key((data,), (Path(__file__), Path(ahocorasick.__file__ or __file__)))


def _spelled(surface: str, forms: Sequence[str]) -> bool:
    """`surface` is one of `forms`, or is the plural of one ("Mentors")."""
    return surface in forms or (surface[-1:] in "sS" and surface[:-1] in forms)


def _supported(
    rule: ContextRule,
    text: str,
    tokens: Sequence[tuple[int, int]],
    first: int,
    last: int,
    anchors: Sequence[tuple[int, int]],
) -> bool:
    surface = text[tokens[first][0] : tokens[last - 1][1]]
    trusted = _spelled(surface, rule.trusted)
    if not trusted and not _spelled(surface, rule.cased):
        return False

    def word(i: int) -> str:
        return text[tokens[i][0] : tokens[i][1]] if 0 <= i < len(tokens) else ""

    def glued(i: int) -> bool:
        return 0 < i < len(tokens) and tokens[i][0] == tokens[i - 1][1]

    nxt, prev = word(last), word(first - 1)
    if nxt.casefold() in rule.blocked_next or prev.casefold() in rule.blocked_prev:
        return False
    # "R&D", "go-to", "Snowflake-shaped": a joiner glued to the word makes another word.
    if nxt in _PUNCT_JOINERS and glued(last) and word(last + 1) not in _NEUTRAL_COMPOUNDS:
        return False
    if rule.blocked_before_name and nxt[:1].isupper() and nxt.isalpha():
        return False
    # "Jane R. Smith": a capital letter with a dot after a capitalised word is an initial.
    name_before = prev.istitle() and prev.isalpha() and len(prev) > 1
    if len(surface) == 1 and nxt == "." and glued(last) and name_before:
        return False
    near_anchor = rule.anchored and any(
        a_end > first - ANCHOR_WINDOW and a_start < last + ANCHOR_WINDOW
        for a_start, a_end in anchors
        if not (a_start == first and a_end == last)
    )
    if (
        rule.not_predicate
        and surface.islower()
        and prev.casefold() in _LIST_BEFORE
        and nxt.casefold() in _LIST_AFTER
        and not near_anchor
    ):
        return False
    if trusted or near_anchor:
        return True
    nearby = {word(i).casefold() for i in range(first - 2, last + 2) if not first <= i < last}
    if nearby & rule.cues:
        return True
    return (
        rule.proper_noun
        and surface[:1].isupper()
        and not _starts_sentence(text, tokens, first)
        and not (nxt[:1].isupper() and nxt.isalpha())
    )


def _starts_sentence(text: str, tokens: Sequence[tuple[int, int]], first: int) -> bool:
    if first == 0:
        return True
    a, b = tokens[first - 1]
    return text[a:b] in _SENTENCE_OPENERS or "\n" in text[b : tokens[first][0]]


def find_catalog_mentions(
    text: str, catalog: Catalog, tokens: Sequence[tuple[int, int]] | None = None
) -> list[SkillMention]:
    """Catalog skills named in `text`, linked to their ids (the dictionary half of extraction)."""
    tokens = tokenize(text) if tokens is None else tokens
    book = _dictionary(catalog)
    matches = book.index.find(text, tokens)
    anchors = [(f, la) for f, la, key, _ in matches if not _is_ambiguous(key)]
    found: list[SkillMention] = []
    for first, last, key, values in matches:
        ambiguous = _is_ambiguous(key)
        if ambiguous:
            rule = CONTEXT_RULES.get(key) or _default_rule(book.surfaces.get(key, (key,))[0])
            if not _supported(rule, text, tokens, first, last, anchors):
                continue
        start, end = tokens[first][0], tokens[last - 1][1]
        skill_id = values[0]
        found.append(
            SkillMention(
                start,
                end,
                text[start:end],
                skill_id,
                book.span_types[skill_id],
                0.8 if ambiguous else 0.95,
            )
        )
    return found


# ---------------------------------------------------------------------------------------------
# The learned half: a CRF over tokens


@dataclass(frozen=True)
class Vocabulary:
    """What the CRF knows beyond its training sentences: phrases by kind, and action verbs.

    Kinds: K = technology names (O*NET), S = skill labels (ESCO), C = our catalog's skill names
    and aliases (as built in). `verbs` are the words ESCO skill labels open with ("manage",
    "deploy"): a span that starts with one is usually an ability (SkillSpan "skill").
    """

    phrases: PhraseIndex
    verbs: frozenset[str]
    clusters: Mapping[str, tuple[str, ...]]
    """word -> its cluster at each granularity ("32:5", "128:91", "512:300"), from
    `WORD_CLUSTERS`: words used alike in job ads and skill descriptions share a cluster, so the
    CRF can carry what it learned about "Kubernetes" to a word it never saw labelled."""


_DICTIONARY_CLASSES = frozenset(
    {(__name__, "_Dictionary"), (__name__, "PhraseIndex"), ("ahocorasick", "Automaton")}
)
"""What a cached dictionary is made of; the cache's unpickler resolves nothing else."""

_VOCABULARY_CLASSES = frozenset(
    {
        (__name__, "Vocabulary"),
        (__name__, "PhraseIndex"),
        ("ahocorasick", "Automaton"),
    }
)
"""What a cached vocabulary is made of; the cache's unpickler resolves nothing else."""


@lru_cache(maxsize=1)
def load_vocabulary(path: Path = VOCABULARY) -> Vocabulary:
    """The vocabulary, from the user cache folder when it holds one built from these very bytes
    by this very code: building the automaton (some 24k normalised phrases) takes most of a
    second, reading it back a tenth of that. The cache is the catalog's (`catalog.cache`):
    keyed, checksummed, rebuilt when stale or damaged, skipped when the folder is read-only."""
    from mlpivot.catalog.cache import read_cache, write_cache

    beside = path.with_name(WORD_CLUSTERS.name)
    clusters = beside.read_bytes() if beside.is_file() else b""  # a vocabulary of one's own
    data = path.read_bytes()
    key = _automaton_key(data + b"\0clusters\0" + clusters)
    name = f"vocabulary-{hashlib.sha256(str(path.resolve()).encode()).hexdigest()[:20]}.pickle"
    found = read_cache("vocabulary", name, key, _VOCABULARY_CLASSES)
    if isinstance(found, Vocabulary) and isinstance(found.phrases, PhraseIndex):
        return found
    built = _read_vocabulary(data.decode("utf-8"), clusters.decode("utf-8"))
    write_cache("vocabulary", name, key, built)
    return built


def _read_vocabulary(text: str, clusters_text: str) -> Vocabulary:
    rows: list[tuple[str, str]] = []
    verbs: set[str] = set()
    for line in io.StringIO(text, newline=None):
        if line.startswith("#") or "\t" not in line:
            continue
        kind, phrase = line.rstrip("\n").split("\t", 1)
        if kind == "V":
            verbs.add(phrase)
        else:
            rows.append((phrase, kind))
    clusters: dict[str, tuple[str, ...]] = {}
    for line in io.StringIO(clusters_text, newline=None):
        if line.startswith("#") or "\t" not in line:
            continue
        word, ids = line.rstrip("\n").split("\t", 1)
        clusters[word] = tuple(ids.split())
    return Vocabulary(PhraseIndex(rows), frozenset(verbs), clusters)


@lru_cache(maxsize=1 << 16)
def _word_features(word: str) -> tuple[str, ...]:
    """The features of a word on its own (text, affixes, shape): most words recur, so these are
    built once per word."""
    lw = word.casefold()
    return (
        "w=" + lw,
        "s2=" + lw[-2:],
        "s3=" + lw[-3:],
        "s4=" + lw[-4:],
        "p2=" + lw[:2],
        "p3=" + lw[:3],
        "p4=" + lw[:4],
        "sh=" + _shape(word),
    )


@lru_cache(maxsize=1 << 16)
def _shape(word: str) -> str:
    out: list[str] = []
    for ch in word[:8]:
        c = "X" if ch.isupper() else "x" if ch.isalpha() else "d" if ch.isdigit() else ch
        if not out or out[-1] != c:
            out.append(c)
    return "".join(out)


# Words that tell what kind of sentence a token is in: a requirement ("experience", "must"),
# the company or the offer ("benefits", "we", "clients"); every token sees which are present.
_SENTENCE_CUES = (
    "experience", "knowledge", "skills", "understanding", "familiarity", "proficiency",
    "ability", "degree", "benefits", "salary", "offer", "bonus", "holiday", "pension",
    "insurance", "we", "you", "our", "your", "team", "company", "client", "clients", "years",
    "must", "plus", "preferred", "nice",
)  # fmt: skip


def sentence_features(
    text: str, tokens: Sequence[tuple[int, int]], vocabulary: Vocabulary
) -> list[list[str]]:
    """CRF features per token: the word and its neighbours (alone and in pairs), shapes,
    affixes, word classes within two words, vocabulary hits (every match, and the longest
    match's edges), word clusters, and the sentence's cue words and length."""
    words = [text[a:b] for a, b in tokens]
    lows = [w.casefold() for w in words]
    present = set(lows)
    sentence = [f"S={cue}" for cue in _SENTENCE_CUES if cue in present]
    sentence.append(f"len={min(len(words) // 5, 6)}")
    shapes = [_shape(w) for w in words]
    classes = [_WORD_CLASSES.get(w, ()) for w in lows]
    verbs = vocabulary.verbs
    clusters = vocabulary.clusters
    gaz: list[list[str]] = [[] for _ in tokens]
    for first, last, _key, kinds in vocabulary.phrases.find(text, tokens, longest=False):
        for kind in kinds:
            gaz[first].append(f"{kind}B")
            for i in range(first + 1, last):
                gaz[i].append(f"{kind}I")
    edges: list[list[str]] = [[] for _ in tokens]
    for first, last, _key, kinds in vocabulary.phrases.find(text, tokens, longest=True):
        for kind in kinds:
            if last - first == 1:
                edges[first].append(f"{kind}U")
                continue
            edges[first].append(f"{kind}LB")
            edges[last - 1].append(f"{kind}LL")
            for i in range(first + 1, last - 1):
                edges[i].append(f"{kind}LI")
    n = len(words)

    def low(j: int) -> str:
        return lows[j] if 0 <= j < n else ("<s>" if j < 0 else "</s>")

    def shape(j: int) -> str:
        return shapes[j] if 0 <= j < n else ("<s>" if j < 0 else "</s>")

    feats: list[list[str]] = []
    for i, lw in enumerate(lows):
        prev, nxt = low(i - 1), low(i + 1)
        f = [
            *_word_features(words[i]),
            "sh-1=" + shape(i - 1),
            "sh+1=" + shape(i + 1),
            "-1=" + prev,
            "+1=" + nxt,
            "-1|0=" + prev + "|" + lw,
            "0|+1=" + lw + "|" + nxt,
            "-2=" + low(i - 2),
            "+2=" + low(i + 2),
        ]
        if lw in verbs:
            f.append("verb")
        if i and prev in verbs:
            f.append("verb-1")
        if i > 1 and lows[i - 2] in verbs:
            f.append("verb-2")
        if i == 0:
            f.append("BOS")
        if i == n - 1:
            f.append("EOS")
        f.extend(sentence)
        f.extend("g=" + g for g in gaz[i])
        if i:
            f.extend("g-1=" + g for g in gaz[i - 1])
        if i + 1 < n:
            f.extend("g+1=" + g for g in gaz[i + 1])
        f += [
            "-2|-1=" + low(i - 2) + "|" + prev,
            "+1|+2=" + nxt + "|" + low(i + 2),
            "-1|+1=" + prev + "|" + nxt,
            "sh-2=" + shape(i - 2),
            "sh+2=" + shape(i + 2),
            "sh-1|0|+1=" + shape(i - 1) + "|" + shapes[i] + "|" + shape(i + 1),
        ]
        for off in (-2, -1, 0, 1, 2):
            if 0 <= i + off < n:
                f.extend(f"L{off}={c}" for c in classes[i + off])
        f.extend("gl=" + g for g in edges[i])
        for off in (-1, 0, 1):
            if 0 <= i + off < n:
                f.extend(f"c{off}:{c}" for c in clusters.get(lows[i + off], ()))
        feats.append(f)
    return feats


_THREAD_TAGGERS = threading.local()


def _tagger(path: Path = CRF_MODEL) -> object:
    """This thread's CRF tagger. A pycrfsuite Tagger keeps the last sequence it tagged (for
    `marginal`), so two threads sharing one read each other's sentences: one per thread."""
    taggers: dict[Path, object] = _THREAD_TAGGERS.__dict__.setdefault("by_path", {})
    if path not in taggers:
        import pycrfsuite

        tagger = pycrfsuite.Tagger()
        tagger.open(str(path))
        taggers[path] = tagger
    return taggers[path]


def spans_from_labels(labels: Sequence[str]) -> list[tuple[int, int, str]]:
    """(first, last + 1, type) for each B-/I- run of BIO labels ("B-K", "I-S", ...)."""
    spans: list[tuple[int, int, str]] = []
    start, kind = -1, ""
    for i, label in enumerate([*labels, "O"]):
        inside = label.startswith("I-") and start >= 0 and label[2:] == kind
        if inside:
            continue
        if start >= 0:
            spans.append((start, i, kind))
            start = -1
        if label[:2] in ("B-", "I-"):
            start, kind = i, label[2:]
    return spans


# ---------------------------------------------------------------------------------------------
# Span edges: what a skill span may start and end with

# Words that say how much or how well, never what ("strong", "Nice" of "Nice to have").
_QUALIFIERS = frozenset(
    {
        "strong", "solid", "good", "excellent", "great", "proven", "deep", "extensive", "sound",
        "demonstrated", "demonstrable", "thorough", "outstanding", "exceptional", "very",
        "highly", "fine", "nice", "basic", "decent", "firm", "broad", "expert", "superb",
    }
)  # fmt: skip
# Adjectives that belong to the frame around a skill only when a frame noun follows them
# ("working knowledge of", "hands-on experience with"); elsewhere they can be part of it.
_FRAME_ADJECTIVES = frozenset(
    {
        "working", "hands-on", "practical", "professional", "commercial", "prior", "previous",
        "relevant", "some", "proper", "real-world", "industry", "production", "years",
    }
)  # fmt: skip
# Nouns that frame a skill without being one: "experience with X", "X knowledge".
_FRAME_NOUNS = frozenset(
    {
        "experience", "experiences", "knowledge", "understanding", "familiarity", "proficiency",
        "expertise", "background", "exposure", "competence", "competency", "grasp", "command",
        "ability", "abilities", "capability", "mastery", "fluency", "know-how",
    }
)  # fmt: skip
_FRAME_PREPOSITIONS = frozenset(
    {"of", "in", "with", "on", "using", "around", "across", "for", "about", "within", "at"}
)
# How a posting rates a skill; said after it ("AWS fine", "Go preferred", "Rust a plus").
_VERDICTS = frozenset(
    {
        "fine", "ok", "okay", "preferred", "required", "plus", "desired", "desirable",
        "ideally", "optional", "mandatory", "essential", "nice", "bonus", "welcome",
        "appreciated", "advantageous", "advantage", "helpful", "beneficial", "needed",
        "a", "is", "are", "would", "be", "considered", "an",
    }
)  # fmt: skip
# Glue words that never open or close a skill span.
_GLUE = frozenset(
    {
        "and", "or", "nor", "with", "in", "of", "the", "a", "an", "to", "for", "on", "at", "by",
        "as", "from", "into", "is", "are", "be", "our", "your", "their", "its", "this", "that",
        "these", "those", "such", "etc", "e.g", "i.e", "eg", "ie", "including", "like", "via",
        "using", "also", "both", "either", "any", "all", "other", "others", "similar",
    }
)  # fmt: skip
# Words about the requirement itself; with the classes above, a span of nothing else is no
# skill ("Nice to have", "skills", "Experience required", "must have").
_REQUIREMENT_WORDS = frozenset(
    {
        "have", "has", "having", "must", "should", "need", "needs", "will", "can", "skills",
        "skill", "requirement", "requirements", "qualification", "qualifications", "years",
        "year", "minimum", "least", "plus", "more", "level", "levels", "knowledgeable",
        "experienced", "proficient", "familiar", "competent", "responsibilities", "required",
        "preferred", "bonus", "points", "ideal", "candidate", "you", "we", "tools",
        "technologies", "technology",
    }
)  # fmt: skip
_FILLER = _QUALIFIERS | _FRAME_ADJECTIVES | _FRAME_NOUNS | _VERDICTS | _GLUE | _REQUIREMENT_WORDS

# Word classes the CRF sees within two words of a token: a small lexicon in place of a
# part-of-speech tagger (determiners and prepositions close a span, frame nouns open one).
_CLASS_WORDS: dict[str, frozenset[str]] = {
    "det": frozenset(
        {
            "a", "an", "the", "this", "that", "these", "those", "any", "some", "all", "each",
            "every", "no", "our", "your", "their", "its", "my", "his", "her",
        }
    ),
    "prep": frozenset(
        {
            "of", "in", "with", "on", "using", "around", "across", "for", "about", "within",
            "at", "by", "from", "into", "to", "via", "through", "over", "under", "between",
            "including", "like", "such", "as",
        }
    ),
    "conj": frozenset({"and", "or", "nor", "but", "&", "/", "plus"}),
    "pron": frozenset(
        {"you", "we", "i", "they", "it", "he", "she", "us", "them", "who", "which", "what"}
    ),
    "aux": frozenset(
        {
            "is", "are", "be", "been", "was", "were", "will", "would", "can", "could",
            "should", "must", "may", "might", "have", "has", "had", "do", "does", "did",
        }
    ),
    "frame": _FRAME_NOUNS,
    "qual": _QUALIFIERS,
    "verdict": frozenset(
        {
            "preferred", "required", "plus", "desired", "desirable", "bonus", "essential",
            "mandatory", "advantage", "nice",
        }
    ),
    "req": frozenset(
        {
            "experience", "knowledge", "skills", "skill", "understanding", "familiarity",
            "proficiency", "ability", "expertise", "background", "exposure",
        }
    ),
}  # fmt: skip
_WORD_CLASSES: dict[str, tuple[str, ...]] = {
    word: tuple(name for name, members in _CLASS_WORDS.items() if word in members)
    for word in sorted(set().union(*_CLASS_WORDS.values()))
}


def _is_symbol(token: str) -> bool:
    """Punctuation, brackets, bullets: a token with no letter or digit in it."""
    return not any(ch.isalnum() for ch in token)


def _units(text: str, tokens: Sequence[tuple[int, int]]) -> list[tuple[str, int, str]]:
    """(lower-case word, tokens it spans, as written): hyphenated compounds are one word."""
    units: list[tuple[str, int, str]] = []
    i = 0
    while i < len(tokens):
        w = text[tokens[i][0] : tokens[i][1]].casefold()
        if (
            i + 2 < len(tokens)
            and text[tokens[i + 1][0] : tokens[i + 1][1]] in _HYPHENS | {"-"}
            and tokens[i][1] == tokens[i + 1][0]
            and tokens[i + 1][1] == tokens[i + 2][0]
            and not _is_symbol(w)
        ):
            surface = text[tokens[i][0] : tokens[i + 2][1]]
            units.append((surface.casefold(), 3, surface))
            i += 3
            continue
        units.append((w, 1, text[tokens[i][0] : tokens[i][1]]))
        i += 1
    return units


_YEARS_WORDS = frozenset({"years", "year", "yrs"})


def tidy_span(
    text: str, tokens: Sequence[tuple[int, int]], first: int, last: int
) -> tuple[int, int] | None:
    """The token range of a skill span once its frame is cut away; None if nothing is left.

    A learned tagger sometimes takes in the words around a skill: a bracket or full stop at an
    edge ("Snowflake)"), the qualifier before it ("strong Python"), the frame noun and its
    preposition ("experience with Docker", "Kafka knowledge") or the posting's verdict after
    it ("AWS fine", "Go preferred"). Those are cut by word class, never by example. A leading
    dot glued to a word stays (".NET"). What is left must hold one word that is not filler.
    """
    units = _units(text, tokens[first:last])
    lo, hi = 0, len(units)

    def word(i: int) -> str:
        return units[i][0] if lo <= i < hi else ""

    while lo < hi:
        w, nxt = word(lo), word(lo + 1)
        dot_name = (
            w == "."
            and lo + 1 < hi
            and units[lo][1] == 1
            and _starts_glued(tokens, first, units, lo)
        )
        cut = (
            (_is_symbol(w) and not dot_name)
            or w in _QUALIFIERS
            or w in _GLUE
            or (w in _FRAME_ADJECTIVES and nxt in _FRAME_NOUNS)
            or (w in _FRAME_NOUNS and (nxt in _FRAME_PREPOSITIONS or lo + 1 == hi))
            or (w.isdigit() and (nxt in _YEARS_WORDS or nxt == "+"))
            or (w in _YEARS_WORDS and (nxt == "of" or nxt in _FRAME_NOUNS))
        )
        if not cut:
            break
        lo += 1
    while lo < hi:
        w = word(hi - 1)
        # "Kafka knowledge" is Kafka; "user experience" and "domain knowledge" are their own.
        after_name = w in _FRAME_NOUNS and hi - lo > 1 and not units[hi - 2][2].islower()
        if not (_is_symbol(w) or w in _VERDICTS or w in _GLUE or after_name):
            break
        hi -= 1
    if all(w in _FILLER or _is_symbol(w) for w, _, _ in units[lo:hi]):
        return None
    start = first + sum(n for _, n, _ in units[:lo])
    return start, start + sum(n for _, n, _ in units[lo:hi])


def _starts_glued(
    tokens: Sequence[tuple[int, int]], first: int, units: Sequence[tuple[str, int, str]], at: int
) -> bool:
    i = first + sum(n for _, n, _ in units[:at])
    return i + 1 < len(tokens) and tokens[i][1] == tokens[i + 1][0]


# Symbols that join two words into one when written without spaces: "Unix/Linux", "CI/CD",
# "ruby-on-rails", "R&D", "v.8+"; a comma or bracket never does ("Python,Java", "SQL(Postgres").
_JOINERS = frozenset({"/", "+", ".", "&"}) | _HYPHENS


def whole_words(
    text: str, tokens: Sequence[tuple[int, int]], first: int, last: int
) -> tuple[int, int]:
    """The token range of a span widened so that it never splits a word written without spaces.

    SkillSpan marks whole words: "Unix/Linux", "JavaScript/Node.js" and "CI/CD" are one span
    each, and a tagger that stops at the slash ("Node.js" of "JavaScript/Node.js") misses it by
    one edge. A neighbour is taken in only across a joining symbol touching both sides, so
    brackets and punctuation stay outside ("(AWS)" is still AWS). Alternatives joined this way
    are told apart later, where a posting's requirements are read (`ingest.posting`).
    """

    def joined(at: int) -> bool:  # tokens at, at + 1 and at + 2 touch, with a joiner between
        a, b = tokens[at + 1]
        return (
            tokens[at][1] == a
            and b == tokens[at + 2][0]
            and text[a:b] in _JOINERS
            and not _is_symbol(text[tokens[at][0] : tokens[at][1]])
            and not _is_symbol(text[tokens[at + 2][0] : tokens[at + 2][1]])
        )

    while first >= 2 and joined(first - 2):
        first -= 2
    while last + 1 < len(tokens) and joined(last - 1):
        last += 2
    return first, last


_SENTENCE_END = frozenset({".", "!", "?", ";", "•"})
_TYPE_OF_LABEL: dict[str, SpanType] = {"S": "skill", "K": "knowledge"}


def _chunks(text: str, tokens: Sequence[tuple[int, int]]) -> list[tuple[int, int]]:
    """Token ranges of sentences or lines: the CRF tags one at a time."""
    chunks: list[tuple[int, int]] = []
    start = 0
    for i, (a, b) in enumerate(tokens):
        next_start = tokens[i + 1][0] if i + 1 < len(tokens) else len(text)
        if text[a:b] in _SENTENCE_END or "\n" in text[b:next_start] or i - start >= 80:
            chunks.append((start, i + 1))
            start = i + 1
    if start < len(tokens):
        chunks.append((start, len(tokens)))
    return chunks


# How a token's label is decided: by its marginal probabilities, with the outside label's
# weighed down by this factor. A CRF's single best path leaves out words it is unsure of, and
# a posting names more skills than it marks (recall trailed precision by 0.14 on held-out
# SkillSpan tech TRAIN); weighing "outside" at a half finds more of them at the same strict F1.
# Chosen by cross-validation on SkillSpan tech TRAIN, never on dev.
O_WEIGHT = 0.5


def find_model_mentions(
    text: str, tokens: Sequence[tuple[int, int]] | None = None
) -> list[SkillMention]:
    """Skill-like spans found by the CRF, without skill ids (the learned half of extraction)."""
    tokens = tokenize(text) if tokens is None else tokens
    return _model_pass(text, tokens)[0] if tokens else []


def _model_pass(
    text: str, tokens: Sequence[tuple[int, int]]
) -> tuple[list[SkillMention], list[float]]:
    """The CRF's spans, and for every token the probability that it lies inside some span."""
    tagger = _tagger()
    names: list[str] = sorted(tagger.labels())  # type: ignore[attr-defined]
    vocabulary = load_vocabulary()
    found: list[SkillMention] = []
    inside: list[float] = []
    for lo, hi in _chunks(text, tokens):
        part = tokens[lo:hi]
        tagger.set(sentence_features(text, part, vocabulary))  # type: ignore[attr-defined]
        labels: list[str] = []
        sure_of: list[float] = []
        for i in range(hi - lo):
            outside = tagger.marginal("O", i)  # type: ignore[attr-defined]
            inside.append(1.0 - outside)
            if outside * O_WEIGHT > 1.0 - outside:  # no other label can weigh more
                labels.append("O")
                sure_of.append(outside)
                continue
            marginals = [tagger.marginal(name, i) for name in names]  # type: ignore[attr-defined]
            weighted = [
                p * O_WEIGHT if n == "O" else p for n, p in zip(names, marginals, strict=True)
            ]
            best = max(range(len(names)), key=weighted.__getitem__)
            labels.append(names[best])
            sure_of.append(marginals[best])
        for first_raw, last_raw, kind in spans_from_labels(labels):
            tidy = tidy_span(text, part, first_raw, last_raw)
            if tidy is None:
                continue
            first, last = whole_words(text, part, *tidy)
            sure = min(sure_of[first:last])
            start, end = part[first][0], part[last - 1][1]
            if found and (found[-1].start, found[-1].end) == (start, end):
                continue  # "Unix" and "Linux" of "Unix/Linux", widened to the same words
            found.append(
                SkillMention(
                    start,
                    end,
                    text[start:end],
                    None,
                    _TYPE_OF_LABEL[kind],
                    round(sure, 3),
                    "model",
                )
            )
    return found, inside


# ---------------------------------------------------------------------------------------------
# Both together

# An ability or domain name from the catalog ("communication", "agile", "healthcare") counts as
# a mention only where the CRF gives at least this probability that one of its words is inside
# a skill span: in "we serve healthcare clients" or "a small, agile company" it is a word, not
# a requirement. A tool or technology name always counts: the CRF, trained on postings, is
# unsure of resume lines ("Packaged every service as Docker containers") where a tool name is
# still evidence. Cross-validation on SkillSpan tech TRAIN (never dev) scored 0.05 and 0.1
# alike; the lower keeps "Mentors who ..." at the start of a line.
CATALOG_SUPPORT = 0.05


def _supported_by_model(
    known: Sequence[SkillMention], tokens: Sequence[tuple[int, int]], inside: Sequence[float]
) -> list[SkillMention]:
    first = {a: i for i, (a, _) in enumerate(tokens)}
    last = {b: i for i, (_, b) in enumerate(tokens)}
    return [
        m
        for m in known
        if m.span_type == "knowledge"
        or max(inside[first[m.start] : last[m.end] + 1]) >= CATALOG_SUPPORT
    ]


def extract_skills(
    text: str, catalog: Catalog | None = None, *, use_model: bool = True
) -> list[SkillMention]:
    """Every skill mention in `text`, in order of position.

    Catalog matches come with their skill id. A model span whose text is itself a catalog alias
    takes that id; a model span that overlaps a catalog match is kept beside it (SkillSpan nests
    knowledge inside skills: "build ML pipelines in Python").
    """
    if catalog is None:
        from mlpivot.catalog import default_catalog

        catalog = default_catalog()
    tokens = tokenize(text)
    if not tokens:
        return []
    known = find_catalog_mentions(text, catalog, tokens)
    mentions = list(known)
    if use_model:
        model, inside = _model_pass(text, tokens)
        mentions = _supported_by_model(known, tokens, inside)
        at = {(m.start, m.end): m for m in known}
        for m in model:
            same = at.get((m.start, m.end))
            if same is not None:
                continue
            # An everyday-word alias ("go" of "go-to") takes its id only through the context
            # rules of the catalog match, never from the model's span alone.
            key = normalise_phrase(m.text)
            skill_id = None if _is_ambiguous(key) else catalog.alias_skill(m.text)
            mentions.append(
                SkillMention(m.start, m.end, m.text, skill_id, m.span_type, m.confidence, "model")
            )
    mentions.sort(key=lambda m: (m.start, -m.end))
    return mentions
