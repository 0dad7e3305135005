"""An accident's life: recording, the reporting chain, late reports of casualties, and the investigation.

Every step is a named function here, called by the UI and the API alike, writing an AccidentEvent and an
audit entry in one transaction. Rules cite State Council Decree 493.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.db import transaction
from django.utils import timezone

from anquan.accounts.roles import Role
from anquan.accounts.scope import in_scope, region_in_scope
from anquan.core import audit, inputs
from anquan.core.errors import Conflict, FieldError, NotPermitted, ValidationFailed
from anquan.core.models import AuditAction
from anquan.core.uploads import check_upload
from anquan.enterprises.models import Enterprise
from anquan.orgs.models import Industry, department_for_industry
from anquan.regions.choices import RegionLevel
from anquan.regions.models import Region

from . import grading
from .choices import Action, Edition, Grade, Level, Status, Window
from .models import Accident, AccidentCategory, AccidentEvent, AccidentPhoto, AccidentReport

# art. 10: how far up each grade is reported
REPORT_UP_TO = {
    Grade.ORDINARY: [Level.COUNTY, Level.CITY],
    Grade.LARGER: [Level.COUNTY, Level.CITY, Level.PROVINCE],
    Grade.MAJOR: [Level.COUNTY, Level.CITY, Level.PROVINCE, Level.STATE],
    Grade.ESPECIALLY_MAJOR: [Level.COUNTY, Level.CITY, Level.PROVINCE, Level.STATE],
}
FROM_LEVEL = {
    Level.COUNTY: Level.UNIT,
    Level.CITY: Level.COUNTY,
    Level.PROVINCE: Level.CITY,
    Level.STATE: Level.PROVINCE,
}
UNIT_HOURS = 1  # art. 9: the unit's principal reports within 1 hour
LEVEL_HOURS = 2  # art. 11: each level reports on within 2 hours
LATE_WINDOW_DAYS = {Window.GENERAL: 30, Window.ROAD_TRAFFIC: 7, Window.FIRE: 7}  # art. 13
INVESTIGATION_DAYS = 60  # art. 29; one extension of at most 60 days
LEAD_AUTHORITY = {  # art. 19
    Grade.ORDINARY: "县级人民政府",
    Grade.LARGER: "设区的市级人民政府",
    Grade.MAJOR: "省级人民政府",
    Grade.ESPECIALLY_MAJOR: "国务院或者国务院授权有关部门",
}
REPORTERS = {
    Role.PROVINCE_OFFICE,
    Role.CITY_OFFICE,
    Role.COUNTY_OFFICE,
    Role.TOWNSHIP_OFFICE,
    Role.DEPARTMENT_SUPERVISOR,
    Role.INSPECTOR,
    Role.ENTERPRISE_MANAGER,
    Role.SYSADMIN,
}
INVESTIGATORS = {
    Role.PROVINCE_OFFICE,
    Role.CITY_OFFICE,
    Role.COUNTY_OFFICE,
    Role.DEPARTMENT_SUPERVISOR,
    Role.SYSADMIN,
}
WINDOW_BY_CATEGORY = {"火灾": Window.FIRE, "WSA10009": Window.FIRE, "WSA10003": Window.ROAD_TRAFFIC}


# the limits of every input field, for API schemas, pages and any import
MAX_LENGTHS = {
    "address": Accident._meta.get_field("address").max_length,
    "lead_authority": Accident._meta.get_field("lead_authority").max_length,
    "summary": inputs.LONG_TEXT,
    "team": inputs.LONG_TEXT,
    "reason": inputs.LONG_TEXT,
    "comment": inputs.LONG_TEXT,
    "report_text": inputs.REPORT_TEXT,
    "causes": inputs.LONG_TEXT,
    "responsibility": inputs.LONG_TEXT,
    "recommended_penalties": inputs.LONG_TEXT,
}
FIGURES = (
    ("deaths", "死亡人数"),
    ("missing", "失踪人数"),
    ("serious_injuries", "重伤人数"),
    ("minor_injuries", "轻伤人数"),
)
# the fields each transition takes: the API refuses others, the page passes on only these
FIELDS: dict[str, tuple[str, ...]] = {
    Action.REPORT_UP: ("to_level", "reported_at"),
    Action.LATE_REPORT: ("changed_at", *(name for name, _ in FIGURES), "direct_loss_yuan", "comment"),
    Action.START_INVESTIGATION: ("team", "lead_authority"),
    Action.EXTEND_INVESTIGATION: ("days", "reason"),
    Action.SUBMIT_REPORT: ("report_text", "causes", "responsibility", "recommended_penalties"),
    Action.CLOSE: ("comment",),
}


def declared(action: str, posted) -> dict:
    """The values of `posted` (a form or a dict) that `action` takes; blank ones left out."""
    return {k: posted[k] for k in FIELDS.get(action, ()) if k in posted and posted[k] not in (None, "")}


def _int(raw: dict, name: str, label: str, errors: list) -> int:
    number = inputs.integer(raw.get(name), name, label, errors, high=inputs.MAX_PERSONS)
    return number or 0


def _money(raw: dict, errors: list) -> Decimal:
    return inputs.amount(
        raw.get("direct_loss_yuan"), "direct_loss_yuan", "直接经济损失（元）", errors
    ) or Decimal(0)


def _when(value, name: str, label: str, errors: list, now: dt.datetime) -> dt.datetime | None:
    return inputs.moment(value, name, label, errors, now=now)


def _texts(raw: dict, names: dict[str, str], errors: list, required: tuple = ()) -> dict[str, str]:
    return {
        name: inputs.text(
            raw.get(name), name, label, errors, max_length=MAX_LENGTHS[name], required=name in required
        )
        for name, label in names.items()
    }


def category_for(occurred_at: dt.datetime, code: str) -> AccidentCategory | None:
    """GB 6441-2025 applies to accidents from 2026-07-01, GB 6441-1986 before (the 2025 edition's implementation date)."""
    edition = (
        Edition.GB6441_2025
        if timezone.localtime(occurred_at).date() >= dt.date(2026, 7, 1)
        else Edition.GB6441_1986
    )
    return AccidentCategory.objects.filter(edition=edition, code=code).first()


def _event(accident, action, actor, at, *, from_status="", comment="", data=None) -> AccidentEvent:
    return AccidentEvent.objects.create(
        accident=accident,
        action=action,
        from_status=from_status or accident.status,
        to_status=accident.status,
        actor=actor if getattr(actor, "pk", None) else None,
        actor_label=actor.get_full_name() if getattr(actor, "pk", None) else str(actor or "系统"),
        at=at,
        comment=comment,
        data=data or {},
    )


def _ensure_chain(accident: Accident) -> None:
    """Create the reporting steps the grade requires (also after a regrade); dues follow art. 9 and 11."""
    existing = {r.to_level: r for r in accident.reports.all()}
    previous_time = accident.occurred_at
    for level in REPORT_UP_TO[accident.grade]:
        step = existing.get(level)
        hours = UNIT_HOURS if level == Level.COUNTY else LEVEL_HOURS
        due = previous_time + dt.timedelta(hours=hours)
        if step is None:
            step = AccidentReport.objects.create(
                accident=accident, from_level=FROM_LEVEL[level], to_level=level, due_at=due
            )
        elif step.reported_at is None and step.due_at != due:
            step.due_at = due
            step.save(update_fields=["due_at"])
        previous_time = step.reported_at or step.due_at


@transaction.atomic
def report_accident(raw: dict, *, actor, now: dt.datetime | None = None) -> Accident:
    now = now or timezone.now()
    if actor.role not in REPORTERS:
        raise NotPermitted("您无权登记生产安全事故")
    errors: list[FieldError] = []
    occurred_at = _when(raw.get("occurred_at"), "occurred_at", "事故发生时间", errors, now)
    if occurred_at is None and not any(e.field == "occurred_at" for e in errors):
        errors.append(FieldError("occurred_at", "required", "事故发生时间不能为空"))
    enterprise = region = industry = None
    if raw.get("enterprise"):
        enterprise = (
            Enterprise.objects.select_related("region", "industry")
            .filter(uscc=str(raw["enterprise"]).strip().upper())
            .first()
        )
        if enterprise is None or not in_scope(enterprise, actor):
            errors.append(FieldError("enterprise", "unknown_enterprise", "企业不存在或不在您的管辖范围内"))
        else:
            region, industry = enterprise.region, enterprise.industry
    elif actor.enterprise_id:
        enterprise = actor.enterprise
        region, industry = enterprise.region, enterprise.industry
    if enterprise is not None and raw.get("region") not in (None, ""):
        given = Region.objects.filter(code=str(raw["region"]).strip()[:12]).first()
        if given is None or not enterprise.region.code.startswith(given.prefix):
            errors.append(  # an enterprise's accident is where the enterprise is: never re-assigned silently
                FieldError(
                    "region",
                    "not_enterprise_region",
                    f"所填区域不包含该企业所在区域（{enterprise.region.full_name}）",
                )
            )
    if region is None and raw.get("region"):
        region = Region.objects.filter(code=str(raw["region"])).first()
        if region is None or not region_in_scope(actor, region.code):
            errors.append(FieldError("region", "out_of_scope", "区域不存在或不在您的管辖范围内"))
            region = None
    if region is None and not any(e.field in ("region", "enterprise") for e in errors):
        errors.append(FieldError("region", "required", "请填写事故发生单位或发生地区域"))
    if raw.get("industry"):
        industry = Industry.objects.filter(code=str(raw["industry"])).first()
        if industry is None:
            errors.append(FieldError("industry", "unknown_industry", "行业类别代码不存在"))
    address = inputs.text(
        raw.get("address"), "address", "事故发生地点", errors, max_length=MAX_LENGTHS["address"]
    )
    if not address and enterprise is not None:
        address = (enterprise.address or enterprise.region.full_name)[: MAX_LENGTHS["address"]]
    if not address and not any(e.field == "address" for e in errors):
        errors.append(FieldError("address", "required", "事故发生地点不能为空"))
    category = category_for(occurred_at, str(raw.get("category") or "")) if occurred_at else None
    if occurred_at and category is None:
        edition = (
            "GB 6441-2025（WSA编码）"
            if timezone.localtime(occurred_at).date() >= dt.date(2026, 7, 1)
            else "GB 6441-1986（01–20）"
        )
        errors.append(
            FieldError("category", "unknown_category", f"事故类别代码无效：该日期的事故按{edition}分类")
        )
    summary = _texts(raw, {"summary": "事故简要经过"}, errors, required=("summary",))["summary"]
    figures = {name: _int(raw, name, label, errors) for name, label in FIGURES}
    loss = _money(raw, errors)
    window = (
        raw.get("window")
        or (
            WINDOW_BY_CATEGORY.get(category.code) or WINDOW_BY_CATEGORY.get(category.name)
            if category
            else None
        )
        or Window.GENERAL
    )
    if window not in Window.values:
        errors.append(FieldError("window", "invalid_choice", "补报期限类型无效"))
    if errors:
        raise ValidationFailed(errors)
    result = grading.grade(figures["deaths"], figures["serious_injuries"], loss)
    accident = Accident.objects.create(
        occurred_at=occurred_at,
        region=region,
        region_code=region.code,
        address=address,
        enterprise=enterprise,
        industry=industry,
        category=category,
        window=window,
        direct_loss_yuan=loss,
        grade=result.grade,
        summary=summary,
        reporter=actor,
        supervising_department=enterprise.supervising_department
        if enterprise
        else department_for_industry(industry, region.code),
        **figures,
    )
    _ensure_chain(accident)
    _event(
        accident,
        Action.REPORT,
        actor,
        now,
        from_status="",
        data={"grade": result.grade, "reasons": result.reasons},
    )
    audit.record_create(accident, actor=actor)
    return accident


def _level_of(user) -> str | None:
    return {
        RegionLevel.PROVINCE: Level.PROVINCE,
        RegionLevel.CITY: Level.CITY,
        RegionLevel.COUNTY: Level.COUNTY,
    }.get(user.region.level if user.region_id else None)


@transaction.atomic
def report_up(
    accident: Accident, *, actor, to_level: str = "", reported_at=None, now: dt.datetime | None = None
):
    """Record that a level was informed (the unit informing the county, or a government informing the next level)."""
    now = now or timezone.now()
    if not in_scope(accident, actor):
        raise NotPermitted("该事故不在您的管辖范围内")
    if to_level not in Level.values:
        raise ValidationFailed(
            [FieldError("to_level", "invalid_choice", "取值应为：" + "、".join(Level.values))]
        )
    step = accident.reports.filter(to_level=to_level).first()
    if step is None:
        raise ValidationFailed([FieldError("to_level", "not_required", "按事故等级无需报告到该层级")])
    if step.reported_at is not None:
        raise Conflict("already_reported", "该层级已记录报告时间")
    errors: list[FieldError] = []
    when = _when(reported_at, "reported_at", "报告时间", errors, now) or now
    if when < accident.occurred_at:
        errors.append(FieldError("reported_at", "before_accident", "报告时间不能早于事故发生时间"))
    if errors:
        raise ValidationFailed(errors)
    step.reported_at, step.reported_by = when, actor
    step.save(update_fields=["reported_at", "reported_by"])
    _ensure_chain(accident)
    _event(
        accident,
        Action.REPORT_UP,
        actor,
        now,
        data={"to_level": to_level, "reported_at": when.isoformat(), "on_time": step.on_time},
    )
    return step


@transaction.atomic
def late_report(accident: Accident, *, actor, now: dt.datetime | None = None, **raw) -> Accident:
    """补报 (art. 13): casualty figures that change within 30 days of the accident (7 for road traffic and fire)
    update the accident and its grade; later changes are refused."""
    now = now or timezone.now()
    accident = Accident.objects.select_for_update().get(pk=accident.pk)
    if not in_scope(accident, actor) or actor.role not in REPORTERS:
        raise NotPermitted("您无权补报该事故")
    errors: list[FieldError] = []
    changed_on = _when(raw.get("changed_at"), "changed_at", "伤亡变化时间", errors, now) or now
    window = LATE_WINDOW_DAYS[accident.window]
    days = (timezone.localtime(changed_on).date() - timezone.localtime(accident.occurred_at).date()).days
    if days > window:
        raise Conflict(
            "late_report_window_closed",
            f"事故发生第{days}日的伤亡变化已超过第十三条规定的{window}日补报期限，不再补报",
        )
    figures = {
        name: _int(raw, name, label, errors) if name in raw else getattr(accident, name)
        for name, label in FIGURES
    }
    comment = _texts(raw, {"comment": "说明"}, errors)["comment"]
    loss = _money(raw, errors) if "direct_loss_yuan" in raw else accident.direct_loss_yuan
    if errors:
        raise ValidationFailed(errors)
    before = audit.snapshot(accident)
    old_grade = accident.grade
    for name, value in figures.items():
        setattr(accident, name, value)
    accident.direct_loss_yuan = loss
    accident.grade = grading.grade(accident.deaths, accident.serious_injuries, loss).grade
    accident.save()
    _ensure_chain(accident)
    _event(
        accident,
        Action.LATE_REPORT,
        actor,
        now,
        comment=comment,
        data={
            "day": days,
            "before": {k: before[k] for k in figures} | {"grade": old_grade},
            "after": figures | {"grade": accident.grade},
        },
    )
    audit.record_update(accident, before, actor=actor, comment=f"补报（事故发生第{days}日）")
    return accident


def _investigator(accident: Accident, actor) -> None:
    if not in_scope(accident, actor) or actor.role not in INVESTIGATORS:
        raise NotPermitted("您无权组织该事故的调查")


def _move(
    accident: Accident,
    action: str,
    sources: tuple,
    target: str,
    actor,
    now,
    changes: dict,
    comment: str = "",
    data: dict | None = None,
) -> Accident:
    before = audit.snapshot(accident)
    old = accident.status
    if old not in sources:
        raise Conflict("invalid_state", f"当前状态（{Status(old).label}）不能执行“{Action(action).label}”")
    if Accident.objects.filter(pk=accident.pk, status=old).update(status=target, **changes) != 1:
        raise Conflict("stale", "该事故已被他人处理，请刷新后重试")
    accident.refresh_from_db()
    _event(accident, action, actor, now, from_status=old, comment=comment, data=data)
    audit.record(
        AuditAction.TRANSITION,
        accident,
        actor=actor,
        before=before,
        after=audit.snapshot(accident),
        comment=f"{action}: {old} → {target}",
    )
    return accident


@transaction.atomic
def start_investigation(
    accident: Accident, *, actor, team: str = "", lead_authority: str = "", now: dt.datetime | None = None
) -> Accident:
    now = now or timezone.now()
    _investigator(accident, actor)
    errors: list[FieldError] = []
    given = _texts(
        {"team": team, "lead_authority": lead_authority},
        {"team": "事故调查组组成", "lead_authority": "牵头单位"},
        errors,
        required=("team",),
    )
    if errors:
        raise ValidationFailed(errors)
    team, lead_authority = given["team"], given["lead_authority"]
    due = timezone.localtime(accident.occurred_at).date() + dt.timedelta(days=INVESTIGATION_DAYS)
    return _move(
        accident,
        Action.START_INVESTIGATION,
        (Status.REPORTED,),
        Status.INVESTIGATING,
        actor,
        now,
        {
            "team": team.strip(),
            "lead_authority": lead_authority.strip() or LEAD_AUTHORITY[accident.grade],
            "investigation_due": due,
        },
        data={"due": due.isoformat()},
    )


@transaction.atomic
def extend_investigation(
    accident: Accident, *, actor, days=None, reason: str = "", now: dt.datetime | None = None
) -> Accident:
    """Art. 29: the investigation may be extended once, by at most 60 days, with the government's approval."""
    now = now or timezone.now()
    _investigator(accident, actor)
    if accident.extension_days:
        raise Conflict("already_extended", "调查期限已延长过一次，不能再次延长")
    errors: list[FieldError] = []
    days = inputs.integer(days, "days", "延长天数", errors, low=1, high=INVESTIGATION_DAYS)
    if days is None and not errors:
        errors.append(FieldError("days", "required", "请填写延长天数（1到60天）"))
    reason = _texts({"reason": reason}, {"reason": "延期理由和批准情况"}, errors, required=("reason",))[
        "reason"
    ]
    if errors:
        raise ValidationFailed(errors)
    if accident.status != Status.INVESTIGATING or accident.investigation_due is None:
        raise Conflict(
            "invalid_state",
            f"当前状态（{Status(accident.status).label}）不能执行“{Action.EXTEND_INVESTIGATION.label}”",
        )
    due = accident.investigation_due + dt.timedelta(days=days)
    return _move(
        accident,
        Action.EXTEND_INVESTIGATION,
        (Status.INVESTIGATING,),
        Status.INVESTIGATING,
        actor,
        now,
        {"extension_days": days, "investigation_due": due},
        comment=reason.strip(),
        data={"days": days, "due": due.isoformat()},
    )


@transaction.atomic
def submit_report(
    accident: Accident,
    *,
    actor,
    report_text: str = "",
    causes: str = "",
    responsibility: str = "",
    recommended_penalties: str = "",
    now: dt.datetime | None = None,
) -> Accident:
    now = now or timezone.now()
    _investigator(accident, actor)
    errors: list[FieldError] = []
    given = _texts(
        {
            "report_text": report_text,
            "causes": causes,
            "responsibility": responsibility,
            "recommended_penalties": recommended_penalties,
        },
        {
            "report_text": "调查报告",
            "causes": "事故原因",
            "responsibility": "责任认定",
            "recommended_penalties": "处理建议",
        },
        errors,
        required=("report_text", "causes", "responsibility"),
    )
    if errors:
        raise ValidationFailed(errors)
    report_text, causes = given["report_text"], given["causes"]
    responsibility, recommended_penalties = given["responsibility"], given["recommended_penalties"]
    return _move(
        accident,
        Action.SUBMIT_REPORT,
        (Status.INVESTIGATING,),
        Status.REPORT_SUBMITTED,
        actor,
        now,
        {
            "report_text": report_text.strip(),
            "causes": causes.strip(),
            "responsibility": responsibility.strip(),
            "recommended_penalties": recommended_penalties.strip(),
        },
    )


@transaction.atomic
def close(accident: Accident, *, actor, comment: str = "", now: dt.datetime | None = None) -> Accident:
    now = now or timezone.now()
    _investigator(accident, actor)
    errors: list[FieldError] = []
    comment = _texts({"comment": comment}, {"comment": "说明"}, errors)["comment"]
    if errors:
        raise ValidationFailed(errors)
    return _move(
        accident,
        Action.CLOSE,
        (Status.REPORT_SUBMITTED,),
        Status.CLOSED,
        actor,
        now,
        {"closed_at": now},
        comment=comment,
    )


TRANSITIONS = {
    Action.REPORT_UP: report_up,
    Action.LATE_REPORT: late_report,
    Action.START_INVESTIGATION: start_investigation,
    Action.EXTEND_INVESTIGATION: extend_investigation,
    Action.SUBMIT_REPORT: submit_report,
    Action.CLOSE: close,
}


def add_photo(accident: Accident, upload, *, actor) -> AccidentPhoto:
    if not in_scope(accident, actor) or actor.role not in REPORTERS:
        raise NotPermitted("您无权为该事故上传照片")
    content_type = check_upload(upload)
    photo = AccidentPhoto(
        accident=accident,
        name=upload.name[:200],
        content_type=content_type,
        size=upload.size,
        uploaded_by=actor,
    )
    photo.file.save(upload.name, upload, save=False)
    photo.save()
    audit.record_create(photo, actor=actor, comment=f"事故#{accident.pk}照片")
    return photo
