"""The demo dataset for 九江市 (Jiujiang): what `anquan demo` builds on Jiangxi's regions."""

import random

from django.contrib.auth.hashers import make_password

from anquan.accounts.passwords import DEMO_PASSWORD
from anquan.accounts.services import create_user
from anquan.core import audit
from anquan.core.models import AuditAction
from anquan.demo import names
from anquan.demo.accidents import build_accidents
from anquan.demo.assessments import build_assessments
from anquan.demo.campaigns import build_campaigns
from anquan.demo.emergency import build_emergency
from anquan.demo.enforcement_cases import build_cases
from anquan.demo.enforcement_documents import build_documents
from anquan.demo.enforcement_draws import build_draws
from anquan.demo.enforcement_inspections import build_inspections
from anquan.demo.enforcement_plans import build_plans
from anquan.demo.factory import EnterpriseFactory, create_grids
from anquan.demo.grids import build_grids
from anquan.demo.hazards import build_hazards
from anquan.demo.letters import build_letters
from anquan.demo.monitoring import build_monitoring
from anquan.demo.personnel import build_personnel  # issue #17 part 1 (personnel17)
from anquan.demo.rescue import build_rescue  # issue #17 (rescue17)
from anquan.demo.risk import build_risk
from anquan.demo.tipoffs import build_tipoffs
from anquan.demo.venues import build_venues
from anquan.enterprises.choices import KeySupervisionLevel, Scale, StandardizationGrade, Status
from anquan.enterprises.models import Enterprise, pinyin_initials
from anquan.orgs.models import (
    Department,
    SafetyCommittee,
    department_for_industry,
)
from anquan.regions.choices import RegionLevel
from anquan.regions.models import Grid, Region
from anquan.riskpoints.levels import refresh_many as refresh_risk_levels

CITY = "360400"  # 九江市
JIUJIANG_BBOX = (29.1, 30.1, 114.7, 116.3)
VILLAGE_COUNTY = "360402"  # 濂溪区: villages loaded for the demo
PASSWORD = (
    DEMO_PASSWORD  # printed by the command; refused for any account not made here (accounts/passwords.py)
)


