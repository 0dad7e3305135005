"""/api/v1/enterprises: typed schemas (limits from validation.FIELDS), the shared paginator, strict filters."""

import datetime as dt
from decimal import Decimal
from typing import Literal

from ninja import Field, Path, Query, Router, Schema, Status

from anquan.core.contract import Page, PageParams, page, responses
from anquan.core.errors import NotPermitted
from anquan.core.idempotency import key_from, run_once
from anquan.core.permissions import Perm, has_perm
from anquan.core.scope import get_in_scope, restrict
from anquan.jobs import exports
from anquan.jobs import services as job_services
from anquan.jobs.api import JobOut
from anquan.jobs.models import JobKind

from . import excel, filters, services, workflow
from .choices import KeySupervisionLevel, Scale, StandardizationGrade
from .choices import Status as EnterpriseStatus
from .models import Enterprise
from .validation import COORDINATES, FIELDS_BY_NAME, MAX_EMPLOYEES

router = Router(tags=["enterprises"])
MAX_ID = 2**31 - 1
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _max(name: str) -> int:
    return FIELDS_BY_NAME[name].max_length


def _values(choices) -> str:
    return "取值：" + "、".join(f"{m.value}（{m.label}）" for m in choices)


_LAT, _LON = COORDINATES["latitude"], COORDINATES["longitude"]
PHONE = Field(None, max_length=20, description="电话（7–20位数字及+-()）")


class EnterprisePatchIn(Schema):
    """Only the fields given change. Related records by natural key: region/territorial_region by code,
    industry by code, grid by code, supervising_department by name; choices by value or Chinese label."""

    name: str | None = Field(None, max_length=_max("name"))
    uscc: str | None = Field(None, max_length=_max("uscc"), description="统一社会信用代码（GB 32100-2015）")
    region: str | None = Field(None, max_length=12)
    address: str | None = Field(None, max_length=_max("address"))
    grid: str | None = Field(None, max_length=40)
    latitude: Decimal | None = Field(None, ge=_LAT[0], le=_LAT[1])
    longitude: Decimal | None = Field(None, ge=_LON[0], le=_LON[1])
    industry: str | None = Field(None, max_length=40)
    scale: str | None = Field(None, max_length=20, description=_values(Scale))
    employee_count: int | None = Field(None, ge=0, le=MAX_EMPLOYEES)
    legal_representative: str | None = Field(None, max_length=_max("legal_representative"))
    principal_name: str | None = Field(None, max_length=_max("principal_name"))
    principal_phone: str | None = PHONE
    safety_manager_name: str | None = Field(None, max_length=_max("safety_manager_name"))
    safety_manager_phone: str | None = PHONE
    standardization_grade: str | None = Field(None, max_length=20, description=_values(StandardizationGrade))
    key_supervision: bool | None = None
    key_supervision_level: str | None = Field(None, max_length=20, description=_values(KeySupervisionLevel))
    status: str | None = Field(
        None,
        max_length=20,
        description=_values(EnterpriseStatus)
        + "。新登记时为初始状态；已登记企业的经营状态只能通过 POST /enterprises/{id}/transitions 变更"
        + "（改为其他值：422 use_transition）",
    )
    territorial_region: str | None = Field(None, max_length=12)
    supervising_department: str | None = Field(None, max_length=100)


class EnterpriseTransitionIn(Schema):
    """suspend 停产 (operating → suspended) · resume 复产 (suspended → operating) · close 关闭 (operating or
    suspended → closed) · reopen 恢复经营 (closed → operating). Offices and department supervisors whose
    scope holds the enterprise; `reason` is required and kept in the enterprise's status history."""

    action: Literal[workflow.ACTIONS]
    reason: str | None = Field(None, max_length=workflow.REASON_MAX)


class EnterpriseEventOut(Schema):
    id: int
    action: str
    from_status: str
    to_status: str
    actor: str
    at: dt.datetime
    comment: str


