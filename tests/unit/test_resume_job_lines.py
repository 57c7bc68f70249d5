"""Job lines as people write them: every layout of title, employer and dates, with any job.

The reader must not depend on a job title it happens to know or on one order of the pieces, so
each rule is checked on every combination of a layout (where title, employer and dates stand),
a date style and a pair of jobs from outside tech (titles that no ML resume would carry,
employers without "Ltd" or "Inc"). None of these strings comes from the gold set.
"""

from __future__ import annotations

import io
import itertools
from collections.abc import Callable
from datetime import date

import pytest
from reportlab.lib.pagesizes import A4
from reportlab.pdfgen import canvas

from mlpivot.catalog import Catalog, load_catalog
from mlpivot.ingest.job_words import employer_score, is_place, title_score
from mlpivot.ingest.positions import find_dates
from mlpivot.ingest.resume import parse_resume, resume_evidence
from mlpivot.ingest.resume_sections import heading_of, section_kind

TODAY = date(2026, 3, 15)


@pytest.fixture(scope="module")
def catalog() -> Catalog:
    return load_catalog()


# (title, employer) pairs: titles from trades, care, finance and research; employers that carry
# no legal form, some with an organisation word ("Bank", "& Sons", "Council"), some with none.
JOBS = [
    (("Barista", "Copperkettle"), ("Bookkeeper", "Okonkwo & Sons")),
    (("Sous Chef", "The Wharf Kitchen"), ("Planning Officer", "Eastmarsh Council")),
    (("Credit Risk Modeller", "Tollgate Bank"), ("Electrician", "Brightspark")),
    (("Member of Technical Staff", "Orrin Labs"), ("Quant", "Halcyon Capital")),
    (("Paralegal", "Whitlow Legal"), ("Care Assistant", "Meadowbank Care Home")),
]
DATES = [
    (("Mar 2019", "Present"), ("Jun 2015", "Feb 2019"), ("2019-03", "2015-06")),
    (("03/2019", "now"), ("06/2015", "02/2019"), ("2019-03", "2015-06")),
    (("15/03/2019", "current"), ("01/06/2015", "28/02/2019"), ("2019-03", "2015-06")),
    (("Mar '19", "today"), ("Jun '15", "Feb '19"), ("2019-03", "2015-06")),
    (("2019", "present"), ("2015", "2018"), ("2019-01", "2015-01")),
]

Layout = Callable[[str, str, str, str], str]
LAYOUTS: dict[str, Layout] = {
    "title, employer, dates": lambda t, e, s, f: f"{t}, {e}, {s} – {f}\n- Did the work",
    "employer — title | dates": lambda t, e, s, f: f"{e} — {t} | {s} – {f}\n- Did the work",
    "title at employer / dates": lambda t, e, s, f: f"{t} at {e}\n{s} – {f}\n- Did the work",
    "employer / title / dates / place": lambda t, e, s, f: f"{e}\n{t}\n{s} - {f}\nLeeds, UK",
    "dates / title, employer": lambda t, e, s, f: f"{s} – {f}\n{t}, {e}\n• Did the work",
    "title | dates / employer, place": lambda t, e, s, f: f"{t} | {s} – {f}\n{e}, Bristol\n- Work",
    "employer: title (dates)": lambda t, e, s, f: f"{e}: {t} ({s} – {f})\n- Did the work",
    "title / employer / dates · duration": lambda t, e, s, f: f"{t}\n{e}\n{s} - {f} · 3 yrs 2 mos",
    "dates | title | employer, place": lambda t, e, s, f: f"{s} – {f} | {t} | {e}, Remote",
    "title / dates / employer, place": lambda t, e, s, f: f"{t}\n{s} – {f}\n{e}, York\n- Work",
    "title (employer), dates": lambda t, e, s, f: f"{t} ({e}), {s} – {f}\n- Did the work",
    "employer header / title | dates": lambda t, e, s, f: f"{e} — Leeds\n{t} | {s} – {f}\n- Work",
    "labelled fields": lambda t, e, s, f: (
        f"Dates: {s} – {f}\nPosition: {t}\nEmployer: {e}, Lyon\n- Did the work"
    ),
}


