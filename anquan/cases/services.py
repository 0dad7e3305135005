"""Opening a case (立案申请) and the people on it. The steps after it are in `actions.py`; referrals and the
dishonesty list in `related.py`."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.contrib.auth import get_user_model
from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone

from anquan.core import audit, inputs
from anquan.core.counters import take_next
from anquan.core.errors import FieldError, NotPermitted, ValidationFailed
from anquan.core.models import AuditAction
from anquan.core.permissions import Perm, Role, has_perm
from anquan.core.scope import get_in_scope, restrict
from anquan.core.workdays import countdown

from .choices import PartyKind, Source, Stage
from .fields import Fields
from .models import CaseSerialCounter, EnforcementCase
from .workflow import CASE_FLOW

OPENERS = (Role.INSPECTOR, Role.DEPARTMENT_SUPERVISOR)
MAX_PARTIES = 20


def can_open(user: Any) -> bool:
    """An inspector or supervisor of a department (the issuing unit is their department in their region)."""
    return bool(has_perm(user, Perm.CASE_OPEN) and user.department_id and user.region_id)


def unit_officers(department_id: int | None, region_id: int | None) -> QuerySet[Any]:
    """The officers of one issuing unit: the department's active inspectors and supervisors in exactly that region.

    The law's 执法主体 (Administrative Penalty Law art. 17-18; MEM Order 18 on jurisdiction) is the department of
    one government level, e.g. 濂溪区应急管理局: a case is handled in its name by its own officers. The same
    department one level down (a township's 应急办) or in a sub-region is another unit with its own jurisdiction,
    so it may not be named on this unit's case — hence region equality, not the region's subtree. The new-case
    form offers, and each later step (assignment, referral) accepts, exactly these people."""
    users = get_user_model().objects.filter(is_active=True, role__in=OPENERS)
    if department_id is None or region_id is None:  # not an officer of any unit: nobody to name
        return users.none()
    return users.filter(department_id=department_id, region_id=region_id).order_by("username")


def officers(case: EnforcementCase) -> QuerySet[Any]:
    """Who may be named on the case: the officers of its issuing unit."""
    return unit_officers(case.department_id, case.unit_region_id)


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


def _parties(raw: Any, enterprise: Any, f: Fields) -> list[dict[str, str]]:
    parties = [{"kind": PartyKind.ORGANISATION.value, "name": enterprise.name, "position": ""}]
    if raw in (None, ""):
        return parties
    if not isinstance(raw, list) or len(raw) > MAX_PARTIES:
        f.refuse("parties", "invalid", f"当事人应为列表，不超过{MAX_PARTIES}人")
        return parties
    for n, item in enumerate(raw):
        item = item if isinstance(item, dict) else getattr(item, "__dict__", {})
        name = str(item.get("name") or "").strip()
        if not name or len(name) > 50:
            f.refuse(f"parties.{n}.name", "required", "请填写当事人姓名（50字以内）")
            continue
        parties.append(
            {"kind": PartyKind.PERSON.value, "name": name, "position": str(item.get("position") or "")[:50]}
        )
    return parties


def _hazard(raw: Any, enterprise: Any, actor: Any, f: Fields) -> Any:
    from anquan.hazards.models import Hazard

    if raw in (None, ""):
        return None
    number = inputs.integer(raw, "hazard", "隐患编号", f.errors, low=1, high=2**31 - 1)
    hazard = restrict(Hazard, actor).filter(pk=number, enterprise=enterprise).first() if number else None
    if hazard is None and number is not None:
        f.refuse("hazard", "not_found", "找不到该企业的这条隐患")
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
    f = Fields(raw)
    uscc = f.text("enterprise", max_length=18).upper()
    if not uscc and inspection is not None:
        uscc = inspection.enterprise.uscc
    enterprise = restrict(Enterprise, actor).filter(uscc=uscc).first() if uscc else None
    if enterprise is None:
        f.refuse("enterprise", "not_found", "找不到该企业（统一社会信用代码）")
    elif inspection is not None and inspection.enterprise_id != enterprise.pk:
        f.refuse("inspection", "other_enterprise", "该检查记录不是对此企业的检查")
    if not f.get("source") and inspection is not None:
        f.raw = {**raw, "source": "inspection"}
    source = f.choice("source", Source, "请选择案件来源")
    hazard = _hazard(raw.get("hazard"), enterprise, actor, f) if enterprise is not None else None
    applied = f.day("applied_on", default=timezone.localdate())
    note, violated = f.text("source_note", max_length=200), f.text("violated", max_length=500)
    facts = f.text("facts", required=True)
    parties = _parties(raw.get("parties"), enterprise, f) if enterprise is not None else []
    f.check()
    fields = {
        "enterprise": enterprise,
        "department_id": actor.department_id,
        "unit_region_id": actor.region_id,
        "region_code": enterprise.region_code,  # type: ignore[union-attr]
        "year": applied.year,
        "source": source,
        "hazard": hazard,
        "source_note": note,
        "inspection": inspection,
        "violated": violated,
        "facts": facts,
        "parties": parties,
        "applied_by": actor,
        "applied_on": applied,
        "status": Stage.PENDING_APPROVAL,
    }
    with transaction.atomic():
        return _create(fields, raw.get("investigators"), actor)


def _create(fields: dict[str, Any], investigators: Any, actor: Any) -> EnforcementCase:
    serial = take_next(
        CaseSerialCounter,
        department_id=fields["department_id"],
        unit_region_id=fields["unit_region_id"],
        year=fields["year"],
    )  # locked until this application commits; rolled back with it when refused below
    case = EnforcementCase.objects.create(serial=serial, **fields)
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
    """The colleagues a new case may name: the officers of the user's own unit (the case's issuing unit)."""
    return unit_officers(user.department_id, user.region_id)
