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
from django.utils.translation import gettext_lazy as _

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

    enterprise = models.ForeignKey(
        "enterprises.Enterprise", on_delete=models.PROTECT, related_name="+", verbose_name=_("enterprise")
    )
    # the issuing unit (执法主体): a department in a region
    department = models.ForeignKey(
        "orgs.Department", on_delete=models.PROTECT, related_name="+", verbose_name=_("issuing department")
    )
    unit_region = models.ForeignKey(
        "regions.Region", on_delete=models.PROTECT, related_name="+", verbose_name=_("issuing unit's region")
    )
    # the enterprise's, at 立案
    region_code = models.CharField(_("region code"), max_length=12, db_index=True, editable=False)
    year = models.PositiveSmallIntegerField(_("year"))
    serial = models.PositiveIntegerField(_("serial number"))  # plain sequence per issuing unit and year
    source = models.CharField(_("case source"), max_length=20, choices=Source.choices)
    hazard = models.ForeignKey(
        "hazards.Hazard",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("hazard"),
    )
    source_note = models.CharField(_("source details"), max_length=200, blank=True)
    # the inspection the case came from (opened from its page: /cases/new/?inspection=<id>)
    inspection = models.ForeignKey(
        "inspections.Inspection",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("inspection"),
    )
    # 涉嫌违反的条款, printed on the 立案审批表, the notices and the decision
    violated = models.CharField(_("provisions violated"), max_length=500, blank=True)
    facts = models.TextField(_("facts of the violation"))
    # [{"kind": "organisation"|"person", "name", "position"}]
    parties = models.JSONField(_("parties"), default=list)
    investigators = models.ManyToManyField(settings.AUTH_USER_MODEL, related_name="+", blank=True)
    # kept with the set (a workflow guard)
    investigator_count = models.PositiveSmallIntegerField(_("number of investigators"), default=0)
    status = models.CharField(
        _("status"), max_length=20, choices=Stage.choices, default=Stage.PENDING_APPROVAL
    )
    applied_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("applied by")
    )
    applied_on = models.DateField(_("applied on"))
    # 立案: the procedure version in force that day and the limit it gave
    rules_version = models.ForeignKey(
        "rules.RuleVersion",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("procedure rule version"),
    )
    opened_on = models.DateField(_("opened on"), null=True, blank=True)
    time_limit_days = models.PositiveSmallIntegerField(_("case-time limit (days)"), null=True, blank=True)
    extended_days = models.PositiveSmallIntegerField(_("days extended"), default=0)
    deadline = models.DateField(_("case-time limit ends on"), null=True, blank=True, db_index=True)
    investigation_report = models.TextField(_("investigation report"), blank=True)
    # 告知
    notified_on = models.DateField(_("notified on"), null=True, blank=True)
    proposed_measures = models.JSONField(_("proposed penalties"), default=list, blank=True)
    # 法制审核 (一) 涉及重大公共利益
    flag_public_interest = models.BooleanField(
        _("involves a major public interest (legal review)"), default=False
    )
    # (三) 疑难复杂、涉及多个法律关系
    flag_complex = models.BooleanField(
        _("complex case or several legal relations (legal review)"), default=False
    )
    # (四) 法律法规规定的其他情形
    flag_other_law = models.BooleanField(_("legal review required by another law"), default=False)
    # 情节复杂或重大违法：集体讨论（第五十七条）
    flag_serious = models.BooleanField(
        _("complex circumstances or serious violation (collective discussion)"), default=False
    )
    statement_on = models.DateField(_("statement made on"), null=True, blank=True)
    statement = models.TextField(_("statement and defence"), blank=True)
    hearing_requested = models.BooleanField(_("hearing requested"), default=False)
    hearing_notice_on = models.DateField(_("hearing notice on"), null=True, blank=True)
    hearing_held_on = models.DateField(_("hearing held on"), null=True, blank=True)
    # the party waived its rights in writing
    waived = models.BooleanField(_("waived in writing"), default=False)
    waiver_note = models.CharField(_("written waiver"), max_length=300, blank=True)
    legal_review_on = models.DateField(_("legal review on"), null=True, blank=True)
    legal_review_opinion = models.TextField(_("legal review opinion"), blank=True)
    discussion_on = models.DateField(_("collective discussion on"), null=True, blank=True)
    discussion_note = models.TextField(_("record of the collective discussion"), blank=True)
    # 决定
    decided_on = models.DateField(_("decided on"), null=True, blank=True)
    measures = models.JSONField(_("penalties decided"), default=list, blank=True)
    fine_total_yuan = models.DecimalField(
        _("total fine (yuan)"), max_digits=12, decimal_places=2, default=Decimal("0")
    )
    articles_version = models.ForeignKey(
        "rules.RuleVersion",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("penalty articles version"),
    )
    # 送达 and 执行
    delivered_on = models.DateField(_("delivered on"), null=True, blank=True)
    delivery_method = models.CharField(
        _("delivery method"), max_length=20, choices=DeliveryMethod.choices, blank=True
    )
    paid_yuan = models.DecimalField(_("paid (yuan)"), max_digits=12, decimal_places=2, default=Decimal("0"))
    daily_penalty_from = models.DateField(_("daily penalty counted from"), null=True, blank=True)
    daily_penalty_days = models.PositiveIntegerField(_("daily penalty days"), default=0)
    daily_penalty_yuan = models.DecimalField(
        _("daily penalty (yuan)"), max_digits=14, decimal_places=2, default=Decimal("0")
    )
    court_applied_on = models.DateField(_("applied to court for enforcement on"), null=True, blank=True)
    closed_on = models.DateField(_("closed on"), null=True, blank=True)
    created_at = models.DateTimeField(_("created at"), default=timezone.now)
    updated_at = models.DateTimeField(_("updated at"), default=timezone.now)

    class Meta:
        verbose_name = _("enforcement case")
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


