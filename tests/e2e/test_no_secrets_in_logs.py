"""Passwords, tokens, session cookies and resume text never reach the server's output.

A whole cohort journey runs against `mlpivot serve` in accounts mode with everything it prints
captured: an admin signs in (after one wrong password), makes a cohort and an invitation; a
learner joins with a password, uploads a resume and makes an API token, which a script then uses.
Every secret and the resume's text are then looked for in what the server wrote.
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
import time
from pathlib import Path

import httpx

from cli_process import free_port

SECRET_KEY = "a-secret-key-for-the-log-test-0123456789"
ADMIN_PASSWORD = "admin-pass-Quokka-4417"
WRONG_PASSWORD = "wrong-pass-Narwhal-9902"
LEARNER_PASSWORD = "learner-pass-Axolotl-5530"
RESUME_MARKER = "Zanzibar-Pangolin-Telemetry-8821"
RESUME = f"""Ada Example
Experience
Data Engineer, Acme Logistics  Jan 2019 - Present
- Built the {RESUME_MARKER} pipeline in Python and Airflow
Skills
Python, SQL, Airflow
"""
TOKEN = re.compile(r'<meta name="csrf-token" content="([^"]+)"')


def _csrf(client: httpx.Client, path: str) -> str:
    found = TOKEN.search(client.get(path).text)
    assert found, path
    return found[1]


def _post(client: httpx.Client, path: str, data: dict[str, str], page: str) -> httpx.Response:
    return client.post(
        path,
        data={**data, "csrf_token": _csrf(client, page)},
        headers={"Origin": str(client.base_url).rstrip("/")},
    )


def test_a_full_journey_leaves_no_secret_in_the_server_output(tmp_path: Path) -> None:
    env = {
        **os.environ,
        "MLPIVOT_DATA_DIR": str(tmp_path / "data"),
        "MLPIVOT_AUTH": "accounts",
        "MLPIVOT_SECRET_KEY": SECRET_KEY,
        "NO_COLOR": "1",
    }
    env.pop("DATABASE_URL", None)
    made = subprocess.run(
        [sys.executable, "-m", "mlpivot", "admin", "create", "--email", "root@example.org",
         "--password-stdin"],
        input=ADMIN_PASSWORD + "\n", capture_output=True, text=True, env=env, timeout=120,
        check=False,
    )  # fmt: skip
    assert made.returncode == 0, made.stderr
    port = free_port()
    log = tmp_path / "server.log"
    secrets: list[str] = [
        ADMIN_PASSWORD,
        WRONG_PASSWORD,
        LEARNER_PASSWORD,
        RESUME_MARKER,
        SECRET_KEY,
    ]
    with log.open("wb") as output:
        server = subprocess.Popen(
            [sys.executable, "-m", "mlpivot", "serve", "--port", str(port)],
            env=env, stdout=output, stderr=subprocess.STDOUT,
        )  # fmt: skip
        url = f"http://127.0.0.1:{port}"
        try:
            deadline = time.monotonic() + 60
            while True:
                try:
                    if httpx.get(url + "/health", timeout=1).status_code == 200:
                        break
                except httpx.HTTPError:
                    assert time.monotonic() < deadline, "serve did not start"
                    time.sleep(0.2)
            with httpx.Client(base_url=url, timeout=60, follow_redirects=True) as admin:
                wrong = _post(admin, "/login", {"email": "root@example.org",
                                                "password": WRONG_PASSWORD}, "/login")  # fmt: skip
                assert "/login" in str(wrong.url)
                _post(admin, "/login", {"email": "root@example.org", "password": ADMIN_PASSWORD},
                      "/login")  # fmt: skip
                secrets += list(admin.cookies.values())
                cohort = _post(admin, "/admin/cohorts", {"name": "Spring cohort"}, "/admin")
                cohort_path = cohort.url.path
                invited = _post(admin, f"{cohort_path}/invites", {"role": "learner"}, cohort_path)
                link = re.search(r"<code>(http[^<]+/invite/([^<]+))</code>", invited.text)
                assert link, invited.text[:500]
                secrets.append(link[2])
            with httpx.Client(base_url=url, timeout=60, follow_redirects=True) as learner:
                invite_path = "/invite/" + link[2]
                form = {"name": "Ada", "email": "ada@example.org", "password": LEARNER_PASSWORD}
                joined = _post(learner, invite_path, form, invite_path)
                assert joined.status_code == 200, joined.text[:300]
                secrets += list(learner.cookies.values())
                uploaded = learner.post(
                    "/profile/resume",
                    files={"resume": ("cv.txt", RESUME.encode(), "text/plain")},
                    headers={"X-CSRF-Token": _csrf(learner, "/profile"), "Origin": url},
                )
                assert uploaded.status_code == 200, uploaded.text[:300]
                page = _post(learner, "/account/tokens", {"name": "script"}, "/account")
                token = re.search(r'id="new-token"[^>]*>[^<]*<code>([^<]+)</code>', page.text)
                assert token
                secrets.append(token[1])
            me = httpx.get(url + "/api/v1/me", headers={"Authorization": f"Bearer {token[1]}"})
            assert me.status_code == 200 and "ada@example.org" in me.text
        finally:
            server.terminate()
            server.wait(timeout=20)
    written = log.read_text(encoding="utf-8", errors="replace")
    leaked = [s for s in secrets if s and s in written]
    assert not leaked, f"the server wrote {len(leaked)} secret(s) to its output"
