"""Who may move a hazard, decided in one place (used by actions, views and the API alike). What each role may do
is the permission table (`anquan.core.permissions`); these add the hazard's own conditions (its level, source,
enterprise and departments)."""

from anquan.accounts.roles import ROLE_SPECS
from anquan.core.permissions import Perm, has_perm

from .choices import Level, Source

# the roles whose users sit in a department (where a role's user sits: anquan.accounts.roles)
DEPARTMENT_ROLES = frozenset(role for role, spec in ROLE_SPECS.items() if spec.needs_department)
LISTING_PERMS = {
    "province": Perm.HAZARD_LIST_PROVINCE,
    "city": Perm.HAZARD_LIST_CITY,
    "county": Perm.HAZARD_LIST_COUNTY,
}
RECORD_PERMS = {  # in the order the report form offers them
    Source.SELF_CHECK: Perm.HAZARD_RECORD_SELF_CHECK,
    Source.INSPECTION: Perm.HAZARD_RECORD_INSPECTION,
    Source.GRID_PATROL: Perm.HAZARD_RECORD_GRID_PATROL,
    Source.TIP_OFF: Perm.HAZARD_RECORD_TIP_OFF,
    Source.ALARM: Perm.HAZARD_RECORD_ALARM,
    Source.THIRD_PARTY: Perm.HAZARD_RECORD_THIRD_PARTY,
}


def is_authority(user) -> bool:
    return has_perm(user, Perm.HAZARD_HANDLE)


def is_enterprise_side(user, hazard) -> bool:
    return bool(user.enterprise_id) and user.enterprise_id == hazard.enterprise_id


def allowed_sources(user) -> list[str]:
    """Which sources a user may record: an enterprise records its self-checks, a grid worker patrols,
    authorities record inspections and enter tip-offs, alarms and third-party findings."""
    return [source for source, perm in RECORD_PERMS.items() if has_perm(user, perm)]


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
    return hazard.enterprise_id is None and has_perm(user, Perm.HAZARD_RECTIFY_PUBLIC)


def can_review(user, hazard) -> bool:
    """Acceptance of the rectification (验收/复查):
    - a major hazard: the supervising department;
    - a general hazard found by a government inspection: the inspecting department (or, after the enterprise
      moved, the department supervising it now);
    - a general hazard from the enterprise's self-check: the enterprise's safety manager (or an authority);
    - otherwise: an authority of the area."""
    if hazard.level == Level.MAJOR:
        return user.role in DEPARTMENT_ROLES and user.department_id == hazard.supervising_department_id
    if hazard.source == Source.INSPECTION and hazard.found_department_id:
        # the inspecting department; once the enterprise has moved to another department (and its open hazards
        # with it: enterprises/moves.py), the department that supervises it now, which alone still sees it.
        # An inspection recorded by an office (no department) falls to the rules below.
        return user.role in DEPARTMENT_ROLES and user.department_id in (
            hazard.found_department_id,
            hazard.supervising_department_id,
        )
    if hazard.source == Source.SELF_CHECK and is_enterprise_side(user, hazard):
        return True
    if user.role in DEPARTMENT_ROLES:
        return user.department_id == hazard.supervising_department_id
    return is_authority(user)


def can_cancel(user, hazard) -> bool:
    return has_perm(user, Perm.HAZARD_CANCEL)


def can_list(user, level: str) -> bool:
    return level in LISTING_PERMS and has_perm(user, LISTING_PERMS[level])
