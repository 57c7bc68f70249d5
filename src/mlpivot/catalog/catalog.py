"""Load the knowledge base (built-in YAML plus an optional overlay) into a checked `Catalog`."""

from __future__ import annotations

import hashlib
import threading
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from enum import Enum
from pathlib import Path
from types import MappingProxyType
from typing import Any, TypeVar

from pydantic import BaseModel, ValidationError

from mlpivot.catalog.cache import read_cache, source_key, write_cache
from mlpivot.catalog.graph import PrerequisiteGraph, build_graph, find_cycle
from mlpivot.catalog.models import (
    Advice,
    Background,
    Figure,
    InterviewQuestion,
    Pathway,
    Project,
    Question,
    QuestionCategory,
    QuizQuestion,
    Role,
    Skill,
    SkillQuestion,
    Specialism,
    Strength,
)
from mlpivot.catalog.yaml_source import Location, RawEntry, YamlFileError, read_entries
from mlpivot.errors import CatalogError, NotFoundError

BUILTIN_DIR = Path(__file__).resolve().parent.parent / "knowledge"
QUESTION_BANK_DIR = Path(__file__).resolve().parent.parent / "question_bank"
"""The question bank's own folder beside `knowledge/`; read as part of the built-in layer."""

SECTIONS: dict[str, type[BaseModel]] = {
    "skills": Skill,
    "roles": Role,
    "specialisms": Specialism,
    "projects": Project,
    "pathways": Pathway,
    "questions": Question,
    "skill_questions": SkillQuestion,
    "strengths": Strength,
    "advice": Advice,
    "figures": Figure,
    "interview_questions": InterviewQuestion,
    "backgrounds": Background,
    "question_bank": QuizQuestion,
}

M = TypeVar("M", bound=BaseModel)


@dataclass(frozen=True)
class Catalog:
    """Everything mlpivot knows, immutable, with the file:line each entry came from."""

    skills: Mapping[str, Skill]
    roles: Mapping[str, Role]
    specialisms: Mapping[str, Specialism]
    projects: Mapping[str, Project]
    pathways: Mapping[str, Pathway]
    questions: Mapping[str, Question]
    skill_questions: Mapping[str, SkillQuestion]
    strengths: Mapping[str, Strength]
    advice: Mapping[str, Advice]
    figures: Mapping[str, Figure]
    interview_questions: Mapping[str, InterviewQuestion]
    question_bank: Mapping[str, QuizQuestion]
    """every quiz item: the `question_bank` sections plus the interview questions as items"""
    graph: PrerequisiteGraph
    locations: Mapping[tuple[str, str], Location]
    alias_index: Mapping[str, str]
    """lower-cased skill name or alias -> skill id"""
    backgrounds: Mapping[str, Background] = field(default_factory=lambda: MappingProxyType({}))
    """current roles a person may come from that are not roles of ours"""

    def skill(self, skill_id: str) -> Skill:
        """A skill from its id, name or alias (case and spacing ignored), like `role`."""
        found = self.skills.get(skill_id) or self.skills.get(self.alias_skill(skill_id) or "")
        if found is None:
            raise NotFoundError(_unknown("skill", skill_id, self.skills))
        return found

    def alias_skill(self, name: str) -> str | None:
        """A skill id from an id, a name or an alias (case-insensitive, spacing ignored)."""
        if name in self.skills:
            return name
        return self.alias_index.get(" ".join(name.casefold().split()))

    def role(self, role_id: str) -> Role:
        found = self.roles.get(role_id) or self.roles.get(self.alias_role(role_id) or "")
        if found is None:
            raise NotFoundError(_unknown("role", role_id, self.roles))
        return found

    def alias_role(self, name: str) -> str | None:
        """A role id from an id, a name, an alias or a title variant (case-insensitive)."""
        wanted = name.strip().casefold()
        for role in self.roles.values():
            names = (role.id, role.name, *role.aliases, *role.title_variants)
            if any(wanted == n.casefold() for n in names):
                return role.id
        return None

    @property
    def target_roles(self) -> list[Role]:
        return [r for r in self.roles.values() if r.kind == "target"]


def _unknown(kind: str, wanted: str, known: Mapping[str, object]) -> str:
    import difflib

    close = difflib.get_close_matches(wanted, list(known), n=3)
    hint = f"; did you mean {', '.join(repr(c) for c in close)}?" if close else ""
    return f"there is no {kind} '{wanted}'{hint}"


