"""Demo risk points (assessed with LEC through the real service) and major hazard installations."""

import datetime as dt
import random

from django.db.models import Count
from django.utils import timezone

from anquan.accounts.models import User
from anquan.checks import services as tasks
from anquan.enterprises.choices import Status
from anquan.enterprises.models import Enterprise
from anquan.majorhazards import services as installations
from anquan.regions.models import Region
from anquan.riskpoints import services as points
from anquan.riskpoints.models import RiskPoint
from anquan.riskreports import actions as reports

POINTS = [  # name, kind, location, factor kinds, GB 6441-2025 categories, (L, E, C)
    (
        "液氯储罐区",
        "installation",
        "厂区东侧罐区",
        ["object", "management"],
        ["WSA10023", "WSA10026"],
        (3, 6, 15),
    ),
    (
        "反应釜（氯化工艺）",
        "installation",
        "一车间",
        ["object", "human"],
        ["WSA10014", "WSA10009"],
        (1, 10, 40),
    ),
    ("动火作业", "activity", "全厂", ["human", "management"], ["WSA10009", "WSA10016"], (3, 3, 15)),
    ("有限空间作业", "activity", "污水池", ["human", "environment"], ["WSA10023", "WSA10024"], (1, 3, 40)),
    ("配电室", "place", "综合楼一层", ["object"], ["WSA10006"], (1, 6, 7)),
    ("叉车作业", "activity", "成品仓库", ["human"], ["WSA10002"], (3, 6, 3)),
]


MEASURES = {  # control measures of each POINTS row: (kind, tier, description)
    "液氯储罐区": [
        (
            "engineering",
            "company",
            "储罐设置液位、压力远传监测和紧急切断装置，配备有毒气体检测报警仪并与应急吸收装置联锁",
        ),
        ("management", "workshop", "执行罐区巡检制度，每班检查罐体、阀门和管线，记录液位压力"),
        ("emergency", "company", "编制液氯泄漏专项应急预案，配备正压式空气呼吸器和碱液吸收池"),
    ],
    "反应釜（氯化工艺）": [
        ("engineering", "company", "氯化反应釜设置温度、压力与进料紧急切断联锁，装设安全仪表系统"),
        ("training", "workshop", "操作人员持特种作业（氯化工艺作业）操作证上岗，每季度开展工艺安全培训"),
    ],
    "动火作业": [
        ("management", "company", "执行动火作业许可制度，作业前气体分析合格、专人监火"),
        ("ppe", "team", "作业人员佩戴防护面罩、阻燃工作服，现场配备灭火器材"),
    ],
    "有限空间作业": [
        ("management", "company", "执行“先通风、再检测、后作业”，办理有限空间作业审批"),
        ("emergency", "team", "作业现场配备通风设备、气体检测仪和救援三脚架，设专人监护"),
    ],
    "配电室": [("management", "workshop", "配电室专人管理，定期检测接地电阻和绝缘，配备绝缘用具")],
    "叉车作业": [("training", "post", "叉车司机持证上岗，限速行驶，仓库内设置人车分流通道")],
}


def _assessed(enterprise: Enterprise, spec: tuple, actor, exposure=None, days_ago: int = 0, measures=True):
    """A risk point of `enterprise` from a POINTS row, assessed by LEC through the real services
    `days_ago` days ago with re-assessment due a year after that (`exposure` replaces the row's E)."""
    name, kind, location, factors, categories, (likelihood, e, c) = spec
    point = points.create_point(
        {
            "enterprise": enterprise.uscc,
            "name": name,
            "kind": kind,
            "location": location,
            "factor_kinds": factors,
            "accident_categories": categories,
            "responsible_person": enterprise.safety_manager_name,
        },
        actor=actor,
    )
    when = timezone.now() - dt.timedelta(days=days_ago)
    due = timezone.localdate(when) + dt.timedelta(days=365)
    factors = {"l": likelihood, "e": exposure or e, "c": c, "next_due": due.isoformat()}
    points.assess(point, {"method": "LEC", **factors}, actor=actor, now=when)
    for kind, tier, description in MEASURES[name] if measures else ():
        points.add_measure(
            point,
            {
                "kind": kind,
                "tier": tier,
                "description": description,
                "responsible_person": point.responsible_person,
            },
            actor=actor,
        )
    return point


