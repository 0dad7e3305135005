"""Checking uploads (DESIGN rule 5): size, an allowed type by name, and content that matches the name."""

import mimetypes

from django.conf import settings

from .errors import FieldError, ValidationFailed

# extension's type → what the first bytes must look like (an upload is checked by content, not just by name)
ALLOWED_TYPES = {
    "image/jpeg": "jpeg",
    "image/png": "png",
    "image/webp": "webp",
    "image/heic": "heic",
    "application/pdf": "pdf",
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document": "zip",
    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet": "zip",
    "application/msword": "ole",
}


def _sniff(head: bytes) -> str | None:
    if head.startswith(b"\xff\xd8\xff"):
        return "jpeg"
    if head.startswith(b"\x89PNG"):
        return "png"
    if head.startswith(b"%PDF"):
        return "pdf"
    if head.startswith(b"PK\x03\x04"):
        return "zip"
    if head.startswith(b"\xd0\xcf\x11\xe0"):
        return "ole"
    if head[:4] == b"RIFF" and head[8:12] == b"WEBP":
        return "webp"
    if head[4:8] == b"ftyp":
        return "heic"
    return None


def check_upload(upload) -> str:
    """The content type of an acceptable upload, or raise ValidationFailed (size and real type checked)."""
    if upload.size > settings.MAX_UPLOAD_BYTES:
        raise ValidationFailed(
            [FieldError("file", "too_large", f"文件超过{settings.MAX_UPLOAD_BYTES // (1024 * 1024)}MB")]
        )
    content_type = mimetypes.guess_type(upload.name)[0] or ""
    if content_type not in ALLOWED_TYPES:
        raise ValidationFailed(
            [FieldError("file", "bad_type", "只能上传照片（JPG、PNG、WebP、HEIC）或PDF、Word、Excel文件")]
        )
    head = upload.read(12)
    upload.seek(0)
    if _sniff(head) != ALLOWED_TYPES[content_type]:
        raise ValidationFailed([FieldError("file", "bad_type", f"文件“{upload.name}”的内容与扩展名不符")])
    return content_type
