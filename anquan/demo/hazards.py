"""Demo hazards for 九江市: every kind of source and path, made through the real transitions
(so events, audit and notifications are the same as for hazards recorded by people)."""

import datetime as dt
import random

from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from anquan.accounts.models import User
from anquan.accounts.services import create_user
from anquan.enterprises.models import Enterprise
from anquan.hazards import actions, listing
from anquan.hazards import services as reporting
from anquan.hazards.choices import AttachmentStage
from anquan.hazards.models import JudgementItem
from anquan.regions.choices import RegionLevel
from anquan.regions.models import Region
from anquan.sweep.services import sweep


def _png() -> bytes:
    """A small real PNG (uploads are verified by decoding, so a hand-written one would be refused)."""
    import io

    from PIL import Image

    buffer = io.BytesIO()
    Image.new("RGB", (64, 48), (200, 120, 40)).save(buffer, "PNG")
    return buffer.getvalue()


PNG = _png()
GENERAL = [
    "消防通道堆放杂物",
    "灭火器压力不足",
    "配电箱未上锁、无警示标识",
    "安全出口指示灯损坏",
    "员工未佩戴劳动防护用品",
    "叉车司机无证驾驶",
    "危险化学品储存未分区分类",
    "有限空间作业未审批",
    "特种设备超期未检验",
    "动火作业未办理作业票",
    "应急预案未演练",
    "安全培训记录不全",
    "防雷检测报告过期",
    "楼道内电动自行车充电",
    "燃气管道锈蚀",
]
CHEMICAL_ITEMS = [4, 5, 12, 15, 20]


def _photo(name: str) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, PNG, content_type="image/png")


def _county_staff(county: Region, password_hash: str) -> dict[str, User]:
    """An emergency-management inspector and supervisor for each county (created quietly for the demo)."""
    staff = {}
    for role, prefix in (("inspector", "jc"), ("department_supervisor", "yjj")):
        username = f"{prefix}_{county.code}"
        user = User.objects.filter(username=username).first() or create_user(
            actor=None,
            username=username,
            role=role,
            password=None,
            password_hash=password_hash,
            region_code=county.code,
            department_name="应急管理局",
            full_name=f"{county.name}应急管理局{'执法员' if role == 'inspector' else ''}",
        )
        staff[role] = user
    return staff


def build_hazards(rng: random.Random, password_hash: str, count: int = 400) -> int:
    """`password_hash`: the demo password hashed once (Argon2 is deliberately slow)."""
    now = timezone.now()
    city = Region.objects.get(code="360400")
    counties = list(Region.objects.filter(parent=city))
    staff = {c.code: _county_staff(c, password_hash) for c in counties}
    managers = {u.enterprise_id: u for u in User.objects.filter(role="enterprise_manager")}
    chem_items = {i.clause: i for i in JudgementItem.objects.filter(standard__code="chemical")}
    pool = list(
        Enterprise.objects.filter(status="operating", supervising_department__name="应急管理局")
        .select_related("region", "industry")
        .order_by("id")
    )
    enterprises = rng.sample(pool, min(len(pool), 120))  # hazards concentrate: several per enterprise
    made = 0
    for n in range(count):
        enterprise = rng.choice(enterprises)
        county = next(
            r for r in [*enterprise.region.ancestors(), enterprise.region] if r.level == RegionLevel.COUNTY
        )
        inspector, supervisor = staff[county.code]["inspector"], staff[county.code]["department_supervisor"]
        found = now - dt.timedelta(days=rng.randint(0, 330), hours=rng.randint(0, 10))
        major = enterprise.industry.code == "hazardous_chemicals" and rng.random() < 0.08
        raw = {"enterprise": enterprise.uscc, "source": "inspection", "description": rng.choice(GENERAL)}
        if major:
            item = chem_items[f"第{rng.choice(CHEMICAL_ITEMS)}项"]
            raw.update(judgement_item=item.pk, description=item.text.rstrip("。"))
        hazard = reporting.report_hazard(raw, actor=inspector, now=found)
        reporting.add_attachment(
            hazard, _photo("现场照片.png"), stage=AttachmentStage.REPORT, actor=inspector
        )
        made += 1
        fate = rng.random()
        if fate < 0.08:
            continue  # confirmed, not yet assigned
        plan = {
            "responsible_party": f"{enterprise.principal_name}（主要负责人）",
            "measures": "按规定整改并落实责任",
            "deadline": (found + dt.timedelta(days=rng.randint(7, 45))).date().isoformat(),
        }
        if major:
            plan.update(
                funds_yuan=str(rng.randint(2, 60) * 10000), contingency_plan="企业综合应急预案及专项预案"
            )
        hazard = actions.transition(hazard, "assign", actor=inspector, now=found, **plan)
        if major and rng.random() < 0.6:
            listing.list_hazard(
                hazard,
                actor=supervisor_office(county, password_hash),
                level="county",
                authority=f"{county.name}安全生产委员会",
                document_no=f"{county.name[:2]}安督〔2026〕{n + 1}号",
                deadline=hazard.deadline,
                now=found,
            )
        if fate < 0.25 or found > now - dt.timedelta(days=20):
            continue  # still rectifying (some of these become overdue in the sweep below)
        if enterprise.pk not in managers:
            managers[enterprise.pk] = _enterprise_account(enterprise, password_hash)
        manager = managers[enterprise.pk]
        done = min(now, found + dt.timedelta(days=rng.randint(3, 40)))
        photo = reporting.add_attachment(
            hazard, _photo("整改后.png"), stage=AttachmentStage.EVIDENCE, actor=manager
        )
        actions.transition(
            hazard, "submit", actor=manager, now=done, evidence="已按要求整改完毕", attachments=[photo.pk]
        )
        if fate < 0.32:
            continue  # awaiting acceptance
        accepted_at = min(now, done + dt.timedelta(days=1))
        hazard = actions.transition(hazard, "accept_rectification", actor=supervisor, now=accepted_at)
        if hazard.status == "accepted":
            listing.delist(
                hazard, actor=supervisor_office(county, password_hash), comment="验收合格", now=accepted_at
            )
    sweep(now)
    return made


def supervisor_office(county: Region, password_hash: str) -> User:
    username = f"awb_{county.code}"
    return User.objects.filter(username=username).first() or create_user(
        actor=None,
        username=username,
        role="county_office",
        password=None,
        password_hash=password_hash,
        region_code=county.code,
        full_name=f"{county.name}安委办",
    )


def _enterprise_account(enterprise: Enterprise, password_hash: str) -> User:
    return create_user(
        actor=None,
        username=f"qy_{enterprise.uscc}",
        role="enterprise_manager",
        password=None,
        password_hash=password_hash,
        enterprise_uscc=enterprise.uscc,
        full_name=enterprise.safety_manager_name,
    )