@pytest.mark.parametrize(
    ("layout", "jobs", "dates"),
    [
        (name, jobs, dates)
        for (name, jobs), dates in zip(
            itertools.product(LAYOUTS, JOBS), itertools.cycle(DATES), strict=False
        )
    ],
)
def test_title_employer_and_start_are_read_in_any_layout_for_any_job(
    layout: str,
    jobs: tuple[tuple[str, str], tuple[str, str]],
    dates: tuple[tuple[str, str], tuple[str, str], tuple[str, str]],
    catalog: Catalog,
) -> None:
    render = LAYOUTS[layout]
    (t1, e1), (t2, e2) = jobs
    (s1, f1), (s2, f2), (m1, m2) = dates
    text = "Jordan Example\nWork Experience\n" + render(t1, e1, s1, f1) + "\n"
    text += render(t2, e2, s2, f2) + "\nSkills\nExcel, SQL\n"
    resume = parse_resume(text.encode(), "cv.txt", catalog=catalog, today=TODAY)
    found = [
        (p.title, p.employer, f"{p.start:%Y-%m}" if p.start else None) for p in resume.positions
    ]
    assert found == [(t1, e1, m1), (t2, e2, m2)], text


@pytest.mark.parametrize(
    ("line", "start", "end"),
    [
        ("Analyst | 15/09/2015 – 28/02/2019", "2015-09", "2019-02"),
        ("Analyst | 09/15/2015 – 02/28/2019", "2015-09", "2019-02"),
        ("Analyst | 01.03.2019 – heute", "2019-03", None),
        ("Analyst, Mar '19 – Jul '21", "2019-03", "2021-07"),
        ("Analyst, June – August 2023", "2023-06", "2023-08"),
        ("Analyst, Nov – Feb 2020", "2019-11", "2020-02"),
        ("Analyst, Jan–Mar '22", "2022-01", "2022-03"),
        ("Analyst (2019 onwards)", "2019-01", None),
        ("Analyst, June 1, 2019 – May 31, 2021", "2019-06", "2021-05"),
        ("Analyst, 1 June 2019 – 31 May 2021", "2019-06", "2021-05"),
        ("Analyst, Sept. 15th, 2016 – present", "2016-09", None),
    ],
)
def test_full_dates_short_years_and_shared_years_are_read(
    line: str, start: str, end: str | None
) -> None:
    span = find_dates(line)
    assert span is not None, line
    assert f"{span.start.year}-{span.start.month:02d}" == start
    got_end = None if span.end is None else f"{span.end.year}-{span.end.last_day.month:02d}"
    assert got_end == end


@pytest.mark.parametrize(
    ("heading", "kind"),
    [
        ("Professional Background", "experience"),
        ("Experience & Leadership", "experience"),
        ("EXPERIENCE & PROJECTS", "experience"),
        ("Academic Appointments", "experience"),
        ("Academic Background", "education"),
        ("Berufserfahrung", "experience"),
        ("Formation", "education"),
        ("Technical Proficiencies", "skills"),
    ],
)
def test_section_headings_are_recognised_however_they_are_cased(heading: str, kind: str) -> None:
    found = heading_of(heading)
    assert found is not None and section_kind(found) == kind


@pytest.mark.parametrize(
    "line",
    ["Education Consultant", "Riverside Institute of Technology", "Skills Trainer", "Jane Work"],
)
def test_a_job_title_or_a_school_name_is_not_a_heading(line: str) -> None:
    assert heading_of(line) is None


@pytest.mark.parametrize(
    ("piece", "title", "employer"),
    [
        ("Underwriter", 2, 0),
        ("Engineer II", 2, 0),
        ("Head of Operations", 2, 0),
        ("Software Engineer", 2, 0),
        ("Harbourside Software Ltd", 0, 2),
        ("Dept. of Statistics", 0, 1),
        ("Quantum Optics Group", 0, 1),
        ("Wren & Partners", 0, 2),
    ],
)
def test_titles_and_organisations_are_told_apart_by_their_words(
    piece: str, title: int, employer: int
) -> None:
    assert (title_score(piece) == 2, employer_score(piece)) == (title == 2, employer)


@pytest.mark.parametrize(
    "piece", ["Berlin, Germany", "Austin, TX", "Remote", "Greater Leeds Area", "Lyon, France"]
)
def test_places_are_neither_titles_nor_employers(piece: str) -> None:
    assert is_place(piece)


