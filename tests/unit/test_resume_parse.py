"""Resume parsing on real files built here: PDF layouts, DOCX, Markdown, JSON Resume, bad input."""

from __future__ import annotations

import io
import json
import struct
import zlib
from datetime import date
from pathlib import Path
from typing import Any

import pytest

from mlpivot.catalog import Catalog
from mlpivot.errors import IngestError
from mlpivot.ingest.documents import read_document
from mlpivot.ingest.resume import Resume, parse_resume, resume_evidence

TODAY = date(2025, 6, 30)

MARKDOWN = """\
# Jane Doe
Backend engineer, London

## Summary
Seven years building payment and health services, now moving into machine learning.

## Experience

### Senior Software Engineer — Northwind Bank (Jan 2020 – Present)
- Built fraud scoring services in Python and PostgreSQL for card payments
- Ran them on Kubernetes with Docker images built in CI

### Software Engineer, Contoso Health | Mar 2018 - Jun 2021
- Wrote REST APIs in Java and Python for patient records

Data Analyst
Fabrikam Retail, Leeds   2017 – 2018
- Weekly reports in SQL and Excel for the retail stores

## Education
BSc Computer Science, University of Leeds, 2012 – 2015

## Skills
Python, SQL, Docker, PyTorch, Git
"""


def png_bytes(width: int = 32, height: int = 32) -> bytes:
    """A valid grey PNG, built by hand so the tests need no imaging library."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        crc = zlib.crc32(kind + data) & 0xFFFFFFFF
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", crc)

    rows = b"".join(b"\x00" + b"\x80" * width * 3 for _ in range(height))
    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", header)
        + chunk(b"IDAT", zlib.compress(rows))
        + chunk(b"IEND", b"")
    )


def single_column_pdf(path: Path) -> Path:
    from reportlab.lib.pagesizes import A4
    from reportlab.pdfgen import canvas

    page = canvas.Canvas(str(path), pagesize=A4)
    y = 800.0
    for line in MARKDOWN.replace("#", "").splitlines():
        page.drawString(50, y, line.strip())
        y -= 16
    page.save()
    return path


def two_column_pdf(path: Path, filler: int = 140) -> Path:
    """Two flowing columns over two pages, a running header and a page-number footer."""
    from reportlab.lib.pagesizes import A4
    from reportlab.lib.styles import getSampleStyleSheet
    from reportlab.platypus import BaseDocTemplate, Frame, PageTemplate, Paragraph

    styles = getSampleStyleSheet()
    width, height = A4

    def decorate(canvas: Any, doc: Any) -> None:
        canvas.setFont("Helvetica", 8)
        canvas.drawString(40, height - 30, "Jane Doe - Curriculum Vitae")
        canvas.drawString(40, 20, f"Page {doc.page}")

    frames = [
        Frame(40, 50, width / 2 - 50, height - 100, id="left"),
        Frame(width / 2 + 10, 50, width / 2 - 50, height - 100, id="right"),
    ]
    doc = BaseDocTemplate(
        str(path), pagesize=A4, pageTemplates=[PageTemplate(frames=frames, onPage=decorate)]
    )
    para = [
        ("Heading2", "Experience"),
        ("Normal", "Senior Software Engineer, Northwind Bank, Jan 2020 - Present"),
        ("Normal", "- Built fraud scoring in Python and PostgreSQL for card payments"),
        *[("Normal", f"- Kept internal tool {i} running for payments") for i in range(filler)],
        ("Normal", "Software Engineer, Contoso Health, Mar 2016 - Dec 2019"),
        ("Normal", "- Wrote Java services for patient records"),
        ("Heading2", "Education"),
        ("Normal", "MSc Data Science, University of Leeds, 2014 - 2015"),
        ("Heading2", "Skills"),
        ("Normal", "Python, SQL, Docker, Kubernetes"),
    ]
    doc.build([Paragraph(text, styles[style]) for style, text in para])
    return path


def table_pdf(path: Path) -> Path:
    from reportlab.lib.pagesizes import A4
    from reportlab.lib.styles import getSampleStyleSheet
    from reportlab.platypus import Paragraph, SimpleDocTemplate, Table

    styles = getSampleStyleSheet()
    rows = [["Skill", "Years"], ["Python", "7"], ["Apache Kafka", "3"], ["Terraform", "2"]]
    SimpleDocTemplate(str(path), pagesize=A4).build(
        [Paragraph("Skills", styles["Heading2"]), Table(rows)]
    )
    return path


def docx_file(path: Path) -> Path:
    import docx

    document = docx.Document()
    document.sections[0].header.paragraphs[0].text = "Jane Doe"
    document.add_heading("Experience", level=1)
    document.add_paragraph("Machine Learning Engineer, Octo Energy, 2021-03 - present")
    document.add_paragraph(
        "Forecast smart meter demand with LightGBM and pandas", style="List Bullet"
    )
    document.add_heading("Skills", level=1)
    table = document.add_table(rows=2, cols=2)
    table.cell(0, 0).text, table.cell(0, 1).text = "Airflow", "3 years"
    table.cell(1, 0).text, table.cell(1, 1).text = "Docker", "2 years"
    document.save(str(path))
    return path


def json_resume(**override: Any) -> dict[str, Any]:
    data: dict[str, Any] = {
        "basics": {"name": "Sam Lee", "label": "Data engineer"},
        "work": [
            {
                "name": "Parcelly",
                "position": "Data Engineer",
                "startDate": "2019-04",
                "endDate": "2023-03",
                "highlights": ["Built Airflow pipelines in Python for parcel delivery routes"],
            },
            {
                "name": "Shopwise",
                "position": "Senior Data Engineer",
                "startDate": "2022-09",
                "highlights": ["Moved batch jobs to Apache Spark on Databricks"],
            },
        ],
        "education": [{"institution": "TU Delft", "studyType": "MSc", "area": "Computer Science"}],
        "skills": [{"name": "Data", "keywords": ["SQL", "Kafka"]}],
    }
    data.update(override)
    return data


# ---------------------------------------------------------------------------------------------
# Layouts


def test_markdown_resume_gives_sections_positions_education_and_years(catalog: Catalog) -> None:
    resume = parse_resume(MARKDOWN.encode(), "jane.md", catalog=catalog, today=TODAY)
    assert {"Summary", "Experience", "Education", "Skills"} <= set(resume.sections)
    titles = [(p.title, p.employer) for p in resume.positions]
    assert titles == [
        ("Senior Software Engineer", "Northwind Bank"),
        ("Software Engineer", "Contoso Health"),
        ("Data Analyst", "Fabrikam Retail"),
    ]
    first = resume.positions[0]
    assert first.start == date(2020, 1, 1) and first.end is None
    assert first.lines[0].startswith("Built fraud scoring")
    assert resume.education[0].institution == "University of Leeds"
    assert resume.education[0].degree.startswith("BSc")
    # Python: Mar 2018 - Jun 2025 (the two jobs overlap Jan 2020 - Jun 2021, counted once).
    assert resume.skill_years["python"] == pytest.approx(7.3, abs=0.1)
    assert resume.skill_years["kubernetes"] == pytest.approx(5.5, abs=0.1)
    assert "pytorch" not in resume.skill_years  # only in the skills list
    assert set(resume.domains) >= {"finance", "healthcare", "retail"}


def test_every_mention_carries_the_line_it_was_found_on(catalog: Catalog) -> None:
    resume = parse_resume(MARKDOWN.encode(), "jane.md", catalog=catalog, today=TODAY)
    lines = resume.text.split("\n")
    for m in resume.mentions:
        assert resume.text[m.start : m.end] == m.text
        assert m.text in m.line and m.line in lines[m.line_number - 1]


def test_evidence_levels_follow_the_documented_rule(catalog: Catalog) -> None:
    resume = parse_resume(MARKDOWN.encode(), "jane.md", catalog=catalog, today=TODAY)
    evidence = resume_evidence(resume, catalog, observed_on=TODAY)
    assert evidence["pytorch"].level == 1  # named in the skills list only
    assert evidence["excel"].level == 2  # used in a two-year job
    assert evidence["python"].level == 3  # used for more than three years
    assert evidence["python"].source.value == "resume"
    assert "Python" in evidence["python"].detail and evidence["python"].observed_on == TODAY


def test_single_column_pdf_reads_like_the_markdown(tmp_path: Path, catalog: Catalog) -> None:
    resume = parse_resume(single_column_pdf(tmp_path / "cv.pdf"), catalog=catalog, today=TODAY)
    assert [p.employer for p in resume.positions] == [
        "Northwind Bank",
        "Contoso Health",
        "Fabrikam Retail",
    ]
    assert resume.skill_years["python"] == pytest.approx(7.3, abs=0.1)


def test_two_column_pdf_reads_columns_in_order_without_header_and_footer(
    tmp_path: Path, catalog: Catalog
) -> None:
    path = two_column_pdf(tmp_path / "two-column.pdf")
    document = read_document(path)
    assert "Curriculum Vitae" not in document.text and "Page 1" not in document.text
    assert any("header/footer" in w for w in document.warnings)
    text = document.text
    assert text.index("tool 0 running") < text.index("tool 139 running") < text.index("Contoso")
    resume = parse_resume(path, catalog=catalog, today=TODAY)
    assert [p.employer for p in resume.positions] == ["Northwind Bank", "Contoso Health"]
    assert resume.positions[1].lines == ("Wrote Java services for patient records",)
    assert resume.education[0].degree.startswith("MSc")


def test_pdf_table_rows_stay_on_one_line(tmp_path: Path, catalog: Catalog) -> None:
    document = read_document(table_pdf(tmp_path / "table.pdf"))
    rows = document.text.split("\n")
    assert any("Apache Kafka" in row and "3" in row for row in rows)
    resume = parse_resume(tmp_path / "table.pdf", catalog=catalog, today=TODAY)
    assert {"python", "kafka", "terraform"} <= {m.skill_id for m in resume.mentions}


def test_docx_paragraphs_and_tables(tmp_path: Path, catalog: Catalog) -> None:
    resume = parse_resume(docx_file(tmp_path / "cv.docx"), catalog=catalog, today=TODAY)
    assert resume.positions[0].title == "Machine Learning Engineer"
    assert resume.positions[0].start == date(2021, 3, 1) and resume.positions[0].end is None
    assert resume.skill_years["lightgbm"] == pytest.approx(4.3, abs=0.1)
    found = {m.skill_id for m in resume.mentions}
    assert {"airflow", "docker", "pandas"} <= found
    assert "energy" in resume.domains


def test_json_resume_fields_become_positions(tmp_path: Path, catalog: Catalog) -> None:
    path = tmp_path / "resume.json"
    path.write_text(json.dumps(json_resume()), encoding="utf-8")
    resume = parse_resume(path, catalog=catalog, today=TODAY)
    assert [(p.title, p.employer) for p in resume.positions] == [
        ("Data Engineer", "Parcelly"),
        ("Senior Data Engineer", "Shopwise"),
    ]
    assert resume.positions[0].end == date(2023, 3, 1) and resume.positions[1].end is None
    assert resume.skill_years["airflow"] == 4.0
    assert resume.education[0].degree == "MSc Computer Science"
    assert "logistics" in resume.domains
    assert resume_evidence(resume, catalog)["kafka"].level == 1


def test_json_resume_schema_violation_names_the_field(tmp_path: Path, catalog: Catalog) -> None:
    broken = json_resume()
    broken["work"][1]["startDate"] = "last spring"
    path = tmp_path / "resume.json"
    path.write_text(json.dumps(broken), encoding="utf-8")
    with pytest.raises(IngestError) as caught:
        parse_resume(path, catalog=catalog)
    message = str(caught.value)
    assert message.startswith("resume.json: ") and "work[1].startDate" in message


def test_json_that_is_not_a_resume_is_refused(catalog: Catalog) -> None:
    with pytest.raises(IngestError, match=r"other\.json: .*not a JSON Resume"):
        parse_resume(b'{"name": "x"}', "other.json", catalog=catalog)


def test_overlapping_jobs_are_not_counted_twice(catalog: Catalog) -> None:
    text = (
        "Experience\nEngineer, A, 2020-01 - 2021-12\n- Python services\n"
        "Engineer, B, 2021-01 - 2022-12\n- Python tooling\n"
    )
    resume = parse_resume(text.encode(), "cv.txt", catalog=catalog, today=TODAY)
    assert resume.skill_years["python"] == 3.0
    assert resume.experience_years == 3.0


# ---------------------------------------------------------------------------------------------
# Bad input: a clear error naming the file, or a warning and a partial result


def test_encrypted_pdf_is_explained(tmp_path: Path) -> None:
    from pypdf import PdfWriter

    writer = PdfWriter(clone_from=str(table_pdf(tmp_path / "plain.pdf")))
    writer.encrypt("secret", algorithm="RC4-128")
    writer.write(str(tmp_path / "locked.pdf"))
    with pytest.raises(IngestError, match=r"^locked\.pdf: .*password-protected"):
        read_document(tmp_path / "locked.pdf")


@pytest.mark.parametrize("keep", [200, 0.4])
def test_truncated_pdf_is_explained(tmp_path: Path, keep: float) -> None:
    data = two_column_pdf(tmp_path / "whole.pdf").read_bytes()
    cut = tmp_path / "cut.pdf"
    cut.write_bytes(data[: int(keep if keep > 1 else len(data) * keep)])
    try:
        document = read_document(cut)
    except IngestError as exc:
        assert str(exc).startswith("cut.pdf: the PDF is damaged")
    else:  # pypdf recovered what it could: then the reader must say the file was cut off
        assert any("cut off" in w for w in document.warnings)


def test_png_renamed_pdf_is_named_for_what_it_is(tmp_path: Path) -> None:
    (tmp_path / "photo.pdf").write_bytes(png_bytes())
    with pytest.raises(IngestError, match=r"^photo\.pdf: this is not a PDF.*PNG image"):
        read_document(tmp_path / "photo.pdf")


def test_scanned_pdf_without_text_layer_asks_for_ocr(tmp_path: Path) -> None:
    from reportlab.lib.utils import ImageReader
    from reportlab.pdfgen import canvas

    page = canvas.Canvas(str(tmp_path / "scan.pdf"))
    page.drawImage(ImageReader(io.BytesIO(png_bytes(100, 140))), 50, 300, 400, 500)
    page.save()
    with pytest.raises(IngestError, match=r"^scan\.pdf: .*images only.*OCR"):
        read_document(tmp_path / "scan.pdf")


@pytest.mark.parametrize("content", [b"", b"  \n\n "])
def test_empty_file_is_refused(tmp_path: Path, content: bytes) -> None:
    (tmp_path / "empty.md").write_bytes(content)
    with pytest.raises(IngestError, match=r"^empty\.md: the file is empty"):
        read_document(tmp_path / "empty.md")


def test_a_50_mb_file_is_refused_before_it_is_read(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    big = tmp_path / "huge.pdf"
    with big.open("wb") as handle:
        handle.truncate(50_000_000)  # sparse: instant, and no disk used

    def no_reading(*_: object) -> bytes:
        raise AssertionError("the file was read")

    monkeypatch.setattr(Path, "read_bytes", no_reading)
    with pytest.raises(IngestError, match=r"^huge\.pdf: the file is 50\.0 MB, over the 10 MB"):
        read_document(big)


def test_the_size_limit_can_be_lowered() -> None:
    with pytest.raises(IngestError, match=r"larger than the 0\.001 MB limit"):
        read_document(b"x" * 2_000, "notes.txt", max_bytes=1_000)


def test_parsing_past_the_time_limit_says_so(tmp_path: Path) -> None:
    path = two_column_pdf(tmp_path / "long.pdf", filler=400)
    with pytest.raises(IngestError, match=r"^long\.pdf: reading the file took longer than"):
        read_document(path, timeout_seconds=0.000_001)


def test_binary_text_file_is_refused() -> None:
    with pytest.raises(IngestError, match=r"^blob\.txt: this is a binary file"):
        read_document(b"abc\x00\x01\x02" * 10, "blob.txt")


def test_non_utf8_text_is_read_with_a_warning(catalog: Catalog) -> None:
    text = "Experience\nIngénieur, Société Générale, 2019 - 2021\n- Développement en Python\n"
    resume = parse_resume(text.encode("cp1252"), "cv.txt", catalog=catalog, today=TODAY)
    assert "Société Générale" in resume.text
    assert any("not UTF-8" in w for w in resume.warnings)
    # a year-only end runs to that year's December: 2019 - 2021 is three calendar years
    assert resume.skill_years["python"] == 3.0


@pytest.mark.parametrize(
    ("text", "script"),
    [
        (
            "Опыт работы\nСтарший инженер, Ромашка, 2019 - 2023\n"
            "- Разрабатывал сервисы на Python и PostgreSQL в Kubernetes\n",
            "Cyrillic",
        ),
        (
            "工作经历\n高级工程师，北京某公司，2018 - 2022\n"
            "- 使用 Python 和 PyTorch 开发推荐系统\n",
            "Chinese",
        ),
    ],
)
def test_other_scripts_warn_and_still_find_latin_skills(
    catalog: Catalog, text: str, script: str
) -> None:
    resume = parse_resume(text.encode(), "cv.txt", catalog=catalog, today=TODAY)
    assert any(script in w and "not Latin" in w for w in resume.warnings)
    assert "python" in {m.skill_id for m in resume.mentions}
    assert resume.positions and resume.skill_years["python"] >= 4.0


def test_missing_dates_leave_a_warning_not_an_error(catalog: Catalog) -> None:
    resume: Resume = parse_resume(b"Skills\nPython, SQL\n", "skills.txt", catalog=catalog)
    assert not resume.positions and resume.skill_years == {}
    assert any("no dated positions" in w for w in resume.warnings)
    assert {m.skill_id for m in resume.mentions} >= {"python", "sql"}
