"""A kind of rule data the way an app declares one: registered at import (collection), so the versions the
reference gives are seeded with the test database, as an app's are after `migrate`."""

from datetime import date
from decimal import Decimal

from pydantic import BaseModel, Field

from anquan.rules.registry import Default, RuleKind, register


class CaseFigures(BaseModel):
    decision_days: int = Field(title="办案期限（日）", ge=1, le=365)
    surcharge_rate: Decimal = Field(title="加处罚款日比例", gt=0, le=1)
    simple_procedure: bool = Field(title="可适用简易程序")


EXAMPLE = register(
    RuleKind(
        key="example.case_figures",
        label="办案期限示例",
        schema=CaseFigures,
        defaults=(
            Default(
                date(2015, 5, 1),
                {"decision_days": 30, "surcharge_rate": "0.03", "simple_procedure": True},
                source="原安监总局令第15号第三十二条",
                verified="verified",
            ),
            Default(
                date(2026, 2, 1),
                {"decision_days": 90, "surcharge_rate": "0.03", "simple_procedure": True},
                source="应急管理部令第18号（条文未取得），暂用行政处罚法第六十条",
                verified="not_found",
                note="第18号令条文未取得",
            ),
        ),
    )
)
