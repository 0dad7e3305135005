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
    # enterprises
    ENTERPRISE_VIEW = "enterprise.view"
    ENTERPRISE_ADD = "enterprise.add"
    ENTERPRISE_CHANGE = "enterprise.change"
    ENTERPRISE_SUPERVISE = "enterprise.supervise"  # key-supervision, status, department override
    ENTERPRISE_DELETE = "enterprise.delete"
    ENTERPRISE_IMPORT = "enterprise.import"
    ENTERPRISE_EXPORT = "enterprise.export"
    # accounts, organisations, audit, the system
    USER_MANAGE = "user.manage"
    ORG_MANAGE = "org.manage"  # 三管三必须 table, committees, grids
    AUDIT_VIEW = "audit.view"
    SYSTEM_MANAGE = "system.manage"  # make system administrators; set the rules of any province
    # hazards (a user acts on the hazards in their scope; each workflow step adds its own conditions)
    HAZARD_HANDLE = "hazard.handle"  # as an authority of the area: accept a report, assign, review
    HAZARD_CANCEL = "hazard.cancel"
    HAZARD_RECTIFY_PUBLIC = "hazard.rectify_public"  # rectify a public place's hazard (no enterprise)
    HAZARD_LIST_PROVINCE = "hazard.list.province"  # 挂牌督办 at the province's level
    HAZARD_LIST_CITY = "hazard.list.city"
    HAZARD_LIST_COUNTY = "hazard.list.county"
    # which sources of hazard a user records (hazards.choices.Source)
    HAZARD_RECORD_SELF_CHECK = "hazard.record.self_check"
    HAZARD_RECORD_INSPECTION = "hazard.record.inspection"
    HAZARD_RECORD_GRID_PATROL = "hazard.record.grid_patrol"
    HAZARD_RECORD_TIP_OFF = "hazard.record.tip_off"
    HAZARD_RECORD_ALARM = "hazard.record.alarm"
    HAZARD_RECORD_THIRD_PARTY = "hazard.record.third_party"
    # accidents
    ACCIDENT_REPORT = "accident.report"  # report an accident and its reporting chain, late reports
    ACCIDENT_INVESTIGATE = "accident.investigate"
    ACCIDENT_CATEGORIES = "accident.categories"  # the GB 6441-2025 → 1986 category mapping
    # risk grading and control
    RISK_CHANGE = "risk.change"  # points, assessments, measures, photos, installations, check schedules
    SITE_PLAN_CHANGE = "risk.site_plan"  # upload site plans and place points on them
    CHECK_TASK_COMPLETE = "risk.check_task"  # do the enterprise's own control checks
    RISK_REPORT_PREPARE = "risk_report.prepare"  # the enterprise's own yearly risk report
    RISK_REPORT_REVIEW = "risk_report.review"  # accept or return the reports in scope
    # bulletins
    BULLETIN_ISSUE = "bulletin.issue"  # monthly dispatch, quarterly bulletin, yearly evaluation
    # official documents (执法文书, issue #13)
    DOCUMENT_ISSUE = "document.issue"  # an enforcement department's inspectors and supervisors
    DOCUMENT_VOID = (
        "document.void"  # 作废 a wrong document (its number stays used): the department's supervisor
    )
    # inspections (issue #13): plan one for an enterprise in scope; walk its checklist as one of its inspectors
    INSPECTION_PLAN = "inspection.plan"
    INSPECTION_CONDUCT = "inspection.conduct"
    # double-random draws (issue #13): inspectors' enforcement certificates, draws, declared links
    CERTIFICATE_MANAGE = "certificate.manage"  # add and change inspectors' enforcement certificates
    DRAW_MANAGE = "draw.manage"  # create, draw, publish and complete random draws; enter their results
    LINK_DECLARE = "link.declare"  # declare an inspector's link to an enterprise (利害关系申报)
    TARGETING_VIEW = "inspection_plan.targeting"  # the risk-based targeting list (分级分类精准化执法)
    PLAN_PREPARE = "inspection_plan.prepare"  # draft and submit the department's yearly inspection plan
    PLAN_APPROVE = "inspection_plan.approve"  # approve or return it (not the one who submitted it)
    # enforcement cases (each step's role is the case workflow's: anquan/cases/workflow.py)
    CASE_OPEN = "case.open"  # apply to open a case (立案申请) as an officer of an issuing department
    # public tip-offs (issue #14): triage them through their workflow; read the reporter's identity (audited)
    TIPOFF_HANDLE = "tipoff.handle"
    TIPOFF_IDENTITY = "tipoff.identity"
    # monitoring of major hazard installations (issue #16): read the live board and alarms; register points,
    # gateways and thresholds; take an alarm's steps (who takes which: anquan/monitoring/workflow.py)
    MONITORING_VIEW = "monitoring.view"
    MONITORING_CONFIGURE = "monitoring.configure"
    ALARM_HANDLE = "alarm.handle"
    # people and emergency readiness (issue #17): an enterprise's key-post personnel and certificates; emergency plans
    # and drills (an enterprise's own, an office's or department's area's); filing the plans submitted to one's office
    # or department (who files which: anquan/emergency/workflow.py); rescue teams, depots, stock and duty rosters
    PERSONNEL_MANAGE = "personnel.manage"
    EMERGENCY_PLAN_WRITE = "emergency.plan_write"
    EMERGENCY_PLAN_FILE = "emergency.plan_file"
    RESCUE_CHANGE = "rescue.change"


