"""The statistics' period and region as a user asks for them (404 outside their scope), the figures through the
scoping function, and their Excel workbook."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.http import Http404, HttpResponse
from django.utils import timezone

from anquan.core.errors import FieldError, ValidationFailed
from anquan.core.scope import region_in_scope, restrict
from anquan.core.xlsx import add_sheet, as_of, export_filename, export_workbook, xlsx_response
from anquan.regions.models import Region

from . import stats
from .models import TipOff

MAX_DAYS = 366 * 20


def period(
    user: Any, code: str | None, start: dt.date | None, end: dt.date | None
) -> tuple[Region, dt.date, dt.date]:
    region = Region.objects.filter(code=code).first() if code else getattr(user, "region", None)
    if region is None or not region_in_scope(user, region.code):
        raise Http404
    today = timezone.localdate()
    end = end or today
    start = start or end.replace(month=1, day=1)
    if start > end:
        raise ValidationFailed([FieldError("from", "after_end", "起始日期不能晚于截止日期")])
    if (end - start).days > MAX_DAYS:
        raise ValidationFailed([FieldError("from", "too_long", "统计期间不能超过20年")])
    return region, start, end


def figures(user: Any, region: Region, start: dt.date, end: dt.date) -> dict[str, Any]:
    return stats.counts(region, start, end, restrict(TipOff, user))


def workbook_response(user: Any, region: Region, start: dt.date, end: dt.date) -> HttpResponse:
    data = figures(user, region, start, end)
    wb = export_workbook()
    sheet = add_sheet(wb, "举报统计")
    sheet.append([f"{region.full_name or region.name}举报受理统计（{start:%Y-%m-%d}至{end:%Y-%m-%d}）"])
    sheet.append([as_of()])
    sheet.append(["项目", "数值"])
    sheet.append(["收到举报（件）", data["total"]])
    for row in data["by_kind"]:
        sheet.append([f"  其中{row['label']}", row["count"]])
    for row in data["by_status"]:
        sheet.append([f"处于“{row['label']}”阶段", row["count"]])
    sheet.append(["已答复（件）", data["replied"]])
    sheet.append(
        ["平均答复天数", data["average_days_to_reply"] if data["average_days_to_reply"] is not None else "—"]
    )
    sheet.append(["核查办结（件）", data["concluded"]])
    sheet.append(["查实（件）", data["substantiated"]])
    share = data["substantiated_share"]
    sheet.append(["查实率", f"{share * 100:.1f}%" if share is not None else "—"])
    sheet.append(["决定奖励（件）", data["rewards_decided"]])
    sheet.append(["决定奖励金额（元）", float(data["amount_decided"])])
    sheet.append(["已发放奖励（件）", data["rewards_paid"]])
    sheet.append(["已发放奖励金额（元）", float(data["amount_paid"])])
    return xlsx_response(wb, export_filename(region.name, "举报统计"))
