"""Tip-offs through the services: the reward rules at their bounds, the workflow from receipt to paid reward (a
hazard made, an accident linked), scope (another county: 404), the reporter's identity encrypted at rest and every
view of it audited, and the statistics."""

import datetime as dt
from decimal import Decimal

import pytest
from django.db import connection
from django.http import Http404
from django.utils import timezone

from anquan.core.errors import Conflict, NotPermitted, ValidationFailed

pytestmark = pytest.mark.django_db


def figures():
    from anquan.rules.services import in_force
    from anquan.tipoffs import rules

    return in_force(rules.KIND, timezone.localdate(), "360402").typed


def test_the_fine_share_reward_at_its_bounds():
    """15 % of the fine, raised to 3,000 and cut to 300,000 (安监总财〔2018〕19号 as reported)."""
    from anquan.tipoffs.rules import fine_reward, fine_share

    f = figures()
    assert fine_share(Decimal("19993.33"), f) == Decimal("2999.00")  # 15 % gives 2,999 …
    assert fine_reward(Decimal("19993.33"), f) == Decimal("3000.00")  # … the reward is the minimum, 3,000
    assert fine_reward(Decimal("20000"), f) == Decimal("3000.00")
    assert fine_reward(Decimal("100000"), f) == Decimal("15000.00")  # inside the bounds: exactly 15 %
    assert fine_reward(Decimal("2000000"), f) == Decimal("300000.00")  # 15 % = 300,000: the cap itself
    assert fine_share(Decimal("2000010"), f) == Decimal("300001.50")  # 15 % above the cap …
    assert fine_reward(Decimal("2000010"), f) == Decimal("300000.00")  # … cut to 300,000


@pytest.mark.parametrize(
    "grade,deaths,expected",
    [
        ("ordinary", 1, "30000.00"),
        ("larger", 3, "120000.00"),
        ("major", 6, "300000.00"),  # 6 × 50,000 = 300,000: the cap exactly
        ("major", 7, "300000.00"),  # 350,000 capped
        ("especially_major", 5, "300000.00"),  # 5 × 60,000 = 300,000
        ("especially_major", 10, "300000.00"),  # 600,000 capped
        ("larger", 0, "0.00"),
    ],
)
def test_the_concealed_accident_reward_per_death_by_grade_capped(grade, deaths, expected):
    from anquan.tipoffs.rules import accident_reward

    assert accident_reward(grade, deaths, figures()) == Decimal(expected)


def test_the_reward_version_is_marked_partial_with_its_source():
    from anquan.rules.services import in_force
    from anquan.tipoffs import rules

    version = in_force(rules.KIND, timezone.localdate(), "360402")
    assert version.verified == "partial" and not version.is_verified
    assert "安监总财〔2018〕19号" in version.source


