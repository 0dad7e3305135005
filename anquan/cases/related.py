"""Records that hang off a case with their own life: the referral to the police (移送司法机关, State Council
Order 310 art. 5: ≥ 2 officers, the head decides within 3 days, transfer within 24 hours; the police answer) and
the serious-dishonesty list (失信名单, MEM Order 11: listing, its period, early removal)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db import transaction
from django.utils import timezone

from anquan.core import audit
from anquan.core.errors import Conflict, FieldError, NotPermitted, ValidationFailed
from anquan.core.models import AuditAction
from anquan.core.scope import CHANGE, in_scope
from anquan.core.workflow import Transition, Workflow

from . import rules
from .choices import ListingCondition, ListingStatus, PoliceAnswer, Stage
from .fields import Fields
from .models import CreditListing, EnforcementCase, Referral
from .services import investigators_from
from .workflow import REFERRAL_FLOW, is_officer, is_supervisor


def _writable(case: EnforcementCase, actor: Any) -> None:
    from django.http import Http404

    if not in_scope(case, actor):
        raise Http404
    if not in_scope(case, actor, CHANGE) or not is_officer(actor, case):
        raise NotPermitted("只有本案的办案人员或本部门负责人可以执行此操作")


MAX_PERSONS = 50


def _persons(raw: Any) -> list[str]:
    """The names of the people referred (移送的涉嫌犯罪人员): at least one, each once."""
    if isinstance(raw, str):
        raw = [p for p in raw.replace("，", ",").replace("、", ",").replace("\n", ",").split(",")]
    if not isinstance(raw, list | tuple):
        raw = []
    names: list[str] = []
    for item in raw:
        name = str(item or "").strip()
        if len(name) > 50:
            raise ValidationFailed([FieldError("persons", "too_long", "每个姓名不超过50字")])
        if name and name not in names:
            names.append(name)
    if not names:
        raise ValidationFailed([FieldError("persons", "required", "请填写移送的涉嫌犯罪人员姓名")])
    if len(names) > MAX_PERSONS:
        raise ValidationFailed([FieldError("persons", "too_many", f"移送人员不超过{MAX_PERSONS}人")])
    return names


@transaction.atomic
def propose_referral(case: EnforcementCase, raw: dict[str, Any], *, actor: Any) -> Referral:
    """专案组 of two or more officers proposes the referral; the head then decides (REFERRAL_FLOW)."""
    _writable(case, actor)
    if case.status in (Stage.PENDING_APPROVAL, Stage.NOT_OPENED):
        raise Conflict("not_opened", "案件尚未立案，不能移送")
    people = investigators_from(case, raw.get("officers"), "officers")
    if len(people) < 2:
        raise ValidationFailed([FieldError("officers", "too_few", "移送须由2名以上执法人员组成专案组")])
    persons = _persons(raw.get("persons"))
    f = Fields(raw)
    crime = f.text("suspected_crime", required=True, max_length=200)
    reason = f.text("reason", required=True)
    at = f.moment("proposed_at")
    f.check()
    referral = Referral.objects.create(
        case=case,
        persons=persons,
        person_count=len(persons),
        suspected_crime=crime,
        reason=reason,
        proposed_at=at,
        officer_count=len(people),
    )
    referral.officers.set(people)
    audit.record(AuditAction.CREATE, referral, actor=actor, after=audit.snapshot(referral))
    return referral


@transaction.atomic
def move_referral(referral: Referral, action: str, *, actor: Any, **fields: Any) -> Referral:
    REFERRAL_FLOW.accept_fields(action, fields)
    referral = Referral.objects.select_related("case").get(pk=referral.pk)
    REFERRAL_FLOW.check(referral, action, actor)
    changes: dict[str, Any] = {}
    comment = ""
    f = Fields(fields, dict(REFERRAL_FLOW.field_labels))
    if action in ("approve", "decline"):
        at = f.moment("decided_at")
        comment = f.text("reason")
        f.check()
        if at < referral.proposed_at:
            raise ValidationFailed([FieldError("decided_at", "too_early", "决定时间不能早于提出移送的时间")])
        changes = {"decided_at": at, "decided_by": actor}
        if at > referral.decision_due:
            comment = (comment + "；" if comment else "") + "超过3日作出决定"
    elif action == "transfer":
        at = f.moment("transferred_at")
        unit = f.text("police_unit", required=True, max_length=100)
        f.check()
        assert referral.decided_at is not None
        if at < referral.decided_at:
            raise ValidationFailed([FieldError("transferred_at", "too_early", "移送时间不能早于批准时间")])
        changes = {"transferred_at": at, "police_unit": unit}
        if at > referral.decided_at + Referral.TRANSFER_WITHIN:
            comment = "超过24小时移送"
    elif action == "answer":
        answer = f.choice("answer", PoliceAnswer, "请选择公安机关的答复：立案、不予立案或退回")
        on = f.day("answered_on")
        note = f.text("note")
        f.check()
        if referral.transferred_at and on < timezone.localtime(referral.transferred_at).date():
            raise ValidationFailed([FieldError("answered_on", "too_early", "答复日期不能早于移送日期")])
        changes = {"police_answer": answer, "answered_on": on, "answer_note": note}
        comment = str(PoliceAnswer(answer).label)
    stored, _ = REFERRAL_FLOW.apply(referral, action, actor=actor, changes=changes, comment=comment)
    if (
        action == "transfer"
    ):  # 案件移送书, in this transaction: refused with the step when it cannot be issued
        from .paperwork import issue_referral

        issue_referral(stored, actor)
    return stored


# ---- 失信名单 ---------------------------------------------------------------------------------------


def _lists(user: Any, listing: Any) -> bool:
    return is_supervisor(user, listing.case)


LISTING_FLOW: Workflow[CreditListing] = Workflow(
    model=CreditListing,
    event_model=None,
    event_parent="",
    transitions={
        "remove": Transition(
            "提前移出",
            (ListingStatus.LISTED,),
            ListingStatus.REMOVED,
            _lists,
            "只有作出列入决定的部门负责人可以移出",
            fields=("removed_on", "reason"),
            required=("reason",),
        ),
        "expire": Transition(
            "期满移出",
            (ListingStatus.LISTED,),
            ListingStatus.EXPIRED,
            _lists,
            "只有作出列入决定的部门负责人可以移出",
            fields=("removed_on",),
        ),
    },
    status_labels={s.value: s.label for s in ListingStatus},
    field_labels={"reason": "移出理由"},
    stale_message="该名单记录已被他人处理，请刷新后重试",
    select_related=("case",),
)


def _add_months(day_: dt.date, months: int) -> dt.date:
    month = day_.month - 1 + months
    year, month = day_.year + month // 12, month % 12 + 1
    for d in (day_.day, 30, 29, 28):
        try:
            return dt.date(year, month, d)
        except ValueError:
            continue
    raise AssertionError("unreachable")


@transaction.atomic
def list_enterprise(case: EnforcementCase, raw: dict[str, Any], *, actor: Any) -> CreditListing:
    """列入名单 by the unit that decided the penalty (谁处罚、谁决定), with the period of the version in force."""
    _writable(case, actor)
    if not is_supervisor(actor, case):
        raise NotPermitted("只有作出处罚决定的部门负责人可以决定列入失信名单")
    if case.decided_on is None:
        raise Conflict("not_decided", "作出行政处罚决定后方可列入失信名单")
    f = Fields(raw)
    condition = f.choice("condition", ListingCondition, "请选择列入情形")
    listed = f.day("listed_on", default=timezone.localdate())
    reason = f.text("reason", required=True)
    f.check()
    version, figures = rules.credit_list_in_force(listed, case.region_code)
    listing = CreditListing.objects.create(
        case=case,
        condition=condition,
        reason=reason,
        rules_version=version,
        listed_on=listed,
        ends_on=_add_months(listed, 12 * figures.period_years),
        removable_from=_add_months(listed, figures.early_removal_after_months),
        listed_by=actor,
    )
    audit.record(AuditAction.CREATE, listing, actor=actor, after=audit.snapshot(listing))
    return listing


@transaction.atomic
def move_listing(listing: CreditListing, action: str, *, actor: Any, **fields: Any) -> CreditListing:
    LISTING_FLOW.accept_fields(action, fields)
    listing = CreditListing.objects.select_related("case").get(pk=listing.pk)
    LISTING_FLOW.check(listing, action, actor)
    f = Fields(fields, dict(LISTING_FLOW.field_labels))
    on = f.day("removed_on", default=timezone.localdate())
    reason = f.text("reason")
    f.check()
    if action == "remove" and on < listing.removable_from:
        raise Conflict(
            "too_early_to_remove", f"列入满期限后方可申请提前移出（{listing.removable_from.isoformat()}起）"
        )
    if action == "expire" and on < listing.ends_on:
        raise Conflict("not_expired", f"管理期限至{listing.ends_on.isoformat()}届满")
    stored, _ = LISTING_FLOW.apply(
        listing,
        action,
        actor=actor,
        changes={"removed_on": on, "removal_reason": reason},
        comment=reason,
    )
    return stored
