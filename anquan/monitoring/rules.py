"""Monitoring figures as versioned rule data (anquan.rules, docs/adr/0022-versioned-rule-data.md).

- `monitoring.setpoints`: default alarm thresholds of a new point by kind — GB/T 50493-2019《石油化工可燃气体和
  有毒气体检测报警设计标准》5.5.2 (three independent verbatim quotations, the standard itself not held: partial):
  combustible gas level 1 ≤ 25 %LEL, level 2 ≤ 50 %LEL; toxic gas level 1 ≤ 100 %OEL, level 2 ≤ 200 %OEL;
  oxygen over 23.5 %VOL, under 19.5 %VOL. Temperature, pressure, level and flow limits are the process's own:
  no default.
- `monitoring.operation`: how the system judges data and alarms — offline after N silent intervals, the minimum
  duration and the hysteresis of a crossing, a stuck value, warning levels, acknowledgement limits and escalation,
  the online-rate line, the retention of raw readings. No national rule was found (README-wave2 §B4): every figure
  is a default marked not found, for each province to set. Raw readings are never kept less than 30 days
  (Decree 40 art. 13): the schema refuses less.
"""

from __future__ import annotations

import datetime as dt

from pydantic import BaseModel, Field

from anquan.rules.registry import Default, RuleKind, register

SETPOINTS = "monitoring.setpoints"
OPERATION = "monitoring.operation"
MIN_RETENTION_DAYS = 30  # Decree 40 art. 13: 记录的电子数据的保存时间不少于30天


class Setpoints(BaseModel):
    combustible_high_pct_lel: float = Field(title="可燃气体一级报警（%LEL）", gt=0, le=100)
    combustible_high_high_pct_lel: float = Field(title="可燃气体二级报警（%LEL）", gt=0, le=100)
    toxic_high_pct_oel: float = Field(title="有毒气体一级报警（%OEL）", gt=0)
    toxic_high_high_pct_oel: float = Field(title="有毒气体二级报警（%OEL）", gt=0)
    oxygen_high_pct_vol: float = Field(title="过氧报警（%VOL）", gt=0, le=100)
    oxygen_low_pct_vol: float = Field(title="欠氧报警（%VOL）", gt=0, le=100)


class LevelMinutes(BaseModel):
    red: int = Field(title="红色", ge=1)
    orange: int = Field(title="橙色", ge=1)
    yellow: int = Field(title="黄色", ge=1)
    blue: int = Field(title="蓝色", ge=1)


class Operation(BaseModel):
    offline_after_intervals: int = Field(title="连续多少个采集周期无数据判为离线", ge=1, le=1000)
    min_duration_seconds: int = Field(title="越限持续多少秒才报警", ge=0, le=3600)
    hysteresis_percent: float = Field(title="恢复回差（阈值的百分比）", ge=0, le=50)
    stuck_minutes: int = Field(title="数值连续不变多少分钟判为数据停滞", ge=1, le=10080)
    gap_percent: float = Field(title="一小时内缺数超过多少（%）判为数据缺失", gt=0, le=100)
    level_high_high: str = Field(
        title="二级（高高/低低）报警的预警等级", pattern="^(red|orange|yellow|blue)$"
    )
    level_high: str = Field(title="一级（高/低）报警的预警等级", pattern="^(red|orange|yellow|blue)$")
    level_rate: str = Field(title="变化速率报警的预警等级", pattern="^(red|orange|yellow|blue)$")
    level_tamper: str = Field(title="离线、停滞、缺数报警的预警等级", pattern="^(red|orange|yellow|blue)$")
    raise_for_grade_1_2: bool = Field(title="一级、二级重大危险源的报警提高一个预警等级")
    acknowledge_minutes: LevelMinutes = Field(title="报警须在多少分钟内确认（按预警等级）")
    escalate_after_minutes: LevelMinutes = Field(title="未确认多少分钟后逐级上报（按预警等级）")
    online_rate_percent: float = Field(title="在线率低于多少（%）列入执法关注", ge=0, le=100)
    raw_retention_days: int = Field(title="原始数据保存天数（不少于30天）", ge=MIN_RETENTION_DAYS)
    minute_rollup_days: int = Field(title="分钟汇总数据保存天数", ge=MIN_RETENTION_DAYS)
    # added with the live board and statistics (board16); versions stored before it read the default
    persistent_hours: int = Field(
        default=24, title="监测点离线或数据停滞持续多少小时列入执法关注", ge=1, le=8760
    )
    # added with the retention review (perf16, docs/adr/0044); versions stored before it read the default
    hour_rollup_days: int = Field(default=3650, title="小时汇总数据保存天数", ge=365)


