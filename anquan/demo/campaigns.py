"""Demo campaigns (issue #15): the province's 安全生产专项整治三年行动"十大攻坚战" (seed 004, 赣安〔2021〕2号: its ten
battles, stages 动员部署 March, 实施攻坚 April–September, 评估提升 October–December) with 239 tasks of which 227
are verified done (完成率95.0%, as the seed's 赣州 summary reports), and 九江's campaign of this year adopting the
province's tasks that name every city, broken down to its counties: some parts in progress, some overdue.

Reproducible: no randomness; the finished history (reported and verified in 2021) is written in bulk with its
events and audit entries (comment 演示数据)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.db.models import Q
from django.utils import timezone

from anquan.accounts.models import User
from anquan.campaigns import services
from anquan.campaigns.choices import TaskStatus
from anquan.campaigns.models import Campaign, Task, TaskEvent
from anquan.campaigns.workflow import mark_overdue, roll_up
from anquan.core import audit
from anquan.core.models import AuditAction
from anquan.orgs.models import Department
from anquan.regions.models import Region

PROVINCE, CITY = "360000", "360400"
BATTLES = [  # name, lead unit as the list writes it, its department, tasks, the task title's theme
    ("重大安全风险管控“回头看”攻坚战", "省应急管理厅", "应急管理局", 30, "{ind}重大安全风险辨识管控“回头看”"),
    ("安全隐患排查治理“清零”攻坚战", "省应急管理厅", "应急管理局", 28, "{ind}安全隐患大排查大整治“清零”"),
    ("安全生产“打非治违”攻坚战", "省公安厅", "公安局", 26, "{ind}非法违法生产经营建设行为专项打击"),
    ("高危行业领域淘汰落后产能攻坚战", "省工业和信息化厅", "工信局", 24, "{ind}落后产能和工艺装备摸底淘汰"),
    ("企业技术改造升级攻坚战", "省工业和信息化厅", "工信局", 22, "{ind}企业安全技术改造升级"),
    ("安全生产监管执法能力提升攻坚战", "省应急管理厅", "应急管理局", 24, "{ind}监管执法队伍和装备能力建设"),
    ("企业从业人员安全技能提升攻坚战", "省应急管理厅", "应急管理局", 22, "{ind}从业人员安全技能培训"),
    ("公共安全文化建设攻坚战", "省文化和旅游厅", "文广新旅局", 20, "{ind}安全文化宣传教育"),
    ("“双千示范”工程建设攻坚战", "省应急管理厅", "应急管理局", 21, "{ind}安全生产标准化“双千示范”创建"),
    ("安全生产应急救援能力提升攻坚战", "省消防救援总队", "消防救援", 22, "{ind}应急救援预案修订和实战演练"),
]
INDUSTRIES = [  # the sector a task names and the department that supervises it
    ("危险化学品", "应急管理局"),
    ("非煤矿山", "应急管理局"),
    ("烟花爆竹", "应急管理局"),
    ("工贸行业", "应急管理局"),
    ("建筑施工", "住建局"),
    ("城镇燃气", "住建局"),
    ("道路运输", "交通运输局"),
    ("水上交通", "交通运输局"),
    ("特种设备", "市场监管局"),
    ("消防重点单位", "消防救援"),
    ("道路交通", "公安交警"),
    ("文化旅游场所", "文广新旅局"),
]
VARIANTS = ("开展", "深化", "巩固")
DEADLINES = (dt.date(2021, 9, 30), dt.date(2021, 12, 31), dt.date(2021, 10, 31), dt.date(2021, 11, 30))
UNFINISHED = {7 + 20 * k for k in range(12)}  # 12 of the 239 lines not verified done
REPORTED = {7, 67, 127, 187}  # of those, reported done and awaiting the office's verification
ALL_CITIES = 12  # every 12th line is for 各设区市 as well (one part per city)


def _stages(campaign: Campaign, year: int, actor: User) -> None:
    services.set_stages(
        campaign,
        [
            {"name": "动员部署", "starts_on": dt.date(year, 3, 1), "ends_on": dt.date(year, 3, 31)},
            {"name": "实施攻坚", "starts_on": dt.date(year, 4, 1), "ends_on": dt.date(year, 9, 30)},
            {"name": "评估提升", "starts_on": dt.date(year, 10, 1), "ends_on": dt.date(year, 12, 31)},
        ],
        actor=actor,
    )


def _units(number: int, lead_text: str, lead: Department, industry_dept: Department) -> list[dict]:
    units = [{"role": "lead", "text": lead_text, "kind": "department", "region": None, "department": lead}]
    if industry_dept != lead:
        units.append(
            {
                "role": "jointly",
                "text": f"省{industry_dept.name}",
                "kind": "department",
                "region": None,
                "department": industry_dept,
            }
        )
    if number % ALL_CITIES == 0:
        units.append(
            {
                "role": "implement",
                "text": "各设区市人民政府",
                "kind": "child_regions",
                "region": None,
                "department": None,
            }
        )
    return units


def _targets(battle: int) -> list[dict]:
    if battle == 1:
        return [
            {
                "name": "重大隐患清零",
                "unit": "项",
                "planned": Decimal(0),
                "source": "automatic",
                "metric": "major_hazards_open",
            }
        ]
    if battle == 6:
        return [
            {
                "name": "持证执法人员",
                "unit": "人",
                "planned": Decimal(2),
                "source": "automatic",
                "metric": "certified_inspectors",
            }
        ]
    if battle == 7:
        return [
            {
                "name": "从业人员安全培训",
                "unit": "万人次",
                "planned": Decimal(15),
                "source": "manual",
                "metric": "",
            }
        ]
    return []


def _finish(lines: list[Task], now: dt.datetime) -> None:
    """The history of the finished lines: every part reported done and verified in 2021 (bulk, audited)."""
    parts = list(Task.objects.filter(parent__in=lines))
    events = []
    for i, part in enumerate(parts):
        done = dt.date(2021, 4 + i % 8, 5 + i % 20)
        part.status, part.done_on, part.verified_on = (
            TaskStatus.VERIFIED_DONE,
            done,
            done + dt.timedelta(days=3),
        )
        at = timezone.make_aware(dt.datetime.combine(done, dt.time(10)))
        events += [
            TaskEvent(
                task=part,
                action="report_done",
                from_status="assigned",
                to_status="reported_done",
                actor_label="演示数据",
                at=at,
            ),
            TaskEvent(
                task=part,
                action="verify",
                from_status="reported_done",
                to_status="verified_done",
                actor_label="演示数据",
                at=at + dt.timedelta(days=3),
            ),
        ]
    Task.objects.bulk_update(parts, ["status", "done_on", "verified_on"], batch_size=500)
    TaskEvent.objects.bulk_create(events, batch_size=1000)
    audit.record_many(AuditAction.TRANSITION, parts, actor="demo", comment="演示数据：2021年完成并经审核")
    for line in lines:
        roll_up(line, now=now)


def build_province(office: User) -> Campaign:
    province = Region.objects.get(code=PROVINCE)
    campaign = services.create_campaign(
        region=province,
        raw={
            "name": "江西省安全生产专项整治三年行动“十大攻坚战”",
            "short_name": "十大攻坚战",
            "document_number": "赣安〔2021〕2号",
            "starts_on": "2021-03-01",
            "ends_on": "2022-12-31",
            "description": "按照“全梳理、找痛点、定措施、猛攻坚”工作思路，2021年在全省组织开展安全生产“十大攻坚战”行动。",
        },
        actor=office,
    )
    _stages(campaign, 2021, office)
    battles = services.set_battles(
        campaign,
        [{"number": str(i + 1), "name": b[0], "lead_text": b[1]} for i, b in enumerate(BATTLES)],
        actor=office,
    )
    services.campaign_transition(campaign, "activate", actor=office)
    stages = list(campaign.stages.all())
    departments = {d.name: d for d in Department.objects.all()}
    number, finished = 0, []
    for b, (battle, (_, lead_text, lead_name, count, theme)) in enumerate(zip(battles, BATTLES, strict=True)):
        for k in range(count):
            industry, industry_dept = INDUSTRIES[k % len(INDUSTRIES)]
            variant = VARIANTS[k // len(INDUSTRIES)]
            line = services.create_task(
                campaign,
                number=f"{b + 1}.{k + 1}",
                title=variant + theme.format(ind=industry),
                battle=battle,
                stage=stages[1],
                units=_units(number, lead_text, departments[lead_name], departments[industry_dept]),
                deadline=DEADLINES[k % len(DEADLINES)],
                targets=_targets(b),
                actor=office,
            )
            if number not in UNFINISHED:
                finished.append(line)
            number += 1
    now = timezone.now()
    _finish(finished, now)
    reported = [
        t for t in campaign.tasks.filter(parent__isnull=True).order_by("order") if t.order - 1 in REPORTED
    ]
    parts = list(Task.objects.filter(parent__in=reported))
    Task.objects.filter(pk__in=[p.pk for p in parts]).update(
        status=TaskStatus.REPORTED_DONE, done_on=dt.date(2021, 12, 20)
    )
    audit.record_many(AuditAction.TRANSITION, parts, actor="demo", comment="演示数据：报告完成，待审核")
    for line in reported:
        roll_up(line, now=now)
    return campaign


def build_city(province_campaign: Campaign, office: User) -> Campaign | None:
    city = Region.objects.get(code=CITY)
    campaign = services.create_campaign(
        region=city,
        raw={
            "name": "九江市安全生产专项整治“十大攻坚战”巩固提升行动",
            "short_name": "九江十大攻坚战",
            "starts_on": f"{timezone.localdate().year}-03-01",
            "ends_on": f"{timezone.localdate().year}-12-31",
        },
        actor=office,
        parent=province_campaign,
    )
    year = timezone.localdate().year
    _stages(campaign, year, office)
    services.set_battles(
        campaign,
        [{"number": b.number, "name": b.name, "lead_text": ""} for b in province_campaign.battles.all()],
        actor=office,
    )
    services.campaign_transition(campaign, "activate", actor=office)
    today = timezone.localdate()
    sources = (
        province_campaign.tasks.filter(parent__isnull=True)
        .filter(Q(units__kind="child_regions"))
        .order_by("order")[:8]
    )
    for i, source in enumerate(sources):
        services.adopt_task(
            source,
            campaign,
            units=[
                {
                    "role": "lead",
                    "text": "市应急管理局",
                    "kind": "department",
                    "region": None,
                    "department": Department.objects.get(name="应急管理局"),
                },
                {
                    "role": "implement",
                    "text": "各县(市、区)",
                    "kind": "child_regions",
                    "region": None,
                    "department": None,
                },
            ],
            actor=office,
            number=str(i + 1),
            deadline=today - dt.timedelta(days=2) if i % 3 == 0 else dt.date(year, 12, 31),
        )
    _progress(campaign)
    mark_overdue()  # the parts past their deadline, as the daily sweep would
    return campaign


def _progress(campaign: Campaign) -> None:
    """The demo counties' offices start their parts; 濂溪区 reports two done, one of them verified by the city."""
    lianxi, xiushui, city = (
        User.objects.filter(username=n).first() for n in ("lianxi", "xiushui", "jiujiang")
    )
    for user in (lianxi, xiushui):
        if user is None:
            continue
        parts = list(
            Task.objects.filter(campaign=campaign, region_id=user.region_id, department=None).order_by(
                "order"
            )
        )
        for k, part in enumerate(parts):
            if part.deadline and part.deadline < timezone.localdate() and k % 2:
                continue  # left to go overdue
            part = services.task_transition(part, "start", actor=user, comment="已部署落实")
            if user is lianxi and k in (1, 2):
                part = services.task_transition(part, "report_done", actor=user, comment="已完成排查整治")
                if k == 1 and city is not None:
                    services.task_transition(part, "verify", actor=city, comment="材料齐全，同意")


