"""Who hears about a hazard's steps: the roles each step concerns, among the users who can see the
hazard (`scope.who_can_see`), so nobody is sent a link that answers 404.

Three things on top of the step's own message (issue #12):
- a report that waits for acceptance (a grid patrol, a tip-off, an alarm) is announced to the township and
  county offices of its place (`notify_reported`);
- whoever reported the hazard hears of every step it takes ("您上报的隐患已受理 … 已销号");
- a notification that announces a task (to accept, rectify, review, decide an extension) names it (the hazard
  and the status it waits in) and is cleared for everyone once the hazard has moved on (`core.notify.resolve`).
"""

from __future__ import annotations

from typing import Any

from django.urls import reverse

from anquan.accounts.models import User
from anquan.core.choices import NotificationKind as Kind
from anquan.core.notify import notify, resolve
from anquan.core.permissions import Role
from anquan.core.scope import who_can_see

from .choices import Action, Level, ListingLevel, Source, Status
from .models import Hazard, HazardEvent

EXTENSION = "extension"  # the step an extension request waits in (the status stays `rectifying`)
OPEN = "open"  # a reminder that stands while the hazard is open (a listed hazard's progress report)
# who delists a hazard listed at each level (rules.can_list: the office of that level)
LISTING_OFFICES = {
    ListingLevel.PROVINCE: Role.PROVINCE_OFFICE,
    ListingLevel.CITY: Role.CITY_OFFICE,
    ListingLevel.COUNTY: Role.COUNTY_OFFICE,
}

# what the person who reported the hazard is told at each step
FEEDBACK = {
    Action.ACCEPT: "已受理",
    Action.REJECT: "未予受理",
    Action.ASSIGN: "已交办整改",
    Action.SUBMIT: "已整改完毕，等待验收",
    Action.RETURN: "整改未通过验收，已退回继续整改",
    Action.CANCEL: "已撤销",
    Action.DELIST: "已摘牌销号",
}


def subject(hazard: Hazard) -> str:
    return f"hazard:{hazard.pk}"


def open_steps(hazard: Hazard) -> set[str]:
    """The steps that still wait on the hazard: its status, a pending extension request, and `open`."""
    steps = {hazard.status}
    if hazard.extension_requested_until is not None:
        steps.add(EXTENSION)
    if hazard.is_open:
        steps.add(OPEN)
    return steps


def enterprise_users(hazard):
    if not hazard.enterprise_id:
        return User.objects.none()
    return who_can_see(hazard).filter(enterprise_id=hazard.enterprise_id)


def seeing(hazard, people) -> list:
    """Those of `people` (None allowed) who can see the hazard."""
    wanted = {p.pk for p in people if p is not None}
    return list(who_can_see(hazard).filter(pk__in=wanted)) if wanted else []


def nearby(hazard):
    """Those who see the hazard at its place and the levels above (not the grids below)."""
    chain = [r.code for r in hazard.region.ancestors()] + [hazard.region.code]
    return who_can_see(hazard).filter(region_code__in=chain)


def reviewers(hazard):
    """Accounts that can accept the rectification, by the rule in rules.can_review, among those who see it
    at the hazard's place and the levels above (not the grids below)."""
    around = nearby(hazard)
    if hazard.level == Level.MAJOR:
        return around.filter(
            role__in=[Role.DEPARTMENT_SUPERVISOR, Role.INSPECTOR],
            department_id=hazard.supervising_department_id,
        )
    if hazard.source == Source.INSPECTION:
        return around.filter(
            role__in=[Role.DEPARTMENT_SUPERVISOR, Role.INSPECTOR], department_id=hazard.found_department_id
        )
    if hazard.source == Source.SELF_CHECK:
        return enterprise_users(hazard)
    return around.filter(role__in=[Role.TOWNSHIP_OFFICE, Role.COUNTY_OFFICE])


def hazard_title(hazard: Hazard) -> str:
    """How a notice names the hazard: by its business number (ADR 0021) and place."""
    return f"隐患{hazard.label}（{hazard.place}）"


def hazard_url(hazard: Hazard) -> str:
    return reverse("hazards:detail", args=[hazard.pk])


def notify_reported(hazard: Hazard, actor: Any) -> None:
    """A report that waits for acceptance: the township and county offices of its place are asked to accept it
    (in the report's transaction)."""
    if hazard.status != Status.REPORTED:
        return
    offices = nearby(hazard).filter(role__in=[Role.TOWNSHIP_OFFICE, Role.COUNTY_OFFICE]).exclude(pk=actor.pk)
    notify(
        list(offices),
        f"新上报{hazard_title(hazard)}，请受理",
        body=f"{hazard.get_source_display()}：{hazard.description}",
        url=hazard_url(hazard),
        kind=Kind.HAZARD_ACCEPT,
        subject=subject(hazard),
        step=Status.REPORTED,
    )


