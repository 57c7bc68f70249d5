"""The one place that wires settings, the store and the catalog together.

The CLI and the web app ask this module for what they need and nothing else; tests build a
`Services` over a temporary database the same way. Each part (the catalog, the market figures,
the database with SQLAlchemy and Alembic) is imported and built on first use, so a command pays
only for the parts it touches.
"""

from __future__ import annotations

import ipaddress
from collections.abc import Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time
from functools import cached_property
from typing import TYPE_CHECKING, Any

from mlpivot.config import AuthMode, Settings, load_settings
from mlpivot.errors import AuthError, UserError

if TYPE_CHECKING:
    from pathlib import Path

    from sqlalchemy import Engine
    from sqlalchemy.orm import Session, sessionmaker

    from mlpivot.catalog import Catalog
    from mlpivot.catalog.market import MarketFigures
    from mlpivot.catalog.models import QuizQuestion
    from mlpivot.engine.applications import ApplicationFacts, PracticeSession
    from mlpivot.engine.demand import PersonalDemand
    from mlpivot.engine.market import MarketWeights
    from mlpivot.engine.plan_model import Plan
    from mlpivot.engine.profile import Profile, SkillEvidence
    from mlpivot.engine.progress import LoggedWork
    from mlpivot.store.records import StoredPlan, StoredProfile
    from mlpivot.store.tables import User


@dataclass
class Services:
    settings: Settings = field(default_factory=load_settings)

    @cached_property
    def catalog(self) -> Catalog:
        from mlpivot.catalog import load_catalog

        return load_catalog(self.settings.knowledge_dir)

    @cached_property
    def market_figures(self) -> MarketFigures:
        from mlpivot.catalog.market import load_market

        return load_market()

    @cached_property
    def market_signals(self) -> dict[str, MarketWeights]:
        """Market weights per target role, for the roles some public data set covers."""
        from mlpivot.engine.market import market_weights

        figures = self.market_figures
        found = {role.id: market_weights(figures, role.id) for role in self.catalog.target_roles}
        return {role_id: w for role_id, w in found.items() if w is not None}

    @cached_property
    def engine(self) -> Engine:
        from mlpivot.store.database import ensure_schema, open_engine

        engine = open_engine(self.settings.resolved_database_url())
        ensure_schema(engine)
        return engine

    @cached_property
    def sessions(self) -> sessionmaker[Session]:
        from mlpivot.store.database import session_factory

        return session_factory(self.engine)

    @contextmanager
    def unit_of_work(self) -> Iterator[Session]:
        from mlpivot.store.database import transaction

        with transaction(self.sessions) as session:
            yield session

    @contextmanager
    def local(self) -> Iterator[tuple[Session, User]]:
        """A transaction as the single-user mode's local user."""
        from mlpivot.store.repositories import local_user

        with self.unit_of_work() as session:
            yield session, local_user(session)

    @contextmanager
    def owned(self, owner_id: int | None) -> Iterator[tuple[Session, User]]:
        """A transaction as one user (by database id); None is the single-user mode's user."""
        if owner_id is None:
            with self.local() as found:
                yield found
            return
        from mlpivot.store.tables import User

        with self.unit_of_work() as session:
            user = session.get(User, owner_id)
            if user is None:
                raise AuthError("your account no longer exists; sign in again")
            yield session, user

    def close(self) -> None:
        if "engine" in self.__dict__:
            self.engine.dispose()


NO_PROFILE = (
    "you have no profile yet: run `mlpivot assess` (or `mlpivot assess --profile FILE`; "
    "examples are in examples/profiles/)"
)


@dataclass(frozen=True)
class VersionedProfile:
    profile: Profile
    version: int
    """the stored version it was read at, for a compare-and-set save"""


def find_stored_profile(services: Services, owner_id: int | None = None) -> VersionedProfile | None:
    """A user's stored profile and its version, or None when there is none yet (`owner_id`
    None: the local user).

    The one way the CLI and the web read the stored profile, so both check it the same way.
    """
    from mlpivot.engine.profile import profile_from_data
    from mlpivot.store.quick_read import QuickReadUnavailable, local_profile

    stored: StoredProfile | None
    try:
        if owner_id is not None:
            raise QuickReadUnavailable("a user by id")
        stored = local_profile(_quick_file(services))
    except QuickReadUnavailable:
        from mlpivot.store.repositories import Profiles

        with services.owned(owner_id) as (session, user):
            stored = Profiles(session, user).get()
    if stored is None:
        return None
    profile = profile_from_data(stored.data, services.catalog, source="stored profile")
    return VersionedProfile(profile, stored.version)