_VIEW = {Perm.ENTERPRISE_VIEW, Perm.ENTERPRISE_EXPORT}
_RECORD_ANY = {  # an authority records every source but an enterprise's self-check
    Perm.HAZARD_RECORD_INSPECTION,
    Perm.HAZARD_RECORD_GRID_PATROL,
    Perm.HAZARD_RECORD_TIP_OFF,
    Perm.HAZARD_RECORD_ALARM,
    Perm.HAZARD_RECORD_THIRD_PARTY,
}
_AUTHORITY = {
    Perm.HAZARD_HANDLE,
    Perm.ACCIDENT_REPORT,
    Perm.RISK_CHANGE,
}
_OFFICE = (
    _VIEW
    | _AUTHORITY
    | _RECORD_ANY
    | {
        Perm.ENTERPRISE_ADD,
        Perm.ENTERPRISE_CHANGE,
        Perm.ENTERPRISE_SUPERVISE,
        Perm.ENTERPRISE_IMPORT,
        Perm.USER_MANAGE,
        Perm.ORG_MANAGE,
        Perm.AUDIT_VIEW,
        Perm.HAZARD_CANCEL,
        Perm.RISK_REPORT_REVIEW,
        Perm.BULLETIN_ISSUE,
    }
)
_INVESTIGATION = {Perm.ACCIDENT_INVESTIGATE}  # committee offices down to the county, supervising departments
_DEPARTMENT = (
    _VIEW
    | _AUTHORITY
    | {Perm.HAZARD_RECORD_INSPECTION, Perm.HAZARD_RECORD_TIP_OFF, Perm.HAZARD_RECORD_THIRD_PARTY}
)
_SUPERVISOR = (
    _DEPARTMENT
    | _INVESTIGATION
    | {
        Perm.ENTERPRISE_ADD,
        Perm.ENTERPRISE_CHANGE,
        Perm.ENTERPRISE_SUPERVISE,
        Perm.ENTERPRISE_IMPORT,
        Perm.AUDIT_VIEW,
        Perm.HAZARD_CANCEL,
        Perm.RISK_REPORT_REVIEW,
    }
)
# not a system administrator's: what a department, township or enterprise does as such, and the review of risk
# reports (the supervisors' work)
_NOT_SYSADMIN = {
    Perm.RISK_REPORT_REVIEW,
    Perm.HAZARD_RECORD_SELF_CHECK,
    Perm.HAZARD_RECTIFY_PUBLIC,
    Perm.SITE_PLAN_CHANGE,
    Perm.CHECK_TASK_COMPLETE,
    Perm.RISK_REPORT_PREPARE,
    Perm.PLAN_PREPARE,
    Perm.PLAN_APPROVE,
}

