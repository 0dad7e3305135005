"""An Excel workbook as a download (every export and template of Anquan)."""

import io

from django.http import HttpResponse

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def xlsx_response(workbook, filename: str) -> HttpResponse:
    """`workbook` (openpyxl, also write-only) saved into an attachment named `filename` (ASCII)."""
    buffer = io.BytesIO()
    workbook.save(buffer)
    response = HttpResponse(buffer.getvalue(), content_type=XLSX)
    response["Content-Disposition"] = f"attachment; filename*=UTF-8''{filename}"
    return response
