"""The periodic tick of monitoring (every ~15 s: the MQTT consumer's loop calls `tick(now)`, and the background
worker's sweep runs it too): what no arriving reading can tell.

- maintenance: a point in an approved window is `maintenance`, and leaves it when the window ends;
- offline: no data by `PointLive.offline_due` (the last reading + `offline_after_intervals` × the expected
  interval) — also a point that never sent anything that long after it was registered;
- stuck: the same value for `stuck_minutes` while data keeps arriving (not a gas detector reading exactly 0, the
  clean-air reading, nor a video channel's status);
- gaps: once per hour, in the last full hour fewer than (100 − `gap_percent`) % of the expected readings (from the
  hourly roll-up when there is one, else the raw readings);
- escalation: an alarm still `raised` `escalate_after_minutes` (by level) after it was raised, or last escalated,
  goes to the next office up the region chain (county → city → province), which is notified.

Each part is its own short transaction and idempotent: running the tick twice changes nothing the second time."""

from __future__ import annotations

import datetime as dt
import logging

from django.contrib.auth import get_user_model
from django.db import transaction
from django.db.models import Count
from django.urls import reverse
from django.utils import timezone

from anquan.core.notify import Message, notify_many
from anquan.core.permissions import Role

from .choices import AlarmAction, AlarmKind, AlarmStatus, MaintenanceStatus, PointKind, PointState
from .evaluation import KIND_NAMES
from .maintenance import apply_windows
from .models import Alarm, MaintenanceWindow, MonitoringPoint, PointLive, Reading, ReadingRollup
from .operation import escalate_after, figures, level_of
from .raising import NewAlarm, raise_alarms, set_states
from .workflow import FLOW

logger = logging.getLogger(__name__)

GASES = (PointKind.COMBUSTIBLE_GAS, PointKind.TOXIC_GAS)
OFFICES = (Role.COUNTY_OFFICE, Role.CITY_OFFICE, Role.PROVINCE_OFFICE)
_gaps_done: dt.datetime | None = None  # the hour this process last checked for gaps


def tick(now: dt.datetime | None = None) -> dict[str, int]:
    """Run every part; returns how many points or alarms each touched. A part that fails is logged and the
    others still run (the next tick tries again)."""
    now = now or timezone.now()
    done: dict[str, int] = {}
    for name, part in (
        ("maintenance", maintenance),
        ("offline", offline),
        ("stuck", stuck),
        ("gaps", gaps),
        ("escalated", escalate),
    ):
        try:
            done[name] = part(now)
        except Exception:
            logger.exception("monitoring tick: %s failed", name)
            done[name] = 0
    return done


def sweep() -> None:
    """The background worker's sweep hook (jobs.worker.sweeps)."""
    tick()


def _in_window(now: dt.datetime) -> set[int]:
    return set(
        MaintenanceWindow.objects.filter(
            status=MaintenanceStatus.APPROVED, starts_at__lte=now, ends_at__gt=now
        ).values_list("point_id", flat=True)
    )


def maintenance(now: dt.datetime) -> int:
    """Windows that began or ended: the points' declared state steps (maintenance.apply_windows)."""
    started, ended = apply_windows(now)
    return started + ended


def _alarm(point: MonitoringPoint, kind: str, started: dt.datetime, text: str) -> NewAlarm:
    installation = point.installation
    grade = installation.grade if installation is not None and installation.is_major else None
    return NewAlarm(
        point_id=point.pk,
        enterprise_id=point.enterprise_id,
        installation_id=point.installation_id,
        region_code=point.region_code,
        kind=kind,
        level=level_of(kind, grade, figures(point.region_code, timezone.localdate(started))),
        message=f"{point.name}（{point.device_id}）{KIND_NAMES[AlarmKind(kind)]}：{text}"[:300],
        started_at=started,
    )


def _quiet(point: MonitoringPoint, in_window: set[int]) -> bool:
    return point.retired_at is not None or point.state == PointState.MAINTENANCE or point.pk in in_window


def offline(now: dt.datetime) -> int:
    in_window = _in_window(now)
    new: list[NewAlarm] = []
    with transaction.atomic():
        lives = list(
            PointLive.objects.select_for_update(of=("self",))
            .filter(offline_due__lt=now, point__retired_at__isnull=True)
            .exclude(alarm_kinds__contains=AlarmKind.OFFLINE)
            .select_related("point__installation")
        )
        for live in lives:
            if _quiet(live.point, in_window):
                continue
            live.alarm_kinds = ",".join(
                sorted({*filter(None, live.alarm_kinds.split(",")), AlarmKind.OFFLINE})
            )
            live.save(update_fields=["alarm_kinds"])
            since = f"{timezone.localtime(live.last_ts):%m-%d %H:%M:%S}" if live.last_ts else "—"
            new.append(_alarm(live.point, AlarmKind.OFFLINE, live.last_ts or now, f"最后一次数据 {since}"))
        for point in MonitoringPoint.objects.filter(
            live__isnull=True, retired_at__isnull=True
        ).select_related("installation"):
            silence = figures(point.region_code).offline_after_intervals * point.expected_interval_s
            if _quiet(point, in_window) or point.created_at + dt.timedelta(seconds=silence) > now:
                continue
            PointLive.objects.create(point=point, alarm_kinds=AlarmKind.OFFLINE, updated_at=now)
            new.append(_alarm(point, AlarmKind.OFFLINE, point.created_at, "登记后从未收到数据"))
        raise_alarms(new, now)
        set_states({n.point_id: PointState.OFFLINE for n in new})
    return len(new)


