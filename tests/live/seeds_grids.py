"""Grids and patrols for the every-operation test (issue #14): a township grid with the world's grid worker and
the township's enterprises, its patrol plan and so this week's open task."""

from __future__ import annotations


def seed_grids(world) -> tuple[dict, dict, dict]:
    from anquan.enterprises.models import Enterprise
    from anquan.grids import services
    from anquan.regions.models import Grid, Region

    grid = Grid.objects.create(region=world.t1, code=f"{world.t1.code}G950", name="接口测试网格")
    grid.workers.add(world.users["grid_worker"])
    Enterprise.objects.filter(pk__in=[world.chem_t1.pk, world.build_t1.pk]).update(grid=grid)
    services.save_plan(grid, {"frequency": "week"}, actor=world.users["township_office"])
    task = grid.patrol_tasks.get()
    ids = {"grid_id": grid.pk, "patrol_id": task.pk}
    keys = {"grid_township": world.t1.code, "patrol_target": f"enterprise:{world.chem_t1.pk}"}
    # allowances are recorded for the workers of a village grid
    village = Region.objects.create(
        code=f"{world.t1.code}251", name="接口测试村", level=5, parent=world.t1, full_name="接口测试村"
    )
    village_grid = Grid.objects.create(
        region=village, code=f"{village.code}G951", name="接口测试村网格", level="village"
    )
    village_grid.workers.add(world.users["grid_worker"])
    operations = {
        f"{method} /api/v1/grids/{{grid_id}}/allowances": {"grid_id": village_grid.pk}
        for method in ("GET", "POST")
    }
    return ids, operations, keys
