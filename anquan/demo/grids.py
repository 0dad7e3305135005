"""Demo data of grids and patrols (issue #14): the demo grid worker's township grid with its head and a patrol
plan (this week's task lists the grid's enterprises and venues), last month's tasks of the grid (one done, one
missed, so the township's missed count is not empty), a village grid with its safety officer's allowance, and
two internal grid units of the demo enterprise."""

from __future__ import annotations

import datetime as dt

from django.utils import timezone

from anquan.accounts.models import User
from anquan.enterprises.models import Enterprise
from anquan.grids import services as patrols
from anquan.grids import units
from anquan.grids.models import PatrolTask
from anquan.regions.models import Grid, Region


def build_grids() -> None:
    worker = User.objects.filter(username="grid").first()
    office = User.objects.filter(username="township").first()
    manager = User.objects.filter(username="enterprise").first()
    if worker is None or office is None:
        return
    worker.phone = worker.phone or "13907920001"
    worker.save(update_fields=["phone"])
    grid = worker.grids.first()
    if grid is None:
        return
    units.update_grid(
        grid,
        {"head_name": "陈国强", "head_phone": "0792-8581234", "scope_note": "十里大道以东"},
        actor=office,
    )
    if not Enterprise.objects.filter(grid=grid).exists():  # a few of the township's enterprises in the grid
        ids = list(Enterprise.objects.filter(region_code=grid.region_code).values_list("pk", flat=True)[:4])
        Enterprise.objects.filter(pk__in=ids).update(grid=grid)
    patrols.save_plan(grid, {"frequency": ""}, actor=office)
    _last_month(grid, worker)
    village = Region.objects.filter(parent=grid.region).order_by("code").first()
    if village is not None:
        vgrid = units.create_grid(
            {
                "level": "village",
                "region": village.code,
                "name": f"{village.name}网格",
                "head_name": "黄志明",
                "head_phone": "13907920002",
                "workers": [worker.pk],
            },
            actor=office,
        )
        month = timezone.localdate().replace(day=1) - dt.timedelta(days=1)
        units.record_allowances(vgrid, {"month": month.strftime("%Y-%m")}, actor=office)
    if manager is not None and manager.enterprise_id:
        for name, head in (("储罐区网格单元", "赵强"), ("装卸站台网格单元", "孙磊")):
            units.create_grid(
                {"level": "enterprise", "name": name, "head_name": head, "head_phone": "13907920010"},
                actor=manager,
            )


def _last_month(grid: Grid, worker: User) -> None:
    """Two weekly tasks of last month: one done, one left to be marked missed."""
    plan = grid.patrol_plan
    targets = patrols.targets_of(grid)
    start = timezone.localdate().replace(day=1) - dt.timedelta(days=21)
    start -= dt.timedelta(days=start.weekday())
    for n, status in enumerate(("done", "open")):
        begin = timezone.make_aware(dt.datetime.combine(start + dt.timedelta(days=7 * n), dt.time()))
        PatrolTask.objects.get_or_create(
            grid=grid,
            period_start=begin,
            defaults={
                "plan": plan,
                "region_code": grid.region_code,
                "worker": worker,
                "frequency": "week",
                "period_end": begin + dt.timedelta(days=7),
                "targets": targets,
                "status": status,
                "done_at": begin + dt.timedelta(days=2) if status == "done" else None,
            },
        )
    patrols.mark_missed()
