"""The inspections' figures that are rule versions (anquan.rules): how long a 查封/扣押 may last.

Order 15 art. 15 (reference README-wave2 §A2, enforcement_procedure.json rules_historical_order15): 查封扣押不超过
30日，情况复杂经负责人批准最多延长30日 — the same figures as 行政强制法第二十五条. Order 18 replaced Order 15 on
2026-02-01 and its text is not held (§A3): its version repeats the figures and says they are unverified."""

from __future__ import annotations

import datetime as dt

from pydantic import BaseModel, Field

from anquan.rules.registry import Default, RuleKind, register

KIND = "inspections.seizure"


class SeizureFigures(BaseModel):
    max_days: int = Field(title="查封扣押期限（日）", ge=1, le=365)
    max_extension_days: int = Field(title="经负责人批准可延长（日）", ge=0, le=365)


def register_kinds() -> None:
    register(
        RuleKind(
            key=KIND,
            label="查封、扣押期限",
            schema=SeizureFigures,
            defaults=[
                Default(
                    effective_from=dt.date(2015, 5, 1),
                    values={"max_days": 30, "max_extension_days": 30},
                    source="原国家安全监管总局令第15号《安全生产违法行为行政处罚办法》第十五条",
                    verified="verified",
                    note="与行政强制法第二十五条一致",
                ),
                Default(
                    effective_from=dt.date(2026, 2, 1),
                    values={"max_days": 30, "max_extension_days": 30},
                    source="应急管理部令第18号《安全生产违法行为行政处罚办法》（条文未取得）",
                    verified="not_found",
                    note="第18号令条文未取得，暂沿用第15号令第十五条的期限（与行政强制法第二十五条一致）",
                ),
            ],
        )
    )
