"""PDF from a .docx through LibreOffice headless (`soffice --convert-to pdf`): the printed dossier (hazards) and
the official documents (documents) use it. The CJK font installed by set-up is embedded by LibreOffice."""

from __future__ import annotations

import os
import shutil
import subprocess
import tempfile
import threading
from pathlib import Path

PDF_TIMEOUT = 120


class PdfUnavailable(Exception):
    """LibreOffice is not installed or failed: the .docx is still offered."""


def soffice() -> str | None:
    return shutil.which("soffice") or shutil.which("libreoffice")


def _profile() -> Path:
    """LibreOffice's profile folder for this process and thread: made once (the slow part of a first conversion)
    and never used by two conversions at once, which LibreOffice does not allow."""
    return Path(tempfile.gettempdir()) / f"anquan-soffice-{os.getuid()}-{os.getpid()}-{threading.get_ident()}"


def to_pdf(docx: bytes) -> bytes:
    """Convert with LibreOffice headless; conversions in other threads or processes run at once."""
    binary = soffice()
    if binary is None:
        raise PdfUnavailable
    with tempfile.TemporaryDirectory(prefix="anquan-pdf-") as tmp:
        source = Path(tmp) / "document.docx"
        source.write_bytes(docx)
        command = [
            binary,
            f"-env:UserInstallation={_profile().as_uri()}",
            "--headless",
            "--convert-to",
            "pdf",
            "--outdir",
            tmp,
            str(source),
        ]
        try:
            subprocess.run(  # noqa: S603 (a fixed command; the only argument from outside is our own file)
                command,
                check=True,
                capture_output=True,
                timeout=PDF_TIMEOUT,
                env={**os.environ, "HOME": tmp},
            )
        except (subprocess.SubprocessError, OSError) as exc:
            raise PdfUnavailable from exc
        result = Path(tmp) / "document.pdf"
        if not result.exists():
            raise PdfUnavailable
        return result.read_bytes()
