"""The hazards' to-do entries (issue #12): each kind counts exactly the hazards whose step the user could take
now, for every persona; the ledger's `?todo=` lists them; batch acceptance is all or nothing; the notices a step
announced are cleared once it is taken; the reporter hears of every step."""

import pytest
from django.urls import reverse

from anquan.core.models import AuditEntry, Notification
from anquan.core.scope import restrict
from anquan.core.todo import items_for
from anquan.hazards import actions, batch, listing, todo
from anquan.hazards import services as reporting
from anquan.hazards.choices import Action, Status
from anquan.hazards.errors import Conflict
from anquan.hazards.models import Hazard
from anquan.hazards.workflow import HAZARD_FLOW

from ..conftest import login
from .conftest import NOW, chemical_item, evidence

pytestmark = pytest.mark.django_db

PLAN = {"responsible_party": "生产部", "deadline": "2026-12-31"}
MAJOR_PLAN = PLAN | {"measures": "m", "funds_yuan": "1", "contingency_plan": "p"}
# the step each to-do kind waits for
STEP = {
    "accept": Action.ACCEPT,
    "assign": Action.ASSIGN,
    "rectify": Action.SUBMIT,
    "review": Action.ACCEPT_RECTIFICATION,
    "extension": Action.GRANT_EXTENSION,
    "delist": Action.DELIST,
}


ROUTINE = ("accept", "assign", "review", "extension")


def move(hazard, action, user, **fields):
    return actions.transition(hazard, action, actor=user, now=NOW, **fields)


def report(world, persona, **raw):
    return reporting.report_hazard(raw, actor=world.users[persona], now=NOW)


@pytest.fixture
def hazards(world, safety_officer):
    """Hazards in every state a to-do kind looks at, from every source, general and major, with and without
    an enterprise."""
    u = world.users
    manager, inspector = u["enterprise_manager"], u["inspector"]
    made = [
        report(world, "grid_worker", enterprise=world.chem_t1.uscc, source="grid_patrol", description="a"),
        report(
            world, "county_office", region=world.t1.code, address="桥下", source="tip_off", description="b"
        ),
        report(world, "enterprise_manager", description="c"),  # self-check: confirmed
        report(world, "inspector", enterprise=world.chem_t1.uscc, source="inspection", description="d"),
    ]
    rectifying = move(
        report(world, "inspector", enterprise=world.chem_t1.uscc, description="e"),
        "assign",
        inspector,
        **PLAN,
    )
    move(rectifying, "request_extension", manager, until="2027-01-15", reason="排期")
    submitted = move(
        report(world, "inspector", enterprise=world.chem_t1.uscc, description="f"),
        "assign",
        inspector,
        **PLAN,
    )
    move(submitted, "submit", manager, evidence="x", attachments=evidence(submitted, manager))
    own = move(report(world, "enterprise_manager", description="g"), "assign", manager, **PLAN)
    move(own, "submit", safety_officer, evidence="x", attachments=evidence(own, safety_officer))
    public = report(
        world, "grid_worker", region=world.t1.code, address="广场", source="grid_patrol", description="h"
    )
    move(move(public, "accept", u["township_office"]), "assign", u["township_office"], **PLAN)
    major = report(
        world, "inspector", enterprise=world.chem_t1.uscc, description="i", judgement_item=chemical_item(1).pk
    )
    major = move(major, "assign", inspector, **MAJOR_PLAN)
    listing.list_hazard(
        major,
        actor=u["county_office"],
        level="county",
        authority="濂溪区安委会",
        document_no="1号",
        deadline="2026-12-31",
        now=NOW,
    )
    move(major, "submit", manager, evidence="x", attachments=evidence(major, manager))
    move(major, "accept_rectification", u["emergency_supervisor"])  # listed: waits for its delisting
    submitted_major = report(
        world,
        "enterprise_manager",
        enterprise=world.chem_t1.uscc,
        description="j",
        judgement_note="GB 1 第2条",
        level="major",
    )
    submitted_major = move(submitted_major, "assign", manager, **MAJOR_PLAN)
    move(submitted_major, "submit", manager, evidence="x", attachments=evidence(submitted_major, manager))
    made += [rectifying, submitted, own, public, major, submitted_major]
    return made