class CaseSerialCounter(models.Model):
    """The last 立案 serial given by one issuing unit (department in a region) in one year: its row is locked by
    the application that takes the next one (core.counters.take_next, ADR 0021), so two applications at once
    wait for each other instead of clashing on the unique serial, and a refused one rolls its serial back."""

    department = models.ForeignKey(
        "orgs.Department", on_delete=models.PROTECT, related_name="+", verbose_name=_("issuing department")
    )
    unit_region = models.ForeignKey(
        "regions.Region", on_delete=models.PROTECT, related_name="+", verbose_name=_("issuing unit's region")
    )
    year = models.PositiveSmallIntegerField(_("year"))
    last = models.PositiveIntegerField(_("last number given"), default=0)

    class Meta:
        verbose_name = _("case serial counter")
        constraints = [
            models.UniqueConstraint(
                fields=["department", "unit_region", "year"], name="one_case_counter_per_unit_year"
            )
        ]

    def __str__(self) -> str:
        return f"{self.unit_region_id}/{self.department_id} {self.year}: {self.last}"


class CaseEvent(WorkflowEvent):
    scope = _via("case", change=None)
    case = models.ForeignKey(EnforcementCase, on_delete=models.CASCADE, related_name="events")


class CaseExtension(models.Model):
    """An approved extension of the case-time limit (the total is bounded by the case's procedure version)."""

    scope = _via("case")
    case = models.ForeignKey(
        EnforcementCase, on_delete=models.CASCADE, related_name="extensions", verbose_name=_("case")
    )
    days = models.PositiveSmallIntegerField(_("days extended"))
    level = models.CharField(_("approval level"), max_length=10, choices=ExtensionLevel.choices)
    reason = models.TextField(_("reason"))
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("approved by")
    )
    approved_at = models.DateTimeField(_("approved at"), default=timezone.now)

    class Meta:
        ordering = ["approved_at", "id"]

    def __str__(self) -> str:
        return f"{self.case} 延长{self.days}日"


