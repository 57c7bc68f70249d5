"""The local app against a hostile page, in real Chromium: the attacker's page is served from a
second port on 127.0.0.1 (the hardest case: to a browser that is the *same site*, so cookies
flow), and tries to post a form, fire `fetch` and frame the app. And the whole learner journey
still works under the token and the Content-Security-Policy, with no violation reported."""

from __future__ import annotations

import http.server
import io
import sqlite3
import threading
from collections.abc import Iterator
from functools import partial
from pathlib import Path

import pytest

pytestmark = pytest.mark.browser

REPORT_VIOLATIONS = """
window.cspViolations = [];
document.addEventListener('securitypolicyviolation', (e) => {
  const text = `${e.violatedDirective} blocked ${e.blockedURI || 'inline'} on ${e.documentURI}`;
  window.cspViolations.push(text);
  window.reportViolation(text);
});
"""


def _dump(db: Path) -> str:
    with sqlite3.connect(db) as conn:
        return "\n".join(conn.iterdump())


@pytest.fixture
def db(tmp_path: Path, server: str) -> Path:
    """The served app's SQLite file (the `server` fixture's data dir)."""
    return tmp_path / "data" / "mlpivot.db"


@pytest.fixture
def attacker(tmp_path: Path, server: str) -> Iterator[str]:
    """Another web site, on another port of 127.0.0.1, with pages aimed at the app."""
    site = tmp_path / "attacker"
    site.mkdir()
    victim = server
    (site / "form.html").write_text(
        f"""<!doctype html><title>You won a prize</title>
<form id="f" method="post" action="{victim}/profile">
  <input name="version" value="1"><input name="hours_per_week" value="99">
  <input name="csrf_token" value="guessed">
</form>
<script>document.getElementById('f').submit();</script>""",
        encoding="utf-8",
    )
    (site / "fetch.html").write_text(
        f"""<!doctype html><title>loading</title>
<script>
const form = (fields) => new URLSearchParams(fields);
Promise.allSettled([
  fetch('{victim}/profile', {{method: 'POST', mode: 'no-cors', credentials: 'include',
    body: form({{version: '1', hours_per_week: '99'}})}}),
  fetch('{victim}/plan', {{method: 'POST', mode: 'no-cors', credentials: 'include',
    body: form({{role: 'research-scientist'}})}}),
  fetch('{victim}/plan', {{method: 'POST', credentials: 'include',
    headers: {{'X-CSRF-Token': 'guessed'}}, body: form({{role: 'research-scientist'}})}}),
]).then(() => {{ document.title = 'done'; }});
</script>""",
        encoding="utf-8",
    )
    (site / "frame.html").write_text(
        f"""<!doctype html><title>framing</title>
<iframe id="victim" src="{victim}/profile" width="800" height="600"></iframe>
<iframe id="control" src="marker.html" width="200" height="100"></iframe>""",
        encoding="utf-8",
    )
    (site / "marker.html").write_text('<p id="marker">framed fine</p>', encoding="utf-8")
    handler = partial(http.server.SimpleHTTPRequestHandler, directory=str(site))
    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{httpd.server_address[1]}"
    finally:
        httpd.shutdown()
        httpd.server_close()
        thread.join(timeout=10)


@pytest.fixture
def person(browser, server: str):  # type: ignore[no-untyped-def]
    """A browser that has saved a profile (6 h/week) in the app, as its owner would."""
    context = browser.new_context()
    page = context.new_page()
    page.goto(server + "/profile")
    page.fill("#hours_per_week", "6")
    page.click("button[type=submit]")
    page.wait_for_url("**/fit")
    page.goto(server + "/gap/ml-engineer")
    page.click("#make-plan")
    page.wait_for_url("**/plan")
    yield context
    context.close()


def test_an_auto_submitting_form_on_another_port_is_refused_and_changes_nothing(
    person,  # type: ignore[no-untyped-def]
    server: str,
    attacker: str,
    db: Path,
) -> None:
    before = _dump(db)
    page = person.new_page()
    with page.expect_response(server + "/profile") as answer:
        page.goto(attacker + "/form.html")
    assert answer.value.status == 403
    page.wait_for_url(server + "/profile")
    refusal = page.locator("#refusal").inner_text()
    assert f"sent by a page from {attacker}" in refusal and "Nothing was changed" in refusal
    assert _dump(db) == before
    page.goto(server + "/profile")
    assert page.locator("#hours_per_week").input_value() == "6"


