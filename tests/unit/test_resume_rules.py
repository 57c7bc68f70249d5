"""The rules the resume reader follows on resumes as people write them, one class per test.

Each test states a class of failure seen on real resumes (dates written many ways, education
lines that look like jobs, two-column PDFs, symbol-font bullets, DOCX tables, Latin-1 text) and
checks it on a document made here, not on the wording of any example in the gold set.
"""

from __future__ import annotations

import io
from datetime import date
from pathlib import Path

import pytest
from reportlab.lib.pagesizes import A4
from reportlab.pdfgen import canvas

from mlpivot.catalog import Catalog, load_catalog
from mlpivot.ingest.documents import read_document
from mlpivot.ingest.plain_text import is_bullet, strip_bullet
from mlpivot.ingest.positions import find_dates, parse_date
from mlpivot.ingest.resume import parse_resume, resume_evidence

TODAY = date(2026, 3, 15)


@pytest.fixture(scope="module")
def catalog() -> Catalog:
    return load_catalog()


def _months(line: str) -> tuple[str, str | None]:
    span = find_dates(line)
    assert span is not None, line
    start = f"{span.start.year}-{span.start.month:02d}"
    if span.end is None:
        return start, None
    return start, f"{span.end.year}-{span.end.last_day.month:02d}"


@pytest.mark.parametrize(
    ("line", "start", "end"),
    [
        ("Analyst | 06/15 – Now", "2015-06", None),
        ("Analyst, 2019 – Present", "2019-01", None),
        ("Analyst | Jan 2020 to date", "2020-01", None),
        ("Analyst (2018–19)", "2018-01", "2019-12"),
        ("Analyst (1998-03)", "1998-01", "2003-12"),
        ("Analyst — Acme (Since 2021)", "2021-01", None),
        ("2021.09 – current Acme / Analyst", "2021-09", None),
        ("Analyst 2016.03 – 2018.07", "2016-03", "2018-07"),
        ("Analyst (Q3 2019 – Q2 2022)", "2019-07", "2022-06"),
        ("Analyst, Acme, Summer 2025", "2025-06", "2025-08"),
        ("Analyst | March 2017 - Aug. 2019", "2017-03", "2019-08"),
        ("Analyst | Sept 2017 – Oct 2018", "2017-09", "2018-10"),
        ("Analyste | janvier 2024 - présent", "2024-01", None),
        ("Analista | 03/2021 - actual", "2021-03", None),
        ("Analyst | Oct 2020 – ongoing", "2020-10", None),
        ("Analyst | 2023—present", "2023-01", None),
        ("Analyst | 09/98 – 05/03", "1998-09", "2003-05"),
        ("Analyst | 2019-07 – 2020-02", "2019-07", "2020-02"),
    ],
)
def test_job_dates_are_read_in_the_ways_resumes_write_them(
    line: str, start: str, end: str | None
) -> None:
    assert _months(line) == (start, end)


@pytest.mark.parametrize(
    "text", ["Junior 2019", "Marketing 2020", "Decent 2018", "Mayor 2017", "Augmented 2021"]
)
def test_a_word_that_starts_like_a_month_is_not_a_month(text: str) -> None:
    assert parse_date(text) is None
    span = find_dates(f"{text} – 2022")
    assert span is None or not span.start.exact_month


def test_a_year_only_end_runs_to_december_and_a_month_end_to_that_month(
    catalog: Catalog,
) -> None:
    text = "Experience\nData Analyst, Acme Ltd, 2019 – 2020\n- SQL reports\n"
    resume = parse_resume(text.encode(), "cv.txt", catalog=catalog, today=TODAY)
    assert resume.experience_years == 2.0
    text = "Experience\nData Analyst, Acme Ltd, Mar 2019 – Feb 2020\n- SQL reports\n"
    resume = parse_resume(text.encode(), "cv.txt", catalog=catalog, today=TODAY)
    assert resume.experience_years == 1.0


