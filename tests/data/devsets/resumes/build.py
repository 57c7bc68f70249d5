"""Render the resume gold set: each YAML under sources/ becomes one file under files/.

Run from the repository root:  uv run python tests/data/devsets/resumes/build.py
Add --check to also verify the gold blocks and the rendered files (page counts, DOCX opens).

The renderers are deliberately simple and deterministic: PDFs are written with reportlab's
invariant mode and a fixed date, DOCX archives get fixed timestamps and core properties, so
a rebuild is byte-identical and the frozen gold keeps describing the same bytes.
"""

from __future__ import annotations

import datetime as dt
import io
import json
import sys
import zipfile
from pathlib import Path
from typing import Any

import yaml
from reportlab.lib.pagesizes import A4, LETTER
from reportlab.lib.utils import simpleSplit
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.pdfgen import canvas

HERE = Path(__file__).resolve().parent
SOURCES = HERE / "sources"
FILES = HERE / "files"
PRESENT = (2026, 11)
FIXED_DATE = dt.datetime(2026, 11, 1, 12, 0, 0)
DEJAVU = Path("/usr/share/fonts/truetype/dejavu")

FONTS = {
    "Helvetica": ("Helvetica", "Helvetica-Bold", "Helvetica-Oblique"),
    "Times": ("Times-Roman", "Times-Bold", "Times-Italic"),
    "DejaVu": ("DejaVuSans", "DejaVuSans-Bold", "DejaVuSans-Oblique"),
}


def _register_dejavu() -> None:
    if "DejaVuSans" in pdfmetrics.getRegisteredFontNames():
        return
    for name, fname in (
        ("DejaVuSans", "DejaVuSans.ttf"),
        ("DejaVuSans-Bold", "DejaVuSans-Bold.ttf"),
        ("DejaVuSans-Oblique", "DejaVuSans-Oblique.ttf"),
    ):
        path = DEJAVU / fname
        if not path.exists():
            sys.exit(f"build.py needs the DejaVu fonts ({path}) for non-Latin-1 names")
        pdfmetrics.registerFont(TTFont(name, str(path)))


# --------------------------------------------------------------------------- line markup
# "## text"        an entry line in bold (job title, school)
# "- text"         a bullet; the glyph comes from style.bullet
# "left || right"  right part right-aligned on the same line (tab stop in DOCX)
# anything else    a plain line


def parse_line(raw: str) -> dict[str, Any]:
    if not isinstance(raw, str):
        raise TypeError(f"a line must be a string (quote it in the YAML): {raw!r}")
    kind = "plain"
    text = raw
    if text.startswith("## "):
        kind, text = "bold", text[3:]
    elif text.startswith("- "):
        kind, text = "bullet", text[2:]
    right = None
    if " || " in text:
        text, right = text.split(" || ", 1)
    return {"kind": kind, "text": text, "right": right}


# --------------------------------------------------------------------------- PDF


class Column:
    """A text column that flows onto new pages; records draw operations per page."""

    def __init__(
        self,
        doc: PdfDoc,
        x: float,
        width: float,
        top: float,
        page: int = 0,
        next_top: float | None = None,
    ) -> None:
        self.doc, self.x, self.width = doc, x, width
        self.y, self.page = top, page
        self.next_top = next_top if next_top is not None else doc.top

    def need(self, height: float) -> None:
        if self.y - height < self.doc.bottom:
            self.page += 1
            self.y = self.next_top

    def space(self, h: float) -> None:
        self.y -= h

    def text(
        self,
        text: str,
        font: str,
        size: float,
        indent: float = 0,
        right: str | None = None,
        bullet: tuple[str, str] | None = None,
        lead: float = 1.3,
    ) -> None:
        avail = self.width - indent - (12 if bullet else 0)
        if right:
            avail -= pdfmetrics.stringWidth(right, font, size) + 8
        lines = simpleSplit(text, font, size, avail) or [""]
        for i, line in enumerate(lines):
            self.need(size * lead)
            self.y -= size * lead
            tx = self.x + indent
            if bullet and i == 0:
                bfont, glyph = bullet
                self.doc.op(self.page, ("text", tx, self.y, bfont, size * 0.8, glyph))
            if bullet:
                tx += 12
            self.doc.op(self.page, ("text", tx, self.y, font, size, line))
            if right and i == 0:
                self.doc.op(
                    self.page,
                    ("rtext", self.x + self.width, self.y, font, size, right),
                )

    def rule(self) -> None:
        self.need(4)
        self.y -= 3
        self.doc.op(self.page, ("line", self.x, self.y, self.x + self.width, self.y))
        self.y -= 2


