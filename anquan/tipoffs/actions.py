"""The steps of a tip-off's handling (workflow.py declares them): pages and the API call `transition`, which parses
the step's fields (422, field-level), works out what the step changes — the routing, the reply to the reporter,
the hazard a substantiated hazard tip-off becomes, the accident a concealed one links to, the reward by the rule
version in force — and takes it through the engine (scope 404, state 409, role 403, compare-and-set, event, audit)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from django.db import transaction
from django.utils import timezone

from anquan.accidents.models import Accident
from anquan.core import inputs
from anquan.core.errors import FieldError, ValidationFailed
from anquan.core.scope import in_scope, region_in_scope
from anquan.enterprises.models import Enterprise
from anquan.hazards import services as hazards
from anquan.hazards.choices import Source
from anquan.orgs.models import Department
from anquan.regions.models import Region
from anquan.rules.services import in_force

from . import rules
from .choices import Action, Kind
from .models import TipOff
from .services import MAX_LENGTHS
from .workflow import FLOW

MAX_FINE = Decimal("1000000000")
MAX_DEATHS = 1000


def transition(tipoff: TipOff, action: str, *, actor: Any, **fields: Any) -> TipOff:
    """Take `action` on `tipoff` as `actor` with the step's `fields`: the one entry of pages and API."""
    given = {k: v for k, v in fields.items() if v not in (None, "")}
    FLOW.accept_fields(action, given)
    FLOW.check(tipoff, action, actor)  # 404 / 409 / 403 before the fields are read
    now = timezone.now()
    comment = str(given.pop("comment", "") or "").strip()[:500]
    with transaction.atomic():
        changes = _changes(tipoff, action, given, actor, now)
        fresh, _ = FLOW.apply(tipoff, action, actor=actor, changes=changes, comment=comment, now=now)
    return fresh


def _changes(t: TipOff, action: str, raw: dict[str, Any], actor: Any, now: dt.datetime) -> dict[str, Any]:
    errors: list[FieldError] = []
    changes: dict[str, Any] = {}
    if action in (Action.REJECT, Action.SUBSTANTIATE, Action.UNSUBSTANTIATE):
        changes["reply"] = inputs.text(
            raw.get("reply"),
            "reply",
            "答复举报人的内容",
            errors,
            max_length=MAX_LENGTHS["reply"],
            required=True,
        )
    if action == Action.ACCEPT:
        changes |= _routing(t, raw, actor, errors)
        changes["replied_at"] = now
    elif action == Action.REJECT:
        changes |= {"replied_at": now, "concluded_at": now}
    elif action == Action.UNSUBSTANTIATE:
        changes["concluded_at"] = now
    elif action == Action.SUBSTANTIATE:
        changes |= _findings(t, raw, actor, errors)
        changes["concluded_at"] = now
    elif action == Action.DECIDE_REWARD:
        changes |= _reward(t, raw, errors, now)
    elif action == Action.PAY_REWARD:
        paid_on = inputs.day(raw.get("paid_on"), "paid_on", "发放日期", errors, future=False)
        if paid_on is not None and paid_on < t.submitted_at.date():
            errors.append(FieldError("paid_on", "too_early", "发放日期不能早于举报日期"))
        changes["reward_paid_on"] = paid_on
    if errors:
        raise ValidationFailed(errors)
    if action == Action.SUBSTANTIATE and t.kind == Kind.HAZARD:
        changes["hazard"] = _hazard(t, changes.get("enterprise"), actor)
    return changes


def _routing(t: TipOff, raw: dict[str, Any], actor: Any, errors: list[FieldError]) -> dict[str, Any]:
    """The department that verifies it and, optionally, a more precise region in the actor's scope."""
    out: dict[str, Any] = {}
    name = str(raw.get("department") or "").strip()
    department = Department.objects.filter(name=name).first() if name else None
    if department is None:
        errors.append(FieldError("department", "unknown_department", "请选择承办部门"))
    elif getattr(actor, "department_id", None) and actor.department_id != department.pk:
        errors.append(FieldError("department", "not_own_department", "行业监管部门只能受理本部门承办的举报"))
    else:
        out["department"] = department
    code = str(raw.get("region") or "").strip()
    if code:
        region = Region.objects.filter(code=code).first()
        if region is None or not region_in_scope(actor, region.code):
            errors.append(FieldError("region", "out_of_scope", "承办区域不存在或不在您的管辖范围内"))
        else:
            out |= {"region": region, "region_code": region.code}
    return out


