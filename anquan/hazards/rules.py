"""Who may move a hazard, decided in one place (used by actions, views and the API alike)."""

from anquan.core.permissions import Role

from .choices import Level, Source

OFFICES = {Role.PROVINCE_OFFICE, Role.CITY_OFFICE, Role.COUNTY_OFFICE, Role.TOWNSHIP_OFFICE}
DEPARTMENT_ROLES = {Role.DEPARTMENT_SUPERVISOR, Role.INSPECTOR}
AUTHORITIES = OFFICES | DEPARTMENT_ROLES | {Role.SYSADMIN}
LISTING_LEVEL_OF_ROLE = {
    Role.PROVINCE_OFFICE: "province",
    Role.CITY_OFFICE: "city",
    Role.COUNTY_OFFICE: "county",
}


def is_authority(user) -> bool:
    return user.role in AUTHORITIES


def is_enterprise_side(user, hazard) -> bool:
    return bool(user.enterprise_id) and user.enterprise_id == hazard.enterprise_id


def allowed_sources(user) -> list[str]:
    """Which sources a user may record: an enterprise records its self-checks, a grid worker patrols,
    authorities record inspections and enter tip-offs, alarms and third-party findings."""
    if user.role == Role.ENTERPRISE_MANAGER:
        return [Source.SELF_CHECK]
    if user.role == Role.GRID_WORKER:
        return [Source.GRID_PATROL]
    if user.role in DEPARTMENT_ROLES:
        return [Source.INSPECTION, Source.TIP_OFF, Source.THIRD_PARTY]
    return [Source.INSPECTION, Source.GRID_PATROL, Source.TIP_OFF, Source.ALARM, Source.THIRD_PARTY]


def can_accept_report(user, hazard) -> bool:
    return is_authority(user)


def can_assign(user, hazard) -> bool:
    """Authorities assign; an enterprise organises the rectification of what its own self-check found."""
    return is_authority(user) or (is_enterprise_side(user, hazard) and hazard.source == Source.SELF_CHECK)


def can_submit(user, hazard) -> bool:
    """The rectifying side: the enterprise, the named responsible person, or for a public place
    the township and its grid workers."""
    if is_enterprise_side(user, hazard) or (
        hazard.responsible_user_id and hazard.responsible_user_id == user.pk
    ):
        return True
    return hazard.enterprise_id is None and user.role in {Role.TOWNSHIP_OFFICE, Role.GRID_WORKER}


def can_review(user, hazard) -> bool:
    """Acceptance of the rectification (验收/复查):
    - a major hazard: the supervising department;
    - a general hazard found by a government inspection: the inspecting department;
    - a general hazard from the enterprise's self-check: the enterprise's safety manager (or an authority);
    - otherwise: an authority of the area."""
    if hazard.level == Level.MAJOR:
        return user.role in DEPARTMENT_ROLES and user.department_id == hazard.supervising_department_id
    if hazard.source == Source.INSPECTION:
        return user.role in DEPARTMENT_ROLES and user.department_id == hazard.found_department_id
    if hazard.source == Source.SELF_CHECK and is_enterprise_side(user, hazard):
        return True
    if user.role in DEPARTMENT_ROLES:
        return user.department_id == hazard.supervising_department_id
    return is_authority(user)


def can_cancel(user, hazard) -> bool:
    return user.role in OFFICES | {Role.DEPARTMENT_SUPERVISOR, Role.SYSADMIN}


def can_list(user, level: str) -> bool:
    return user.role == Role.SYSADMIN or LISTING_LEVEL_OF_ROLE.get(user.role) == level
