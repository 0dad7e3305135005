"""Key-post personnel figures as versioned rule data (anquan.rules, docs/adr/0022-versioned-rule-data.md).

- `personnel.catalogue`: the special-operations catalogue (特种作业目录). The old catalogue of SAWS Order 30
  (2010, amended 2015; 11 categories, 51 jobs) is held (catalogue_order30.json, verified in one full copy).
  The new catalogue under MEM Order 19 (应急〔2026〕45号, 10 categories, 54 jobs, from 2026-06-01) is NOT held:
  an administrator enters it as a new version; the page says so.
- `personnel.certificates`: validity and review of the certificates by the date the review falls due —
  Order 30 art. 19 (valid 6 years), art. 21 (review every 3 years; every 6 after 10 clean years), art. 22
  (applied for within 60 days before); MEM Order 19 from 2026-06-01 (reported, text not held): the 3-year
  review becomes a 6-year renewal; coal-mine special workers (SAWS Order 92 art. 28-29): 6 years, no review.
- `personnel.training_hours`: SAWS Order 3 (2015) art. 9 and 13 (hours quoted by web copies only: partial).
"""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path
from typing import Any

from pydantic import BaseModel, Field

from anquan.rules.registry import Default, RuleKind, register

CATALOGUE = "personnel.catalogue"
CERTIFICATES = "personnel.certificates"
TRAINING_HOURS = "personnel.training_hours"
ORDER19_FROM = dt.date(2026, 6, 1)
COAL_CATEGORY = "5"  # Order 30 catalogue: 煤矿安全作业


class Job(BaseModel):
    code: str = Field(title="工种代码", max_length=10)
    name: str = Field(title="工种名称", max_length=100)


class Category(BaseModel):
    code: str = Field(title="类别代码", max_length=10)
    name: str = Field(title="类别名称", max_length=100)
    jobs: list[Job] = Field(title="工种")


class Catalogue(BaseModel):
    categories: list[Category] = Field(title="特种作业类别")
    coal_categories: list[str] = Field(title="煤矿特种作业的类别代码（不设3年复审）", default_factory=list)


class Certificates(BaseModel):
    validity_years: int = Field(title="特种作业操作证有效期（年）", ge=1, le=20)
    review_every_years: int | None = Field(title="复审周期（年；空为不复审、期满换证）", ge=1, le=20)
    extended_review_every_years: int | None = Field(
        title="连续从事本工种10年以上无违法的复审周期（年）", ge=1, le=20
    )
    apply_within_days: int = Field(title="期满前多少日内申请复审或换证", ge=0, le=365)
    coal_validity_years: int = Field(title="煤矿特种作业操作证有效期（年，不设3年复审）", ge=1, le=20)
    reminder_days: int = Field(title="到期或复审前多少日提醒", ge=1, le=365)


class TrainingHours(BaseModel):
    manager_initial: float = Field(title="主要负责人、安全管理人员初次培训（学时）", ge=0)
    manager_yearly: float = Field(title="主要负责人、安全管理人员每年再培训（学时）", ge=0)
    manager_initial_high_risk: float = Field(title="高危行业主要负责人、安全管理人员初次培训（学时）", ge=0)
    manager_yearly_high_risk: float = Field(title="高危行业主要负责人、安全管理人员每年再培训（学时）", ge=0)
    worker_initial: float = Field(title="新上岗从业人员岗前培训（学时）", ge=0)
    worker_yearly: float = Field(title="从业人员每年再培训（学时；0为未规定）", ge=0)
    worker_initial_high_risk: float = Field(title="高危行业新上岗从业人员岗前培训（学时）", ge=0)
    worker_yearly_high_risk: float = Field(title="高危行业从业人员每年再培训（学时）", ge=0)


def order30_catalogue() -> dict[str, Any]:
    categories = json.loads((Path(__file__).parent / "catalogue_order30.json").read_text(encoding="utf-8"))
    return {"categories": categories, "coal_categories": [COAL_CATEGORY]}


ORDER30 = "原国家安全监管总局令第30号《特种作业人员安全技术培训考核管理规定》（2015年第80号令修正）"


def register_kinds() -> None:
    register(
        RuleKind(
            key=CATALOGUE,
            label="特种作业目录",
            schema=Catalogue,
            description="特种作业操作证的类别和工种；应急管理部令第19号配套的新目录（10大类54个工种）系统未收录，须由管理员录入新版本",
            defaults=[
                Default(
                    effective_from=dt.date(2010, 7, 1),
                    values=order30_catalogue(),
                    source=ORDER30 + "附件《特种作业目录》（11类51个工种）",
                    verified="verified",
                    note="单一全文副本；2026-06-01起施行的新目录（应急〔2026〕45号，10大类54个工种）未取得",
                )
            ],
        )
    )
    common = {"validity_years": 6, "apply_within_days": 60, "coal_validity_years": 6, "reminder_days": 60}
    register(
        RuleKind(
            key=CERTIFICATES,
            label="特种作业操作证有效期与复审",
            schema=Certificates,
            description="按复审应到期之日适用的版本判断证书状态：2026-05-31前到期的复审仍须复审，未复审即不得上岗；"
            "2026-06-01以后到期的不再复审，期满换证",
            defaults=[
                Default(
                    effective_from=dt.date(2010, 7, 1),
                    values={**common, "review_every_years": 3, "extended_review_every_years": 6},
                    source=ORDER30 + "第十九、二十一、二十二条；煤矿：原安监总局令第92号第二十八、二十九条",
                    verified="verified",
                    note="提醒天数为系统默认值",
                ),
                Default(
                    effective_from=ORDER19_FROM,
                    values={**common, "review_every_years": None, "extended_review_every_years": None},
                    source="应急管理部令第19号《特种作业人员安全技术培训考核管理规定》（2026-06-01施行）：每3年复审改为每6年换证",
                    verified="partial",
                    note="仅见新闻转载，令的全文未取得；煤矿特种作业是否并入统一规定未核实",
                ),
            ],
        )
    )
    register(
        RuleKind(
            key=TRAINING_HOURS,
            label="安全培训学时",
            schema=TrainingHours,
            description="主要负责人、安全管理人员和从业人员的初次与每年再培训学时；高危行业为煤矿、非煤矿山、危险化学品、烟花爆竹、金属冶炼等",
            defaults=[
                Default(
                    effective_from=dt.date(2015, 7, 1),
                    values={
                        "manager_initial": 32,
                        "manager_yearly": 12,
                        "manager_initial_high_risk": 48,
                        "manager_yearly_high_risk": 16,
                        "worker_initial": 24,
                        "worker_yearly": 0,
                        "worker_initial_high_risk": 72,
                        "worker_yearly_high_risk": 20,
                    },
                    source="原国家安全监管总局令第3号《生产经营单位安全培训规定》（2015年第80号令修正）第九条、第十三条",
                    verified="partial",
                    note="仅见网页逐字引用，官方全文未取得；一般单位从业人员每年再培训学时本规定未给出（安委〔2012〕10号称不少于8学时，仅见转述）",
                )
            ],
        )
    )
