"""The regional four-colour map: its page (ECharts on the vendored boundary shapes, drill-down by
clicking), the colour-rule form for province offices, and the API (/api/v1/stats/risk-map,
/api/v1/tools/risk-map-rules)."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import path
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST
from ninja import Field, Query, Router, Schema, Status

from anquan.core.contract import PageParams, page, responses
from anquan.core.errors import Conflict, NotPermitted, ValidationFailed
from anquan.core.idempotency import key_from, run_once
from anquan.core.permissions import Perm, has_perm
from anquan.core.xlsx import add_sheet, export_workbook, xlsx_response

from . import levels, maps
from .choices import RiskLevel
from .models import RiskMapRule
from .schemas import PROVINCE_PATTERN, MapRuleOut, MapRulePage, RegionCode, RiskMapOut
from .services import can_configure, province_code


def sees_regions(user) -> bool:
    """Regional maps are for supervisors: an enterprise's own users have no region to compare."""
    return has_perm(user, Perm.ENTERPRISE_VIEW) and not user.enterprise_id


def _rule_province(user) -> str:
    """The province whose rule the user may set from the page ("" for a system administrator)."""
    return "" if has_perm(user, Perm.SYSTEM_MANAGE) else province_code(user.region_code)


@login_required
def risk_map(request, errors=None, status=200, form=None):
    if not sees_regions(request.user):
        raise PermissionDenied
    try:
        data = maps.compute(request.user, request.GET.get("region"))
    except ValidationFailed:  # a region outside the user's scope: show their own
        data = maps.compute(request.user, None)
    province = _rule_province(request.user)
    return render(
        request,
        "risk/map.html",
        {
            "data": data,
            "rows": [
                {"child": c, "cells": [(lv, c["counts"][lv]) for lv in [*maps.LEVELS, "unassessed"]]}
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
def set_map_rule(request):
    raw = {
        k: request.POST.get(k, "") for k in ("red_share", "orange_share", "yellow_share", "source", "comment")
    }
    raw["region"] = _rule_province(request.user)
    try:
        maps.set_rule(raw, actor=request.user)
    except ValidationFailed as exc:
        return risk_map(request, errors={e.field: e.message for e in exc.errors}, status=422, form=raw)
    except (NotPermitted, Conflict) as exc:
        return risk_map(
            request, errors={"": exc.message}, status=403 if isinstance(exc, NotPermitted) else 409, form=raw
        )
    messages.success(request, _("The colour rule was saved as a new version."))
    return redirect("risk:map")


MAP_COLUMNS = [
    "区域",
    "区划代码",
    "区域风险等级",
    "重大风险企业",
    "较大风险企业",
    "一般风险企业",
    "低风险企业",
    "未评价企业",
    "企业数",
]


@login_required
def risk_map_export(request):
    """The map's table as Excel: a row per child region and the total, the rule on a second sheet."""
    if not sees_regions(request.user):
        raise PermissionDenied
    try:
        data = maps.compute(request.user, request.GET.get("region"))
    except ValidationFailed:
        raise Http404 from None
    labels = {lv.value: str(lv.label) for lv in RiskLevel} | {"": str(_("Not assessed"))}
    wb = export_workbook()
    ws = add_sheet(wb, "区域风险四色图")
    ws.append(MAP_COLUMNS)
    for row in [*data["children"], {**data["total"], "name": f"{data['region']['name']}合计"}]:
        c = row["counts"]
        ws.append(
            [row["name"], row["code"], labels[row["level"]], c["red"], c["orange"], c["yellow"], c["blue"]]
            + [c["unassessed"], row["total"]]
        )
    rule = data["rule"]
    sheet = add_sheet(wb, "着色规则")
    sheet.append(["规则", rule["text"]])
    sheet.append(["版本", rule["version"] or "默认"])
    sheet.append(["出处", rule["source"]])
    sheet.append(["已核实", "是" if rule["verified"] else "否"])
    sheet.append(["企业风险等级", levels.RULE_TEXT])
    stamp = timezone.localtime().strftime("%Y%m%d")
    return xlsx_response(wb, f"risk_map_{data['region']['code']}_{stamp}.xlsx")


urlpatterns = [
    path("map/", risk_map, name="map"),
    path("map/export.xlsx", risk_map_export, name="map_export"),
    path("map/rule/", set_map_rule, name="map_rule"),
]


# --- API ------------------------------------------------------------------------------------------

stats_router = Router(tags=["statistics"])
rules_router = Router(tags=["tools"])


class RiskMapParams(Schema):
    region: RegionCode | None = Field(None, description="region code; default: the caller's region")


@stats_router.get("/risk-map", response=responses(RiskMapOut, 403))
def risk_map_stats(request, params: Query[RiskMapParams]):
    """Enterprises by risk level in each child region of `region` (default: the user's own), each
    region coloured by the stated rule (`rule.text`); `map` names the boundary file that draws the
    children (`shape_ids` of a child are the feature ids that stand for it)."""
    if not sees_regions(request.user):
        raise NotPermitted("企业用户不能查看区域风险四色图")
    return maps.compute(request.user, params.region)


def _share(description: str):
    return Field(gt=0, le=100, allow_inf_nan=False, description=description)


class RiskMapRuleIn(Schema):
    region: str = Field(
        "", max_length=6, pattern=PROVINCE_PATTERN, description="province code; empty = national"
    )
    red_share: float = _share("red ≥ this % of the assessed enterprises → red (0–100)")
    orange_share: float = _share("red + orange ≥ this % → orange (cumulative, ≥ red_share)")
    yellow_share: float = _share("red + orange + yellow ≥ this % → yellow (cumulative, ≥ orange_share)")
    source: str = Field(max_length=maps.TEXT_MAX, description="the document or decision it comes from")
    verified: bool = False
    comment: str = Field("", max_length=maps.TEXT_MAX)
    idempotency_key: str | None = Field(None, max_length=100, description="or the Idempotency-Key header")


class MapRuleFilters(Schema):
    include_inactive: bool = False


def _rule_out(row: RiskMapRule) -> dict:
    rule = maps._rule(row)
    return rule.as_dict() | {
        "active": row.active,
        "comment": row.comment,
        "created_at": row.created_at.isoformat(),
        "created_by": row.created_by.username if row.created_by else None,
    }


@rules_router.get("/risk-map-rules", response=responses(MapRulePage))
def list_map_rules(request, filters: Query[MapRuleFilters], paging: Query[PageParams]):
    """The colour rules in the database (none: the shipped default applies, shown as `default`)."""
    qs = RiskMapRule.objects.select_related("created_by")
    if not filters.include_inactive:
        qs = qs.filter(active=True)
    return {**page(qs, paging, _rule_out), "default": maps.default_rule().as_dict()}


@rules_router.post("/risk-map-rules", response=responses({201: MapRuleOut}, 400, 403, 409, 415))
def create_map_rule(request, payload: RiskMapRuleIn):
    """A new version for a province (or "" = national), replacing the active one; audited."""

    def create():
        row = maps.set_rule(payload.dict(exclude={"idempotency_key"}), actor=request.user)
        return 201, _rule_out(row)

    status, body = run_once(request, "risk.map_rule", key_from(request, payload.idempotency_key), create)
    return Status(status, body)
