"""An accident's life: recording, the reporting chain, late reports of casualties, and the investigation.

Every step is a named function here, called by the UI and the API alike (`transition`): it parses and checks
its fields and takes the transition declared in workflow.py through the engine, which writes the change, the
AccidentEvent and the audit entry in one transaction. Rules cite State Council Decree 493.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.db import transaction
from django.http import Http404
from django.utils import timezone

from anquan.core import audit, inputs
from anquan.core.errors import Conflict, FieldError, NotPermitted, ValidationFailed
from anquan.core.models import AuditAction
from anquan.core.permissions import Perm, has_perm
from anquan.core.scope import in_scope
from anquan.core.uploads import store_upload
from anquan.enterprises.models import Enterprise
from anquan.orgs.models import Industry, department_for_industry
from anquan.regions.inputs import region_field
from anquan.regions.models import Region

from . import grading
from .choices import Action, Edition, Grade, Level, Window
from .models import Accident, AccidentCategory, AccidentPhoto, AccidentReport
from .workflow import FLOW, FLOWS, REPORT_UP

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
# the fields each transition takes (declared in workflow.py): the API refuses others, the page passes on only these
FIELDS: dict[str, tuple[str, ...]] = {action: flow.get(action).fields for action, flow in FLOWS.items()}


def declared(action: str, posted) -> dict:
    """The values of `posted` (a form or a dict) that `action` takes; blank ones left out."""
    return FLOWS[action].declared(action, posted) if action in FLOWS else {}


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


def _ensure_chain(accident: Accident, actor) -> None:
    """Create the reporting steps the grade requires (also after a regrade); dues follow art. 9 and 11.
    Every step created and every due moved is audited."""
    existing = {r.to_level: r for r in accident.reports.all()}
    previous_time = accident.occurred_at
    created = []
    for level in REPORT_UP_TO[accident.grade]:
        step = existing.get(level)
        hours = UNIT_HOURS if level == Level.COUNTY else LEVEL_HOURS
        due = previous_time + dt.timedelta(hours=hours)
        if step is None:
            step = AccidentReport.objects.create(
                accident=accident, from_level=FROM_LEVEL[level], to_level=level, due_at=due
            )
            created.append(step)
        elif step.reported_at is None and step.due_at != due:
            before = audit.snapshot(step)
            step.due_at = due
            step.save(update_fields=["due_at"])
            audit.record_update(step, before, actor=actor, comment=f"事故#{accident.pk}报告时限顺延")
        previous_time = step.reported_at or step.due_at
    if created:
        audit.record_many(AuditAction.CREATE, created, actor=actor, comment=f"事故#{accident.pk}报告链")


@transaction.atomic
def report_accident(raw: dict, *, actor, now: dt.datetime | None = None) -> Accident:
    now = now or timezone.now()
    if not has_perm(actor, Perm.ACCIDENT_REPORT):
        raise NotPermitted("您无权登记生产安全事故")
    errors: list[FieldError] = []
    occurred_at = _when(raw.get("occurred_at"), "occurred_at", "事故发生时间", errors, now)
    if occurred_at is None and not any(e.field == "occurred_at" for e in errors):
        errors.append(FieldError("occurred_at", "required", "事故发生时间不能为空"))
    enterprise, region, industry = _where(raw, actor, errors)
    address = _address(raw, enterprise, errors)
    category = _category(raw, occurred_at, errors)
    summary = _texts(raw, {"summary": "事故简要经过"}, errors, required=("summary",))["summary"]
    figures = {name: _int(raw, name, label, errors) for name, label in FIGURES}
    loss = _money(raw, errors)
    window = _window(raw, category, errors)
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
    audit.record_create(accident, actor=actor)
    _ensure_chain(accident, actor)
    FLOW.record_event(
        accident,
        Action.REPORT,
        actor=actor,
        now=now,
        from_status="",
        data={"grade": result.grade, "reasons": result.reasons},
    )
    return accident


def _where(raw: dict, actor, errors: list[FieldError]):
    """The accident's enterprise, region and industry (each None when not given or refused): an enterprise's
    accident lies in the enterprise's region; without one, a region in the actor's scope is required."""
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
        region = region_field(raw["region"], actor, errors, blank="none")
    if region is None and not any(e.field in ("region", "enterprise") for e in errors):
        errors.append(FieldError("region", "required", "请填写事故发生单位或发生地区域"))
    if raw.get("industry"):
        industry = Industry.objects.filter(code=str(raw["industry"])).first()
        if industry is None:
            errors.append(FieldError("industry", "unknown_industry", "行业类别代码不存在"))
    return enterprise, region, industry


def _address(raw: dict, enterprise, errors: list[FieldError]) -> str:
    """The place given, else the enterprise's address (or its region's name)."""
    address = inputs.text(
        raw.get("address"), "address", "事故发生地点", errors, max_length=MAX_LENGTHS["address"]
    )
    if not address and enterprise is not None:
        address = (enterprise.address or enterprise.region.full_name)[: MAX_LENGTHS["address"]]
    if not address and not any(e.field == "address" for e in errors):
        errors.append(FieldError("address", "required", "事故发生地点不能为空"))
    return address


def _category(raw: dict, occurred_at: dt.datetime | None, errors: list[FieldError]):
    """The accident category under the GB 6441 edition in force on the day it happened
    (docs/adr/0010-gb6441-cut-over.md); a code of the other edition is refused naming the right one."""
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
    return category


def _window(raw: dict, category, errors: list[FieldError]) -> str:
    """The late-report window: as given, else the category's (fire, road traffic …), else the general one."""
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
    return window


