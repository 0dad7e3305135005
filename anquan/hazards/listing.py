"""挂牌督办: listing a major hazard for supervision, progress reports, and delisting after acceptance.

Listing and delisting are transitions of the hazard workflow (workflow.py: `list` keeps the status, `delist`
closes an accepted hazard): their preconditions — a major hazard, listed by one level at a time, delisted only
once accepted and by the level that listed it — are part of the engine's compare-and-set, so two simultaneous
listings or delistings give one success and one 409. The Listing row each writes is audited as well."""

from __future__ import annotations

import datetime as dt

from django.db import transaction
from django.http import Http404
from django.utils import timezone

from anquan.core import audit, inputs
from anquan.core.models import AuditAction
from anquan.core.scope import in_scope

from . import rules
from .actions import record_event
from .choices import Action, ListingLevel
from .errors import Conflict, FieldError, RoleRefused, ValidationFailed
from .models import Hazard, Listing, ProgressReport
from .workflow import HAZARD_FLOW

MAX_LENGTHS = {
    "authority": Listing._meta.get_field("authority").max_length,
    "document_no": Listing._meta.get_field("document_no").max_length,
}


def _fresh(hazard: Hazard) -> Hazard:
    return Hazard.objects.select_related("enterprise", "region").get(pk=hazard.pk)


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
    hazard = _fresh(hazard)
    HAZARD_FLOW.check(hazard, Action.LIST, actor)  # scope, state, an office that lists, major, not listed
    errors: list[FieldError] = []
    if level not in ListingLevel.values:
        errors.append(FieldError("level", "invalid_choice", "挂牌层级应为省级、市级或县级"))
    elif not rules.can_list(actor, level):
        raise RoleRefused("只有本级安委办可以以本级名义挂牌督办")
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
    authority, document_no = authority.strip(), document_no.strip()
    HAZARD_FLOW.apply(
        hazard,
        Action.LIST,
        actor=actor,
        changes={"listed_level": level},
        comment=f"{authority} {document_no}",
        data={"level": level, "deadline": deadline.isoformat()},
        now=now,
    )
    listing = Listing.objects.create(
        hazard=hazard,
        level=level,
        authority=authority,
        document_no=document_no,
        deadline=deadline,
        report_every_days=report_every_days,
        listed_at=now,
        listed_by=actor,
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
    """A progress report on a listed hazard: no transition (the hazard does not change), an event and a row."""
    now = now or timezone.now()
    if not in_scope(hazard, actor):
        raise Http404
    listing = hazard.listings.filter(delisted_at__isnull=True).first()
    if listing is None:
        raise Conflict("not_listed", "该隐患未挂牌督办")
    if not (rules.can_submit(actor, hazard) or rules.is_authority(actor)):
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
    """摘牌: only after the rectification was accepted, by the level that listed it; closes the hazard (销号)."""
    now = now or timezone.now()
    hazard = _fresh(hazard)
    HAZARD_FLOW.check(hazard, Action.DELIST, actor)  # scope, accepted, the listing level's office, listed
    errors: list[FieldError] = []
    comment = inputs.text(comment, "text", "摘牌意见", errors, max_length=inputs.LONG_TEXT)
    if errors:
        raise ValidationFailed(errors)
    closed, _event = HAZARD_FLOW.apply(
        hazard,
        Action.DELIST,
        actor=actor,
        changes={"listed_level": "", "closed_at": now},
        comment=comment,
        data={"level": hazard.listed_level},
        now=now,
    )
    listing = hazard.listings.filter(delisted_at__isnull=True).first()
    if listing is not None:
        before = audit.snapshot(listing)
        listing.delisted_at, listing.delisted_by, listing.delist_comment = now, actor, comment
        listing.save(update_fields=["delisted_at", "delisted_by", "delist_comment"])
        audit.record(
            AuditAction.UPDATE,
            listing,
            actor=actor,
            before=before,
            after=audit.snapshot(listing),
            comment="摘牌",
            region_code=hazard.region_code,
        )
    return closed
