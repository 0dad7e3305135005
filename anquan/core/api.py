"""/api/v1/audit-entries: the audit log as the caller may read it (scoped like the objects it describes)."""

import datetime as dt
from typing import Any, Literal

from ninja import Field, Query, Router, Schema

from anquan.core.permissions import Perm, has_perm

from . import audit
from .contract import Page, PageParams, page, responses
from .errors import NotPermitted
from .models import AuditAction, AuditEntry

router = Router(tags=["audit"])


class AuditFilters(Schema):
    model: str | None = Field(None, max_length=100, description="对象类型，如 enterprises.enterprise")
    object_id: str | None = Field(None, max_length=64, description="对象编号（与 model 同用）")
    actor: str | None = Field(None, max_length=150, description="操作人用户名")
    # built from the choices at run time: OpenAPI lists them as an enum (mypy cannot read such a Literal)
    action: Literal[tuple(AuditAction.values)] | None = None  # type: ignore[valid-type]


class AuditEntryOut(Schema):
    id: int
    seq: int | None = Field(description="链中位置；尚未链接时为空")
    at: dt.datetime
    actor: str
    action: str
    action_name: str
    model: str
    object_id: str
    object: str
    region: str
    before: dict[str, Any] | None
    after: dict[str, Any] | None
    comment: str


def _out(entry: AuditEntry) -> dict:
    return {
        "id": entry.id,
        "seq": entry.seq,
        "at": entry.at,
        "actor": entry.actor_label,
        "action": entry.action,
        "action_name": str(entry.get_action_display()),
        "model": entry.model,
        "object_id": entry.object_id,
        "object": entry.object_repr,
        "region": entry.region_code,
        "before": entry.before,
        "after": entry.after,
        "comment": entry.comment,
    }


@router.get("", response=responses(Page[AuditEntryOut], 400, 403))
def list_entries(request, params: Query[AuditFilters], paging: Query[PageParams]):
    """Newest first: the entries about objects the caller may see (region, department, enterprise), entries
    about user accounts only for roles that manage users; 403 for a role without the audit log."""
    if not has_perm(request.user, Perm.AUDIT_VIEW):
        raise NotPermitted
    return page(audit.filtered(request.user, params.dict(exclude_none=True)), paging, _out)
