"""The figures of targeting and plan capacity as versioned rule data (anquan.rules; docs/adr/0022).

Neither the factor weights, the score bands and their yearly inspection frequencies, nor the working days of
an inspector are set by an article held in shared/reference (README-wave2.md §A5):
- 《安全生产年度监督检查计划编制办法》（安监总政法〔2017〕150号）articles 1–7 say a plan weighs inspectors, the
  enterprises' number and state and key industries, but give no formula and no A/B/C/D classes or frequencies
  (❌ not found) → `enforcement.targeting` is `not_found`: a starting point each province replaces;
- the capacity formula 监督检查工作日 = 247 日 × 执法人数 − 其他执法工作日 − 非执法工作日 is a local plan's worked
  example, not an article → `enforcement.plan_capacity` is `partial`.
"""

from __future__ import annotations

from datetime import date

from pydantic import BaseModel, Field

TARGETING = "enforcement.targeting"
CAPACITY = "enforcement.plan_capacity"


class TargetingFigures(BaseModel):
    """Points per factor (per item where a count) and the bands; field titles are the edit page's labels."""

    risk_red: int = Field(title="重大风险企业（分）", ge=0, le=1000)
    risk_orange: int = Field(title="较大风险企业（分）", ge=0, le=1000)
    risk_yellow: int = Field(title="一般风险企业（分）", ge=0, le=1000)
    risk_blue: int = Field(title="低风险企业（分）", ge=0, le=1000)
    open_major_hazard: int = Field(title="未超期的未整改重大隐患（每项分）", ge=0, le=1000)
    overdue_major_hazard: int = Field(title="超期未整改重大隐患（每项分）", ge=0, le=1000)
    overdue_general_hazard: int = Field(title="超期未整改一般隐患（每项分）", ge=0, le=1000)
    missed_check: int = Field(title="未按时完成的管控检查（每次分）", ge=0, le=1000)
    missed_check_cap: int = Field(title="管控检查漏检最多计（分）", ge=0, le=10000)
    missed_check_days: int = Field(title="漏检统计期（日）", ge=1, le=366)
    accident_years: int = Field(title="事故统计期（年，含本年）", ge=1, le=10)
    accident_ordinary: int = Field(title="一般事故（每起分）", ge=0, le=1000)
    accident_larger: int = Field(title="较大事故（每起分）", ge=0, le=1000)
    accident_major: int = Field(title="重大及以上事故（每起分）", ge=0, le=1000)
    major_installation: int = Field(title="重大危险源（每处分）", ge=0, le=1000)
    penalty: int = Field(title="行政处罚（每次分）", ge=0, le=1000)
    penalty_years: int = Field(title="处罚统计期（年，含本年）", ge=1, le=10)
    alarm: int = Field(title="监测报警（每次分）", ge=0, le=1000)
    alarm_cap: int = Field(title="监测报警最多计（分）", ge=0, le=10000)
    tip_off: int = Field(title="查实的举报（每件分）", ge=0, le=1000)
    # added with the tip-offs (issue #14); versions stored before it read the default
    tip_off_months: int = Field(default=12, title="举报统计期（月，含本月）", ge=1, le=60)
    # added with the monitoring (issue #16, board16); versions stored before it read the default
    monitoring_listed: int = Field(
        default=15, title="监测预警列入执法关注：传感器持续离线、数据停滞或在线率低（分）", ge=0, le=1000
    )
    # added with the key-post personnel (issue #17); versions stored before it read the default
    certificates_uncovered: int = Field(
        default=10,
        title="三项岗位人员持证率未达100%（特种作业人员、主要负责人和安全管理人员，分）",
        ge=0,
        le=1000,
    )
    key_min: int = Field(title="重点检查：得分不低于", ge=1, le=10000)
    key_frequency: int = Field(title="重点检查：每年检查次数", ge=1, le=52)
    watch_min: int = Field(title="关注：得分不低于", ge=1, le=10000)
    watch_frequency: int = Field(title="关注：每年检查次数", ge=1, le=52)
    general_min: int = Field(title="一般：得分不低于", ge=1, le=10000)
    general_frequency: int = Field(title="一般：每年检查次数", ge=0, le=52)
    major_installation_frequency: int = Field(title="有重大危险源的企业：每年至少检查次数", ge=0, le=52)


class CapacityFigures(BaseModel):
    working_days: int = Field(title="每名执法人员年法定工作日（日）", ge=1, le=366)
    person_days_per_inspection: int = Field(title="每次检查占用人日（两人一天为2）", ge=1, le=30)


TARGETING_DEFAULT = {
    "risk_red": 40,
    "risk_orange": 25,
    "risk_yellow": 10,
    "risk_blue": 0,
    "open_major_hazard": 10,
    "overdue_major_hazard": 15,
    "overdue_general_hazard": 4,
    "missed_check": 1,
    "missed_check_cap": 15,
    "missed_check_days": 90,
    "accident_years": 3,
    "accident_ordinary": 15,
    "accident_larger": 30,
    "accident_major": 50,
    "major_installation": 8,
    "penalty": 10,
    "penalty_years": 3,
    "alarm": 1,
    "alarm_cap": 10,
    "tip_off": 5,
    "tip_off_months": 12,
    "monitoring_listed": 15,
    "certificates_uncovered": 10,
    "key_min": 60,
    "key_frequency": 4,
    "watch_min": 30,
    "watch_frequency": 2,
    "general_min": 10,
    "general_frequency": 1,
    "major_installation_frequency": 2,
}
CAPACITY_DEFAULT = {"working_days": 247, "person_days_per_inspection": 2}


def register_kinds() -> None:
    """Called from InspectionplansConfig.ready()."""
    from anquan.rules.registry import Default, RuleKind, register

    register(
        RuleKind(
            key=TARGETING,
            label="分级分类精准执法：风险评分权重与检查频次",
            schema=TargetingFigures,
            description="企业风险评分的各项权重、分档和每档建议的年度检查次数（年度监督检查计划的重点企业名单）",
            defaults=[
                Default(
                    effective_from=date(2018, 1, 1),
                    values=TARGETING_DEFAULT,
                    source="《安全生产年度监督检查计划编制办法》（安监总政法〔2017〕150号）第一至七条："
                    "分类分级、突出重点（未规定评分方法、分类及检查频次）",
                    verified="not_found",
                    note="A/B/C/D分类及检查频次在已读到的条文中没有找到；这些权重和频次是系统的起始值，"
                    "请按本省规定添加新版本",
                )
            ],
        )
    )
    register(
        RuleKind(
            key=CAPACITY,
            label="年度监督检查计划：执法工作日",
            schema=CapacityFigures,
            description="监督检查工作日 = 每人法定工作日 × 执法人数 − 其他执法工作日 − 非执法工作日",
            defaults=[
                Default(
                    effective_from=date(2018, 1, 1),
                    values=CAPACITY_DEFAULT,
                    source="地方年度监督检查计划实例（每人247日×执法人数−其他执法工作日−非执法工作日）",
                    verified="partial",
                    note="算法来自一份地方计划实例，不是条文；每次检查占用人日（两人一天）为系统的起始值",
                )
            ],
        )
    )