class PdfDoc:
    def __init__(self, src: dict[str, Any]) -> None:
        self.src = src
        self.style = src.get("style", {})
        fam = self.style.get("font", "Helvetica")
        if fam == "DejaVu" or self.style.get("bullet", "").startswith("dejavu:"):
            _register_dejavu()
        self.regular, self.bold, self.italic = FONTS[fam]
        self.pagesize = LETTER if self.style.get("paper") == "letter" else A4
        self.w, self.h = self.pagesize
        self.margin = 48.0
        self.top = self.h - self.margin - (14 if self.style.get("header") else 0)
        self.bottom = self.margin + (14 if self.style.get("footer") else 0)
        self.pages: dict[int, list[tuple[Any, ...]]] = {}
        self.size = float(self.style.get("size", 10))

    def op(self, page: int, op: tuple[Any, ...]) -> None:
        self.pages.setdefault(page, []).append(op)

    def bullet(self) -> tuple[str, str]:
        spec = self.style.get("bullet", "•")
        if spec.startswith("zapf:"):
            return ("ZapfDingbats", spec[5:])
        if spec.startswith("symbol:"):
            return ("Symbol", spec[7:])
        if spec.startswith("dejavu:"):
            return ("DejaVuSans", spec[7:])
        return (self.regular, spec)

    def section(self, col: Column, sec: dict[str, Any]) -> None:
        heading = sec["heading"]
        if self.style.get("upper_headings", True):
            heading = heading.upper()
        col.space(self.size * 0.7)
        col.text(heading, self.bold, self.size + 1.5)
        if self.style.get("rules", True):
            col.rule()
        for raw in sec.get("lines", []):
            ln = parse_line(raw)
            if ln["kind"] == "bold":
                col.space(2)
                col.text(ln["text"], self.bold, self.size, right=ln["right"])
            elif ln["kind"] == "bullet":
                col.text(ln["text"], self.regular, self.size, indent=6, bullet=self.bullet())
            else:
                col.text(ln["text"], self.regular, self.size, right=ln["right"])
        if sec.get("rows"):
            raise ValueError(f"{self.src['id']}: rows are only rendered in DOCX")

    def header_block(self, col: Column) -> None:
        s = self.src
        if self.style.get("photo"):
            box = 62.0
            x = self.w - self.margin - box
            y = self.top - box
            self.op(0, ("rect", x, y, box, box))
            self.op(0, ("ctext", x + box / 2, y + box / 2 - 3, self.regular, 8, "[Photo]"))
        col.text(s["name"], self.bold, self.size + 9)
        if s.get("headline"):
            col.text(s["headline"], self.italic, self.size + 1)
        for line in s.get("contact", []):
            col.text(line, self.regular, self.size - 1)

    def render(self) -> bytes:
        s = self.src
        layout = s["layout"]
        m = self.margin
        if layout == "single":
            col = Column(self, m, self.w - 2 * m, self.top)
            self.header_block(col)
            for sec in s["sections"]:
                self.section(col, sec)
        elif layout == "two-column":
            side_w = 160.0
            gap = 22.0
            if self.style.get("banner", True):
                top = Column(self, m, self.w - 2 * m, self.top)
                self.header_block(top)
                top.space(6)
                start = top.y
                side = Column(self, m, side_w, start)
            else:
                side = Column(self, m, side_w, self.top)
                self.header_block(side)
                start = self.top
            for sec in s["sidebar"]:
                self.section(side, sec)
            if side.page != 0:
                raise ValueError(f"{s['id']}: sidebar overflows the first page")
            main = Column(self, m + side_w + gap, self.w - 2 * m - side_w - gap, start)
            for sec in s["sections"]:
                self.section(main, sec)
            self.op(0, ("vline", m + side_w + gap / 2, start, self.bottom))
        else:
            raise ValueError(f"{s['id']}: unknown pdf layout {layout}")
        return self.draw()

    def draw(self) -> bytes:
        buf = io.BytesIO()
        c = canvas.Canvas(buf, pagesize=self.pagesize, invariant=1, pageCompression=0)
        c.setTitle(self.src.get("pdf_title", f"{self.src['name']} - Resume"))
        c.setAuthor(self.src["name"])
        c.setCreator("resume devset build.py")
        total = max(self.pages) + 1
        for p in range(total):
            for op in self.pages.get(p, []):
                kind = op[0]
                if kind == "text":
                    _, x, y, font, size, t = op
                    c.setFont(font, size)
                    c.drawString(x, y, t)
                elif kind == "rtext":
                    _, x, y, font, size, t = op
                    c.setFont(font, size)
                    c.drawRightString(x, y, t)
                elif kind == "ctext":
                    _, x, y, font, size, t = op
                    c.setFont(font, size)
                    c.drawCentredString(x, y, t)
                elif kind == "line":
                    _, x1, y1, x2, y2 = op
                    c.setLineWidth(0.6)
                    c.line(x1, y1, x2, y2)
                elif kind == "vline":
                    _, x, y1, y2 = op
                    c.setLineWidth(0.4)
                    c.line(x, y1, x, y2)
                elif kind == "rect":
                    _, x, y, w, h = op
                    c.setLineWidth(0.8)
                    c.rect(x, y, w, h)
            for key, y in (("header", self.h - 30), ("footer", 26)):
                tmpl = self.style.get(key)
                if tmpl:
                    c.setFont(self.regular, 8)
                    c.drawCentredString(self.w / 2, y, tmpl.format(page=p + 1, pages=total))
            c.showPage()
        c.save()
        return buf.getvalue()


