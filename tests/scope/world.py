"""The world the scope matrix runs in: one enterprise E with a record of every model that has a scope,
the personas around it, and the places E is moved to.

E is a hazardous-chemicals enterprise in township t1 of 濂溪区 (360402), supervised by 应急管理局. O is a
second enterprise beside it (so "another enterprise" is the only difference for its manager). Each
record carries a marker text that its pages and API answers show, so visibility is read from what a
user really receives.

Records are written straight to the database with the scope columns a service would copy, so the matrix
does not depend on the workflows that other developers are changing at the same time.
"""

from __future__ import annotations

import base64
import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal

from django.core.files.base import ContentFile
from django.utils import timezone

PNG = base64.b64decode(
    "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg=="
)

# persona → (role, region key, department name, enterprise key)
PERSONAS = {
    "province": ("province_office", "province", None, None),
    "county_a": ("county_office", "county_a", None, None),
    "county_b": ("county_office", "county_b", None, None),
    "emergency_a": ("department_supervisor", "county_a", "应急管理局", None),
    "housing_a": ("department_supervisor", "county_a", "住建局", None),
    "emergency_b": ("department_supervisor", "county_b", "应急管理局", None),
    "inspector_a": ("inspector", "county_a", "应急管理局", None),
    "township_t1": ("township_office", "t1", None, None),
    "township_t2": ("township_office", "t2", None, None),
    "grid_t1": ("grid_worker", "t1", None, None),
    "grid_t2": ("grid_worker", "t2", None, None),
    "manager_e": ("enterprise_manager", "t1", None, "E"),
    "manager_other": ("enterprise_manager", "t1", None, "O"),
}
ANONYMOUS = "anonymous"
ALL = [*PERSONAS, ANONYMOUS]

# Who sees E's *current* records in each phase, written out by hand (not computed by the scope function):
# before the move; after E moved to 修水县 (360424); after E's supervising department became 住建局.
VISIBLE = {
    "before": {"province", "county_a", "emergency_a", "inspector_a", "township_t1", "grid_t1", "manager_e"},
    "county": {"province", "county_b", "emergency_b", "manager_e"},
    "department": {"province", "county_a", "housing_a", "township_t1", "grid_t1", "manager_e"},
}
PHASES = list(VISIBLE)
# Records that stay where they happened (closed hazards, accidents, submitted reports, done tasks) are
# seen in every phase by those who saw them before.
STAYING = VISIBLE["before"]


# A grid of t1 belongs to no enterprise: it is seen by whoever's region holds t1, whatever their
# department, and by no enterprise's user; moving E changes nothing about it.
GRID_VIEWERS = {"province", "county_a", "emergency_a", "housing_a", "inspector_a", "township_t1", "grid_t1"}


@dataclass
class Record:
    obj: object
    marker: str
    stays: bool = False  # history: does not follow E when it moves
    viewers: set | None = None  # who sees it in every phase, for a record that belongs to no enterprise


@dataclass
class World:
    regions: dict
    departments: dict
    enterprise: object  # E
    other: object  # O
    users: dict
    tokens: dict
    records: dict[str, list[Record]] = field(default_factory=dict)

    def add(self, obj, marker: str, stays: bool = False, viewers: set | None = None) -> Record:
        record = Record(obj, marker, stays, viewers)
        self.records.setdefault(obj._meta.label, []).append(record)
        return record

    def first(self, label: str, stays: bool = False):
        return next(r.obj for r in self.records[label] if r.stays == stays)


