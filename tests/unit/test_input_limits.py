"""The limits of `mlpivot.limits`, each refused with the file's name and the limit, and the bugs
parser fuzzing found, one regression test each."""

from __future__ import annotations

import io
import zipfile
from collections.abc import Iterator
from datetime import date
from pathlib import Path

import pytest
from test_parser_fuzzing import DOCX, PDF

from mlpivot.bootstrap import Services
from mlpivot.catalog import Catalog, load_catalog
from mlpivot.cli.profile_source import read_profile_file
from mlpivot.config import Settings
from mlpivot.errors import CatalogError, IngestError, UserError
from mlpivot.ingest.posting import parse_posting
from mlpivot.ingest.resume import parse_resume
from mlpivot.limits import (
    MAX_DOCX_RATIO,
    MAX_HTML_CHARS,
    MAX_JSON_DEPTH,
    MAX_PDF_PAGES,
    MAX_PROFILE_BYTES,
    MAX_YAML_NODES,
    json_depth,
    load_yaml,
)

TODAY = date(2025, 6, 30)
BILLION_LAUGHS = "a: &a [x, x, x, x, x, x, x, x, x]\n" + "".join(
    f"{chr(98 + i)}: &{chr(98 + i)} [{', '.join(['*' + chr(97 + i)] * 9)}]\n" for i in range(8)
)


@pytest.fixture(scope="module")
def services(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Services]:
    made = Services(Settings(data_dir=tmp_path_factory.mktemp("limits-data")))
    yield made
    made.close()


def _read(data: bytes, name: str, catalog: Catalog) -> None:
    parse_resume(data, name, catalog=catalog, today=TODAY)


def test_a_pdf_over_the_page_limit_is_refused_naming_the_file(catalog: Catalog) -> None:
    from reportlab.pdfgen import canvas

    out = io.BytesIO()
    pages = canvas.Canvas(out)
    for n in range(MAX_PDF_PAGES + 1):
        pages.drawString(72, 720, f"Python page {n}")
        pages.showPage()
    pages.save()
    with pytest.raises(IngestError, match=rf"^book\.pdf: .*{MAX_PDF_PAGES + 1} pages.*limit"):
        _read(out.getvalue(), "book.pdf", catalog)


def _with_member(name: str, content: bytes) -> bytes:
    out = io.BytesIO()
    with (
        zipfile.ZipFile(io.BytesIO(DOCX)) as source,
        zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target,
    ):
        for item in source.infolist():
            target.writestr(item, source.read(item.filename))
        target.writestr(name, content)
    return out.getvalue()


def test_a_docx_zip_bomb_is_refused_before_it_is_unpacked(catalog: Catalog) -> None:
    bomb = _with_member("word/media/image1.png", b"\0" * 60_000_000)
    assert len(bomb) < 200_000  # the file itself is small: only the directory gives it away
    with pytest.raises(
        IngestError, match=r"^cv\.docx: .*unpacks to 6\d MB, over the 50 MB limit.*zip bomb"
    ):
        _read(bomb, "cv.docx", catalog)


def test_a_docx_member_packed_past_the_ratio_is_refused(catalog: Catalog) -> None:
    squeezed = _with_member("word/bomb.xml", b"<a/>" * 1_000_000)
    with pytest.raises(IngestError, match=rf"^cv\.docx: word/bomb\.xml .*{MAX_DOCX_RATIO}x limit"):
        _read(squeezed, "cv.docx", catalog)


def test_an_ordinary_docx_with_an_image_is_still_read(catalog: Catalog) -> None:
    with_image = _with_member("word/media/image1.png", bytes(range(256)) * 400)
    assert "Acme" in parse_resume(with_image, "cv.docx", catalog=catalog, today=TODAY).text


def test_deeply_nested_json_is_refused_before_parsing(catalog: Catalog) -> None:
    deep = b'{"basics": ' + b"[" * 100_000 + b"]" * 100_000 + b"}"
    with pytest.raises(IngestError, match=rf"^cv\.json: .*nests 100001 levels.*{MAX_JSON_DEPTH}"):
        _read(deep, "cv.json", catalog)
    with pytest.raises(IngestError, match=r"^job: .*nests"):
        parse_posting("[" * 5000 + "]" * 5000, catalog, name="job")


