"""The unit's 查封、扣押 in the to-do centre (inspections/todo.py `seizures_due`): one about to end is named with
the warning's days, one whose period has ended without release as such, in Chinese on the to-do page; a released
one no longer waits."""

import pytest

from anquan.core.todo import items_for
from anquan.inspections import seizure
from anquan.inspections.models import Seizure
from tests.conftest import login

from .loopdata import days, registered, walked

pytestmark = pytest.mark.django_db


def waiting(user) -> dict[str, tuple[str, int]]:
    return {i.kind: (i.label, i.count) for i in items_for(user) if i.kind.startswith("inspections.seizure")}


def test_a_seizure_about_to_end_then_ended_waits_for_the_unit_until_released(world):
    inspector = world.users["inspector"]
    registered(world.chem_t1)
    insp = walked(world, world.chem_t1, bad=1)
    seizure.seize(insp, {"measure": "扣押", "items": ["报废气瓶5只"], "period_days": 3}, actor=inspector)
    assert waiting(inspector) == {"inspections.seizure_due": ("3日内到期的查封扣押", 1)}
    assert "3日内到期的查封扣押" in login(inspector).get("/todo/").content.decode()
    Seizure.objects.update(ends_on=days(-1))
    assert waiting(inspector) == {"inspections.seizure_over": ("期限已届满未解除的查封扣押", 1)}
    seizure.release(Seizure.objects.get(), {"items": ["报废气瓶5只"]}, actor=inspector)
    assert waiting(inspector) == {}
    assert waiting(world.users["county_office_b"]) == {}  # another county's office: nothing of this unit's
