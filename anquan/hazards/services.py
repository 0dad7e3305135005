"""Recording a hazard (the `report` step) and attaching photos and documents."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db import transaction
from django.utils import timezone

from anquan.core import audit, inputs
from anquan.core.scope import in_scope, region_in_scope
from anquan.core.uploads import store_upload
from anquan.enterprises.models import Enterprise
from anquan.orgs.models import Industry, department_for_industry
from anquan.regions.models import Region
from anquan.riskpoints import levels as risk_levels
from anquan.riskpoints.models import RiskPoint

from . import numbering, rules
from .choices import NEEDS_ACCEPTANCE, Action, Level, Source, Status
from .errors import FieldError, RoleRefused, ValidationFailed
from .models import Attachment, Hazard, JudgementItem
from .notifications import notify_reported
from .workflow import HAZARD_FLOW

# the limits of a report's fields (the model's max_length; free text LONG_TEXT), for API, page and import
MAX_LENGTHS = {
    "address": Hazard._meta.get_field("address").max_length,
    "judgement_note": Hazard._meta.get_field("judgement_note").max_length,
    "found_by_name": Hazard._meta.get_field("found_by_name").max_length,
    "description": inputs.LONG_TEXT,
}
LATITUDE, LONGITUDE = (3, 54), (73, 136)  # China
MAX_ID = 2**31 - 1


def in_region(region: Region, code) -> bool:
    """True when no region `code` was given, or `region` lies in (or is) the region of that code."""
    if code in (None, ""):
        return True
    given = Region.objects.filter(code=str(code).strip()[:12]).first()
    return given is not None and region.code.startswith(given.prefix)


@dataclass
class _Place:
    """Where a reported hazard lies: its enterprise (if any), region, industry and address."""

    enterprise: Enterprise | None = None
    region: Region | None = None
    industry: Industry | None = None
    address: str = ""


@transaction.atomic
def report_hazard(raw: dict, *, actor, now: dt.datetime | None = None) -> Hazard:
    """Create a hazard. Reports from grid patrols, the public and alarms start as `reported` and wait
    for acceptance; self-checks and inspections start `confirmed`. An optional `risk_point` (id) links
    the hazard to a risk point of the same enterprise in the actor's scope.

    The hazard comes back with the relations its API answer reads already loaded (enterprise, region,
    industry, department, judgement item), so the answer needs no second read."""
    now = now or timezone.now()
    errors: list[FieldError] = []
    place = _place(raw, actor, errors)
    risk_point = _risk_point(raw, place.enterprise, actor, errors)
    source = _source(raw, actor, errors)
    description = inputs.text(
        raw.get("description"), "description", "隐患描述", errors, max_length=MAX_LENGTHS["description"]
    )
    if not description and not any(e.field == "description" for e in errors):
        errors.append(FieldError("description", "required", "隐患描述不能为空"))
    level, item, note = _judgement(raw, errors)
    latitude = inputs.coordinate(raw.get("latitude"), "latitude", "纬度", errors, *LATITUDE)
    longitude = inputs.coordinate(raw.get("longitude"), "longitude", "经度", errors, *LONGITUDE)
    found_at = inputs.moment(raw.get("found_at"), "found_at", "发现时间", errors, now=now) or now
    found_by_name = inputs.text(
        raw.get("found_by_name"), "found_by_name", "发现人", errors, max_length=MAX_LENGTHS["found_by_name"]
    )
    if errors:
        raise ValidationFailed(errors)

    enterprise, region, industry = place.enterprise, place.region, place.industry
    assert region is not None  # no error means a region was found
    hazard = Hazard(
        enterprise=enterprise,
        region=region,
        region_code=region.code,
        address=place.address,
        industry=industry,
        supervising_department=enterprise.supervising_department
        if enterprise is not None
        else department_for_industry(industry, region.code),
        source=source,
        level=level,
        judgement_item=item,
        judgement_note=note,
        description=description,
        latitude=latitude,
        longitude=longitude,
        found_by=actor,
        found_by_name=found_by_name or (actor.get_full_name() or actor.username)[:100],
        found_department=actor.department if source == Source.INSPECTION else None,
        found_at=found_at,
        risk_point=risk_point,
        status=Status.REPORTED if source in NEEDS_ACCEPTANCE else Status.CONFIRMED,
    )
    hazard.number = numbering.next_number(region, now)  # the county's counter, locked until this commits
    hazard.save()
    if not in_scope(hazard, actor):  # e.g. a department recording a hazard another department supervises
        raise ValidationFailed(
            [FieldError("enterprise", "out_of_scope", "该隐患的监管部门不是您的部门，请转交相关部门登记")]
        )
    HAZARD_FLOW.record_event(
        hazard,
        Action.REPORT,
        actor=actor,
        now=now,
        from_status="",
        data={"source": source, "level": level, "judgement": item.citation if item else note},
    )
    audit.record_create(hazard, actor=actor)
    notify_reported(hazard, actor)  # a report to accept: its township and county offices (issue #12)
    if hazard.enterprise_id and level == Level.MAJOR:
        # an open major hazard raises the enterprise's risk level (risk.levels); no other level moves it
        risk_levels.refresh(hazard.enterprise_id)
    return hazard


def _place(raw: dict, actor, errors: list[FieldError]) -> _Place:
    """The enterprise (by USCC, or the actor's own), else a region code and an address; an industry code
    overrides the enterprise's industry."""
    place = _Place()
    uscc = str(raw.get("enterprise") or "").strip().upper()
    if uscc:
        enterprise = (
            Enterprise.objects.select_related("region", "industry", "supervising_department")
            .filter(uscc=uscc)
            .first()
        )
        if enterprise is None or not in_scope(enterprise, actor):
            errors.append(
                FieldError(
                    "enterprise",
                    "unknown_enterprise",
                    f"统一社会信用代码为{uscc}的企业不存在或不在您的管辖范围内",
                )
            )
        else:
            place.enterprise = enterprise
    elif actor.enterprise_id:
        place.enterprise = actor.enterprise
    if place.enterprise is not None:
        place.region, place.industry = place.enterprise.region, place.enterprise.industry
        if not in_region(place.enterprise.region, raw.get("region")):
            errors.append(  # a hazard of an enterprise lies where the enterprise is: never re-assigned silently
                FieldError(
                    "region",
                    "not_enterprise_region",
                    f"所填区域不包含该企业所在区域（{place.enterprise.region.full_name}）",
                )
            )
    place.address = inputs.text(
        raw.get("address"), "address", "地点", errors, max_length=MAX_LENGTHS["address"]
    )
    if place.enterprise is None and not uscc:
        code = str(raw.get("region") or "").strip()
        place.region = Region.objects.filter(code=code).first() if code else None
        if place.region is None:
            errors.append(FieldError("region", "required", "请选择企业，或填写隐患所在区域代码和地点"))
        elif not region_in_scope(actor, place.region.code):
            errors.append(FieldError("region", "out_of_scope", "该区域不在您的管辖范围内"))
        if not place.address and not any(e.field == "address" for e in errors):
            errors.append(FieldError("address", "required", "不属于企业的隐患须填写具体地点"))
    if raw.get("industry"):
        place.industry = Industry.objects.filter(code=str(raw["industry"])).first()
        if place.industry is None:
            errors.append(
                FieldError("industry", "unknown_industry", f"行业类别代码“{raw['industry']}”不存在")
            )
    return place


def _risk_point(
    raw: dict, enterprise: Enterprise | None, actor, errors: list[FieldError]
) -> RiskPoint | None:
    """The risk point the hazard was found at: one of the same enterprise, in the actor's scope."""
    if raw.get("risk_point") in (None, ""):
        return None
    point_id = inputs.integer(raw["risk_point"], "risk_point", "风险点", [], low=1, high=MAX_ID)
    point = RiskPoint.objects.filter(pk=point_id).first() if point_id else None
    if (
        point is None
        or enterprise is None
        or point.enterprise_id != enterprise.pk
        or not in_scope(point, actor)
    ):
        errors.append(
            FieldError("risk_point", "unknown_risk_point", "该风险点不存在、不属于该企业或不在您的管辖范围内")
        )
        return None
    return point


def _source(raw: dict, actor, errors: list[FieldError]) -> str:
    """How the hazard was found, among the sources the actor's role may record (rules.allowed_sources)."""
    allowed = rules.allowed_sources(actor)
    source = str(raw.get("source") or allowed[0])
    if source not in Source.values:
        errors.append(FieldError("source", "invalid_choice", f"来源“{source}”无效"))
    elif source not in allowed:
        errors.append(
            FieldError("source", "not_permitted", f"您不能登记来源为“{Source(source).label}”的隐患")
        )
    return source


def _judgement(raw: dict, errors: list[FieldError]) -> tuple[str, JudgementItem | None, str]:
    """The level, with the judgement standard's item or a written basis that a major hazard must cite."""
    level = str(raw.get("level") or Level.GENERAL)
    item = None
    if raw.get("judgement_item"):
        item_id = inputs.integer(
            raw["judgement_item"], "judgement_item", "判定标准条目", [], low=1, high=MAX_ID
        )
        item = (
            JudgementItem.objects.select_related("standard").filter(pk=item_id, standard__active=True).first()
            if item_id
            else None
        )
        if item is None:
            errors.append(FieldError("judgement_item", "unknown_item", "判定标准条目不存在"))
        else:
            level = Level.MAJOR  # picking a judgement item makes the hazard major, citing the item
    note = inputs.text(
        raw.get("judgement_note"),
        "judgement_note",
        "判定依据",
        errors,
        max_length=MAX_LENGTHS["judgement_note"],
    )
    if level not in Level.values:
        errors.append(FieldError("level", "invalid_choice", f"等级“{level}”无效"))
    elif level == Level.MAJOR and item is None and not note:
        errors.append(
            FieldError(
                "judgement_item",
                "required",
                "重大事故隐患须选择判定标准条目，或写明判定依据（标准名称和条款）",
            )
        )
    return level, item, note


def add_attachment(hazard: Hazard, upload, *, stage: str, actor) -> Attachment:
    if not in_scope(hazard, actor):
        raise RoleRefused("该隐患不在您的管辖范围内")
    return store_upload(
        Attachment(hazard=hazard, stage=stage), upload, actor=actor, comment=f"隐患{hazard.label}附件"
    )
