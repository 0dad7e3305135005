import pytest

from anquan.rescue import services


@pytest.fixture
def office(world):
    return world.users["county_office"]


@pytest.fixture
def make_depot(office):
    def make(name: str, lat: float, lng: float, actor=None, **extra):
        raw = {
            "name": name,
            "address": "九江市濂溪区",
            "latitude": f"{lat:.6f}",
            "longitude": f"{lng:.6f}",
            "contact_name": "张三",
            "contact_phone": "13800000001",
            **extra,
        }
        return services.create_depot(actor or office, raw)

    return make


@pytest.fixture
def make_team(office):
    def make(name: str, lat: float, lng: float, actor=None, **extra):
        raw = {
            "name": name,
            "kind": "professional",
            "speciality": "hazardous_chemicals",
            "address": "九江市濂溪区",
            "latitude": f"{lat:.6f}",
            "longitude": f"{lng:.6f}",
            "contact_name": "李四",
            "contact_phone": "13800000002",
            **extra,
        }
        return services.create_team(actor or office, raw)

    return make
