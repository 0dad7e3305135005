"""Shared fixtures: reference data, a small world of two counties, and fixed personas (STYLE practice 9)."""

import os
from dataclasses import dataclass

import pytest
from django.test import Client

os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")  # Playwright's sync API runs an event loop


def _live_server_backlog():
    """The live server's listen backlog as the production server's (gunicorn: 2048), not Django's 10: with 50
    clients connecting at once (tests/test_races.py) a backlog of 10 overflows and the kernel resets
    connections, which a deployed server would have queued."""
    from django.core.servers.basehttp import WSGIServer

    WSGIServer.request_queue_size = 2048


_live_server_backlog()

PASSWORD = "Test-Passw0rd!"


def ensure_reference_data():
    """Regions, departments and industries; reloaded after a transactional test flushed them."""
    from anquan.orgs.models import Department
    from anquan.regions.loader import load_province
    from anquan.regions.models import Region

    if not Department.objects.exists():
        from importlib import import_module

        from django.apps import apps

        import_module("anquan.orgs.migrations.0002_reference_data").load(apps, None)
    if not Region.objects.filter(code="360000").exists():
        load_province("360000")
    from django.apps import apps

    from anquan.accidents.models import AccidentCategory
    from anquan.hazards.models import JudgementStandard

    if not JudgementStandard.objects.exists():
        from anquan.hazards.standards import load as load_standards

        load_standards(apps)
    if not AccidentCategory.objects.exists():
        from anquan.accidents.categories import load as load_categories

        load_categories(apps)
    from anquan.standards.models import RiskBandTable

    if not RiskBandTable.objects.exists():
        from anquan.standards.seed import load as load_risk_reference

        load_risk_reference(apps)
    from anquan.inspections.models import ChecklistTemplate

    if not ChecklistTemplate.objects.exists():
        from anquan.inspections.templates import seed as seed_checklists

        seed_checklists(apps)


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker):
    with django_db_blocker.unblock():
        ensure_reference_data()


@pytest.fixture(autouse=True)
def _test_settings(settings, tmp_path):
    settings.PASSWORD_HASHERS = [
        "django.contrib.auth.hashers.MD5PasswordHasher"
    ]  # Argon2 is tested on its own
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.AUDIT_ANCHOR_FILE = tmp_path / "audit-anchors.txt"  # each test's own anchors (its own database)


@pytest.fixture
def reference(db):
    ensure_reference_data()


@dataclass
class World:
    """Two counties of 九江市: 濂溪区 (townships t1, t2) and 修水县, with one enterprise per cell."""

    t1: object
    t2: object
    chem_t1: object  # hazardous chemicals in t1 → 应急管理局
    build_t1: object  # construction in t1 → 住建局
    chem_t2: object
    chem_xiushui: object
    users: dict

    @property
    def enterprises(self):
        return {
            "chem_t1": self.chem_t1,
            "build_t1": self.build_t1,
            "chem_t2": self.chem_t2,
            "chem_xiushui": self.chem_xiushui,
        }


# persona → enterprises it must see
VISIBLE = {
    "sysadmin": {"chem_t1", "build_t1", "chem_t2", "chem_xiushui"},
    "province_office": {"chem_t1", "build_t1", "chem_t2", "chem_xiushui"},
    "city_office": {"chem_t1", "build_t1", "chem_t2", "chem_xiushui"},
    "county_office": {"chem_t1", "build_t1", "chem_t2"},
    "county_office_b": {"chem_xiushui"},
    "township_office": {"chem_t1", "build_t1"},
    "emergency_supervisor": {"chem_t1", "chem_t2"},
    "housing_supervisor": {"build_t1"},
    "inspector": {"chem_t1", "chem_t2"},
    "grid_worker": {"chem_t1", "build_t1"},
    "enterprise_manager": {"chem_t1"},
}


def make_enterprise(region, industry_code, name, county_code, serial, actor=None, **extra):
    from anquan.enterprises import uscc
    from anquan.enterprises.services import create_enterprise

    raw = {
        "name": name,
        "uscc": uscc.make("91", county_code, f"{serial:08d}"),
        "region": region.code,
        "industry": industry_code,
        **extra,
    }
    return create_enterprise(raw, actor=actor or _root())


def _root():
    from anquan.accounts.models import User

    user = User.objects.filter(username="root-fixture").first()
    if user is None:
        from anquan.regions.models import Region

        user = User(username="root-fixture", role="sysadmin", region=Region.objects.get(code="360000"))
        user.set_unusable_password()
        user.save()
    return user


@pytest.fixture
def world(reference):
    from anquan.accounts.services import create_user
    from anquan.regions.models import Region

    t1, t2 = list(Region.objects.filter(parent__code="360402").order_by("code")[:2])
    xs_town = Region.objects.filter(parent__code="360424").order_by("code").first()
    chem_t1 = make_enterprise(t1, "hazardous_chemicals", "江西化工测试有限公司", "360402", 1)
    build_t1 = make_enterprise(t1, "construction", "濂溪建筑工程有限公司", "360402", 2)
    chem_t2 = make_enterprise(t2, "hazardous_chemicals", "九江精细化工有限公司", "360402", 3)
    chem_xs = make_enterprise(xs_town, "hazardous_chemicals", "修水化学有限公司", "360424", 4)
    specs = {
        "sysadmin": ("sysadmin", "360000", None, None),
        "province_office": ("province_office", "360000", None, None),
        "city_office": ("city_office", "360400", None, None),
        "county_office": ("county_office", "360402", None, None),
        "county_office_b": ("county_office", "360424", None, None),
        "township_office": ("township_office", t1.code, None, None),
        "emergency_supervisor": ("department_supervisor", "360402", "应急管理局", None),
        "housing_supervisor": ("department_supervisor", "360402", "住建局", None),
        "inspector": ("inspector", "360402", "应急管理局", None),
        "grid_worker": ("grid_worker", t1.code, None, None),
        "enterprise_manager": ("enterprise_manager", None, None, chem_t1.uscc),
    }
    users = {}
    for name, (role, region, department, enterprise) in specs.items():
        users[name] = create_user(
            actor=None,
            username=name,
            role=role,
            password=PASSWORD,
            region_code=region,
            department_name=department,
            enterprise_uscc=enterprise,
        )
    return World(t1, t2, chem_t1, build_t1, chem_t2, chem_xs, users)


def login(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


@pytest.fixture
def api_token(world):
    """Bearer token of a persona, issued through the real endpoint."""

    def issue(persona: str) -> dict:
        response = Client().post(
            "/api/v1/auth/token", {"username": persona, "password": PASSWORD}, content_type="application/json"
        )
        assert response.status_code == 200, response.content
        return {"HTTP_AUTHORIZATION": f"Bearer {response.json()['token']}"}

    return issue


def pytest_collection_modifyitems(items):
    """Browser walks are outside-world suites too: they run once per test command, in the PostgreSQL pass
    (docs/adr/0031-outside-world-suites-run-once.md)."""
    for item in items:
        if item.get_closest_marker("browser"):
            item.add_marker(pytest.mark.once)
