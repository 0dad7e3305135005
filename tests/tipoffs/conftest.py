import pytest


@pytest.fixture
def tipoff_raw(world):
    """A tip-off a member of the public files: a hazard in township t1 of 濂溪区, with name and phone."""
    return {
        "kind": "hazard",
        "description": "加油站旁的小仓库堆放液化气瓶，无人看管",
        "region": world.t1.code,
        "address": "十里大道88号后院",
        "reporter_name": "李小明",
        "reporter_phone": "13912345678",
    }


@pytest.fixture
def filed(tipoff_raw):
    from anquan.tipoffs import services

    tipoff, created = services.submit(tipoff_raw, client_address="10.0.0.1")
    assert created
    return tipoff


@pytest.fixture(autouse=True)
def _fresh_throttle():
    """The public pages' per-address rate (60 a minute) counts in the cache: each test starts with none used."""
    from django.core.cache import cache

    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def live(live_server, transactional_db):
    """The base URL of the app on a real socket (database committed, visible to the server thread)."""
    return live_server.url
