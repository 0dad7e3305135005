"""Checking uploads (DESIGN rule 5) and serving them back.

An upload is accepted only when
- it is no larger than ``MAX_UPLOAD_BYTES``;
- its name says a type a user needs: a photo (JPG, PNG, WebP, HEIC/HEIF), PDF, Word or Excel;
- its content is that type: images are opened by Pillow (which reads the header only) and refused
  above ``MAX_IMAGE_PIXELS`` before any pixel is decoded (a 109 KB PNG can claim 30,000 × 30,000
  pixels: a decompression bomb), then verified; a HEIC/HEIF file must be ISO-BMFF with an image brand
  (an MP4 has ``isom``/``mp42``) and state its size in an ``ispe`` property within the same limit;
  Word and Excel files must be the Office zip or OLE container with the part that makes them so.

`store_upload` is the one way an upload becomes a row: checked, kept, saved and audited together.
`file_response` serves a stored file: only JPEG, PNG and WebP photos inline, everything else (PDF,
Office, HEIC) as a download, always with ``X-Content-Type-Options: nosniff``, 404 when the file has gone;
`scoped_file` is the download view's whole body: the row through the scoping function (404 outside the
user's scope), then its file.
"""

import mimetypes
import struct
import zipfile
from typing import NoReturn

from django.conf import settings
from django.http import FileResponse, Http404

from anquan.core.scope import get_in_scope

from . import audit
from .errors import FieldError, ValidationFailed

mimetypes.add_type("image/heic", ".heic")
mimetypes.add_type("image/heif", ".heif")
mimetypes.add_type("image/webp", ".webp")

# extension's type → the container its first bytes must show
ALLOWED_TYPES = {
    "image/jpeg": "jpeg",
    "image/png": "png",
    "image/webp": "webp",
    "image/heic": "heic",
    "image/heif": "heic",
    "application/pdf": "pdf",
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document": "zip",
    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet": "zip",
    "application/msword": "ole",
    "application/vnd.ms-excel": "ole",
}
# the part an Office zip must hold to be that document
OFFICE_PART = {
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document": "word/",
    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet": "xl/",
}
PILLOW_FORMATS = {"jpeg": "JPEG", "png": "PNG", "webp": "WEBP"}
HEIF_BRANDS = {b"heic", b"heix", b"hevc", b"hevx", b"heim", b"heis", b"mif1", b"msf1"}
# shown in the browser; anything else is downloaded
INLINE_TYPES = {"image/jpeg", "image/png", "image/webp"}

TYPES_TEXT = "只能上传照片（JPG、PNG、WebP、HEIC）或PDF、Word、Excel文件"


