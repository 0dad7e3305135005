"""What the document list shows, for the page, the API and the export: one filter definition."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet

from anquan.core import inputs
from anquan.core.errors import FieldError, ValidationFailed
from anquan.regions.inputs import subtree

from .choices import DocumentKind, Status
from .models import Document

YEAR_MIN, YEAR_MAX = 2000, 2100
MAX_ID = 2**63 - 1  # a database id (a larger number would overflow the query)


def apply(qs: QuerySet[Document], params: dict[str, Any]) -> QuerySet[Document]:
    """`enterprise` (id), `kind`, `year`, `department` (id), `region` (code of the issuing unit's region or one above it), `status`."""
    errors: list[FieldError] = []
    kind = str(params.get("kind") or "").strip()
    if kind:
        if kind not in DocumentKind.values:
            errors.append(FieldError("kind", "invalid_choice", "文书种类不存在"))
        else:
            qs = qs.filter(kind=kind)
    status = str(params.get("status") or "").strip()
    if status:
        if status not in Status.values:
            errors.append(FieldError("status", "invalid_choice", "状态应为已签发或已作废"))
        else:
            qs = qs.filter(status=status)
    year = inputs.integer(params.get("year"), "year", "年度", errors, low=YEAR_MIN, high=YEAR_MAX)
    enterprise = inputs.integer(params.get("enterprise"), "enterprise", "企业编号", errors, high=MAX_ID)
    department = inputs.integer(params.get("department"), "department", "部门编号", errors, high=MAX_ID)
    if errors:
        raise ValidationFailed(errors)
    if year is not None:
        qs = qs.filter(year=year)
    if enterprise is not None:
        qs = qs.filter(enterprise_id=enterprise)
    if department is not None:
        qs = qs.filter(department_id=department)
    region = str(params.get("region") or "").strip()
    if region:
        qs = qs.filter(subtree(region, "region__code"))
    return qs