def test_education_lines_with_years_and_grades_never_become_jobs(catalog: Catalog) -> None:
    # No "Education" heading at all: the degree lines sit among the jobs.
    text = "\n".join(
        [
            "Jordan Example",
            "Data Analyst | Acme Retail | 2022 – Present",
            "- Forecasting with Python",
            "BSc Mathematics, Example State University, 2018–2022, GPA 3.8/4.0",
            "Final grade 17/20, thesis on graph colouring (2021)",
            "A-levels: Mathematics A, Physics A (2016 – 2018)",
        ]
    )
    resume = parse_resume(text.encode(), "cv.txt", catalog=catalog, today=TODAY)
    assert [(p.title, p.employer) for p in resume.positions] == [("Data Analyst", "Acme Retail")]
    assert resume.experience_years < 5


def test_career_breaks_are_not_positions(catalog: Catalog) -> None:
    text = (
        "Experience\nAnalyst, Acme, 2021 – Present\n- SQL\n"
        "Career break (travel and family), 2019 – 2020\nEngineer, Beta, 2015 – 2018\n"
    )
    resume = parse_resume(text.encode(), "cv.txt", catalog=catalog, today=TODAY)
    assert [p.employer for p in resume.positions] == ["Acme", "Beta"]


def test_the_employer_is_read_from_the_line_under_a_title_with_dates(catalog: Catalog) -> None:
    text = (
        "EXPERIENCE\nLead Engineer | 04/18 – Now\nGlenfield Instruments GmbH, Bremen\n"
        "- Firmware in C\nTest Engineer | 09/12 – 03/18\nOakham Labs Ltd, Leeds\n- Test rigs\n"
    )
    resume = parse_resume(text.encode(), "cv.txt", catalog=catalog, today=TODAY)
    assert [(p.title, p.employer) for p in resume.positions] == [
        ("Lead Engineer", "Glenfield Instruments GmbH"),
        ("Test Engineer", "Oakham Labs Ltd"),
    ]
    assert resume.positions[1].start == date(2012, 9, 1)


def test_titles_under_one_company_header_share_its_employer(catalog: Catalog) -> None:
    text = (
        "EXPERIENCE\nNorthbeam Systems, Oslo\nStaff Engineer | 2022 – present\n- Led the team\n"
        "Senior Engineer | 2019 – 2021\n- Services\nEngineer | 2017 – 2018\n- Tools\n"
        "Developer — Quayside Ltd | 2014 – 2016\n"
    )
    resume = parse_resume(text.encode(), "cv.txt", catalog=catalog, today=TODAY)
    assert [p.employer for p in resume.positions] == ["Northbeam Systems"] * 3 + ["Quayside Ltd"]


def test_freelance_work_without_a_named_client_is_self_employed(catalog: Catalog) -> None:
    text = "Experience\nFreelance Illustrator (self-employed) | 2015 – 2018\n- Book covers\n"
    resume = parse_resume(text.encode(), "cv.txt", catalog=catalog, today=TODAY)
    assert resume.positions[0].employer == "self-employed"


@pytest.mark.parametrize(
    "line",
    ["• Python", "▪Python", "\uf0b7 Python", "➤ Python", "- Python", "* Python", "o Python"],
)
def test_list_marks_of_every_kind_are_bullets(line: str) -> None:
    assert is_bullet(line) and strip_bullet(line) == "Python"


@pytest.mark.parametrize("line", ["Python, SQL", "Oracle DBA", "2019 – 2021", "**Engineer**"])
def test_ordinary_lines_are_not_bullets(line: str) -> None:
    assert not is_bullet(line)


def _pdf(draw: object) -> bytes:
    buf = io.BytesIO()
    c = canvas.Canvas(buf, pagesize=A4, invariant=1)
    draw(c)  # type: ignore[operator]
    c.save()
    return buf.getvalue()


