import pytest
from django.core.cache import cache

from anquan.regions.models import Grid


@pytest.fixture
def venue_raw(world):
    def make(**extra):
        raw = {
            "kind": "small_restaurant",
            "name": "老王小吃店",
            "address": "十里大道88号",
            "region": world.t1.code,
            "owner_name": "王强",
            "owner_phone": "13800138000",
            "extinguishers": "2",
            "exits": "1",
            "uses_gas": True,
            "gas_alarm": True,
        }
        raw.update(extra)
        return raw

    return make


@pytest.fixture
def grid(world):
    g = Grid.objects.create(region=world.t1, code="G-T1-01", name="十里一网格")
    g.workers.add(world.users["grid_worker"])
    return g


@pytest.fixture
def venue(world, venue_raw):
    from anquan.venues.services import create_venue

    made, pin = create_venue(world.users["county_office"], venue_raw())
    made.pin = pin
    return made


@pytest.fixture(autouse=True)
def _fresh_throttles():
    """The public page's throttles count in the cache: each test starts with none spent."""
    cache.clear()
    yield
    cache.clear()