def can(user, hazard, action) -> bool:
    hazard = Hazard.objects.get(pk=hazard.pk)
    if action == Action.DELIST:
        return action in HAZARD_FLOW.available(hazard, user)
    return action in actions.available_actions(hazard, user)


def expected(user, hazard, kind) -> bool:
    """An enterprise's self-check findings wait for the enterprise to assign and review, not for an authority;
    routine steps wait for the hazard's county and township offices, not for a city's or province's office
    (unless the hazard is registered at that office's own region)."""
    own_step = kind in ("assign", "review") and hazard.source == "self_check"
    office_above = user.region and user.region.level < 3 and not (user.department_id or user.enterprise_id)
    above = (
        office_above and hazard.region_code != user.region.code
    )  # the province's and city's offices, the admin
    return (not own_step or bool(user.enterprise_id)) and not (kind in ROUTINE and above)


def test_every_kind_counts_what_the_user_could_do_now(world, hazards, safety_officer):
    """For every persona and kind: the hazards the kind lists are exactly those whose step the user may take
    (the rules that decide the buttons; an enterprise's own self-check steps wait for it alone), and the to-do
    item's count is their number."""
    assert {Hazard.objects.get(pk=h.pk).status for h in hazards} >= set(Status.values) - {
        "closed",
        "rejected",
        "cancelled",
    }
    for name, user in [*world.users.items(), ("safety_officer", safety_officer)]:
        seen = restrict(Hazard, user)
        items = {i.kind: i for i in items_for(user)}
        for kind, action in STEP.items():
            listed = set(seen.filter(todo.waiting(user, kind)).values_list("pk", flat=True))
            allowed = {h.pk for h in seen if can(user, h, action) and expected(user, h, kind)}
            assert listed == allowed, (name, kind)
            count = items[f"hazards.{kind}"].count if f"hazards.{kind}" in items else 0
            assert count == len(allowed), (name, kind)
    kinds = {i.kind for i in items_for(world.users["county_office"])}
    assert {"hazards.accept", "hazards.assign", "hazards.delist"} <= kinds
    kinds = {i.kind for i in items_for(world.users["emergency_supervisor"])}
    assert {"hazards.review", "hazards.extension"} <= kinds
    for office in (
        "city_office",
        "province_office",
    ):  # they may step in, but the counties' routine work is not theirs
        assert not {f"hazards.{kind}" for kind in ROUTINE} & {i.kind for i in items_for(world.users[office])}
    kinds = {i.kind for i in items_for(world.users["enterprise_manager"])}
    assert {"hazards.assign", "hazards.rectify"} <= kinds


def test_the_ledger_lists_one_kind_and_refuses_an_unknown_one(world, hazards):
    county = login(world.users["county_office"])
    page = county.get(reverse("hazards:ledger") + "?todo=assign")
    shown = {h.pk for h in page.context["page"].object_list}
    expected = set(
        restrict(Hazard, world.users["county_office"])
        .filter(status=Status.CONFIRMED)
        .exclude(source="self_check")
        .values_list("pk", flat=True)
    )
    assert shown == expected and shown
    html = page.content.decode()
    # the heading says which to-do list this is and how many wait, with the way back to the whole ledger
    assert f"待交办整改的隐患（{len(expected)}）" in html
    assert f'data-testid="whole-ledger" href="{reverse("hazards:ledger")}"' in html
    whole = county.get(reverse("hazards:ledger")).content.decode()
    assert "待交办整改的隐患（" not in whole and 'data-testid="whole-ledger"' not in whole
    bad = county.get(reverse("hazards:ledger") + "?todo=nonsense")
    assert "待办类型无效" in bad.content.decode() and not bad.context["page"].object_list


def test_a_grid_report_reaches_the_township_and_county_offices_and_its_notice_clears_once_accepted(world):
    hazard = report(
        world, "grid_worker", enterprise=world.chem_t1.uscc, source="grid_patrol", description="消防通道堵塞"
    )
    told = Notification.objects.filter(subject=f"hazard:{hazard.pk}", kind="hazard_accept")
    assert {n.user.username for n in told} == {"township_office", "county_office"}
    assert all(n.read_at is None and "请受理" in n.title for n in told)
    move(hazard, "accept", world.users["county_office"])
    assert all(n.done_at and n.read_at for n in told.all())  # the township's too: the task is done
    feedback = Notification.objects.get(user=world.users["grid_worker"], kind="hazard_feedback")
    assert hazard.number  # named by its business number, as the ledger shows it
    assert feedback.title == f"您上报的隐患{hazard.number}（{hazard.place}）已受理"