@pytest.mark.parametrize("font", ["ZapfDingbats", "Symbol"])
def test_symbol_font_bullets_never_become_employer_names(font: str, catalog: Catalog) -> None:
    def draw(c: canvas.Canvas) -> None:
        y = 780.0
        for text, bullet in [
            ("EXPERIENCE", False),
            ("Product Manager — Larkspur Foods | 2020 – Present", False),
            ("Roadmap for the ordering app", True),
            ("Analyst — Moorgate Insurance | 2016 – 2019", False),
            ("Pricing dashboards in SQL", True),
        ]:
            if bullet:
                c.setFont(font, 8)
                c.drawString(50, y, "l" if font == "ZapfDingbats" else "\xb7")
            c.setFont("Helvetica", 10)
            c.drawString(62 if bullet else 50, y, text)
            y -= 14
        c.showPage()

    resume = parse_resume(_pdf(draw), "cv.pdf", catalog=catalog, today=TODAY)
    assert [p.employer for p in resume.positions] == ["Larkspur Foods", "Moorgate Insurance"]
    assert resume.positions[0].lines == ("Roadmap for the ordering app",)


def _two_column(c: canvas.Canvas) -> None:
    """A banner, a sidebar and a main column that share one line spacing (so their baselines
    coincide), with dates right-aligned inside the main column."""
    width, height = A4
    c.setFont("Helvetica-Bold", 18)
    c.drawString(40, height - 50, "Robin Example-Person")
    side = ["CONTACT", "robin@mail.example", "Leeds, UK", "SKILLS", "Python, SQL, Docker"]
    side += ["Kubernetes, Airflow", "EDUCATION", "MSc Computer Science", "Pennine University"]
    side += ["2012 – 2014", "LANGUAGES", "English, Welsh"]
    main: list[tuple[str, str]] = [
        ("EXPERIENCE", ""),
        ("Senior ML Engineer", "Mar 2019 – Present"),
        ("Moorland Retail Ltd", ""),
        ("• Search ranking with gradient boosting in PyTorch", ""),
        ("Software Engineer", "Sep 2014 – Feb 2019"),
        ("Dalesway Logistics", ""),
        ("• Route planning services in Python", ""),
    ]
    y = height - 100
    for line in side:
        c.setFont("Helvetica", 9)
        c.drawString(40, y, line)
        y -= 13
    y = height - 100
    for left, right in main:
        c.setFont("Helvetica", 9)
        c.drawString(200, y, left)
        if right:
            c.drawRightString(width - 40, y, right)
        y -= 13
    c.setFont("Helvetica", 8)
    c.drawString(width / 2, 30, "Page 1")
    c.showPage()


def test_two_column_pdf_is_read_column_by_column_from_glyph_positions(
    catalog: Catalog,
) -> None:
    data = _pdf(_two_column)
    document = read_document(data, "cv.pdf")
    lines = document.text.split("\n")
    assert "robin@mail.example" in lines and "Pennine University" in lines  # not glued
    assert lines.index("Pennine University") < lines.index("EXPERIENCE")
    assert "Page 1" not in document.text
    resume = parse_resume(data, "cv.pdf", catalog=catalog, today=TODAY)
    assert [(p.title, p.employer) for p in resume.positions] == [
        ("Senior ML Engineer", "Moorland Retail Ltd"),
        ("Software Engineer", "Dalesway Logistics"),
    ]


def test_dates_right_aligned_on_title_lines_do_not_make_a_second_column() -> None:
    def draw(c: canvas.Canvas) -> None:
        width, _ = A4
        y = 780.0
        for i in range(8):
            c.setFont("Helvetica", 10)
            c.drawString(50, y, f"Engineer {i}, Company {i}")
            c.drawRightString(width - 50, y, f"{2000 + i} – {2001 + i}")
            c.drawString(50, y - 13, "• Built services in Python and Go for the platform team")
            y -= 30
        c.showPage()

    lines = read_document(_pdf(draw), "cv.pdf").text.split("\n")
    assert lines[0].startswith("Engineer 0, Company 0") and lines[0].endswith("2000 – 2001")