def build_risk(rng: random.Random) -> int:
    manager = User.objects.get(username="enterprise")
    office = User.objects.get(username="lianxi")
    chem = manager.enterprise
    made = 0
    # assessed at different times: one re-assessment overdue, two due within the week
    for spec, days_ago in zip(POINTS, (380, 362, 360, 200, 90, 30), strict=True):
        point = _assessed(chem, spec, manager, days_ago=days_ago)
        name = spec[0]
        for frequency, post in (("shift", "当班操作工"), ("week", "安全管理员")):
            tasks.add_schedule(
                point,
                {
                    "frequency": frequency,
                    "post": post,
                    "content": f"{name}：检查设备设施、作业行为和现场环境，确认管控措施落实",
                },
                actor=manager,
            )
        made += 1
    others = Enterprise.objects.filter(region_code__startswith="360402", industry__high_risk=True).exclude(
        pk=chem.pk
    )
    for enterprise in others.order_by("id")[:25]:
        for spec in rng.sample(POINTS, 2):
            _assessed(
                enterprise, spec, office, exposure=rng.choice([spec[5][1], 3]), days_ago=rng.randrange(400)
            )
            made += 1
    made += _county_samples(rng, office=User.objects.get(username="jiujiang"), exclude="360402")
    installations.create_installation(
        {
            "enterprise": chem.uscc,
            "name": "液氯液氨储存单元",
            "unit_type": "storage",
            "exposed_persons": 60,
            "substances": [{"name": "氯", "quantity_t": "3"}, {"name": "氨", "quantity_t": "6"}],
            "principal_name": chem.principal_name,
            "principal_phone": chem.principal_phone,
            "technical_name": "赵工",
            "technical_phone": "13907920003",
            "operational_name": "钱班长",
            "operational_phone": "13907920004",
        },
        actor=manager,
    )
    installations.create_installation(
        {
            "enterprise": chem.uscc,
            "name": "液化石油气储罐区",
            "unit_type": "storage",
            "exposed_persons": 120,
            "substances": [{"name": "液化石油气", "quantity_t": "200"}],
            "principal_name": chem.principal_name,
            "principal_phone": chem.principal_phone,
            "technical_name": "赵工",
            "technical_phone": "13907920003",
            "operational_name": "孙班长",
            "operational_phone": "13907920005",
        },
        actor=manager,
    )
    build_site_plan(manager)
    build_reports(rng)
    return made


def _county_samples(rng: random.Random, *, office, exclude: str, per_county: int = 25) -> int:
    """A few assessed risk points in every other county of the city, each county with its own mix of
    levels, so the regional four-colour map has something to show (made by the city office)."""
    made = 0
    counties = Region.objects.filter(parent__code=office.region_code).exclude(code=exclude).order_by("code")
    for county in counties:
        severe = rng.random()  # this county's lean towards the severe points
        # POINTS order: orange, red, yellow, yellow, blue, blue — red points stay rare, as in the seeds
        weights = [0.5 + 2 * severe, 0.8 * severe * severe, 2, 2, 4 * (1 - severe) + 2, 3 * (1 - severe) + 2]
        sample = Enterprise.objects.filter(region_code__startswith=county.code).order_by("id")[:per_county]
        for enterprise in sample:
            # now and then a point still without recorded measures (管控不到位), for the overview to show
            _assessed(enterprise, rng.choices(POINTS, weights)[0], office, measures=rng.random() > 0.03)
            made += 1
    return made


# --- yearly risk reports: a share of each county's enterprises has reported this year -------------

REPORT_SHARE = {"360402": 0.55}  # 濂溪区, the walkthrough county; other counties 15–50 %
REPORT_CAP = {"360402": 150}
RETURN_REASONS = [
    "未列明有限空间作业风险及管控措施",
    "重大危险源包保责任人信息不完整",
    "风险点辨识不全，请补充",
]


