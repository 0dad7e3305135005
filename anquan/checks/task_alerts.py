"""Notifications about missed control checks, sent by the sweep (tasks.run → `notify_missed`).

Per sweep, each enterprise with newly missed tasks gets one in-app notification (to its own users)
saying how many and of which risk points. When an enterprise has missed settings.RISK_MISSED_CHECKS_ALERT
(default 3) or more tasks in the last 7 days, the users of its supervising department at the nearest
level above it (county, else city, else province) hear of it too — at most once per enterprise and
local day, so a sweep every few minutes does not flood them. Every notification carries a key, so
running the sweep twice sends nothing twice.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from collections import defaultdict
from collections.abc import Iterable

from django.conf import settings
from django.db.models import Count
from django.urls import reverse
from django.utils import timezone

from anquan.accounts.models import User
from anquan.core.notify import notify
from anquan.core.permissions import Role
from anquan.core.scope import who_can_see
from anquan.enterprises.models import Enterprise

from .choices import TaskStatus
from .models import CheckTask

WINDOW_DAYS = 7
NAMED_POINTS = 10  # points named in a notification; the rest are counted


def threshold() -> int:
    return int(getattr(settings, "RISK_MISSED_CHECKS_ALERT", 3))


def _digest(ids: Iterable[int]) -> str:
    return hashlib.sha256(",".join(map(str, sorted(ids))).encode()).hexdigest()[:20]


def _summary(tasks: list[CheckTask]) -> str:
    per_point: dict[int, list[CheckTask]] = defaultdict(list)
    for task in tasks:
        per_point[task.point_id].append(task)
    ordered = sorted(per_point.values(), key=lambda ts: (-len(ts), ts[0].point.name))
    parts = [f"{ts[0].point.name}（{len(ts)}项）" for ts in ordered[:NAMED_POINTS]]
    more = f"等{len(ordered)}个风险点" if len(ordered) > NAMED_POINTS else ""
    return "逾期未完成的管控检查：" + "、".join(parts) + more


def _nearest(users: list[User], region_code: str) -> list[User]:
    """Those of `users` whose area holds `region_code`, at the level closest to it."""
    holding = [
        (u, u.region.prefix)
        for u in users
        if u.region is not None and region_code.startswith(u.region.prefix)
    ]
    if not holding:
        return []
    deepest = max(len(prefix) for _u, prefix in holding)
    return [u for u, prefix in holding if len(prefix) == deepest]


OFFICES = [Role.COUNTY_OFFICE, Role.CITY_OFFICE, Role.PROVINCE_OFFICE]


def supervisors(enterprises: Iterable[Enterprise]) -> dict[int, list[User]]:
    """Per enterprise: its supervising department's supervisors at the nearest level above it, or the
    nearest committee office when it has no supervising department; always among the users who can see
    the enterprise (`scope.who_can_see`), so the link they are sent opens."""
    found: dict[int, list[User]] = {}
    for e in enterprises:
        roles = [Role.DEPARTMENT_SUPERVISOR] if e.supervising_department_id else OFFICES
        pool = list(who_can_see(e).filter(role__in=roles).select_related("region").order_by("id"))
        found[e.pk] = _nearest(pool, e.region_code)
    return found


def notify_missed(task_ids: list[int], now: dt.datetime | None = None) -> dict[str, list[int]]:
    """Notify about the tasks one sweep marked missed. Returns {"enterprises": [...], "supervised": [...]}:
    the enterprises whose users, and whose supervisors, were notified."""
    sent: dict[str, list[int]] = {"enterprises": [], "supervised": []}
    if not task_ids:
        return sent
    now = now or timezone.now()
    today = timezone.localtime(now).date()
    by_enterprise: dict[int, list[CheckTask]] = defaultdict(list)
    for task in CheckTask.objects.filter(pk__in=task_ids).select_related("point", "enterprise"):
        by_enterprise[task.enterprise_id].append(task)
    enterprises = [ts[0].enterprise for ts in by_enterprise.values()]
    own_users: dict[int | None, list[User]] = defaultdict(list)
    for user in User.objects.filter(enterprise_id__in=by_enterprise, is_active=True):
        own_users[user.enterprise_id].append(user)
    recent = dict(
        CheckTask.objects.filter(
            enterprise_id__in=by_enterprise,
            status=TaskStatus.MISSED,
            missed_at__gt=now - dt.timedelta(days=WINDOW_DAYS),
            missed_at__lte=now,
        )
        .values_list("enterprise_id")
        .annotate(n=Count("id"))
    )
    over = [e for e in enterprises if recent.get(e.pk, 0) >= threshold()]
    watchers = supervisors(over) if over else {}
    base = reverse("checks:tasks_missed")
    for enterprise in sorted(enterprises, key=lambda e: e.pk):
        tasks = by_enterprise[enterprise.pk]
        url = f"{base}?enterprise={enterprise.pk}"
        if notify(
            own_users[enterprise.pk],
            f"有{len(tasks)}项管控检查任务逾期未完成",
            body=_summary(tasks),
            url=url,
            key=f"risk:missed:{enterprise.pk}:{_digest(t.pk for t in tasks)}",
        ):
            sent["enterprises"].append(enterprise.pk)
        if enterprise in over and notify(
            watchers.get(enterprise.pk, []),
            f"{enterprise.name}近{WINDOW_DAYS}天有{recent[enterprise.pk]}项管控检查任务逾期未完成",
            body=f"提醒阈值：{WINDOW_DAYS}天内{threshold()}项。本次新增——" + _summary(tasks),
            url=url,
            key=f"risk:missed-supervisors:{enterprise.pk}:{today.isoformat()}",
        ):
            sent["supervised"].append(enterprise.pk)
    return sent
