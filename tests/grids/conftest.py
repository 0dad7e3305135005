"""A township grid of 濂溪区's first township with the world's grid worker, one small venue (a row made
directly, as the venues app's registry would) and the township's two enterprises, with a patrol plan."""

from dataclasses import dataclass

import pytest


@dataclass
class Patrol:
    grid: object
    venue: object
    shop: object
    task: object


def make_venue(grid, name="濂溪小网吧", kind="internet_cafe", region=None):
    from anquan.venues.models import SmallVenue

    return SmallVenue.objects.create(
        kind=kind,
        name=name,
        address="十里大道1号",
        region=region or grid.region,
        grid=grid,
        owner_name="王老板",
        owner_phone="13800000000",
        public_code=f"T{SmallVenue.objects.count() + 1:07d}",
        pin_hash="!",
    )


@pytest.fixture
def patrol(world):
    return make_patrol(world)


def make_patrol(world) -> Patrol:
    from anquan.enterprises.models import Enterprise
    from anquan.grids import services
    from anquan.regions.models import Grid

    grid = Grid.objects.create(
        region=world.t1,
        code=f"{world.t1.code}G901",
        name="测试第一网格",
        head_name="李网格长",
        head_phone="0792-1234567",
    )
    worker = world.users["grid_worker"]
    worker.phone = "13900000001"
    worker.save()
    grid.workers.add(worker)
    venue = make_venue(grid)
    shop = make_venue(grid, name="濂溪便民小商店", kind="shop")
    Enterprise.objects.filter(pk__in=[world.chem_t1.pk, world.build_t1.pk]).update(grid=grid)
    services.save_plan(grid, {"frequency": "week"}, actor=world.users["township_office"])
    task = grid.patrol_tasks.get()
    return Patrol(grid, venue, shop, task)