def build_reports(rng: random.Random, now: dt.datetime | None = None) -> int:
    """This year's reports through the real service: submitted by each enterprise's manager (made as
    for the hazards when missing), about half accepted by the county office, a few returned. The demo
    enterprise's own report is left for the walkthrough."""
    from anquan.demo.hazards import _enterprise_account, supervisor_office

    now = now or timezone.now()
    year = timezone.localdate(now).year
    start = timezone.make_aware(dt.datetime(year, 1, 1))
    span = (now - start).total_seconds()
    password_hash = User.objects.get(username="enterprise").password
    managers = {u.enterprise_id: u for u in User.objects.filter(role="enterprise_manager", is_active=True)}
    walkthrough = User.objects.get(username="enterprise").enterprise_id
    made = 0
    for county in Region.objects.filter(parent__code="360400").order_by("code"):
        pool = list(
            Enterprise.objects.filter(region_code__startswith=county.code)
            .exclude(status=Status.CLOSED)
            .exclude(pk=walkthrough)
            .order_by("id")
        )
        share = REPORT_SHARE.get(county.code, rng.uniform(0.15, 0.5))
        chosen = rng.sample(pool, min(len(pool), int(len(pool) * share), REPORT_CAP.get(county.code, 60)))
        office = supervisor_office(county, password_hash)
        for enterprise in chosen:
            manager = managers.get(enterprise.pk) or _enterprise_account(enterprise, password_hash)
            at = min(now, start + dt.timedelta(seconds=rng.random() * span))
            report = reports.create_report(
                {"year": year, "statement": _statement(enterprise, year)},
                actor=manager,
                now=max(start, at - dt.timedelta(days=rng.randint(0, 5))),
            )
            report = reports.submit(report, actor=manager, now=at)
            fate = rng.random()
            reviewed = min(now, at + dt.timedelta(days=rng.randint(1, 10)))
            if fate < 0.5:
                reports.accept(report, actor=office, now=reviewed)
            elif fate < 0.56:
                reports.return_report(report, actor=office, reason=rng.choice(RETURN_REASONS), now=reviewed)
            made += 1
    return made


# where each demo risk point sits on the generated site plan (anquan/demo/site_plan_image.AREAS)
PLAN_AREAS = {
    "液氯储罐区": "tank_farm",
    "反应釜（氯化工艺）": "workshop1",
    "动火作业": "workshop2",
    "有限空间作业": "sewage",
    "配电室": "office",
    "叉车作业": "warehouse",
}


def build_site_plan(manager) -> None:
    """The demo enterprise's site plan (drawn with Pillow) with its risk points placed on it."""
    from django.core.files.uploadedfile import SimpleUploadedFile

    from anquan.demo.site_plan_image import draw_site_plan
    from anquan.riskpoints import site_plans

    chem = manager.enterprise
    png, centres = draw_site_plan(f"{chem.name} 厂区总平面图")
    plan = site_plans.upload_plan(
        {"name": "全厂总平面图"},
        SimpleUploadedFile("site-plan.png", png, content_type="image/png"),
        actor=manager,
    )
    own = dict(chem.risk_points.values_list("name", "pk"))
    site_plans.replace_placements(
        plan,
        [
            {"point": own[name], "x": centres[area][0], "y": centres[area][1] + 0.04}
            for name, area in PLAN_AREAS.items()
            if name in own
        ],
        actor=manager,
    )


def _statement(enterprise: Enterprise, year: int) -> str:
    levels = {
        r["current_level"]: r["n"]
        for r in RiskPoint.objects.filter(enterprise=enterprise)
        .order_by()
        .values("current_level")
        .annotate(n=Count("id"))
    }
    names = list(RiskPoint.objects.filter(enterprise=enterprise).values_list("name", flat=True)[:3])
    main = "、".join(names) if names else f"{enterprise.industry.name}行业常见的生产作业风险"
    return (
        f"本单位{year}年度共辨识风险点{sum(levels.values())}处，其中重大风险{levels.get('red', 0)}处、"
        f"较大风险{levels.get('orange', 0)}处。主要风险：{main}。已按公司、车间、班组、岗位落实分级管控措施，"
        "明确责任人，定期开展隐患排查和应急演练。"
    )