def _comment(hazard: Hazard, action: str) -> str:
    event = HazardEvent.objects.filter(hazard=hazard, action=action).order_by("-id").first()
    return event.comment if event is not None else ""


def _feedback(hazard: Hazard, action: str, actor: Any) -> list:
    """Tell the person who reported the hazard what became of it; returns who was told."""
    verb = FEEDBACK.get(action)
    if action == Action.ACCEPT_RECTIFICATION:
        verb = "整改已验收，等待摘牌" if hazard.status == Status.ACCEPTED else "整改已验收，已销号"
    reporter = hazard.found_by
    if verb is None or reporter is None or reporter.pk == getattr(actor, "pk", None):
        return []
    told = seeing(hazard, [reporter])
    comment = _comment(hazard, action) if action in (Action.REJECT, Action.RETURN, Action.CANCEL) else ""
    notify(
        told,
        f"您上报的{hazard_title(hazard)}{verb}",
        body=comment,
        url=hazard_url(hazard),
        kind=Kind.HAZARD_FEEDBACK,
    )
    return told


def notify_for_transition(hazard: Hazard, action: str, actor: Any) -> None:
    """Inside the step's transaction: clear the tasks it finished, tell the reporter, announce what waits now."""
    resolve(subject(hazard), open_steps(hazard))
    told = {p.pk for p in _feedback(hazard, action, actor)}
    url, title, about = hazard_url(hazard), hazard_title(hazard), subject(hazard)

    def others(people) -> list:
        return [p for p in people if p.pk != actor.pk and p.pk not in told]

    if action == Action.ASSIGN:
        people = seeing(hazard, [*enterprise_users(hazard), hazard.responsible_user])
        notify(
            others(people),
            f"{title}须在{hazard.deadline:%Y年%m月%d日}前完成整改",
            body=hazard.measures,
            url=url,
            kind=Kind.HAZARD_RECTIFY,
            subject=about,
            step=Status.RECTIFYING,
        )
    elif action == Action.SUBMIT:
        notify(
            others(reviewers(hazard)),
            f"{title}已提交整改，请验收",
            body=hazard.evidence,
            url=url,
            kind=Kind.HAZARD_REVIEW,
            subject=about,
            step=Status.SUBMITTED,
        )
    elif action in (
        Action.RETURN,
        Action.ACCEPT_RECTIFICATION,
        Action.GRANT_EXTENSION,
        Action.DENY_EXTENSION,
    ):
        people = list(enterprise_users(hazard)) + [hazard.responsible_user, hazard.submitted_by]
        verb = {
            Action.RETURN: "整改被退回",
            Action.ACCEPT_RECTIFICATION: "整改已验收",
            Action.GRANT_EXTENSION: "延期已批准",
            Action.DENY_EXTENSION: "延期未获批准",
        }[action]
        returned = action == Action.RETURN  # a returned rectification is a task again
        notify(
            others(seeing(hazard, people)),
            f"{title}{verb}",
            url=url,
            kind=Kind.HAZARD_RECTIFY if returned else Kind.HAZARD_PROGRESS,
            subject=about if returned else "",
            step=Status.RECTIFYING if returned else "",
        )
    if action == Action.ACCEPT_RECTIFICATION and hazard.status == Status.ACCEPTED:
        notify(
            others(nearby(hazard).filter(role=LISTING_OFFICES[hazard.listed_level])),
            f"挂牌督办{title}整改已验收，请摘牌销号",
            url=url,
            kind=Kind.HAZARD_DELIST,
            subject=about,
            step=Status.ACCEPTED,
        )
    if action == Action.REQUEST_EXTENSION:
        notify(
            others(reviewers(hazard)),
            f"{title}申请延期，请审批",
            body=hazard.extension_reason,
            url=url,
            kind=Kind.HAZARD_EXTENSION,
            subject=about,
            step=EXTENSION,
        )


# a 催办 is grouped with the task it presses
URGED_KINDS = {
    Status.REPORTED: Kind.HAZARD_ACCEPT,
    Status.CONFIRMED: Kind.HAZARD_RECTIFY,
    Status.RECTIFYING: Kind.HAZARD_RECTIFY,
    Status.SUBMITTED: Kind.HAZARD_REVIEW,
    Status.ACCEPTED: Kind.HAZARD_DELIST,
}


def notify_urged(hazard: Hazard, event: HazardEvent | None, *, bar: Any, to: list) -> None:
    """催办 (in its transaction): `to` (dossier.urge_recipients: whoever holds the current step and the township
    office) hear what waits, with `bar`'s (dossier.step_bar) countdown; cleared once the urged step is done."""
    title = f"催办：{hazard_title(hazard)}{bar.waiting}"
    if bar.countdown:
        title += f"，{bar.countdown}"
    notify(
        to,
        title + "，请尽快办理",
        body=event.comment if event is not None else "",
        url=hazard_url(hazard),
        kind=URGED_KINDS.get(hazard.status, Kind.OTHER),
        subject=subject(hazard),
        step=hazard.status,
    )