def build_campaigns() -> None:
    office = User.objects.filter(username="province").first()
    city_office = User.objects.filter(username="jiujiang").first()
    if office is None or city_office is None or Campaign.objects.exists():
        return
    province = build_province(office)
    city = build_city(province, city_office)
    if city is not None:
        _dispatch(city, city_office)


def _dispatch(campaign: Campaign, office: User) -> None:
    """This month's dispatch of 九江's campaign, open: 濂溪区 has reported on its first part, the other counties'
    parts wait in their to-do lists (调度填报)."""
    from anquan.campaigns import dispatching

    today = timezone.localdate()
    dispatch = dispatching.open_dispatch(
        campaign,
        period=today,
        opens_on=today - dt.timedelta(days=3),
        due_on=today + dt.timedelta(days=5),
        actor=office,
    )
    lianxi = User.objects.filter(username="lianxi").first()
    part = (
        Task.objects.filter(campaign=campaign, region_id=getattr(lianxi, "region_id", None), department=None)
        .exclude(status="verified_done")
        .order_by("order")
        .first()
    )
    if lianxi is not None and part is not None:
        dispatching.submit_report(
            part,
            dispatch,
            text="已组织辖区危化企业开展重大安全风险辨识，完成32家，发现问题11项，已整改9项。",
            actuals={},
            actor=lianxi,
        )
