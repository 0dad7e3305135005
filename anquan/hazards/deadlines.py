"""The hazard ledger's periodic deadline steps: reminders 3 working days before and on the deadline, the overdue
mark, escalation of an overdue major hazard to the level above, and progress-report reminders for listed hazards.
`anquan.sweep.services` reads the candidates page by page (`candidates`, keyset on the id) and calls these; the rules
live here.

Marks (`mark`) are one short transaction per hazard and step: lock the hazard row, skipping it if another
transaction holds it (`SKIP LOCKED` on PostgreSQL; on SQLite a writer holds the whole database anyway), then
change it only if it is still what the page saw (compare-and-set on status, deadline and the flag). A hazard
locked or changed meanwhile is skipped — not waited for, not overwritten — and the next sweep sees it again.
Each mark writes its event row and an audit entry (actor "sweep") in its transaction. Reminders (`remind`) only
add notifications, so a page of them is one transaction that locks no hazard; a hazard whose status or deadline
changed since the page was read is skipped. In-app notifications are rows of the same transaction; other
channels are sent after it commits (`anquan.core.notify`). Every notification carries a key, so a repeated run
sends nothing twice."""

from __future__ import annotations

import datetime as dt
import functools
from collections import defaultdict
from dataclasses import dataclass

from django.db import transaction
from django.db.models import Q, QuerySet
from django.utils import timezone

from anquan.accounts.models import User
from anquan.core import audit
from anquan.core.choices import NotificationKind as Kind
from anquan.core.notify import Message, notify, notify_many
from anquan.core.permissions import Role
from anquan.core.scope import who_can_see
from anquan.core.workdays import working_days_until
from anquan.regions.choices import RegionLevel

from .actions import record_event
from .choices import OPEN_STATUSES, Action, Level, Status
from .models import Hazard, Listing
from .notifications import OPEN, enterprise_users, hazard_title, hazard_url, subject

REMIND_WORKING_DAYS = 3
SWEEP_ACTOR = "sweep"  # the audit log's actor label of the sweep's changes (as orphans.daily's)


@dataclass(frozen=True)
class Seen:
    """A candidate as the sweep's page query saw it; every step changes the hazard only if it still is so."""

    pk: int
    deadline: dt.date
    overdue: bool
    level: str
    escalated_at: dt.datetime | None


@dataclass
class Outcome:
    """What the marking steps did to one hazard; `skipped` when it was locked or changed by someone else
    meanwhile."""

    marked_overdue: bool = False
    escalated: bool = False
    skipped: bool = False


@functools.lru_cache(maxsize=8)
def remind_dates(today: dt.date) -> list[dt.date]:
    """The deadlines that are REMIND_WORKING_DAYS working days after `today` (a weekend or holiday after the
    third working day counts as that day too)."""
    days = (today + dt.timedelta(days=n) for n in range(1, 60))
    return [d for d in days if working_days_until(today, d) == REMIND_WORKING_DAYS]


SEEN_FIELDS = ("pk", "deadline", "overdue", "level", "escalated_at")


def candidates(today: dt.date) -> QuerySet:
    """Hazards under rectification that have a step due today: a reminder, the deadline itself, an overdue
    mark or an escalation. Served by the (deadline, status) and (level, status) indexes."""
    return Hazard.objects.filter(status=Status.RECTIFYING, deadline__isnull=False).filter(
        Q(deadline__in=[*remind_dates(today), today])
        | Q(deadline__lt=today, overdue=False)
        | Q(deadline__lt=today, level=Level.MAJOR, escalated_at__isnull=True)
    )


def needs_marking(seen: Seen, today: dt.date) -> bool:
    return seen.deadline < today and (
        not seen.overdue or (seen.level == Level.MAJOR and seen.escalated_at is None)
    )


def remind(page: list[Seen], now: dt.datetime) -> tuple[list[int], list[int], list[int]]:
    """The reminders of a page of candidates — 3 working days before the deadline and on the day — in one
    transaction (they only add notifications, each once per key; no hazard row is locked or changed).
    Returns the hazards reminded, those told that today is the day, and those skipped because their status
    or deadline changed since the page was read."""
    today = timezone.localdate(now)
    ahead = set(remind_dates(today))
    due = {s.pk: s for s in page if s.deadline in ahead or s.deadline == today}
    if not due:
        return [], [], []
    with transaction.atomic():
        hazards = list(
            Hazard.objects.filter(pk__in=due, status=Status.RECTIFYING)
            .select_related("enterprise", "responsible_user")
            .order_by("pk")
        )
        current = [h for h in hazards if h.deadline == due[h.pk].deadline]
        skipped = sorted(set(due) - {h.pk for h in current})
        users = defaultdict(list)
        for user in User.objects.filter(enterprise_id__in={h.enterprise_id for h in current}, is_active=True):
            users[user.enterprise_id].append(user)
        messages = []
        for h in current:
            people = users[h.enterprise_id] + [h.responsible_user]
            if h.deadline == today:
                title, key = f"{hazard_title(h)}今天是整改期限", f"hazard:{h.pk}:due:{h.deadline}"
            else:
                title = f"{hazard_title(h)}距整改期限还有3个工作日（{h.deadline:%m月%d日}）"
                key = f"hazard:{h.pk}:remind:{h.deadline}"
            messages.append(
                Message(
                    people,
                    title,
                    key,
                    url=hazard_url(h),
                    kind=Kind.HAZARD_DEADLINE,
                    subject=subject(h),
                    step=Status.RECTIFYING,
                )
            )
        sent = notify_many(messages)
    reminded = [h.pk for h, made in zip(current, sent, strict=True) if made and h.deadline != today]
    due_today = [h.pk for h, made in zip(current, sent, strict=True) if made and h.deadline == today]
    return reminded, due_today, skipped