def _yaml_files(root: Path) -> Iterator[Path]:
    yield from sorted(p for p in root.rglob("*.y*ml") if p.suffix in {".yaml", ".yml"})


def _read_files(root: Path, shown_root: str) -> tuple[tuple[Path, str, bytes], ...]:
    return tuple(
        (p, f"{shown_root}/{p.relative_to(root).as_posix()}", p.read_bytes())
        for p in _yaml_files(root)
    )


@dataclass(frozen=True)
class _Layer:
    """One folder of knowledge, read as bytes once: hashed for the cache key, parsed on a miss."""

    root: Path
    shown_root: str
    files: tuple[tuple[Path, str, bytes], ...]
    """each file, the name errors show it by, and its bytes"""

    @classmethod
    def read(cls, root: Path, shown_root: str) -> _Layer:
        return cls(root, shown_root, _read_files(root, shown_root))

    @classmethod
    def builtin(cls) -> _Layer:
        """The knowledge base and the question bank's folder beside it, as one layer, so an
        id defined twice across the two is an error rather than a silent override."""
        files = _read_files(BUILTIN_DIR, "knowledge")
        if QUESTION_BANK_DIR.is_dir():
            files += _read_files(QUESTION_BANK_DIR, "question_bank")
        return cls(BUILTIN_DIR, "knowledge", files)

    def key_parts(self) -> Iterator[bytes]:
        yield self.shown_root.encode()
        for _, shown, content in self.files:
            yield shown.encode()
            yield content

    def entries(self, problems: list[str]) -> list[RawEntry]:
        entries: list[RawEntry] = []
        for path, shown, content in self.files:
            try:
                entries.extend(read_entries(path, shown, frozenset(SECTIONS), content))
            except YamlFileError as exc:
                problems.append(str(exc))
        return entries


def _validate(entry: RawEntry, problems: list[str]) -> BaseModel | None:
    model = SECTIONS[entry.section]
    kind = entry.section.rstrip("s").replace("_", " ")
    if not isinstance(entry.data, dict):
        problems.append(f"{entry.location}: a {kind} must be a mapping of fields")
        return None
    label = f"{kind} '{entry.data.get('id', '?')}'"
    try:
        return model.model_validate(entry.data)
    except ValidationError as exc:
        for err in exc.errors():
            loc = tuple(err["loc"])
            field = ".".join(str(p) for p in loc) or "(entry)"
            problems.append(f"{entry.locate(loc)}: {label}: {field}: {err['msg']}")
        return None


def load_catalog(
    knowledge_dir: str | Path | None = None, *, builtin: bool = True, cache: bool = True
) -> Catalog:
    """Load the built-in knowledge base, overlaid by `knowledge_dir` if given.

    An overlay entry with the id of a built-in entry replaces it; new ids are added. Every
    problem in every file is collected and raised together as one `CatalogError`. With
    `builtin=False` only `knowledge_dir` is read (a knowledge base of one's own, or a test's).
    A catalog that loads cleanly is kept in the user cache folder (see `catalog.cache`) and
    the next load with the same files, byte for byte, is read from there; `cache=False` always
    reads the YAML.
    """
    layers = [_Layer.builtin()] if builtin else []
    if knowledge_dir is not None:
        overlay = Path(knowledge_dir)
        if not overlay.is_dir():
            raise CatalogError([f"{overlay}: the knowledge overlay folder does not exist"])
        layers.append(_Layer.read(overlay, str(overlay)))
    if not cache:
        return _build(layers)
    name = _cache_name(layers)
    key = source_key((part for layer in layers for part in layer.key_parts()), _CODE_FILES)
    found = _from_state(read_cache("catalog", name, key, _allowed_classes()))
    if found is not None:
        return found
    catalog = _build(layers)
    write_cache("catalog", name, key, _to_state(catalog))
    return catalog