def test_identity_is_encrypted_at_rest_and_not_in_a_raw_dump(filed):
    """The table read with plain SQL (what a dump holds): no name, no phone, in no column of any table row."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT * FROM tipoffs_tipoff WHERE id = %s", [filed.pk])
        row = cursor.fetchone()
        cursor.execute("SELECT before, after, comment, object_repr FROM core_auditentry")
        audit_rows = cursor.fetchall()
    dump = " ".join(str(v) for v in row) + " ".join(str(v) for r in audit_rows for v in r)
    assert "李小明" not in dump and "13912345678" not in dump
    assert "912345678" not in dump  # not even part of the number
    assert filed.reporter_name_encrypted and filed.reporter_phone_encrypted and filed.has_contact


def test_identity_is_read_only_by_the_roles_allowed_and_every_view_is_audited(world, filed):
    from anquan.core.models import AuditEntry
    from anquan.tipoffs import services

    office = world.users["county_office"]
    before = AuditEntry.objects.filter(action="view").count()
    shown = services.reveal_identity(filed.pk, office)
    assert shown == {"name": "李小明", "phone": "13912345678", "anonymous": False}
    entry = AuditEntry.objects.filter(action="view").order_by("-id").first()
    assert AuditEntry.objects.filter(action="view").count() == before + 1
    assert (
        entry.comment == "查看举报人身份" and entry.actor_id == office.pk and entry.object_id == str(filed.pk)
    )
    services.reveal_identity(filed.pk, office)
    assert AuditEntry.objects.filter(action="view").count() == before + 2  # every view, not the first only
    with pytest.raises(NotPermitted):  # a township office handles tip-offs but may not see who sent them
        services.reveal_identity(filed.pk, world.users["township_office"])
    with pytest.raises(Http404):  # another county does not even learn it exists
        services.reveal_identity(filed.pk, world.users["county_office_b"])
    assert AuditEntry.objects.filter(action="view").count() == before + 2


def test_an_office_of_another_county_cannot_see_or_move_it(world, filed):
    from anquan.core.scope import restrict
    from anquan.tipoffs import actions
    from anquan.tipoffs.models import TipOff

    other = world.users["county_office_b"]
    assert not restrict(TipOff, other).filter(pk=filed.pk).exists()
    with pytest.raises(Http404):
        actions.transition(filed, "accept", actor=other, department="应急管理局")
    assert TipOff.objects.get(pk=filed.pk).status == "received"
    # a department sees it only once it is routed to that department
    assert not restrict(TipOff, world.users["emergency_supervisor"]).filter(pk=filed.pk).exists()


def test_a_hazard_tip_off_from_receipt_to_paid_reward(world, filed):
    from anquan.core.todo import items_for
    from anquan.hazards.models import Hazard
    from anquan.tipoffs import actions, services

    office, boss = world.users["county_office"], world.users["emergency_supervisor"]
    assert any(i.kind == "tipoffs.accept" and i.count == 1 for i in items_for(office))
    with pytest.raises(ValidationFailed) as refused:
        actions.transition(filed, "accept", actor=office)
    assert refused.value.errors[0].field == "department"
    t = actions.transition(filed, "accept", actor=office, department="应急管理局", region=world.t1.code)
    assert t.status == "accepted" and t.department.name == "应急管理局" and t.replied_at is not None
    assert any(i.kind == "tipoffs.verify" for i in items_for(boss))  # routed: now the department's to verify
    t = actions.transition(t, "verify", actor=boss)
    with pytest.raises(ValidationFailed) as refused:
        actions.transition(t, "substantiate", actor=boss)
    assert refused.value.errors[0].field == "reply"
    t = actions.transition(
        t, "substantiate", actor=office, reply="经核查属实，已责令整改并处罚款", fine_amount="19993.33"
    )
    hazard = Hazard.objects.get(pk=t.hazard_id)
    assert (
        hazard.source == "tip_off"
        and hazard.region_code == world.t1.code
        and t.tracking_code in hazard.description
    )
    with pytest.raises(NotPermitted):  # rewards: the offices from the county up and the departments
        actions.transition(t, "decide_reward", actor=world.users["township_office"])
    t = actions.transition(t, "decide_reward", actor=office)
    assert t.status == "reward_decided" and t.reward_amount == Decimal("3000.00")
    assert "19,993.33" in t.reward_basis and t.reward_rule_version_id
    with pytest.raises(ValidationFailed):
        actions.transition(
            t, "pay_reward", actor=office, paid_on=(timezone.localdate() + dt.timedelta(days=3))
        )
    t = actions.transition(t, "pay_reward", actor=office, paid_on=timezone.localdate())
    assert t.status == "reward_paid" and t.concluded_at is not None
    assert [e.action for e in t.events.all()] == [
        "submit",
        "accept",
        "verify",
        "substantiate",
        "decide_reward",
        "pay_reward",
    ]
    view = services.public_view(t)
    assert view["status_label"] == "奖励已发放" or view["status"] == "reward_paid"
    with pytest.raises(Conflict):
        actions.transition(t, "pay_reward", actor=office, paid_on=timezone.localdate())


def test_an_anonymous_tip_off_gets_no_reward(world, tipoff_raw):
    from anquan.tipoffs import actions, services

    raw = {k: v for k, v in tipoff_raw.items() if not k.startswith("reporter_")}
    t, _ = services.submit(raw)
    office = world.users["county_office"]
    t = actions.transition(t, "accept", actor=office, department="应急管理局")
    t = actions.transition(t, "verify", actor=office)
    t = actions.transition(t, "substantiate", actor=office, reply="属实", fine_amount="50000")
    with pytest.raises(Conflict) as refused:
        actions.transition(t, "decide_reward", actor=office)
    assert refused.value.code == "anonymous"


def test_a_concealed_accident_links_to_its_accident_and_rewards_per_death(world, tipoff_raw):
    from anquan.accidents import actions as accident_actions
    from anquan.accidents.models import Accident
    from anquan.tipoffs import actions, services

    accident = accident_actions.report_accident(
        {
            "occurred_at": (timezone.now() - dt.timedelta(days=20)).isoformat(),
            "enterprise": world.chem_t1.uscc,
            "category": "WSA10001",
            "summary": "储罐区物体打击",
            "deaths": 4,
        },
        actor=world.users["county_office"],
    )
    assert Accident.objects.get(pk=accident.pk).grade == "larger"
    t, _ = services.submit(tipoff_raw | {"kind": "concealed_accident", "description": "工地死了4人没上报"})
    office = world.users["county_office"]
    t = actions.transition(t, "accept", actor=office, department="应急管理局")
    t = actions.transition(t, "verify", actor=office)
    with pytest.raises(ValidationFailed) as refused:
        actions.transition(t, "substantiate", actor=office, reply="属实")
    assert refused.value.errors[0].field == "accident"
    t = actions.transition(
        t, "substantiate", actor=office, reply="属实，已依法查处", accident=accident.pk, concealed_deaths=3
    )
    assert t.accident_id == accident.pk and t.concealed_deaths == 3 and t.hazard_id is None
    t = actions.transition(t, "decide_reward", actor=office)
    assert t.reward_amount == Decimal("120000.00")  # 3 × 40,000 (较大事故)


def test_statistics_by_stage_reply_time_share_and_rewards(world, filed, tipoff_raw):
    from anquan.tipoffs import actions, services, stats
    from anquan.tipoffs.models import TipOff

    office = world.users["county_office"]
    other, _ = services.submit(tipoff_raw | {"reporter_phone": "13700000000"})
    TipOff.objects.filter(pk=other.pk).update(submitted_at=timezone.now() - dt.timedelta(days=2))
    other.refresh_from_db()
    actions.transition(other, "reject", actor=office, reply="不属于安全生产监管范围")
    t = actions.transition(filed, "accept", actor=office, department="应急管理局")
    t = actions.transition(t, "verify", actor=office)
    actions.transition(t, "unsubstantiate", actor=office, reply="现场未发现液化气瓶")
    today = timezone.localdate()
    from anquan.regions.models import Region

    s = stats.counts(Region.objects.get(code="360402"), today - dt.timedelta(days=30), today)
    assert s["total"] == 2 and s["replied"] == 2 and s["concluded"] == 1 and s["substantiated"] == 0
    assert s["substantiated_share"] == 0.0
    assert 0.9 < s["average_days_to_reply"] < 1.1  # (2 days + a moment) / 2
    counts = {row["status"]: row["count"] for row in s["by_status"]}
    assert counts["rejected"] == 1 and counts["unsubstantiated"] == 1
    assert stats.counts(Region.objects.get(code="360424"), today - dt.timedelta(days=30), today)["total"] == 0