def _begin(flow, obj, action: str, actor, given: dict) -> None:
    """Scope (404), state (409), role (403) and preconditions (409), then the declared fields (422):
    the same refusals in the same order for the page, the API and any other caller."""
    flow.check(obj, action, actor)
    flow.accept_fields(action, {k: v for k, v in given.items() if v not in (None, "")})


@transaction.atomic
def report_up(
    accident: Accident, *, actor, to_level: str = "", reported_at=None, now: dt.datetime | None = None
) -> AccidentReport:
    """Record that a level was informed (the unit informing the county, or a government informing the next
    level). The compare-and-set holds "this level not yet reported": of two simultaneous records of the same
    level exactly one is stored; the other is told so (409 already_reported)."""
    now = now or timezone.now()
    if not in_scope(accident, actor):
        raise Http404
    if to_level not in Level.values:
        raise ValidationFailed(
            [FieldError("to_level", "invalid_choice", "取值应为：" + "、".join(Level.values))]
        )
    step = accident.reports.select_related("accident").filter(to_level=to_level).first()
    if step is None:
        raise ValidationFailed([FieldError("to_level", "not_required", "按事故等级无需报告到该层级")])
    _begin(REPORT_UP, step, "report_up", actor, {"to_level": to_level, "reported_at": reported_at})
    errors: list[FieldError] = []
    when = _when(reported_at, "reported_at", "报告时间", errors, now) or now
    if when < accident.occurred_at:
        errors.append(FieldError("reported_at", "before_accident", "报告时间不能早于事故发生时间"))
    if errors:
        raise ValidationFailed(errors)
    step, _event = REPORT_UP.apply(
        step,
        "report_up",
        actor=actor,
        changes={"reported_at": when, "reported_by_id": actor.pk},
        data={"to_level": to_level, "reported_at": when.isoformat(), "on_time": when <= step.due_at},
        now=now,
        audit_comment=f"事故#{accident.pk}报告至{Level(to_level).label}",
    )
    _ensure_chain(step.accident, actor)
    return step


@transaction.atomic
def late_report(accident: Accident, *, actor, now: dt.datetime | None = None, **raw) -> Accident:
    """补报 (art. 13): casualty figures that change within 30 days of the accident (7 for road traffic and fire)
    update the accident and its grade; later changes are refused.

    A transition that keeps the status. The row is locked before the figures are read: a late report
    names only the figures that changed and keeps the others, so two simultaneous late reports must not
    both start from the old figures (each would silently undo the other's change)."""
    now = now or timezone.now()
    _begin(FLOW, accident, "late_report", actor, raw)
    accident = Accident.objects.select_for_update().get(pk=accident.pk)
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
    old_grade = accident.grade
    grade = grading.grade(figures["deaths"], figures["serious_injuries"], loss).grade
    accident, _event = FLOW.apply(
        accident,
        "late_report",
        actor=actor,
        changes={**figures, "direct_loss_yuan": loss, "grade": grade},
        comment=comment,
        data={
            "day": days,
            "before": {name: getattr(accident, name) for name in figures} | {"grade": old_grade},
            "after": figures | {"grade": grade},
        },
        now=now,
        audit_comment=f"补报（事故发生第{days}日）",
    )
    _ensure_chain(accident, actor)
    return accident