# --------------------------------------------------------------------------- DOCX


def _docx_field(paragraph: Any, instr: str, cached: str) -> None:
    """Write a field the way Word saves it: begin, instruction, separate, cached value, end."""
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    def char(kind: str) -> None:
        el = OxmlElement("w:fldChar")
        el.set(qn("w:fldCharType"), kind)
        paragraph.add_run()._r.append(el)

    char("begin")
    el = OxmlElement("w:instrText")
    el.set(qn("xml:space"), "preserve")
    el.text = f" {instr} "
    paragraph.add_run()._r.append(el)
    char("separate")
    paragraph.add_run(cached)
    char("end")


def _docx_template(par: Any, tmpl: str, pages: int) -> None:
    """Fill a header/footer paragraph, turning {page}/{pages} into Word fields."""
    rest = tmpl
    while rest:
        i = min((rest.find(k) for k in ("{page}", "{pages}") if k in rest), default=-1)
        if i < 0:
            par.add_run(rest)
            break
        par.add_run(rest[:i])
        if rest[i:].startswith("{pages}"):
            _docx_field(par, "NUMPAGES", str(pages))
            rest = rest[i + 7 :]
        else:
            _docx_field(par, "PAGE", "1")
            rest = rest[i + 6 :]


class DocxDoc:
    def __init__(self, src: dict[str, Any]) -> None:
        from docx import Document
        from docx.shared import Pt

        self.src = src
        self.style = src.get("style", {})
        self.doc = Document()
        normal = self.doc.styles["Normal"]
        normal.font.name = self.style.get("font", "Calibri")
        normal.font.size = Pt(self.style.get("size", 10.5))

    def _para(self, container: Any, raw: str) -> None:
        from docx.enum.text import WD_TAB_ALIGNMENT
        from docx.shared import Cm

        ln = parse_line(raw)
        bullet = self.style.get("bullet", "word")
        if ln["kind"] == "bullet" and bullet == "word":
            p = container.add_paragraph(style="List Bullet")
            p.add_run(ln["text"])
        else:
            p = container.add_paragraph()
            text = ln["text"]
            if ln["kind"] == "bullet":
                text = f"{bullet}\t{text}" if self.style.get("bullet_tab") else f"{bullet} {text}"
            run = p.add_run(text)
            run.bold = ln["kind"] == "bold"
        if ln["right"]:
            width = Cm(11.5) if self.src["layout"] == "table-sidebar" else Cm(16.5)
            p.paragraph_format.tab_stops.add_tab_stop(width, WD_TAB_ALIGNMENT.RIGHT)
            r = p.add_run("\t" + ln["right"])
            r.bold = ln["kind"] == "bold"
        p.paragraph_format.space_after = 0

    def _heading(self, container: Any, text: str) -> None:
        if hasattr(container, "add_heading"):
            container.add_heading(text, level=2)
        else:
            p = container.add_paragraph()
            p.add_run(text.upper()).bold = True

    def _section(self, container: Any, sec: dict[str, Any]) -> None:
        self._heading(container, sec["heading"])
        for raw in sec.get("lines", []):
            self._para(container, raw)
        rows = sec.get("rows", [])
        if rows:
            table = container.add_table(rows=0, cols=2)
            if self.style.get("table_grid"):
                table.style = "Table Grid"
            for left, right in rows:
                cells = table.add_row().cells
                cells[0].text = left
                parts = right.split("\n")
                cells[1].text = ""
                first = cells[1].paragraphs[0]
                first_ln = parse_line(parts[0])
                first.add_run(first_ln["text"]).bold = first_ln["kind"] == "bold"
                for raw in parts[1:]:
                    self._para(cells[1], raw)

    def _name_block(self, container: Any) -> None:
        from docx.shared import Pt

        s = self.src
        if self.style.get("title_style") and hasattr(container, "add_heading"):
            container.add_heading(s["name"], level=0)
        else:
            p = container.add_paragraph()
            r = p.add_run(s["name"])
            r.bold = True
            r.font.size = Pt(20)
        if s.get("headline"):
            p = container.add_paragraph()
            p.add_run(s["headline"]).italic = True
        for line in s.get("contact", []):
            self._para(container, line)

    def render(self) -> bytes:
        from docx.shared import Cm

        s, d = self.src, self.doc
        sec0 = d.sections[0]
        sec0.left_margin = sec0.right_margin = Cm(2.0)
        if self.style.get("header"):
            _docx_template(sec0.header.paragraphs[0], self.style["header"], s.get("pages", 1))
        if self.style.get("footer"):
            _docx_template(sec0.footer.paragraphs[0], self.style["footer"], s.get("pages", 1))
        layout = s["layout"]
        if layout in ("plain", "experience-table"):
            if not self.style.get("name_in_header_only"):
                self._name_block(d)
            for sec in s["sections"]:
                self._section(d, sec)
        elif layout == "table-sidebar":
            table = d.add_table(rows=1, cols=2)
            left, right = table.rows[0].cells
            left.width, right.width = Cm(5.5), Cm(11.5)
            left.text = ""
            right.text = ""
            self._name_block(left)
            for sec in s["sidebar"]:
                self._section(left, sec)
            for sec in s["sections"]:
                self._section(right, sec)
            d.add_paragraph()  # Word always keeps a paragraph after a final table
        else:
            raise ValueError(f"{s['id']}: unknown docx layout {layout}")
        cp = d.core_properties
        cp.author = s["name"]
        cp.title = "Resume"
        cp.last_modified_by = s["name"]
        cp.created = cp.modified = FIXED_DATE
        cp.revision = 1
        cp.comments = ""
        buf = io.BytesIO()
        d.save(buf)
        return _normalise_zip(buf.getvalue())