def _findings(t: TipOff, raw: dict[str, Any], actor: Any, errors: list[FieldError]) -> dict[str, Any]:
    out: dict[str, Any] = {}
    uscc = str(raw.get("enterprise") or "").strip().upper()
    if uscc:
        enterprise = Enterprise.objects.filter(uscc=uscc).first()
        if enterprise is None or not in_scope(enterprise, actor):
            errors.append(
                FieldError(
                    "enterprise",
                    "unknown_enterprise",
                    f"统一社会信用代码为{uscc}的企业不存在或不在您的管辖范围内",
                )
            )
        else:
            out["enterprise"] = enterprise
    fine = inputs.amount(raw.get("fine_amount"), "fine_amount", "罚款金额", errors, high=MAX_FINE)
    if fine is not None:
        out["fine_amount"] = fine
    if t.kind == Kind.CONCEALED_ACCIDENT:
        out |= _accident(raw, actor, errors)
    return out


def _accident(raw: dict[str, Any], actor: Any, errors: list[FieldError]) -> dict[str, Any]:
    """A substantiated concealed accident links to its accident record (in the actor's scope)."""
    accident_id = inputs.integer(raw.get("accident"), "accident", "事故", errors, low=1, high=2**31 - 1)
    if accident_id is None:
        if not any(e.field == "accident" for e in errors):
            errors.append(
                FieldError("accident", "required", "瞒报谎报事故查实后，请关联事故记录（先登记该事故）")
            )
        return {}
    accident = Accident.objects.filter(pk=accident_id).first()
    if accident is None or not in_scope(accident, actor):
        errors.append(FieldError("accident", "unknown_accident", "事故不存在或不在您的管辖范围内"))
        return {}
    deaths = inputs.integer(
        raw.get("concealed_deaths"), "concealed_deaths", "查实瞒报死亡人数", errors, low=0, high=MAX_DEATHS
    )
    return {"accident": accident, "concealed_deaths": accident.deaths if deaths is None else deaths}


def _hazard(t: TipOff, enterprise: Enterprise | None, actor: Any) -> Any:
    """The hazard a substantiated hazard tip-off becomes (source 举报), through the hazard ledger's own service;
    it waits there for acceptance like any reported hazard."""
    raw: dict[str, Any] = {
        "source": Source.TIP_OFF,
        "description": f"{t.description}（群众举报 {t.tracking_code}）"[:2000],
        "address": t.address,
        "latitude": t.latitude,
        "longitude": t.longitude,
        "found_at": t.submitted_at,
        "found_by_name": "群众举报",
    }
    if enterprise is not None:
        raw["enterprise"] = enterprise.uscc
        raw["region"] = enterprise.region.code
    else:
        raw["region"] = t.region_code
    return hazards.report_hazard(raw, actor=actor)


def _reward(t: TipOff, raw: dict[str, Any], errors: list[FieldError], now: dt.datetime) -> dict[str, Any]:
    """The reward by the rule version in force on the day it is decided (rules.py)."""
    version = in_force(rules.KIND, timezone.localdate(now), t.region_code)
    figures: rules.RewardFigures = version.typed
    out: dict[str, Any] = {"reward_rule_version_id": version.pk}
    if t.kind == Kind.CONCEALED_ACCIDENT:
        deaths = inputs.integer(
            raw.get("concealed_deaths"),
            "concealed_deaths",
            "查实瞒报死亡人数",
            errors,
            low=0,
            high=MAX_DEATHS,
        )
        deaths = t.concealed_deaths if deaths is None else deaths
        accident = t.accident
        if accident is None or deaths is None:
            errors.append(FieldError("concealed_deaths", "required", "请先关联事故并填写查实瞒报死亡人数"))
            return out
        grade = str(accident.grade)
        per = rules.per_death(grade, figures)
        out |= {
            "concealed_deaths": deaths,
            "reward_amount": rules.accident_reward(grade, deaths, figures),
            "reward_basis": f"{accident.get_grade_display()}，瞒报死亡{deaths}人×{per:,}元，最高{figures.accident_max_yuan:,}元",
        }
        return out
    fine = inputs.amount(raw.get("fine_amount"), "fine_amount", "罚款金额", errors, high=MAX_FINE)
    fine = t.fine_amount if fine is None else fine
    if fine is None:
        if not any(e.field == "fine_amount" for e in errors):
            errors.append(FieldError("fine_amount", "required", "请填写行政处罚罚款金额（元）"))
        return out
    out |= {
        "fine_amount": fine,
        "reward_amount": rules.fine_reward(fine, figures),
        "reward_basis": (
            f"罚款{fine:,.2f}元×{figures.fine_share_percent}%，"
            f"最低{figures.fine_min_yuan:,}元，最高{figures.fine_max_yuan:,}元"
        ),
    }
    return out
