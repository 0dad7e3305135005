"""Assessments: create one (scheme version, period, who is assessed), compute the scores from the data, enter manual
points, publish (which awards the flags by the scheme's rule). Every write audited; bad input a field-level 422."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from django.db import transaction
from django.db.models import QuerySet
from django.http import Http404
from django.utils import timezone

from anquan.core import audit, inputs
from anquan.core.errors import FieldError, NotPermitted, ValidationFailed
from anquan.core.models import AuditAction
from anquan.core.scope import CHANGE, get_in_scope, restrict
from anquan.orgs.models import Department, SafetyCommittee
from anquan.regions.models import Region
from anquan.rules.models import RuleVersion
from anquan.rules.services import RuleMissing, in_force

from . import criteria, flags, scoring
from .choices import AssessmentAction, AssessmentStatus, SubjectLevel
from .criteria import Context, Reading, Subject
from .models import OFFICES, Assessment, ManualEntry, Score
from .rules import SCHEME, Scheme
from .workflow import FLOW

TITLE_MAX = 200
REASON_MAX = 2000


def may_manage(user: Any) -> bool:
    return getattr(user, "role", None) in OFFICES and getattr(user, "region_id", None) is not None


def subjects_of(region: Region, level: str) -> list[Subject]:
    """The regions one level below `region`, or the member departments of its safety committee (every department
    when it has no committee on record), in code / listing order."""
    if level == SubjectLevel.CHILD_REGIONS:
        return [Subject(c.code, c) for c in Region.objects.filter(parent=region).order_by("code")]
    committee = SafetyCommittee.objects.filter(region=region).first()
    departments = (
        committee.members.order_by("order", "id") if committee else Department.objects.order_by("order", "id")
    )
    return [Subject(f"{region.code}:{d.pk}", region, d) for d in departments]


def scheme_of(assessment: Assessment) -> Scheme:
    return Scheme.model_validate(assessment.scheme.values)


def default_title(region: Region, start: dt.date, end: dt.date, level: str) -> str:
    whom = "各县（市、区）" if region.level == 2 else ("各乡镇（街道）" if region.level == 3 else "各地")
    if level == SubjectLevel.DEPARTMENTS:
        whom = "有关部门"
    period = (
        f"{start.year}年度"
        if (start.month, start.day, end.month, end.day) == (1, 1, 12, 31) and start.year == end.year
        else f"{start:%Y年%m月%d日}至{end:%Y年%m月%d日}"
    )
    return f"{region.name}{period}{whom}安全生产工作考核"


def _scheme(raw: Any, end: dt.date | None, region: Region, errors: list[FieldError]) -> RuleVersion | None:
    if raw in (None, ""):
        if end is None:
            return None
        try:
            return in_force(SCHEME, end, region.code)
        except RuleMissing:
            errors.append(FieldError("scheme", "missing", "考核期结束时没有施行的评分标准"))
            return None
    number = inputs.integer(raw, "scheme", "评分标准", errors, low=1, high=2**31 - 1)
    version = RuleVersion.objects.filter(pk=number, key=SCHEME).first() if number else None
    if number and version is None:
        errors.append(FieldError("scheme", "unknown", "没有这个评分标准版本"))
    return version


def create(actor: Any, raw: dict[str, Any], *, today: dt.date | None = None) -> Assessment:
    """A draft assessment by the actor's office: `period_start`, `period_end` (ended before today), `subjects`
    (child_regions or departments), optional `scheme` (a version id; default the one in force at the period's end)
    and `title`."""
    if not may_manage(actor):
        raise NotPermitted("只有安委办可以组织考核")
    today = today or timezone.localdate()
    errors: list[FieldError] = []
    start = inputs.day(raw.get("period_start"), "period_start", "考核期开始日期", errors)
    end = inputs.day(raw.get("period_end"), "period_end", "考核期结束日期", errors)
    for name, value, label in (
        ("period_start", start, "考核期开始日期"),
        ("period_end", end, "考核期结束日期"),
    ):
        if value is None and not any(e.field == name for e in errors):
            errors.append(FieldError(name, "required", f"请填写{label}"))
    if start and end and end < start:
        errors.append(FieldError("period_end", "before_start", "结束日期不能早于开始日期"))
    elif end and end >= today:
        errors.append(FieldError("period_end", "not_ended", "考核期尚未结束：结束后才能按数据计分"))
    level = raw.get("subjects") or SubjectLevel.CHILD_REGIONS
    if level not in SubjectLevel.values:
        errors.append(FieldError("subjects", "invalid_choice", "考核对象应为下级地区或本级有关部门"))
    title = inputs.text(raw.get("title"), "title", "考核名称", errors, max_length=TITLE_MAX)
    region = actor.region
    version = _scheme(raw.get("scheme"), end, region, errors)
    if level == SubjectLevel.CHILD_REGIONS and not Region.objects.filter(parent=region).exists():
        errors.append(FieldError("subjects", "none", "本地区没有下级地区可以考核"))
    if errors:
        raise ValidationFailed(errors)
    assert start is not None and end is not None and version is not None
    assessment = Assessment(
        title=title or default_title(region, start, end, level),
        scheme=version,
        region=region,
        period_start=start,
        period_end=end,
        subjects=level,
        created_by=actor,
    )
    with transaction.atomic():
        assessment.save()
        audit.record_create(assessment, actor=actor, comment=f"组织考核：{assessment.title}")
    return assessment


def context_of(assessment: Assessment) -> Context:
    subjects = subjects_of(assessment.region, assessment.subjects)
    return Context(
        assessment.region,
        assessment.period_start,
        assessment.period_end,
        subjects,
        departments=assessment.subjects == SubjectLevel.DEPARTMENTS,
    )


def manual_readings(assessment: Assessment, scheme: Scheme) -> dict[str, dict[str, Reading]]:
    """criterion key → subject key → the newest manual entry's points (one query)."""
    out: dict[str, dict[str, Reading]] = {c.key: {} for c in scheme.criteria if c.rule == "manual"}
    for entry in assessment.manual_entries.order_by("entered_at", "id"):
        if entry.criterion in out:
            key = f"{entry.region.code}:{entry.department_id}" if entry.department_id else entry.region.code
            figure = f"评分{Decimal(entry.points).normalize():f}分：{entry.reason}"
            out[entry.criterion][key] = Reading(Decimal(entry.points), figure, "安委办评分（附依据）")
    return out


def scores_from_data(assessment: Assessment) -> list[tuple[Subject, list[dict[str, Any]], scoring.Ranked]]:
    """Every subject's breakdown and rank, computed from the data now (nothing written)."""
    scheme = scheme_of(assessment)
    ctx = context_of(assessment)
    readings = criteria.read_all(ctx, {c.metric for c in scheme.criteria if c.metric})
    manual = manual_readings(assessment, scheme)
    rows = []
    for subject in ctx.subjects:
        breakdown = [
            scoring.line(
                c,
                readings.get(c.metric, {}).get(subject.key)
                if c.metric
                else manual[c.key].get(subject.key, Reading(None, "未评分", "安委办评分（附依据）")),
            )
            for c in scheme.criteria
        ]
        entry = scoring.Ranked(
            subject.key,
            subject.region.code + (f":{subject.department.order:05d}" if subject.department else ""),
            scoring.total_of(breakdown),
            {item["key"]: Decimal(item["points"]) for item in breakdown},
        )
        rows.append((subject, breakdown, entry))
    scoring.rank([r[2] for r in rows], scheme)
    return sorted(rows, key=lambda r: r[2].order)


def compute(assessment: Assessment, *, actor: Any) -> Assessment:
    """Recompute every score from the data (draft or computed), replacing the stored ones."""
    with transaction.atomic():
        rows = scores_from_data(assessment)
        fresh, _event = FLOW.apply(
            assessment,
            AssessmentAction.COMPUTE,
            actor=actor,
            changes={"computed_at": timezone.now()},
            comment=f"计算{len(rows)}个考核对象的得分",
        )
        Score.objects.filter(assessment=fresh).delete()
        Score.objects.bulk_create(
            Score(
                assessment=fresh,
                region=subject.region,
                department=subject.department,
                total=ranked.total,
                rank=ranked.rank,
                order=ranked.order,
                breakdown=breakdown,
            )
            for subject, breakdown, ranked in rows
        )
    return fresh


def publish(assessment: Assessment, *, actor: Any) -> Assessment:
    """Fix the scores and award the flags by the scheme's rule (the previous period's flags move on)."""
    with transaction.atomic():
        fresh, _event = FLOW.apply(
            assessment,
            AssessmentAction.PUBLISH,
            actor=actor,
            changes={"published_on": timezone.localdate()},
        )
        flags.award_from(fresh, actor=actor)
    return fresh


def transition(assessment: Assessment, action: str, *, actor: Any) -> Assessment:
    FLOW.get(action)
    if action == AssessmentAction.COMPUTE:
        return compute(assessment, actor=actor)
    return publish(assessment, actor=actor)


def visible(user: Any) -> QuerySet[Assessment]:
    return restrict(Assessment, user).select_related("region", "scheme")


def get(user: Any, pk: int, *, change: bool = False) -> Assessment:
    return get_in_scope(
        Assessment.objects.select_related("region", "scheme"), user, CHANGE if change else "view", pk=pk
    )


def _subject(assessment: Assessment, raw: Any, errors: list[FieldError]) -> Subject | None:
    key = str(raw or "").strip()
    if not key:
        errors.append(FieldError("subject", "required", "请选择考核对象"))
        return None
    subject = next((s for s in subjects_of(assessment.region, assessment.subjects) if s.key == key), None)
    if subject is None:
        errors.append(FieldError("subject", "unknown", "不是本次考核的对象"))
    return subject


def enter_manual(assessment: Assessment, raw: dict[str, Any], files: list[Any], *, actor: Any) -> ManualEntry:
    """The points of a manual criterion for one subject, with the reason (required) and evidence (optional files):
    points above the criterion's maximum, a criterion that is not manual or a published assessment are refused."""
    from anquan.core.uploads import store_upload

    from .models import Evidence

    if not FLOW.transitions[AssessmentAction.COMPUTE].permits(actor, assessment):
        raise NotPermitted("只有安委办可以评分")
    if assessment.status == AssessmentStatus.PUBLISHED:
        raise ValidationFailed([FieldError("", "published", "考核结果已发布，不能再评分")])
    scheme = scheme_of(assessment)
    errors: list[FieldError] = []
    key = str(raw.get("criterion") or "").strip()
    criterion = next((c for c in scheme.criteria if c.key == key and c.rule == "manual"), None)
    if criterion is None:
        errors.append(FieldError("criterion", "unknown" if key else "required", "请选择人工评分的考核项目"))
    subject = _subject(assessment, raw.get("subject"), errors)
    points = inputs.amount(raw.get("points"), "points", "得分", errors, high=Decimal(10000))
    if points is None and not any(e.field == "points" for e in errors):
        errors.append(FieldError("points", "required", "请填写得分"))
    elif points is not None and criterion is not None and points > criterion.max_points:
        errors.append(FieldError("points", "above_maximum", f"得分不能超过该项满分{criterion.max_points}分"))
    reason = inputs.text(
        raw.get("reason"), "reason", "评分理由", errors, max_length=REASON_MAX, required=True
    )
    if errors:
        raise ValidationFailed(errors)
    assert subject is not None and points is not None and criterion is not None
    entry = ManualEntry(
        assessment=assessment,
        criterion=criterion.key,
        region=subject.region,
        department=subject.department,
        points=points,
        reason=reason,
        entered_by=actor,
    )
    with transaction.atomic():
        entry.save()
        audit.record(
            AuditAction.CREATE,
            entry,
            actor=actor,
            after=audit.snapshot(entry),
            comment=f"{subject.name}“{criterion.name}”评分{points}分",
            region_code=assessment.region_code,
        )
        for upload in files:
            store_upload(Evidence(entry=entry), upload, actor=actor, comment=f"评分依据：{upload.name}")
    return entry


def score_of(assessment: Assessment, pk: int) -> Score:
    score = assessment.scores.select_related("region", "department").filter(pk=pk).first()
    if score is None:
        raise Http404
    return score