def stuck(now: dt.datetime) -> int:
    in_window = _in_window(now)
    new: list[NewAlarm] = []
    with transaction.atomic():
        lives = list(
            PointLive.objects.select_for_update(of=("self",))
            .filter(same_since__lt=now - dt.timedelta(minutes=1), point__retired_at__isnull=True)
            .exclude(alarm_kinds__contains=AlarmKind.STUCK)
            .exclude(point__kind=PointKind.VIDEO)
            .exclude(point__kind__in=GASES, same_value=0)
            .select_related("point__installation")
        )
        for live in lives:
            point = live.point
            limit = dt.timedelta(minutes=figures(point.region_code).stuck_minutes)
            if _quiet(point, in_window) or live.last_ts is None or live.same_since is None:
                continue
            if live.last_ts - live.same_since < limit or AlarmKind.OFFLINE in live.alarm_kinds:
                continue
            live.alarm_kinds = ",".join(sorted({*filter(None, live.alarm_kinds.split(",")), AlarmKind.STUCK}))
            live.save(update_fields=["alarm_kinds"])
            minutes = int((live.last_ts - live.same_since).total_seconds() // 60)
            new.append(
                _alarm(
                    point,
                    AlarmKind.STUCK,
                    live.same_since,
                    f"数值 {live.same_value:g} 已连续 {minutes} 分钟不变",
                )
            )
        raise_alarms(new, now)
        set_states({n.point_id: PointState.ALARM for n in new})
    return len(new)


def gaps(now: dt.datetime, *, force: bool = False) -> int:
    """Once per hour (per process; `force` for tests and commands): the last full hour's gaps."""
    global _gaps_done
    end = timezone.localtime(now).replace(minute=0, second=0, microsecond=0)
    start = end - dt.timedelta(hours=1)
    if _gaps_done == start and not force:
        return 0
    points = list(
        MonitoringPoint.objects.filter(retired_at__isnull=True, created_at__lte=start)
        .exclude(kind=PointKind.VIDEO)
        .exclude(live__alarm_kinds__contains=AlarmKind.OFFLINE)
        .exclude(alarms__kind=AlarmKind.GAP, alarms__started_at=start)
        .exclude(
            maintenance_windows__status=MaintenanceStatus.APPROVED,
            maintenance_windows__starts_at__lt=end,
            maintenance_windows__ends_at__gt=start,
        )
        .select_related("installation")
    )
    ids = [p.pk for p in points]
    counts = dict(
        ReadingRollup.objects.filter(period="hour", bucket=start, point_id__in=ids).values_list(
            "point_id", "count"
        )
    )
    missing = [pk for pk in ids if pk not in counts]
    if missing:
        counts.update(
            Reading.objects.filter(point_id__in=missing, ts__gte=start, ts__lt=end)
            .values("point_id")
            .annotate(n=Count("ts"))
            .values_list("point_id", "n")
        )
    new: list[NewAlarm] = []
    for point in points:
        got = counts.get(point.pk, 0)
        expected = 3600 / point.expected_interval_s
        ops = figures(point.region_code)
        if (
            point.state == PointState.MAINTENANCE
            or got == 0
            or got >= expected * (100 - ops.gap_percent) / 100
        ):
            continue  # no data at all is the offline alarm's
        new.append(
            _alarm(
                point,
                AlarmKind.GAP,
                start,
                f"{timezone.localtime(start):%m-%d %H}时收到 {got} 条，应有 {expected:g} 条",
            )
        )
    with transaction.atomic():
        raise_alarms(new, now)
    _gaps_done = start
    return len(new)


def next_office(alarm: Alarm) -> str:
    """The region code of the office above the one the alarm was last escalated to ("" when none is left):
    the county, then the city, then the province of the alarm's region."""
    code = alarm.region_code
    chain = list(dict.fromkeys([code[:6], code[:4] + "00", code[:2] + "0000"]))
    if not alarm.escalated_to:
        return chain[0]
    if alarm.escalated_to in chain:
        position = chain.index(alarm.escalated_to)
        return chain[position + 1] if position + 1 < len(chain) else ""
    return ""


def escalate(now: dt.datetime) -> int:
    done = 0
    with transaction.atomic():
        candidates = list(
            Alarm.objects.select_for_update(skip_locked=True)
            .filter(status=AlarmStatus.RAISED, raised_at__lte=now - dt.timedelta(minutes=1))
            .exclude(escalated_to__endswith="0000")
            .order_by("pk")
        )
        due: dict[str, list[Alarm]] = {}
        for alarm in candidates:
            limit = escalate_after(alarm.level, figures(alarm.region_code, timezone.localdate(now)))
            target = next_office(alarm)
            if target and now - (alarm.escalated_at or alarm.raised_at) >= limit:
                due.setdefault(target, []).append(alarm)
        for target, alarms in due.items():
            changed = FLOW.apply_many(
                alarms,
                AlarmAction.ESCALATE,
                changes={"escalated_to": target, "escalated_at": now},
                comment=f"超时未确认，上报至 {target}",
                now=now,
            )
            _notify_escalated(changed, target)
            done += len(changed)
    return done


def _notify_escalated(alarms: list[Alarm], target: str) -> None:
    users = get_user_model().objects.filter(is_active=True, region__code=target, enterprise__isnull=True)
    offices = list(users.filter(role__in=OFFICES, department__isnull=True))
    supervisors = list(users.filter(role=Role.DEPARTMENT_SUPERVISOR))
    notify_many(
        [
            Message(
                users=offices + [u for u in supervisors if u.department_id == a.supervising_department_id],
                title=f"报警超时未确认（已上报）：{a.message}"[:200],
                key=f"alarm:{a.pk}:escalated:{target}",
                url=reverse("monitoring:alarm", args=[a.pk]),
                subject=f"alarm:{a.pk}",
                step=AlarmStatus.RAISED,
            )
            for a in alarms
        ]
    )
