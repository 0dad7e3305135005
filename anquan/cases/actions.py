"""The steps of a case: each reads its fields, applies the law's checks and hands the changes to the one engine
(workflow.CASE_FLOW.apply). Pages and the API call `transition`; both raise the same NotPermitted (403),
Conflict (409) and ValidationFailed (422), and on any of them nothing is changed."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.db import transaction
from django.utils import timezone

from anquan.core import inputs
from anquan.core.errors import Conflict, FieldError, ValidationFailed
from anquan.core.workdays import add_working_days

from . import measures as m
from . import rules
from .choices import Action, DeliveryMethod, ExtensionLevel
from .fields import Fields
from .models import CaseExtension, CasePayment, EnforcementCase
from .workflow import CASE_FLOW

TEXT_MAX = inputs.LONG_TEXT


@dataclass
class Step:
    changes: dict[str, Any] = field(default_factory=dict)
    data: dict[str, Any] = field(default_factory=dict)
    comment: str = ""
    after: Callable[[EnforcementCase], None] | None = None  # rows written with the change (same transaction)


def _today() -> dt.date:
    return timezone.localdate()


def not_before(value: dt.date, earlier: dt.date | None, name: str, what: str) -> None:
    if earlier is not None and value < earlier:
        raise ValidationFailed(
            [FieldError(name, "too_early", f"日期不能早于{what}（{earlier.isoformat()}）")]
        )


# ---- the law's windows --------------------------------------------------------------------------------


def figures(case: EnforcementCase) -> rules.ProcedureFigures:
    """The procedure figures of the version stored at 立案."""
    if case.rules_version is None:
        raise Conflict("not_opened", "案件尚未立案")
    return rules.procedure(case.rules_version)


def statement_window_end(case: EnforcementCase) -> dt.date | None:
    """The last day of the party's statement (陈述申辩) and hearing request after 告知: the version's statement days
    (calendar) and the law's hearing-request days (working days, Administrative Penalty Law art. 85)."""
    if case.notified_on is None:
        return None
    f = figures(case)
    end = add_working_days(case.notified_on, f.hearing_request_days)
    if f.statement_days:
        end = max(end, case.notified_on + dt.timedelta(days=f.statement_days))
    return end


def delivery_due(case: EnforcementCase) -> dt.date | None:
    """送达 within the law's days (working days, art. 85) of the decision."""
    return add_working_days(case.decided_on, figures(case).delivery_days) if case.decided_on else None


def legal_review_required(case: EnforcementCase) -> bool:
    """法制审核 (law art. 58): the three flags, or a hearing held (重大权益，经过听证程序)."""
    return bool(case.flag_public_interest or case.flag_complex or case.flag_other_law or case.hearing_held_on)


HEARING_KINDS = ("suspend", "license_suspend", "license_revoke", "close")


def hearing_right(case: EnforcementCase) -> bool:
    """Whether the proposed penalty carries the right to a hearing (law art. 63): 责令停产停业、关闭、吊销/暂扣,
    or a fine at the version's 较大数额 (for a person or an organisation); a version without those figures
    (Order 18 not held) gives the right on every fine rather than deny it."""
    proposed = case.proposed_measures or []
    if any(x.get("kind") in HEARING_KINDS for x in proposed):
        return True
    f = figures(case)
    for x in proposed:
        if x.get("kind") != "fine" or x.get("amount_yuan") is None:
            continue
        person = x.get("target") == "person"
        threshold = f.hearing_threshold_person_yuan if person else f.hearing_threshold_organisation_yuan
        if threshold is None or Decimal(str(x["amount_yuan"])) >= threshold:
            return True
    return False


def fine_due(case: EnforcementCase, on: dt.date) -> tuple[Decimal, int, Decimal]:
    """(fine, days late, surcharge) had the rest been paid on `on`."""
    if case.delivered_on is None or not case.fine_total_yuan:
        return Decimal(0), 0, Decimal(0)
    late, extra = m.surcharge(case.fine_total_yuan, case.delivered_on, on, figures(case))
    return case.fine_total_yuan, late, extra


# ---- the steps ---------------------------------------------------------------------------------------