def build() -> World:
    from anquan.accidents.models import (
        Accident,
        AccidentCategory,
        AccidentEvent,
        AccidentPhoto,
        AccidentReport,
    )
    from anquan.accounts import tokens
    from anquan.accounts.models import User
    from anquan.checks.choices import TaskStatus
    from anquan.checks.models import CheckSchedule, CheckTask, CheckTaskEvent
    from anquan.enterprises import uscc
    from anquan.enterprises.models import Enterprise, EnterpriseEvent
    from anquan.hazards.models import Attachment, Hazard, HazardEvent, Listing, ProgressReport
    from anquan.majorhazards.models import InstallationSubstance, MajorHazardInstallation
    from anquan.orgs.models import Department, Industry, department_for_industry
    from anquan.regions.models import Grid, Region
    from anquan.riskpoints.models import (
        ControlMeasure,
        PointPlacement,
        RiskAssessment,
        RiskPoint,
        RiskPointPhoto,
        SitePlan,
    )
    from anquan.riskreports import actions as reports
    from anquan.riskreports.choices import ReportStatus
    from anquan.riskreports.models import RiskReport, RiskReportEvent
    from anquan.standards.models import RiskBandTable

    t1, t2 = list(Region.objects.filter(parent__code="360402").order_by("code")[:2])
    regions = {
        "province": Region.objects.get(code="360000"),
        "county_a": Region.objects.get(code="360402"),
        "county_b": Region.objects.get(code="360424"),
        "t1": t1,
        "t2": t2,
        "xs_town": Region.objects.filter(parent__code="360424").order_by("code").first(),
    }
    departments = {d.name: d for d in Department.objects.filter(name__in=["应急管理局", "住建局"])}
    chemicals = Industry.objects.get(code="hazardous_chemicals")

    def enterprise(name, serial):
        e = Enterprise(
            name=name,
            uscc=uscc.make("91", "360402", f"{serial:08d}"),
            region=t1,
            territorial_region=t1,
            industry=chemicals,
            supervising_department=department_for_industry(chemicals, t1.code),
        )
        e.save()
        return e

    e = enterprise("矩阵标记化工有限公司", 71)
    o = enterprise("邻家化工有限公司", 72)
    assert e.supervising_department.name == "应急管理局"

    users, keys = {}, {}
    for name, (role, region, department, ent) in PERSONAS.items():
        user = User(
            username=f"m_{name}",
            role=role,
            region=regions[region],
            department=departments.get(department),
            enterprise={"E": e, "O": o}.get(ent),
        )
        user.set_unusable_password()
        user.save()
        users[name] = user
        keys[name] = tokens.issue(user)[1]

    world = World(regions, departments, e, o, users, keys)
    place = {"region_code": e.region_code, "supervising_department": e.supervising_department}
    now = timezone.now()
    manager = users["manager_e"]
    world.add(e, e.uscc)
    world.add(
        EnterpriseEvent.objects.create(
            enterprise=e,
            action="suspend",
            from_status="operating",
            to_status="operating",
            actor_label="x",
            at=now,
            comment="企业事件标记EE",
        ),
        "企业事件标记EE",
    )
    grid = Grid.objects.create(region=t1, code=f"{t1.code}G91", name="网格标记GR")
    grid.workers.add(users["grid_t1"])
    world.add(grid, "网格标记GR", stays=True, viewers=GRID_VIEWERS)

    # risk points and everything hanging off them
    point = RiskPoint.objects.create(enterprise=e, name="风险点标记RP", kind="installation", **place)
    world.add(point, "风险点标记RP")
    band = RiskBandTable.objects.filter(method="LS").first()
    world.add(
        RiskAssessment.objects.create(
            point=point,
            method="LS",
            factors={"l": "2", "s": "2"},
            score=Decimal("4"),
            level="blue",
            band_table=band,
            assessor_label="评估人标记RA",
        ),
        "评估人标记RA",
    )
    world.add(
        ControlMeasure.objects.create(
            point=point, kind="engineering", tier="company", description="管控措施标记CM"
        ),
        "管控措施标记CM",
    )
    photo = RiskPointPhoto(point=point, name="风险点照片.png", content_type="image/png", size=len(PNG))
    photo.file.save("p.png", ContentFile(PNG), save=False)
    photo.save()
    world.add(photo, "")
    schedule = CheckSchedule.objects.create(
        point=point, frequency="day", post="岗位标记CS", content="检查内容标记CS"
    )
    world.add(schedule, "岗位标记CS")
    open_task = CheckTask.objects.create(
        schedule=schedule,
        point=point,
        enterprise=e,
        period_start=now - dt.timedelta(hours=1),
        period_end=now + dt.timedelta(hours=23),
        **place,
    )
    world.add(open_task, "")
    world.add(
        CheckTaskEvent.objects.create(
            task=open_task, action="done_normal", actor_label="x", at=now, comment="任务事件标记TE"
        ),
        "任务事件标记TE",
    )
    done_task = CheckTask.objects.create(
        schedule=schedule,
        point=point,
        enterprise=e,
        period_start=now - dt.timedelta(days=1, hours=1),
        period_end=now - dt.timedelta(hours=1),
        status=TaskStatus.DONE_NORMAL,
        done_by=manager,
        done_at=now - dt.timedelta(hours=2),
        **place,
    )
    world.add(done_task, "", stays=True)

    installation = MajorHazardInstallation.objects.create(
        enterprise=e, name="重大危险源标记MH", unit_type="storage", s=Decimal("0"), **place
    )
    world.add(installation, "重大危险源标记MH")
    world.add(
        InstallationSubstance.objects.create(
            installation=installation, name="物质标记IS", quantity_t=Decimal("1")
        ),
        "物质标记IS",
    )

    plan = SitePlan(
        enterprise=e,
        name="平面图标记SP",
        content_type="image/png",
        width=1,
        height=1,
        uploaded_by=manager,
        **place,
    )
    plan.image.save("plan.png", ContentFile(PNG), save=False)
    plan.save()
    world.add(plan, "平面图标记SP")
    world.add(PointPlacement.objects.create(plan=plan, point=point, x=0.5, y=0.5), "风险点标记RP")

    draft = RiskReport.objects.create(enterprise=e, year=now.year, statement="报告标记草稿RR", **place)
    world.add(draft, "报告标记草稿RR")
    world.add(
        RiskReportEvent.objects.create(
            report=draft,
            action="create",
            to_status="draft",
            actor_label="x",
            at=now,
            comment="报告事件标记RE",
        ),
        "报告事件标记RE",
    )
    submitted = RiskReport.objects.create(
        enterprise=e,
        year=now.year - 1,
        statement="报告标记已提交RR",
        status=ReportStatus.SUBMITTED,
        submitted_at=now,
        submitted_by=manager,
        snapshot=reports.build_snapshot(e, now.year - 1),
        **place,
    )
    world.add(submitted, "报告标记已提交RR", stays=True)

    # hazards: one open (moves), one closed (stays)
    def hazard(description, status, **extra):
        return Hazard.objects.create(
            enterprise=e,
            region=e.region,
            industry=chemicals,
            source="self_check",
            description=description,
            found_at=now,
            status=status,
            **place,
            **extra,
        )

    open_hazard = hazard("隐患标记开放HZ", "rectifying", deadline=now.date() + dt.timedelta(days=10))
    world.add(open_hazard, "隐患标记开放HZ")
    closed_hazard = hazard("隐患标记关闭HZ", "closed", closed_at=now)
    world.add(closed_hazard, "隐患标记关闭HZ", stays=True)
    world.add(
        HazardEvent.objects.create(
            hazard=open_hazard,
            action="report",
            to_status="reported",
            actor_label="x",
            at=now,
            comment="事件标记HE",
        ),
        "事件标记HE",
    )
    world.add(
        HazardEvent.objects.create(
            hazard=closed_hazard,
            action="report",
            to_status="reported",
            actor_label="x",
            at=now,
            comment="事件标记关闭HE",
        ),
        "事件标记关闭HE",
        stays=True,
    )
    attachment = Attachment(
        hazard=open_hazard, stage="report", name="附件.png", content_type="image/png", size=len(PNG)
    )
    attachment.file.save("a.png", ContentFile(PNG), save=False)
    attachment.save()
    world.add(attachment, "")
    listing = Listing.objects.create(
        hazard=open_hazard,
        level="county",
        authority="濂溪区安委办",
        document_no="督办文号标记LI",
        deadline=now.date() + dt.timedelta(days=30),
        listed_at=now,
    )
    world.add(listing, "督办文号标记LI")
    world.add(
        ProgressReport.objects.create(listing=listing, text="进展标记PR", reported_at=now), "进展标记PR"
    )

    # an accident: history, stays where it happened
    accident = Accident.objects.create(
        occurred_at=now - dt.timedelta(days=2),
        region=e.region,
        address="厂区",
        enterprise=e,
        industry=chemicals,
        category=AccidentCategory.objects.order_by("id").first(),
        grade="ordinary",
        summary="事故标记AC",
        direct_loss_yuan=Decimal("0"),
        **place,
    )
    world.add(accident, "事故标记AC", stays=True)
    world.add(
        AccidentEvent.objects.create(
            accident=accident,
            action="report",
            to_status="reported",
            actor_label="x",
            at=now,
            comment="事故事件标记AE",
        ),
        "事故事件标记AE",
        stays=True,
    )
    report = AccidentReport.objects.create(
        accident=accident,
        from_level="unit",
        to_level="county",
        due_at=dt.datetime(2026, 3, 4, 5, 6, 7, tzinfo=dt.UTC),
    )
    world.add(report, report.due_at.isoformat(), stays=True)
    accident_photo = AccidentPhoto(
        accident=accident, name="现场.png", content_type="image/png", size=len(PNG)
    )
    accident_photo.file.save("s.png", ContentFile(PNG), save=False)
    accident_photo.save()
    world.add(accident_photo, "", stays=True)

    # an official document addressed to E (issued by 濂溪区应急管理局): seen by whoever sees E, so it moves with E
    from django.contrib.contenttypes.models import ContentType

    from anquan.documents.models import Document, DocumentEvent

    document = Document(
        kind="rectification_order",
        department=departments["应急管理局"],
        region=regions["county_a"],
        unit_name="濂溪区应急管理局",
        year=2026,
        seq=1,
        number="文书标记DOC号",
        subject_type=ContentType.objects.get_for_model(e),
        subject_id=e.pk,
        enterprise=e,
        context={"party": {"name": e.name}},
        sha256="0" * 64,
        issued_at=now,
    )
    import io as _io

    from docx import Document as Docx

    docx, docx_bytes = Docx(), _io.BytesIO()
    docx.add_paragraph("文书标记DOC号")
    docx.save(docx_bytes)
    document.file.save("d.docx", ContentFile(docx_bytes.getvalue()), save=False)
    document.save()
    world.add(document, "文书标记DOC号")
    world.add(
        DocumentEvent.objects.create(
            document=document,
            action="issue",
            to_status="issued",
            actor_label="x",
            at=now,
            comment="文书事件标记DE",
        ),
        "文书事件标记DE",
    )
    _inspections(world, e, users, now)
    from .world_cases import add_cases

    add_cases(world, now)  # enforcement cases (issue #13)
    return world