def test_json_depth_ignores_brackets_inside_strings() -> None:
    assert json_depth('{"a": "[[[{{{\\"[[", "b": [1, [2]]}') == 3


def test_billion_laughs_yaml_is_refused_without_expanding_it() -> None:
    with pytest.raises(UserError, match=rf"^laughs\.yaml: .*more than {MAX_YAML_NODES:,} values"):
        load_yaml(BILLION_LAUGHS, "laughs.yaml")


def test_a_few_yaml_aliases_are_still_fine() -> None:
    assert load_yaml("a: &x {b: 1}\nc: *x\n", "ok.yaml") == {"a": {"b": 1}, "c": {"b": 1}}


def test_billion_laughs_in_a_profile_is_refused(services: Services, tmp_path: Path) -> None:
    path = tmp_path / "profile.yaml"
    path.write_text(BILLION_LAUGHS, encoding="utf-8")
    with pytest.raises(UserError, match=r"profile\.yaml: .*aliases"):
        read_profile_file(path, services)


def test_billion_laughs_in_a_knowledge_overlay_is_refused(tmp_path: Path) -> None:
    (tmp_path / "laughs.yaml").write_text(BILLION_LAUGHS, encoding="utf-8")
    with pytest.raises(CatalogError, match=r"laughs\.yaml:1: .*aliases"):
        load_catalog(tmp_path, builtin=False)


def test_a_profile_over_the_size_limit_is_refused(services: Services, tmp_path: Path) -> None:
    path = tmp_path / "huge.yaml"
    path.write_text("# padding\n" * (MAX_PROFILE_BYTES // 10 + 1), encoding="utf-8")
    with pytest.raises(UserError, match=r"huge\.yaml: the file is 1\.0 MB, over the 1 MB limit"):
        read_profile_file(path, services)


def test_html_over_the_size_limit_is_refused(catalog: Catalog) -> None:
    page = "<html><body>" + "<p>Python</p>" * (MAX_HTML_CHARS // 13 + 1) + "</body></html>"
    with pytest.raises(IngestError, match=r"^job\.html: the posting is .* over the limit"):
        parse_posting(page, catalog, name="job.html")


# Bugs found by tests/unit/test_parser_fuzzing.py, one regression test each.


@pytest.mark.parametrize(
    ("old", "new"),
    [
        (b"/MediaBox [ 0 0 ", b"/MediaBox [ 0 /x "),  # pdfplumber MalformedPDFException
        (b"/FlateDecode", b"/FlateDecodeX"),  # pdfminer "Unsupported filter" (PdfminerException)
    ],
)
def test_a_damaged_pdf_gives_a_clear_error(old: bytes, new: bytes, catalog: Catalog) -> None:
    assert old in PDF
    damaged = PDF.replace(old, new)
    try:
        _read(damaged, "cv.pdf", catalog)
    except IngestError as exc:
        assert str(exc).startswith("cv.pdf: ")


def test_a_docx_with_a_broken_compressed_stream_gives_a_clear_error(catalog: Catalog) -> None:
    with zipfile.ZipFile(io.BytesIO(DOCX)) as archive:
        member = archive.getinfo("word/document.xml")
    start = member.header_offset + 30 + len(member.filename) + len(member.extra)
    broken = bytearray(DOCX)
    broken[start + 10 : start + 60] = b"\xff" * 50  # zlib.error before, not an IngestError
    with pytest.raises(IngestError, match=r"^cv\.docx: this is not a readable DOCX"):
        _read(bytes(broken), "cv.docx", catalog)


def test_a_control_character_in_an_overlay_is_a_catalog_problem(tmp_path: Path) -> None:
    (tmp_path / "mine.yaml").write_text("\x1f", encoding="utf-8")  # yaml.ReaderError escaped
    with pytest.raises(CatalogError, match=r"mine\.yaml:1: invalid YAML: unacceptable character"):
        load_catalog(tmp_path, builtin=False)


def test_an_impossible_date_in_a_profile_is_a_clear_error(
    services: Services, tmp_path: Path
) -> None:
    path = tmp_path / "profile.yaml"
    path.write_text("started: 2020-02-31\n", encoding="utf-8")  # ValueError escaped
    with pytest.raises(UserError, match=r"profile\.yaml: a value in the YAML cannot be read"):
        read_profile_file(path, services)
