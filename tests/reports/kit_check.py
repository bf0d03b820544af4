"""Reading a rendered kit back as a person would: look at each printed page, scan its QR
code with a real decoder, read its text, and check what fonts the file carries.

The pages are rasterised by PDFium (pypdfium2) and the QR codes decoded by zxing-cpp, both
from PyPI wheels, so the check needs no system package.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from io import BytesIO

import pypdfium2 as pdfium
import zxingcpp
from PIL import Image
from pypdf import PdfReader

from bot.reports.kit import KitRow

DPI = 100  # a cheap office scanner's resolution: a QR that decodes here decodes on paper
MM_PER_INCH = 25.4


@dataclass(frozen=True)
class Scan:
    text: str
    side_mm: float  # the symbol's printed width, quiet zone excluded


def page_images(pdf: bytes, *, dpi: int = DPI, grayscale: bool = True) -> list[Image.Image]:
    document = pdfium.PdfDocument(pdf)
    try:
        return [
            document[i].render(scale=dpi / 72, grayscale=grayscale).to_pil()
            for i in range(len(document))
        ]
    finally:
        document.close()


def black_and_white(image: Image.Image) -> Image.Image:
    """What a monochrome laser printer keeps: every pixel black or white."""
    return image.convert("L").point(lambda value: 255 if value > 127 else 0)


def scan(image: Image.Image, *, dpi: int = DPI) -> list[Scan]:
    found = zxingcpp.read_barcodes(image, formats=zxingcpp.BarcodeFormat.QRCode)
    scans = []
    for barcode in found:
        p = barcode.position
        side_px = max(abs(p.top_right.x - p.top_left.x), abs(p.bottom_left.y - p.top_left.y))
        scans.append(Scan(barcode.text, side_px / dpi * MM_PER_INCH))
    return scans


def page_texts(pdf: bytes) -> list[str]:
    return [
        unicodedata.normalize("NFC", page.extract_text() or "")
        for page in PdfReader(BytesIO(pdf)).pages
    ]


def squeeze(text: str) -> str:
    """Text without whitespace: a table cell's wrapped line joins its words differently."""
    return re.sub(r"\s+", "", unicodedata.normalize("NFC", text))


def fonts(pdf: bytes) -> dict[str, bool]:
    """Every font the pages use, by name, and whether its glyphs are embedded in the file."""
    found: dict[str, bool] = {}
    for page in PdfReader(BytesIO(pdf)).pages:
        resources = page.get("/Resources")
        if resources is None:
            continue
        for font in resources.get_object().get("/Font", {}).values():
            font = font.get_object()
            descriptor = font.get("/FontDescriptor")
            if font.get("/Subtype") == "/Type0":
                descriptor = font["/DescendantFonts"][0].get_object().get("/FontDescriptor")
            descriptor = descriptor.get_object() if descriptor is not None else {}
            embedded = any(key in descriptor for key in ("/FontFile", "/FontFile2", "/FontFile3"))
            found[str(font["/BaseFont"])] = embedded
    return found


def qr_problems(pdf: bytes, rows: list[KitRow] | tuple[KitRow, ...]) -> list[str]:
    """What is wrong with the agency pages' QR codes (the last len(rows) pages, in order):
    a page whose QR is missing, unreadable in black and white, too small to scan from
    paper, or not that agency's link. Empty when every page is right."""
    images = page_images(pdf)
    if len(images) < len(rows):
        return [f"{len(images)} pages for {len(rows)} agencies"]
    problems = []
    for row, image in zip(rows, images[len(images) - len(rows) :], strict=True):
        scans = scan(black_and_white(image))
        if len(scans) != 1:
            problems.append(f"{row.agency}: {len(scans)} QR codes on its page")
            continue
        if scans[0].text != row.deep_link:
            problems.append(f"{row.agency}: QR reads {scans[0].text!r}, not {row.deep_link!r}")
        if scans[0].side_mm < 40:
            problems.append(f"{row.agency}: QR only {scans[0].side_mm:.0f} mm wide")
    return problems
