"""Scoring schemes (考核评分标准) as versioned rule data (anquan.rules, ADR 0022; docs/adr/0038).

A scheme lists its criteria — key, Chinese name, maximum points, the system figure it reads (`metric`, a key of
`criteria.METRICS`) or none for a manual criterion, and how points follow from the figure, stated in the data:

- `linear`: `floor` scores nothing, `target` scores the maximum, straight line between (either direction: a
  floor above the target rewards a falling figure), clamped to [0, maximum];
- `deduct`: the maximum less `per_unit` points for each unit of the figure, clamped to [0, maximum];
- `manual`: entered per subject by the office with a reason and evidence (`ManualEntry`).

The tie rule (`tie_break`: the criteria compared in that order when totals are equal; still equal → the same rank,
listed by region code) and the flag rule (first `red_count` get a 流动红旗, last `yellow_count` a 流动黄旗) are data too.

No national or Jiangxi standard sets these weights: the seeds say only "制定集中攻坚评分标准和调度清单，定期调度，
定期通报，对标评分，年底纳入考核" and "将安全生产工作纳入对各地和市直有关单位年度综合考核重要内容". The default
scheme is this system's example for 九江's counties, marked not verified; each office sets its own version.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any, Literal

from pydantic import BaseModel, Field, model_validator

from anquan.rules.registry import Default, RuleKind, register

SCHEME = "assessments.scheme"

Rule = Literal["linear", "deduct", "manual"]


class Criterion(BaseModel):
    key: str = Field(title="代码", pattern=r"^[a-z][a-z0-9_]{1,39}$")
    name: str = Field(title="考核内容", min_length=1, max_length=60)
    max_points: Decimal = Field(title="满分", gt=0, le=1000, decimal_places=2)
    metric: str = Field(default="", title="系统数据指标（空：人工评分）", max_length=40)
    rule: Rule = Field(title="计分方法")
    floor: Decimal | None = Field(default=None, title="得0分的数值（线性）")
    target: Decimal | None = Field(default=None, title="得满分的数值（线性）")
    per_unit: Decimal | None = Field(default=None, title="每单位扣分（扣分）", ge=0)
    explanation: str = Field(default="", title="计分说明", max_length=300)

    @model_validator(mode="after")
    def _rule_complete(self) -> Criterion:
        from .criteria import METRICS

        if self.metric and self.metric not in METRICS:
            raise ValueError("没有这项系统数据指标：" + self.metric)
        if self.rule == "manual" and self.metric:
            raise ValueError("人工评分的项目不读系统数据指标")
        if self.rule != "manual" and not self.metric:
            raise ValueError("自动计分的项目须指定系统数据指标")
        if self.rule == "linear" and (self.floor is None or self.target is None or self.floor == self.target):
            raise ValueError("线性计分须填写不相等的得0分数值和满分数值")
        if self.rule == "deduct" and self.per_unit is None:
            raise ValueError("扣分计分须填写每单位扣分")
        return self


class Scheme(BaseModel):
    name: str = Field(title="评分标准名称", min_length=1, max_length=100)
    criteria: list[Criterion] = Field(title="考核项目", min_length=1, max_length=40)
    tie_break: list[str] = Field(title="总分相同时依次比较的项目（代码）")
    red_count: int = Field(title="授予流动红旗的名次数（前N名）", ge=0, le=50)
    yellow_count: int = Field(title="挂流动黄旗的名次数（后N名）", ge=0, le=50)

    @model_validator(mode="after")
    def _keys(self) -> Scheme:
        keys = [c.key for c in self.criteria]
        if len(set(keys)) != len(keys):
            raise ValueError("考核项目代码不能重复")
        unknown = [k for k in self.tie_break if k not in keys]
        if unknown:
            raise ValueError("同分比较的项目不在考核项目中：" + "、".join(unknown))
        return self

    def criterion(self, key: str) -> Criterion:
        return next(c for c in self.criteria if c.key == key)


def _c(key: str, name: str, points: int, metric: str, rule: Rule, explanation: str, **figures: str) -> dict:
    return {
        "key": key,
        "name": name,
        "max_points": str(points),
        "metric": metric,
        "rule": rule,
        "explanation": explanation,
        **figures,
    }


def _criterion_labels() -> dict[str, str]:
    """The rule page shows a criterion's key and system figure by the criterion's Chinese name."""
    labels: dict[str, str] = {}
    criteria: list[dict[str, Any]] = [
        *JIUJIANG_COUNTIES["criteria"],  # type: ignore[list-item]
        *JIUJIANG_COUNTIES_2027["criteria"],  # type: ignore[list-item]
    ]
    for c in criteria:
        labels[c["key"]] = c["name"]
        if c["metric"]:
            labels.setdefault(c["metric"], f"{c['name']}（系统取数）")
    return labels


JIUJIANG_COUNTIES = {
    "name": "县（市、区）安全生产工作年度考核评分标准（示例）",
    "criteria": [
        _c(
            "tasks",
            "攻坚任务按期完成",
            15,
            "tasks_on_time",
            "linear",
            "按期完成率80%得0分，100%得满分",
            floor="80",
            target="100",
        ),
        _c(
            "hazards",
            "隐患按期整改",
            15,
            "hazards_on_time",
            "linear",
            "按期整改率80%得0分，100%得满分",
            floor="80",
            target="100",
        ),
        _c("major_overdue", "重大隐患逾期未整改", 10, "major_overdue", "deduct", "每项扣5分", per_unit="5"),
        _c(
            "accidents",
            "事故起数同比",
            10,
            "accidents_change",
            "deduct",
            "比上年同期每多1起扣2分",
            per_unit="2",
        ),
        _c("deaths", "死亡人数同比", 10, "deaths_change", "deduct", "比上年同期每多1人扣5分", per_unit="5"),
        _c(
            "risk_reports",
            "风险报告覆盖率",
            5,
            "risk_report_coverage",
            "linear",
            "覆盖率60%得0分，100%得满分",
            floor="60",
            target="100",
        ),
        _c(
            "enforcement",
            "执法计划覆盖率",
            5,
            "enforcement_coverage",
            "linear",
            "覆盖率60%得0分，100%得满分",
            floor="60",
            target="100",
        ),
        _c(
            "dispatch",
            "调度按时报送",
            5,
            "dispatch_on_time",
            "linear",
            "按时报送率80%得0分，100%得满分",
            floor="80",
            target="100",
        ),
        _c(
            "letters",
            "提示函督办函按期回复",
            5,
            "letters_on_time",
            "linear",
            "按期回复率50%得0分，100%得满分",
            floor="50",
            target="100",
        ),
        _c(
            "patrols",
            "网格巡查漏查",
            5,
            "grid_missed_rate",
            "linear",
            "漏查率20%得0分，0%得满分",
            floor="20",
            target="0",
        ),
        _c(
            "alarms",
            "监测预警处置",
            5,
            "alarm_disposal",
            "linear",
            "按时处置率80%得0分，100%得满分",
            floor="80",
            target="100",
        ),
        _c("work", "日常工作考评", 10, "", "manual", "安委办按工作落实情况评分，须写明理由并附依据"),
    ],
    "tie_break": ["tasks", "hazards", "major_overdue", "accidents", "deaths"],
    "red_count": 3,
    "yellow_count": 1,
}


# From 2027 (the next assessment year after the key-post personnel module, issue #17): 特种作业人员100%持证上岗 scored
# from the personnel records, five points taken from the manual daily-work score so that the total stays 100.
JIUJIANG_COUNTIES_2027 = {
    **JIUJIANG_COUNTIES,
    "criteria": [
        *(c for c in JIUJIANG_COUNTIES["criteria"] if c["key"] != "work"),  # type: ignore[attr-defined]
        _c(
            "certificates",
            "特种作业人员持证上岗",
            5,
            "certificates_held",
            "linear",
            "持证率90%得0分，100%得满分",
            floor="90",
            target="100",
        ),
        _c("work", "日常工作考评", 5, "", "manual", "安委办按工作落实情况评分，须写明理由并附依据"),
    ],
}


def register_kinds() -> None:
    register(
        RuleKind(
            key=SCHEME,
            label="考核评分标准",
            schema=Scheme,
            description="对下级地区或本级部门年度安全生产工作考核的项目、分值、计分方法、同分排名规则和流动红旗、黄旗名额",
            value_labels={
                "linear": "线性计分",
                "deduct": "扣分",
                "manual": "人工评分",
                **_criterion_labels(),
            },
            defaults=[
                Default(
                    effective_from=dt.date(2020, 1, 1),
                    values=JIUJIANG_COUNTIES,
                    source=(
                        "无国家或江西省统一评分标准；依据种子材料“制定集中攻坚评分标准和调度清单，定期调度，定期通报，"
                        "对标评分，年底纳入考核”由本系统拟定的示例"
                    ),
                    verified="not_found",
                    note="分值和计分方法是地方政策，不来自标准；各地安委办按本地考核办法另行设置",
                ),
                Default(
                    effective_from=dt.date(2027, 1, 1),
                    values=JIUJIANG_COUNTIES_2027,
                    source=(
                        "在2020年示例基础上增加“特种作业人员持证上岗”（种子材料“特种作业人员100%持证上岗”），"
                        "分值从日常工作考评中调出，总分仍为100分"
                    ),
                    verified="not_found",
                    note="分值和计分方法是地方政策，不来自标准；各地安委办按本地考核办法另行设置",
                ),
            ],
        )
    )
