"""Saved postings as weights, application stage rules, reminders and response rates (pure)."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from mlpivot.catalog import Catalog, load_catalog
from mlpivot.engine.applications import (
    CLOSED,
    STAGES,
    ApplicationFacts,
    StageChange,
    allowed_moves,
    check_move,
    reminders,
    response_rates,
)
from mlpivot.engine.demand import SavedPostingSkills, demand_beside_market, personal_demand
from mlpivot.engine.gap_report import analyse_gap
from mlpivot.engine.profile import Profile
from mlpivot.errors import UserError


@pytest.fixture(scope="module")
def catalog() -> Catalog:
    return load_catalog()


def saved(role: str | None, *skills: str) -> SavedPostingSkills:
    return SavedPostingSkills(role, frozenset(skills))


def test_personal_demand_counts_each_posting_once_for_its_role() -> None:
    postings = [
        saved("ml-engineer", "kubernetes", "docker"),
        saved("ml-engineer", "kubernetes"),
        saved("ml-engineer", "pytorch"),
        saved("data-scientist", "kubernetes"),
    ]
    demand = personal_demand(postings, "ml-engineer")
    assert demand.sample_size == 3
    assert demand.counts == {"kubernetes": 2, "docker": 1, "pytorch": 1}
    assert demand.share("kubernetes") == pytest.approx(2 / 3)
    assert demand.source == "your 3 saved postings"
    lines = demand_beside_market(demand, {"kubernetes": 0.1})
    assert (lines[0].skill_id, lines[0].yours, lines[0].market_share) == ("kubernetes", 2, 0.1)
    assert lines[1].market_share == 0.0
    assert personal_demand(postings).sample_size == 4


def test_saved_postings_reorder_the_gap_the_way_their_counts_say(catalog: Catalog) -> None:
    role = catalog.roles["ml-engineer"]
    mine = personal_demand(
        [saved("ml-engineer", "kubernetes", "docker")] * 9 + [saved("ml-engineer", "docker")] * 3,
        "ml-engineer",
    )
    curated = analyse_gap(Profile(), role, catalog, weights_source="curated")
    ours = analyse_gap(Profile(), role, catalog, weights_source="mine", mine=mine)
    assert set(curated.order) == set(ours.order)  # the same skills, another order
    assert ours.order.index("kubernetes") < curated.order.index("kubernetes")
    assert ours.order.index("kubernetes") < ours.order.index("pytorch")
    importance = {i.skill_id: i.importance for i in ours.items}
    assert importance["docker"] == pytest.approx(1.0)
    assert importance["kubernetes"] == pytest.approx(0.75)
    assert importance["pytorch"] == 0.0  # no saved posting names it
    assert "your 12 saved postings only" in ours.summary


def test_a_choice_in_a_posting_weighs_as_one_requirement_met_by_either() -> None:
    """ "PyTorch or TensorFlow" names both (counts) but asks for one (weights): the options share
    one posting's worth, and an option the person already has settles the choice."""
    choice = SavedPostingSkills(
        "ml-engineer",
        frozenset({"pytorch", "tensorflow", "docker"}),
        (frozenset({"pytorch", "tensorflow"}),),
    )
    alone = saved("ml-engineer", "pytorch", "docker")
    demand = personal_demand([choice, alone], "ml-engineer")
    assert demand.counts == {"pytorch": 2, "tensorflow": 1, "docker": 2}
    assert demand.weights["docker"] == pytest.approx(1.0)
    assert demand.weights["pytorch"] == pytest.approx((0.5 + 1) / 2)
    assert demand.weights["tensorflow"] == pytest.approx(0.5 / 2)
    met = personal_demand([choice], "ml-engineer", frozenset({"tensorflow"}))
    assert met.weights["tensorflow"] == pytest.approx(1.0)
    assert met.weights["pytorch"] == 0.0
    assert met.weights["docker"] == pytest.approx(1.0)


def test_mine_without_saved_postings_for_the_role_falls_back_to_curated(catalog: Catalog) -> None:
    role = catalog.roles["ml-engineer"]
    empty = personal_demand([saved("data-scientist", "sql")], "ml-engineer")
    report = analyse_gap(Profile(), role, catalog, weights_source="mine", mine=empty)
    assert report.order == analyse_gap(Profile(), role, catalog, weights_source="curated").order
    assert "none of your saved postings" in report.weights_source


