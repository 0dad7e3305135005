"""Every path through the hazard workflow by the right roles, and a refused attempt for each wrong role
or wrong state: 403 (role) or 409 (state, separation of duties) with an error code, and nothing changed."""

import datetime as dt

import pytest
from django.http import Http404

from anquan.core.errors import NotPermitted, ValidationFailed
from anquan.core.models import AuditEntry
from anquan.hazards import actions, listing
from anquan.hazards import services as reporting
from anquan.hazards.choices import Status
from anquan.hazards.errors import Conflict
from anquan.hazards.models import Hazard, HazardEvent, Listing

from .conftest import NOW, chemical_item, evidence

pytestmark = pytest.mark.django_db


def move(hazard, action, user, **fields):
    return actions.transition(hazard, action, actor=user, now=NOW, **fields)


def refused(hazard, action, user, exc_type, code=None, **fields):
    before = (Hazard.objects.get(pk=hazard.pk).status, HazardEvent.objects.filter(hazard=hazard).count())
    with pytest.raises(exc_type) as info:
        move(hazard, action, user, **fields)
    after = (Hazard.objects.get(pk=hazard.pk).status, HazardEvent.objects.filter(hazard=hazard).count())
    assert after == before, "a refused transition must change nothing"
    if code is not None:
        assert getattr(info.value, "code", None) == code
    return info.value


PLAN = {"responsible_party": "生产部 王强", "measures": "更换损坏的防爆灯具", "deadline": "2026-12-15"}


def test_self_check_path_accepted_by_the_enterprise_safety_manager(world, safety_officer):
    manager = world.users["enterprise_manager"]
    hazard = reporting.report_hazard({"description": "储罐区防爆灯具损坏"}, actor=manager, now=NOW)
    assert (hazard.status, hazard.source, hazard.enterprise) == (
        Status.CONFIRMED,
        "self_check",
        world.chem_t1,
    )
    assert hazard.supervising_department.name == "应急管理局"
    refused(hazard, "submit", manager, Conflict, "invalid_state", evidence="x")
    move(hazard, "assign", manager, **PLAN)
    refused(hazard, "accept_rectification", safety_officer, Conflict, "invalid_state")
    move(hazard, "submit", manager, evidence="已更换为防爆灯具", attachments=evidence(hazard, manager))
    refused(hazard, "accept_rectification", manager, Conflict, "separation_of_duties")
    refused(hazard, "accept_rectification", world.users["grid_worker"], NotPermitted, "not_permitted")
    closed = move(hazard, "accept_rectification", safety_officer)
    assert closed.status == Status.CLOSED and closed.accepted_by == safety_officer
    assert [e.action for e in closed.events.all()] == ["report", "assign", "submit", "accept_rectification"]
    assert [(e.from_status, e.to_status) for e in closed.events.all()][1:] == [
        ("confirmed", "rectifying"),
        ("rectifying", "submitted"),
        ("submitted", "closed"),
    ]


def test_inspection_path_reviewed_by_the_inspecting_department(world):
    inspector, manager = world.users["inspector"], world.users["enterprise_manager"]
    hazard = reporting.report_hazard(
        {"enterprise": world.chem_t1.uscc, "source": "inspection", "description": "未按规定设置安全警示标志"},
        actor=inspector,
        now=NOW,
    )
    assert hazard.status == Status.CONFIRMED and hazard.found_department.name == "应急管理局"
    refused(hazard, "assign", world.users["grid_worker"], NotPermitted)
    move(hazard, "assign", inspector, **PLAN)
    refused(hazard, "submit", inspector, NotPermitted, "not_permitted", evidence="x")
    move(hazard, "submit", manager, evidence="已设置警示标志", attachments=evidence(hazard, manager))
    refused(
        hazard, "accept_rectification", manager, NotPermitted
    )  # inspection findings are reviewed by the department
    refused(hazard, "accept_rectification", world.users["county_office"], NotPermitted)
    assert move(hazard, "accept_rectification", world.users["emergency_supervisor"]).status == Status.CLOSED


