"""The cohort dashboard derives each learner's summary once per change of their records: a
second view reuses them all, a change to one learner's progress, profile or plan derives that
learner again, and what is shown always equals a dashboard computed from scratch."""

from __future__ import annotations

from datetime import UTC, date, datetime
from pathlib import Path

from fastapi.testclient import TestClient

from accounts_app import AccountsApp, build
from mlpivot.engine.plan import PlanRequest, build_plan
from mlpivot.engine.profile import Profile, profile_to_data
from mlpivot.store.accounts import AccountRole
from mlpivot.store.cohorts import Cohorts, MemberRole
from mlpivot.store.repositories import Plans, Profiles, Progress
from mlpivot.web.learner_states import learner_states_of

LEARNERS = ("ada", "bea", "cy")


def _cohort(site: AccountsApp) -> str:
    admin = site.make("root", AccountRole.ADMIN)
    profile = Profile(hours_per_week=8)
    plan = build_plan(profile, site.services.catalog, PlanRequest(("ml-engineer",), date.today()))
    with site.services.unit_of_work() as session:
        cohort = Cohorts(session).create("Spring", admin)
    for key in LEARNERS:
        learner = site.make(key)
        with site.services.unit_of_work() as session:
            Cohorts(session).join(cohort.id, learner, MemberRole.LEARNER)
        with site.services.owned(learner.id) as (session, owner):
            Profiles(session, owner).save(profile_to_data(profile), expected_version=None)
            Plans(session, owner).add("ml-engineer", plan.model_dump(mode="json"))
    return cohort.public_id


def _rows(page: str) -> str:
    """The dashboard's table: the part that is derived from the learners' records."""
    start = page.index('id="standing-counts"')
    return page[start : page.index("</table>", start)]


def _progress(page: str) -> str:
    """The learner page's sentence on their progress."""
    start = page.index('id="learner-progress"')
    return page[start : page.index("</p>", start)]


def _from_scratch(site: AccountsApp, admin: TestClient, cohort: str) -> str:
    """The same dashboard with nothing kept (as a newly started worker computes it)."""
    states = learner_states_of(site.services)
    states.clear()
    before = states.derived
    page = admin.get(f"/cohorts/{cohort}").text
    assert states.derived == before + len(LEARNERS)
    return _rows(page)


def test_a_learner_is_derived_again_only_when_their_records_change(
    tmp_path: Path, database_url: str
) -> None:
    site = build(tmp_path, database_url)
    cohort = _cohort(site)
    admin = site.sign_in("root")
    states = learner_states_of(site.services)

    first = admin.get(f"/cohorts/{cohort}")
    assert first.status_code == 200
    assert states.derived == len(LEARNERS)
    again = admin.get(f"/cohorts/{cohort}")
    assert states.derived == len(LEARNERS)
    assert _rows(again.text) == _rows(first.text)

    ada = site.people["ada"]
    with site.services.owned(ada.id) as (session, owner):
        Progress(session, owner).log("probability", 7.5, False, datetime.now(UTC))
    logged = admin.get(f"/cohorts/{cohort}").text
    assert states.derived == len(LEARNERS) + 1
    assert "7.5" in _rows(logged) and "7.5" not in _rows(first.text)
    assert _rows(logged) == _from_scratch(site, admin, cohort)

    derived = states.derived
    with site.services.owned(site.people["bea"].id) as (session, owner):
        stored = Profiles(session, owner).get()
        assert stored is not None
        Profiles(session, owner).save(
            profile_to_data(Profile(hours_per_week=12)), expected_version=stored.version
        )
    admin.get(f"/cohorts/{cohort}")
    assert states.derived == derived + 1

    with site.services.owned(site.people["cy"].id) as (session, owner):
        followed = Plans(session, owner).current()
        assert followed is not None
        Plans(session, owner).add("ml-engineer", followed.data)
    replanned = admin.get(f"/cohorts/{cohort}").text
    assert states.derived == derived + 2
    assert _rows(replanned) == _from_scratch(site, admin, cohort)
    assert states.derived == derived + 2 + len(LEARNERS)
    site.services.close()


def test_the_summaries_kept_are_bounded(tmp_path: Path, database_url: str) -> None:
    site = build(tmp_path, database_url)
    cohort = _cohort(site)
    states = learner_states_of(site.services)
    states.kept = 2
    admin = site.sign_in("root")
    admin.get(f"/cohorts/{cohort}")
    admin.get(f"/cohorts/{cohort}")
    assert states.size() == 2
    assert states.derived == 2 * len(LEARNERS)  # three learners cycled through two places
    site.services.close()


def test_the_mentors_learner_page_shows_the_kept_state_and_follows_its_changes(
    tmp_path: Path, database_url: str
) -> None:
    site = build(tmp_path, database_url)
    cohort = _cohort(site)
    admin = site.sign_in("root")
    states = learner_states_of(site.services)
    ada = site.people["ada"]
    page = f"/cohorts/{cohort}/learners/{ada.public_id}"

    admin.get(f"/cohorts/{cohort}")
    derived = states.derived
    first = admin.get(page)
    assert first.status_code == 200
    assert states.derived == derived  # the dashboard's state of ada, reused

    with site.services.owned(ada.id) as (session, owner):
        Progress(session, owner).log("probability", 7.5, False, datetime.now(UTC))
    logged = admin.get(page)
    assert states.derived == derived + 1
    assert _progress(logged.text) != _progress(first.text)
    site.services.close()
