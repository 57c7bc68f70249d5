"""The quiz and the mock interview in a real browser: answers, feedback, ratings, storage."""

from __future__ import annotations

from pathlib import Path

import pytest

from mlpivot.bootstrap import Services
from mlpivot.catalog import Catalog
from mlpivot.config import Settings
from mlpivot.store.repositories import Cards, Interviews

pytestmark = pytest.mark.browser


def _stored(data_dir: Path) -> tuple[list[object], list[object]]:
    services = Services(Settings(data_dir=data_dir))
    with services.local() as (session, user):
        reviews = list(Cards(session, user).reviews())
        mocks = list(Interviews(session, user).all())
    services.close()
    return reviews, mocks


def test_a_quiz_question_is_answered_rated_and_counted_in_mastery(
    server: str,
    browser,  # type: ignore[no-untyped-def]
    tmp_path: Path,
    catalog: Catalog,
) -> None:
    page = browser.new_page()
    page.goto(server + "/quiz")
    qid = page.locator("#quiz-form input[name=question_id]").get_attribute("value")
    assert qid is not None
    question = catalog.question_bank[qid]
    assert page.locator("#quiz-question").inner_text() == question.question
    if question.type == "mcq":
        right = "ABCDEFGH"[question.correct_option or 0]
        page.check(f"#choice-{right}")
    else:
        page.fill("#quiz-answer", question.reference)
    page.click("#quiz-form button[type=submit]")
    page.locator("#quiz-verdict").wait_for()
    assert "Right" in page.locator("#quiz-verdict").inner_text()
    page.click("#rate-hard")  # the person overrides the proposed rating
    page.wait_for_url("**/quiz")
    (review,) = _stored(tmp_path / "data")[0]
    assert (review.question_id, int(review.rating), review.correct) == (qid, 2, True)  # type: ignore[attr-defined]
    page.goto(server + "/quiz/mastery")
    assert "level, from 1 answer" in page.locator("#mastery").inner_text()


def test_a_mock_interview_gives_feedback_per_answer_and_stops_when_asked(
    server: str,
    browser,  # type: ignore[no-untyped-def]
    tmp_path: Path,
    catalog: Catalog,
) -> None:
    page = browser.new_page()
    page.goto(server + "/interview")
    page.select_option("#interview-role", "ml-engineer")
    page.fill("#interview-minutes", "20")
    page.click("#interview-form button[type=submit]")
    page.wait_for_url("**/interview/*")
    qid = page.locator("#answer-form input[name=question_id]").get_attribute("value")
    assert qid is not None
    first = catalog.question_bank[qid]
    assert first.category == "ml-system-design"  # the loop opens with the role's main round
    page.fill("#interview-answer", first.reference)
    page.click("#answer-form button[type=submit]:not([name])")
    page.locator("#last-score").wait_for()
    good = float(page.locator("#last-score").inner_text().split()[1])
    page.fill("#interview-answer", "I would not know where to start.")
    page.click("#answer-and-stop")
    page.locator("#interview-summary").wait_for()
    weak = float(page.locator("#last-score").inner_text().split()[1])
    assert good > weak
    assert page.locator("#last-missed li").count() >= 1
    assert "To study next:" in page.locator("#study-next").inner_text()
    _, (mock,) = _stored(tmp_path / "data")
    assert len(mock.answers) == 2 and mock.finished_at is not None  # type: ignore[attr-defined]
    page.goto(server + "/interview")
    assert "2 answers" in page.locator("#past-interviews").inner_text()
