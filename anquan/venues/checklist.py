"""The 九小 checklist of a venue kind on a day (`items_for`), read from the rule version in force (rules.py)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from anquan.rules.models import RuleVersion
from anquan.rules.services import in_force

from .rules import KIND


@dataclass(frozen=True)
class ChecklistItem:
    code: str
    text: str


def version_for(on: dt.date, region_code: str = "") -> RuleVersion:
    """The checklist version in force on `on` (a province's own before the national one)."""
    return in_force(KIND, on, region_code)


def items_of(version: RuleVersion, kind: str) -> list[ChecklistItem]:
    values = version.values
    rows = [*values.get("common", []), *values.get("by_kind", {}).get(str(kind), [])]
    return [ChecklistItem(code=r["code"], text=r["text"]) for r in rows]


def items_for(kind: str, on: dt.date, region_code: str = "") -> list[ChecklistItem]:
    """The items a check of a venue of `kind` answers on `on`: the common ones, then the kind's own."""
    return items_of(version_for(on, region_code), kind)