def _inspections(world: World, e, users: dict, now) -> None:
    """An inspection of E under way (issue #13): it follows E (scope through the enterprise, ADR 0007)."""
    from anquan.inspections.models import (
        Inspection,
        InspectionEvent,
        InspectionItem,
        InspectionPhoto,
        InspectionSignature,
    )

    inspection = Inspection.objects.create(
        enterprise=e,
        department=world.departments["应急管理局"],
        region=world.regions["county_a"],
        planned_on=now.date(),
        status="in_progress",
        started_at=now,
        note="检查标记IN",
    )
    inspection.inspectors.set([users["inspector_a"], users["emergency_a"]])
    world.add(inspection, "检查标记IN")
    item = InspectionItem.objects.create(
        inspection=inspection, order=1, text="检查项标记II", result="compliant"
    )
    world.add(item, "检查项标记II")
    photo = InspectionPhoto(item=item, name="检查.png", content_type="image/png", size=len(PNG))
    photo.file.save("i.png", ContentFile(PNG), save=False)
    photo.save()
    world.add(photo, "")
    signature = InspectionSignature(
        inspection=inspection, name="签名.png", content_type="image/png", size=len(PNG)
    )
    signature.file.save("s.png", ContentFile(PNG), save=False)
    signature.save()
    world.add(signature, "")
    event = InspectionEvent.objects.create(
        inspection=inspection,
        action="start",
        from_status="planned",
        to_status="in_progress",
        actor_label="x",
        at=now,
        comment="检查事件标记IE",
    )
    world.add(event, "检查事件标记IE")
    _draws(world, now)
    return world


