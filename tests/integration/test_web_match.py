"""The match page on a real SQLite file: the resume given at onboarding is offered again, and
nothing a match reads is stored."""

from __future__ import annotations

import re
import sqlite3
from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from mlpivot.bootstrap import Services
from mlpivot.config import Settings
from mlpivot.web.app import create_app

ORIGIN = "http://127.0.0.1:8000"
SAME_ORIGIN = {"Origin": ORIGIN, "Sec-Fetch-Site": "same-origin"}
POSTING = (Path(__file__).resolve().parents[1] / "data" / "postings" / "mle-01.md").read_text(
    encoding="utf-8"
)
RESUME = b"""# Sam Example

## Experience
### Backend Engineer, Shopfront (2019 - Present)
- Built Python APIs on PostgreSQL for 3M orders a month.
- Trained scikit-learn models to forecast stock.

## Skills
SQL, Docker, AWS
"""


@pytest.fixture
def client(tmp_path: Path) -> Iterator[TestClient]:
    services = Services(Settings(data_dir=tmp_path))
    try:
        yield TestClient(create_app(services), base_url=ORIGIN, follow_redirects=False)
    finally:
        services.close()


def _token(client: TestClient, path: str) -> str:
    found = re.search(r'name="csrf_token" value="([^"]+)"', client.get(path).text)
    assert found
    return found.group(1)


def _dump(db: Path) -> str:
    with sqlite3.connect(db) as conn:
        return "\n".join(conn.iterdump())


def test_the_onboarding_resume_is_offered_and_a_match_stores_nothing(
    client: TestClient, tmp_path: Path
) -> None:
    token = _token(client, "/profile")
    sent = client.post(
        "/profile/resume",
        data={"csrf_token": token},
        files={"resume": ("sam.md", RESUME, "text/markdown")},
        headers=SAME_ORIGIN,
    )
    assert sent.status_code == 303
    form = client.get("/match").text
    assert 'name="use_stored"' in form and "sam.md" in form
    before = _dump(tmp_path / "mlpivot.db")
    answer = client.post(
        "/match",
        data={"csrf_token": token, "use_stored": "1", "posting_text": POSTING},
        headers=SAME_ORIGIN,
    )
    assert answer.status_code == 200
    assert re.search(r'data-skill="scikit-learn">.*?shown in use.*?line \d+: ', answer.text, re.S)
    assert _dump(tmp_path / "mlpivot.db") == before


def test_a_posting_file_that_cannot_be_read_is_named_and_the_pasted_text_is_kept(
    client: TestClient,
) -> None:
    token = _token(client, "/match")
    answer = client.post(
        "/match",
        data={"csrf_token": token, "posting_text": "kept as typed"},
        files={
            "resume": ("sam.md", RESUME, "text/markdown"),
            "posting_file": ("job.json", b"{not json", "application/json"),
        },
        headers=SAME_ORIGIN,
    )
    assert answer.status_code == 400
    assert "job.json" in answer.text and "kept as typed" in answer.text
    assert 'id="posting-error"' in answer.text