def _build(layers: list[_Layer]) -> Catalog:
    problems: list[str] = []
    tables: dict[str, dict[str, BaseModel]] = {name: {} for name in SECTIONS}
    locations: dict[tuple[str, str], Location] = {}
    for layer in layers:
        seen: dict[tuple[str, str], Location] = {}
        for entry in layer.entries(problems):
            value = _validate(entry, problems)
            if value is None:
                continue
            key = (entry.section, str(getattr(value, "id")))  # noqa: B009
            if key in seen:
                problems.append(
                    f"{entry.location}: duplicate {entry.section} id '{key[1]}' "
                    f"(first defined at {seen[key]})"
                )
                continue
            seen[key] = entry.location
            tables[entry.section][key[1]] = value
            locations[key] = entry.location

    catalog = _assemble(tables, locations, problems)
    if problems:
        raise CatalogError(problems)
    return catalog


# The cache: a catalog as plain containers of our frozen values, and back.

_CODE_FILES = tuple(sorted(Path(__file__).resolve().parent.glob("*.py")))
"""The catalog's own code: a change to a model or a check must not be answered from a cache."""


def _cache_name(layers: list[_Layer]) -> str:
    roots = "\0".join(str(layer.root.resolve()) for layer in layers)
    return f"catalog-{hashlib.sha256(roots.encode()).hexdigest()[:20]}.pickle"


def _allowed_classes() -> frozenset[tuple[str, str]]:
    """The classes a cached catalog is made of: our value models and the URL type inside them."""
    from pydantic import HttpUrl

    from mlpivot.catalog import models, vocabulary

    ours = {
        (module.__name__, name)
        for module in (models, vocabulary)
        for name, value in vars(module).items()
        if isinstance(value, type)
        and issubclass(value, BaseModel | Enum)
        and value.__module__ == module.__name__
    }
    url_types = {HttpUrl, *(t for t in HttpUrl.__mro__ if "Url" in t.__name__)}
    return frozenset(
        ours
        | {(t.__module__, t.__qualname__) for t in url_types}
        | {("pydantic_core._pydantic_core", "Url"), (Location.__module__, Location.__name__)}
    )


_STATE_KEYS = frozenset({"tables", "locations", "direct", "ancestors", "order", "alias_index"})


def _to_state(catalog: Catalog) -> dict[str, object]:
    return {
        "tables": {name: dict(getattr(catalog, name)) for name in SECTIONS},
        "locations": dict(catalog.locations),
        "direct": dict(catalog.graph.direct),
        "ancestors": dict(catalog.graph.ancestors),
        "order": catalog.graph.order,
        "alias_index": dict(catalog.alias_index),
    }


def _from_state(state: object) -> Catalog | None:
    """The catalog a cache file holds, or None if it is not the shape `_to_state` writes."""
    if not isinstance(state, dict) or set(state) != _STATE_KEYS:
        return None
    tables = state["tables"]
    if not isinstance(tables, dict) or set(tables) != set(SECTIONS):
        return None
    graph = PrerequisiteGraph(
        direct=MappingProxyType(state["direct"]),
        ancestors=MappingProxyType(state["ancestors"]),
        order=state["order"],
    )
    return Catalog(
        **{name: MappingProxyType(tables[name]) for name in SECTIONS},
        graph=graph,
        locations=MappingProxyType(state["locations"]),
        alias_index=MappingProxyType(state["alias_index"]),
    )


_DEFAULT: list[Catalog] = []
_DEFAULT_LOCK = threading.Lock()


def default_catalog() -> Catalog:
    """The built-in catalog, loaded on first use and then shared by every caller in the process.

    The public functions whose catalog is optional (`extract_skills`, `classify_posting`, ...)
    use it, so a script calling them in a loop pays for the catalog once, not once per call.
    Catalogs are immutable, so threads share it freely; the lock only makes the first load
    happen once.
    """
    if not _DEFAULT:
        with _DEFAULT_LOCK:
            if not _DEFAULT:
                _DEFAULT.append(load_catalog())
    return _DEFAULT[0]


def _typed(table: dict[str, BaseModel], model: type[M]) -> dict[str, M]:
    return {k: v for k, v in table.items() if isinstance(v, model)}


