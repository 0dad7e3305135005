"""Whose a team, depot or roster is: the caller's own enterprise, an enterprise in scope named by its USCC, or a
government department of a region in scope (the caller's own when left blank). Refusals are field errors."""

from __future__ import annotations

from typing import Any

from django.db.models import Q

from anquan.core.errors import FieldError
from anquan.core.scope import restrict
from anquan.enterprises.models import Enterprise
from anquan.orgs.models import Department
from anquan.regions.inputs import region_field


def owner(raw: dict[str, Any], actor: Any, errors: list[FieldError]) -> dict[str, Any]:
    """{"enterprise", "department", "region"} of the owner unit (an empty dict when refused: `errors` says why)."""
    if getattr(actor, "enterprise_id", None):
        enterprise = actor.enterprise
        return {"enterprise": enterprise, "department": None, "region": enterprise.region}
    uscc = str(raw.get("enterprise") or "").strip().upper()
    if uscc:
        enterprise = restrict(Enterprise, actor).select_related("region").filter(uscc=uscc).first()
        if enterprise is None:
            errors.append(FieldError("enterprise", "out_of_scope", "企业不存在或不在您的管辖范围内"))
            return {}
        return {"enterprise": enterprise, "department": None, "region": enterprise.region}
    region = region_field(raw.get("region"), actor, errors)
    name = str(raw.get("department") or "").strip()
    department = None
    if name:
        department = Department.objects.filter(Q(name=name) | Q(code=name)).first()
        if department is None:
            errors.append(FieldError("department", "invalid", "没有这个部门"))
    elif getattr(actor, "department_id", None):
        department = actor.department
    if region is None or (name and department is None):
        return {}
    return {"enterprise": None, "department": department, "region": region}
