"""GET /api/v1/todo: the caller's to-do list (待办, issue #12), as the to-do page shows it."""

from __future__ import annotations

from ninja import Field, Router, Schema

from .contract import responses
from .todo import items_for, total

router = Router(tags=["todo"])


class TodoItemOut(Schema):
    kind: str = Field(description="待办类型（稳定标识，如 hazards.accept）")
    label: str = Field(description="待办名称，如“待受理隐患”")
    count: int = Field(description="等待处理的条数")
    url: str = Field(description="列出这些记录的页面地址")


class TodoOut(Schema):
    items: list[TodoItemOut]
    count: int = Field(description="待办总条数（各项 count 之和）")


@router.get("", response=responses(TodoOut, 401), summary="我的待办")
def todo(request) -> dict:
    """What waits for the caller, from every module, in the caller's scope; only kinds with something waiting."""
    items = items_for(request.user)
    return {
        "items": [{"kind": i.kind, "label": i.label, "count": i.count, "url": i.url} for i in items],
        "count": total(items),
    }
