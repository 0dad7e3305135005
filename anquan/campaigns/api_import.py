"""/api/v1 routes of task-list imports: preview from pasted text or an .xlsx, map flagged unit names (remembered
for the office's next import), apply once, and a campaign's task list as .xlsx in the shape the import reads."""

from __future__ import annotations

from typing import Any, Literal

from django.http import HttpResponse
from ninja import Field, File, Form, Router, Schema, Status
from ninja.files import UploadedFile

from anquan.accounts.http import AuthedRequest
from anquan.core.contract import responses
from anquan.core.scope import CHANGE, VIEW, get_in_scope
from anquan.core.xlsx import XLSX
from anquan.standards.schemas import Id, RegionCode

from .importing import excel, services
from .models import Campaign, TaskImport

router = Router(tags=["专项整治"])


class ImportUnitOut(Schema):
    role: str = Field(
        description="organise 组织 | lead 牵头 | jointly 会同 | share 分工负责 | implement 落实 | responsible 负责"
    )
    text: str = Field(description="单位名称（原文）")
    kind: str = Field(
        description="department 部门 | region 地区 | child_regions 下辖各地 | members 成员单位 | unrecognised 未识别"
    )
    region: str | None = Field(description="地区代码")
    department: int | None = Field(description="部门类别 id")
    label: str = Field(description="识别为")
    recognised: bool = Field(description="false：待人工对应（flagged）")


class ImportLineOut(Schema):
    number: str
    title: str
    content: str
    battle: str = Field(description="所属板块（一、…）")
    deadline: str | None
    deadline_text: str = Field(description="无法识别为日期的完成时限原文")
    units: list[ImportUnitOut]


class ImportOut(Schema):
    id: int
    campaign: int
    source_name: str
    status: Literal["preview", "applied"]
    lines: list[ImportLineOut]
    units: int = Field(description="单位提及总数")
    recognised: int
    flagged: int
    flagged_names: list[str] = Field(description="待人工对应的单位名称（每个一次）")


class TextImportIn(Schema):
    campaign: Id
    text: str = Field(
        max_length=services.TEXT_MAX, description="粘贴的任务清单文本（一、… 1. …（牵头单位…落实））"
    )


class UploadImportIn(Schema):
    campaign: Id


class MappingIn(Schema):
    text: str = Field(max_length=200, description="清单中的单位名称（原文）")
    kind: Literal["department", "region", "child_regions", "members", "text_only", "new_department"] = Field(
        description="department 部门 | region 地区 | child_regions 下辖各地 | members 成员单位 | "
        "text_only 不作为责任单位 | new_department 新增部门类别后对应"
    )
    region: RegionCode | None = Field(None, description="地区（本级或下辖）；部门默认本级")
    department: Id | None = Field(None, description="部门类别 id（kind=department）")
    department_name: str = Field("", max_length=50, description="新部门类别的简称（kind=new_department）")
    department_full_name: str = Field("", max_length=100, description="新部门类别的全称")


class MappingOut(ImportOut):
    changed: int = Field(description="本次对应的单位提及数")


class AppliedOut(ImportOut):
    created: int = Field(description="新建的任务数")
    skipped: int = Field(description="已在该专项中的任务数（不重复创建）")


def import_out(task_import: TaskImport) -> dict[str, Any]:
    counted = services.counts(task_import.rows)
    return {
        "id": task_import.pk,
        "campaign": task_import.campaign_id,
        "source_name": task_import.source_name,
        "status": task_import.status,
        "lines": [
            row | {"units": [u | {"recognised": not u["flagged"]} for u in row["units"]]}
            for row in task_import.rows
        ],
        "units": counted.units,
        "recognised": counted.recognised,
        "flagged": counted.flagged,
        "flagged_names": counted.flagged_names,
    }


def _campaign(request: AuthedRequest, campaign_id: int) -> Campaign:
    return get_in_scope(Campaign.objects.select_related("region"), request.user, CHANGE, pk=campaign_id)


def _import(request: AuthedRequest, import_id: int) -> TaskImport:
    return get_in_scope(
        TaskImport.objects.select_related("campaign__region"), request.user, CHANGE, pk=import_id
    )


@router.post("/campaign-imports", response=responses({201: ImportOut}, 400, 403, 404, 415))
def import_text(request: AuthedRequest, payload: TextImportIn) -> Status[dict[str, Any]]:
    """A preview of pasted official text: sections (一、…) become battles, numbered items (1. …) tasks, the units
    in the trailing parentheses are recognised or flagged for a person to map. Nothing is created until apply."""
    campaign = _campaign(request, payload.campaign)
    return Status(201, import_out(services.preview_text(campaign, payload.text, actor=request.user)))


@router.post("/campaign-imports/upload", response=responses({201: ImportOut}, 400, 403, 404, 413, 415))
def import_workbook(
    request: AuthedRequest, payload: Form[UploadImportIn], file: File[UploadedFile]
) -> Status[dict[str, Any]]:
    """A preview of an .xlsx (columns 序号, 所属板块, 任务名称, 任务内容, 牵头单位, 责任单位, 完成时限; 状态 ignored)."""
    campaign = _campaign(request, payload.campaign)
    data = file.read(services.upload_limit() + 1)
    task_import = services.preview_workbook(campaign, data, file.name or "", actor=request.user)
    return Status(201, import_out(task_import))


@router.get("/campaign-imports/{import_id}", response=responses(ImportOut, 404))
def get_import(request: AuthedRequest, import_id: Id) -> dict[str, Any]:
    return import_out(_import(request, import_id))


@router.post(
    "/campaign-imports/{import_id}/mappings", response=responses(MappingOut, 400, 403, 404, 409, 415)
)
def map_name(request: AuthedRequest, import_id: Id, payload: MappingIn) -> dict[str, Any]:
    """Map a unit name: every line of the import naming it changes, and the office's next import recognises it."""
    task_import = _import(request, import_id)
    changed = services.map_name(
        task_import,
        text=payload.text,
        kind=payload.kind,
        region_code=payload.region,
        department_id=payload.department,
        department_name=payload.department_name,
        department_full_name=payload.department_full_name,
        actor=request.user,
    )
    task_import.refresh_from_db()
    return import_out(task_import) | {"changed": changed}


@router.post("/campaign-imports/{import_id}/apply", response=responses(AppliedOut, 403, 404))
def apply_import(request: AuthedRequest, import_id: Id) -> dict[str, Any]:
    """Create the tasks in one transaction; applying again creates nothing (skipped counts the lines)."""
    task_import = _import(request, import_id)
    applied = services.apply(task_import, actor=request.user)
    task_import.refresh_from_db()
    return import_out(task_import) | {"created": applied.created, "skipped": applied.skipped}


@router.get(
    "/campaigns/{campaign_id}/tasks.xlsx",
    response=responses({200: None}, 404),
    openapi_extra={"responses": {200: {"description": "任务清单（.xlsx）", "content": {XLSX: {}}}}},
)
def export_tasks(request: AuthedRequest, campaign_id: Id) -> HttpResponse:
    """The campaign's task lines in the import's shape (序号, 所属板块, 任务名称, 任务内容, 牵头单位, 责任单位, 完成时限, 状态)."""
    campaign = get_in_scope(Campaign, request.user, VIEW, pk=campaign_id)
    return excel.export_response(campaign)
