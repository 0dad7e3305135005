"""挂牌督办: listing a major hazard for supervision, progress reports, and delisting after acceptance."""

from __future__ import annotations

import datetime as dt

from django.db import transaction
from django.utils import timezone

from anquan.accounts.scope import in_scope
from anquan.core import audit, inputs
from anquan.core.models import AuditAction

from . import rules
from .actions import record_event
from .choices import OPEN_STATUSES, Action, Level, ListingLevel, Status
from .errors import Conflict, FieldError, InvalidState, RoleRefused, Stale, ValidationFailed
from .models import Hazard, Listing, ProgressReport

MAX_LENGTHS = {
    "authority": Listing._meta.get_field("authority").max_length,
    "document_no": Listing._meta.get_field("document_no").max_length,
}


@transaction.atomic
def list_hazard(
    hazard: Hazard,
    *,
    actor,
    level: str,
    authority: str,
    document_no: str,
    deadline,
    report_every_days: int = 30,
    now: dt.datetime | None = None,
) -> Listing:
    now = now or timezone.now()
    hazard = Hazard.objects.select_for_update().get(pk=hazard.pk)
    if not in_scope(hazard, actor):
        raise RoleRefused("该隐患不在您的管辖范围内")
    errors = []
    if level not in ListingLevel.values:
        errors.append(FieldError("level", "invalid_choice", "挂牌层级应为省级、市级或县级"))
    elif not rules.can_list(actor, level):
        raise RoleRefused("只有本级安委办可以以本级名义挂牌督办")
    if hazard.level != Level.MAJOR:
        raise Conflict("not_major", "只有重大事故隐患可以挂牌督办")
    if hazard.status not in OPEN_STATUSES or hazard.status == Status.ACCEPTED:
        raise InvalidState(Action.LIST.label, Status(hazard.status).label)
    if hazard.listings.filter(delisted_at__isnull=True).exists():
        raise Conflict("already_listed", "该隐患已在挂牌督办中")
    authority = inputs.text(
        authority, "authority", "挂牌单位", errors, max_length=MAX_LENGTHS["authority"], required=True
    )
    document_no = inputs.text(
        document_no, "document_no", "督办文号", errors, max_length=MAX_LENGTHS["document_no"], required=True
    )
    deadline = inputs.day(deadline, "deadline", "督办期限", errors)
    if deadline is None and not any(e.field == "deadline" for e in errors):
        errors.append(FieldError("deadline", "required", "督办期限应为日期"))
    if (
        isinstance(report_every_days, bool)
        or not isinstance(report_every_days, int)
        or not 1 <= report_every_days <= 90
    ):
        errors.append(FieldError("report_every_days", "invalid", "进展报告间隔应为1到90天"))
    if errors:
        raise ValidationFailed(errors)
    listing = Listing.objects.create(
        hazard=hazard,
        level=level,
        authority=authority.strip(),
        document_no=document_no.strip(),
        deadline=deadline,
        report_every_days=report_every_days,
        listed_at=now,
        listed_by=actor,
    )
    record_event(
        hazard,
        Action.LIST,
        actor=actor,
        now=now,
        comment=f"{listing.authority} {listing.document_no}",
        data={"level": level, "deadline": deadline.isoformat()},
    )
    audit.record(
        AuditAction.CREATE,
        listing,
        actor=actor,
        after=audit.snapshot(listing),
        region_code=hazard.region_code,
    )
    return listing


@transaction.atomic
def report_progress(hazard: Hazard, text: str, *, actor, now: dt.datetime | None = None) -> ProgressReport:
    now = now or timezone.now()
    listing = hazard.listings.filter(delisted_at__isnull=True).first()
    if listing is None:
        raise Conflict("not_listed", "该隐患未挂牌督办")
    if not in_scope(hazard, actor) or not (rules.can_submit(actor, hazard) or rules.is_authority(actor)):
        raise RoleRefused("您无权报告该隐患的整改进展")
    errors: list[FieldError] = []
    text = inputs.text(text, "text", "进展情况", errors, max_length=inputs.LONG_TEXT, required=True)
    if errors:
        raise ValidationFailed(errors)
    report = ProgressReport.objects.create(
        listing=listing, text=text.strip(), reported_at=now, reported_by=actor
    )
    record_event(hazard, Action.PROGRESS_REPORT, actor=actor, now=now, comment=text.strip())
    audit.record(
        AuditAction.CREATE, report, actor=actor, after=audit.snapshot(report), region_code=hazard.region_code
    )
    return report


@transaction.atomic
def delist(hazard: Hazard, *, actor, comment: str = "", now: dt.datetime | None = None) -> Hazard:
    """摘牌: only after the rectification was accepted; closes the hazard (销号)."""
    now = now or timezone.now()
    listing = hazard.listings.select_for_update().filter(delisted_at__isnull=True).first()
    if listing is None:
        raise Conflict("not_listed", "该隐患未挂牌督办")
    if not in_scope(hazard, actor) or not rules.can_list(actor, listing.level):
        raise RoleRefused("只有挂牌的同级安委办可以摘牌")
    hazard.refresh_from_db()
    if hazard.status != Status.ACCEPTED:
        raise InvalidState(Action.DELIST.label, Status(hazard.status).label)
    errors: list[FieldError] = []
    comment = inputs.text(comment, "text", "摘牌意见", errors, max_length=inputs.LONG_TEXT)
    if errors:
        raise ValidationFailed(errors)
    before = audit.snapshot(hazard)
    if (
        Hazard.objects.filter(pk=hazard.pk, status=Status.ACCEPTED).update(
            status=Status.CLOSED, closed_at=now, updated_at=now
        )
        != 1
    ):
        raise Stale
    listing.delisted_at, listing.delisted_by, listing.delist_comment = now, actor, comment
    listing.save(update_fields=["delisted_at", "delisted_by", "delist_comment"])
    hazard.refresh_from_db()
    record_event(hazard, Action.DELIST, actor=actor, now=now, comment=comment, from_status=Status.ACCEPTED)
    audit.record(
        AuditAction.TRANSITION,
        hazard,
        actor=actor,
        before=before,
        after=audit.snapshot(hazard),
        comment="delist: accepted → closed",
    )
    return hazard