def test_fetch_from_another_port_is_refused_and_changes_nothing(
    person,  # type: ignore[no-untyped-def]
    server: str,
    attacker: str,
    db: Path,
) -> None:
    before = _dump(db)
    page = person.new_page()
    # The page cannot see the answers (no-cors, and CORP hides them), so read the wire via CDP.
    cdp = person.new_cdp_session(page)
    cdp.send("Network.enable")
    posts: dict[str, str] = {}
    statuses: dict[str, int] = {}
    cdp.on(
        "Network.requestWillBeSent",
        lambda e: (
            posts.__setitem__(e["requestId"], e["request"]["url"])
            if e["request"]["method"] == "POST" and e["request"]["url"].startswith(server)
            else None
        ),
    )
    cdp.on(
        "Network.responseReceivedExtraInfo",
        lambda e: statuses.__setitem__(e["requestId"], e["statusCode"]),
    )
    failed: list[str] = []
    page.on("requestfailed", lambda r: failed.append(r.url) if r.method == "POST" else None)
    page.goto(attacker + "/fetch.html")
    page.wait_for_function("document.title === 'done'")
    answered = sorted(statuses[i] for i in posts if i in statuses)
    assert len(posts) == 3 and len(failed) == 3  # all sent; none got an answer to the page
    # the two no-cors posts reached the app and were refused; the third died at its preflight
    assert answered == [403, 403], (posts, statuses)
    assert _dump(db) == before


def test_another_site_cannot_frame_the_app(
    browser,  # type: ignore[no-untyped-def]
    server: str,
    attacker: str,
) -> None:
    page = browser.new_page()
    console: list[str] = []
    page.on("console", lambda m: console.append(m.text))
    page.goto(attacker + "/frame.html")
    control = page.frame_locator("#control").locator("#marker")
    assert control.inner_text() == "framed fine"  # framing itself works on that page...
    victim = page.frame(url=lambda u: u.startswith(server))
    assert victim is None or victim.locator("#profile-form").count() == 0  # ...not of the app
    assert page.frame_locator("#victim").locator("#profile-form").count() == 0
    assert any("frame-ancestors" in text or "X-Frame-Options" in text for text in console), console


def test_the_learner_journey_works_under_the_token_and_the_csp_with_no_violation(
    browser,  # type: ignore[no-untyped-def]
    server: str,
    db: Path,
) -> None:
    context = browser.new_context()
    violations: list[str] = []
    context.expose_binding("reportViolation", lambda _source, text: violations.append(text))
    context.add_init_script(REPORT_VIOLATIONS)
    page = context.new_page()
    page.on(
        "console",
        lambda m: violations.append(m.text) if "Content Security Policy" in m.text else None,
    )
    page.goto(server + "/roles")
    page.locator("li[data-role='ml-engineer'] button").click()  # HTMX under the CSP
    page.wait_for_selector("#skills-ml-engineer table tbody tr")
    page.goto(server + "/profile")
    page.select_option("#rate\\:rate-python", "strong")
    page.fill("#hours_per_week", "8")
    page.click("button[type=submit]")
    page.wait_for_url("**/fit")
    page.locator("li.fit a").first.click()
    page.wait_for_url("**/gap/*")
    page.click("#make-plan")
    page.wait_for_url("**/plan")
    chart = page.locator("figure.timeline img")
    assert chart.evaluate("img => img.complete && img.naturalWidth > 0")
    assert _has_colour(chart.screenshot(), (0x4E, 0x79, 0xA7))  # the first phase's bars
    assert violations == []

    # An HTMX POST from inside the page carries the token that <body> sets, and is accepted
    # (replace=1: following a new plan in place of the followed one is asked for explicitly).
    token = page.locator("meta[name=csrf-token]").get_attribute("content")
    with page.expect_request(lambda r: r.method == "POST") as sent:
        page.evaluate(
            """() => htmx.ajax('POST', '/plan', {source: document.querySelector('main'),
                target: 'main', values: {role: 'data-scientist', replace: '1'}})"""
        )
    assert sent.value.headers.get("x-csrf-token") == token
    assert sent.value.response() is not None and sent.value.response().status == 303  # type: ignore[union-attr]
    page.goto(server + "/plan")
    assert "Data Scientist" in page.locator("h1").inner_text()
    assert violations == []

    # The listener is live: an inline script is refused by the CSP, and reported.
    page.evaluate(
        "() => { const s = document.createElement('script'); s.textContent = '1';"
        " document.body.append(s); }"
    )
    page.wait_for_function("window.cspViolations.length > 0")
    assert any("script-src" in v for v in page.evaluate("window.cspViolations"))
    context.close()


def _has_colour(png: bytes, rgb: tuple[int, int, int], tolerance: int = 12) -> bool:
    from PIL import Image

    data = Image.open(io.BytesIO(png)).convert("RGB").tobytes()
    pixels = (data[i : i + 3] for i in range(0, len(data), 3))
    close = sum(
        1 for p in pixels if all(abs(a - b) <= tolerance for a, b in zip(p, rgb, strict=True))
    )
    return close > 50


def test_serve_help_says_what_single_user_mode_protects_and_what_not(cli) -> None:  # type: ignore[no-untyped-def]
    shown = " ".join(cli("serve", "--help").stdout.split())
    assert "other web sites you visit" in shown
    assert "anyone with a shell on this machine" in shown
