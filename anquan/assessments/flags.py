"""Rolling red and yellow flags (流动红旗/黄旗): awarded per period by an office, to regions, departments or
enterprises, by the ranking of a published assessment (the scheme's rule) or by a decision with reasons. A flag
"moves on": awarding a colour for a new period passes on the same office's flags of that colour and holder kind from
earlier periods (`passed_on`), so the page shows the current holders and, beneath, who held them before."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone

from anquan.core import audit, inputs
from anquan.core.errors import FieldError, NotPermitted, ValidationFailed
from anquan.core.scope import region_in_scope, restrict
from anquan.enterprises.models import Enterprise
from anquan.orgs.models import Department
from anquan.regions.models import Region

from . import scoring
from .choices import FlagBasis, FlagColour, HolderKind, SubjectLevel
from .models import OFFICES, Assessment, Flag

REASON_MAX = 2000


def period_label(start: dt.date, end: dt.date) -> str:
    if start.year == end.year and (start.month, start.day, end.month, end.day) == (1, 1, 12, 31):
        return f"{start.year}年度"
    if start.year == end.year and start.day == 1 and start.month == end.month:
        return f"{start.year}年{start.month}月"
    return f"{start:%Y.%m.%d}—{end:%Y.%m.%d}"


def _pass_on(flag: Flag, *, actor: Any) -> int:
    """Mark the same office's earlier flags of this colour and holder kind as passed on (audited)."""
    earlier = list(
        Flag.objects.filter(
            issuer_region=flag.issuer_region,
            colour=flag.colour,
            holder_kind=flag.holder_kind,
            period_end__lt=flag.period_start,
            passed_on__isnull=True,
        )
    )
    for old in earlier:
        before = audit.snapshot(old)
        old.passed_on = flag.awarded_on
        old.save(update_fields=["passed_on"])
        audit.record_update(old, before, actor=actor, comment=f"{old.get_colour_display()}流动至下一期")
    return len(earlier)


def _save(flag: Flag, *, actor: Any) -> Flag:
    flag.save()
    audit.record_create(
        flag, actor=actor, comment=f"{flag.period_label}{flag.get_colour_display()}：{flag.holder_name}"
    )
    _pass_on(flag, actor=actor)
    return flag


def award_from(assessment: Assessment, *, actor: Any) -> list[Flag]:
    """The flags of a published assessment by its scheme's rule (`scoring.flagged`), inside the caller's
    transaction."""
    from .services import scheme_of

    scheme = scheme_of(assessment)
    scores = list(assessment.scores.select_related("region", "department").order_by("order"))
    by_key = {s.pk: s for s in scores}
    ranked = [scoring.Ranked(str(s.pk), s.region.code, s.total, {}, s.rank, s.order) for s in scores]
    red, yellow = scoring.flagged(ranked, scheme)
    label = period_label(assessment.period_start, assessment.period_end)
    kind = HolderKind.DEPARTMENT if assessment.subjects == SubjectLevel.DEPARTMENTS else HolderKind.REGION
    made = []
    for (
        colour
    ) in FlagColour.values:  # the new period's ranking ends the earlier flags, even if none is awarded now
        template = Flag(
            issuer_region=assessment.region,
            colour=colour,
            holder_kind=kind,
            period_start=assessment.period_start,
            awarded_on=assessment.published_on or timezone.localdate(),
        )
        _pass_on(template, actor=actor)
    for colour, entries, words in (
        (FlagColour.RED, red, f"考核第{{rank}}名（前{scheme.red_count}名授予流动红旗）"),
        (FlagColour.YELLOW, yellow, f"考核第{{rank}}名（后{scheme.yellow_count}名挂流动黄旗）"),
    ):
        for entry in entries:
            score = by_key[int(entry.key)]
            flag = Flag(
                colour=colour,
                period_start=assessment.period_start,
                period_end=assessment.period_end,
                period_label=label,
                issuer_region=assessment.region,
                holder_kind=kind,
                region=score.region,
                department=score.department,
                holder_name=score.subject_name,
                basis=FlagBasis.RANKING,
                assessment=assessment,
                rank=score.rank,
                reason=f"{assessment.title}得分{score.total}分，" + words.format(rank=score.rank),
                awarded_by=actor,
                awarded_on=assessment.published_on or timezone.localdate(),
            )
            made.append(_save(flag, actor=actor))
    return made


