"""Shared reads and writes of targeting and yearly plans: the region a request names, the targeting list of
a region in the user's scope, the rule versions in force, drafting a plan with its proposed key enterprises,
deciding each entry (accept the proposal, or override it with a reason), and revisions of an approved plan."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Mapping
from typing import Any

from django.db import IntegrityError, transaction
from django.db.models import QuerySet
from django.http import Http404
from django.utils import timezone

from anquan.accounts.models import User
from anquan.core import audit, inputs
from anquan.core.errors import Conflict, FieldError, NotPermitted, ValidationFailed
from anquan.core.models import AuditAction
from anquan.core.permissions import Perm, has_perm
from anquan.core.scope import restrict, within
from anquan.enterprises.choices import Status
from anquan.enterprises.models import Enterprise
from anquan.regions.choices import RegionLevel
from anquan.regions.inputs import region_field
from anquan.regions.models import Region
from anquan.rules.services import in_force
from anquan.standards.schemas import TEXT_MAX

from . import targeting
from .choices import Band, EntryDecision, EntrySource, PlanAction, PlanLevel, PlanStatus
from .models import InspectionPlan, PlanEntry
from .rules import CAPACITY, TARGETING, CapacityFigures, TargetingFigures

REGION_RE = re.compile(r"^\d{6}(\d{3}(\d{3})?)?$")
EDITABLE = (PlanStatus.DRAFT, PlanStatus.RETURNED)
LEVELS = {
    RegionLevel.PROVINCE: PlanLevel.PROVINCE,
    RegionLevel.CITY: PlanLevel.CITY,
    RegionLevel.COUNTY: PlanLevel.COUNTY,
}
LIMITS = {
    "inspectors": 10_000,
    "working_days": 366,
    "other_enforcement_days": 10_000_000,
    "non_enforcement_days": 10_000_000,
    "random_quota": 1_000_000,
}
LABELS = {
    "inspectors": "执法人数",
    "working_days": "每人年法定工作日",
    "other_enforcement_days": "其他执法工作日",
    "non_enforcement_days": "非执法工作日",
    "random_quota": "双随机抽查次数",
}


# --- rule versions ----------------------------------------------------------------------------------------


def targeting_rule(region_code: str, on: dt.date | None = None) -> tuple[TargetingFigures, Any]:
    version = in_force(TARGETING, on or timezone.localdate(), region_code)
    return TargetingFigures.model_validate(version.values), version


def capacity_rule(region_code: str, on: dt.date | None = None) -> tuple[CapacityFigures, Any]:
    version = in_force(CAPACITY, on or timezone.localdate(), region_code)
    return CapacityFigures.model_validate(version.values), version


# --- targeting --------------------------------------------------------------------------------------------


def resolve_region(user: User, raw: object) -> Region:
    """The region the targets are of (default: the user's own): 422 when malformed, 404 when unknown or outside
    scope (regions.inputs.region_field, `unseen="missing"`)."""
    code = str(raw or "").strip()
    if code and not REGION_RE.match(code):
        raise ValidationFailed([FieldError("region", "invalid", "区划代码须为 6、9 或 12 位数字")])
    region = region_field(code, user, unseen="missing")  # blank: the user's own
    assert region is not None  # only blank="none" answers None
    return region


def enterprises_for(
    user: User, region: Region, params: Mapping[str, Any] | None = None
) -> QuerySet[Enterprise]:
    """The operating enterprises in the user's scope in `region`, narrowed by township and industry."""
    if not has_perm(user, Perm.TARGETING_VIEW):
        raise Http404
    qs = restrict(Enterprise, user).filter(within(region.prefix)).exclude(status=Status.CLOSED)
    params = params or {}
    township = str(params.get("township") or "").strip()
    if township:
        if not REGION_RE.match(township):
            raise ValidationFailed([FieldError("township", "invalid", "乡镇（街道）区划代码须为9位数字")])
        qs = qs.filter(within(township))
    industry = str(params.get("industry") or "").strip()
    if industry:
        qs = qs.filter(industry__code=industry)
    return qs


def targets(
    user: User, region: Region, params: Mapping[str, Any] | None = None, today: dt.date | None = None
) -> tuple[list[targeting.Target], Any]:
    """The ranked list (filtered by band when asked) and the rule version it was computed with."""
    params = params or {}
    band = str(params.get("band") or "").strip()
    if band and band not in Band.values:
        raise ValidationFailed(
            [FieldError("band", "invalid_choice", "分档须为 key、watch、general 或 random")]
        )
    figures, version = targeting_rule(region.code, today)
    found = targeting.compute(enterprises_for(user, region, params), figures, today)
    if band:
        found = [t for t in found if t.band == band]
    return found, version


# --- plans ------------------------------------------------------------------------------------------------


def _number(raw: Mapping[str, Any], name: str, errors: list[FieldError], default: int | None = None) -> int:
    """A whole number in its LIMITS (core.inputs.integer); blank: `default`, or a required-field error."""
    value = raw.get(name)
    if value in (None, "") and default is not None:
        return default
    low = 1 if name in ("inspectors", "working_days") else 0
    before = len(errors)
    number = inputs.integer(value, name, LABELS[name], errors, low=low, high=LIMITS[name])
    if number is None and len(errors) == before:
        errors.append(FieldError(name, "required", f"请填写{LABELS[name]}"))
    return number or 0


def capacity_inputs(raw: Mapping[str, Any], working_days_default: int) -> dict[str, int]:
    errors: list[FieldError] = []
    values = {
        "inspectors": _number(raw, "inspectors", errors),
        "working_days": _number(raw, "working_days", errors, working_days_default),
        "other_enforcement_days": _number(raw, "other_enforcement_days", errors, 0),
        "non_enforcement_days": _number(raw, "non_enforcement_days", errors, 0),
    }
    if not errors and values["inspectors"] * values["working_days"] < (
        values["other_enforcement_days"] + values["non_enforcement_days"]
    ):
        errors.append(
            FieldError(
                "non_enforcement_days",
                "exceeds_capacity",
                "其他执法工作日与非执法工作日之和超过了法定工作日总数",
            )
        )
    if errors:
        raise ValidationFailed(errors)
    return values


def can_prepare(user: User, plan: InspectionPlan | None = None) -> bool:
    """A department's inspectors and supervisors draft its plans (of their own region and department)."""
    if not has_perm(user, Perm.PLAN_PREPARE) or not user.department_id or not user.region_id:
        return False
    return plan is None or (plan.department_id == user.department_id and plan.region_code == user.region_code)


def key_entries(plan: InspectionPlan, figures: TargetingFigures, today: dt.date) -> list[PlanEntry]:
    """The proposed key enterprises: those in the bands 重点 and 关注 and those with major hazard installations
    among the enterprises the unit supervises in its region, each with its proposed yearly frequency."""
    qs = Enterprise.objects.filter(
        within(plan.region.prefix), supervising_department=plan.department
    ).exclude(status=Status.CLOSED)
    entries = []
    for t in targeting.compute(qs, figures, today):
        if t.band in (Band.KEY, Band.WATCH):
            source, frequency = EntrySource.BAND, t.frequency
        elif t.major_installations:
            source, frequency = (
                EntrySource.MAJOR_HAZARD,
                max(t.frequency, figures.major_installation_frequency),
            )
        else:
            continue
        if t.major_installations:
            frequency = max(frequency, figures.major_installation_frequency)
        entries.append(
            PlanEntry(
                plan=plan,
                enterprise_id=t.enterprise_id,
                township_code=t.township_code,
                source=source,
                band=t.band,
                score=t.score,
                explanation=t.explanation[:300],
                proposed_frequency=frequency,
                frequency=frequency,
            )
        )
    return entries


def create_plan(raw: Mapping[str, Any], *, actor: User, today: dt.date | None = None) -> InspectionPlan:
    """A draft plan of the actor's unit (department + region) for a year, with its proposed key enterprises."""
    today = today or timezone.localdate()
    if not can_prepare(actor):
        raise NotPermitted("只有本部门的执法人员或监管负责人可以编制年度监督检查计划")
    region, department_id = actor.region, actor.department_id
    assert region is not None and department_id is not None  # can_prepare
    if region.level not in LEVELS:
        raise NotPermitted("年度监督检查计划由省、市、县三级部门编制")
    errors: list[FieldError] = []
    low, high = today.year - 1, today.year + 1
    year = inputs.integer(raw.get("year") or today.year, "year", "计划年度", errors, low=low, high=high)
    capacity, capacity_version = capacity_rule(region.code, today)
    try:
        values = capacity_inputs(raw, capacity.working_days)
    except ValidationFailed as exc:
        errors += exc.errors
        values = {}
    quota = _number(raw, "random_quota", errors, -1)
    note = inputs.text(raw.get("note"), "note", "备注", errors, max_length=TEXT_MAX)
    if errors:
        raise ValidationFailed(errors)
    assert year is not None
    figures, targeting_version = targeting_rule(region.code, today)
    with transaction.atomic():
        if InspectionPlan.objects.filter(department_id=department_id, region=region, year=year).exists():
            raise Conflict("plan_exists", f"本单位{year}年度的计划已经有了：请打开它修改，已批准的请修订")
        plan = InspectionPlan(
            department_id=department_id,
            region=region,
            region_code=region.code,
            year=year,
            level=LEVELS[RegionLevel(region.level)],
            person_days_per_inspection=capacity.person_days_per_inspection,
            random_quota=max(quota, 0),
            note=note,
            capacity_rule_id=capacity_version.id,
            targeting_rule_id=targeting_version.id,
            created_by=actor,
            **values,
        )
        try:
            with transaction.atomic():
                plan.save()
        except IntegrityError:
            raise Conflict("plan_exists", f"本单位{year}年度的计划已经有了") from None
        PlanEntry.objects.bulk_create(key_entries(plan, figures, today))
        if quota < 0:  # not given: what the general-inspection days allow
            plan.random_quota = suggested_quota(plan)
            plan.save(update_fields=["random_quota"])
        audit.record(AuditAction.CREATE, plan, actor=actor, after=audit.snapshot(plan))
        from .workflow import PLANS

        PLANS.record_event(plan, PlanAction.CREATE, actor=actor, from_status="")
    return plan


def key_days(plan: InspectionPlan) -> int:
    """重点检查工作日: the key enterprises' yearly inspections × person-days per inspection."""
    return sum(e.frequency for e in plan.entries.all()) * plan.person_days_per_inspection


def general_days(plan: InspectionPlan) -> int:
    return plan.supervision_days - key_days(plan)


def suggested_quota(plan: InspectionPlan) -> int:
    """How many random inspections the general-inspection days allow."""
    return max(general_days(plan), 0) // plan.person_days_per_inspection


def _editable(plan: InspectionPlan, actor: User) -> None:
    if not can_prepare(actor, plan):
        raise NotPermitted("只有本部门的执法人员或监管负责人可以修改计划")
    if plan.status not in EDITABLE:
        raise Conflict("not_editable", "计划已提交或已批准，不能修改；已批准的计划请修订")


def decide_entry(
    plan: InspectionPlan, entry_id: int, *, frequency: object, reason: object, actor: User
) -> PlanEntry:
    """Accept the proposed frequency or set another one; another one needs a reason. Audited."""
    with transaction.atomic():
        plan = InspectionPlan.objects.select_for_update().get(pk=plan.pk)
        _editable(plan, actor)
        entry = PlanEntry.objects.filter(plan=plan, pk=entry_id).first()
        if entry is None:
            raise Http404
        errors: list[FieldError] = []
        chosen = inputs.integer(frequency, "frequency", "每年检查次数", errors, low=0, high=52)
        value = entry.proposed_frequency if chosen is None else chosen
        text = inputs.text(reason, "reason", "理由", errors, max_length=500)
        if not errors and value != entry.proposed_frequency and not text:
            proposed = entry.proposed_frequency
            errors.append(FieldError("reason", "required", f"调整建议的检查次数（{proposed}次）须说明理由"))
        if errors:
            raise ValidationFailed(errors)
        before = audit.snapshot(entry)
        entry.frequency = value
        entry.decision = (
            EntryDecision.ACCEPTED if value == entry.proposed_frequency else EntryDecision.OVERRIDDEN
        )
        entry.reason = text
        entry.decided_by = actor
        entry.decided_at = timezone.now()
        entry.save()
        audit.record(AuditAction.UPDATE, entry, actor=actor, before=before, after=audit.snapshot(entry))
    return entry


def accept_all(plan: InspectionPlan, *, actor: User) -> int:
    """Accept the proposal of every entry still to confirm (one audit entry each)."""
    with transaction.atomic():
        plan = InspectionPlan.objects.select_for_update().get(pk=plan.pk)
        _editable(plan, actor)
        pending = list(PlanEntry.objects.filter(plan=plan, decision=EntryDecision.PENDING))
        now = timezone.now()
        for entry in pending:
            entry.frequency, entry.decision = entry.proposed_frequency, EntryDecision.ACCEPTED
            entry.reason, entry.decided_by, entry.decided_at = "", actor, now
        PlanEntry.objects.bulk_update(
            pending, ["frequency", "decision", "reason", "decided_by", "decided_at"]
        )
        audit.record_many(AuditAction.UPDATE, pending, actor=actor, comment="采纳建议检查次数")
    return len(pending)


def update_inputs(plan: InspectionPlan, raw: Mapping[str, Any], *, actor: User) -> InspectionPlan:
    """Change the capacity inputs and the random quota of a draft or returned plan (audited)."""
    with transaction.atomic():
        plan = InspectionPlan.objects.select_for_update().get(pk=plan.pk)
        _editable(plan, actor)
        current = {k: getattr(plan, k) for k in LABELS}
        values = capacity_inputs(
            {**current, **{k: v for k, v in raw.items() if k in LABELS}}, plan.working_days
        )
        errors: list[FieldError] = []
        quota = _number({**current, **raw}, "random_quota", errors, 0)
        if errors:
            raise ValidationFailed(errors)
        before = audit.snapshot(plan)
        for k, v in {**values, "random_quota": quota}.items():
            setattr(plan, k, v)
        plan.updated_at = timezone.now()
        plan.save()
        audit.record(AuditAction.UPDATE, plan, actor=actor, before=before, after=audit.snapshot(plan))
    return plan