class EnterpriseCreateIn(EnterprisePatchIn):
    """A new enterprise: name, uscc, region and industry are required; the rest as in a change."""

    name: str = Field(max_length=_max("name"))
    uscc: str = Field(max_length=_max("uscc"), description="统一社会信用代码（GB 32100-2015）")
    region: str = Field(max_length=12)
    industry: str = Field(max_length=40)
    idempotency_key: str | None = Field(None, max_length=100)


class EnterpriseFilters(Schema):
    q: str | None = Field(None, max_length=filters.MAX_Q, description="名称、拼音首字母或信用代码开头")
    region: str | None = Field(None, max_length=12)
    industry: str | None = Field(None, max_length=40)
    department: str | None = Field(None, max_length=100)
    status: Literal[tuple(EnterpriseStatus.values)] | None = None
    scale: Literal[tuple(Scale.values)] | None = None
    standardization_grade: Literal[tuple(StandardizationGrade.values)] | None = None
    key_supervision: bool | None = None
    grid: str | None = Field(None, max_length=40)
    risk_level: Literal[filters.RISK_LEVELS] | None = Field(None, description="none = 尚未评定")
    ordering: Literal[tuple(filters.ORDERINGS)] | None = None


class EnterpriseOut(Schema):
    id: int
    name: str
    uscc: str
    address: str
    region: str
    region_name: str
    grid: str | None
    latitude: float | None
    longitude: float | None
    industry: str
    industry_name: str
    scale: str
    employee_count: int
    legal_representative: str
    principal_name: str
    principal_phone: str
    safety_manager_name: str
    safety_manager_phone: str
    standardization_grade: str
    key_supervision: bool
    key_supervision_level: str | None
    status: str
    risk_level: str | None
    territorial_region: str
    supervising_department: str | None
    department_overridden: bool
    created_at: dt.datetime
    updated_at: dt.datetime
    actions: list[str] = Field(
        description="经营状态操作中调用者现在可执行的（suspend、resume、close、reopen）"
    )


def out(e: Enterprise, user=None) -> dict:
    return {
        "id": e.id,
        "name": e.name,
        "uscc": e.uscc,
        "address": e.address,
        "region": e.region.code,
        "region_name": e.region.full_name,
        "grid": e.grid.code if e.grid_id else None,
        "latitude": float(e.latitude) if e.latitude is not None else None,
        "longitude": float(e.longitude) if e.longitude is not None else None,
        "industry": e.industry.code,
        "industry_name": e.industry.name,
        "scale": e.scale,
        "employee_count": e.employee_count,
        "legal_representative": e.legal_representative,
        "principal_name": e.principal_name,
        "principal_phone": e.principal_phone,
        "safety_manager_name": e.safety_manager_name,
        "safety_manager_phone": e.safety_manager_phone,
        "standardization_grade": e.standardization_grade,
        "key_supervision": e.key_supervision,
        "key_supervision_level": e.key_supervision_level or None,
        "status": e.status,
        "risk_level": e.risk_level or None,
        "territorial_region": e.territorial_region.code,
        "supervising_department": e.supervising_department.name if e.supervising_department_id else None,
        "department_overridden": e.department_overridden,
        "created_at": e.created_at.isoformat(),
        "updated_at": e.updated_at.isoformat(),
        "actions": workflow.FLOW.available(e, user) if user is not None else [],
    }


def _scoped(request):
    return restrict(Enterprise, request.user).select_related(
        "region", "grid", "industry", "territorial_region", "supervising_department"
    )


def _raw(payload: EnterprisePatchIn) -> dict:
    raw = payload.dict(exclude_unset=True)
    raw.pop("idempotency_key", None)
    return raw


def _filter_values(params: EnterpriseFilters) -> dict:
    return params.dict(exclude_none=True)