def test_an_inspection_recorded_by_an_office_is_reviewed_by_the_supervising_department(world):
    """A county office (no department) records an inspection finding: its rectification is accepted by the
    department that supervises the enterprise — not left with no reviewer."""
    office, manager = world.users["county_office"], world.users["enterprise_manager"]
    hazard = reporting.report_hazard(
        {"enterprise": world.chem_t1.uscc, "source": "inspection", "description": "消防水泵房被堆放杂物"},
        actor=office,
        now=NOW,
    )
    assert hazard.found_department is None
    move(hazard, "assign", office, **PLAN)
    move(hazard, "submit", manager, evidence="已清理", attachments=evidence(hazard, manager))
    refused(hazard, "accept_rectification", world.users["housing_supervisor"], Http404)  # not its enterprise
    assert move(hazard, "accept_rectification", world.users["emergency_supervisor"]).status == Status.CLOSED


def test_after_the_enterprise_moved_department_its_new_department_reviews_the_inspection(world):
    """An inspection finding of 应急管理局 whose enterprise is now supervised by 住建局: the hazard moved with it,
    so 住建局 (which alone sees it now) accepts the rectification."""
    from anquan.orgs.models import Department

    inspector, manager = world.users["inspector"], world.users["enterprise_manager"]
    hazard = reporting.report_hazard(
        {"enterprise": world.chem_t1.uscc, "source": "inspection", "description": "静电接地线断开"},
        actor=inspector,
        now=NOW,
    )
    move(hazard, "assign", inspector, **PLAN)
    move(hazard, "submit", manager, evidence="已重新接地", attachments=evidence(hazard, manager))
    housing = Department.objects.get(pk=world.users["housing_supervisor"].department_id)
    Hazard.objects.filter(pk=hazard.pk).update(
        supervising_department=housing
    )  # as enterprises/moves.py leaves it
    assert move(hazard, "accept_rectification", world.users["housing_supervisor"]).status == Status.CLOSED


def test_return_sends_the_rectification_back(world, safety_officer):
    manager = world.users["enterprise_manager"]
    hazard = reporting.report_hazard({"description": "消防通道堵塞"}, actor=manager, now=NOW)
    move(hazard, "assign", manager, **PLAN)
    move(hazard, "submit", manager, evidence="已清理", attachments=evidence(hazard, manager))
    with pytest.raises(ValidationFailed) as missing:
        move(hazard, "return", safety_officer)
    assert missing.value.errors[0].field == "reason"
    assert move(hazard, "return", safety_officer, reason="照片看不到通道全貌").status == Status.RECTIFYING
    move(hazard, "submit", manager, evidence="补充全景照片", attachments=evidence(hazard, manager))
    assert move(hazard, "accept_rectification", safety_officer).status == Status.CLOSED


def test_submit_needs_text_and_a_photo_or_document(world):
    manager = world.users["enterprise_manager"]
    hazard = reporting.report_hazard({"description": "配电箱未接地"}, actor=manager, now=NOW)
    move(hazard, "assign", manager, **PLAN)
    with pytest.raises(ValidationFailed) as exc:
        move(hazard, "submit", manager, evidence="")
    assert {e.field for e in exc.value.errors} == {"evidence", "attachments"}
    assert Hazard.objects.get(pk=hazard.pk).status == Status.RECTIFYING


def test_grid_report_is_accepted_or_rejected_by_the_township(world):
    grid = world.users["grid_worker"]
    raw = {
        "region": world.t1.code,
        "address": "十里街道农贸市场东门",
        "industry": "small_venue",
        "description": "电动自行车在楼道内充电",
    }
    hazard = reporting.report_hazard(raw, actor=grid, now=NOW)
    assert hazard.status == Status.REPORTED and hazard.supervising_department.name == "消防救援"
    refused(hazard, "accept", grid, NotPermitted)
    refused(hazard, "assign", world.users["township_office"], Conflict, "invalid_state", **PLAN)
    assert move(hazard, "accept", world.users["township_office"]).status == Status.CONFIRMED
    other = reporting.report_hazard({**raw, "description": "重复上报"}, actor=grid, now=NOW)
    with pytest.raises(ValidationFailed):
        move(other, "reject", world.users["township_office"])
    rejected = move(other, "reject", world.users["township_office"], reason=f"与隐患#{hazard.pk}重复")
    assert rejected.status == Status.REJECTED
    refused(rejected, "accept", world.users["township_office"], Conflict, "invalid_state")