def _holder(actor: Any, raw: dict[str, Any], kind: str | None, errors: list[FieldError]) -> tuple[Any, ...]:
    """(region, department, enterprise, name) of the holder named by the input, in the actor's area."""
    region = department = enterprise = None
    if kind == HolderKind.ENTERPRISE:
        number = inputs.integer(raw.get("enterprise"), "enterprise", "企业", errors, low=1, high=2**31 - 1)
        enterprise = (
            restrict(Enterprise, actor).filter(pk=number).select_related("region").first() if number else None
        )
        if enterprise is None:
            errors.append(FieldError("enterprise", "unknown", "请选择本地区的企业"))
            return None, None, None, ""
        return enterprise.region, None, enterprise, enterprise.name
    code = str(raw.get("region") or "").strip()
    region = Region.objects.filter(code=code).first() if code else None
    if (
        region is None
        or not region_in_scope(actor, region.code)
        or region.pk == actor.region_id
        and kind == HolderKind.REGION
    ):
        errors.append(FieldError("region", "unknown", "请选择本地区的下级地区"))
        return None, None, None, ""
    if kind == HolderKind.DEPARTMENT:
        number = inputs.integer(raw.get("department"), "department", "部门", errors, low=1, high=2**31 - 1)
        department = Department.objects.filter(pk=number).first() if number else None
        if department is None:
            errors.append(FieldError("department", "unknown", "请选择部门"))
            return None, None, None, ""
        return region, department, None, f"{region.name}{department.name}"
    return region, None, None, region.name


def award_by_decision(actor: Any, raw: dict[str, Any]) -> Flag:
    """A flag by the office's decision: colour, holder (region / department of a region / enterprise), period and
    the reasons (required)."""
    if getattr(actor, "role", None) not in OFFICES or actor.region_id is None:
        raise NotPermitted("只有安委办可以授予流动红旗、挂流动黄旗")
    errors: list[FieldError] = []
    colour = raw.get("colour")
    if colour not in FlagColour.values:
        errors.append(FieldError("colour", "invalid_choice", "请选择红旗或黄旗"))
    kind = raw.get("holder_kind") or HolderKind.REGION
    if kind not in HolderKind.values:
        errors.append(FieldError("holder_kind", "invalid_choice", "授予对象应为地区、部门或企业"))
        kind = None
    start = inputs.day(raw.get("period_start"), "period_start", "期间开始日期", errors)
    end = inputs.day(raw.get("period_end"), "period_end", "期间结束日期", errors)
    for name, value in (("period_start", start), ("period_end", end)):
        if value is None and not any(e.field == name for e in errors):
            errors.append(FieldError(name, "required", "请填写日期"))
    if start and end and end < start:
        errors.append(FieldError("period_end", "before_start", "结束日期不能早于开始日期"))
    reason = inputs.text(raw.get("reason"), "reason", "理由", errors, max_length=REASON_MAX, required=True)
    region, department, enterprise, name = _holder(actor, raw, kind, errors) if kind else (None,) * 4
    if errors:
        raise ValidationFailed(errors)
    assert start is not None and end is not None and kind is not None
    flag = Flag(
        colour=colour,
        period_start=start,
        period_end=end,
        period_label=period_label(start, end),
        issuer_region=actor.region,
        holder_kind=kind,
        region=region,
        department=department,
        enterprise=enterprise,
        holder_name=name,
        basis=FlagBasis.DECISION,
        reason=reason,
        awarded_by=actor,
    )
    with transaction.atomic():
        return _save(flag, actor=actor)


def visible(user: Any) -> QuerySet[Flag]:
    """The flags held in the user's area and those their office awarded."""
    return restrict(Flag, user).select_related(
        "region", "department", "enterprise", "issuer_region", "assessment"
    )


def current(user: Any) -> QuerySet[Flag]:
    return visible(user).filter(passed_on__isnull=True)