@transaction.atomic
def start_investigation(
    accident: Accident, *, actor, team: str = "", lead_authority: str = "", now: dt.datetime | None = None
) -> Accident:
    now = now or timezone.now()
    _begin(FLOW, accident, "start_investigation", actor, {"team": team, "lead_authority": lead_authority})
    errors: list[FieldError] = []
    given = _texts(
        {"team": team, "lead_authority": lead_authority},
        {"team": "事故调查组组成", "lead_authority": "牵头单位"},
        errors,
    )
    if errors:
        raise ValidationFailed(errors)
    due = timezone.localtime(accident.occurred_at).date() + dt.timedelta(days=INVESTIGATION_DAYS)
    accident, _event = FLOW.apply(
        accident,
        "start_investigation",
        actor=actor,
        changes={
            "team": given["team"],
            "lead_authority": given["lead_authority"] or LEAD_AUTHORITY[accident.grade],
            "investigation_due": due,
        },
        data={"due": due.isoformat()},
        now=now,
    )
    return accident


@transaction.atomic
def extend_investigation(
    accident: Accident, *, actor, days=None, reason: str = "", now: dt.datetime | None = None
) -> Accident:
    """Art. 29: the investigation may be extended once, by at most 60 days, with the government's approval.
    "Not yet extended" is part of the compare-and-set: of two simultaneous extensions exactly one is stored."""
    now = now or timezone.now()
    _begin(FLOW, accident, "extend_investigation", actor, {"days": days, "reason": reason})
    errors: list[FieldError] = []
    days = inputs.integer(days, "days", "延长天数", errors, low=1, high=INVESTIGATION_DAYS)
    reason = _texts({"reason": reason}, {"reason": "延期理由和批准情况"}, errors)["reason"]
    if errors:
        raise ValidationFailed(errors)
    due = accident.investigation_due + dt.timedelta(days=days)
    accident, _event = FLOW.apply(
        accident,
        "extend_investigation",
        actor=actor,
        changes={"extension_days": days, "investigation_due": due},
        comment=reason,
        data={"days": days, "due": due.isoformat()},
        now=now,
    )
    return accident


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
    raw = {
        "report_text": report_text,
        "causes": causes,
        "responsibility": responsibility,
        "recommended_penalties": recommended_penalties,
    }
    _begin(FLOW, accident, "submit_report", actor, raw)
    errors: list[FieldError] = []
    given = _texts(
        raw,
        {
            "report_text": "调查报告",
            "causes": "事故原因",
            "responsibility": "责任认定",
            "recommended_penalties": "处理建议",
        },
        errors,
    )
    if errors:
        raise ValidationFailed(errors)
    accident, _event = FLOW.apply(accident, "submit_report", actor=actor, changes=given, now=now)
    return accident


@transaction.atomic
def close(accident: Accident, *, actor, comment: str = "", now: dt.datetime | None = None) -> Accident:
    now = now or timezone.now()
    _begin(FLOW, accident, "close", actor, {"comment": comment})
    errors: list[FieldError] = []
    comment = _texts({"comment": comment}, {"comment": "说明"}, errors)["comment"]
    if errors:
        raise ValidationFailed(errors)
    accident, _event = FLOW.apply(
        accident, "close", actor=actor, changes={"closed_at": now}, comment=comment, now=now
    )
    return accident


TRANSITIONS = {
    Action.REPORT_UP: report_up,
    Action.LATE_REPORT: late_report,
    Action.START_INVESTIGATION: start_investigation,
    Action.EXTEND_INVESTIGATION: extend_investigation,
    Action.SUBMIT_REPORT: submit_report,
    Action.CLOSE: close,
}


def transition(accident: Accident, action: str, *, actor, **fields):
    """One entry point for the page and the API: `action` with the fields it declares (others: 422)."""
    flow = FLOWS.get(action)
    if flow is None:
        flow = FLOW
        flow.get(action)  # 422 unknown_action
    unexpected = sorted(set(fields) - set(flow.get(action).fields))
    if unexpected:
        label = flow.get(action).label
        raise ValidationFailed(
            [FieldError(name, "unexpected_field", f"“{label}”不接受该字段") for name in unexpected]
        )
    return TRANSITIONS[action](accident, actor=actor, **fields)


def add_photo(accident: Accident, upload, *, actor) -> AccidentPhoto:
    if not in_scope(accident, actor) or not has_perm(actor, Perm.ACCIDENT_REPORT):
        raise NotPermitted("您无权为该事故上传照片")
    return store_upload(
        AccidentPhoto(accident=accident), upload, actor=actor, comment=f"事故#{accident.pk}照片"
    )