def test_public_place_rectified_by_the_township(world):
    township, grid = world.users["township_office"], world.users["grid_worker"]
    hazard = reporting.report_hazard(
        {"region": world.t1.code, "address": "滨江路公厕", "description": "燃气管道锈蚀"}, actor=grid, now=NOW
    )
    move(hazard, "accept", township)
    move(hazard, "assign", township, **PLAN)
    move(hazard, "submit", grid, evidence="已更换管道", attachments=evidence(hazard, grid))
    assert move(hazard, "accept_rectification", township).status == Status.CLOSED


def test_major_hazard_needs_five_assurances_listing_and_delisting(world):
    inspector, manager = world.users["inspector"], world.users["enterprise_manager"]
    item = chemical_item(12)
    hazard = reporting.report_hazard(
        {
            "enterprise": world.chem_t1.uscc,
            "source": "inspection",
            "judgement_item": item.pk,
            "description": "罐区未设置可燃气体检测报警装置",
        },
        actor=inspector,
        now=NOW,
    )
    assert hazard.level == "major" and hazard.judgement_item == item
    with pytest.raises(ValidationFailed) as exc:
        move(hazard, "assign", inspector, responsible_party="总经理 陈建国", deadline="2026-12-31")
    fields = {e.field for e in exc.value.errors}
    assert {"plan", "measures", "funds_yuan", "contingency_plan"} <= fields
    assert exc.value.errors[0].code == "five_assurances"
    five = {
        "responsible_party": "总经理 陈建国",
        "measures": "增设可燃气体检测报警并联锁",
        "funds_yuan": "180000",
        "deadline": "2026-12-31",
        "contingency_plan": "罐区泄漏专项应急预案（2026版）",
    }
    move(hazard, "assign", inspector, **five)

    with pytest.raises(NotPermitted):
        listing.list_hazard(
            hazard,
            actor=world.users["city_office"],
            level="county",
            authority="濂溪区安委会",
            document_no="濂安督〔2026〕1号",
            deadline="2026-12-31",
            now=NOW,
        )
    listing.list_hazard(
        hazard,
        actor=world.users["county_office"],
        level="county",
        authority="濂溪区安委会",
        document_no="濂安督〔2026〕1号",
        deadline="2026-12-31",
        now=NOW,
    )
    with pytest.raises(Conflict) as twice:  # one listing at a time, whatever the level
        listing.list_hazard(
            hazard,
            actor=world.users["city_office"],
            level="city",
            authority="九江市安委会",
            document_no="九安督〔2026〕2号",
            deadline="2026-12-31",
            now=NOW,
        )
    assert twice.value.code == "already_listed"
    with pytest.raises(Conflict) as early:
        listing.delist(hazard, actor=world.users["county_office"], now=NOW)  # not accepted yet
    assert early.value.code == "invalid_state"
    listing.report_progress(hazard, "报警装置已到货，安装中", actor=manager, now=NOW)
    move(hazard, "submit", manager, evidence="报警装置已安装并联锁", attachments=evidence(hazard, manager))
    refused(
        hazard, "accept_rectification", world.users["county_office"], NotPermitted
    )  # supervising department only
    accepted = move(hazard, "accept_rectification", world.users["emergency_supervisor"])
    assert accepted.status == Status.ACCEPTED  # a listed hazard cannot close while listed
    with pytest.raises(NotPermitted) as other_level:  # only the level that listed it delists
        listing.delist(hazard, actor=world.users["city_office"], now=NOW)
    assert other_level.value.message == "只有挂牌的同级安委办可以摘牌"
    closed = listing.delist(hazard, actor=world.users["county_office"], comment="验收合格，予以摘牌", now=NOW)
    assert closed.status == Status.CLOSED and closed.closed_at == NOW and closed.listed_level == ""
    # the listing row is audited when written and when delisted, beside the hazard's own transitions
    row = Listing.objects.get(hazard=hazard)
    entries = AuditEntry.objects.filter(model="hazards.listing", object_id=str(row.pk)).order_by("id")
    assert [e.action for e in entries] == ["create", "update"]
    assert (
        entries[1].before["delisted_at"] is None
        and entries[1].after["delist_comment"] == "验收合格，予以摘牌"
    )
    comments = AuditEntry.objects.filter(
        model="hazards.hazard", object_id=str(hazard.pk), action="transition"
    )
    assert {"挂牌督办", "摘牌：已验收待摘牌 → 已销号"} <= {
        c.split("（")[0] for c in comments.values_list("comment", flat=True)
    }
    assert [e.action for e in closed.events.all()] == [
        "report",
        "assign",
        "list",
        "progress_report",
        "submit",
        "accept_rectification",
        "delist",
    ]


