"""`resume check` on real PDF and DOCX files with the problems screening systems trip on."""

from __future__ import annotations

import io
import json
from pathlib import Path

import pytest

from cli_process import run_cli
from mlpivot.ingest.resume_layout import layout_facts

FILES = Path(__file__).resolve().parents[1] / "data" / "devsets" / "resumes" / "files"
POSTING = Path(__file__).resolve().parents[1] / "data" / "postings" / "mle-01.md"
LINES = [
    "Ada Example",
    "Experience",
    "Data Engineer, Acme Logistics  Jan 2019 - Present",
    "- Built Airflow pipelines in Python feeding 40 dashboards",
    "- Deployed a demand forecast to production, cutting stock-outs by 18%",
    "Education",
    "BSc Mathematics, University of Example, 2014 - 2018",
    "Skills",
    "Python, SQL, Airflow, Docker",
]


def _findings(path: Path, *extra: str) -> list[dict[str, str]]:
    done = run_cli("resume", "check", str(path), "--json", *extra, data_dir=path.parent / "d")
    assert done.returncode == 0, done.stderr
    return list(json.loads(done.stdout)["findings"])


def _said(findings: list[dict[str, str]], area: str, words: str) -> bool:
    return any(f["area"] == area and words in f["message"] for f in findings)


def _text_as_image_pdf(path: Path) -> None:
    """A resume 'printed' as a picture: the page has an image and no text layer."""
    import matplotlib

    matplotlib.use("Agg")
    from matplotlib import pyplot as plt
    from reportlab.lib.utils import ImageReader
    from reportlab.pdfgen import canvas

    figure = plt.figure(figsize=(6, 8))
    figure.text(0.05, 0.95, "\n".join(LINES), va="top", fontsize=9)
    png = io.BytesIO()
    figure.savefig(png, format="png", dpi=80)
    plt.close(figure)
    png.seek(0)
    page = canvas.Canvas(str(path))
    page.drawImage(ImageReader(png), 40, 150, width=480, height=640)
    page.drawString(40, 100, "Ada Example")  # a little real text, as scanners often add
    page.save()


def _docx_with_contact_in_header(path: Path) -> None:
    import docx

    document = docx.Document()
    document.sections[0].header.paragraphs[0].text = "ada@example.example · +44 20 7946 0000"
    for line in LINES:
        document.add_paragraph(line)
    document.save(str(path))


def test_a_two_column_pdf_is_flagged_and_a_single_column_one_is_not() -> None:
    two = layout_facts((FILES / "t01-ml-engineer.pdf").read_bytes(), "t01.pdf")
    one = layout_facts((FILES / "p03-backend-to-ml.pdf").read_bytes(), "p03.pdf")
    assert two.multi_column_pages == (1,) and one.multi_column_pages == ()
    assert _said(_findings(FILES / "t01-ml-engineer.pdf"), "layout", "two columns")


def test_a_docx_with_tables_is_flagged() -> None:
    assert _said(_findings(FILES / "d03-experience-table.docx"), "layout", "table")


def test_text_that_is_only_an_image_is_a_problem(tmp_path: Path) -> None:
    scanned = tmp_path / "scanned.pdf"
    _text_as_image_pdf(scanned)
    facts = layout_facts(scanned.read_bytes(), scanned.name)
    assert facts.image_only_pages == (1,) and facts.images == 1
    done = run_cli("resume", "check", str(scanned), "--json", data_dir=tmp_path / "d")
    if done.returncode == 0:  # the little text there is may be read; the image is still flagged
        findings = json.loads(done.stdout)["findings"]
        assert any(f["severity"] == "problem" and "image" in f["message"] for f in findings)
    else:
        assert "Error" in done.stderr and "Traceback" not in done.stderr


def test_contact_details_only_in_the_page_header_are_a_problem(tmp_path: Path) -> None:
    path = tmp_path / "header.docx"
    _docx_with_contact_in_header(path)
    findings = _findings(path)
    assert _said(findings, "layout", "only in the page header")
    assert not _said(findings, "headings", "no 'Experience'")


def test_a_clean_resume_gets_credit_for_results_and_production(tmp_path: Path) -> None:
    path = tmp_path / "clean.md"
    path.write_text("\n".join(LINES), encoding="utf-8")
    findings = _findings(path)
    assert not any(f["severity"] == "problem" for f in findings)
    assert any(f["severity"] == "good" and "number" in f["message"] for f in findings)
    assert not _said(findings, "evidence", "production")
    assert _said(findings, "file", "markdown file")


def test_undated_jobs_and_missing_must_haves_are_said(tmp_path: Path) -> None:
    findings = _findings(FILES / "p09-no-dates.pdf", "--posting", str(POSTING))
    assert any(f["area"] == "dates" for f in findings)
    assert any(f["area"] == "posting" and "requires" in f["message"] for f in findings)


@pytest.mark.parametrize("fmt", ["md", "html", "pdf", "json"])
def test_tailor_writes_every_format_marked_or_clean(tmp_path: Path, fmt: str) -> None:
    import pypdf

    resume = FILES / "m01-llm-engineer.md"
    posting = Path(__file__).resolve().parents[1] / "data" / "postings" / "ai-eng-01.md"
    outputs = {}
    for mode in ("marked", "clean"):
        out = tmp_path / f"{mode}.{fmt}"
        args = [
            "resume",
            "tailor",
            str(resume),
            "--posting",
            str(posting),
            "-f",
            fmt,
            "-o",
            str(out),
        ]
        done = run_cli(*args, *(["--clean"] if mode == "clean" else []), data_dir=tmp_path / "d")
        assert done.returncode == 0, done.stderr
        if fmt == "pdf":
            reader = pypdf.PdfReader(out)
            outputs[mode] = "\n".join(p.extract_text() for p in reader.pages)
        else:
            outputs[mode] = out.read_text(encoding="utf-8")
    marker = {"md": "<!-- mlpivot", "html": "<mark", "pdf": "Suggestions", "json": '"meta"'}[fmt]
    assert marker in outputs["marked"] and marker not in outputs["clean"]
    if fmt == "json":
        document = json.loads(outputs["clean"])
        assert document["work"] and all("highlights" in w for w in document["work"])
