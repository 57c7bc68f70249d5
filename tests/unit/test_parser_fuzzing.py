"""Every parser fed random and hostile input: a clear MlpivotError or a valid result, nothing else.

The seeds are real files made here (a PDF by reportlab, a DOCX by python-docx, a real export);
hypothesis flips, truncates and splices their bytes. Examples are few and derandomised so the
suite stays fast and a failure repeats; every parser runs under its own time limit, and the
hypothesis deadline only catches a hang.
"""

from __future__ import annotations

import io
import json
from collections.abc import Iterator
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from mlpivot.bootstrap import Services
from mlpivot.catalog import Catalog, load_catalog
from mlpivot.cli.profile_source import read_profile_file
from mlpivot.config import Settings
from mlpivot.errors import MlpivotError
from mlpivot.ingest.posting import Posting, parse_posting
from mlpivot.ingest.resume import Resume, parse_resume
from mlpivot.limits import load_json
from mlpivot.store.portability import UserExport, parse_export

FUZZ = settings(
    max_examples=60,
    deadline=timedelta(seconds=30),
    derandomize=True,
    database=None,
    suppress_health_check=[
        HealthCheck.too_slow,
        HealthCheck.data_too_large,
        HealthCheck.function_scoped_fixture,
    ],
)
TODAY = date(2025, 6, 30)


def make_pdf() -> bytes:
    from reportlab.pdfgen import canvas

    out = io.BytesIO()
    page = canvas.Canvas(out)
    for y, line in enumerate(
        (
            "Jane Doe",
            "Experience",
            "Software Engineer, Acme Corp   Jan 2019 - Present",
            "- Built Python services on PostgreSQL and Docker",
        )
    ):
        page.drawString(72, 720 - 20 * y, line)
    page.showPage()
    page.drawString(72, 720, "Skills: SQL, PyTorch, Kubernetes")
    page.save()
    return out.getvalue()


def make_docx() -> bytes:
    import docx

    document = docx.Document()
    document.add_paragraph("Jane Doe")
    document.add_paragraph("Software Engineer, Acme Corp   Jan 2019 - Present")
    document.add_paragraph("Built Python services with SQL", style="List Bullet")
    table = document.add_table(rows=1, cols=2)
    table.cell(0, 0).text = "2016 - 2018"
    table.cell(0, 1).text = "Data Analyst, Initech"
    document.sections[0].header.paragraphs[0].text = "Jane Doe · Page 1"
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


PDF = make_pdf()
DOCX = make_docx()


@st.composite
def mutated(draw: st.DrawFn, seed: bytes) -> bytes:
    """The seed with a few bytes flipped, a slice cut out or copied elsewhere, or truncated."""
    data = bytearray(seed)
    for _ in range(draw(st.integers(1, 4))):
        kind = draw(st.sampled_from(["flip", "cut", "splice", "truncate", "insert"]))
        at = draw(st.integers(0, max(len(data) - 1, 0)))
        if kind == "flip":
            data[at] = draw(st.integers(0, 255))
        elif kind == "cut":
            del data[at : at + draw(st.integers(1, 400))]
        elif kind == "splice":
            start = draw(st.integers(0, len(data) - 1))
            data[at:at] = data[start : start + draw(st.integers(1, 300))]
        elif kind == "truncate":
            del data[max(at, 1) :]
        else:
            data[at:at] = draw(st.binary(min_size=1, max_size=40))
        if not data:
            data = bytearray(b"%")
    return bytes(data)


CATALOG = load_catalog()


def _resume_or_error(data: bytes, name: str, catalog: Catalog) -> None:
    try:
        result = parse_resume(data, name, catalog=catalog, today=TODAY, timeout_seconds=10)
    except MlpivotError as exc:
        assert str(exc).startswith(name), exc
        return
    assert isinstance(result, Resume)


def test_the_seed_files_read_cleanly() -> None:
    for data, name in ((PDF, "seed.pdf"), (DOCX, "seed.docx")):
        resume = parse_resume(data, name, catalog=CATALOG, today=TODAY)
        assert "Acme" in resume.text
        assert any(m.skill_id == "python" for m in resume.mentions)


@FUZZ
@given(data=mutated(PDF))
def test_mutated_pdf_gives_a_resume_or_a_clear_error(data: bytes) -> None:
    _resume_or_error(data, "resume.pdf", CATALOG)