def _quick_file(services: Services) -> Path:
    """The SQLite file a read may take the quick path to (`store.quick_read`).

    Only while this process has not opened the database the full way: then the quick path
    reads what a full read would; a process that has (the web app, a command that wrote) keeps
    one way of reading, so it always sees its own writes the same way.
    """
    from mlpivot.store.quick_read import QuickReadUnavailable, sqlite_file

    found = (
        None
        if "engine" in services.__dict__
        else sqlite_file(services.settings.resolved_database_url())
    )
    if found is None:
        raise QuickReadUnavailable("not a SQLite file, or already open")
    return found


def followed_plan(
    services: Services, role_id: str | None = None, owner_id: int | None = None
) -> StoredPlan | None:
    """A user's followed plan (`owner_id` None: the local user); with `role_id`, their latest
    saved plan for that role (followed or not). None when there is none."""
    from mlpivot.store.quick_read import QuickReadUnavailable, local_plan

    try:
        if owner_id is not None:
            raise QuickReadUnavailable("a user by id")
        return local_plan(_quick_file(services), role_id)
    except QuickReadUnavailable:
        from mlpivot.store.repositories import Plans

        with services.owned(owner_id) as (session, user):
            return Plans(session, user).current(role_id)


def readable_plan(stored: StoredPlan | None) -> Plan | None:
    """A stored plan as this mlpivot reads it; None for no plan, or for one written by an older
    mlpivot in a shape this one no longer reads (the pages then lead to a new plan)."""
    from pydantic import ValidationError

    from mlpivot.engine.plan_model import Plan

    if stored is None:
        return None
    try:
        return Plan.model_validate(stored.data)
    except ValidationError:
        return None


def logged_work(services: Services, owner_id: int | None = None) -> list[LoggedWork]:
    """Everything a user logged against their plans, oldest first: what progress is measured on."""
    from mlpivot.engine.progress import LoggedWork
    from mlpivot.store.repositories import Progress

    with services.owned(owner_id) as (session, owner):
        rows = Progress(session, owner).all()
    return [LoggedWork(r.skill_id, r.hours, r.done, r.logged_on.date()) for r in rows]


def stored_profile(services: Services, owner_id: int | None = None) -> Profile:
    """The stored profile, or a plain error that says how to make one."""
    found = find_stored_profile(services, owner_id)
    if found is None:
        raise UserError(NO_PROFILE)
    return found.profile


def save_resume_to_profile(
    services: Services,
    evidence: dict[str, SkillEvidence],
    domains: tuple[str, ...] | list[str],
    experience_years: float | None,
    document: tuple[str, str, dict[str, Any]],
    observed_on: date,
) -> tuple[str, int]:
    """Store a parsed resume, merge its evidence into the profile and record each skill it
    shows as evidence (dated `observed_on`), all in one transaction.

    The merge rule is the engine's (`Profile.with_resume`); a profile is created if there is
    none. `document` is (file name, text, parsed data). Returns (document id, profile version).
    """
    from mlpivot.engine.profile import Profile, profile_from_data, profile_to_data
    from mlpivot.store.repositories import Documents, Evidence, Profiles

    filename, text, parsed = document
    with services.local() as (session, user):
        profiles = Profiles(session, user)
        stored = profiles.get()
        profile = (
            profile_from_data(stored.data, services.catalog, source="stored profile")
            if stored
            else Profile()
        )
        updated = profile.with_resume(evidence, domains, experience_years)
        document_id = Documents(session, user).add("resume", filename, text, parsed)
        saved = profiles.save(
            profile_to_data(updated), expected_version=stored.version if stored else None
        )
        found_on = datetime.combine(observed_on, time(12), tzinfo=UTC)
        record = Evidence(session, user)
        for skill_id, item in evidence.items():
            record.add(skill_id, item.level, item.source.value, item.detail, found_on)
    return document_id, saved.version