def test_the_organisation_wins_over_its_department_on_one_line(catalog: Catalog) -> None:
    text = (
        "Experience\nTeaching Fellow, Department of History, Northmoor University, 2018 – 2021\n"
        "Archivist, Reading Room Team, Castlegate Museum Trust, 2014 – 2018\n"
    )
    resume = parse_resume(text.encode(), "cv.txt", catalog=catalog, today=TODAY)
    assert [p.employer for p in resume.positions] == [
        "Northmoor University",
        "Castlegate Museum Trust",
    ]


def test_title_in_a_field_keeps_the_field_and_title_in_an_organisation_splits(
    catalog: Catalog,
) -> None:
    text = (
        "Experience\nLecturer in Statistics, Northmoor University, 2018 – 2021\n"
        "Trainee in Thornbury Savings Bank, 2016 – 2018\n"
    )
    resume = parse_resume(text.encode(), "cv.txt", catalog=catalog, today=TODAY)
    assert [(p.title, p.employer) for p in resume.positions] == [
        ("Lecturer in Statistics", "Northmoor University"),
        ("Trainee", "Thornbury Savings Bank"),
    ]


def test_titles_under_a_company_line_share_it_until_the_next_company(catalog: Catalog) -> None:
    text = (
        "Experience\nCopperkettle\n4 years 3 months\nShift Supervisor\nJan 2022 - Present\n"
        "Leeds, UK\nBarista\nDec 2019 - Dec 2021\nLeeds, UK\nTollgate Bank\nTeller\n"
        "Jun 2017 - Nov 2019\nYork, UK\n"
    )
    resume = parse_resume(text.encode(), "cv.txt", catalog=catalog, today=TODAY)
    assert [(p.title, p.employer) for p in resume.positions] == [
        ("Shift Supervisor", "Copperkettle"),
        ("Barista", "Copperkettle"),
        ("Teller", "Tollgate Bank"),
    ]


def test_jobs_in_a_work_section_without_any_dates_are_positions_without_dates(
    catalog: Catalog,
) -> None:
    text = (
        "Experience\nCare Assistant — Meadowbank Care Home\n- Evening rounds; medication log in "
        "Excel\nPorter, Eastmarsh Hospital\n- Night shifts\nSkills\nExcel, SQL, Python\n"
    )
    resume = parse_resume(text.encode(), "cv.txt", catalog=catalog, today=TODAY)
    assert [(p.title, p.employer, p.start) for p in resume.positions] == [
        ("Care Assistant", "Meadowbank Care Home", None),
        ("Porter", "Eastmarsh Hospital", None),
    ]
    assert resume.experience_years == 0.0
    assert any("no dated positions" in w and "2 job(s)" in w for w in resume.warnings)
    assert {"python", "sql"} <= set(resume_evidence(resume, catalog))


def test_a_skills_only_resume_has_no_positions(catalog: Catalog) -> None:
    text = "Profile\nAnalyst who likes numbers\nSkills\nPython, SQL\nExcel — advanced\n"
    resume = parse_resume(text.encode(), "cv.txt", catalog=catalog, today=TODAY)
    assert not resume.positions
    assert any("no dated positions" in w for w in resume.warnings)


def _pdf(draw: Callable[[canvas.Canvas], None]) -> bytes:
    buf = io.BytesIO()
    c = canvas.Canvas(buf, pagesize=A4, invariant=1)
    draw(c)
    c.save()
    return buf.getvalue()


PDF_JOBS = [
    ("Shift Supervisor", "Copperkettle", "Jan 2021", "Present"),
    ("Bookkeeper", "Okonkwo & Sons", "Mar 2017", "Dec 2020"),
    ("Care Assistant", "Meadowbank Care Home", "Sep 2014", "Feb 2017"),
]
DETAIL = "Kept the weekly stock and rota figures in Excel and a small SQL database"


