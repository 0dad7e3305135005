"""POST /api/v1/personnel/import: the Excel import of key-post personnel and certificates (issue #17 item 3) for a
client with a token. Up to IMPORT_BACKGROUND_ROWS rows it answers the outcome at once; a larger file becomes a job
(202) that the worker runs and `GET /api/v1/jobs/{id}` reports — progress, then the per-row errors or the counts
created. All or nothing either way (docs/adr/0002-background-imports.md)."""

from __future__ import annotations

from typing import Any, Literal

from ninja import Field, File, Form, Router, Schema, Status
from ninja.files import UploadedFile

from anquan.accounts.http import AuthedRequest
from anquan.core.contract import responses
from anquan.core.errors import FieldError, NotPermitted, ValidationFailed
from anquan.core.scope import CHANGE, role_may
from anquan.jobs import services as job_services
from anquan.jobs.api import JobOut, RowErrorOut
from anquan.jobs.models import JobKind
from anquan.jobs.views import start_import

from . import excel
from .models import Person

router = Router(tags=["三项岗位人员"])


class PersonnelImportIn(Schema):
    mode: Literal["check", "import"] = Field(
        "import",
        description="check：只检查各行、不写入；import：全部无误时全部导入，任一行有错则一行也不导入",
    )


class PersonnelImportOut(Schema):
    total_rows: int = Field(description="读取的数据行数")
    imported: int = Field(description="导入的行数（全部或零）")
    people: int = Field(description="新建的人员数")
    certificates: int = Field(description="新建的证书数")
    checked_only: bool = Field(description="true：只做了检查，未写入")
    errors: list[RowErrorOut] = Field(description="各行的错误（行号、列、说明）；有任一错误时未导入任何行")


@router.post(
    "/personnel/import",
    response=responses({200: PersonnelImportOut, 202: JobOut}, 403, 415),
    url_name="personnel_import",
)
def import_personnel(
    request: AuthedRequest, payload: Form[PersonnelImportIn], file: File[UploadedFile]
) -> Status[dict[str, Any]]:
    """An .xlsx made from the template (/personnel/import/template/). At most IMPORT_BACKGROUND_ROWS data rows:
    200 with the outcome; more: 202 with a job to poll at `url` until `status` is done (then `errors` or
    `created`) or failed (`error`: the import was interrupted and nothing of it stays)."""
    if not role_may(request.user, Person, CHANGE):
        raise NotPermitted("您的角色不能登记三项岗位人员")
    result, error, job = start_import(
        request.user, JobKind.PERSONNEL_IMPORT, payload.mode, excel.ImportMode.CHOICES, file
    )
    if job is not None:
        return Status(202, job_services.out(job, api=True))
    if error or result.file_error:
        raise ValidationFailed([FieldError("file", "invalid", error or result.file_error)])
    return Status(
        200,
        {
            "total_rows": result.total_rows,
            "imported": result.imported,
            "people": result.people,
            "certificates": result.certificates,
            "checked_only": result.dry_run,
            "errors": [{"row": e.row, "column": e.column, "message": e.message} for e in result.errors],
        },
    )
