"""Uploads over the size limit are refused before any route reads them, and nothing changes.

The resume upload is the one place the web app takes a file; the limit (`max_upload_bytes`,
10 MB by default) must hold however the browser or a script sends the body: with the token in
the form, in the `X-CSRF-Token` header (HTMX), or chunked without a declared length.
"""

from __future__ import annotations

import re
import sqlite3
from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from mlpivot.bootstrap import Services
from mlpivot.config import Settings
from mlpivot.web.app import FORM_OVERHEAD_BYTES, create_app

ORIGIN = "http://127.0.0.1:8000"
LIMIT = 64 * 1024
RESUME = b"Ada Example\nSoftware Engineer, Acme, Jan 2020 - Present\nSkills: Python, SQL, Docker\n"


@pytest.fixture
def client(tmp_path: Path) -> Iterator[TestClient]:
    services = Services(Settings(data_dir=tmp_path, max_upload_bytes=LIMIT))
    try:
        yield TestClient(create_app(services), base_url=ORIGIN, follow_redirects=False)
    finally:
        services.close()


def _token(client: TestClient) -> str:
    found = re.search(r'<meta name="csrf-token" content="([^"]+)"', client.get("/profile").text)
    assert found
    return found.group(1)


def _stored(tmp_path: Path) -> str:
    with sqlite3.connect(tmp_path / "mlpivot.db") as conn:
        return "\n".join(conn.iterdump())


def _file_of(size: int) -> bytes:
    return (RESUME + b"Python " * (size // 7 + 1))[:size]


# Just over the file limit (the route says no) and past the whole form's allowance (the
# middleware says no before the route runs): both refused, nothing stored.
SIZES = {"just-over": LIMIT + 1, "far-over": LIMIT + FORM_OVERHEAD_BYTES + 1}


def test_a_resume_under_the_limit_is_read(client: TestClient, tmp_path: Path) -> None:
    token = _token(client)
    answer = client.post(
        "/profile/resume",
        files={"resume": ("cv.txt", RESUME, "text/plain")},
        headers={"X-CSRF-Token": token, "Origin": ORIGIN},
    )
    assert answer.status_code == 303
    assert "resume" in _stored(tmp_path)


@pytest.mark.parametrize("size", SIZES.values(), ids=SIZES.keys())
@pytest.mark.parametrize("token_in", ["form", "header"])
def test_a_resume_over_the_limit_is_refused_with_a_page_and_nothing_stored(
    client: TestClient, tmp_path: Path, token_in: str, size: int
) -> None:
    token = _token(client)
    before = _stored(tmp_path)
    form = {"csrf_token": token} if token_in == "form" else {}
    headers = {"Origin": ORIGIN} | ({"X-CSRF-Token": token} if token_in == "header" else {})
    answer = client.post(
        "/profile/resume",
        data=form,
        files={"resume": ("cv.txt", _file_of(size), "text/plain")},
        headers=headers,
    )
    assert answer.status_code == (413 if size > LIMIT + FORM_OVERHEAD_BYTES else 400)
    assert "larger than" in answer.text and "Nothing was changed" in answer.text
    assert _stored(tmp_path) == before


def test_a_chunked_upload_without_a_length_is_cut_off_at_the_limit(
    client: TestClient, tmp_path: Path
) -> None:
    token = _token(client)
    before = _stored(tmp_path)

    def endless() -> Iterator[bytes]:
        for _ in range((LIMIT + FORM_OVERHEAD_BYTES) // 1024 + 2):
            yield b"x" * 1024

    answer = client.post(
        "/profile/resume",
        content=endless(),
        headers={
            "X-CSRF-Token": token,
            "Origin": ORIGIN,
            "Content-Type": "multipart/form-data; boundary=b",
            "Accept": "application/json",
        },
    )
    assert answer.status_code == 413
    assert answer.json()["error"] == "too-large"
    assert _stored(tmp_path) == before


def test_a_declared_length_that_is_not_a_number_is_refused(client: TestClient) -> None:
    token = _token(client)
    answer = client.post(
        "/profile/resume",
        content=b"x",
        headers={"X-CSRF-Token": token, "Origin": ORIGIN, "Content-Length": "lots"},
    )
    assert answer.status_code in (400, 413)