def _docx_bytes(build: object) -> bytes:
    import docx

    document = docx.Document()
    build(document)  # type: ignore[operator]
    buf = io.BytesIO()
    document.save(buf)
    return buf.getvalue()


def test_docx_tables_and_tab_stops_are_read_in_order(catalog: Catalog) -> None:
    def build(document: object) -> None:
        document.sections[0].header.paragraphs[0].text = "Sam Example"  # type: ignore[attr-defined]
        document.sections[0].footer.paragraphs[0].text = "Page 1 of 2"  # type: ignore[attr-defined]
        document.add_paragraph("Experience")  # type: ignore[attr-defined]
        table = document.add_table(rows=2, cols=2)  # type: ignore[attr-defined]
        rows = [
            ("2020 – present", ["Senior Statistician", "Harrow Pharma AG, Basel", "– Trials"]),
            ("Jan 2016 – Dec 2019", ["Statistician", "Kestrel CRO, Lyon", "– SAS and R"]),
        ]
        for row, (dates, details) in zip(table.rows, rows, strict=True):
            row.cells[0].text = dates
            row.cells[1].text = details[0]
            for line in details[1:]:
                row.cells[1].add_paragraph(line)
        document.add_paragraph("Skills")  # type: ignore[attr-defined]
        document.add_paragraph("Developer\tMar 2012 – Nov 2015")  # type: ignore[attr-defined]

    data = _docx_bytes(build)
    text = read_document(data, "cv.docx").text
    assert text.startswith("Sam Example") and "Page 1" not in text
    assert "Senior StatisticianHarrow" not in text and "DeveloperMar" not in text
    resume = parse_resume(data, "cv.docx", catalog=catalog, today=TODAY)
    assert [(p.title, p.employer) for p in resume.positions] == [
        ("Senior Statistician", "Harrow Pharma AG"),
        ("Statistician", "Kestrel CRO"),
    ]


def test_latin1_text_file_is_read_with_its_accents(catalog: Catalog) -> None:
    text = "Expérience\nAnalyste, Société Générale, janvier 2019 - décembre 2021\n- SQL, Python\n"
    data = ("Renée Dupré\n" + text.replace("Expérience", "Experience")).encode("latin-1")
    resume = parse_resume(data, "cv.txt", catalog=catalog, today=TODAY)
    assert "Renée" in resume.text
    assert resume.positions[0].employer == "Société Générale"
    assert resume.positions[0].start == date(2019, 1, 1)


def test_json_resume_with_an_empty_end_date_is_a_current_job(catalog: Catalog) -> None:
    data = (
        b'{"basics": {"name": "Ana"}, "work": [{"name": "Acme", "position": "Analyst", '
        b'"startDate": "2022-08-15", "endDate": ""}]}'
    )
    resume = parse_resume(data, "cv.json", catalog=catalog, today=TODAY)
    assert resume.positions[0].start == date(2022, 8, 1) and resume.positions[0].end is None


def test_a_resume_without_dated_jobs_says_so_and_its_skills_become_evidence(
    tmp_path: Path, catalog: Catalog
) -> None:
    text = (
        "Experience\nData Analyst, Acme Logistics\n- Dashboards in Tableau\nSkills\nPython, SQL\n"
    )
    resume = parse_resume(text.encode(), "cv.txt", catalog=catalog, today=TODAY)
    # The job is still a job (no dates, no years), and the warning says the dates are missing.
    assert [(p.title, p.employer, p.start) for p in resume.positions] == [
        ("Data Analyst", "Acme Logistics", None)
    ]
    assert resume.experience_years == 0.0
    assert any("no dated positions" in w for w in resume.warnings)
    evidence = resume_evidence(resume, catalog)
    assert {"python", "sql", "tableau"} <= set(evidence)
    assert evidence["tableau"].detail == "Dashboards in Tableau"


