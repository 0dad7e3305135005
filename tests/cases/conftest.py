"""Enforcement cases: a second inspector of 濂溪区应急管理局 (a case needs two investigators) and a case opened on
a given day, made through the services the API calls."""

import datetime as dt

import pytest

from anquan.cases import actions, services

from ..conftest import PASSWORD

ADDRESS = "九江市濂溪区十里大道88号"
LEGAL_REP = "王建国"


def registered(world) -> None:
    """The party block every case document prints: the enterprise's address and legal representative."""
    from anquan.enterprises.models import Enterprise

    Enterprise.objects.filter(pk=world.chem_t1.pk).update(address=ADDRESS, legal_representative=LEGAL_REP)
    world.chem_t1.refresh_from_db()


@pytest.fixture
def team(world):
    from anquan.accounts.services import create_user

    registered(world)
    world.users["inspector2"] = create_user(
        actor=None,
        username="inspector2",
        role="inspector",
        password=PASSWORD,
        region_code="360402",
        department_name="应急管理局",
        full_name="执法员 王强",
    )
    return world


def opened(world, on: dt.date, facts: str = "未按规定对重大危险源进行检测"):
    """A case applied for and approved (立案) on `on`, with both inspectors on it."""
    case = services.open_case(
        {
            "enterprise": world.chem_t1.uscc,
            "source": "inspection",
            "facts": facts,
            "investigators": ["inspector", "inspector2"],
            "applied_on": on,
        },
        actor=world.users["inspector"],
    )
    return actions.transition(case, "approve", actor=world.users["emergency_supervisor"], opened_on=on)