def test_stages_move_forward_or_out_and_closed_stays_closed() -> None:
    assert allowed_moves("saved")[0] == "applied"
    assert "rejected" not in allowed_moves("saved")
    assert "screen" not in allowed_moves("technical")
    assert allowed_moves("offer") == ("withdrawn",)
    for stage in CLOSED:
        assert allowed_moves(stage) == ()
    day = date(2027, 1, 4)
    history = [StageChange("saved", day), StageChange("applied", day)]
    assert check_move(history, "onsite", day + timedelta(days=3)).stage == "onsite"
    with pytest.raises(UserError, match="cannot move to 'saved'; it can go to screen"):
        check_move(history, "saved", day)
    with pytest.raises(UserError, match="before the last change"):
        check_move(history, "screen", day - timedelta(days=1))
    with pytest.raises(UserError, match="nowhere: it is closed"):
        check_move([StageChange("rejected", day)], "offer", day)


@given(st.lists(st.sampled_from(STAGES), max_size=12))
def test_any_accepted_sequence_never_goes_back_along_the_pipeline(moves: list[str]) -> None:
    history = [StageChange("saved", date(2027, 1, 1))]
    for stage in moves:
        try:
            history.append(check_move(history, stage, date(2027, 1, 1)))  # type: ignore[arg-type]
        except UserError:
            continue
    order = [STAGES.index(c.stage) for c in history]
    assert order == sorted(order)
    assert all(c.stage not in CLOSED for c in history[:-1])


def app(
    pid: str,
    *changes: tuple[str, date],
    resume: str | None = None,
    role: str | None = None,
    interview: date | None = None,
) -> ApplicationFacts:
    history = tuple(StageChange(s, d) for s, d in changes)  # type: ignore[arg-type]
    return ApplicationFacts(pid, f"app {pid}", role, resume, history, interview)


def test_reminders_for_stale_applications_and_near_interviews_under_a_given_date() -> None:
    start = date(2027, 3, 1)
    apps = [
        app("a", ("applied", start)),
        app(
            "b",
            ("applied", start),
            ("screen", start + timedelta(days=10)),
            interview=start + timedelta(days=22),
        ),
        app("c", ("applied", start), ("rejected", start + timedelta(days=2))),
        app("d", ("saved", start + timedelta(days=15))),
    ]
    assert reminders(apps, start + timedelta(days=13)) == []
    on_day_14 = reminders(apps, start + timedelta(days=14))
    assert [(r.public_id, r.kind) for r in on_day_14] == [("a", "stale")]
    assert "no change for 14 days at 'applied'" in on_day_14[0].text
    on_day_15 = reminders(apps, start + timedelta(days=15))
    assert ("b", "interview") in [(r.public_id, r.kind) for r in on_day_15]
    assert "interview in 7 days" in next(r.text for r in on_day_15 if r.public_id == "b")
    assert not any(r.public_id == "c" for r in reminders(apps, start + timedelta(days=90)))


def test_response_rates_by_resume_version_and_role_and_rejection_advice() -> None:
    d = date(2027, 2, 1)
    apps = [
        app("1", ("applied", d), ("screen", d), resume="v2", role="ml-engineer"),
        app("2", ("applied", d), ("rejected", d), resume="v2", role="ml-engineer"),
        app("3", ("applied", d), ("rejected", d), resume="v1", role="data-scientist"),
        app("4", ("applied", d), ("rejected", d), resume="v1", role="ml-engineer"),
        app("5", ("saved", d), ("withdrawn", d), resume="v1", role="ml-engineer"),
    ]
    rates = response_rates(apps)
    assert (rates.applied, rates.responded, rates.rejected) == (4, 1, 3)
    by_resume = {r.key: (r.applied, r.responded) for r in rates.by_resume_version}
    assert by_resume == {"v2": (2, 1), "v1": (2, 0)}
    by_role = {r.key: r.rate for r in rates.by_role}
    assert by_role == {"ml-engineer": pytest.approx(1 / 3), "data-scientist": 0.0}
    assert rates.advise_on_rejection
    assert not response_rates(apps[:3]).advise_on_rejection
