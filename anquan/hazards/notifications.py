"""Who hears about a hazard's steps: the roles each step concerns, among the users who can see the
hazard (`scope.who_can_see`), so nobody is sent a link that answers 404."""

from django.urls import reverse

from anquan.accounts.models import User
from anquan.core.notify import notify
from anquan.core.permissions import Role
from anquan.core.scope import who_can_see

from .choices import Action, Level, Source


def enterprise_users(hazard):
    if not hazard.enterprise_id:
        return User.objects.none()
    return who_can_see(hazard).filter(enterprise_id=hazard.enterprise_id)


def _seeing(hazard, people) -> list:
    """Those of `people` (None allowed) who can see the hazard."""
    wanted = {p.pk for p in people if p is not None}
    return list(who_can_see(hazard).filter(pk__in=wanted)) if wanted else []


def reviewers(hazard):
    """Accounts that can accept the rectification, by the rule in rules.can_review, among those who see it
    at the hazard's place and the levels above (not the grids below)."""
    chain = [r.code for r in hazard.region.ancestors()] + [hazard.region.code]
    nearby = who_can_see(hazard).filter(region_code__in=chain)
    if hazard.level == Level.MAJOR:
        return nearby.filter(
            role__in=[Role.DEPARTMENT_SUPERVISOR, Role.INSPECTOR],
            department_id=hazard.supervising_department_id,
        )
    if hazard.source == Source.INSPECTION:
        return nearby.filter(
            role__in=[Role.DEPARTMENT_SUPERVISOR, Role.INSPECTOR], department_id=hazard.found_department_id
        )
    if hazard.source == Source.SELF_CHECK:
        return enterprise_users(hazard)
    return nearby.filter(role__in=[Role.TOWNSHIP_OFFICE, Role.COUNTY_OFFICE])


def notify_for_transition(hazard, action: str, actor) -> None:
    url = reverse("hazards:detail", args=[hazard.pk])
    title = f"隐患#{hazard.pk}（{hazard.place}）"
    if action == Action.ASSIGN:
        people = _seeing(hazard, [*enterprise_users(hazard), hazard.responsible_user])
        notify(people, f"{title}须在{hazard.deadline:%Y年%m月%d日}前完成整改", body=hazard.measures, url=url)
    elif action == Action.SUBMIT:
        notify(
            list(reviewers(hazard).exclude(pk=actor.pk)),
            f"{title}已提交整改，请验收",
            body=hazard.evidence,
            url=url,
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
        notify([p for p in _seeing(hazard, people) if p.pk != actor.pk], f"{title}{verb}", url=url)
    elif action == Action.REQUEST_EXTENSION:
        notify(
            list(reviewers(hazard).exclude(pk=actor.pk)),
            f"{title}申请延期，请审批",
            body=hazard.extension_reason,
            url=url,
        )