def _normalise_zip(data: bytes) -> bytes:
    src = zipfile.ZipFile(io.BytesIO(data))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            zi = zipfile.ZipInfo(info.filename, date_time=(2026, 11, 1, 12, 0, 0))
            zi.compress_type = zipfile.ZIP_DEFLATED
            zi.external_attr = 0o644 << 16
            dst.writestr(zi, src.read(info.filename))
    return out.getvalue()


# --------------------------------------------------------------------------- text formats


def render_md(src: dict[str, Any]) -> bytes:
    style = src.get("style", {})
    bullet = style.get("bullet", "-")
    out = [f"# {src['name']}", ""]
    if src.get("headline"):
        out += [f"*{src['headline']}*", ""]
    if src.get("contact"):
        out += [line + "  " for line in src["contact"]]
        out[-1] = out[-1].rstrip()
        out.append("")
    for sec in src["sections"]:
        out += [f"## {sec['heading']}", ""]
        for raw in sec.get("lines", []):
            ln = parse_line(raw)
            if ln["right"]:
                raise ValueError(f"{src['id']}: '||' is not used in markdown")
            if ln["kind"] == "bold":
                if out[-1] != "" and not out[-1].startswith("## "):
                    out.append("")
                if style.get("entry") == "bold":
                    out += [f"**{ln['text']}**  "]
                else:
                    out += [f"### {ln['text']}", ""]
            elif ln["kind"] == "bullet":
                out.append(f"{bullet} {ln['text']}")
            elif ln["text"] == "":
                out.append("")
            else:
                out += [ln["text"], ""] if style.get("para_lines", True) else [ln["text"]]
        if out[-1] != "":
            out.append("")
        if sec.get("rows"):
            raise ValueError(f"{src['id']}: rows are not used in markdown")
    while out and out[-1] == "":
        out.pop()
    return ("\n".join(out) + "\n").encode("utf-8")


