"""An inspector's random-inspection tasks in the API: GET /api/v1/random-draws/tasks (the picks the caller was
drawn for) and POST /api/v1/random-draws/{draw_id}/picks/{position}/inspection (start the pick's inspection; a
second call, by the same or a co-inspector, answers the same inspection). Registered on api.router first
(`register`), before its /random-draws/{draw_id} would take "tasks" for an id."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.http import Http404
from ninja import Field, Router, Schema, Status

from anquan.accounts.http import AuthedRequest
from anquan.core.contract import responses
from anquan.core.permissions import Perm, has_perm
from anquan.standards.schemas import Id

from . import tasks


class DrawTaskOut(Schema):
    draw: int
    draw_title: str
    unit: str = Field(description="执法主体，如 濂溪区应急管理局")
    draw_status: str
    draw_date: dt.date | None
    position: int = Field(description="抽中顺序（第几家）")
    enterprise: str = Field(description="统一社会信用代码")
    enterprise_name: str
    address: str
    co_inspectors: list[str] = Field(description="同组执法人员姓名")
    stage: str = Field(description="to_start 待开始 | inspecting 检查中 | result 待录入结果 | done 已完成")
    inspection: int | None
    inspection_status: str | None
    result: str | None = Field(description="no_problem | ordered | case；未录入为 null")
    may_start: bool
    may_enter_result: bool


class DrawTasksOut(Schema):
    open: list[DrawTaskOut]
    done: list[DrawTaskOut] = Field(description="最近完成的（至多20项）")


def _out(t: tasks.Task) -> dict[str, Any]:
    p, d = t.pick, t.pick.draw
    return {
        "draw": d.pk,
        "draw_title": d.title,
        "unit": d.unit_name,
        "draw_status": d.status,
        "draw_date": d.draw_date,
        "position": p.position,
        "enterprise": p.enterprise.uscc,
        "enterprise_name": p.enterprise_name,
        "address": p.enterprise.address,
        "co_inspectors": t.co_inspectors,
        "stage": t.stage,
        "inspection": t.inspection.pk if t.inspection else None,
        "inspection_status": t.inspection.status if t.inspection else None,
        "result": p.result or None,
        "may_start": t.may_start,
        "may_enter_result": t.may_enter_result,
    }


def my_tasks(request: AuthedRequest) -> dict[str, Any]:
    """The caller's random-inspection tasks (an inspector; others get empty lists)."""
    if not has_perm(request.user, Perm.INSPECTION_CONDUCT):
        return {"open": [], "done": []}
    open_, done = tasks.tasks_of(request.user)
    return {"open": [_out(t) for t in open_], "done": [_out(t) for t in done]}


def start_inspection(request: AuthedRequest, draw_id: Id, position: Id) -> Status[dict[str, Any]]:
    """Start the inspection of a pick the caller was drawn for: 201 with the new inspection (kind random, the
    drawn inspectors, started), 200 when it was started already (never a second one); 404 for a pick the caller
    was not drawn for."""
    pick = (
        tasks.pick_of(request.user, draw_id, position)
        if has_perm(request.user, Perm.INSPECTION_CONDUCT)
        else None
    )
    if pick is None:
        raise Http404
    had = pick.inspection_id
    tasks.start_inspection(pick, actor=request.user)
    fresh = tasks.pick_of(request.user, draw_id, position)
    assert fresh is not None
    return Status(200 if had and fresh.inspection_id == had else 201, _out(tasks.task(fresh, request.user)))


def register(router: Router) -> None:
    router.get("/random-draws/tasks", response=responses(DrawTasksOut))(my_tasks)
    router.post(
        "/random-draws/{draw_id}/picks/{position}/inspection",
        response=responses({200: DrawTaskOut, 201: DrawTaskOut}, 400, 403, 404, 409, 415),
    )(start_inspection)