def _assemble(
    tables: dict[str, dict[str, BaseModel]],
    locations: dict[tuple[str, str], Location],
    problems: list[str],
) -> Catalog:
    skills = _typed(tables["skills"], Skill)
    roles = _typed(tables["roles"], Role)
    specialisms = _typed(tables["specialisms"], Specialism)
    check = _ReferenceCheck(locations, problems)

    for skill in skills.values():
        for pre in skill.prerequisites:
            check.ref(("skills", skill.id), f"skill '{skill.id}' requires", "skill", pre, skills)
        for rel in skill.related:
            check.ref(("skills", skill.id), f"skill '{skill.id}' relates to", "skill", rel, skills)
    direct = {s.id: tuple(p for p in s.prerequisites if p in skills) for s in skills.values()}
    cycle = find_cycle(direct)
    if cycle:
        where = locations.get(("skills", cycle[0]), Location("knowledge", 0))
        problems.append(f"{where}: prerequisite cycle: {' -> '.join(cycle)}")
        direct = dict.fromkeys(direct, ())
    graph = build_graph(direct)

    for role in roles.values():
        owner = ("roles", role.id)
        for rs in role.skills:
            check.ref(owner, f"role '{role.id}' needs", "skill", rs.skill, skills)
        for other in (*role.related_roles, *role.usual_previous_roles):
            check.ref(owner, f"role '{role.id}' names", "role", other, roles)
    for spec in specialisms.values():
        for sid in spec.skills:
            check.ref(
                ("specialisms", spec.id), f"specialism '{spec.id}' uses", "skill", sid, skills
            )
        for rid in spec.roles:
            check.ref(("specialisms", spec.id), f"specialism '{spec.id}' names", "role", rid, roles)
    for proj in _typed(tables["projects"], Project).values():
        owner = ("projects", proj.id)
        for sid in proj.skills:
            check.ref(owner, f"project '{proj.id}' exercises", "skill", sid, skills)
        for rid in proj.roles:
            check.ref(owner, f"project '{proj.id}' names", "role", rid, roles)
        for spid in proj.specialisms:
            check.ref(owner, f"project '{proj.id}' names", "specialism", spid, specialisms)
    for path in _typed(tables["pathways"], Pathway).values():
        owner = ("pathways", path.id)
        for rid in path.target_roles:
            check.ref(owner, f"pathway '{path.id}' targets", "role", rid, roles)
        for step in path.steps:
            for sid in step.skills:
                check.ref(owner, f"pathway step '{step.id}' uses", "skill", sid, skills)
    for strength in _typed(tables["strengths"], Strength).values():
        for sid in strength.skills:
            check.ref(
                ("strengths", strength.id),
                f"strength '{strength.id}' maps to",
                "skill",
                sid,
                skills,
            )
        for rid in strength.roles:
            check.ref(
                ("strengths", strength.id), f"strength '{strength.id}' names", "role", rid, roles
            )
    for sq in _typed(tables["skill_questions"], SkillQuestion).values():
        for sid in sq.skills:
            check.ref(("skill_questions", sq.id), f"question '{sq.id}' rates", "skill", sid, skills)
    for q in _typed(tables["interview_questions"], InterviewQuestion).values():
        for sid in q.skills:
            check.ref(
                ("interview_questions", q.id), f"question '{q.id}' tests", "skill", sid, skills
            )
        if q.role is not None:
            check.ref(
                ("interview_questions", q.id), f"question '{q.id}' is for", "role", q.role, roles
            )

    backgrounds = _typed(tables["backgrounds"], Background)
    for bg in backgrounds.values():
        for rid in (*bg.leads_to, *([bg.like_role] if bg.like_role else [])):
            check.ref(("backgrounds", bg.id), f"background '{bg.id}' names", "role", rid, roles)

    bank = _question_bank(tables, skills, roles, graph, check)
    alias_index = _alias_index(skills, locations, problems)
    return Catalog(
        backgrounds=MappingProxyType(backgrounds),
        skills=MappingProxyType(skills),
        roles=MappingProxyType(roles),
        specialisms=MappingProxyType(specialisms),
        projects=MappingProxyType(_typed(tables["projects"], Project)),
        pathways=MappingProxyType(_typed(tables["pathways"], Pathway)),
        questions=MappingProxyType(_typed(tables["questions"], Question)),
        skill_questions=MappingProxyType(_typed(tables["skill_questions"], SkillQuestion)),
        strengths=MappingProxyType(_typed(tables["strengths"], Strength)),
        advice=MappingProxyType(_typed(tables["advice"], Advice)),
        figures=MappingProxyType(_typed(tables["figures"], Figure)),
        interview_questions=MappingProxyType(
            _typed(tables["interview_questions"], InterviewQuestion)
        ),
        question_bank=MappingProxyType(bank),
        graph=graph,
        locations=MappingProxyType(locations),
        alias_index=MappingProxyType(alias_index),
    )