def _labels_in_the_margin(dates_in_margin: bool) -> Callable[[canvas.Canvas], None]:
    """A page whose left margin holds labels beside the entries: the dates of each job (a
    timeline) or only the section headings."""

    def draw(c: canvas.Canvas) -> None:
        width, height = A4
        c.setFont("Helvetica-Bold", 18)
        c.drawString(50, height - 60, "Robin Example")
        y = height - 110
        c.setFont("Helvetica-Bold", 10)
        c.drawString(50, y, "EXPERIENCE")
        for title, employer, start, end in PDF_JOBS:
            c.setFont("Helvetica", 9)
            if dates_in_margin:
                c.drawString(50, y - 14, f"{start} – {end}")
                y -= 14
                c.drawString(160, y, f"{title}, {employer}")
            else:
                c.drawString(160, y, f"{title}, {employer}")
                c.drawRightString(width - 40, y, f"{start} – {end}")
            for _ in range(2):
                y -= 13
                c.drawString(160, y, "• " + DETAIL)
            y -= 19
        c.setFont("Helvetica-Bold", 10)
        c.drawString(50, y, "EDUCATION")
        c.setFont("Helvetica", 9)
        c.drawString(160, y, "BSc Accounting, Northmoor University, 2010 – 2014")
        y -= 20
        c.setFont("Helvetica-Bold", 10)
        c.drawString(50, y, "SKILLS")
        c.setFont("Helvetica", 9)
        c.drawString(160, y, "Excel, SQL, Python")
        c.showPage()

    return draw


@pytest.mark.parametrize("dates_in_margin", [True, False])
def test_labels_in_a_pdf_margin_stay_beside_their_entries(
    dates_in_margin: bool, catalog: Catalog
) -> None:
    data = _pdf(_labels_in_the_margin(dates_in_margin))
    resume = parse_resume(data, "cv.pdf", catalog=catalog, today=TODAY)
    assert [(p.title, p.employer, p.start) for p in resume.positions] == [
        ("Shift Supervisor", "Copperkettle", date(2021, 1, 1)),
        ("Bookkeeper", "Okonkwo & Sons", date(2017, 3, 1)),
        ("Care Assistant", "Meadowbank Care Home", date(2014, 9, 1)),
    ]
    assert [(e.institution, e.end) for e in resume.education] == [
        ("Northmoor University", date(2014, 1, 1))
    ]


def test_thesis_grade_and_certification_lines_are_not_education_entries(
    catalog: Catalog,
) -> None:
    text = (
        "Education\nMA History, Northmoor University | 2012 – 2013\n"
        "• Master thesis: parish records of the 1840s\nDiploma thesis on mills, grade 1.3\n"
        "BSc Accounting\nCastlegate College\n2008 – 2011 · final grade 15/20\n"
        "Oracle Certified Associate, Java SE 8\nSkills\nExcel\n"
    )
    resume = parse_resume(text.encode(), "cv.txt", catalog=catalog, today=TODAY)
    assert [(e.institution, e.start, e.end) for e in resume.education] == [
        ("Northmoor University", date(2012, 1, 1), date(2013, 1, 1)),
        ("Castlegate College", date(2008, 1, 1), date(2011, 1, 1)),
    ]


def test_a_date_range_wrapped_after_its_dash_is_joined(catalog: Catalog) -> None:
    text = (
        "Experience\nSurveyor, Fenmoor Water, Jan 2015 –\nDec 2018\n- Flood maps\n"
        "Estimator, Quillback, Feb 2019 –\nPresent\n"
    )
    resume = parse_resume(text.encode(), "cv.txt", catalog=catalog, today=TODAY)
    assert [(p.title, p.employer, p.end) for p in resume.positions] == [
        ("Surveyor", "Fenmoor Water", date(2018, 12, 1)),
        ("Estimator", "Quillback", None),
    ]


@pytest.mark.parametrize("kind", ["Contract", "Part-time", "Full time", "Fixed-term"])
def test_a_city_with_its_state_and_a_kind_of_contract_are_neither_title_nor_employer(
    kind: str, catalog: Catalog
) -> None:
    text = (
        f"Experience\n{kind}: Surveyor, Corvane, Toronto, ON (Jan. 2020 – present)\n"
        f"{kind}: Estimator, Gorsefield, Austin, TX (May 2017 – Dec 2019)\n"
    )
    resume = parse_resume(text.encode(), "cv.txt", catalog=catalog, today=TODAY)
    assert [(p.title, p.employer) for p in resume.positions] == [
        ("Surveyor", "Corvane"),
        ("Estimator", "Gorsefield"),
    ]


