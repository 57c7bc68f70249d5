"""The application board in a real browser: add, move with a button, drag to another column.

Buttons are the board's own mechanism (plain forms); dragging only submits the same form, so the
test drags in Chromium and then reads the stage back from the database the server wrote.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from mlpivot.bootstrap import Services
from mlpivot.catalog import Catalog
from mlpivot.config import Settings
from mlpivot.store.job_search import Applications, StoredApplication

pytestmark = pytest.mark.browser

SIZES = {"desktop": {"width": 1280, "height": 900}, "phone": {"width": 390, "height": 844}}


def _stored(data_dir: Path) -> list[StoredApplication]:
    services = Services(Settings(data_dir=data_dir))
    try:
        with services.local() as (session, user):
            return Applications(session, user).all()
    finally:
        services.close()


@pytest.mark.parametrize("size", list(SIZES))
def test_add_move_with_a_button_then_drag_to_another_column(
    server: str,
    browser,  # type: ignore[no-untyped-def]
    tmp_path: Path,
    catalog: Catalog,
    size: str,
) -> None:
    page = browser.new_page(viewport=SIZES[size])
    problems: list[str] = []
    posts: list[str] = []
    # script errors and CSP refusals; a missing favicon is the one 404 a browser asks for itself
    page.on("pageerror", lambda e: problems.append(str(e)))
    page.on(
        "console",
        lambda m: (
            problems.append(m.text)
            if m.type == "error" and "Failed to load resource" not in m.text
            else None
        ),
    )
    page.on(
        "response",
        lambda r: (
            problems.append(f"{r.status} {r.url}")
            if r.status >= 400 and not r.url.endswith("/favicon.ico")
            else None
        ),
    )
    page.on(
        "request",
        lambda r: posts.append(r.post_data_json.get("stage", "")) if r.method == "POST" else None,
    )
    page.goto(server + "/")
    page.click("nav a[href='/applications']")
    page.wait_for_url("**/applications")
    role = catalog.target_roles[0]
    page.fill("#app-company", "Acme Robotics")
    page.fill("#app-title", "ML Engineer")
    page.select_option("#app-role", label=role.name)
    page.click("#add-application button[type=submit]")
    page.wait_for_url("**/applications")
    card = page.locator("#stage-applied article.card")
    assert card.count() == 1
    assert "ML Engineer at Acme Robotics" in card.inner_text()
    (app,) = _stored(tmp_path / "data")
    assert (app.stage, app.role_id) == ("applied", role.id)

    # the button: a plain form post
    page.click(f"#card-{app.public_id} button.move-screen")
    page.wait_for_url(f"**/applications#card-{app.public_id}")
    assert page.locator(f"#stage-screen #card-{app.public_id}").count() == 1
    assert _stored(tmp_path / "data")[0].stage == "screen"

    # the drag: a column the card may go to is marked, and dropping there moves it
    source = page.locator(f"#card-{app.public_id}")
    assert source.get_attribute("draggable") == "true"
    target = page.locator("#stage-onsite")
    target.scroll_into_view_if_needed()
    with page.expect_navigation():
        source.drag_to(target)
    page.locator(f"#stage-onsite #card-{app.public_id}").wait_for()
    (after,) = _stored(tmp_path / "data")
    assert after.stage == "onsite" and after.version == 3
    assert [e.stage for e in after.history] == ["applied", "screen", "onsite"]

    # a column the rules forbid takes no drop: nothing is sent (the next post is the button's)
    page.locator(f"#card-{app.public_id}").drag_to(page.locator("#stage-saved"))
    page.click(f"#card-{app.public_id} button.move-offer")
    page.wait_for_url(f"**/applications#card-{app.public_id}")
    page.locator(f"#stage-offer #card-{app.public_id}").wait_for()
    assert posts == ["applied", "screen", "onsite", "offer"]
    assert [e.stage for e in _stored(tmp_path / "data")[0].history][-1] == "offer"

    sizes = page.evaluate("() => [document.documentElement.scrollWidth, window.innerWidth]")
    assert sizes[0] <= sizes[1], f"the board is {sizes[0]} px wide in a {sizes[1]} px window"
    assert problems == []


def test_the_buttons_work_with_javascript_off(
    server: str,
    browser,  # type: ignore[no-untyped-def]
    tmp_path: Path,
) -> None:
    context = browser.new_context(java_script_enabled=False, viewport=SIZES["phone"])
    page = context.new_page()
    page.goto(server + "/applications")
    page.fill("#app-company", "Acme")
    page.fill("#app-title", "Data Scientist")
    page.select_option("#app-stage", "saved")
    page.click("#add-application button[type=submit]")
    page.wait_for_url("**/applications")
    (app,) = _stored(tmp_path / "data")
    assert page.locator(f"#card-{app.public_id}").get_attribute("draggable") is None
    page.click(f"#card-{app.public_id} button.move-applied")
    page.wait_for_url(f"**/applications#card-{app.public_id}")
    assert page.locator(f"#stage-applied #card-{app.public_id}").count() == 1
    page.click(f"#card-{app.public_id} button.move-withdrawn")
    page.wait_for_url(f"**/applications#card-{app.public_id}")
    assert page.locator(f"#stage-withdrawn #card-{app.public_id} button").count() == 0
    assert [e.stage for e in _stored(tmp_path / "data")[0].history] == [
        "saved",
        "applied",
        "withdrawn",
    ]
    context.close()
