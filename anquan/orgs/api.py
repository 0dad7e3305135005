"""/api/v1/departments and /api/v1/industries: reference lists (typed, paginated like every list)."""

from typing import Literal

from ninja import Field, Query, Router, Schema

from anquan.core.contract import MAX_LIMIT, Page, PageParams, page, responses

from .choices import IndustryKind
from .models import Department, Industry

router = Router(tags=["reference"])


class DepartmentOut(Schema):
    code: str
    name: str
    full_name: str


class IndustryOut(Schema):
    code: str
    name: str
    kind: str
    gb_section: str
    high_risk: bool


class ReferencePageParams(PageParams):
    limit: int = Field(MAX_LIMIT, ge=1, le=MAX_LIMIT, description="每页条数（1–500，默认500：整个列表）")


class IndustryFilters(Schema):
    kind: Literal[tuple(IndustryKind.values)] | None = None


@router.get("departments", response=responses(Page[DepartmentOut], 400))
def list_departments(request, paging: Query[ReferencePageParams]):
    def item(d: Department) -> dict:
        return {"code": d.code, "name": d.name, "full_name": d.full_name}

    return page(Department.objects.all(), paging, item)


@router.get("industries", response=responses(Page[IndustryOut], 400))
def list_industries(request, params: Query[IndustryFilters], paging: Query[ReferencePageParams]):
    qs = Industry.objects.all()
    if params.kind:
        qs = qs.filter(kind=params.kind)

    def item(i: Industry) -> dict:
        return {
            "code": i.code,
            "name": i.name,
            "kind": i.kind,
            "gb_section": i.gb_section,
            "high_risk": i.high_risk,
        }

    return page(qs, paging, item)
