"""Opening a case (立案申请) and the people on it. The steps after it are in `actions.py`; referrals and the
dishonesty list in `related.py`."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.contrib.auth import get_user_model
from django.db import IntegrityError, transaction
from django.db.models import Max, QuerySet
from django.utils import timezone

from anquan.core import audit
from anquan.core.errors import FieldError, NotPermitted, ValidationFailed
from anquan.core.models import AuditAction
from anquan.core.permissions import Perm, Role, has_perm
from anquan.core.scope import get_in_scope, restrict
from anquan.core.workdays import countdown

from .actions import day, text
from .choices import PartyKind, Source, Stage
from .models import EnforcementCase
from .workflow import CASE_FLOW

OPENERS = (Role.INSPECTOR, Role.DEPARTMENT_SUPERVISOR)
MAX_PARTIES = 20


def can_open(user: Any) -> bool:
    """An inspector or supervisor of a department (the issuing unit is their department in their region)."""
    return bool(has_perm(user, Perm.CASE_OPEN) and user.department_id and user.region_id)


def officers(case: EnforcementCase) -> QuerySet[Any]:
    """Who may be named on the case: the issuing department's inspectors and supervisors of its region."""
    users = get_user_model().objects.filter(
        is_active=True,
        role__in=OPENERS,
        department_id=case.department_id,
        region__code__startswith=case.unit_region.prefix,
    )
    return users.order_by("username")


def investigators_from(case: EnforcementCase, raw: Any, field: str = "investigators") -> list[Any]:
    """Usernames (or ids) → users who may be named on the case (422 naming the ones who may not)."""
    if not isinstance(raw, list | tuple) or not raw:
        raise ValidationFailed([FieldError(field, "required", "请指定办案人员")])
    allowed = officers(case)
    people, unknown = [], []
    for item in raw:
        key = str(item).strip()
        user = allowed.filter(pk=int(key)).first() if key.isdigit() else allowed.filter(username=key).first()
        if user is None:
            unknown.append(key)
        elif user not in people:
            people.append(user)
    if unknown:
        raise ValidationFailed(
            [FieldError(field, "not_an_officer", "不是本执法部门的执法人员：" + "、".join(unknown))]
        )
    return people


def _parties(raw: Any, enterprise: Any) -> list[dict[str, str]]:
    parties = [{"kind": PartyKind.ORGANISATION.value, "name": enterprise.name, "position": ""}]
    if raw in (None, ""):
        return parties
    if not isinstance(raw, list) or len(raw) > MAX_PARTIES:
        raise ValidationFailed([FieldError("parties", "invalid", f"当事人应为列表，不超过{MAX_PARTIES}人")])
    for n, item in enumerate(raw):
        item = item if isinstance(item, dict) else getattr(item, "__dict__", {})
        name = str(item.get("name") or "").strip()
        if not name or len(name) > 50:
            raise ValidationFailed(
                [FieldError(f"parties.{n}.name", "required", "请填写当事人姓名（50字以内）")]
            )
        parties.append(
            {"kind": PartyKind.PERSON.value, "name": name, "position": str(item.get("position") or "")[:50]}
        )
    return parties


def _hazard(raw: Any, enterprise: Any, actor: Any) -> Any:
    from anquan.hazards.models import Hazard

    if raw in (None, ""):
        return None
    hazard = (
        restrict(Hazard, actor).filter(pk=int(raw), enterprise=enterprise).first()
        if str(raw).isdigit()
        else None
    )
    if hazard is None:
        raise ValidationFailed([FieldError("hazard", "not_found", "找不到该企业的这条隐患")])
    return hazard


def inspection_of(raw: Any, actor: Any) -> Any:
    """The inspection a case is opened from, in the actor's scope (else 404); None when not given."""
    from anquan.inspections.models import Inspection

    if raw in (None, ""):
        return None
    if not str(raw).isdigit():
        raise ValidationFailed([FieldError("inspection", "invalid", "检查记录编号应为数字")])
    return get_in_scope(
        Inspection.objects.select_related("enterprise", "department", "region"), actor, pk=int(raw)
    )


