"""Roles: a permission set plus the kind of scope a role's user must have (STYLE practice 4)."""

from dataclasses import dataclass

from django.db import models
from django.utils.translation import gettext_lazy as _

from anquan.regions.choices import RegionLevel


class Role(models.TextChoices):
    PROVINCE_OFFICE = "province_office", _("Province committee office")
    CITY_OFFICE = "city_office", _("City committee office")
    COUNTY_OFFICE = "county_office", _("County committee office")
    TOWNSHIP_OFFICE = "township_office", _("Township committee office")
    DEPARTMENT_SUPERVISOR = "department_supervisor", _("Department supervisor")
    INSPECTOR = "inspector", _("Inspector")
    GRID_WORKER = "grid_worker", _("Grid worker")
    ENTERPRISE_MANAGER = "enterprise_manager", _("Enterprise manager")
    SYSADMIN = "sysadmin", _("System administrator")


class Perm(models.TextChoices):
    ENTERPRISE_VIEW = "enterprise.view"
    ENTERPRISE_ADD = "enterprise.add"
    ENTERPRISE_CHANGE = "enterprise.change"
    ENTERPRISE_SUPERVISE = "enterprise.supervise"  # key-supervision, status, department override
    ENTERPRISE_DELETE = "enterprise.delete"
    ENTERPRISE_IMPORT = "enterprise.import"
    ENTERPRISE_EXPORT = "enterprise.export"
    USER_MANAGE = "user.manage"
    ORG_MANAGE = "org.manage"  # 三管三必须 table, committees, grids
    AUDIT_VIEW = "audit.view"


@dataclass(frozen=True)
class RoleSpec:
    perms: frozenset[str]
    region_levels: tuple[int, ...]
    needs_department: bool = False
    needs_enterprise: bool = False


_VIEW = {Perm.ENTERPRISE_VIEW, Perm.ENTERPRISE_EXPORT}
_OFFICE = _VIEW | {
    Perm.ENTERPRISE_ADD,
    Perm.ENTERPRISE_CHANGE,
    Perm.ENTERPRISE_SUPERVISE,
    Perm.ENTERPRISE_IMPORT,
    Perm.USER_MANAGE,
    Perm.ORG_MANAGE,
    Perm.AUDIT_VIEW,
}
_SUPERVISOR = _VIEW | {
    Perm.ENTERPRISE_ADD,
    Perm.ENTERPRISE_CHANGE,
    Perm.ENTERPRISE_SUPERVISE,
    Perm.ENTERPRISE_IMPORT,
    Perm.AUDIT_VIEW,
}

ROLE_SPECS: dict[str, RoleSpec] = {
    Role.PROVINCE_OFFICE: RoleSpec(frozenset(_OFFICE), (RegionLevel.PROVINCE,)),
    Role.CITY_OFFICE: RoleSpec(frozenset(_OFFICE), (RegionLevel.CITY,)),
    Role.COUNTY_OFFICE: RoleSpec(frozenset(_OFFICE), (RegionLevel.COUNTY,)),
    Role.TOWNSHIP_OFFICE: RoleSpec(frozenset(_OFFICE), (RegionLevel.TOWNSHIP,)),
    Role.DEPARTMENT_SUPERVISOR: RoleSpec(
        frozenset(_SUPERVISOR),
        (RegionLevel.PROVINCE, RegionLevel.CITY, RegionLevel.COUNTY),
        needs_department=True,
    ),
    Role.INSPECTOR: RoleSpec(
        frozenset(_VIEW | {Perm.ENTERPRISE_CHANGE}),
        (RegionLevel.PROVINCE, RegionLevel.CITY, RegionLevel.COUNTY),
        needs_department=True,
    ),
    Role.GRID_WORKER: RoleSpec(
        frozenset(_VIEW | {Perm.ENTERPRISE_ADD, Perm.ENTERPRISE_CHANGE}),
        (RegionLevel.TOWNSHIP, RegionLevel.VILLAGE),
    ),
    Role.ENTERPRISE_MANAGER: RoleSpec(  # the audit log: only entries about the enterprise's own records
        frozenset(_VIEW | {Perm.ENTERPRISE_CHANGE, Perm.AUDIT_VIEW}),
        tuple(RegionLevel.values),
        needs_enterprise=True,
    ),
    Role.SYSADMIN: RoleSpec(frozenset(Perm.values), tuple(RegionLevel.values)),
}


def has_perm(user, perm: str) -> bool:
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return False
    spec = ROLE_SPECS.get(user.role)
    return spec is not None and perm in spec.perms
