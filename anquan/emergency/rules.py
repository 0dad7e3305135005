"""Emergency plan and drill figures as versioned rule data (anquan.rules, docs/adr/0022-versioned-rule-data.md).

《生产安全事故应急预案管理办法》(SAWS Order 88, amended by MEM Order 2 of 2019) and 《生产安全事故应急条例》
(State Council Decree 708, in force 2019-04-01), reference README-wave2 §E, data/emergency_plan_rules.json:
- `emergency.plans`: filing within 20 working days of publication for the listed units (Order 2 art. 26, Decree 708
  art. 7); the department checks within 5 working days, and silence past them counts as filed (art. 28); evaluation
  every 3 years for the listed units (art. 35).
- `emergency.drills`: comprehensive or special plans at least yearly, on-site disposal plans every half year (art. 33
  para. 1); the high-risk units every half year with the drill reported (Decree 708 art. 8 para. 2, art. 33 para. 2);
  governments and their departments at least every 2 years (Decree 708 art. 8 para. 1, art. 32).
The articles are verified; which of our supervision categories stand for the statute's lists of units ("人员密集场所",
"中型规模以上") is our reading, so those lists are marked partial and are editable."""

from __future__ import annotations

import datetime as dt

from pydantic import BaseModel, Field

from anquan.orgs.reference import CATEGORY_NAMES
from anquan.rules.registry import Default, RuleKind, register

PLANS = "emergency.plans"
DRILLS = "emergency.drills"
ORDER_2 = "《生产安全事故应急预案管理办法》（原安监总局令第88号，2019年应急管理部令第2号修正）"
DECREE_708 = "《生产安全事故应急条例》（国务院令第708号）"
# HIGH_RISK_708: dangerous goods, mines, metal smelting, urban rail, construction, crowded places (Decree 708 art. 7)
HIGH_RISK = [
    "hazardous_chemicals",
    "coal_mine",
    "non_coal_mine",
    "fireworks",
    "civil_explosives",
    "metallurgy",
    "nonferrous",
    "construction",
    "gas",
    "commerce_trade",
    "tourism",
    "culture_entertainment",
]
# EVALUATION_3Y (Order 2 art. 35): mines, metal smelting, construction, dangerous goods, chemicals, fireworks
EVALUATION = [
    "hazardous_chemicals",
    "coal_mine",
    "non_coal_mine",
    "fireworks",
    "civil_explosives",
    "metallurgy",
    "nonferrous",
    "construction",
    "gas",
]


class PlanFigures(BaseModel):
    filing_due_working_days: int = Field(title="预案公布后备案期限（工作日）", ge=1, le=100)
    filing_check_working_days: int = Field(title="受理部门核对期限（工作日，逾期视为已备案）", ge=1, le=60)
    filing_industries: list[str] = Field(title="须备案的单位（监管行业代码）")
    evaluation_years: int = Field(title="应急预案评估周期（年）", ge=1, le=10)
    evaluation_industries: list[str] = Field(title="须定期评估的单位（监管行业代码）")
    evaluation_above_scale: bool = Field(title="规模以上单位也须定期评估（“中型规模以上”）")


class DrillFigures(BaseModel):
    comprehensive_months: int = Field(title="综合应急预案演练间隔（月）", ge=1, le=60)
    special_months: int = Field(title="专项应急预案演练间隔（月）", ge=1, le=60)
    on_site_months: int = Field(title="现场处置方案演练间隔（月）", ge=1, le=60)
    high_risk_months: int = Field(title="高危单位预案演练间隔（月，并报送演练情况）", ge=1, le=60)
    high_risk_industries: list[str] = Field(title="高危单位（监管行业代码）")
    government_months: int = Field(title="政府及部门预案演练间隔（月）", ge=1, le=120)


def register_kinds() -> None:
    register(
        RuleKind(
            value_labels=CATEGORY_NAMES,
            key=PLANS,
            label="应急预案备案与评估",
            schema=PlanFigures,
            description="预案公布后的备案期限、受理部门的核对期限（逾期视为已备案）、须备案和须定期评估的单位",
            defaults=[
                Default(
                    effective_from=dt.date(2019, 9, 1),
                    values={
                        "filing_due_working_days": 20,
                        "filing_check_working_days": 5,
                        "filing_industries": HIGH_RISK,
                        "evaluation_years": 3,
                        "evaluation_industries": EVALUATION,
                        "evaluation_above_scale": True,
                    },
                    source=f"{ORDER_2}第二十六、二十八、三十五条；{DECREE_708}第七条",
                    verified="partial",
                    note="期限和周期已核实；“人员密集场所”“中型规模以上”对应到本系统监管行业和规模以上企业是本系统的理解，请核对",
                )
            ],
        )
    )
    register(
        RuleKind(
            value_labels=CATEGORY_NAMES,
            key=DRILLS,
            label="应急预案演练频次",
            schema=DrillFigures,
            description="各类预案的最长演练间隔，高危单位每半年一次并报送，政府及部门每两年一次",
            defaults=[
                Default(
                    effective_from=dt.date(2019, 9, 1),
                    values={
                        "comprehensive_months": 12,
                        "special_months": 12,
                        "on_site_months": 6,
                        "high_risk_months": 6,
                        "high_risk_industries": HIGH_RISK,
                        "government_months": 24,
                    },
                    source=f"{ORDER_2}第三十二、三十三条；{DECREE_708}第八条",
                    verified="partial",
                    note="频次已核实；高危单位对应到本系统监管行业是本系统的理解，请核对",
                )
            ],
        )
    )
