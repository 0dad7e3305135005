"""The number of an official document: per issuing unit (a department in a region), kind and year, in the
configurable pattern of the rule version in force (rules.py), default （浔）应急责改〔2026〕17号.

The next sequence is taken inside the issue's transaction from the counter row of (unit, kind, year), locked
until the issue commits (as hazards' numbers, ADR 0021): two issues at once wait for each other (never the same
number), and an issue that fails — a refused context, a template that does not render — rolls its number back
with it (never a gap). The year is the issue's, in local time (Asia/Shanghai)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from anquan.core.counters import take_next
from anquan.orgs.models import Department
from anquan.regions.models import Region
from anquan.regions.names import short_name

from .models import DocumentNumberCounter
from .rules import KEY, NumberingRules, kind_codes, parse_lines


@dataclass(frozen=True)
class Numbered:
    number: str
    year: int
    seq: int
    rule_version: int | None  # the rules platform's version id used


def config(on: dt.date, region_code: str) -> tuple[NumberingRules, int | None]:
    """The numbering rules in force on `on` for the province of `region_code`, and the version's id."""
    from anquan.rules.services import in_force

    version = in_force(KEY, on=on, region_code=region_code)
    typed = version.typed
    assert isinstance(typed, NumberingRules)
    return typed, version.id


def format_number(
    rules: NumberingRules, department: Department, region: Region, kind: str, year: int, seq: int
) -> str:
    units = parse_lines(rules.unit_names)
    prefixes = parse_lines(rules.department_prefixes)
    codes = kind_codes(rules.kind_codes)
    values = {
        "{简称}": units.get(region.code) or short_name(region.name),
        "{部门}": prefixes.get(department.name) or department.name.removesuffix("局"),
        "{代字}": codes[kind],
        "{年度}": str(year),
        "{序号}": f"{seq:0{rules.seq_width}d}" if rules.seq_width else str(seq),
    }
    text = rules.pattern
    for token, value in values.items():
        text = text.replace(token, value)
    return text


def next_number(department: Department, region: Region, kind: str, on: dt.date) -> Numbered:
    """The next number of `kind` for the unit on day `on`. Must run in the issue's transaction: the counter row
    stays locked until it commits or rolls back."""
    rules, version = config(on, region.code)
    seq = take_next(
        DocumentNumberCounter, department=department, region_code=region.code, kind=kind, year=on.year
    )
    return Numbered(format_number(rules, department, region, kind, on.year, seq), on.year, seq, version)