def test_education_reads_schools_in_other_languages_and_years_on_their_own_line(
    catalog: Catalog,
) -> None:
    text = (
        "Education\nLicenciatura en Economía, Universidad de Norteña | 2009 – 2013\n"
        "MSc Data Science\nRiverside Institute of Technology\n2014 – 2016\n"
        "Skills\nPython\n"
    )
    resume = parse_resume(text.encode(), "cv.txt", catalog=catalog, today=TODAY)
    found = [(e.institution, e.end.year if e.end else None) for e in resume.education]
    assert found == [
        ("Universidad de Norteña", 2013),
        ("Riverside Institute of Technology", 2016),
    ]
    assert not resume.positions


def test_a_comma_inside_a_title_stays_when_the_employer_is_on_the_line_below(
    catalog: Catalog,
) -> None:
    text = (
        "EXPERIENCE\nHead of Year, Science | 09/19 – Now\nRedbrook Academy, Bristol\n- Pastoral\n"
        "Senior Engineer, Quarry Labs | 2015 – 2019\nPython, Go, SQL, Docker, Kafka\n- APIs\n"
    )
    resume = parse_resume(text.encode(), "cv.txt", catalog=catalog, today=TODAY)
    assert [(p.title, p.employer) for p in resume.positions] == [
        ("Head of Year, Science", "Redbrook Academy"),
        ("Senior Engineer", "Quarry Labs"),
    ]


def test_a_wide_gap_inside_a_line_separates_fields(catalog: Catalog) -> None:
    text = "Experience\n2019/07 – 2021/02    Harbourline Finance    Data Scientist\n- Models\n"
    resume = parse_resume(text.encode(), "cv.txt", catalog=catalog, today=TODAY)
    assert [(p.title, p.employer) for p in resume.positions] == [
        ("Data Scientist", "Harbourline Finance")
    ]


def test_word_list_paragraphs_are_bullets_not_employers(catalog: Catalog) -> None:
    def build(document: object) -> None:
        document.add_paragraph("Experience")  # type: ignore[attr-defined]
        document.add_paragraph("Data Analyst, Ferngate Insurance — 2018 – 2021")  # type: ignore[attr-defined]
        document.add_paragraph("Ran pricing tests", style="List Bullet")  # type: ignore[attr-defined]
        document.add_paragraph("Analyst, Oakfield Partners — 2016 – 2018")  # type: ignore[attr-defined]

    resume = parse_resume(_docx_bytes(build), "cv.docx", catalog=catalog, today=TODAY)
    assert [p.employer for p in resume.positions] == ["Ferngate Insurance", "Oakfield Partners"]
    assert resume.positions[0].lines == ("Ran pricing tests",)


def test_a_symbol_glyph_inside_a_line_is_left_out(catalog: Catalog) -> None:
    def draw(c: canvas.Canvas) -> None:
        c.setFont("Helvetica", 11)
        c.drawString(50, 800, "Backend Engineer")
        c.setFont("Symbol", 9)
        c.drawString(142, 801, "\xae")  # an arrow in the Symbol font
        c.setFont("Helvetica", 11)
        c.drawString(156, 800, "ML Engineer")
        c.showPage()

    text = read_document(_pdf(draw), "cv.pdf").text
    assert text.split("\n")[0] == "Backend Engineer ML Engineer"


def test_the_wrapped_end_of_a_bullet_is_never_a_title_or_employer(catalog: Catalog) -> None:
    text = (
        "Experience\nData Engineer | Tidewell Energy | 2021 – Present\n"
        "- Streaming ingestion with Kafka, schema registry and\nexactly-once delivery\n"
        "Analyst | 2018 – 2020\n- Reports\n- Conversion rose from 2.1% to\n4.5%\n"
        "Engineer | 2016 – 2017\n"
    )
    resume = parse_resume(text.encode(), "cv.txt", catalog=catalog, today=TODAY)
    employers = [p.employer for p in resume.positions]
    assert employers == ["Tidewell Energy", "", ""]
