"""The dossier (一患一档) says who acts next: the step bar 上报 → 受理 → 整改 → 验收 → 销号 with the current step's
owner and deadline countdown, who a 催办 reaches, and the photos before and after the rectification."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db.models import QuerySet
from django.utils import timezone

from anquan.accounts.models import User
from anquan.core import workdays
from anquan.core.permissions import Role
from anquan.core.scope import who_can_see
from anquan.regions.choices import RegionLevel

from .choices import AttachmentStage, Level, Source, Status
from .models import Attachment, Hazard
from .notifications import enterprise_users, nearby, reviewers, seeing

STEPS = ("上报", "受理", "整改", "验收", "销号")
# how many steps a hazard in each status has completed (the current one is the next)
DONE = {
    Status.REPORTED: 1,
    Status.CONFIRMED: 2,
    Status.RECTIFYING: 2,
    Status.SUBMITTED: 3,
    Status.ACCEPTED: 4,
    Status.CLOSED: 5,
    Status.REJECTED: 1,
    Status.CANCELLED: 1,
}
# what the current step waits for, where the status says more than the step's name
WAITING = {
    Status.REPORTED: "待受理",
    Status.CONFIRMED: "待部署整改",
    Status.RECTIFYING: "整改中",
    Status.SUBMITTED: "待验收",
    Status.ACCEPTED: "待摘牌销号",
}


@dataclass
class Step:
    label: str
    state: str  # done | current | stopped | todo
    at: dt.datetime | None = None


@dataclass
class StepBar:
    steps: list[Step]
    waiting: str = ""  # 待验收 …, "" when the hazard is finished
    owner: str = ""  # who acts next, as people name them
    deadline: dt.date | None = None
    countdown: str = ""  # 剩余 3 天 / 今天到期 / 超期 5 天
    late: bool = False
    ended: str = ""  # 已销号 / 已退回 / 已撤销


countdown = workdays.countdown  # one wording everywhere: 剩余 N 天 / 今天到期 / 超期 N 天


def _county_name(hazard: Hazard) -> str:
    if hazard.region.level <= RegionLevel.COUNTY:
        return hazard.region.name
    return _ancestor_name(hazard, RegionLevel.COUNTY)


def _ancestor_name(hazard: Hazard, level: int) -> str:
    for region in [*hazard.region.ancestors(), hazard.region]:
        if region.level == level:
            return region.name
    return hazard.region.name


def _office(hazard: Hazard) -> str:
    """The committee office nearest the place: its township's, else its county's."""
    level = RegionLevel.TOWNSHIP if hazard.region.level >= RegionLevel.TOWNSHIP else hazard.region.level
    return f"{_ancestor_name(hazard, level)}安委办"


def _department(hazard: Hazard, department) -> str:
    return f"{_county_name(hazard)}{department.name}" if department is not None else _office(hazard)


def owner_of(hazard: Hazard) -> str:
    """Who acts next on the hazard, as people name them (the rules in rules.py, said in words)."""
    status = hazard.status
    if status == Status.REPORTED:
        return _department(hazard, hazard.supervising_department)
    if status == Status.CONFIRMED:
        if hazard.source == Source.SELF_CHECK and hazard.enterprise_id:
            return hazard.enterprise.name
        return _department(hazard, hazard.supervising_department)
    if status == Status.RECTIFYING:
        return hazard.responsible_party or (
            hazard.enterprise.name if hazard.enterprise_id else _office(hazard)
        )
    if status == Status.SUBMITTED:
        if hazard.level == Level.MAJOR:
            return _department(hazard, hazard.supervising_department)
        if hazard.source == Source.INSPECTION and hazard.found_department_id:
            return _department(hazard, hazard.found_department)
        if hazard.source == Source.SELF_CHECK and hazard.enterprise_id:
            return hazard.enterprise.name
        return _department(hazard, hazard.supervising_department)
    if status == Status.ACCEPTED:
        listing = hazard.active_listing
        return listing.authority if listing else _office(hazard)
    return ""


def _deadline(hazard: Hazard) -> dt.date | None:
    if hazard.status == Status.RECTIFYING:
        return hazard.deadline
    if hazard.status in (Status.REPORTED, Status.CONFIRMED, Status.SUBMITTED, Status.ACCEPTED):
        listing = hazard.active_listing
        return listing.deadline if listing else None
    return None


def _completed_at(hazard: Hazard) -> list[dt.datetime | None]:
    """When each step was completed, from the hazard's events."""
    times: dict[str, dt.datetime] = {}
    for event in hazard.events.all():
        times.setdefault(event.action, event.at)
    report = times.get("report", hazard.found_at)
    accepted = times.get("accept") or (report if hazard.source not in _WAITING_SOURCES else None)
    return [report, accepted, hazard.submitted_at, hazard.accepted_at, hazard.closed_at]