_INTERVIEW_KIND_CATEGORY: dict[str, QuestionCategory] = {
    "system-design": "ml-system-design",
    "behavioural": "behavioural",
    "coding": "coding-for-ml",
    "case": "product-sense",
}
_SKILL_CATEGORY: dict[str, QuestionCategory] = {
    "mathematics": "maths",
    "statistics": "statistics",
    "classic-ml": "ml-theory",
    "ml-practice": "ml-theory",
    "deep-learning": "deep-learning",
    "llm": "llm-app-design",
    "programming": "coding-for-ml",
    "libraries": "coding-for-ml",
    "data-engineering": "data-engineering",
    "systems": "ml-system-design",
    "mlops": "mlops",
    "cloud": "mlops",
    "product": "product-sense",
    "communication": "behavioural",
}


def _question_bank(
    tables: dict[str, dict[str, BaseModel]],
    skills: dict[str, Skill],
    roles: dict[str, Role],
    graph: PrerequisiteGraph,
    check: _ReferenceCheck,
) -> dict[str, QuizQuestion]:
    """The bank's items, checked, with every interview question added as a quiz item.

    An interview question becomes a `short` item when it asks for a concept (answerable in a
    few sentences) and an `interview` item otherwise; its roles are its own role or else every
    target role that needs one of its skills (directly or as a prerequisite), so a role
    filter finds it.
    """
    needs = {
        r.id: {s for rs in r.skills for s in (rs.skill, *graph.ancestors.get(rs.skill, ()))}
        for r in roles.values()
        if r.kind == "target"
    }
    bank = _typed(tables["question_bank"], QuizQuestion)
    for q in bank.values():
        owner = ("question_bank", q.id)
        for sid in q.skills:
            check.ref(owner, f"question '{q.id}' tests", "skill", sid, skills)
        for rid in q.roles:
            check.ref(owner, f"question '{q.id}' is for", "role", rid, roles)
    for iq in _typed(tables["interview_questions"], InterviewQuestion).values():
        if iq.id in bank:
            where = check.locations.get(("interview_questions", iq.id), Location("knowledge", 0))
            first = check.locations.get(("question_bank", iq.id), Location("knowledge", 0))
            check.problems.append(
                f"{where}: question id '{iq.id}' is also a question bank item (at {first}); "
                "ids are shared by the interview questions and the question bank"
            )
            continue
        known = [s for s in iq.skills if s in skills]
        if iq.role is not None:
            for_roles: tuple[str, ...] = (iq.role,)
        else:
            for_roles = tuple(r for r, needed in needs.items() if needed.intersection(known))
        category = _INTERVIEW_KIND_CATEGORY.get(iq.kind) or (
            _SKILL_CATEGORY.get(skills[known[0]].category.value, "ml-theory")
            if known
            else "ml-theory"
        )
        bank[iq.id] = QuizQuestion(
            id=iq.id,
            type="short" if iq.kind == "concept" else "interview",
            skills=iq.skills,
            roles=for_roles,
            category=category,
            question=iq.question,
            reference=iq.reference,
            rubric=iq.rubric or (iq.reference,),
        )
    return bank


@dataclass
class _ReferenceCheck:
    locations: dict[tuple[str, str], Location]
    problems: list[str]

    def ref(
        self, owner: tuple[str, str], what: str, kind: str, wanted: str, known: Mapping[str, Any]
    ) -> None:
        if wanted not in known:
            where = self.locations.get(owner, Location("knowledge", 0))
            self.problems.append(f"{where}: {what} unknown {kind} '{wanted}'")


def _alias_index(
    skills: dict[str, Skill], locations: dict[tuple[str, str], Location], problems: list[str]
) -> dict[str, str]:
    """Names and aliases, lower-cased; an alias that names two skills is an error."""
    index: dict[str, str] = {}
    for skill in skills.values():
        for label in {skill.id, skill.name, *skill.aliases}:
            key = " ".join(label.casefold().split())
            other = index.get(key)
            if other is not None and other != skill.id:
                where = locations.get(("skills", skill.id), Location("knowledge", 0))
                problems.append(
                    f"{where}: skill '{skill.id}' has the name or alias '{label}', "
                    f"which already names skill '{other}'"
                )
                continue
            index[key] = skill.id
    return index