@router.get("", response=responses(Page[EnterpriseOut], 400))
def list_enterprises(request, filters_: Query[EnterpriseFilters], paging: Query[PageParams]):
    qs = filters.apply(_scoped(request), _filter_values(filters_), strict=True)
    return page(qs, paging, lambda e: out(e, request.user))


@router.get(
    "/export",
    response=responses({200: None, 202: JobOut}, 400, 403),
    openapi_extra={"responses": {200: {"description": "企业名录（.xlsx）", "content": {XLSX: {}}}}},
)
def export_enterprises(request, filters_: Query[EnterpriseFilters]):
    """The filtered list as .xlsx (same filters as the list); above EXPORT_BACKGROUND_ROWS rows (5,000) 202
    with a job to poll (`url`) whose `result_url` is the file when it is done."""
    if not has_perm(request.user, Perm.ENTERPRISE_EXPORT):
        raise NotPermitted
    qs = filters.apply(_scoped(request), _filter_values(filters_), strict=True)
    if exports.too_large(qs):
        job = exports.submit(JobKind.ENTERPRISE_EXPORT, request.user, _filter_values(filters_))
        return Status(202, job_services.out(job, api=True))
    return excel.export_response(qs, request.user, _filter_values(filters_))


@router.post("", response=responses({201: EnterpriseOut}, 400, 403, 409, 415))
def create_enterprise(request, payload: EnterpriseCreateIn):
    def create():
        enterprise = services.create_enterprise(_raw(payload), actor=request.user)
        return 201, out(_scoped(request).get(pk=enterprise.pk), request.user)

    status, body = run_once(request, "enterprises.create", key_from(request, payload.idempotency_key), create)
    return Status(status, body)


@router.get("/{enterprise_id}", response=responses(EnterpriseOut, 404))
def get_enterprise(request, enterprise_id: int = Path(..., ge=1, le=MAX_ID)):
    return out(get_in_scope(_scoped(request), request.user, pk=enterprise_id), request.user)


@router.patch("/{enterprise_id}", response=responses(EnterpriseOut, 400, 403, 404, 409, 415))
def update_enterprise(request, payload: EnterprisePatchIn, enterprise_id: int = Path(..., ge=1, le=MAX_ID)):
    enterprise = get_in_scope(_scoped(request), request.user, pk=enterprise_id)
    services.update_enterprise(enterprise, _raw(payload), actor=request.user)
    return out(_scoped(request).get(pk=enterprise.pk), request.user)


@router.post("/{enterprise_id}/transitions", response=responses(EnterpriseOut, 400, 403, 404, 409, 415))
def move_enterprise(
    request, payload: EnterpriseTransitionIn, enterprise_id: int = Path(..., ge=1, le=MAX_ID)
):
    """停产 / 复产 / 关闭 / 恢复经营: the only way an enterprise's status changes (409 when its status is not
    one the action runs from, or was changed meanwhile; 403 for roles that do not supervise enterprises)."""
    enterprise = get_in_scope(_scoped(request), request.user, pk=enterprise_id)
    fields = payload.dict(exclude_none=True)
    workflow.transition(enterprise, fields.pop("action"), actor=request.user, **fields)
    return out(_scoped(request).get(pk=enterprise.pk), request.user)


@router.get("/{enterprise_id}/events", response=responses(Page[EnterpriseEventOut], 404))
def enterprise_events(request, paging: Query[PageParams], enterprise_id: int = Path(..., ge=1, le=MAX_ID)):
    """The enterprise's status history, oldest first."""
    enterprise = get_in_scope(_scoped(request), request.user, pk=enterprise_id)

    return page(enterprise.events.order_by("at", "id"), paging, lambda e: e.as_json())


@router.delete("/{enterprise_id}", response=responses({204: None}, 403, 404, 409))
def delete_enterprise(request, enterprise_id: int = Path(..., ge=1, le=MAX_ID)):
    enterprise = get_in_scope(_scoped(request), request.user, pk=enterprise_id)
    services.delete_enterprise(enterprise, actor=request.user)
    return Status(204, None)
