"""The web forms against what people type: nothing they entered is lost, every mistake is named by
its field with the allowed range, and no input at all gives a server error or changes anything.

Forms and their fields are read from the pages themselves (as a browser would), so a new form or
field is posted to here without anyone listing it.
"""

from __future__ import annotations

import random
import re
import sqlite3
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date
from html.parser import HTMLParser
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from mlpivot.bootstrap import Services
from mlpivot.catalog.models import EvidenceKind
from mlpivot.config import Settings
from mlpivot.engine.profile import Profile, SkillEvidence, profile_from_data, profile_to_data
from mlpivot.store.repositories import Profiles
from mlpivot.web.app import create_app
from mlpivot.web.forms import field_limits

ORIGIN = "http://127.0.0.1:8000"
SAME_ORIGIN = {"Origin": ORIGIN, "Sec-Fetch-Site": "same-origin"}


@dataclass
class Form:
    action: str
    method: str
    fields: list[tuple[str, str]] = field(default_factory=list)
    """what a browser would send for the form as it stands: (name, value) in page order"""
    choices: dict[str, list[str]] = field(default_factory=dict)
    attrs: dict[str, dict[str, str]] = field(default_factory=dict)


class Forms(HTMLParser):
    """Every form of a page with the values a browser would submit, untouched."""

    def __init__(self) -> None:
        super().__init__()
        self.forms: list[Form] = []
        self._select: str | None = None
        self._options: list[tuple[str, bool]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = {k: v or "" for k, v in attrs}
        if tag == "form":
            self.forms.append(Form(a.get("action", ""), a.get("method", "get").lower()))
            return
        if not self.forms:
            return
        form = self.forms[-1]
        name = a.get("name")
        if tag == "input" and name:
            form.attrs[name] = a
            kind = a.get("type", "text")
            if kind == "checkbox":
                form.choices.setdefault(name, []).append(a.get("value", "on"))
                if "checked" in a:
                    form.fields.append((name, a.get("value", "on")))
            else:
                form.fields.append((name, a.get("value", "")))
        elif tag == "select" and name:
            form.attrs[name] = a
            self._select, self._options = name, []
        elif tag == "option" and self._select:
            self._options.append((a.get("value", ""), "selected" in a))

    def handle_endtag(self, tag: str) -> None:
        if tag == "select" and self._select and self.forms:
            form = self.forms[-1]
            values = [v for v, _ in self._options]
            chosen = next((v for v, s in self._options if s), values[0] if values else "")
            form.fields.append((self._select, chosen))
            form.choices[self._select] = values
            self._select = None


def forms_of(html: str) -> list[Form]:
    parser = Forms()
    parser.feed(html)
    return parser.forms


@dataclass
class App:
    client: TestClient
    services: Services
    db: Path

    def stored(self) -> Profile | None:
        with self.services.local() as (session, user):
            found = Profiles(session, user).get()
        return profile_from_data(found.data, self.services.catalog) if found else None

    def dump(self) -> str:
        with sqlite3.connect(self.db) as conn:
            return "\n".join(conn.iterdump())

    def profile_form(self) -> Form:
        page = self.client.get("/profile")
        assert page.status_code == 200
        (form,) = [f for f in forms_of(page.text) if f.action == "/profile"]
        return form

    def post(self, form: Form, changes: dict[str, str] | None = None) -> object:
        sent = [(k, v) for k, v in form.fields if k not in (changes or {})]
        sent += list((changes or {}).items())
        return self.client.post(form.action, data=_pairs(sent), headers=SAME_ORIGIN)


def _pairs(pairs: list[tuple[str, str]]) -> dict[str, list[str]]:
    out: dict[str, list[str]] = {}
    for k, v in pairs:
        out.setdefault(k, []).append(v)
    return out


@pytest.fixture
def app(tmp_path: Path) -> Iterator[App]:
    services = Services(Settings(data_dir=tmp_path))
    try:
        client = TestClient(create_app(services), base_url=ORIGIN, follow_redirects=False)
        yield App(client, services, tmp_path / "mlpivot.db")
    finally:
        services.close()


def _resume_profile(app: App) -> Profile:
    """A profile as `import resume` leaves it: self-ratings, resume evidence (some for skills no
    question asks about), a name, a target date and an industry the form does not list."""
    catalog = app.services.catalog
    asked = {s for q in catalog.skill_questions.values() for s in q.skills}
    unasked = sorted(set(catalog.skills) - asked)[:20]
    question = next(iter(catalog.skill_questions.values()))
    day = date(2026, 3, 1)
    person = Profile(
        name="Ada",
        years_experience=6,
        hours_per_week=7,
        country="GB",
        target_date=date(2027, 6, 1),
        domains=("aerospace", "finance"),
        skills={question.skills[0]: (SkillEvidence(level=1, detail="questionnaire"),)},
    )
    resume = {
        skill_id: SkillEvidence(
            level=2, source=EvidenceKind.RESUME, detail=f"resume line {i}", observed_on=day
        )
        for i, skill_id in enumerate([*unasked, question.skills[0]])
    }
    person = person.with_resume(resume, ("aerospace",), None)
    with app.services.local() as (session, user):
        Profiles(session, user).save(profile_to_data(person), expected_version=None)
    return person


def test_saving_the_form_untouched_keeps_every_skill_and_its_evidence(app: App) -> None:
    before = _resume_profile(app)
    answer = app.post(app.profile_form())
    assert answer.status_code == 303  # type: ignore[attr-defined]
    after = app.stored()
    assert after is not None
    assert after.levels() == before.levels()
    assert after.skills == before.skills  # resume lines, sources and dates included
    assert (after.name, after.target_date, after.domains) == (
        before.name,
        before.target_date,
        before.domains,
    )


def test_a_first_profile_is_saved_from_the_form_as_the_page_shows_it(app: App) -> None:
    answer = app.post(app.profile_form(), {"rate:rate-python": "strong", "hours_per_week": "6"})
    assert answer.status_code == 303  # type: ignore[attr-defined]
    stored = app.stored()
    assert stored is not None and stored.hours_per_week == 6
    python = app.services.catalog.skill_questions["rate-python"].skills[0]
    assert stored.level(python) == 3


def test_changing_one_rating_replaces_only_that_self_rating(app: App) -> None:
    before = _resume_profile(app)
    catalog = app.services.catalog
    question = next(iter(catalog.skill_questions.values()))
    skill = question.skills[0]
    answer = app.post(app.profile_form(), {f"rate:{question.id}": "strong"})
    assert answer.status_code == 303  # type: ignore[attr-defined]
    after = app.stored()
    assert after is not None
    assert after.level(skill) == 3
    sources = sorted(e.source.value for e in after.skills[skill])
    assert sources == ["resume", "self"]  # the resume line stays, the old self-rating went
    others = {k: v for k, v in before.skills.items() if k not in question.skills}
    assert {k: after.skills[k] for k in others} == others


def test_the_form_states_the_model_limits_on_its_fields(app: App) -> None:
    form = app.profile_form()
    for name in ("hours_per_week", "years_experience"):
        limits = field_limits(name)
        attrs = form.attrs[name]
        assert "required" in attrs
        assert limits.max is not None and float(attrs["max"]) == limits.max
        assert limits.min is not None and float(attrs["min"]) >= limits.min
    assert "maxlength" in form.attrs["country"] and "required" in form.attrs["country"]
    assert all("required" in form.attrs[n] for n, _ in form.fields if n.startswith("rate:"))


BAD = [
    ("hours_per_week", "100", "80"),
    ("hours_per_week", "", "required"),
    ("hours_per_week", "lots", "not a number"),
    ("hours_per_week", "nan", "not a number"),
    ("years_experience", "-3", "0"),
    ("interest:research", "maybe", "not one of the choices"),
    ("current_role", "x" * 10_000, "not one of the choices"),
    ("maths_background", "kindergarten", "not one of the choices"),
    ("domains", "underwater basket weaving", "not one of the choices"),
    ("country", "a country far away", "country"),
]


@pytest.mark.parametrize(("name", "value", "says"), BAD, ids=[f"{n}={v[:12]!r}" for n, v, _ in BAD])
def test_a_bad_field_is_named_with_what_is_allowed_and_every_typed_value_is_kept(
    app: App, name: str, value: str, says: str
) -> None:
    _resume_profile(app)
    before = app.dump()
    typed = {"years_experience": "11.5", "target_seniority": "senior", "rate:rate-python": "strong"}
    typed.pop(name, None)
    page = app.post(app.profile_form(), {**typed, name: value})
    assert page.status_code == 400  # type: ignore[attr-defined]
    html: str = page.text  # type: ignore[attr-defined]
    assert app.dump() == before, "a refused form changed what was stored"
    assert "Nothing was saved" in html
    error = re.search(rf'id="{re.escape(name)}-error">([^<]*)<', html)
    assert error, f"no error next to {name}"
    assert says.casefold() in error.group(1).casefold()
    errors = re.findall(r'class="field-error', html)
    assert len(errors) == 1, "only the wrong field is marked"
    (again,) = [f for f in forms_of(html) if f.action == "/profile"]
    resent = dict(again.fields)
    for key, kept in typed.items():
        assert resent[key] == kept, f"{key} lost what was typed"
    if again.attrs.get(name, {}).get("type") == "number":
        assert resent[name] == value  # the wrong value itself stays, to be corrected
    # correcting the one field saves everything typed
    fixed = app.post(again, {name: dict(app.profile_form().fields)[name]})
    assert fixed.status_code == 303  # type: ignore[attr-defined]
    stored = app.stored()
    assert stored is not None and stored.target_seniority == "senior"
    assert stored.years_experience == (6 if name == "years_experience" else 11.5)


def _fuzz_values(rng: random.Random, choices: list[str]) -> str:
    pool = [
        "",
        " ",
        "0",
        "-1",
        "1e400",
        "-inf",
        "nan",
        "NaN",
        "80.0000001",
        "9" * 40,
        "0x10",
        "None",
        "null",
        "[]",
        "{}",
        "<script>alert(1)</script>",
        "' OR 1=1 --",
        "é" * 300,
        "\x00",
        "\ud7ff",
        "x" * 20_000,
        "../../etc/passwd",
        str(rng.uniform(-1e6, 1e6)),
        str(rng.randint(-5, 200)),
    ]
    if choices and rng.random() < 0.4:
        return rng.choice(choices)
    return rng.choice(pool)


def test_random_values_in_every_field_of_every_form_never_give_a_server_error(app: App) -> None:
    _resume_profile(app)
    gap = f"/gap/{app.services.catalog.target_roles[0].id}"
    (make_plan,) = [f for f in forms_of(app.client.get(gap).text) if f.action == "/plan"]
    assert app.post(make_plan).status_code == 303  # type: ignore[attr-defined]
    pages = ["/", "/roles", "/profile", "/fit", gap, "/plan", "/plan/log", "/match"]
    found = [
        (page, form.action)
        for page in pages
        for form in forms_of(app.client.get(page).text)
        if form.method == "post"
    ]
    assert {action for _, action in found} >= {"/profile", "/plan", "/plan/progress", "/match"}
    rng = random.Random(13)
    failures: list[str] = []
    for page, action in found:
        for _ in range(30):
            # the form as the page shows it now (its version moves when a post is saved)
            form = next(f for f in forms_of(app.client.get(page).text) if f.action == action)
            names = sorted({n for n, _ in form.fields if n != "csrf_token"} | set(form.choices))
            changes = {
                n: _fuzz_values(rng, form.choices.get(n, []))
                for n in rng.sample(names, k=rng.randint(1, len(names)))
            }
            before = app.dump()
            status = app.post(form, changes).status_code  # type: ignore[attr-defined]
            if status >= 500:
                failures.append(f"{action} {sorted(changes)}: {status}")
            elif status >= 400 and app.dump() != before:
                failures.append(f"{action}: refused ({status}) yet something changed")
    assert failures == [], "\n".join(failures[:20])


def test_unknown_pages_and_bad_posts_answer_a_page_in_a_browser_and_json_to_json_clients(
    app: App,
) -> None:
    browser = {"Accept": "text/html,application/xhtml+xml,*/*;q=0.8"}
    missing = app.client.get("/no-such-page", headers=browser)
    assert missing.status_code == 404
    assert missing.headers["content-type"].startswith("text/html")
    assert "no such page" in missing.text
    token = dict(app.profile_form().fields)["csrf_token"]
    bad = app.client.post(
        "/profile",
        data={"version": "seven", "csrf_token": token},
        headers={**SAME_ORIGIN, **browser},
    )
    assert bad.status_code == 422 and bad.headers["content-type"].startswith("text/html")
    assert "version" in bad.text and "nothing was changed" in bad.text
    api = app.client.get("/no-such-page", headers={"Accept": "application/json"})
    assert api.status_code == 404 and api.json() == {"detail": "Not Found"}
