"""Major hazard installations: the stored GB 18218 computation, recomputed on every change, audited."""

from decimal import Decimal

import pytest

from anquan.core.errors import NotPermitted, ValidationFailed
from anquan.core.models import AuditEntry
from anquan.majorhazards import services as installations
from anquan.majorhazards.models import MajorHazardInstallation

from ..conftest import login
from ..riskpoints.helpers import REFERENCE_INSTALLATION

pytestmark = pytest.mark.django_db


def test_reference_case_is_stored_with_its_computation(world):
    inst = installations.create_installation(
        {**REFERENCE_INSTALLATION, "enterprise": world.chem_t1.uscc}, actor=world.users["county_office"]
    )
    inst.refresh_from_db()
    assert (inst.s, inst.is_major, inst.alpha, inst.r, inst.grade) == (
        Decimal("1.2"),
        True,
        Decimal("1.5"),
        Decimal("5.4"),
        4,
    )
    c = inst.computation
    assert (c["s"], c["r"], c["grade"], c["s_exact"], c["r_exact"]) == (1.2, 5.4, 4, "6/5", "27/5")
    assert [
        (line["substance"], line["q"], line["Q"], line["beta"], line["ratio"]) for line in c["lines"]
    ] == [
        ("氯", 3.0, 5.0, 4.0, 0.6),
        ("氨", 6.0, 10.0, 2.0, 0.6),
    ]
    assert [(s.name, s.quantity_t) for s in inst.substances.all()] == [("氯", Decimal(3)), ("氨", Decimal(6))]
    assert (inst.region_code, inst.supervising_department_id) == (
        world.chem_t1.region_code,
        world.chem_t1.supervising_department_id,
    )
    assert len(inst.required_sensors) == 4  # see test_required_monitoring_follows_the_substances_and_the_unit
    entry = AuditEntry.objects.get(model="majorhazards.majorhazardinstallation", object_id=str(inst.pk))
    assert entry.action == "create" and entry.after["grade"] == 4 and len(entry.after["substances"]) == 2


def test_recomputes_on_change(world):
    manager = world.users["enterprise_manager"]
    inst = installations.create_installation(
        REFERENCE_INSTALLATION, actor=manager
    )  # own enterprise by default
    assert inst.enterprise == world.chem_t1
    inst = installations.update_installation(
        inst,
        {"substances": [{"name": "氯", "quantity_t": "3"}, {"name": "氨", "quantity_t": "60"}]},
        actor=manager,
    )
    inst.refresh_from_db()
    # S = 3/5 + 60/10 = 6.6; R = 1.5 × (4×0.6 + 2×6) = 21.6 → grade 3
    assert (inst.s, inst.r, inst.grade) == (Decimal("6.6"), Decimal("21.6"), 3)
    assert inst.computation["lines"][1]["q"] == 60.0
    assert inst.substances.count() == 2
    inst = installations.update_installation(inst, {"exposed_persons": 150}, actor=manager)  # α = 2.0
    assert (inst.r, inst.grade) == (Decimal("28.8"), 3)
    inst = installations.update_installation(
        inst, {"substances": [{"name": "氨", "quantity_t": "1"}]}, actor=manager
    )
    assert (inst.is_major, inst.s, inst.r, inst.grade, inst.computation["r"]) == (
        False,
        Decimal("0.1"),
        None,
        None,
        None,
    )
    assert (
        AuditEntry.objects.filter(model="majorhazards.majorhazardinstallation", action="update").count() == 3
    )


def test_bad_input_changes_nothing(world):
    manager = world.users["enterprise_manager"]
    with pytest.raises(ValidationFailed) as exc:
        installations.create_installation(
            {**REFERENCE_INSTALLATION, "name": "", "exposed_persons": None, "unit_type": "warehouse"},
            actor=manager,
        )
    assert {"name", "unit_type"} <= {e.field for e in exc.value.errors}
    inst = installations.create_installation(REFERENCE_INSTALLATION, actor=manager)
    with pytest.raises(ValidationFailed) as exc:
        installations.update_installation(
            inst, {"exposed_persons": None}, actor=manager
        )  # major: α needs persons
    assert exc.value.errors[0].field == "exposed_persons"
    with pytest.raises(NotPermitted):
        installations.update_installation(inst, {"name": "x"}, actor=world.users["grid_worker"])
    inst.refresh_from_db()
    assert (inst.name, inst.grade, inst.exposed_persons) == ("液氯液氨储存单元", 4, 60)
    assert MajorHazardInstallation.objects.count() == 1


def test_required_monitoring_follows_the_substances_and_the_unit(world):
    """Decree 40 art. 13 as held in data/required_sensors.json: every major unit measures temperature and
    pressure; a storage unit its level; a toxic gas of GB 18218 表3 (chlorine, ammonia) needs a toxic-gas
    detector, a flammable gas (LPG, W2) a combustible-gas one; a unit below S = 1 needs none."""
    office = world.users["county_office"]
    toxic = installations.create_installation(
        {**REFERENCE_INSTALLATION, "enterprise": world.chem_t1.uscc}, actor=office
    )
    assert [s["kind"] for s in toxic.required_sensors] == [
        "temperature",
        "pressure",
        "liquid_level",
        "toxic_gas",
    ]
    lpg = installations.create_installation(
        {
            **REFERENCE_INSTALLATION,
            "enterprise": world.chem_t1.uscc,
            "name": "液化气储罐",
            "unit_type": "production",
            "substances": [{"name": "液化石油气", "quantity_t": "60"}],
        },
        actor=office,
    )
    assert [s["kind"] for s in lpg.required_sensors] == ["temperature", "pressure", "flow", "combustible_gas"]
    small = installations.update_installation(
        lpg, {"substances": [{"name": "液化石油气", "quantity_t": "1"}]}, actor=office
    )
    assert small.is_major is False and small.required_sensors == []
    detail = login(world.users["county_office"]).get(f"/risk/installations/{toxic.pk}/").content.decode()
    assert 'data-kind="toxic_gas"' in detail and "第十三条" in detail
