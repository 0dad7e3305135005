"""The draws' figures that are rule versions (anquan.rules): the deadline for publishing inspection results and
the default repeat-visit exclusion period. Neither is verified: "抽查结果20个工作日内公示" is quoted from
国发〔2019〕5号 in secondary sources only (reference README-wave2 §A6, enforcement_procedure.json
random_inspection.twenty_workdays = not_found), and no national rule fixes a repeat-visit period."""

from __future__ import annotations

import datetime as dt

from pydantic import BaseModel, Field

from anquan.rules.registry import Default, RuleKind, register

KIND = "draws.publication"


class PublicationFigures(BaseModel):
    publication_working_days: int = Field(title="抽查结果公示期限（工作日）", ge=1, le=365)
    repeat_days: int = Field(title="默认重复检查排除期（日）", ge=0, le=3650)


def register_kinds() -> None:
    register(
        RuleKind(
            key=KIND,
            label="双随机抽查结果公示期限与重复检查排除期",
            schema=PublicationFigures,
            defaults=[
                Default(
                    effective_from=dt.date(2019, 1, 28),
                    values={"publication_working_days": 20, "repeat_days": 180},
                    source="国发〔2019〕5号《关于在市场监管领域全面推行部门联合“双随机、一公开”监管的意见》（原文未读到）",
                    verified="not_found",
                    note="“抽查结果20个工作日内公示”只见转述，未读到原文；重复检查排除期为本系统默认值，各地自定；生效日期取该意见的成文日期（未核实）",
                )
            ],
        )
    )