# the first default figures of `monitoring.operation` (none national: see the module's note)
OPERATION_2020: dict[str, object] = {
    "offline_after_intervals": 3,
    "min_duration_seconds": 10,
    "hysteresis_percent": 5,
    "stuck_minutes": 60,
    "gap_percent": 20,
    "level_high_high": "orange",
    "level_high": "yellow",
    "level_rate": "yellow",
    "level_tamper": "blue",
    "raise_for_grade_1_2": True,
    "acknowledge_minutes": {"red": 5, "orange": 10, "yellow": 30, "blue": 60},
    "escalate_after_minutes": {"red": 15, "orange": 30, "yellow": 60, "blue": 240},
    "online_rate_percent": 90,
    "raw_retention_days": 30,
    "minute_rollup_days": 400,
    "persistent_hours": 24,
}
# from 2026-12-02: 90 days of minute roll-ups instead of 400, ten years of hour roll-ups (docs/adr/0044)
OPERATION_2026 = OPERATION_2020 | {"minute_rollup_days": 90, "hour_rollup_days": 3650}


def register_kinds() -> None:
    register(
        RuleKind(
            key=SETPOINTS,
            label="可燃和有毒气体报警设定值",
            schema=Setpoints,
            description="新建监测点按种类带出的默认报警阈值；温度、压力、液位、流量的限值由工艺确定，不设默认值",
            defaults=[
                Default(
                    effective_from=dt.date(2020, 1, 1),
                    values={
                        "combustible_high_pct_lel": 25,
                        "combustible_high_high_pct_lel": 50,
                        "toxic_high_pct_oel": 100,
                        "toxic_high_high_pct_oel": 200,
                        "oxygen_high_pct_vol": 23.5,
                        "oxygen_low_pct_vol": 19.5,
                    },
                    source="GB/T 50493-2019《石油化工可燃气体和有毒气体检测报警设计标准》第5.5.2条",
                    verified="partial",
                    note="三个互相独立的网页逐字引用一致，未取得标准全文；生效日期按标准实施日期2020-01-01填写，未核实",
                )
            ],
        )
    )
    register(
        RuleKind(
            key=OPERATION,
            label="监测预警运行规则",
            schema=Operation,
            description="离线、停滞、缺数的判定，报警持续时间和回差，预警等级，确认时限和逐级上报，在线率，数据保存期限",
            value_labels={"red": "红色", "orange": "橙色", "yellow": "黄色", "blue": "蓝色"},
            defaults=[
                Default(
                    effective_from=dt.date(2020, 1, 1),
                    values=OPERATION_2020,
                    source="未找到全国性规定（应急管理部关于预警分级、在线率、离线判定、报警处置时限的规则）；"
                    "红橙黄蓝四级见吉林省试行文件的报道；原始数据保存不少于30天依据原国家安全监管总局令第40号第十三条",
                    verified="not_found",
                    note="均为系统默认值，须由省级应急管理部门按本省文件核定后修改",
                ),
                Default(
                    effective_from=dt.date(2026, 12, 2),
                    values=OPERATION_2026,
                    source="未找到全国性规定（应急管理部关于预警分级、在线率、离线判定、报警处置时限的规则）；"
                    "红橙黄蓝四级见吉林省试行文件的报道；原始数据保存不少于30天依据原国家安全监管总局令第40号第十三条",
                    verified="not_found",
                    note="均为系统默认值，须由省级应急管理部门按本省文件核定后修改；本版起分钟汇总数据默认保存90天"
                    "（全省5万个监测点保存400天约4.2万亿字节），小时汇总数据保存10年",
                ),
            ],
        )
    )