def _sniff(head: bytes) -> str | None:
    if head.startswith(b"\xff\xd8\xff"):
        return "jpeg"
    if head.startswith(b"\x89PNG\r\n\x1a\n"):
        return "png"
    if head.startswith(b"%PDF-"):
        return "pdf"
    if head.startswith(b"PK\x03\x04"):
        return "zip"
    if head.startswith(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"):
        return "ole"
    if head[:4] == b"RIFF" and head[8:12] == b"WEBP":
        return "webp"
    if head[4:8] == b"ftyp":
        return "heic"
    return None


def _refuse(code: str, message: str) -> NoReturn:
    raise ValidationFailed([FieldError("file", code, message)])


def _pixel_limit(name: str, width: int, height: int) -> None:
    limit = settings.MAX_IMAGE_PIXELS
    if width <= 0 or height <= 0:
        _refuse("bad_image", f"图片“{name}”无法读取尺寸")
    if width * height > limit:
        _refuse(
            "too_many_pixels",
            f"图片“{name}”像素过多（{width}×{height}），最多{limit // 10_000}万像素，请缩小后再上传",
        )


def _check_pillow_image(upload, kind: str) -> None:
    from PIL import Image

    try:
        with Image.open(upload, formats=[PILLOW_FORMATS[kind]]) as image:  # reads the header only
            width, height = image.size
    except Image.DecompressionBombError:  # Pillow's own guard (twice its limit) speaks first
        _refuse(
            "too_many_pixels",
            f"图片“{upload.name}”像素过多，最多{settings.MAX_IMAGE_PIXELS // 10_000}万像素，请缩小后再上传",
        )
    except Exception:  # Pillow raises many kinds for a file that is not the image it claims
        _refuse("bad_image", f"文件“{upload.name}”不是有效的图片")
    finally:
        upload.seek(0)
    _pixel_limit(upload.name, width, height)
    try:
        with Image.open(upload, formats=[PILLOW_FORMATS[kind]]) as image:
            image.verify()  # structure and checksums, without decoding the pixels
    except Exception:
        _refuse("bad_image", f"文件“{upload.name}”不是有效的图片（内容已损坏）")
    finally:
        upload.seek(0)


def _boxes(data: bytes, start: int, end: int):
    """(type, payload start, payload end) of the ISO-BMFF boxes in data[start:end]."""
    while start + 8 <= end:
        size, kind = struct.unpack(">I4s", data[start : start + 8])
        header = 8
        if size == 1 and start + 16 <= end:
            size = struct.unpack(">Q", data[start + 8 : start + 16])[0]
            header = 16
        elif size == 0:
            size = end - start
        if size < header or start + size > end:
            return
        yield kind, start + header, start + size
        start += size


def heif_size(data: bytes) -> tuple[int, int] | None:
    """(width, height) of a HEIC/HEIF image — the largest `ispe` property (a grid image's full size) —
    or None when `data` is not ISO-BMFF with a HEIF image brand and such a property."""
    boxes = list(_boxes(data, 0, len(data)))
    if not boxes or boxes[0][0] != b"ftyp":
        return None
    _, s, e = boxes[0]
    brands = {data[s : s + 4]} | {data[i : i + 4] for i in range(s + 8, e - 3, 4)}
    if not brands & HEIF_BRANDS:
        return None
    best = None
    for kind, s, e in boxes:
        if kind != b"meta":
            continue
        for kind, s2, e2 in _boxes(data, s + 4, e):  # meta is a full box (4 bytes version and flags)
            if kind != b"iprp":
                continue
            for kind, s3, e3 in _boxes(data, s2, e2):
                if kind != b"ipco":
                    continue
                for kind, s4, e4 in _boxes(data, s3, e3):
                    if kind == b"ispe" and e4 - s4 >= 12:
                        width, height = struct.unpack(">II", data[s4 + 4 : s4 + 12])
                        if best is None or width * height > best[0] * best[1]:
                            best = (width, height)
    return best


def _check_heif(upload) -> None:
    data = upload.read()
    upload.seek(0)
    size = heif_size(data)
    if size is None:
        _refuse("bad_image", f"文件“{upload.name}”不是HEIC/HEIF照片")
    _pixel_limit(upload.name, *size)


def _check_office(upload, content_type: str) -> None:
    try:
        with zipfile.ZipFile(upload) as archive:
            names = archive.namelist()
    except (zipfile.BadZipFile, OSError, ValueError):
        names = []
    finally:
        upload.seek(0)
    part = OFFICE_PART[content_type]
    if "[Content_Types].xml" not in names or not any(n.startswith(part) for n in names):
        _refuse("bad_type", f"文件“{upload.name}”的内容与扩展名不符")


def check_upload(upload) -> str:
    """The content type of an acceptable upload, or raise ValidationFailed (size, type and content)."""
    if upload.size > settings.MAX_UPLOAD_BYTES:
        _refuse("too_large", f"文件超过{settings.MAX_UPLOAD_BYTES // (1024 * 1024)}MB")
    content_type = mimetypes.guess_type(upload.name)[0] or ""
    if content_type not in ALLOWED_TYPES:
        _refuse("bad_type", TYPES_TEXT)
    head = upload.read(16)
    upload.seek(0)
    kind = ALLOWED_TYPES[content_type]
    if _sniff(head) != kind:
        _refuse("bad_type", f"文件“{upload.name}”的内容与扩展名不符")
    if kind in PILLOW_FORMATS:
        _check_pillow_image(upload, kind)
    elif kind == "heic":
        _check_heif(upload)
    elif kind == "zip":
        _check_office(upload, content_type)
    return content_type


def store_upload(row, upload, *, actor, comment: str, images_only: str = ""):
    """Check `upload` (`check_upload`; with `images_only`, anything but a photo is refused with that
    message), keep it in `row.file` with its name, type, size and uploader, save `row` (an unsaved
    `core.models.UploadedFile`) and audit its creation with `comment`. Inside the caller's transaction: a
    refused upload writes no row."""
    content_type = check_upload(upload)
    if images_only and not content_type.startswith("image/"):
        raise ValidationFailed([FieldError("file", "bad_type", images_only)])
    row.name = upload.name[:200]
    row.content_type = content_type
    row.size = upload.size
    row.uploaded_by = actor
    row.file.save(upload.name, upload, save=False)
    row.save()
    audit.record_create(row, actor=actor, comment=comment)
    return row


def file_response(fieldfile, *, content_type: str, name: str) -> FileResponse:
    """A stored file for the browser: JPEG/PNG/WebP photos inline, anything else as a download; 404 when
    the file has gone."""
    try:
        handle = fieldfile.open("rb")
    except (FileNotFoundError, ValueError):
        raise Http404 from None
    response = FileResponse(
        handle,
        content_type=content_type or "application/octet-stream",
        filename=name,
        as_attachment=content_type not in INLINE_TYPES,
    )
    response["X-Content-Type-Options"] = "nosniff"
    return response


def scoped_file(user, source, pk: int, *, field: str = "file", name=None, content_type=None) -> FileResponse:
    """The file in `field` of row `pk` of `source` (a model or a queryset), looked up through the scoping
    function (404 outside `user`'s scope), served by `file_response`. `name` and `content_type` are the
    row's own fields unless given, as a value or as a function of the row."""
    row = get_in_scope(source, user, pk=pk)
    name = name(row) if callable(name) else (name or row.name)
    content_type = content_type(row) if callable(content_type) else (content_type or row.content_type)
    return file_response(getattr(row, field), content_type=content_type, name=name)
