"""One QR code per venue (一店一码, segno) and the A4 label sheets printed in batches.

A code holds the venue's absolute public address (services.public_url). A sheet is a PDF of A4 pages, 3 × 8
labels each (code, name, kind, short address, public code), drawn with Pillow at 200 dpi and written as PDF
page by page (_PdfWriter: memory stays one page); a batch above settings.VENUES_SHEET_BACKGROUND venues is
made by a job (jobs)."""

from __future__ import annotations

import io
import zlib
from collections.abc import Iterable, Iterator
from functools import cache
from pathlib import Path
from typing import BinaryIO

import segno
from PIL import Image, ImageDraw, ImageFont

from .models import SmallVenue

DPI = 200
A4 = (round(210 / 25.4 * DPI), round(297 / 25.4 * DPI))  # 1654 × 2339 px
COLUMNS, ROWS = 3, 8
MARGIN = round(8 / 25.4 * DPI)
PER_PAGE = COLUMNS * ROWS
FONTS = (
    Path("/usr/share/fonts/truetype/wqy/wqy-microhei.ttc"),
    Path("/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc"),
    Path("/usr/share/fonts/truetype/wqy/wqy-zenhei.ttc"),
)


def qr(url: str) -> segno.QRCode:
    # a fixed mask: segno's search for the best of the eight takes most of the time (a label sheet draws thousands)
    return segno.make_qr(url, error="m", mask=1)


def png(url: str, scale: int = 8) -> bytes:
    out = io.BytesIO()
    qr(url).save(out, kind="png", scale=scale, border=4)
    return out.getvalue()


def svg(url: str, scale: int = 8) -> bytes:
    out = io.BytesIO()
    qr(url).save(out, kind="svg", scale=scale, border=4, xmldecl=False)
    return out.getvalue()


@cache
def _font(size: int) -> ImageFont.FreeTypeFont | ImageFont.ImageFont:
    for path in FONTS:
        if path.exists():
            return ImageFont.truetype(str(path), size)
    return ImageFont.load_default(size)


def _fit(draw: ImageDraw.ImageDraw, text: str, width: int, font) -> str:
    """`text` cut (with …) to fit `width` pixels."""
    if draw.textlength(text, font=font) <= width:
        return text
    low, high = 0, len(text)  # the longest prefix that fits with "…" (binary search: few measurements)
    while low < high:
        mid = (low + high + 1) // 2
        if draw.textlength(text[:mid] + "…", font=font) <= width:
            low = mid
        else:
            high = mid - 1
    return text[:low] + "…"


