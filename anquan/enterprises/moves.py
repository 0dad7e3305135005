"""An enterprise's current records follow it when it moves county or department (ADR 0007).

Risk points, installations, check tasks, site plans, risk reports and hazards carry copies of their
enterprise's `region_code` and `supervising_department_id` (the scope columns `restrict` filters on, so a
list is one indexed query). When the enterprise's region or supervising department changes — by the
form, the API, or a change of the 三管三必须 rules — `follow_enterprise` moves the scope columns of its
**current** records in the same transaction:

- all risk points, major hazard installations and site plans (what the enterprise has now);
- check tasks still open; hazards still open (`hazards.choices.OPEN_STATUSES`); risk reports not yet
  submitted or returned for correction (draft, returned: the next submission goes to the new supervisor);
- the enterprise's own accounts, when their region no longer holds the enterprise (they would otherwise
  lose sight of their own enterprise).

Closed hazards, done or missed check tasks, accidents and submitted or accepted reports stay where they
happened: they record what the old county and department supervised. Child rows (photos, schedules,
placements, attachments, events …) carry no scope columns and follow their parent through its `ScopeSpec`.

Each moved set is one audit entry (`audit.record_subjects`): the model as its kind, the enterprise as its
key, the ids moved and the scope before and after, so one move of an enterprise with 5,000 hazards writes
a handful of entries, not 5,000 snapshots that would each repeat the same two values.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django.db import models
from django.utils import translation

from anquan.core import audit
from anquan.core.models import AuditAction


@dataclass(frozen=True)
class Place:
    """Where an enterprise sits for scope: its region and supervising department."""

    region_id: int | None
    region_code: str
    department_id: int | None

    @classmethod
    def of(cls, enterprise) -> Place:
        return cls(enterprise.region_id, enterprise.region_code, enterprise.supervising_department_id)


@dataclass
class MoveResult:
    """What one move changed: {model label: ids moved}."""

    moved: dict[str, list[int]] = field(default_factory=dict)

    @property
    def counts(self) -> dict[str, int]:
        return {label: len(ids) for label, ids in self.moved.items()}


def _current_sets(enterprise) -> list[tuple[models.QuerySet, bool]]:
    """(queryset of the enterprise's current rows, whether the model has a `region` foreign key too)."""
    from anquan.checks.choices import TaskStatus
    from anquan.checks.models import CheckTask
    from anquan.hazards.choices import OPEN_STATUSES
    from anquan.hazards.models import Hazard
    from anquan.majorhazards.models import MajorHazardInstallation
    from anquan.riskpoints.models import RiskPoint, SitePlan
    from anquan.riskreports.choices import ReportStatus
    from anquan.riskreports.models import RiskReport

    return [
        (RiskPoint.objects.filter(enterprise=enterprise), False),
        (MajorHazardInstallation.objects.filter(enterprise=enterprise), False),
        (SitePlan.objects.filter(enterprise=enterprise), False),
        (CheckTask.objects.filter(enterprise=enterprise, status=TaskStatus.OPEN), False),
        (Hazard.objects.filter(enterprise=enterprise, status__in=OPEN_STATUSES), True),
        (
            RiskReport.objects.filter(
                enterprise=enterprise, status__in=[ReportStatus.DRAFT, ReportStatus.RETURNED]
            ),
            False,
        ),
    ]


def follow_enterprise(enterprise, before: Place, *, actor, reason: str = "") -> MoveResult:
    """Move the scope columns of `enterprise`'s current records from `before` to where it is now.
    Call inside the transaction that saved the enterprise; a no-op when its place did not change."""
    after = Place.of(enterprise)
    result = MoveResult()
    if after == before:
        return result
    subjects: list[audit.Subject] = []
    for queryset, has_region in _current_sets(enterprise):
        stale = queryset.exclude(region_code=after.region_code, supervising_department_id=after.department_id)
        ids = sorted(stale.values_list("pk", flat=True))
        if not ids:
            continue
        values = {"region_code": after.region_code, "supervising_department_id": after.department_id}
        if has_region:
            values["region_id"] = after.region_id
        queryset.model.objects.filter(pk__in=ids).update(**values)
        label = queryset.model._meta.label_lower
        result.moved[label] = ids
        subjects.append(_subject(enterprise, queryset.model, ids, before, after))
    users = _move_own_accounts(enterprise, after)
    if users:
        from anquan.accounts.models import User

        result.moved["accounts.user"] = users
        subjects.append(_subject(enterprise, User, users, before, after))
    if subjects:
        audit.record_subjects(
            AuditAction.UPDATE,
            subjects,
            actor=actor,
            comment=reason or f"企业“{enterprise.name}”的所在区域或行业监管部门变更，当前记录随之迁移",
        )
    return result


def _move_own_accounts(enterprise, after: Place) -> list[int]:
    """The enterprise's accounts whose region no longer holds it move to the enterprise's region."""
    from anquan.accounts.models import User

    ids = sorted(
        user.pk
        for user in User.objects.filter(enterprise=enterprise).select_related("region")
        if user.region is None or not after.region_code.startswith(user.region.prefix)
    )
    if ids:
        User.objects.filter(pk__in=ids).update(region_id=after.region_id, region_code=after.region_code)
    return ids


def _subject(enterprise, model, ids: list[int], before: Place, after: Place) -> audit.Subject:
    with translation.override("zh-hans"):
        name = str(model._meta.verbose_name_plural)
    return audit.Subject(
        kind=model._meta.label_lower,
        key=f"enterprise:{enterprise.pk}",
        label=f"{enterprise.name}的{name}（{len(ids)}条）随企业迁移",
        region_code=after.region_code,
        before={"region_code": before.region_code, "supervising_department_id": before.department_id},
        after={
            "region_code": after.region_code,
            "supervising_department_id": after.department_id,
            "ids": ids,
        },
    )