# a draw belongs to its issuing unit (濂溪区应急管理局), not to E: seen by the unit's region and department
DRAW_VIEWERS = {"province", "county_a", "emergency_a", "inspector_a"}


def _draws(world: World, now) -> None:
    from anquan.accounts.models import EnforcementCertificate
    from anquan.draws.models import DeclaredLink, DrawAssignment, DrawPick, RandomDraw, RandomDrawEvent

    e, inspector = world.enterprise, world.users["inspector_a"]
    county, emergency = world.regions["county_a"], world.departments["应急管理局"]
    draw = RandomDraw.objects.create(
        region=county,
        department=emergency,
        title="抽查标记RD",
        pool_region=county,
        enterprise_count=1,
        repeat_days=0,
        seed="matrix",
        status="drawn",
        draw_date=now.date(),
        enterprise_pool=[e.pk],
        inspector_pool=[inspector.pk],
        result=[[e.pk, [inspector.pk]]],
        results_pending=1,
        drawn_at=now,
    )
    world.add(draw, "抽查标记RD", stays=True, viewers=DRAW_VIEWERS)
    pick = DrawPick.objects.create(draw=draw, position=1, enterprise=e, enterprise_name="抽中标记DP")
    world.add(pick, "抽中标记DP", stays=True, viewers=DRAW_VIEWERS)
    assignment = DrawAssignment.objects.create(
        pick=pick, inspector=inspector, inspector_name="人员标记DA", position=1
    )
    world.add(assignment, "人员标记DA", stays=True, viewers=DRAW_VIEWERS)
    event = RandomDrawEvent.objects.create(
        draw=draw,
        action="draw",
        from_status="draft",
        to_status="drawn",
        actor_label="x",
        at=now,
        comment="抽查事件标记DE",
    )
    world.add(event, "抽查事件标记DE", stays=True, viewers=DRAW_VIEWERS)
    certificate = EnforcementCertificate.objects.create(
        user=inspector,
        number="证号标记EC",
        issuing_authority="九江市人民政府",
        valid_from=now.date(),
        valid_until=now.date(),
    )
    world.add(certificate, "证号标记EC", stays=True, viewers=DRAW_VIEWERS)
    link = DeclaredLink.objects.create(inspector=inspector, enterprise=e, kind="other", note="关系标记DL")
    world.add(link, "关系标记DL", stays=True, viewers=DRAW_VIEWERS)


def move(world: World, phase: str) -> None:
    """Move E as a province office would, through the enterprise service the page and the API call."""
    from anquan.enterprises.services import update_enterprise

    if phase == "before":
        return
    raw = (
        {"region": world.regions["xs_town"].code}
        if phase == "county"
        else {"supervising_department": "住建局"}
    )
    update_enterprise(world.enterprise, raw, actor=world.users["province"])
    world.enterprise.refresh_from_db()
