"""/api/v1/jobs: the caller's background jobs (a bulletin asked for, a large export): status, progress, result."""

import datetime as dt

from ninja import Field, Path, Router, Schema

from anquan.core.contract import responses
from anquan.core.xlsx import XLSX

from . import services

router = Router(tags=["jobs"])

MAX_ID = 2**31 - 1


class RowErrorOut(Schema):
    row: int = Field(description="Excel 中的行号")
    column: str = Field(description="列名")
    message: str = Field(description="中文说明")


class JobOut(Schema):
    id: int
    kind: str = Field(
        description="bulletin, hazard_export, enterprise_export, accident_export, risk_point_export, hazard_import, "
        "enterprise_import, venue_import, venue_labels, personnel_import"
    )
    kind_name: str
    status: str = Field(description="queued → running → done / failed")
    status_name: str
    percent: int = Field(ge=0, le=100)
    processed: int
    total: int
    error: str = Field(description="为何失败（中文）；未失败时为空")
    imported: int = Field(description="导入：已导入的行数（全部或零）")
    errors: list[RowErrorOut] = Field(description="导入：各行的错误（行号、列、说明）")
    created: dict[str, int] = Field(description='导入：新建的记录数，如 {"people": 3, "certificates": 5}')
    result_url: str | None = Field(description="完成后：结果文件的下载地址")
    result_name: str
    url: str = Field(description="本任务的地址（轮询）")
    created_at: dt.datetime
    finished_at: dt.datetime | None


@router.get("/{job_id}", response=responses(JobOut, 404), url_name="get_job")
def get_job(request, job_id: int = Path(..., ge=1, le=MAX_ID)):
    """A job the caller started: poll it until `status` is done (then fetch `result_url`) or failed (`error`);
    another user's job answers 404."""
    return services.out(services.get(request.user, job_id), api=True)


@router.get(
    "/{job_id}/download",
    url_name="job_download",
    response=responses({200: None}, 404),
    openapi_extra={"responses": {200: {"description": "导出文件（.xlsx）", "content": {XLSX: {}}}}},
)
def download_job(request, job_id: int = Path(..., ge=1, le=MAX_ID)):
    """A finished export's workbook; 404 before it is finished or for another user's job."""
    return services.file_response(request.user, job_id)