def _approve(case: EnforcementCase, f: Fields, actor: Any) -> Step:
    opened = f.day("opened_on", default=_today())
    comment = f.text("comment")
    f.check()
    not_before(opened, case.applied_on, "opened_on", "立案申请日期")
    version = rules.procedure_in_force(opened, case.region_code)
    limit = rules.procedure(version).decision_days
    deadline = opened + dt.timedelta(days=limit)
    return Step(
        {"opened_on": opened, "rules_version": version, "time_limit_days": limit, "deadline": deadline},
        {"opened_on": opened, "rules_version": version.id, "time_limit_days": limit, "deadline": deadline},
        comment,
    )


def _refuse(case: EnforcementCase, f: Fields, actor: Any) -> Step:
    reason = f.text("reason", required=True)
    f.check()
    return Step(comment=reason)


def _assign(case: EnforcementCase, f: Fields, actor: Any) -> Step:
    from .services import investigators_from

    people = investigators_from(case, f.get("investigators"))

    def write(stored: EnforcementCase) -> None:
        stored.investigators.set(people)

    names = "、".join(p.get_full_name() or p.get_username() for p in people)
    return Step({"investigator_count": len(people)}, {"investigators": [p.pk for p in people]}, names, write)


def _extend(case: EnforcementCase, f: Fields, actor: Any) -> Step:
    level = f.choice("level", ExtensionLevel, "请选择批准层级")
    days = f.whole("days", low=1, high=3650)
    reason = f.text("reason", required=True)
    f.check()
    figs = figures(case)
    cap = figs.extension_head_total_days if level == ExtensionLevel.HEAD else figs.extension_above_total_days
    total = (case.time_limit_days or 0) + case.extended_days + days
    if cap is None:
        raise Conflict(
            "no_extension_rule",
            f"本案适用的规则版本（{case.rules_version.effective_from:%Y-%m-%d}起施行）未规定可由"  # type: ignore[union-attr]
            f"{ExtensionLevel(level).label}延长办案期限",
        )
    if total > cap:
        raise ValidationFailed(
            [
                FieldError(
                    "days",
                    "too_long",
                    f"{ExtensionLevel(level).label}办案期限总计不得超过{cap}日，本次最多延长{max(0, cap - total + days)}日",
                )
            ]
        )
    assert case.opened_on is not None

    def write(stored: EnforcementCase) -> None:
        CaseExtension.objects.create(case=stored, days=days, level=level, reason=reason, approved_by=actor)

    deadline = case.opened_on + dt.timedelta(days=total)
    return Step(
        {"extended_days": case.extended_days + days, "deadline": deadline},
        {"days": days, "level": level, "deadline": deadline},
        reason,
        write,
    )


def _finish(case: EnforcementCase, f: Fields, actor: Any) -> Step:
    report = f.text("report", required=True, max_length=inputs.REPORT_TEXT)
    f.check()
    return Step({"investigation_report": report}, comment="")


FLAGS = ("flag_public_interest", "flag_complex", "flag_other_law", "flag_serious")


def _notify(case: EnforcementCase, f: Fields, actor: Any) -> Step:
    notified = f.day("notified_on", default=_today())
    flags = {name: f.flag(name) for name in FLAGS}
    comment = f.text("comment")
    f.check()
    not_before(notified, case.opened_on, "notified_on", "立案日期")
    proposed = m.parse(f.get("measures"))
    m.check(proposed, notified, case.region_code)
    return Step(
        {"notified_on": notified, "proposed_measures": m.as_json(proposed), **flags},
        {"notified_on": notified, "measures": m.describe(m.as_json(proposed))},
        comment,
    )


def _statement(case: EnforcementCase, f: Fields, actor: Any) -> Step:
    on = f.day("statement_on")
    waived = f.flag("waived")
    requested = f.flag("hearing_requested")
    note = f.text("waiver_note")
    statement = f.text("statement")
    if waived and not note:
        f.refuse("waiver_note", "required", "当事人书面放弃的，请写明放弃声明（书面材料）")
    f.check()
    not_before(on, case.notified_on, "statement_on", "告知日期")
    end = statement_window_end(case)
    if requested and end is not None and on > end:
        raise ValidationFailed(
            [
                FieldError(
                    "hearing_requested",
                    "too_late",
                    f"听证须在告知后{figures(case).hearing_request_days}个工作日内（{end.isoformat()}前）提出",
                )
            ]
        )
    return Step(
        {
            "statement_on": on,
            "statement": statement,
            "hearing_requested": requested,
            "waived": waived,
            "waiver_note": note,
        },
        {"statement_on": on, "hearing_requested": requested, "waived": waived},
        statement or note,
    )