def _qr_image(url: str, side: int) -> Image.Image:
    """The code as a grey image of at most `side` pixels, whole pixels per module (4 modules of quiet zone)."""
    matrix = qr(url).matrix
    border = 4
    n = len(matrix) + 2 * border
    small = Image.new("L", (n, n), 255)
    small.putdata([0 if bit else 255 for row in _framed(matrix, border) for bit in row])
    scale = max(1, side // n)
    return small.resize((n * scale, n * scale), Image.Resampling.NEAREST)


def _framed(matrix, border: int) -> list[list[int]]:
    width = len(matrix[0]) + 2 * border
    blank = [[0] * width for _ in range(border)]
    return [*blank, *([0] * border + list(row) + [0] * border for row in matrix), *blank]


def _label(page: Image.Image, box: tuple[int, int, int, int], venue: SmallVenue, url: str) -> None:
    x0, y0, x1, y1 = box
    draw = ImageDraw.Draw(page)
    draw.rectangle(box, outline=0, width=1)  # the cutting line
    pad = 14
    side = y1 - y0 - 2 * pad
    image = _qr_image(url, side)
    page.paste(image, (x0 + pad, y0 + pad + (side - image.height) // 2))
    tx = x0 + pad + image.width + 10
    width = x1 - tx - pad
    big, small = _font(30), _font(22)
    lines = [
        (_fit(draw, venue.name, width, big), big),
        (str(venue.get_kind_display()), small),
        (_fit(draw, venue.address, width, small), small),
        (f"编号 {venue.public_code}", small),
        ("扫码查看·业主自查·举报隐患", small),
    ]
    y = y0 + pad + 4
    for text, font in lines:
        draw.text((tx, y), text, fill=0, font=font)
        y += font.size + 12


def pages(venues: Iterable[tuple[SmallVenue, str]]) -> Iterator[tuple[Image.Image, int]]:
    """(A4 page, labels drawn so far) for (venue, url) pairs, PER_PAGE a page."""
    cell_w = (A4[0] - 2 * MARGIN) // COLUMNS
    cell_h = (A4[1] - 2 * MARGIN) // ROWS
    page, n = None, 0
    for venue, url in venues:
        if n % PER_PAGE == 0:
            if page is not None:
                yield page, n
            page = Image.new("L", A4, 255)
        i = n % PER_PAGE
        col, row = i % COLUMNS, i // COLUMNS
        x0, y0 = MARGIN + col * cell_w, MARGIN + row * cell_h
        _label(page, (x0, y0, x0 + cell_w - 6, y0 + cell_h - 6), venue, url)
        n += 1
    if page is not None:
        yield page, n


class _PdfWriter:
    """A PDF written page by page to a file (one black-and-white image a page, Flate-compressed): memory stays one page
    however many venues a sheet holds. Object 1 is the catalogue, 2 the page tree (written last)."""

    def __init__(self, out: BinaryIO):
        self.out, self.offsets, self.kids = out, {}, []
        self.next_id = 3
        self.pos = 0
        self._write(b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n")

    def _write(self, data: bytes) -> None:
        self.out.write(data)
        self.pos += len(data)

    def _object(self, number: int, body: bytes, stream: bytes | None = None) -> None:
        self.offsets[number] = self.pos
        self._write(b"%d 0 obj\n" % number + body)
        if stream is not None:
            self._write(b"\nstream\n" + stream + b"\nendstream")
        self._write(b"\nendobj\n")

    def page(self, image: Image.Image) -> None:
        # black and white (1 bit a pixel, Flate): a page of labels is ~60 KB instead of ~240 KB in grey
        mono = image.convert("1", dither=Image.Dither.NONE)
        data = zlib.compress(mono.tobytes(), 6)
        img, content, page = self.next_id, self.next_id + 1, self.next_id + 2
        self.next_id += 3
        w_pt, h_pt = mono.width * 72 / DPI, mono.height * 72 / DPI
        self._object(
            img,
            b"<< /Type /XObject /Subtype /Image /Width %d /Height %d /ColorSpace /DeviceGray "
            b"/BitsPerComponent 1 /Filter /FlateDecode /Length %d >>" % (mono.width, mono.height, len(data)),
            data,
        )
        draw = b"q %.2f 0 0 %.2f 0 0 cm /Im0 Do Q" % (w_pt, h_pt)
        self._object(content, b"<< /Length %d >>" % len(draw), draw)
        self._object(
            page,
            b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 %.2f %.2f] /Resources << /XObject << /Im0 %d 0 R >> >> "
            b"/Contents %d 0 R >>" % (w_pt, h_pt, img, content),
        )
        self.kids.append(page)

    def close(self) -> None:
        self._object(1, b"<< /Type /Catalog /Pages 2 0 R >>")
        kids = b" ".join(b"%d 0 R" % k for k in self.kids)
        self._object(2, b"<< /Type /Pages /Kids [%s] /Count %d >>" % (kids, len(self.kids)))
        xref = self.pos
        count = self.next_id
        lines = [b"xref\n0 %d\n" % count, b"0000000000 65535 f \n"]
        lines += [b"%010d 00000 n \n" % self.offsets[n] for n in range(1, count)]
        self._write(b"".join(lines))
        self._write(b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (count, xref))


def write_sheet(venues: Iterable[tuple[SmallVenue, str]], out: BinaryIO, progress=None) -> int:
    """The label sheet as a PDF written to `out` (an empty batch: one blank page); returns the labels drawn.
    `progress(n)` is called after each page with the labels drawn so far."""
    writer = _PdfWriter(out)
    drawn = 0
    for image, n in pages(venues):
        writer.page(image)
        drawn = n
        if progress is not None:
            progress(drawn)
    if not writer.kids:
        writer.page(Image.new("L", A4, 255))
    writer.close()
    return drawn


def sheet_pdf(venues: Iterable[tuple[SmallVenue, str]]) -> bytes:
    out = io.BytesIO()
    write_sheet(venues, out)
    return out.getvalue()