def test_a_docx_table_with_dates_in_the_right_cell_reads_each_job_whole(
    catalog: Catalog,
) -> None:
    import docx

    document = docx.Document()
    document.add_paragraph("Work Experience")
    table = document.add_table(rows=0, cols=2)
    for title, employer, start, end in PDF_JOBS:
        row = table.add_row()
        row.cells[0].text = title
        row.cells[0].add_paragraph(employer)
        row.cells[0].add_paragraph("Kept the weekly rota in Excel")
        row.cells[1].text = f"{start} – {end}"
    buf = io.BytesIO()
    document.save(buf)
    resume = parse_resume(buf.getvalue(), "cv.docx", catalog=catalog, today=TODAY)
    assert [(p.title, p.employer) for p in resume.positions] == [
        (title, employer) for title, employer, _, _ in PDF_JOBS
    ]


def test_without_a_work_heading_dated_projects_and_the_name_line_are_not_jobs(
    catalog: Catalog,
) -> None:
    text = (
        "Lee Example\nlee@mail.example · +44 20 7946 0000\nSurveyor, Brackwater, 2019 – present\n"
        "- Site surveys\nProjects\nFlood map of the Wharfe (2021) – QGIS and Python\n"
        "Tide gauge logger, 2020 – 2021\nCertifications\nRICS Certified Surveyor, 2022\n"
    )
    resume = parse_resume(text.encode(), "cv.txt", catalog=catalog, today=TODAY)
    assert [(p.title, p.employer) for p in resume.positions] == [("Surveyor", "Brackwater")]


@pytest.mark.parametrize(
    "after",
    [
        "Publications\nExample, L. (2019–2020). Notes on tides. Journal of Water.\n",
        "Interests\nMarathons (Berlin 2018 – 2022)\n",
        "Awards\nSurveyor of the Year, 2021\n",
    ],
)
def test_dated_lines_after_the_work_section_are_not_jobs(after: str, catalog: Catalog) -> None:
    text = "Experience\nSurveyor, Brackwater, 2019 – present\n- Site surveys\n" + after
    resume = parse_resume(text.encode(), "cv.txt", catalog=catalog, today=TODAY)
    assert [(p.title, p.employer) for p in resume.positions] == [("Surveyor", "Brackwater")]
    assert resume.experience_years == 7.2


def test_two_titles_joined_by_a_slash_leave_the_employer_after_the_comma(
    catalog: Catalog,
) -> None:
    text = (
        "Experience\nSurveyor / Estimator, Acme Freight, 2019 – Pres.\n"
        "Porter / Driver, Birchwood, 2015 – 2019\n"
    )
    resume = parse_resume(text.encode(), "cv.txt", catalog=catalog, today=TODAY)
    assert [(p.employer, p.end) for p in resume.positions] == [
        ("Acme Freight", None),
        ("Birchwood", date(2019, 12, 1)),
    ]


@pytest.mark.parametrize(
    "layout",
    ["{t} | {e}, {c} | {d}\n- Work", "{t} | {d}\n{e}, {c}\n- Work", "{e}, {c}\n{t} | {d}\n- Work"],
)
def test_an_employer_followed_by_its_city_and_country_is_not_a_place(
    layout: str, catalog: Catalog
) -> None:
    jobs = [("Surveyor", "Brightline", "Berlin, Germany", "2019 – 2021")]
    jobs += [("Estimator", "Pellow Retail", "Leeds, UK", "2016 – 2018")]
    text = "Experience\n" + "\n".join(layout.format(t=t, e=e, c=c, d=d) for t, e, c, d in jobs)
    resume = parse_resume(text.encode(), "cv.txt", catalog=catalog, today=TODAY)
    assert [(p.title, p.employer) for p in resume.positions] == [
        ("Surveyor", "Brightline"),
        ("Estimator", "Pellow Retail"),
    ]


def test_a_line_introducing_the_work_section_is_not_the_first_employer(
    catalog: Catalog,
) -> None:
    text = (
        "Experience\nEight years in care and logistics\nCare Assistant | 2019 – Present\n"
        "Meadowbank Care Home, York\n- Rounds\nPorter | 2015 – 2019\nEastmarsh Hospital, York\n"
    )
    resume = parse_resume(text.encode(), "cv.txt", catalog=catalog, today=TODAY)
    assert [(p.title, p.employer) for p in resume.positions] == [
        ("Care Assistant", "Meadowbank Care Home"),
        ("Porter", "Eastmarsh Hospital"),
    ]
