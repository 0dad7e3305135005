"""Tip-off rewards as versioned rule data (anquan.rules, docs/adr/0022-versioned-rule-data.md).

《安全生产领域举报奖励办法》（安监总财〔2018〕19号）as reported by 人民日报 2018-02-01 第11版 (reference README-wave2 §C1,
data/tipoff_rewards.json; the articles' numbers are not held, so the version is marked partial):
- a major accident hazard or illegal production reported: 15 % of the administrative fine, at least 3,000 and at
  most 300,000 yuan;
- a concealed or falsely reported accident: per concealed death by the accident's confirmed grade — 30,000
  (一般), 40,000 (较大), 50,000 (重大), 60,000 (特别重大) yuan — at most 300,000 yuan.
The superseded 2012 figures are not used (they are only a historical comparison in the reference)."""

from __future__ import annotations

import datetime as dt
from decimal import ROUND_HALF_UP, Decimal

from pydantic import BaseModel, Field

from anquan.rules.registry import Default, RuleKind, register

KIND = "tipoffs.rewards"
CENT = Decimal("0.01")


class RewardFigures(BaseModel):
    fine_share_percent: Decimal = Field(title="按行政处罚金额计奖比例（%）", ge=0, le=100)
    fine_min_yuan: int = Field(title="隐患、违法举报奖励下限（元）", ge=0)
    fine_max_yuan: int = Field(title="隐患、违法举报奖励上限（元）", ge=0)
    per_death_ordinary_yuan: int = Field(title="瞒报谎报一般事故每死亡1人（元）", ge=0)
    per_death_larger_yuan: int = Field(title="瞒报谎报较大事故每死亡1人（元）", ge=0)
    per_death_major_yuan: int = Field(title="瞒报谎报重大事故每死亡1人（元）", ge=0)
    per_death_especially_major_yuan: int = Field(title="瞒报谎报特别重大事故每死亡1人（元）", ge=0)
    accident_max_yuan: int = Field(title="瞒报谎报事故举报奖励上限（元）", ge=0)


def register_kinds() -> None:
    register(
        RuleKind(
            key=KIND,
            label="安全生产举报奖励标准",
            schema=RewardFigures,
            description="举报查实后的奖励金额：按罚款比例（有上下限），瞒报谎报事故按死亡人数和事故等级（有上限）",
            defaults=[
                Default(
                    effective_from=dt.date(2018, 1, 4),
                    values={
                        "fine_share_percent": "15",
                        "fine_min_yuan": 3000,
                        "fine_max_yuan": 300000,
                        "per_death_ordinary_yuan": 30000,
                        "per_death_larger_yuan": 40000,
                        "per_death_major_yuan": 50000,
                        "per_death_especially_major_yuan": 60000,
                        "accident_max_yuan": 300000,
                    },
                    source="《安全生产领域举报奖励办法》（安监总财〔2018〕19号），据人民日报2018-02-01第11版报道",
                    verified="partial",
                    note="只有二手来源（新闻报道及各地转述），条号未取得",
                )
            ],
        )
    )


def yuan(value: Decimal | int) -> Decimal:
    return Decimal(value).quantize(CENT, rounding=ROUND_HALF_UP)


def fine_share(fine: Decimal, figures: RewardFigures) -> Decimal:
    """The share of the fine before the bounds (15 % of 19,993.33 = 2,999.00)."""
    return yuan(Decimal(fine) * figures.fine_share_percent / 100)


def fine_reward(fine: Decimal, figures: RewardFigures) -> Decimal:
    """A hazard or violation: the share of the fine, raised to the minimum and cut to the maximum."""
    share = fine_share(fine, figures)
    return min(max(share, yuan(figures.fine_min_yuan)), yuan(figures.fine_max_yuan))


def per_death(grade: str, figures: RewardFigures) -> int:
    return int(getattr(figures, f"per_death_{grade}_yuan"))


def accident_reward(grade: str, deaths: int, figures: RewardFigures) -> Decimal:
    """A concealed accident: deaths × the grade's amount per death, cut to the maximum."""
    return min(yuan(per_death(grade, figures) * deaths), yuan(figures.accident_max_yuan))
