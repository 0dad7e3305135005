"""The grids' figures that are rule versions (anquan.rules, ADR 0022): how often a grid is patrolled, and the
monthly allowance of a village safety officer.

Reference README-wave2 §C3: no national or Jiangxi document sets grid sizes or patrol frequencies (the local
example of 永仁: the grid head checks each object at least monthly), so those figures are configurable and marked
unverified. §C2 (公安部令第61号, verified): crowded venues (公众聚集场所) patrol themselves at least every 2 hours
while open (第二十五条) and other units check fire safety monthly (第二十六条): the venue's own duties, shown on
the patrol card; the grid's monthly default follows 第二十六条's month. The 200 yuan a month is the seed's
("配备兼职安全员3989名，每月给予200元补助"), a figure of one programme, not a rule."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Literal

from pydantic import BaseModel, Field

from anquan.enterprises.choices import RiskLevel
from anquan.rules.registry import Default, RuleKind, register
from anquan.venues.choices import VenueKind

PATROL = "grids.patrol"
ALLOWANCE = "grids.allowance"

Frequency = Literal["day", "week", "month"]
VENUE_KINDS = (
    "shop",
    "small_hotel",
    "small_school",
    "small_clinic",
    "internet_cafe",
    "small_restaurant",
    "small_entertainment",
    "small_bath_beauty",
    "small_workshop",
)
# how the stored codes read on the rules page: the venues' nine kinds, the enterprises' risk levels
KIND_LABELS = {kind.value: kind.label for kind in VenueKind}
RISK_LABELS = {level.value: level.label for level in RiskLevel}
CROWDED = ("small_hotel", "internet_cafe", "small_restaurant", "small_entertainment", "small_bath_beauty")


class PatrolFigures(BaseModel):
    default_frequency: Frequency = Field(title="网格默认巡查频次")
    venue_kinds: dict[str, Frequency] = Field(title="九小场所按类别的巡查频次")
    enterprise_risk: dict[str, Frequency] = Field(title="企业按风险等级的巡查频次")
    crowded_kinds: list[str] = Field(title="公众聚集场所类别（营业期间自行防火巡查）")
    crowded_patrol_hours: int = Field(title="公众聚集场所营业期间防火巡查间隔（小时）", ge=1, le=24)


class AllowanceFigures(BaseModel):
    monthly_yuan: Decimal = Field(title="村（社区）兼职安全员每月补助（元）", ge=0, le=100000)


def register_kinds() -> None:
    register(
        RuleKind(
            key=PATROL,
            label="网格巡查频次",
            schema=PatrolFigures,
            description="网格巡查计划的频次：取网格内九小场所类别和企业风险等级中最频繁的一项",
            value_labels={
                "day": "每天",
                "week": "每周",
                "month": "每月",
                **RISK_LABELS,
                **KIND_LABELS,
            },
            defaults=[
                Default(
                    effective_from=dt.date(2012, 2, 1),
                    values={
                        "default_frequency": "month",
                        "venue_kinds": {k: ("week" if k in CROWDED else "month") for k in VENUE_KINDS},
                        "enterprise_risk": {
                            "red": "week",
                            "orange": "week",
                            "yellow": "month",
                            "blue": "month",
                        },
                        "crowded_kinds": list(CROWDED),
                        "crowded_patrol_hours": 2,
                    },
                    source=(
                        "公安部令第61号第二十五条（公众聚集场所营业期间至少每2小时防火巡查）、第二十六条（每月防火检查）；"
                        "网格巡查频次无国家或江西省规定"
                    ),
                    verified="partial",
                    note="每2小时、每月两项已核实；网格按类别、风险等级的巡查频次为本系统的默认设置，未核实",
                ),
            ],
        )
    )
    register(
        RuleKind(
            key=ALLOWANCE,
            label="村（社区）安全员补助",
            schema=AllowanceFigures,
            description="登记村（社区）兼职安全员每月补助时的默认金额",
            defaults=[
                Default(
                    effective_from=dt.date(2020, 1, 1),
                    values={"monthly_yuan": "200"},
                    source="江西省工作材料：配备兼职安全员3989名，每月给予200元补助（未见文件依据）",
                    verified="not_found",
                    note="一地做法的金额，不是规定；各地按本地标准另行设置",
                ),
            ],
        )
    )
