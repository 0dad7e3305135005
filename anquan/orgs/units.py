"""The issuing unit (执法主体): a department in a region, e.g. 濂溪区应急管理局. Documents are issued in its name,
random draws and inspections are organised by it, cases are opened by it; each keeps its department and region as
foreign keys and names the unit through `Unit`.

Two names, one place: `name` is the one printed on official documents (the department's full name:
濂溪区住房和城乡建设局); `short_name` the one lists and cards show (濂溪区住建局)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from anquan.core.errors import NotPermitted
from anquan.regions.models import Region

from .models import Department


@dataclass(frozen=True)
class Unit:
    department: Department
    region: Region

    @property
    def name(self) -> str:
        """As printed on a document: 濂溪区住房和城乡建设局."""
        return f"{self.region.name}{self.department.full_name}"

    @property
    def short_name(self) -> str:
        """As lists and cards show it: 濂溪区住建局."""
        return f"{self.region.name}{self.department.name}"


def unit_of(user: Any) -> Unit:
    """The unit an inspector or department supervisor acts for: their own department in their own region."""
    if not getattr(user, "department_id", None) or not getattr(user, "region_id", None):
        raise NotPermitted("只有执法部门的人员可以签发执法文书")
    return Unit(user.department, user.region)
