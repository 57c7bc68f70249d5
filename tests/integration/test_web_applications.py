"""The application board through the app's own forms: adds, moves, refusals, and what is stored.

Real SQLite under a temporary folder, the real app with its CSRF middleware, and today pinned
through the `get_today` dependency so reminders and mock interviews are checked on known dates.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date
from html import unescape
from pathlib import Path

import httpx
import pytest
from fastapi.testclient import TestClient

from mlpivot.bootstrap import Services
from mlpivot.config import Settings
from mlpivot.store.job_search import Applications, StoredApplication
from mlpivot.web.app import create_app
from mlpivot.web.deps import get_today

ORIGIN = "http://127.0.0.1:8000"
SAME_ORIGIN = {"Origin": ORIGIN, "Sec-Fetch-Site": "same-origin"}
TODAY = date(2027, 3, 10)


@dataclass
class Board:
    client: TestClient
    services: Services
    token: str

    def post(self, path: str, **form: str) -> httpx.Response:
        return self.client.post(path, data={**form, "csrf_token": self.token}, headers=SAME_ORIGIN)

    def stored(self) -> list[StoredApplication]:
        with self.services.local() as (session, user):
            return Applications(session, user).all()

    def page(self) -> str:
        answer = self.client.get("/applications")
        assert answer.status_code == 200
        return answer.text


@pytest.fixture
def board(tmp_path: Path) -> Iterator[Board]:
    services = Services(Settings(data_dir=tmp_path))
    try:
        app = create_app(services)
        app.dependency_overrides[get_today] = lambda: TODAY
        client = TestClient(app, base_url=ORIGIN, follow_redirects=False)
        page = client.get("/applications")
        found = re.search(r'name="csrf_token" value="([^"]+)"', page.text)
        assert found
        yield Board(client, services, found.group(1))
    finally:
        services.close()


def column_of(html: str, public_id: str) -> str:
    """The stage column a card is drawn in: the last column opened before the card."""
    at = html.index(f'id="card-{public_id}"')
    stages = re.findall(r'<section class="stage[^"]*" data-stage="([a-z]+)"', html[:at])
    return stages[-1]


def card_html(html: str, public_id: str) -> str:
    start = html.index(f'id="card-{public_id}"')
    return html[start : html.index("</article>", start)]


def add(board: Board, **form: str) -> StoredApplication:
    before = {a.public_id for a in board.stored()}
    answer = board.post("/applications", **form)
    assert answer.status_code == 303
    (new,) = [a for a in board.stored() if a.public_id not in before]
    return new


def test_added_then_moved_with_buttons_shows_in_its_column_with_dates_and_reminders(
    board: Board,
) -> None:
    role = board.services.catalog.target_roles[0]
    app = add(
        board, company="Acme", title="ML Engineer", role=role.id, stage="applied", on="2027-03-01"
    )
    assert (app.company, app.title, app.role_id, app.stage) == (
        "Acme",
        "ML Engineer",
        role.id,
        "applied",
    )
    html = board.page()
    assert column_of(html, app.public_id) == "applied"
    card = card_html(html, app.public_id)
    assert "ML Engineer at Acme" in card and "since 2027-03-01" in card
    buttons = re.findall(r'name="stage" value="([a-z]+)"', card)
    assert buttons == ["screen", "technical", "onsite", "offer", "rejected", "withdrawn"]

    moved = board.post(
        f"/applications/{app.public_id}/move",
        stage="technical",
        expected_version=str(app.version),
        on="2027-03-08",
        interview_on="2027-03-14",
    )
    assert moved.status_code == 303
    (after,) = board.stored()
    assert after.stage == "technical" and after.version == app.version + 1
    assert [(e.stage, e.on) for e in after.history] == [
        ("applied", date(2027, 3, 1)),
        ("technical", date(2027, 3, 8)),
    ]
    html = board.page()
    assert column_of(html, app.public_id) == "technical"
    card = unescape(card_html(html, app.public_id))
    assert "interview 2027-03-14" in card
    assert "interview in 4 days" in card  # today is 2027-03-10
    # mock interviews on the days before it that are still ahead: 6, 3 and 1 days before
    mocks = re.findall(r"Mock interview (\d{4}-\d\d-\d\d) \(technical, 45 min\)", card)
    assert mocks == ["2027-03-11", "2027-03-13"]


def test_a_date_left_empty_is_today_and_a_stale_card_is_flagged(board: Board) -> None:
    app = add(board, company="Old Co", title="", stage="saved", on="2027-02-01")
    card = unescape(card_html(board.page(), app.public_id))
    assert "no change for 37 days at 'saved'" in card
    answer = board.post(
        f"/applications/{app.public_id}/move", stage="applied", expected_version="1", on=""
    )
    assert answer.status_code == 303
    (after,) = board.stored()
    assert after.history[-1].on == TODAY
    assert "no change for" not in card_html(board.page(), app.public_id)


def test_an_illegal_move_is_refused_with_the_stages_it_could_go_to(board: Board) -> None:
    app = add(board, company="Acme", title="Researcher", stage="applied")
    answer = board.post(f"/applications/{app.public_id}/move", stage="saved", expected_version="1")
    assert answer.status_code == 400
    text = unescape(answer.text)
    assert "cannot move to 'saved'" in text
    assert "can go to screen, technical, onsite, offer, rejected, withdrawn" in text
    assert "Nothing was changed" in text
    assert 'id="board"' in text  # the board comes back with the reason on top
    (after,) = board.stored()
    assert after.stage == "applied" and after.version == 1 and len(after.history) == 1


def test_a_closed_card_has_no_buttons_and_a_move_to_it_is_refused(board: Board) -> None:
    app = add(board, company="Acme", title="MLE", stage="applied")
    assert (
        board.post(
            f"/applications/{app.public_id}/move", stage="rejected", expected_version="1"
        ).status_code
        == 303
    )
    html = board.page()
    assert column_of(html, app.public_id) == "rejected"
    assert "<form" not in card_html(html, app.public_id)
    answer = board.post(f"/applications/{app.public_id}/move", stage="offer", expected_version="2")
    assert answer.status_code == 400
    assert "nowhere: it is closed" in unescape(answer.text)


def test_a_move_from_a_page_opened_before_another_move_is_refused_with_409(board: Board) -> None:
    app = add(board, company="Acme", title="MLE", stage="applied")
    first = board.post(f"/applications/{app.public_id}/move", stage="screen", expected_version="1")
    assert first.status_code == 303
    # the second tab still shows version 1 and a button to 'technical'
    stale = board.post(
        f"/applications/{app.public_id}/move", stage="technical", expected_version="1"
    )
    assert stale.status_code == 409
    text = unescape(stale.text)
    assert "moved since this page was opened" in text and "'screen'" in text
    (after,) = board.stored()
    assert after.stage == "screen" and after.version == 2 and len(after.history) == 2


def test_an_unknown_id_is_a_404_page_and_nothing_is_stored(board: Board) -> None:
    answer = board.post("/applications/no-such-app/move", stage="screen", expected_version="1")
    assert answer.status_code == 404
    assert "no application 'no-such-app'" in unescape(answer.text)
    assert board.stored() == []


def test_a_bad_date_or_an_empty_job_is_refused_and_keeps_what_was_typed(board: Board) -> None:
    empty = board.post("/applications", company=" ", title="", stage="applied")
    assert empty.status_code == 400
    assert "say which job" in empty.text
    bad = board.post("/applications", company="Acme", title="MLE", on="next week")
    assert bad.status_code == 400
    assert "not 'next week'" in unescape(bad.text)
    assert 'value="Acme"' in bad.text
    closed = board.post("/applications", company="Acme", stage="rejected")
    assert closed.status_code == 400
    assert board.stored() == []
    app = add(board, company="Acme", title="MLE")
    answer = board.post(
        f"/applications/{app.public_id}/move", stage="screen", expected_version="1", on="2027-13-01"
    )
    assert answer.status_code == 400
    assert board.stored()[0].stage == "applied"


def test_moves_and_adds_need_the_csrf_token(board: Board) -> None:
    app = add(board, company="Acme", title="MLE")
    no_token = board.client.post(
        f"/applications/{app.public_id}/move",
        data={"stage": "screen", "expected_version": "1"},
        headers=SAME_ORIGIN,
    )
    assert no_token.status_code == 403 and "Nothing was changed" in no_token.text
    no_add = board.client.post(
        "/applications", data={"company": "Evil", "title": "x"}, headers=SAME_ORIGIN
    )
    assert no_add.status_code == 403
    (after,) = board.stored()
    assert after.stage == "applied" and after.version == 1


def test_the_board_has_every_stage_and_the_nav_links_to_it(board: Board) -> None:
    html = board.page()
    stages = re.findall(r'data-stage="([a-z]+)"', html)
    assert stages == [
        "saved",
        "applied",
        "screen",
        "technical",
        "onsite",
        "offer",
        "rejected",
        "withdrawn",
    ]
    assert '<a href="/applications">Applications</a>' in board.client.get("/").text
    assert "/static/applications.js" in html and "<script>" not in html


def test_rejections_piling_up_bring_the_advice_with_the_persons_own_numbers(board: Board) -> None:
    for n in range(3):
        app = add(board, company=f"Company {n}", title="MLE", stage="applied")
        moved = board.post(
            f"/applications/{app.public_id}/move", stage="rejected", expected_version="1"
        )
        assert moved.status_code == 303
        if n == 1:
            assert 'id="rejection-advice"' not in board.page()
    html = unescape(board.page())
    assert 'id="rejection-advice"' in html
    assert "Sent 3; 0 answered with interest, 3 rejected." in html
