"""Uploads (issue #9): decompression bombs refused from the header, images verified, HEIC/HEIF by its brand,
Office files by their container, and everything but a JPEG/PNG/WebP photo served as a download."""

import io
import struct
import zlib

import pytest
from django.urls import reverse
from PIL import Image

from anquan.hazards import services as reporting

from .conftest import login
from .riskpoints.helpers import new_point

pytestmark = pytest.mark.django_db


def png_bytes(width=4, height=3) -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (width, height), (200, 30, 30)).save(buffer, "PNG")
    return buffer.getvalue()


def _chunk(kind: bytes, data: bytes) -> bytes:
    return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))


def png_bomb(side=30_000) -> bytes:
    """A valid 1-bit PNG of side × side pixels, all black: about 109 KB on disk, 900 megapixels decoded."""
    row = b"\x00" + bytes((side + 7) // 8)
    packer = zlib.compressobj(9)
    body = b"".join(packer.compress(row) for _ in range(side)) + packer.flush()
    header = struct.pack(">IIBBBBB", side, side, 1, 0, 0, 0, 0)
    return b"\x89PNG\r\n\x1a\n" + _chunk(b"IHDR", header) + _chunk(b"IDAT", body) + _chunk(b"IEND", b"")


def box(kind: bytes, payload: bytes) -> bytes:
    return struct.pack(">I", 8 + len(payload)) + kind + payload


def iso_bmff(major: bytes, compatible: list[bytes], width=4032, height=3024) -> bytes:
    """An ISO-BMFF file: ftyp with the brands, and a HEIF meta box stating the image size in `ispe`."""
    ftyp = box(b"ftyp", major + b"\x00\x00\x00\x00" + b"".join(compatible))
    ispe = box(b"ispe", b"\x00\x00\x00\x00" + struct.pack(">II", width, height))
    meta = box(b"meta", b"\x00\x00\x00\x00" + box(b"iprp", box(b"ipco", ispe)))
    return ftyp + meta + box(b"mdat", b"\x00" * 64)


def post_file(client, hazard, name: str, content: bytes):
    upload = io.BytesIO(content)
    upload.name = name
    return client.post(f"/api/v1/hazards/{hazard.pk}/attachments", {"file": upload, "stage": "report"})


@pytest.fixture
def hazard(world):
    return reporting.report_hazard({"description": "电缆沟积水"}, actor=world.users["enterprise_manager"])


@pytest.fixture
def client(world):
    return login(world.users["enterprise_manager"])


def refusal(response) -> str:
    assert response.status_code == 422, response.content
    (detail,) = response.json()["detail"]
    assert detail["field"] == "file"
    return detail["message"]


def test_a_decompression_bomb_is_refused_from_its_header(client, hazard):
    bomb = png_bomb()
    assert 100_000 < len(bomb) < 120_000  # the file is small; its pixels are not
    message = refusal(post_file(client, hazard, "现场.png", bomb))
    assert message == "图片“现场.png”像素过多，最多5000万像素，请缩小后再上传"
    assert not hazard.attachments.exists()


def test_the_pixel_limit_is_a_setting(client, hazard, settings):
    settings.MAX_IMAGE_PIXELS = 10
    assert "像素过多" in refusal(post_file(client, hazard, "现场.png", png_bytes(4, 3)))
    settings.MAX_IMAGE_PIXELS = 12
    assert post_file(client, hazard, "现场.png", png_bytes(4, 3)).status_code == 201


def test_a_broken_image_is_refused(client, hazard):
    broken = png_bytes()[:40] + b"\x00" * 40  # a PNG header, then no valid chunks
    assert "不是有效的图片" in refusal(post_file(client, hazard, "现场.png", broken))


def test_heic_is_checked_by_its_brand_and_size(client, hazard):
    assert (
        post_file(client, hazard, "IMG_0001.HEIC", iso_bmff(b"heic", [b"mif1", b"heic"])).status_code == 201
    )
    assert post_file(client, hazard, "IMG_0002.heif", iso_bmff(b"mif1", [b"mif1"])).status_code == 201
    mp4 = iso_bmff(b"isom", [b"isom", b"iso2", b"mp41"])
    assert "不是HEIC/HEIF照片" in refusal(post_file(client, hazard, "视频.heic", mp4))
    mp4 = iso_bmff(b"mp42", [b"mp42", b"isom"])
    assert "不是HEIC/HEIF照片" in refusal(post_file(client, hazard, "视频.heic", mp4))
    huge = iso_bmff(b"heic", [b"mif1", b"heic"], width=30_000, height=30_000)
    assert "像素过多" in refusal(post_file(client, hazard, "大图.heic", huge))
    assert hazard.attachments.count() == 2


@pytest.mark.parametrize(
    ("name", "content", "words"),
    [
        ("page.html", b"<script>alert(1)</script>", "只能上传"),
        ("drawing.svg", b"<svg xmlns='http://www.w3.org/2000/svg'/>", "只能上传"),
        ("tool.exe", b"MZ\x90\x00", "只能上传"),
        ("report.pdf", b"<html>not a pdf</html>", "内容与扩展名不符"),
        ("note.docx", b"PK\x03\x04" + b"\x00" * 60, "内容与扩展名不符"),  # a zip, but no Word document
    ],
)
def test_only_the_documents_a_user_needs(client, hazard, name, content, words):
    assert words in refusal(post_file(client, hazard, name, content))


def test_a_word_file_and_a_workbook_pass(client, hazard):
    from docx import Document

    buffer = io.BytesIO()
    Document().save(buffer)
    assert post_file(client, hazard, "整改方案.docx", buffer.getvalue()).status_code == 201
    from openpyxl import Workbook

    buffer = io.BytesIO()
    Workbook().save(buffer)
    assert post_file(client, hazard, "清单.xlsx", buffer.getvalue()).status_code == 201
    # a workbook named as a Word file is not one
    assert "内容与扩展名不符" in refusal(post_file(client, hazard, "方案.docx", buffer.getvalue()))


def test_a_pdf_is_served_as_a_download_and_a_photo_inline(client, hazard):
    pdf = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
    pdf_id = post_file(client, hazard, "整改报告.pdf", pdf).json()["id"]
    png_id = post_file(client, hazard, "现场.png", png_bytes()).json()["id"]
    heic_id = post_file(client, hazard, "现场.heic", iso_bmff(b"heic", [b"heic"])).json()["id"]
    response = client.get(f"/hazards/attachments/{pdf_id}/")
    assert response["Content-Disposition"].startswith("attachment")
    assert response["X-Content-Type-Options"] == "nosniff"
    assert b"".join(response.streaming_content) == pdf
    response = client.get(f"/hazards/attachments/{heic_id}/")  # browsers cannot show it: downloaded
    assert response["Content-Disposition"].startswith("attachment")
    response = client.get(f"/hazards/attachments/{png_id}/")
    assert response["Content-Type"] == "image/png"
    assert response["Content-Disposition"].startswith("inline")
    assert response["X-Content-Type-Options"] == "nosniff"


def test_risk_point_photos_are_checked_and_served_with_nosniff(world):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from anquan.core.errors import ValidationFailed
    from anquan.riskpoints import services as points

    manager = world.users["enterprise_manager"]
    point = new_point(world)
    with pytest.raises(ValidationFailed) as refused:
        points.add_photo(point, SimpleUploadedFile("罐区.png", png_bomb(), "image/png"), actor=manager)
    assert refused.value.errors[0].field == "file" and "像素过多" in refused.value.errors[0].message
    photo = points.add_photo(point, SimpleUploadedFile("罐区.png", png_bytes(), "image/png"), actor=manager)
    response = login(manager).get(reverse("riskpoints:point_photo", args=[photo.pk]))
    assert response.status_code == 200 and response["X-Content-Type-Options"] == "nosniff"
    assert response["Content-Disposition"].startswith("inline")
