"""Roles and what each may do: the one table of permissions (`ROLE_PERMS`), read through `has_perm`.

A user is duck-typed here (`role`, `is_active`, `is_authenticated`): core knows no account model. Where a role's
user sits (region levels, department, enterprise) is `anquan.accounts.roles`; which rows they reach is
`anquan.core.scope`.
"""

from django.db import models
from django.utils.translation import gettext_lazy as _


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

ROLE_PERMS: dict[str, frozenset[str]] = {
    Role.PROVINCE_OFFICE: frozenset(_OFFICE),
    Role.CITY_OFFICE: frozenset(_OFFICE),
    Role.COUNTY_OFFICE: frozenset(_OFFICE),
    Role.TOWNSHIP_OFFICE: frozenset(_OFFICE),
    Role.DEPARTMENT_SUPERVISOR: frozenset(_SUPERVISOR),
    Role.INSPECTOR: frozenset(_VIEW | {Perm.ENTERPRISE_CHANGE}),
    Role.GRID_WORKER: frozenset(_VIEW | {Perm.ENTERPRISE_ADD, Perm.ENTERPRISE_CHANGE}),
    # the audit log: only entries about the enterprise's own records
    Role.ENTERPRISE_MANAGER: frozenset(_VIEW | {Perm.ENTERPRISE_CHANGE, Perm.AUDIT_VIEW}),
    Role.SYSADMIN: frozenset(Perm.values),
}


def has_perm(user, perm: str) -> bool:
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return False
    return perm in ROLE_PERMS.get(user.role, ())
