"""An enterprise's current records follow it when it changes county or department — by the API, the page,
or a change of the 三管三必须 rules — in the same transaction, audited as one entry per moved set; what
already happened (closed hazards, done tasks, accidents, submitted reports) stays where it happened."""

import json

import pytest
from django.apps import apps

from anquan.core.models import AuditEntry

pytestmark = pytest.mark.django_db

CURRENT = [
    "riskpoints.RiskPoint",
    "majorhazards.MajorHazardInstallation",
    "riskpoints.SitePlan",
    "checks.CheckTask",
    "hazards.Hazard",
    "riskreports.RiskReport",
]


def place_of(obj):
    obj.refresh_from_db()
    return obj.region_code, obj.supervising_department_id


def current(world):
    return [world.first(label) for label in CURRENT]


def staying(world):
    return [
        r.obj
        for records in world.records.values()
        for r in records
        if r.stays and hasattr(r.obj, "supervising_department_id")
    ]


def move_entries(world):
    return AuditEntry.objects.filter(object_id=f"enterprise:{world.enterprise.pk}").order_by("id")


def test_moving_county_through_the_api_moves_current_records_and_leaves_history(world, clients):
    e, town = world.enterprise, world.regions["xs_town"]
    history = {obj: place_of(obj) for obj in staying(world)}
    response = clients["province"][1].patch(
        f"/api/v1/enterprises/{e.pk}", json.dumps({"region": town.code}), content_type="application/json"
    )
    assert response.status_code == 200, response.content
    for obj in current(world):
        assert place_of(obj) == (town.code, e.supervising_department_id), obj._meta.label
    hazard = world.first("hazards.Hazard")
    assert hazard.region_id == town.pk  # the hazard's region, not only its code
    for obj, before in history.items():
        assert place_of(obj) == before, obj._meta.label
    # E's own account moved with it (the new county manages it); it still sees E's history
    manager = world.users["manager_e"]
    manager.refresh_from_db()
    assert manager.region_id == town.pk
    accident = world.first("accidents.Accident", stays=True)
    assert clients["manager_e"][1].get(f"/api/v1/accidents/{accident.pk}").status_code == 200

    entries = {entry.model: entry for entry in move_entries(world)}
    assert set(entries) == {label.lower() for label in CURRENT} | {"accounts.user"}
    for label in CURRENT:
        entry = entries[label.lower()]
        assert entry.after["ids"] == [world.first(label).pk]
        assert entry.before["region_code"] == world.regions["t1"].code
        assert entry.after["region_code"] == entry.region_code == town.code
        assert "随企业迁移" in entry.object_repr


def test_changing_department_on_the_page_moves_current_records(world, clients):
    e = world.enterprise
    housing = world.departments["住建局"]
    page = clients["county_a"][0].get(f"/enterprises/{e.pk}/edit/")
    assert page.status_code == 200
    # what the page's form holds, as a browser would post it back, with the department changed
    raw = {
        k: ("on" if v is True else v)
        for k, v in page.context["form"].initial.items()
        if v not in (None, False, "")
    }
    raw["supervising_department"] = "住建局"
    response = clients["county_a"][0].post(f"/enterprises/{e.pk}/edit/", raw)
    assert response.status_code == 302, response.content.decode()[:2000]
    for obj in current(world):
        assert place_of(obj) == (e.region_code, housing.pk), obj._meta.label
    assert len(move_entries(world)) == len(CURRENT)  # no account moves: the region stayed


def test_a_new_三管三必须_rule_moves_the_records_of_the_enterprises_it_re_derives(world):
    from anquan.orgs.services import set_rule

    e = world.enterprise
    housing = world.departments["住建局"]
    set_rule(
        actor=world.users["province"],
        region=world.regions["county_a"],
        industry=e.industry,
        department=housing,
    )
    e.refresh_from_db()
    assert e.supervising_department_id == housing.pk
    for obj in current(world):
        assert place_of(obj) == (e.region_code, housing.pk), obj._meta.label
    entries = list(move_entries(world))
    assert len(entries) == len(CURRENT) and all("三管三必须" in x.comment for x in entries)
    # O lies beside E with the same industry: its (empty) record sets wrote no entries
    assert not AuditEntry.objects.filter(object_id=f"enterprise:{world.other.pk}").exists()


def test_a_refused_move_moves_nothing(world, clients):
    """A county office cannot move E out of its county: 422, and neither E nor its records moved."""
    e, town = world.enterprise, world.regions["xs_town"]
    places = {obj: place_of(obj) for obj in current(world)}
    response = clients["county_a"][1].patch(
        f"/api/v1/enterprises/{e.pk}", json.dumps({"region": town.code}), content_type="application/json"
    )
    assert response.status_code == 422
    assert {obj: place_of(obj) for obj in places} == places
    assert not move_entries(world).exists()


def test_an_edit_that_keeps_the_place_moves_nothing(world, clients):
    response = clients["county_a"][1].patch(
        f"/api/v1/enterprises/{world.enterprise.pk}",
        json.dumps({"employee_count": 12}),
        content_type="application/json",
    )
    assert response.status_code == 200
    assert not move_entries(world).exists()
    assert apps.get_model("riskpoints.RiskPoint").objects.get(
        pk=world.first("riskpoints.RiskPoint").pk
    ).region_code == (world.regions["t1"].code)


def test_after_a_move_notifications_go_to_the_new_supervisors(world):
    """Recipients are picked among `who_can_see`: once E's department is 住建局, the missed-task alert goes to
    住建局's supervisor and the report reviewers are 住建局's and the offices', never 应急管理局's."""
    from anquan.checks import task_alerts
    from anquan.enterprises.services import update_enterprise
    from anquan.riskreports import actions as reports

    e = world.enterprise
    names = {user.pk: name for name, user in world.users.items()}
    draft = world.first("riskreports.RiskReport")
    assert [names[u.pk] for u in task_alerts.supervisors([e])[e.pk]] == ["emergency_a"]
    assert "emergency_a" in {names.get(u.pk) for u in reports.reviewers(draft)}
    update_enterprise(e, {"supervising_department": "住建局"}, actor=world.users["province"])
    e.refresh_from_db()
    draft.refresh_from_db()
    assert [names[u.pk] for u in task_alerts.supervisors([e])[e.pk]] == ["housing_a"]
    reviewers = {names.get(u.pk) for u in reports.reviewers(draft)}
    assert "housing_a" in reviewers and "emergency_a" not in reviewers
    assert {names.get(u.pk) for u in reports.enterprise_users(draft)} == {"manager_e"}
