"""Enforcement cases (行政处罚案件) from 立案 to 结案, their payments and extensions, referrals to the police
(移送司法机关) and the serious-dishonesty list (失信名单).

A case sits where the enterprise was at 立案 and with the department that opened it (the issuing unit): it is
the issuing unit's record and stays with it when the enterprise moves (ADR 0007, like an accident). The procedure
version in force on the 立案 date is stored (`rules_version`), and the case-time limit it gave
(`time_limit_days`), so a later version never changes an opened case.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.conf import settings
from django.db import models
from django.utils import timezone

from anquan.core.permissions import Role
from anquan.core.scope import ScopeSpec
from anquan.core.workflow import WorkflowEvent

from .choices import (
    DeliveryMethod,
    ExtensionLevel,
    ListingCondition,
    ListingStatus,
    PoliceAnswer,
    ReferralStatus,
    Source,
    Stage,
)

# the roles that may change a case at all; each step says which of them may take it (workflow.py)
CASE_WRITERS = frozenset({Role.INSPECTOR, Role.DEPARTMENT_SUPERVISOR})
CASE_SCOPE = ScopeSpec(
    region="region_code", department="department_id", enterprise="enterprise_id", change=CASE_WRITERS
)


def _via(path: str, change: frozenset[str] | None = CASE_WRITERS) -> ScopeSpec:
    return ScopeSpec(
        region=f"{path}__region_code",
        department=f"{path}__department_id",
        enterprise=f"{path}__enterprise_id",
        change=change,
    )


class EnforcementCase(models.Model):
    scope = CASE_SCOPE

    enterprise = models.ForeignKey("enterprises.Enterprise", on_delete=models.PROTECT, related_name="+")
    # the issuing unit (执法主体): a department in a region
    department = models.ForeignKey("orgs.Department", on_delete=models.PROTECT, related_name="+")
    unit_region = models.ForeignKey("regions.Region", on_delete=models.PROTECT, related_name="+")
    region_code = models.CharField(max_length=12, db_index=True, editable=False)  # the enterprise's, at 立案
    year = models.PositiveSmallIntegerField()
    serial = models.PositiveIntegerField()  # plain sequence per issuing unit and year
    source = models.CharField(max_length=20, choices=Source.choices)
    hazard = models.ForeignKey(
        "hazards.Hazard", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    source_note = models.CharField(max_length=200, blank=True)
    facts = models.TextField()
    parties = models.JSONField(default=list)  # [{"kind": "organisation"|"person", "name", "position"}]
    investigators = models.ManyToManyField(settings.AUTH_USER_MODEL, related_name="+", blank=True)
    investigator_count = models.PositiveSmallIntegerField(default=0)  # kept with the set (a workflow guard)
    status = models.CharField(max_length=20, choices=Stage.choices, default=Stage.PENDING_APPROVAL)
    applied_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    applied_on = models.DateField()
    # 立案: the procedure version in force that day and the limit it gave
    rules_version = models.ForeignKey(
        "rules.RuleVersion", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    opened_on = models.DateField(null=True, blank=True)
    time_limit_days = models.PositiveSmallIntegerField(null=True, blank=True)
    extended_days = models.PositiveSmallIntegerField(default=0)
    deadline = models.DateField(null=True, blank=True, db_index=True)
    investigation_report = models.TextField(blank=True)
    # 告知
    notified_on = models.DateField(null=True, blank=True)
    proposed_measures = models.JSONField(default=list, blank=True)
    flag_public_interest = models.BooleanField(default=False)  # 法制审核 (一) 涉及重大公共利益
    flag_complex = models.BooleanField(default=False)  # (三) 疑难复杂、涉及多个法律关系
    flag_other_law = models.BooleanField(default=False)  # (四) 法律法规规定的其他情形
    flag_serious = models.BooleanField(default=False)  # 情节复杂或重大违法：集体讨论（第五十七条）
    statement_on = models.DateField(null=True, blank=True)
    statement = models.TextField(blank=True)
    hearing_requested = models.BooleanField(default=False)
    hearing_notice_on = models.DateField(null=True, blank=True)
    hearing_held_on = models.DateField(null=True, blank=True)
    waived = models.BooleanField(default=False)  # the party waived its rights in writing
    waiver_note = models.CharField(max_length=300, blank=True)
    legal_review_on = models.DateField(null=True, blank=True)
    legal_review_opinion = models.TextField(blank=True)
    discussion_on = models.DateField(null=True, blank=True)
    discussion_note = models.TextField(blank=True)
    # 决定
    decided_on = models.DateField(null=True, blank=True)
    measures = models.JSONField(default=list, blank=True)
    fine_total_yuan = models.DecimalField(max_digits=12, decimal_places=2, default=Decimal("0"))
    articles_version = models.ForeignKey(
        "rules.RuleVersion", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    # 送达 and 执行
    delivered_on = models.DateField(null=True, blank=True)
    delivery_method = models.CharField(max_length=20, choices=DeliveryMethod.choices, blank=True)
    paid_yuan = models.DecimalField(max_digits=12, decimal_places=2, default=Decimal("0"))
    daily_penalty_from = models.DateField(null=True, blank=True)
    daily_penalty_days = models.PositiveIntegerField(default=0)
    daily_penalty_yuan = models.DecimalField(max_digits=14, decimal_places=2, default=Decimal("0"))
    court_applied_on = models.DateField(null=True, blank=True)
    closed_on = models.DateField(null=True, blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-year", "-serial"]
        constraints = [
            models.UniqueConstraint(
                fields=["department", "unit_region", "year", "serial"], name="case_serial_per_unit_year"
            )
        ]
        indexes = [models.Index(fields=["status", "region_code"])]

    def __str__(self) -> str:
        return self.number

    @property
    def unit_name(self) -> str:
        return f"{self.unit_region.name}{self.department.name}"

    @property
    def number(self) -> str:
        """立案 number: a plain sequence per issuing unit and year (official numbering: anquan.documents)."""
        return f"〔{self.year}〕{self.serial}号"

    def days_left(self, today: dt.date | None = None) -> int | None:
        """Days until the case-time limit (negative: overdue); None before 立案 or once decided."""
        if self.deadline is None or self.status not in ("investigating", "reviewing", "notified"):
            return None
        return (self.deadline - (today or timezone.localdate())).days


class CaseEvent(WorkflowEvent):
    scope = _via("case", change=None)
    case = models.ForeignKey(EnforcementCase, on_delete=models.CASCADE, related_name="events")


class CaseExtension(models.Model):
    """An approved extension of the case-time limit (the total is bounded by the case's procedure version)."""

    scope = _via("case")
    case = models.ForeignKey(EnforcementCase, on_delete=models.CASCADE, related_name="extensions")
    days = models.PositiveSmallIntegerField()
    level = models.CharField(max_length=10, choices=ExtensionLevel.choices)
    reason = models.TextField()
    approved_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    approved_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["approved_at", "id"]

    def __str__(self) -> str:
        return f"{self.case} +{self.days}"


class CasePayment(models.Model):
    """A payment of the fine; `surcharge_yuan` is what was due on top on that day (Administrative Penalty Law
    art. 72: 3 % of the fine per day after the payment period, capped at the fine)."""

    scope = _via("case")
    case = models.ForeignKey(EnforcementCase, on_delete=models.CASCADE, related_name="payments")
    paid_on = models.DateField()
    amount_yuan = models.DecimalField(max_digits=12, decimal_places=2)
    days_late = models.PositiveIntegerField(default=0)
    surcharge_yuan = models.DecimalField(max_digits=12, decimal_places=2, default=Decimal("0"))
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    recorded_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["paid_on", "id"]

    def __str__(self) -> str:
        return f"{self.case} {self.amount_yuan}"


class Referral(models.Model):
    """移送司法机关 (State Council Order 310): ≥ 2 officers propose; the head decides within 3 days; an approved
    referral is transferred to the police within 24 hours; the police answer (立案 / 不予立案 / 退回)."""

    scope = _via("case")
    case = models.ForeignKey(EnforcementCase, on_delete=models.PROTECT, related_name="referrals")
    officers = models.ManyToManyField(settings.AUTH_USER_MODEL, related_name="+")
    officer_count = models.PositiveSmallIntegerField(default=0)
    suspected_crime = models.CharField(max_length=200)
    reason = models.TextField()
    status = models.CharField(max_length=20, choices=ReferralStatus.choices, default=ReferralStatus.PROPOSED)
    proposed_at = models.DateTimeField()
    decided_at = models.DateTimeField(null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    transferred_at = models.DateTimeField(null=True, blank=True)
    police_unit = models.CharField(max_length=100, blank=True)
    police_answer = models.CharField(max_length=20, choices=PoliceAnswer.choices, blank=True)
    answered_on = models.DateField(null=True, blank=True)
    answer_note = models.TextField(blank=True)
    updated_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-proposed_at", "-id"]

    def __str__(self) -> str:
        return f"{self.case} {self.suspected_crime}"

    DECISION_WITHIN = dt.timedelta(days=3)
    TRANSFER_WITHIN = dt.timedelta(hours=24)

    @property
    def decision_due(self) -> dt.datetime:
        return self.proposed_at + self.DECISION_WITHIN

    @property
    def transfer_due(self) -> dt.datetime | None:
        return self.decided_at + self.TRANSFER_WITHIN if self.decided_at else None

    @property
    def decision_late(self) -> bool:
        return self.decided_at is not None and self.decided_at > self.decision_due

    @property
    def transfer_late(self) -> bool:
        due = self.transfer_due
        return due is not None and self.transferred_at is not None and self.transferred_at > due


class CreditListing(models.Model):
    """An enterprise on the serious-dishonesty list (MEM Order 11), listed by the unit that decided the penalty."""

    scope = _via("case")
    case = models.ForeignKey(EnforcementCase, on_delete=models.PROTECT, related_name="listings")
    condition = models.CharField(max_length=30, choices=ListingCondition.choices)
    reason = models.TextField()
    status = models.CharField(max_length=10, choices=ListingStatus.choices, default=ListingStatus.LISTED)
    rules_version = models.ForeignKey("rules.RuleVersion", on_delete=models.PROTECT, related_name="+")
    listed_on = models.DateField()
    ends_on = models.DateField()
    removable_from = models.DateField()
    removed_on = models.DateField(null=True, blank=True)
    removal_reason = models.TextField(blank=True)
    listed_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    updated_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-listed_on", "-id"]

    def __str__(self) -> str:
        return f"{self.case} {self.condition}"