def inspection_hazards(inspection: Any, actor: Any) -> QuerySet[Any]:
    """The hazards the inspection found (its non-compliant items), in the actor's scope."""
    from anquan.hazards.models import Hazard

    return restrict(Hazard, actor).filter(inspection_items__inspection=inspection).distinct().order_by("pk")


def open_case(raw: dict[str, Any], *, actor: Any) -> EnforcementCase:
    """立案申请: the case waits for the department head's approval (workflow action `approve`)."""
    from anquan.enterprises.models import Enterprise

    if not can_open(actor):
        raise NotPermitted("只有执法部门的执法人员或负责人可以申请立案")
    inspection = inspection_of(raw.get("inspection"), actor)
    uscc = str(raw.get("enterprise") or "").strip().upper()
    if not uscc and inspection is not None:
        uscc = inspection.enterprise.uscc
    enterprise = restrict(Enterprise, actor).filter(uscc=uscc).first() if uscc else None
    if enterprise is None:
        raise ValidationFailed([FieldError("enterprise", "not_found", "找不到该企业（统一社会信用代码）")])
    if inspection is not None and inspection.enterprise_id != enterprise.pk:
        raise ValidationFailed([FieldError("inspection", "other_enterprise", "该检查记录不是对此企业的检查")])
    source = str(raw.get("source") or ("inspection" if inspection is not None else ""))
    if source not in Source.values:
        raise ValidationFailed([FieldError("source", "invalid", "请选择案件来源")])
    hazard = _hazard(raw.get("hazard"), enterprise, actor)
    applied = day(raw, "applied_on", default=timezone.localdate())
    fields = {
        "enterprise": enterprise,
        "department_id": actor.department_id,
        "unit_region_id": actor.region_id,
        "region_code": enterprise.region_code,
        "year": applied.year,
        "source": source,
        "hazard": hazard,
        "source_note": text(raw, "source_note")[:200],
        "inspection": inspection,
        "violated": text(raw, "violated")[:500],
        "facts": text(raw, "facts", required=True),
        "parties": _parties(raw.get("parties"), enterprise),
        "applied_by": actor,
        "applied_on": applied,
        "status": Stage.PENDING_APPROVAL,
    }
    for attempt in range(5):  # two applications at once may take the same serial: the loser takes the next
        try:
            with transaction.atomic():
                return _create(fields, raw.get("investigators"), actor)
        except IntegrityError:
            if attempt == 4:
                raise
    raise AssertionError("unreachable")


def _create(fields: dict[str, Any], investigators: Any, actor: Any) -> EnforcementCase:
    last = EnforcementCase.objects.filter(
        department_id=fields["department_id"], unit_region_id=fields["unit_region_id"], year=fields["year"]
    ).aggregate(n=Max("serial"))["n"]
    case = EnforcementCase.objects.create(serial=(last or 0) + 1, **fields)
    people = investigators_from(case, investigators) if investigators else [actor]
    case.investigators.set(people)
    case.investigator_count = len(people)
    case.save(update_fields=["investigator_count"])
    CASE_FLOW.record_event(case, "apply", actor=actor, comment=fields["facts"][:200], from_status="")
    audit.record(AuditAction.CREATE, case, actor=actor, after=audit.snapshot(case))
    return case


def waiting_days(case: EnforcementCase, today: dt.date | None = None) -> str:
    """The case-time limit in the one wording of deadlines (core.workdays.countdown: 剩余 N 天 / 今天到期 /
    超期 N 天); '' when it does not run (before 立案, once decided)."""
    if case.days_left(today) is None:
        return ""
    return countdown(case.deadline, today or timezone.localdate())[0]


def officers_of(user: Any) -> QuerySet[Any]:
    """The colleagues a new case may name: the user's department's officers in the user's region."""
    return (
        get_user_model()
        .objects.filter(
            is_active=True, role__in=OPENERS, department_id=user.department_id, region_id=user.region_id
        )
        .order_by("username")
    )
