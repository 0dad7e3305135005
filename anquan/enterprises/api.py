from decimal import Decimal

from ninja import Query, Router, Schema, Status

from anquan.accounts.roles import Perm, has_perm
from anquan.accounts.scope import get_in_scope, restrict
from anquan.core.errors import NotPermitted
from anquan.core.idempotency import key_from, run_once

from . import excel, filters, services
from .models import Enterprise

router = Router(tags=["enterprises"])


class EnterpriseIn(Schema):
    """Related records by natural key: region/territorial_region by code, industry by code,
    grid by code, supervising_department by name."""

    name: str | None = None
    uscc: str | None = None
    region: str | None = None
    address: str | None = None
    grid: str | None = None
    latitude: Decimal | None = None
    longitude: Decimal | None = None
    industry: str | None = None
    scale: str | None = None
    employee_count: int | None = None
    legal_representative: str | None = None
    principal_name: str | None = None
    principal_phone: str | None = None
    safety_manager_name: str | None = None
    safety_manager_phone: str | None = None
    standardization_grade: str | None = None
    key_supervision: bool | None = None
    key_supervision_level: str | None = None
    status: str | None = None
    territorial_region: str | None = None
    supervising_department: str | None = None
    idempotency_key: str | None = None


class EnterpriseFilters(Schema):
    q: str | None = None
    region: str | None = None
    industry: str | None = None
    department: str | None = None
    status: str | None = None
    scale: str | None = None
    standardization_grade: str | None = None
    key_supervision: bool | None = None
    grid: str | None = None
    risk_level: str | None = None
    ordering: str | None = None


def out(e: Enterprise) -> dict:
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
    }


def _scoped(request):
    return restrict(Enterprise, request.user).select_related(
        "region", "grid", "industry", "territorial_region", "supervising_department"
    )


def _raw(payload: EnterpriseIn) -> dict:
    raw = payload.dict(exclude_unset=True)
    raw.pop("idempotency_key", None)
    return raw


@router.get("", response=dict)
def list_enterprises(request, filters_: Query[EnterpriseFilters], limit: int = 50, offset: int = 0):
    qs = filters.apply(_scoped(request), filters_.dict(exclude_none=True))
    count = qs.count()
    limit = max(1, min(limit, 500))
    return {"items": [out(e) for e in qs[max(0, offset) : max(0, offset) + limit]], "count": count}


@router.get("/export")
def export_enterprises(request, filters_: Query[EnterpriseFilters]):
    """The filtered list as .xlsx (same filters as the list)."""
    if not has_perm(request.user, Perm.ENTERPRISE_EXPORT):
        raise NotPermitted
    qs = filters.apply(_scoped(request), filters_.dict(exclude_none=True))
    return excel.export_response(qs)


@router.post("", response={201: dict})
def create_enterprise(request, payload: EnterpriseIn):
    def create():
        enterprise = services.create_enterprise(_raw(payload), actor=request.user)
        return 201, out(_scoped(request).get(pk=enterprise.pk))

    status, body = run_once(request, "enterprises.create", key_from(request, payload.idempotency_key), create)
    return Status(status, body)


@router.get("/{enterprise_id}", response=dict)
def get_enterprise(request, enterprise_id: int):
    return out(get_in_scope(_scoped(request), request.user, pk=enterprise_id))


@router.patch("/{enterprise_id}", response=dict)
def update_enterprise(request, enterprise_id: int, payload: EnterpriseIn):
    enterprise = get_in_scope(_scoped(request), request.user, pk=enterprise_id)
    services.update_enterprise(enterprise, _raw(payload), actor=request.user)
    return out(_scoped(request).get(pk=enterprise.pk))


@router.delete("/{enterprise_id}", response={204: None})
def delete_enterprise(request, enterprise_id: int):
    enterprise = get_in_scope(_scoped(request), request.user, pk=enterprise_id)
    services.delete_enterprise(enterprise, actor=request.user)
    return Status(204, None)