def test_major_without_a_judgement_basis_is_refused(world):
    with pytest.raises(ValidationFailed) as exc:
        reporting.report_hazard(
            {
                "enterprise": world.chem_t1.uscc,
                "source": "inspection",
                "level": "major",
                "description": "情况严重",
            },
            actor=world.users["inspector"],
            now=NOW,
        )
    assert exc.value.errors[0].field == "judgement_item"
    assert not Hazard.objects.exists()


def test_extension_request_grant_and_deny(world):
    manager, supervisor = world.users["enterprise_manager"], world.users["emergency_supervisor"]
    hazard = reporting.report_hazard(
        {"enterprise": world.chem_t1.uscc, "source": "inspection", "description": "压力表超期未检"},
        actor=world.users["inspector"],
        now=NOW,
    )
    move(hazard, "assign", world.users["inspector"], **PLAN)
    refused(hazard, "grant_extension", supervisor, Conflict, "no_extension_request")  # nothing requested
    refused(hazard, "deny_extension", supervisor, Conflict, "no_extension_request", reason="x")
    with pytest.raises(ValidationFailed):
        move(
            hazard, "request_extension", manager, until="2026-12-01", reason="配件未到"
        )  # not later than deadline
    move(hazard, "request_extension", manager, until="2027-01-15", reason="检测机构排期")
    # a second request while one is pending is refused: it never overwrites the first
    refused(
        hazard, "request_extension", manager, Conflict, "extension_pending", until="2027-03-01", reason="再延"
    )
    assert Hazard.objects.get(pk=hazard.pk).extension_requested_until == dt.date(2027, 1, 15)
    refused(hazard, "grant_extension", manager, NotPermitted)
    granted = move(hazard, "grant_extension", supervisor)
    assert granted.deadline == dt.date(2027, 1, 15) and granted.extension_requested_until is None
    move(hazard, "request_extension", manager, until="2027-02-15", reason="再延一次")
    denied = move(hazard, "deny_extension", supervisor, reason="不予延期")
    assert denied.deadline == dt.date(2027, 1, 15) and denied.extension_requested_until is None


def test_cancel_by_authority_only_with_a_reason(world):
    manager = world.users["enterprise_manager"]
    hazard = reporting.report_hazard({"description": "误报"}, actor=manager, now=NOW)
    refused(hazard, "cancel", manager, NotPermitted, reason="误报")
    refused(hazard, "cancel", world.users["inspector"], NotPermitted, reason="误报")
    with pytest.raises(ValidationFailed):
        move(hazard, "cancel", world.users["county_office"])
    assert move(hazard, "cancel", world.users["county_office"], reason="企业误报").status == Status.CANCELLED
    refused(hazard, "cancel", world.users["county_office"], Conflict, "invalid_state", reason="again")


def test_out_of_scope_users_get_404_and_change_nothing(world):
    """Out of scope answers 404 (the hazard's existence is not disclosed), for transitions and listing alike."""
    hazard = reporting.report_hazard(
        {"description": "安全出口锁闭"}, actor=world.users["enterprise_manager"], now=NOW
    )
    refused(hazard, "cancel", world.users["county_office_b"], Http404, reason="x")
    refused(hazard, "cancel", world.users["housing_supervisor"], Http404, reason="x")  # another department
    with pytest.raises(Http404):
        listing.list_hazard(
            hazard,
            actor=world.users["county_office_b"],
            level="county",
            authority="修水县安委会",
            document_no="修安督〔2026〕1号",
            deadline="2026-12-31",
            now=NOW,
        )
    assert not Listing.objects.exists() and Hazard.objects.get(pk=hazard.pk).listed_level == ""


def test_enterprise_and_grid_worker_record_only_their_own_sources(world):
    with pytest.raises(ValidationFailed) as exc:
        reporting.report_hazard(
            {"source": "inspection", "description": "x"}, actor=world.users["enterprise_manager"]
        )
    assert exc.value.errors[0].code == "not_permitted"
    with pytest.raises(ValidationFailed):
        reporting.report_hazard(
            {"enterprise": world.chem_t2.uscc, "description": "x"}, actor=world.users["grid_worker"]
        )