def render_txt(src: dict[str, Any]) -> bytes:
    style = src.get("style", {})
    bullet = style.get("bullet", "*")
    width = int(style.get("width", 78))
    rule = style.get("rule", "-")
    out = [src["name"].upper() if style.get("upper_name") else src["name"]]
    if src.get("headline"):
        out.append(src["headline"])
    out += src.get("contact", [])
    for sec in src["sections"]:
        out.append("")
        head = sec["heading"].upper() if style.get("upper_headings", True) else sec["heading"]
        out.append(head)
        if rule:
            out.append(rule * len(head))
        for raw in sec.get("lines", []):
            ln = parse_line(raw)
            text = ln["text"]
            if ln["kind"] == "bullet":
                text = f"  {bullet} {text}"
            after_rule = bool(rule) and set(out[-1]) == {rule}
            entry_gap = style.get("blank_before_entries", True)
            if ln["kind"] == "bold" and entry_gap and out[-1] and not after_rule:
                out.append("")
            if ln["right"]:
                pad = max(2, width - len(text) - len(ln["right"]))
                text = text + " " * pad + ln["right"]
            out.append(text)
    eol = "\r\n" if style.get("crlf") else "\n"
    return (eol.join(out) + eol).encode(style.get("encoding", "utf-8"))


def render_json(src: dict[str, Any]) -> bytes:
    return (json.dumps(src["json_resume"], indent=2, ensure_ascii=False) + "\n").encode()


# --------------------------------------------------------------------------- gold checks


def _ym(s: str) -> int:
    if s == "present":
        return PRESENT[0] * 12 + PRESENT[1] - 1
    y, m = s.split("-")
    return int(y) * 12 + int(m) - 1


def total_years(positions: list[dict[str, Any]]) -> float:
    months: set[int] = set()
    for p in positions:
        if p.get("start") and p.get("end"):
            months.update(range(_ym(p["start"]), _ym(p["end"]) + 1))
    return round(len(months) / 12, 1)


def _skill_ids() -> set[str]:
    root = HERE.parents[3] / "src" / "mlpivot" / "knowledge" / "skills"
    ids: set[str] = set()
    for path in sorted(root.glob("*.yaml")):
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
        items = data.get("skills", data) if isinstance(data, dict) else data
        for item in items:
            ids.add(item["id"])
    return ids


def check(srcs: list[dict[str, Any]]) -> list[str]:
    from docx import Document
    from pypdf import PdfReader

    problems: list[str] = []
    ids = _skill_ids()
    for s in srcs:
        g = s["gold"]
        for p in g["positions"]:
            for k in ("start", "end"):
                v = p.get(k)
                if v is not None and v != "present" and not (len(v) == 7 and v[4] == "-"):
                    problems.append(f"{s['id']}: bad {k} {v!r}")
            if p.get("start") and p.get("end") and _ym(p["start"]) > _ym(p["end"]):
                problems.append(f"{s['id']}: position ends before it starts: {p}")
        want = total_years(g["positions"])
        if abs(want - float(g["total_years"])) > 1e-9:
            problems.append(f"{s['id']}: total_years {g['total_years']} but positions give {want}")
        for sk in g.get("skills", []):
            if sk not in ids:
                problems.append(f"{s['id']}: unknown skill id {sk}")
        path = FILES / f"{s['id']}.{s['format']}"
        if s["format"] == "pdf":
            n = len(PdfReader(str(path)).pages)
            if n != s["pages"]:
                problems.append(f"{s['id']}: {n} pages, expected {s['pages']}")
        elif s["format"] == "docx":
            Document(str(path))
        elif s["format"] == "json":
            json.loads(path.read_text(encoding="utf-8"))
    return problems


def main() -> int:
    srcs = [yaml.safe_load(p.read_text(encoding="utf-8")) for p in sorted(SOURCES.glob("*.yaml"))]
    seen: set[str] = set()
    FILES.mkdir(exist_ok=True)
    for s in srcs:
        if s["id"] in seen:
            sys.exit(f"duplicate id {s['id']}")
        seen.add(s["id"])
        fmt = s["format"]
        if fmt == "pdf":
            data = PdfDoc(s).render()
        elif fmt == "docx":
            data = DocxDoc(s).render()
        elif fmt == "md":
            data = render_md(s)
        elif fmt == "txt":
            data = render_txt(s)
        elif fmt == "json":
            data = render_json(s)
        else:
            sys.exit(f"{s['id']}: unknown format {fmt}")
        (FILES / f"{s['id']}.{fmt}").write_bytes(data)
    stale = {p.name for p in FILES.iterdir()} - {f"{s['id']}.{s['format']}" for s in srcs}
    for name in sorted(stale):
        (FILES / name).unlink()
    print(f"built {len(srcs)} files into {FILES}")
    if "--check" in sys.argv:
        problems = check(srcs)
        for p in problems:
            print("PROBLEM", p)
        return 1 if problems else 0
    return 0


if __name__ == "__main__":
    sys.exit(main())