ROLE_PERMS: dict[str, frozenset[str]] = {
    Role.PROVINCE_OFFICE: frozenset(
        _OFFICE | _INVESTIGATION | {Perm.HAZARD_LIST_PROVINCE, Perm.ACCIDENT_CATEGORIES}
    ),
    Role.CITY_OFFICE: frozenset(_OFFICE | _INVESTIGATION | {Perm.HAZARD_LIST_CITY}),
    Role.COUNTY_OFFICE: frozenset(_OFFICE | _INVESTIGATION | {Perm.HAZARD_LIST_COUNTY}),
    Role.TOWNSHIP_OFFICE: frozenset(_OFFICE | {Perm.HAZARD_RECTIFY_PUBLIC}),
    Role.DEPARTMENT_SUPERVISOR: frozenset(_SUPERVISOR),
    Role.INSPECTOR: frozenset(_DEPARTMENT | {Perm.ENTERPRISE_CHANGE}),
    Role.GRID_WORKER: frozenset(
        _VIEW
        | {
            Perm.ENTERPRISE_ADD,
            Perm.ENTERPRISE_CHANGE,
            Perm.HAZARD_RECORD_GRID_PATROL,
            Perm.HAZARD_RECTIFY_PUBLIC,
        }
    ),
    Role.ENTERPRISE_MANAGER: frozenset(
        _VIEW
        | {
            Perm.ENTERPRISE_CHANGE,
            Perm.AUDIT_VIEW,  # the audit log: only entries about the enterprise's own records
            Perm.HAZARD_RECORD_SELF_CHECK,
            Perm.ACCIDENT_REPORT,
            Perm.RISK_CHANGE,
            Perm.SITE_PLAN_CHANGE,
            Perm.CHECK_TASK_COMPLETE,
            Perm.RISK_REPORT_PREPARE,
        }
    ),
    Role.SYSADMIN: frozenset(set(Perm.values) - _NOT_SYSADMIN - {Perm.INSPECTION_CONDUCT}),
}
# inspections (issue #13): a department's supervisors and inspectors plan and carry them out
for _role in (Role.DEPARTMENT_SUPERVISOR, Role.INSPECTOR):
    ROLE_PERMS[_role] = ROLE_PERMS[_role] | {Perm.INSPECTION_PLAN, Perm.INSPECTION_CONDUCT}


# official documents (issue #13): issued by enforcement departments, voided by their supervisors
_DOCUMENT_PERMS = {
    Role.INSPECTOR: {Perm.DOCUMENT_ISSUE},
    Role.DEPARTMENT_SUPERVISOR: {Perm.DOCUMENT_ISSUE, Perm.DOCUMENT_VOID},
}
for _role, _perms in _DOCUMENT_PERMS.items():
    ROLE_PERMS[_role] = ROLE_PERMS[_role] | _perms
ROLE_PERMS[Role.SYSADMIN] = ROLE_PERMS[Role.SYSADMIN] - {Perm.DOCUMENT_ISSUE, Perm.DOCUMENT_VOID}


# issue #13, double-random draws (draws13): the grants of the permissions above, added to each role's set
for _role, _extra in {
    Role.PROVINCE_OFFICE: {Perm.DRAW_MANAGE, Perm.LINK_DECLARE},
    Role.CITY_OFFICE: {Perm.DRAW_MANAGE, Perm.LINK_DECLARE},
    Role.COUNTY_OFFICE: {Perm.CERTIFICATE_MANAGE, Perm.DRAW_MANAGE, Perm.LINK_DECLARE},
    Role.DEPARTMENT_SUPERVISOR: {Perm.CERTIFICATE_MANAGE, Perm.DRAW_MANAGE, Perm.LINK_DECLARE},
    Role.INSPECTOR: {Perm.LINK_DECLARE},
}.items():
    ROLE_PERMS[_role] = ROLE_PERMS[_role] | _extra
# yearly inspection plans and targeting (issue #13): offices and departments read the targeting list; a
# department's inspectors and supervisors draft its plan, its supervisor approves it
for _role in (
    Role.PROVINCE_OFFICE,
    Role.CITY_OFFICE,
    Role.COUNTY_OFFICE,
    Role.DEPARTMENT_SUPERVISOR,
    Role.INSPECTOR,
):
    ROLE_PERMS[_role] |= {Perm.TARGETING_VIEW}
ROLE_PERMS[Role.DEPARTMENT_SUPERVISOR] |= {Perm.PLAN_PREPARE, Perm.PLAN_APPROVE}
ROLE_PERMS[Role.INSPECTOR] |= {Perm.PLAN_PREPARE}
# enforcement cases (issue #13): an inspector or a department supervisor applies to open them (who reads a case is
# its scope; who takes each step, anquan/cases/workflow.py)
for _role in (Role.INSPECTOR, Role.DEPARTMENT_SUPERVISOR):
    ROLE_PERMS[_role] = ROLE_PERMS[_role] | {Perm.CASE_OPEN}
