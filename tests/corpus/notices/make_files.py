"""Generate the corpus's .docx and .pdf notices from their *.source.txt files.

`python tests/corpus/notices/make_files.py` (needs python-docx, installed with dondoc, and
fpdf2 with the DejaVu TrueType fonts: `pip install fpdf2`, `apt-get install fonts-dejavu-core`).
The outputs are committed, so the tests and the bench need neither tool. Dates inside the files
are fixed so that a rerun gives the same text.

Source format: one paragraph per line; a run of lines starting with "|" is a table (cells
split on "|"). For the PDF of a source whose name ends in "-chi-thi", every line is one line
of the page, as written: that is how the corpus gets a PDF that wraps mid-sentence at chosen
places.
"""

from __future__ import annotations

import sys
from datetime import UTC, datetime
from pathlib import Path

HERE = Path(__file__).resolve().parent
FONT_DIR = Path("/usr/share/fonts/truetype/dejavu")
FIXED = datetime(2025, 12, 1, tzinfo=UTC)

# source -> outputs
JOBS = {
    "04-hatinh-ke-hoach.source.txt": ("04-hatinh-ke-hoach.docx", "04-hatinh-ke-hoach.pdf"),
    "08-laocai-chi-thi.source.txt": (None, "08-laocai-chi-thi.pdf"),
    "11-daklak-tb-ket-luan.source.txt": ("11-daklak-tb-ket-luan.docx", None),
}


def blocks(source: Path) -> list[str | list[list[str]]]:
    """Paragraphs (str) and tables (rows of cells), in order."""
    out: list[str | list[list[str]]] = []
    for line in source.read_text(encoding="utf-8").splitlines():
        if line.startswith("|"):
            cells = [c.strip() for c in line.strip().strip("|").split("|")]
            if out and isinstance(out[-1], list):
                out[-1].append(cells)
            else:
                out.append([cells])
        else:
            out.append(line)
    return out


def write_docx(source: Path, target: Path) -> None:
    import docx

    document = docx.Document()
    props = document.core_properties
    props.created = props.modified = FIXED.replace(tzinfo=None)
    props.author = props.last_modified_by = "dondoc corpus"
    props.revision = 1
    for block in blocks(source):
        if isinstance(block, str):
            document.add_paragraph(block)
        else:
            table = document.add_table(rows=len(block), cols=len(block[0]))
            table.style = "Table Grid"
            for r, row in enumerate(block):
                for c, text in enumerate(row):
                    table.cell(r, c).text = text
    document.save(str(target))


def write_pdf(source: Path, target: Path, *, as_lines: bool) -> None:
    from fpdf import FPDF

    pdf = FPDF(format="A4")
    pdf.set_creation_date(FIXED)
    pdf.set_author("dondoc corpus")
    pdf.add_font("DejaVu", "", str(FONT_DIR / "DejaVuSerif.ttf"))
    pdf.add_font("DejaVu", "B", str(FONT_DIR / "DejaVuSerif-Bold.ttf"))
    pdf.set_margins(20, 20, 15)
    pdf.add_page()
    pdf.set_font("DejaVu", size=10.5)
    width = pdf.w - pdf.l_margin - pdf.r_margin
    for block in blocks(source):
        if isinstance(block, str):
            if as_lines:
                pdf.cell(width, 6, block, new_x="LMARGIN", new_y="NEXT")
            else:
                pdf.multi_cell(width, 6, block, new_x="LMARGIN", new_y="NEXT")
        else:
            pdf.set_font("DejaVu", size=9)
            with pdf.table(col_widths=(8, 52, 30, 40, 22), line_height=5) as table:
                for row in block:
                    cells = table.row()
                    for text in row:
                        cells.cell(text)
            pdf.set_font("DejaVu", size=10.5)
    pdf.output(str(target))


def main() -> int:
    for name, (docx_name, pdf_name) in JOBS.items():
        source = HERE / name
        if docx_name:
            write_docx(source, HERE / docx_name)
            print("wrote", docx_name)
        if pdf_name:
            write_pdf(source, HERE / pdf_name, as_lines=name.endswith("-chi-thi.source.txt"))
            print("wrote", pdf_name)
    return 0


if __name__ == "__main__":
    sys.exit(main())
