"""The regional four-colour map: its page (ECharts on the vendored boundary shapes, drill-down by
clicking), the colour-rule form for province offices (the rule itself: standards.map_rules), and its Excel
export. The API: riskmap/api.py (/api/v1/stats/risk-map), standards/api.py (/api/v1/tools/risk-map-rules)."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from anquan.accounts.http import AuthedRequest
from anquan.accounts.models import User
from anquan.core.errors import Conflict, NotPermitted, ValidationFailed
from anquan.core.permissions import Perm, has_perm
from anquan.core.xlsx import Column, add_sheet, export_filename, export_workbook, ledger_sheet, xlsx_response
from anquan.riskpoints import levels
from anquan.standards import map_rules
from anquan.standards.choices import RiskLevel
from anquan.standards.map_rules import LEVELS
from anquan.standards.services import can_configure, province_code

from . import maps


def _rule_province(user: User) -> str:
    """The province whose rule the user may set from the page ("" for a system administrator)."""
    return "" if has_perm(user, Perm.SYSTEM_MANAGE) else province_code(user.region_code)


@login_required
def risk_map(
    request: AuthedRequest,
    errors: dict[str, str] | None = None,
    status: int = 200,
    form: dict[str, str] | None = None,
) -> HttpResponse:
    if not maps.sees_regions(request.user):
        raise PermissionDenied
    try:
        data = maps.compute(request.user, request.GET.get("region"))
    except ValidationFailed:  # a region outside the user's scope: show their own
        data = maps.compute(request.user, None)
    province = _rule_province(request.user)
    return render(
        request,
        "riskmap/map.html",
        {
            "data": data,
            "rows": [
                {"child": c, "cells": [(lv, c["counts"][lv]) for lv in [*LEVELS, "unassessed"]]}
                for c in data["children"]
            ],
            "enterprise_rule": levels.RULE_TEXT,
            "can_set_rule": can_configure(request.user, province),
            "rule_province": province,
            "errors": errors or {},
            "form": form or {},
        },
        status=status,
    )


@login_required
@require_POST
def set_map_rule(request: AuthedRequest) -> HttpResponse:
    raw = {
        k: request.POST.get(k, "") for k in ("red_share", "orange_share", "yellow_share", "source", "comment")
    }
    raw["region"] = _rule_province(request.user)
    try:
        map_rules.set_rule(raw, actor=request.user)
    except ValidationFailed as exc:
        return risk_map(request, errors={e.field: e.message for e in exc.errors}, status=422, form=raw)
    except (NotPermitted, Conflict) as exc:
        return risk_map(
            request, errors={"": exc.message}, status=403 if isinstance(exc, NotPermitted) else 409, form=raw
        )
    messages.success(request, _("The colour rule was saved as a new version."))
    return redirect("riskmap:map")


MAP_COLUMNS = [
    Column("区域", 20, wrap=True),
    Column("区划代码", 13),
    Column("区域风险等级", 13),
    Column("重大风险企业", 13),
    Column("较大风险企业", 13),
    Column("一般风险企业", 13),
    Column("低风险企业", 11),
    Column("未评价企业", 11),
    Column("企业数", 9),
]
MAP_TITLE = "区域安全风险四色图统计表"


@login_required
def risk_map_export(request: AuthedRequest) -> HttpResponse:
    """The map's table as Excel: a row per child region and the total, the rule on a second sheet."""
    if not maps.sees_regions(request.user):
        raise PermissionDenied
    try:
        data = maps.compute(request.user, request.GET.get("region"))
    except ValidationFailed:
        raise Http404 from None
    labels = {lv.value: str(lv.label) for lv in RiskLevel} | {"": str(_("Not assessed"))}
    wb = export_workbook()
    name = data["region"]["name"]
    ws = ledger_sheet(wb, "区域风险四色图", owner=name, title=MAP_TITLE, columns=MAP_COLUMNS)
    for row in [*data["children"], {**data["total"], "name": f"{data['region']['name']}合计"}]:
        c = row["counts"]
        ws.append(
            [row["name"], row["code"], labels[row["level"]], c["red"], c["orange"], c["yellow"], c["blue"]]
            + [c["unassessed"], row["total"]]
        )
    ws.close()
    rule = data["rule"]
    sheet = add_sheet(wb, "着色规则")
    sheet.append(["规则", rule["text"]])
    sheet.append(["版本", rule["version"] or "默认"])
    sheet.append(["出处", rule["source"]])
    sheet.append(["已核实", "是" if rule["verified"] else "否"])
    sheet.append(["企业风险等级", levels.RULE_TEXT])
    return xlsx_response(wb, export_filename(name, MAP_TITLE))