def record_quiz_mastery(
    services: Services,
    questions: Mapping[str, QuizQuestion],
    touched: set[str],
    now: datetime,
    owner_id: int | None = None,
) -> list[str]:
    """Mastery of the skills a quiz sitting touched, kept as quiz evidence in the profile (it
    may raise or lower the level the fit, gap and plan use); the lines to show the person.

    The one place the terminal and the web quiz turn reviews into evidence.
    """
    from mlpivot.catalog.models import LEVEL_NAMES, EvidenceKind
    from mlpivot.engine.mastery import skill_mastery
    from mlpivot.engine.profile import SkillEvidence, profile_from_data, profile_to_data
    from mlpivot.store.repositories import Cards, Profiles

    catalog = services.catalog
    lines: list[str] = []
    with services.owned(owner_id) as (session, user):
        store = Cards(session, user)
        cards, logs = store.all(), store.reviews()
        skills_of = {qid: q.skills for qid, q in questions.items()}
        found = skill_mastery(cards, logs, skills_of, now)
        evidence = {}
        known = touched & set(found) & set(catalog.skills)
        for skill_id in sorted(known, key=lambda s: catalog.skill(s).name):
            words = found[skill_id].describe(catalog.skill(skill_id).name)
            lines.append(words)
            evidence[skill_id] = SkillEvidence(
                level=found[skill_id].level,
                source=EvidenceKind.QUIZ,
                detail=words,
                observed_on=now.date(),
                answers=found[skill_id].answers,
                correct=found[skill_id].correct,
            )
        stored = Profiles(session, user).get()
        if stored is None or not evidence:
            return lines
        profile = profile_from_data(stored.data, catalog, source="stored profile")
        updated = profile.with_quiz_evidence(evidence)
        for skill_id in evidence:
            before, after = profile.level(skill_id), updated.level(skill_id)
            if before != after:
                lines.append(
                    f"Your level in {catalog.skill(skill_id).name} moves from "
                    f"{LEVEL_NAMES[before]} to {LEVEL_NAMES[after]}; fit, gap and plan use it."
                )
        Profiles(session, user).save(profile_to_data(updated), stored.version)
    return lines


def saved_demand(services: Services, role_id: str, person: Profile | None = None) -> PersonalDemand:
    """The local user's saved postings for `role_id` as skill weights (`--weights mine`).

    No saved posting for the role is a plain error rather than a silent fall-back, because the
    person asked for their own postings to decide the order. A posting's choice ("PyTorch or
    TensorFlow") that `person` already meets at a working level asks for nothing more.
    """
    from mlpivot.engine.demand import SavedPostingSkills, personal_demand
    from mlpivot.store.job_search import SavedPostings

    with services.local() as (session, user):
        postings = SavedPostings(session, user).all()
    met = (
        frozenset(s for s, level in person.levels().items() if level >= 2)
        if person is not None
        else frozenset()
    )
    demand = personal_demand(
        [
            SavedPostingSkills(
                p.role_id, frozenset(p.skill_ids), tuple(frozenset(c) for c in p.choices)
            )
            for p in postings
        ],
        role_id,
        met,
    )
    if demand.sample_size == 0:
        raise UserError(
            f"none of your {len(postings)} saved postings is for {role_id}; save some with "
            "`mlpivot posting save FILE` or use --weights market"
        )
    return demand


def interview_practice(
    services: Services, facts: Sequence[ApplicationFacts], day: date
) -> list[PracticeSession]:
    """The mock interviews due before each booked interview of `facts`, with those already
    taken marked done (from the local user's stored mock interviews)."""
    from mlpivot.engine.applications import practice_before_interview
    from mlpivot.store.repositories import Interviews

    with services.local() as (session, user):
        done = [(i.role_id, i.started_at.date()) for i in Interviews(session, user).all()]
    return [s for fact in facts for s in practice_before_interview(fact, day, done)]


def all_interview_practice(services: Services, day: date) -> list[PracticeSession]:
    """`interview_practice` for every application the local user tracks."""
    from mlpivot.store.job_search import Applications

    with services.local() as (session, user):
        facts = [a.facts() for a in Applications(session, user).all()]
    return interview_practice(services, facts, day)


def build_services(settings: Settings | None = None) -> Services:
    return Services(settings or load_settings())


LOCAL_HOSTNAMES = frozenset({"localhost", "127.0.0.1", "::1", "[::1]"})


def is_loopback(host: str) -> bool:
    """True for localhost and loopback addresses (127.0.0.0/8, ::1); `host` may carry a port."""
    name = host.strip().lower()
    if name.startswith("["):  # [::1]:8000
        name = name[1 : name.find("]")] if "]" in name else name[1:]
    elif name.count(":") == 1:
        name = name.split(":", 1)[0]
    if name == "localhost":
        return True
    try:
        return ipaddress.ip_address(name).is_loopback
    except ValueError:
        return False


def check_auth_binding(settings: Settings, host: str) -> None:
    """Single-user mode has no login, so it may only listen on this machine."""
    if settings.auth is AuthMode.SINGLE_USER and not is_loopback(host):
        raise AuthError(
            f"single-user mode has no login, so it only listens on this machine; "
            f"'{host}' is not a loopback address. Use --host 127.0.0.1, or set "
            "MLPIVOT_AUTH=accounts to serve several people"
        )
    if settings.auth is AuthMode.ACCOUNTS and settings.secret_key is None:
        raise AuthError(
            "accounts mode signs its cookies with MLPIVOT_SECRET_KEY, shared by every worker; "
            "set it in the environment or the config file (e.g. the output of `python -c "
            "'import secrets; print(secrets.token_urlsafe(32))'`)"
        )