@FUZZ
@given(data=mutated(DOCX))
def test_mutated_docx_gives_a_resume_or_a_clear_error(data: bytes) -> None:
    _resume_or_error(data, "resume.docx", CATALOG)


@FUZZ
@given(
    data=st.one_of(
        st.binary(max_size=2000),
        st.text(max_size=2000).map(lambda t: t.encode("utf-8", "surrogatepass")),
        st.binary(max_size=300).map(lambda b: b"%PDF-1.4\n" + b),
        st.binary(max_size=300).map(lambda b: b"PK\x03\x04" + b),
    ),
    name=st.sampled_from(
        ["r.pdf", "r.docx", "r.txt", "r.md", "r.html", "r.json", "r", "r.odd", "r.zip"]
    ),
)
def test_random_bytes_under_any_name_give_a_resume_or_a_clear_error(data: bytes, name: str) -> None:
    _resume_or_error(data, name, CATALOG)


JSON_VALUES = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats() | st.text(max_size=30),
    lambda inner: (
        st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=10), inner, max_size=4)
    ),
    max_leaves=25,
)
DATES = st.one_of(
    st.sampled_from(["2020", "2020-03", "2020-03-15", "", "present", "2020-13", "0000-00-00"]),
    st.text(max_size=12),
)


@st.composite
def json_resumes(draw: st.DrawFn) -> Any:
    """Shaped like a JSON Resume, with hostile values where real files put dates and words."""
    work = st.fixed_dictionaries(
        {},
        optional={
            "name": st.text(max_size=30),
            "position": st.text(max_size=30) | JSON_VALUES,
            "startDate": DATES,
            "endDate": DATES,
            "summary": st.text(max_size=80),
            "highlights": st.lists(st.text(max_size=40), max_size=3),
        },
    )
    school = st.fixed_dictionaries(
        {},
        optional={"institution": st.text(max_size=20), "startDate": DATES, "endDate": DATES},
    )
    skill = st.fixed_dictionaries(
        {}, optional={"name": st.text(max_size=20), "keywords": st.lists(st.text(max_size=15))}
    )
    shaped = st.fixed_dictionaries(
        {},
        optional={
            "basics": st.fixed_dictionaries({}, optional={"name": st.text(max_size=20)}),
            "work": st.lists(work | JSON_VALUES, max_size=3),
            "education": st.lists(school, max_size=2),
            "skills": st.lists(skill, max_size=3),
        },
    )
    return draw(st.one_of(shaped, JSON_VALUES))


@FUZZ
@given(value=json_resumes())
def test_json_resume_of_any_shape_gives_a_resume_or_a_clear_error(
    value: Any,
) -> None:
    _resume_or_error(json.dumps(value).encode(), "resume.json", CATALOG)


def _posting_or_error(raw: str, catalog: Catalog) -> None:
    try:
        result = parse_posting(raw, catalog, name="posting")
    except MlpivotError as exc:
        assert str(exc).startswith("posting"), exc
        return
    assert isinstance(result, Posting)


HTML_PIECES = st.sampled_from(
    [
        "<html>",
        "<head><title>ML Engineer</title></head>",
        "<body>",
        "<h2>Requirements</h2>",
        "<ul><li>Python and PyTorch</li><li>SQL",
        "<script>var x = '<h2>';</script>",
        '<script type="application/ld+json">',
        '{"@type": "JobPosting", "title": "ML Engineer", "description": "<p>Python</p>"}',
        "</script>",
        '<div class="company">Acme',
        "<table><tr><td>",
        "<!--",
        "&amp;&#0;&#x110000;",
        "</body></html>",
    ]
)


@FUZZ
@given(
    raw=st.one_of(
        st.text(max_size=1500),
        st.lists(HTML_PIECES | st.text(max_size=20), max_size=25).map("".join),
    )
)
def test_posting_text_and_html_give_a_posting_or_a_clear_error(
    raw: str,
) -> None:
    _posting_or_error(raw, CATALOG)


@st.composite
def json_ld(draw: st.DrawFn) -> Any:
    posting = draw(
        st.fixed_dictionaries(
            {"@type": st.sampled_from(["JobPosting", ["JobPosting"], "Thing"]) | JSON_VALUES},
            optional={
                "title": JSON_VALUES,
                "description": st.text(max_size=200) | JSON_VALUES,
                "hiringOrganization": JSON_VALUES,
                "jobLocation": JSON_VALUES,
                "datePosted": JSON_VALUES,
                "@context": st.just("https://schema.org"),
            },
        )
    )
    wrap = draw(st.sampled_from(["plain", "list", "graph", "any"]))
    if wrap == "list":
        return [posting, draw(JSON_VALUES)]
    if wrap == "graph":
        return {"@graph": [draw(JSON_VALUES), posting]}
    return posting if wrap == "plain" else draw(JSON_VALUES)