def mark(seen: Seen, now: dt.datetime) -> Outcome:
    """The overdue mark and, for a major hazard, the escalation to the level above: each its own transaction."""
    out = Outcome()
    steps = []
    if not seen.overdue:
        steps.append(("marked_overdue", _mark_overdue))
    if seen.level == Level.MAJOR and seen.escalated_at is None:
        steps.append(("escalated", _escalate))
    for name, step in steps:
        with transaction.atomic():
            hazard = _lock(seen.pk, seen.deadline)
            if hazard is None:
                out.skipped = True
                return out
            setattr(out, name, step(hazard, now))
    return out


def _lock(pk: int, deadline: dt.date) -> Hazard | None:
    """The hazard, locked for this transaction, if it is still under rectification with the same deadline and
    no other transaction holds it."""
    return (
        Hazard.objects.select_for_update(skip_locked=True, of=("self",))
        .select_related("region", "enterprise", "responsible_user", "supervising_department")
        .filter(pk=pk, status=Status.RECTIFYING, deadline=deadline)
        .first()
    )


def _responsible(hazard: Hazard) -> list:
    return list(enterprise_users(hazard)) + [hazard.responsible_user]


def _mark_overdue(hazard: Hazard, now: dt.datetime) -> bool:
    before = audit.snapshot(hazard)
    changed = Hazard.objects.filter(
        pk=hazard.pk, status=Status.RECTIFYING, deadline=hazard.deadline, overdue=False
    ).update(overdue=True, updated_at=now)
    if not changed:
        return False
    hazard.overdue, hazard.updated_at = True, now
    comment = f"整改期限{hazard.deadline:%Y-%m-%d}已过"
    record_event(hazard, Action.MARK_OVERDUE, now=now, comment=comment)
    audit.record_update(hazard, before, actor=SWEEP_ACTOR, comment=f"标记逾期：{comment}")
    notify(
        _responsible(hazard),
        f"{hazard_title(hazard)}已超过整改期限",
        url=hazard_url(hazard),
        key=f"hazard:{hazard.pk}:overdue:{hazard.deadline}",
        kind=Kind.HAZARD_DEADLINE,
        subject=subject(hazard),
        step=Status.RECTIFYING,
    )
    return True


def level_above(hazard: Hazard):
    """The government level above the one that supervises the hazard's place (county → city, city → province)."""
    chain = hazard.region.ancestors() + [hazard.region]
    county = next((r for r in chain if r.level == RegionLevel.COUNTY), None)
    if county is None:
        return chain[0]
    return county.parent


def _escalate(hazard: Hazard, now: dt.datetime) -> bool:
    if hazard.level != Level.MAJOR:
        return False
    before = audit.snapshot(hazard)
    changed = Hazard.objects.filter(
        pk=hazard.pk,
        status=Status.RECTIFYING,
        deadline=hazard.deadline,
        level=Level.MAJOR,
        escalated_at__isnull=True,
    ).update(escalated_at=now)
    if not changed:
        return False
    hazard.escalated_at = now
    above = level_above(hazard)
    record_event(
        hazard,
        Action.ESCALATE,
        now=now,
        comment=f"逾期重大事故隐患已报{above.name}",
        data={"to_region": above.code},
    )
    audit.record_update(hazard, before, actor=SWEEP_ACTOR, comment=f"逾期重大事故隐患已报{above.name}")
    # the level above's offices and the supervising department's head there, among those who can see it
    officials = who_can_see(hazard).filter(
        region=above, role__in=[Role.CITY_OFFICE, Role.PROVINCE_OFFICE, Role.DEPARTMENT_SUPERVISOR]
    )
    notify(
        officials,
        f"重大事故隐患逾期未整改：{hazard_title(hazard)}",
        url=hazard_url(hazard),
        body=f"整改期限{hazard.deadline:%Y-%m-%d}，监管部门：{hazard.supervising_department or '未明确'}",
        key=f"hazard:{hazard.pk}:escalate",
        kind=Kind.HAZARD_DEADLINE,
        subject=subject(hazard),
        step=Status.RECTIFYING,
    )
    return True


# --- listed hazards' progress reports ----------------------------------------------------------------


def listings() -> QuerySet:
    """Active listings of open hazards: each owes a progress report every `report_every_days`."""
    return Listing.objects.filter(delisted_at__isnull=True, hazard__status__in=OPEN_STATUSES)


def remind_progress(pk: int, today: dt.date) -> int | None:
    """Remind the enterprise when listing `pk`'s next progress report is due (once per due date); returns the
    hazard's id when a reminder went out."""
    with transaction.atomic():
        item = (
            listings()
            .filter(pk=pk)
            .select_related("hazard__enterprise", "hazard__responsible_user")
            .prefetch_related("reports")
            .first()
        )
        if item is None:
            return None
        last = max([r.reported_at for r in item.reports.all()] + [item.listed_at])
        due = timezone.localtime(last).date() + dt.timedelta(days=item.report_every_days)
        if due > today:
            return None
        hazard = item.hazard
        sent = notify(
            _responsible(hazard),
            f"挂牌督办{hazard_title(hazard)}应报送整改进展（{due:%m月%d日}前）",
            url=hazard_url(hazard),
            key=f"hazard:{hazard.pk}:progress:{due}",
            kind=Kind.HAZARD_DEADLINE,
            subject=subject(hazard),
            step=OPEN,
        )
        return hazard.pk if sent else None