def _hearing(case: EnforcementCase, f: Fields, actor: Any) -> Step:
    if not case.hearing_requested:
        raise Conflict("no_hearing_request", "当事人未要求听证")
    notice = f.day("hearing_notice_on", future=True)
    held = f.day("hearing_held_on")
    comment = f.text("comment")
    f.check()
    not_before(notice, case.notified_on, "hearing_notice_on", "告知日期")
    days = figures(case).hearing_notice_days
    earliest = add_working_days(notice, days)
    if held < earliest:
        raise ValidationFailed(
            [
                FieldError(
                    "hearing_held_on",
                    "too_early",
                    f"听证应在通知后{days}个工作日以后举行（最早{earliest.isoformat()}）",
                )
            ]
        )
    return Step({"hearing_notice_on": notice, "hearing_held_on": held}, {"held_on": held}, comment)


def _legal_review(case: EnforcementCase, f: Fields, actor: Any) -> Step:
    if is_investigator_of(actor, case):
        raise Conflict("separation_of_duties", "办案人员不能对本案进行法制审核")
    on = f.day("reviewed_on", default=_today())
    opinion = f.text("opinion", required=True)
    f.check()
    return Step({"legal_review_on": on, "legal_review_opinion": opinion}, {"reviewed_on": on}, opinion)


def _discuss(case: EnforcementCase, f: Fields, actor: Any) -> Step:
    on = f.day("discussed_on", default=_today())
    note = f.text("note", required=True)
    f.check()
    return Step({"discussion_on": on, "discussion_note": note}, {"discussed_on": on}, note)


def is_investigator_of(actor: Any, case: EnforcementCase) -> bool:
    pk = getattr(actor, "pk", None)
    return pk is not None and case.investigators.filter(pk=pk).exists()


def _decide(case: EnforcementCase, f: Fields, actor: Any) -> Step:
    decided = f.day("decided_on", default=_today())
    comment = f.text("comment")
    f.check()
    not_before(decided, case.notified_on, "decided_on", "告知日期")
    end = statement_window_end(case)
    if end is not None and decided <= end and not case.waived:
        raise Conflict(
            "statement_window_open",
            f"当事人陈述申辩、要求听证的期限至{end.isoformat()}届满，届满前不得作出决定（当事人书面放弃的除外）",
        )
    if case.hearing_requested and not case.hearing_held_on:
        raise Conflict("hearing_pending", "当事人已要求听证，听证后方可作出决定")
    decided_measures = m.parse(f.get("measures"))
    version = m.check(decided_measures, decided, case.region_code)
    if legal_review_required(case) and not case.legal_review_on:
        raise Conflict(
            "legal_review_required", "本案须经法制审核（行政处罚法第五十八条），审核后方可作出决定"
        )
    if m.needs_discussion(decided_measures, figures(case), case.flag_serious) and not case.discussion_on:
        raise Conflict("discussion_required", "本案须经负责人集体讨论决定，请先记录集体讨论")
    stored = m.as_json(decided_measures)
    total = m.fine_total(decided_measures)
    return Step(
        {"decided_on": decided, "measures": stored, "fine_total_yuan": total, "articles_version": version},
        {"decided_on": decided, "measures": m.describe(stored), "fine_total_yuan": total},
        comment,
    )


def _deliver(case: EnforcementCase, f: Fields, actor: Any) -> Step:
    on = f.day("delivered_on")
    method = f.choice("method", DeliveryMethod, "请选择送达方式")
    f.check()
    not_before(on, case.decided_on, "delivered_on", "决定日期")
    due = delivery_due(case)
    late = due is not None and on > due
    return Step(
        {"delivered_on": on, "delivery_method": method},
        {"delivered_on": on, "method": method, "late": late},
        f"超过{figures(case).delivery_days}个工作日送达" if late else "",
    )


def _pay(case: EnforcementCase, f: Fields, actor: Any) -> Step:
    on = f.day("paid_on")
    amount = f.money("amount_yuan")
    f.check()
    not_before(on, case.delivered_on, "paid_on", "送达日期")
    fine, late, extra = fine_due(case, on)

    def write(stored: EnforcementCase) -> None:
        CasePayment.objects.create(
            case=stored,
            paid_on=on,
            amount_yuan=amount,
            days_late=late,
            surcharge_yuan=extra,
            recorded_by=actor,
        )

    return Step(
        {"paid_yuan": case.paid_yuan + amount},
        {"paid_on": on, "amount_yuan": amount, "days_late": late, "surcharge_yuan": extra},
        f"逾期{late}日，加处罚款{m.yuan(extra)}" if late else "",
        write,
    )