_WAITING_SOURCES = {Source.GRID_PATROL, Source.TIP_OFF, Source.ALARM}


def step_bar(hazard: Hazard, today: dt.date | None = None) -> StepBar:
    today = today or timezone.localdate()
    status = hazard.status
    done = DONE[status]
    if status == Status.CANCELLED:  # stopped where it was when cancelled
        cancel = next((e for e in hazard.events.all() if e.action == "cancel"), None)
        done = DONE.get(cancel.from_status, 1) if cancel else 1
    times = _completed_at(hazard)
    steps = []
    for i, label in enumerate(STEPS):
        if i < done:
            state = "done"
        elif i == done:
            state = "stopped" if status in (Status.REJECTED, Status.CANCELLED) else "current"
        else:
            state = "todo"
        steps.append(Step(label, state, times[i] if state == "done" else None))
    ended = {Status.CLOSED: "已销号", Status.REJECTED: "已退回", Status.CANCELLED: "已撤销"}.get(status, "")
    if ended:
        return StepBar(steps, ended=ended)
    deadline = _deadline(hazard)
    words, late = countdown(deadline, today)
    return StepBar(
        steps,
        waiting=WAITING.get(status, ""),
        owner=owner_of(hazard),
        deadline=deadline,
        countdown=words,
        late=late,
    )


# ---- who a 催办 reaches --------------------------------------------------------------------------


def _offices_at(hazard: Hazard, roles: list[str]) -> QuerySet[User]:
    """Users of `roles` (office roles: they sit at the hazard's township or county) who see the hazard."""
    return nearby(hazard).filter(role__in=roles)


def step_owners(hazard: Hazard) -> list[User]:
    """The accounts that must act on the current step."""
    status = hazard.status
    if status == Status.RECTIFYING:
        # the named responsible account only if it can open the hazard (no link that answers 404)
        people = seeing(hazard, [*enterprise_users(hazard), hazard.responsible_user])
        if not hazard.enterprise_id:
            people += list(_offices_at(hazard, [Role.TOWNSHIP_OFFICE]))
        return people
    if status == Status.SUBMITTED:
        return list(reviewers(hazard))
    if status == Status.CONFIRMED and hazard.source == Source.SELF_CHECK and hazard.enterprise_id:
        return list(enterprise_users(hazard))
    offices = list(_offices_at(hazard, [Role.TOWNSHIP_OFFICE, Role.COUNTY_OFFICE]))
    if hazard.supervising_department_id:
        offices += list(
            who_can_see(hazard).filter(
                role=Role.DEPARTMENT_SUPERVISOR, department_id=hazard.supervising_department_id
            )
        )
    return offices


def urge_recipients(hazard: Hazard, actor) -> list[User]:
    """催办 notifies the responsible party of the current step and the hazard's township office."""
    people = step_owners(hazard) + list(_offices_at(hazard, [Role.TOWNSHIP_OFFICE]))
    seen: dict[int, User] = {}
    for person in people:
        if person is not None and person.pk != getattr(actor, "pk", None) and person.is_active:
            seen.setdefault(person.pk, person)
    return list(seen.values())


# ---- photos --------------------------------------------------------------------------------------


@dataclass
class Photos:
    before: list[Attachment]
    after: list[Attachment]
    acceptance: list[Attachment]
    documents: list[Attachment]


def photos(attachments) -> Photos:
    """Photos taken when the hazard was found (整改前), of the rectification (整改后) and of the acceptance check;
    other files (PDF, Word, Excel) as documents."""
    result = Photos([], [], [], [])
    for a in attachments:
        if not a.is_image:
            result.documents.append(a)
        elif a.stage in (AttachmentStage.REPORT, AttachmentStage.PLAN):
            result.before.append(a)
        elif a.stage == AttachmentStage.EVIDENCE:
            result.after.append(a)
        elif a.stage == AttachmentStage.ACCEPTANCE:
            result.acceptance.append(a)
        else:
            result.documents.append(a)
    return result
