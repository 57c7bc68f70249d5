"""`mlpivot import resume` run as a person would: a subprocess on its own SQLite data folder."""

from __future__ import annotations

import json
import subprocess
from collections.abc import Callable
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]
BACKEND = REPO / "examples" / "profiles" / "backend-python.yaml"

Cli = Callable[..., subprocess.CompletedProcess[str]]

RESUME = """\
## Experience
### ML Engineer, Octo Energy (2021-03 - present)
- Forecast smart meter demand with LightGBM and pandas; served with FastAPI on Docker
### Backend Engineer, Parcelly | Jan 2018 - Feb 2021
- Python services for parcel delivery routes on PostgreSQL
## Skills
Python, SQL, PyTorch
"""


def _stored_profile(cli: Cli) -> dict[str, object]:
    result = cli("assess", "--profile", str(BACKEND), "--json")
    assert result.returncode == 0, result.stderr
    return dict(json.loads(result.stdout))


def test_import_resume_stores_it_and_adds_resume_evidence(cli: Cli, tmp_path: Path) -> None:
    resume = tmp_path / "cv.md"
    resume.write_text(RESUME, encoding="utf-8")
    result = cli("import", "resume", str(resume), "--today", "2025-06-30", "--json")
    assert result.returncode == 0, result.stderr
    report = json.loads(result.stdout)
    assert report["profile_version"] == 1  # a profile was created
    assert [p["employer"] for p in report["resume"]["positions"]] == ["Octo Energy", "Parcelly"]
    assert report["resume"]["skill_years"]["python"] == pytest.approx(3.2, abs=0.1)
    assert report["evidence"]["lightgbm"]["level"] == 3
    assert report["evidence"]["pytorch"]["level"] == 1
    assert report["evidence"]["docker"]["source"] == "resume"
    assert "FastAPI on Docker" in report["evidence"]["docker"]["detail"]
    assert {"energy", "logistics"} <= set(report["resume"]["domains"])

    exported = tmp_path / "mine.json"
    assert cli("export", "data", "--out", str(exported)).returncode == 0
    rows = json.loads(exported.read_text(encoding="utf-8"))["evidence"]
    assert {(r["skill_id"], r["level"], r["source"]) for r in rows} >= {
        ("lightgbm", 3, "resume"),
        ("pytorch", 1, "resume"),
    }
    assert all(r["observed_at"].startswith("2025-06-30") for r in rows)

    again = cli("import", "resume", str(resume), "--today", "2025-06-30", "--json")
    assert json.loads(again.stdout)["profile_version"] == 2
    fit = cli("fit", "--json")
    assert fit.returncode == 0, fit.stderr


def test_import_resume_adds_to_an_existing_profile_and_prints_the_evidence(
    cli: Cli, tmp_path: Path
) -> None:
    before = _stored_profile(cli)
    resume = tmp_path / "cv.md"
    resume.write_text(RESUME, encoding="utf-8")
    result = cli("import", "resume", str(resume), "--today", "2025-06-30")
    assert result.returncode == 0, result.stderr
    out = result.stdout
    assert "Octo Energy" in out and "Parcelly" in out
    assert "LightGBM" in out and "Forecast smart meter demand" in out
    assert "Domains: energy, logistics" in out
    assert f"(version {int(str(before['version'])) + 1})" in out


def _bad_files(tmp_path: Path) -> dict[str, Path]:
    from pypdf import PdfWriter
    from reportlab.pdfgen import canvas

    plain = tmp_path / "plain.pdf"
    page = canvas.Canvas(str(plain))
    page.drawString(50, 800, "Engineer, Acme, 2020 - 2022: Python")
    page.save()
    writer = PdfWriter(clone_from=str(plain))
    writer.encrypt("secret", algorithm="RC4-128")
    writer.write(str(tmp_path / "locked.pdf"))
    (tmp_path / "cut.pdf").write_bytes(plain.read_bytes()[:150])
    (tmp_path / "photo.pdf").write_bytes(b"\x89PNG\r\n\x1a\n" + b"\x00" * 64)
    (tmp_path / "empty.md").write_bytes(b"")
    with (tmp_path / "huge.pdf").open("wb") as handle:
        handle.truncate(50_000_000)
    (tmp_path / "bad.json").write_text(
        json.dumps({"work": [{"name": "Acme", "startDate": "spring 2020"}]}), encoding="utf-8"
    )
    return {
        name: tmp_path / name
        for name in ("locked.pdf", "cut.pdf", "photo.pdf", "empty.md", "huge.pdf", "bad.json")
    }


def _snapshot(data_dir: Path) -> tuple[int, dict[str, object], int]:
    """The stored profile's version and data, and how many documents are stored."""
    from sqlalchemy import func, select

    from mlpivot.bootstrap import Services
    from mlpivot.config import Settings
    from mlpivot.store.repositories import Profiles
    from mlpivot.store.tables import DocumentRow

    services = Services(Settings(data_dir=data_dir))
    try:
        with services.local() as (session, user):
            stored = Profiles(session, user).get()
            documents = session.scalar(select(func.count()).select_from(DocumentRow)) or 0
        assert stored is not None
        return stored.version, dict(stored.data), int(documents)
    finally:
        services.close()


def test_bad_files_get_a_plain_error_and_change_nothing_stored(cli: Cli, tmp_path: Path) -> None:
    _stored_profile(cli)
    good = tmp_path / "cv.md"
    good.write_text(RESUME, encoding="utf-8")
    assert cli("import", "resume", str(good)).returncode == 0
    before = _snapshot(tmp_path / "data")
    expected = {
        "locked.pdf": "password-protected",
        "cut.pdf": "damaged",
        "photo.pdf": "PNG image",
        "empty.md": "empty",
        "huge.pdf": "over the 10 MB limit",
        "bad.json": "work[0].startDate",
    }
    for name, path in _bad_files(tmp_path).items():
        result = cli("import", "resume", str(path))
        assert result.returncode == 1, (name, result.stdout, result.stderr)
        assert result.stderr.startswith(f"Error: {name}: "), result.stderr
        assert expected[name] in result.stderr
        assert "Traceback" not in result.stderr
    assert _snapshot(tmp_path / "data") == before