ROLE_PERMS[Role.SYSADMIN] = ROLE_PERMS[Role.SYSADMIN] - {Perm.CASE_OPEN}

# public tip-offs (issue #14): the committee offices and department supervisors triage them; the reporter's identity
# is for the offices from the county up and the department supervisors only (never a system administrator's)
for _role in (
    Role.PROVINCE_OFFICE,
    Role.CITY_OFFICE,
    Role.COUNTY_OFFICE,
    Role.TOWNSHIP_OFFICE,
    Role.DEPARTMENT_SUPERVISOR,
):
    ROLE_PERMS[_role] = ROLE_PERMS[_role] | {Perm.TIPOFF_HANDLE}
for _role in (Role.PROVINCE_OFFICE, Role.CITY_OFFICE, Role.COUNTY_OFFICE, Role.DEPARTMENT_SUPERVISOR):
    ROLE_PERMS[_role] = ROLE_PERMS[_role] | {Perm.TIPOFF_IDENTITY}
ROLE_PERMS[Role.SYSADMIN] = ROLE_PERMS[Role.SYSADMIN] - {Perm.TIPOFF_HANDLE, Perm.TIPOFF_IDENTITY}

# monitoring (issue #16): everyone above a grid worker reads the monitoring of their scope; the enterprise's managers
# register its points and gateways, and so may the offices and departments above it (as for risk points); alarms are
# acknowledged and disposed by the enterprise and followed up by the offices and departments when escalated
for _role in (
    Role.PROVINCE_OFFICE,
    Role.CITY_OFFICE,
    Role.COUNTY_OFFICE,
    Role.TOWNSHIP_OFFICE,
    Role.DEPARTMENT_SUPERVISOR,
    Role.INSPECTOR,
    Role.ENTERPRISE_MANAGER,
):
    ROLE_PERMS[_role] = ROLE_PERMS[_role] | {Perm.MONITORING_VIEW}
for _role in (Role.COUNTY_OFFICE, Role.DEPARTMENT_SUPERVISOR, Role.ENTERPRISE_MANAGER):
    ROLE_PERMS[_role] = ROLE_PERMS[_role] | {Perm.MONITORING_CONFIGURE}
for _role in (
    Role.PROVINCE_OFFICE,
    Role.CITY_OFFICE,
    Role.COUNTY_OFFICE,
    Role.DEPARTMENT_SUPERVISOR,
    Role.ENTERPRISE_MANAGER,
):
    ROLE_PERMS[_role] = ROLE_PERMS[_role] | {Perm.ALARM_HANDLE}
ROLE_PERMS[Role.SYSADMIN] = ROLE_PERMS[Role.SYSADMIN] - {Perm.ALARM_HANDLE}

# people and emergency readiness (issue #17): personnel are the enterprise's own to keep; plans and drills are written
# by the enterprise's managers and by the offices and department supervisors of the area; the offices from the county
# up and the department supervisors file them; rescue forces are registered by all of those and the administrators
_OFFICES = (Role.PROVINCE_OFFICE, Role.CITY_OFFICE, Role.COUNTY_OFFICE)
ROLE_PERMS[Role.ENTERPRISE_MANAGER] |= {Perm.PERSONNEL_MANAGE}
for _role in (*_OFFICES, Role.TOWNSHIP_OFFICE, Role.DEPARTMENT_SUPERVISOR, Role.ENTERPRISE_MANAGER):
    ROLE_PERMS[_role] |= {Perm.EMERGENCY_PLAN_WRITE, Perm.RESCUE_CHANGE}
for _role in (*_OFFICES, Role.DEPARTMENT_SUPERVISOR):
    ROLE_PERMS[_role] |= {Perm.EMERGENCY_PLAN_FILE}
ROLE_PERMS[Role.SYSADMIN] -= {Perm.PERSONNEL_MANAGE, Perm.EMERGENCY_PLAN_WRITE, Perm.EMERGENCY_PLAN_FILE}


def roles_with(perm: str) -> frozenset[str]:
    """The roles `perm` is given to: for what takes a set of roles (a workflow transition, a model's
    `ScopeSpec(change=...)`, the recipients of a notification), read from this table."""
    return frozenset(role for role, perms in ROLE_PERMS.items() if perm in perms)


def has_perm(user, perm: str) -> bool:
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return False
    return perm in ROLE_PERMS.get(user.role, ())