@FUZZ
@given(value=json_ld())
def test_posting_json_ld_of_any_shape_gives_a_posting_or_a_clear_error(
    value: Any,
) -> None:
    _posting_or_error(json.dumps(value), CATALOG)
    page = f'<html><script type="application/ld+json">{json.dumps(value)}</script>Python</html>'
    _posting_or_error(page, CATALOG)


@pytest.fixture(scope="module")
def profile_services(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Services]:
    made = Services(Settings(data_dir=tmp_path_factory.mktemp("profile-data")))
    yield made
    made.close()


YAML_TEXT = st.one_of(
    st.text(max_size=400),
    st.lists(
        st.sampled_from(
            [
                "skills:\n",
                "  python: 2\n",
                "  pytorch: {level: 3}\n",
                "  sql: [1, {level: 2}]\n",
                "  nonsense: 9\n",
                "weekly_hours: 10\n",
                "target_role: ml_engineer\n",
                "anchor: &a [1, 2]\n",
                "again: *a\n",
                "missing: *nowhere\n",
                "date: 2020-02-31\n",
                "!!python/object:os.system\n",
                "- [[[[\n",
                "? [a]\n: b\n",
                "\t",
                "%YAML 1.1\n---\n",
            ]
        ),
        max_size=10,
    ).map("".join),
)


@FUZZ
@given(text=YAML_TEXT, suffix=st.sampled_from([".yaml", ".json"]))
def test_profile_file_gives_a_profile_or_a_clear_error(
    text: str, suffix: str, profile_services: Services, tmp_path: Path
) -> None:
    path = tmp_path / f"profile{suffix}"
    path.write_text(text, encoding="utf-8", errors="surrogatepass")
    try:
        read_profile_file(path, profile_services)
    except MlpivotError as exc:
        assert str(path) in str(exc), exc


OVERLAY_TEXT = st.one_of(
    YAML_TEXT,
    st.lists(
        st.sampled_from(
            [
                "skills:\n",
                "  - id: my_skill\n",
                "    name: My skill\n",
                "    hours: 10\n",
                "    hours: -1\n",
                "    prerequisites: [python]\n",
                "    prerequisites: [my_skill]\n",
                "  - *x\n",
                "roles:\n",
                "  - &x {id: r, name: R}\n",
                "unknown_section: []\n",
                "  - 3\n",
            ]
        ),
        max_size=10,
    ).map("".join),
)


@FUZZ
@given(text=OVERLAY_TEXT)
def test_knowledge_overlay_gives_a_catalog_or_a_clear_error(text: str, tmp_path: Path) -> None:
    overlay = tmp_path / "overlay"
    overlay.mkdir(exist_ok=True)
    (overlay / "mine.yaml").write_text(text, encoding="utf-8", errors="surrogatepass")
    try:
        # The overlay alone: the same reader as with the built-in files, without their cost.
        load_catalog(overlay, builtin=False)
    except MlpivotError as exc:
        assert "mine.yaml" in str(exc) or "knowledge base" in str(exc), exc


EXPORT = {
    "format": "mlpivot-export",
    "version": 1,
    "profile": {
        "public_id": "p1",
        "created_at": "2025-01-01T00:00:00",
        "version": 1,
        "data": {"skills": {"python": 2}},
        "updated_at": "2025-01-01T00:00:00",
    },
    "plans": [],
    "progress": [
        {
            "public_id": "g1",
            "created_at": "2025-01-01T00:00:00",
            "skill_id": "python",
            "hours": 2.5,
            "done": False,
            "logged_on": "2025-01-02T00:00:00",
        }
    ],
    "documents": [],
    "evidence": [],
}


@FUZZ
@given(data=mutated(json.dumps(EXPORT).encode()))
def test_import_data_file_gives_an_export_or_a_clear_error(data: bytes) -> None:
    try:
        raw = load_json(data.decode("utf-8", "replace"), "export.json")
        result = parse_export(raw, "export.json")
    except MlpivotError as exc:
        assert str(exc).startswith("export.json"), exc
        return
    assert isinstance(result, UserExport)