def test_batch_accept_takes_all_or_none(world):
    u = world.users
    first, second, third = (
        report(world, "grid_worker", enterprise=world.chem_t1.uscc, source="grid_patrol", description=str(i))
        for i in range(3)
    )
    move(third, "reject", u["township_office"], reason="重复上报")
    county = login(u["county_office"])
    before = AuditEntry.objects.count()
    response = county.post(
        reverse("hazards:accept_batch"), {"ids": [first.pk, second.pk, third.pk]}, follow=True
    )
    assert third.number in response.content.decode()  # named (by its number) as no longer to accept
    assert set(Hazard.objects.filter(pk__in=[first.pk, second.pk]).values_list("status", flat=True)) == {
        Status.REPORTED
    }
    assert AuditEntry.objects.count() == before
    page = county.get(reverse("hazards:accept_batch"))
    assert [h.pk for h in page.context["page"].object_list] == [first.pk, second.pk]
    county.post(reverse("hazards:accept_batch"), {"ids": [first.pk, second.pk], "comment": "已核实"})
    assert set(Hazard.objects.filter(pk__in=[first.pk, second.pk]).values_list("status", flat=True)) == {
        Status.CONFIRMED
    }
    assert "hazards.accept" not in {i.kind for i in items_for(u["county_office"])}
    assert (
        Notification.objects.filter(user=u["grid_worker"], kind="hazard_feedback").count() == 3
    )  # 2 + the rejection
    with pytest.raises(Conflict):
        batch.accept_reports([str(first.pk)], actor=u["county_office"])
    assert login(u["grid_worker"]).get(reverse("hazards:accept_batch")).status_code == 403


def test_the_reporter_hears_of_every_step_to_close_out(world):
    u = world.users
    hazard = report(
        world, "grid_worker", enterprise=world.chem_t1.uscc, source="grid_patrol", description="配电箱无门"
    )
    move(hazard, "accept", u["county_office"])
    move(hazard, "assign", u["county_office"], **PLAN)
    move(
        hazard,
        "submit",
        u["enterprise_manager"],
        evidence="x",
        attachments=evidence(hazard, u["enterprise_manager"]),
    )
    move(hazard, "return", u["township_office"], reason="照片不清")
    move(
        hazard,
        "submit",
        u["enterprise_manager"],
        evidence="y",
        attachments=evidence(hazard, u["enterprise_manager"]),
    )
    move(hazard, "accept_rectification", u["township_office"])
    titles = list(
        Notification.objects.filter(user=u["grid_worker"], kind="hazard_feedback")
        .order_by("id")
        .values_list("title", flat=True)
    )
    head = f"您上报的隐患{hazard.number}（{hazard.place}）"
    assert titles == [
        head + "已受理",
        head + "已交办整改",
        head + "已整改完毕，等待验收",
        head + "整改未通过验收，已退回继续整改",
        head + "已整改完毕，等待验收",
        head + "整改已验收，已销号",
    ]
    # the review request the township and county got for the first submission was cleared by the return,
    # the second by the acceptance; nothing about this hazard still waits unread
    assert not Notification.objects.filter(subject=f"hazard:{hazard.pk}", done_at__isnull=True).exists()


def test_an_accepted_listed_hazard_asks_its_listing_office_to_delist(world, hazards):
    major = Hazard.objects.get(pk=hazards[8].pk)
    assert (major.status, major.listed_level) == (Status.ACCEPTED, "county")
    asked = Notification.objects.filter(kind="hazard_delist", subject=f"hazard:{major.pk}")
    assert [n.user.username for n in asked] == ["county_office"] and asked.get().done_at is None
    listing.delist(major, actor=world.users["county_office"], comment="整改完成，予以摘牌")
    assert asked.get().done_at is not None
    assert "hazards.delist" not in {i.kind for i in items_for(world.users["county_office"])}