def _daily_penalty(case: EnforcementCase, f: Fields, actor: Any) -> Step:
    if not case.fine_total_yuan:
        raise Conflict("no_fine", "按日连续处罚须以罚款处罚为前提（安全生产法第一百一十二条）")
    start = f.day("from_date")
    days = f.whole("days", low=1, high=3650)
    comment = f.text("comment")
    f.check()
    not_before(start, case.decided_on, "from_date", "决定日期")
    total = m.daily_penalty(case.fine_total_yuan, days)
    return Step(
        {"daily_penalty_from": start, "daily_penalty_days": days, "daily_penalty_yuan": total},
        {"from_date": start, "days": days, "total_yuan": total},
        comment or f"自{start.isoformat()}起按原罚款数额按日连续处罚{days}日，共{m.yuan(total)}",
    )


def _court(case: EnforcementCase, f: Fields, actor: Any) -> Step:
    on = f.day("applied_on")
    comment = f.text("comment")
    f.check()
    not_before(on, case.delivered_on, "applied_on", "送达日期")
    return Step({"court_applied_on": on}, {"applied_on": on}, comment)


def _request_close(case: EnforcementCase, f: Fields, actor: Any) -> Step:
    comment = f.text("comment")
    f.check()
    if case.fine_total_yuan and case.paid_yuan < case.fine_total_yuan and not case.court_applied_on:
        raise Conflict("fine_unpaid", "罚款尚未缴清，也未申请法院强制执行，不能申请结案")
    return Step(comment=comment)


def _approve_close(case: EnforcementCase, f: Fields, actor: Any) -> Step:
    on = f.day("closed_on", default=_today())
    comment = f.text("comment")
    f.check()
    return Step({"closed_on": on}, {"closed_on": on}, comment)


def _return_close(case: EnforcementCase, f: Fields, actor: Any) -> Step:
    reason = f.text("reason", required=True)
    f.check()
    return Step(comment=reason)


STEPS: dict[str, Callable[[EnforcementCase, Fields, Any], Step]] = {
    Action.APPROVE: _approve,
    Action.REFUSE: _refuse,
    Action.ASSIGN: _assign,
    Action.EXTEND: _extend,
    Action.FINISH_INVESTIGATION: _finish,
    Action.NOTIFY: _notify,
    Action.STATEMENT: _statement,
    Action.HEARING: _hearing,
    Action.LEGAL_REVIEW: _legal_review,
    Action.DISCUSS: _discuss,
    Action.DECIDE: _decide,
    Action.DELIVER: _deliver,
    Action.PAY: _pay,
    Action.DAILY_PENALTY: _daily_penalty,
    Action.COURT: _court,
    Action.REQUEST_CLOSE: _request_close,
    Action.APPROVE_CLOSE: _approve_close,
    Action.RETURN_CLOSE: _return_close,
}
# a step whose outcome was computed from a column read before: the column joins the compare-and-set
EXPECT: dict[str, str] = {
    Action.EXTEND: "extended_days",
    Action.PAY: "paid_yuan",
    Action.STATEMENT: "notified_on",
    Action.DECIDE: "waived",
}


@transaction.atomic
def transition(case: EnforcementCase, action: str, *, actor: Any, **fields: Any) -> EnforcementCase:
    """Take `action` on `case` as `actor`: scope (404), stage (409), role (403), guards (409) first, then the
    fields (422) and the law's checks (409), then one compare-and-set with its event and audit entry."""
    CASE_FLOW.accept_fields(action, fields)
    case = EnforcementCase.objects.select_related(*CASE_FLOW.select_related).get(pk=case.pk)
    CASE_FLOW.check(case, action, actor)
    step = STEPS[action](case, Fields(fields, dict(CASE_FLOW.field_labels)), actor)
    expect = {EXPECT[action]: getattr(case, EXPECT[action])} if action in EXPECT else None
    stored, _ = CASE_FLOW.apply(
        case, action, actor=actor, changes=step.changes, comment=step.comment, data=step.data, expect=expect
    )
    if step.after is not None:
        step.after(stored)
    from .paperwork import issue_for_step  # the documents the step produces, in this transaction

    issue_for_step(stored, action, actor)
    return stored