class CasePayment(models.Model):
    """A payment of the fine; `surcharge_yuan` is what was due on top on that day (Administrative Penalty Law
    art. 72: 3 % of the fine per day after the payment period, capped at the fine)."""

    scope = _via("case")
    case = models.ForeignKey(
        EnforcementCase, on_delete=models.CASCADE, related_name="payments", verbose_name=_("case")
    )
    paid_on = models.DateField(_("paid on"))
    amount_yuan = models.DecimalField(_("amount (yuan)"), max_digits=12, decimal_places=2)
    days_late = models.PositiveIntegerField(_("days late"), default=0)
    surcharge_yuan = models.DecimalField(
        _("late-payment surcharge (yuan)"), max_digits=12, decimal_places=2, default=Decimal("0")
    )
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("recorded by")
    )
    recorded_at = models.DateTimeField(_("recorded at"), default=timezone.now)

    class Meta:
        ordering = ["paid_on", "id"]

    def __str__(self) -> str:
        return f"{self.case} 缴款{self.amount_yuan}元"


class Referral(models.Model):
    """移送司法机关 (State Council Order 310): ≥ 2 officers propose; the head decides within 3 days; an approved
    referral is transferred to the police within 24 hours; the police answer (立案 / 不予立案 / 退回)."""

    scope = _via("case")
    case = models.ForeignKey(
        EnforcementCase, on_delete=models.PROTECT, related_name="referrals", verbose_name=_("case")
    )
    officers = models.ManyToManyField(settings.AUTH_USER_MODEL, related_name="+")
    officer_count = models.PositiveSmallIntegerField(_("number of officers proposing"), default=0)
    # the people referred (names) and how many: the statistics count referrals in people (移送司法机关N人)
    persons = models.JSONField(_("persons referred"), default=list)
    person_count = models.PositiveSmallIntegerField(_("number of persons referred"), default=0)
    suspected_crime = models.CharField(_("suspected crime"), max_length=200)
    reason = models.TextField(_("reason"))
    status = models.CharField(
        _("status"), max_length=20, choices=ReferralStatus.choices, default=ReferralStatus.PROPOSED
    )
    proposed_at = models.DateTimeField(_("proposed at"))
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("decided by"),
    )
    transferred_at = models.DateTimeField(_("transferred at"), null=True, blank=True)
    police_unit = models.CharField(_("police unit"), max_length=100, blank=True)
    police_answer = models.CharField(
        _("police answer"), max_length=20, choices=PoliceAnswer.choices, blank=True
    )
    answered_on = models.DateField(_("answered on"), null=True, blank=True)
    answer_note = models.TextField(_("answer details"), blank=True)
    updated_at = models.DateTimeField(_("updated at"), default=timezone.now)

    class Meta:
        verbose_name = _("referral to the police")
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
    case = models.ForeignKey(
        EnforcementCase, on_delete=models.PROTECT, related_name="listings", verbose_name=_("case")
    )
    condition = models.CharField(_("listing condition"), max_length=30, choices=ListingCondition.choices)
    reason = models.TextField(_("reason"))
    status = models.CharField(
        _("status"), max_length=10, choices=ListingStatus.choices, default=ListingStatus.LISTED
    )
    rules_version = models.ForeignKey(
        "rules.RuleVersion", on_delete=models.PROTECT, related_name="+", verbose_name=_("rule version")
    )
    listed_on = models.DateField(_("put on the list on"))
    ends_on = models.DateField(_("listing ends on"))
    removable_from = models.DateField(_("early removal possible from"))
    removed_on = models.DateField(_("removed from the list on"), null=True, blank=True)
    removal_reason = models.TextField(_("reason for removal"), blank=True)
    listed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("put on the list by"),
    )
    updated_at = models.DateTimeField(_("updated at"), default=timezone.now)

    class Meta:
        verbose_name = _("credit listing")
        ordering = ["-listed_on", "-id"]

    def __str__(self) -> str:
        return f"{self.case} {self.get_condition_display()}"