def build(opts: dict, rng: random.Random):
    """Committees, grids, enterprises, one account per role, hazards, accidents and risk data for 九江市."""
    departments = list(Department.objects.all())
    city = Region.objects.get(code=CITY)
    province = city.parent
    for region in [
        province,
        city,
        *Region.objects.filter(parent=city),
        *Region.objects.filter(level=RegionLevel.TOWNSHIP, code__startswith=city.prefix),
    ]:
        committee = SafetyCommittee(
            region=region,
            name=f"{region.name}安全生产委员会",
            office_name=f"{region.name}安全生产委员会办公室",
            office_phone=f"0792-{rng.randint(2000000, 8999999)}",
        )
        committee.save()
        members = departments if region.level <= RegionLevel.COUNTY else departments[:4]
        committee.members.set(members)
    townships = list(Region.objects.filter(level=RegionLevel.TOWNSHIP, code__startswith=city.prefix))
    grids_by_region = create_grids(townships, rng)
    villages = list(Region.objects.filter(level=RegionLevel.VILLAGE, code__startswith=VILLAGE_COUNTY))
    Grid.objects.bulk_create(
        Grid(region=v, region_code=v.code, code=f"{v.code}G001", name=f"{v.name}网格") for v in villages[:40]
    )
    factory = EnterpriseFactory(rng, grids_by_region, bbox=JIUJIANG_BBOX)
    objs = [factory.make(rng.choice(townships)) for _ in range(opts["enterprises"])]
    industries = factory.industries
    # a known enterprise for walkthroughs: "江西化工…" is found by the initials "jxhg"
    lianxi_town = Region.objects.filter(parent__code=VILLAGE_COUNTY, level=RegionLevel.TOWNSHIP).first()
    chem = industries["hazardous_chemicals"]
    objs.append(
        Enterprise(
            name="江西化工集团九江有限公司",
            name_initials=pinyin_initials("江西化工集团九江有限公司"),
            uscc=names.credit_code(rng, VILLAGE_COUNTY),
            address=names.address(rng, lianxi_town.full_name),
            region=lianxi_town,
            region_code=lianxi_town.code,
            industry=chem,
            scale=Scale.ABOVE,
            employee_count=420,
            legal_representative="陈建国",
            principal_name="陈建国",
            principal_phone="13907920001",
            safety_manager_name="刘芳",
            safety_manager_phone="13907920002",
            standardization_grade=StandardizationGrade.LEVEL2,
            key_supervision=True,
            key_supervision_level=KeySupervisionLevel.CITY,
            status=Status.OPERATING,
            territorial_region=lianxi_town,
            supervising_department=department_for_industry(chem, lianxi_town.code),
        )
    )
    Enterprise.objects.bulk_create(objs, batch_size=1000)
    created = list(Enterprise.objects.all())
    audit.record_many(AuditAction.CREATE, created, actor="demo", comment="演示数据")
    hashed = make_password(PASSWORD)  # one Argon2 hash shared by all demo accounts
    _users(city, lianxi_town, hashed)
    build_hazards(rng, hashed, count=opts["hazards"])
    per_year = opts["accidents_per_year"]
    build_accidents(rng, {2025: per_year + per_year // 6, 2026: per_year})
    build_risk(rng)
    build_inspections()  # issue #13: two planned inspections for the demo inspector
    build_cases()  # two enforcement cases at different stages (issue #13)
    refresh_risk_levels(actor="demo")  # the stored enterprise levels after everything above (risk.levels)
    build_documents()  # two official documents for 濂溪区 (enforcement_documents.py)
    build_draws(rng, hashed)  # double-random draws: inspectors' certificates, one published draw
    build_plans()  # targeting story and the draft yearly plan (enforcement_plans.py)
    build_venues(rng)  # small venues (九小场所) in 濂溪区's townships, one with the PIN 260101 (venues.py)
    build_tipoffs()  # public tip-offs at each stage of their handling (issue #14, demo/tipoffs.py)
    build_grids()  # grid heads, patrol plans and tasks, allowances, enterprise units (grids.py, issue #14)
    build_letters()  # 九江市安委办's letters to its counties and departments (letters.py, issue #15)
    build_assessments()  # 九江's published 2025 assessment of its counties and its flags (assessments.py, issue #15)
    build_campaigns()  # 十大攻坚战: 239 tasks, 227 verified done; 九江's campaign adopting it (campaigns.py, issue #15)
    build_monitoring()  # a gateway, 14 points, 2 days of readings, alarms at each step (monitoring.py, issue #16)
    _readiness()  # people and emergency readiness (issue #17)


def _readiness() -> None:
    build_emergency()  # emergency plans at each filing stage, drills (emergency.py)
    build_personnel()  # key-post people and certificates in every state (personnel.py)
    build_rescue()  # rescue teams and supply depots of 濂溪、浔阳、柴桑, stock below minimum, one expired (rescue.py)


def _users(city, lianxi_town, hashed):
    chem = Enterprise.objects.get(name="江西化工集团九江有限公司")
    grid = Grid.objects.filter(region=lianxi_town).first()
    for username, role, region, department, enterprise, full_name, grid_code in [
        ("admin", "sysadmin", "360000", None, None, "系统管理员", None),
        ("province", "province_office", "360000", None, None, "省安委办", None),
        ("jiujiang", "city_office", CITY, None, None, "九江市安委办", None),
        ("lianxi", "county_office", "360402", None, None, "濂溪区安委办", None),
        ("xiushui", "county_office", "360424", None, None, "修水县安委办", None),
        ("township", "township_office", lianxi_town.code, None, None, f"{lianxi_town.name}安监站", None),
        ("lianxi_yjj", "department_supervisor", "360402", "应急管理局", None, "濂溪区应急管理局", None),
        ("lianxi_zjj", "department_supervisor", "360402", "住建局", None, "濂溪区住建局", None),
        ("inspector", "inspector", "360402", "应急管理局", None, "执法员 李明", None),
        ("grid", "grid_worker", lianxi_town.code, None, None, "网格员 张伟", grid.code if grid else None),
        ("enterprise", "enterprise_manager", None, None, chem.uscc, "刘芳", None),
    ]:
        create_user(  # the published demo password is refused by the password rules: stored as its hash
            actor=None,
            username=username,
            role=role,
            password=None,
            password_hash=hashed,
            region_code=region,
            department_name=department,
            enterprise_uscc=enterprise,
            full_name=full_name,
            grid_code=grid_code,
        )
