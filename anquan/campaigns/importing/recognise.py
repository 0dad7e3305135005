"""Recognising the units a task list names (ADR: docs/adr/0036-task-list-units-recognised-never-dropped.md).

In order, for one name as written:
1. a remembered mapping (`UnitAlias`) of the campaign's office or of an office above it, the nearest first —
   a person's decision always wins, including "不作为责任单位" (kept as text only: kind unrecognised, not flagged);
2. the committee and government of the campaign's region (市安委, 市安委会, 市安委办, 市政府) → that region;
3. the regions below, all of them (各乡镇(街道、管委会、场、库), 乡镇(…), 各县(市、区), 各地) → child regions;
4. the members (市直有关部门, 有关部门, 市安委会成员单位) → the member departments;
5. a department's office by its name, with or without the level's prefix (市应急管理局, 高安市应急管理局,
   应急管理局, 市市场监管局), in the campaign's region or in a region right below it (修水县应急管理局);
6. a region below by its name (修水县, 蓝坊镇).
Anything else is flagged for a person to map, never dropped.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from anquan.orgs.models import Department
from anquan.regions.models import Region

from ..choices import UnitKind
from ..models import UnitAlias

CHILD_REGIONS = re.compile(r"^各?(乡镇|乡|镇|街道|县|县区|区县|地|县市区)(\(.*\))?$")
MEMBERS = re.compile(r"^(各)?([省市县区]直)?(有关部门|有关单位|各?成员单位|[省市县区]?安委会成员单位)$")
COMMITTEE = re.compile(r"^(安委|安委会|安委办|安全生产委员会|安全生产委员会办公室|人民政府|政府)$")
LEVEL_CHARS = "省市县区旗"


def normalise(text: str) -> str:
    """The key a name is remembered by: full-width parentheses as half-width, spaces dropped."""
    return re.sub(r"\s+", "", text).replace("（", "(").replace("）", ")")


@dataclass
class Recognised:
    kind: str
    region: Region | None = None
    department: Department | None = None
    how: str = ""  # alias, committee, child_regions, members, department, region, "" (flagged)

    @property
    def flagged(self) -> bool:
        return self.kind == UnitKind.UNRECOGNISED and self.how != "alias"

    def label(self) -> str:
        """How the preview names what the unit was recognised as (高安市应急管理局, 高安市下辖各乡镇…)."""
        if self.kind == UnitKind.DEPARTMENT and self.department and self.region:
            return f"{self.region.name}{self.department.name}"
        if self.kind == UnitKind.REGION and self.region:
            return self.region.name
        if self.kind == UnitKind.CHILD_REGIONS and self.region:
            return f"{self.region.name}下辖各地"
        if self.kind == UnitKind.MEMBER_DEPARTMENTS and self.region:
            return f"{self.region.name}安委会成员单位"
        return "不作为责任单位" if self.how == "alias" else "未识别"


class Recogniser:
    """Recognition for one campaign region, with its departments, children and remembered names loaded once."""

    def __init__(self, region: Region):
        self.region = region
        self.departments = list(Department.objects.all())
        self.children = list(Region.objects.filter(parent=region).order_by("code"))
        codes = [a.code for a in region.ancestors()] + [region.code]
        self.aliases: dict[str, UnitAlias] = {}
        for alias in UnitAlias.objects.filter(region_code__in=codes).select_related("region", "department"):
            key = normalise(alias.text)
            held = self.aliases.get(key)
            if held is None or len(alias.region_code) > len(held.region_code):  # the nearest office wins
                self.aliases[key] = alias
        name = region.name
        self.prefixes = [name]
        if name[-1:] in LEVEL_CHARS:
            self.prefixes.append(name[-1])

    def _department(self, name: str) -> Department | None:
        for d in self.departments:
            if name in (d.name, d.full_name):
                return d
        return None

    def _strip(self, text: str) -> list[str]:
        out = [text]
        for prefix in self.prefixes:
            if text.startswith(prefix) and len(text) > len(prefix):
                out.append(text[len(prefix) :])
        return out

    def recognise(self, text: str) -> Recognised:
        key = normalise(text)
        alias = self.aliases.get(key)
        if alias is not None:
            return Recognised(alias.kind, alias.region, alias.department, "alias")
        bare = self._strip(key)
        if any(COMMITTEE.match(b) for b in bare[1:]):
            return Recognised(UnitKind.REGION, self.region, None, "committee")
        if CHILD_REGIONS.match(key):
            return Recognised(UnitKind.CHILD_REGIONS, self.region, None, "child_regions")
        if any(MEMBERS.match(b) for b in bare):
            return Recognised(UnitKind.MEMBER_DEPARTMENTS, self.region, None, "members")
        for b in bare:
            department = self._department(b)
            if department is not None:
                return Recognised(UnitKind.DEPARTMENT, self.region, department, "department")
        for child in self.children:
            if key == child.name:
                return Recognised(UnitKind.REGION, child, None, "region")
            if key.startswith(child.name) and (department := self._department(key[len(child.name) :])):
                return Recognised(UnitKind.DEPARTMENT, child, department, "department")
        return Recognised(UnitKind.UNRECOGNISED)
