"""Where a role's user sits: the region levels of their scope node and whether they need a department or an
enterprise (STYLE practice 4: role = permission set + scope). The permission sets are in
`anquan.core.permissions`, the one table of who may do what."""

from dataclasses import dataclass

from anquan.core.permissions import Role
from anquan.regions.choices import RegionLevel


@dataclass(frozen=True)
class RoleSpec:
    region_levels: tuple[int, ...]
    needs_department: bool = False
    needs_enterprise: bool = False


_GOVERNMENT = (RegionLevel.PROVINCE, RegionLevel.CITY, RegionLevel.COUNTY)

ROLE_SPECS: dict[str, RoleSpec] = {
    Role.PROVINCE_OFFICE: RoleSpec((RegionLevel.PROVINCE,)),
    Role.CITY_OFFICE: RoleSpec((RegionLevel.CITY,)),
    Role.COUNTY_OFFICE: RoleSpec((RegionLevel.COUNTY,)),
    Role.TOWNSHIP_OFFICE: RoleSpec((RegionLevel.TOWNSHIP,)),
    Role.DEPARTMENT_SUPERVISOR: RoleSpec(_GOVERNMENT, needs_department=True),
    Role.INSPECTOR: RoleSpec(_GOVERNMENT, needs_department=True),
    Role.GRID_WORKER: RoleSpec((RegionLevel.TOWNSHIP, RegionLevel.VILLAGE)),
    Role.ENTERPRISE_MANAGER: RoleSpec(tuple(RegionLevel.values), needs_enterprise=True),
    Role.SYSADMIN: RoleSpec(tuple(RegionLevel.values)),
}
