"""The UI shell's context: the platform's names, each role's menu, the phone bottom bar and the to-do badge.

Each role sees only what it may use (issue #12 item 1): an entry names the permission it needs and, where a
permission does not say it (a page every role may open but only some roles work on), the roles it is for. Field
roles (grid worker, inspector, enterprise) work on a phone: they get a bottom bar of their few daily entries.
Only modules that exist are shown (none are faked).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any
from urllib.parse import urlencode

from django.conf import settings
from django.http import HttpRequest
from django.urls import reverse
from django.utils.functional import SimpleLazyObject
from django.utils.translation import gettext_lazy as _

from anquan.core import todo
from anquan.core.permissions import Perm, Role, has_perm

FIELD_ROLES = frozenset({Role.GRID_WORKER, Role.INSPECTOR, Role.ENTERPRISE_MANAGER})
DESK_ROLES = frozenset(set(Role) - FIELD_ROLES)
_DESK_AND = lambda *roles: DESK_ROLES | frozenset(roles)  # noqa: E731


@dataclass(frozen=True)
class Entry:
    url: str  # URL name
    label: Any
    icon: str  # Bootstrap icon name
    perm: str | None = None  # the permission the page needs
    roles: frozenset[str] | None = None  # the roles that work on it (None: every role with `perm`)
    badge: bool = False  # carries the to-do count

    def for_user(self, user: Any) -> bool:
        if self.perm is not None and not has_perm(user, self.perm):
            return False
        return self.roles is None or user.role in self.roles


NAV = [
    Entry("home", _("Home"), "house"),
    Entry("core:todo", _("To-do"), "inbox", badge=True),
    Entry("hazards:report", _("Report a hazard"), "camera", roles=FIELD_ROLES),
    Entry(
        "checks:tasks_today", _("Today's checks"), "check2-square", roles=_DESK_AND(Role.ENTERPRISE_MANAGER)
    ),
    Entry("hazards:ledger", _("Hazards"), "exclamation-triangle"),
    Entry("enterprises:list", _("Enterprises"), "building", Perm.ENTERPRISE_VIEW),
    Entry(
        "riskpoints:points",
        _("Risk control"),
        "bullseye",
        roles=_DESK_AND(Role.INSPECTOR, Role.ENTERPRISE_MANAGER),
    ),
    Entry("riskmap:map", _("Risk map"), "map", Perm.ENTERPRISE_VIEW, roles=_DESK_AND(Role.INSPECTOR)),
    Entry(
        "riskreports:reports",
        _("Risk reports"),
        "file-earmark-check",
        roles=_DESK_AND(Role.ENTERPRISE_MANAGER),
    ),
    Entry("accidents:register", _("Accidents"), "activity", roles=_DESK_AND(Role.ENTERPRISE_MANAGER)),
    Entry("hazards:stats", _("Hazard statistics"), "graph-up", roles=DESK_ROLES),
    Entry("bulletins:dashboard", _("Accident dashboard"), "bar-chart-line", roles=DESK_ROLES),
    Entry("bulletins:index", _("Bulletins"), "file-earmark-text", Perm.BULLETIN_ISSUE),
    Entry(
        "documents:index",
        _("Official documents"),
        "file-earmark-ruled",
        roles=_DESK_AND(Role.INSPECTOR, Role.ENTERPRISE_MANAGER),
    ),
    Entry("inspectionplans:targets", _("Enforcement targeting"), "sort-numeric-down", Perm.TARGETING_VIEW),
    Entry("inspectionplans:plans", _("Inspection plans"), "calendar-check", Perm.TARGETING_VIEW),
    Entry("regions:browse", _("Regions and grids"), "geo-alt", roles=_DESK_AND(Role.GRID_WORKER)),
    Entry("orgs:rules", _("Department duties"), "diagram-3", roles=DESK_ROLES),
    Entry("accounts:users", _("Users"), "people", Perm.USER_MANAGE),
    Entry("core:audit", _("Audit log"), "journal-check", Perm.AUDIT_VIEW),
    Entry("rules:index", _("Rule data"), "sliders", roles=frozenset({Role.SYSADMIN, Role.PROVINCE_OFFICE})),
    Entry("core:notifications", _("Messages"), "bell"),
    Entry("inspections:mine", _("My inspections"), "clipboard-check", Perm.INSPECTION_CONDUCT),
    Entry(
        "inspections:list",
        _("Inspections"),
        "clipboard-data",
        roles=_DESK_AND(Role.INSPECTOR, Role.ENTERPRISE_MANAGER),
    ),
    Entry("draws:list", _("Random draws"), "shuffle", roles=_DESK_AND(Role.INSPECTOR)),
    Entry("accounts:certificates", _("Enforcement certificates"), "person-vcard", Perm.CERTIFICATE_MANAGE),
    Entry("cases:list", _("Enforcement cases"), "briefcase", roles=_DESK_AND(Role.INSPECTOR)),
    Entry(
        "enforcement:loops",
        _("Enforcement loop"),
        "arrow-repeat",
        roles=frozenset(
            {
                Role.PROVINCE_OFFICE,
                Role.CITY_OFFICE,
                Role.COUNTY_OFFICE,
                Role.DEPARTMENT_SUPERVISOR,
                Role.SYSADMIN,
            }
        ),
    ),
    Entry("draws:tasks", _("My random inspections"), "shuffle", roles=frozenset({Role.INSPECTOR})),
    Entry("inspections:checklists", _("Checklist templates"), "list-check", roles=DESK_ROLES),
    Entry("enforcement:stats", _("Enforcement statistics"), "clipboard-data", roles=DESK_ROLES),
    Entry("venues:quick", _("Register a small venue"), "shop", roles=frozenset({Role.GRID_WORKER})),
    Entry(
        "venues:list",
        _("Small venues"),
        "shop-window",
        roles=(DESK_ROLES | {Role.GRID_WORKER}) - {Role.DEPARTMENT_SUPERVISOR, Role.INSPECTOR},
    ),
    Entry("tipoffs:list", _("Tip-offs"), "megaphone", Perm.TIPOFF_HANDLE),  # public tip-offs (issue #14)
]
# grids and patrols (issue #14, grids14)
NAV += [
    Entry("grids:patrols_today", _("Today's patrols"), "signpost-split", roles=frozenset({Role.GRID_WORKER})),
    Entry("grids:list", _("Grids"), "grid-3x3", roles=_DESK_AND(Role.ENTERPRISE_MANAGER)),
    Entry("grids:missed", _("Patrol statistics"), "clipboard-pulse", roles=DESK_ROLES),
]
# reminder and supervision letters (issue #15, letters15): the offices write them, offices and departments reply
NAV += [
    Entry(
        "letters:list",
        _("Reminder and supervision letters"),
        "envelope-paper",
        roles=frozenset(
            {
                Role.PROVINCE_OFFICE,
                Role.CITY_OFFICE,
                Role.COUNTY_OFFICE,
                Role.TOWNSHIP_OFFICE,
                Role.DEPARTMENT_SUPERVISOR,
            }
        ),
    ),
]
# campaigns (issue #15, camp15): the offices' campaigns and task lists; departments see the tasks they carry
NAV += [
    Entry("campaigns:list", _("Campaigns"), "list-task", roles=DESK_ROLES),
]


# The menu in sections (a county office sees some thirty entries): the daily entries first without a heading, then
# each domain under its heading. Every NAV entry names its section here (tests/test_role_homes.py checks it).
SECTIONS: list[tuple[Any, tuple[str, ...]]] = [
    (
        None,
        (
            "home",
            "core:todo",
            "hazards:report",
            "checks:tasks_today",
            "grids:patrols_today",
            "venues:quick",
            "inspections:mine",
            "draws:tasks",
            "core:notifications",
        ),
    ),
    (
        _("Risks and hazards"),
        (
            "enterprises:list",
            "riskpoints:points",
            "riskmap:map",
            "riskreports:reports",
            "hazards:ledger",
            "hazards:stats",
        ),
    ),
    (
        _("Inspection and enforcement"),
        (
            "inspectionplans:targets",
            "inspectionplans:plans",
            "draws:list",
            "inspections:list",
            "cases:list",
            "documents:index",
            "enforcement:loops",
            "enforcement:stats",
            "inspections:checklists",
            "accounts:certificates",
        ),
    ),
    (
        _("Grids and the public"),
        ("grids:list", "grids:missed", "venues:list", "tipoffs:list", "regions:browse"),
    ),
    (_("Accidents and bulletins"), ("accidents:register", "bulletins:dashboard", "bulletins:index")),
    (_("Campaigns and dispatch"), ("campaigns:list",)),
    (_("Administration"), ("orgs:rules", "accounts:users", "core:audit", "rules:index")),
]
SECTIONS.insert(-1, (_("Supervision letters"), ("letters:list",)))  # issue #15, letters15
# assessments and rolling flags (issue #15, assess15)
NAV += [
    Entry("assessments:list", _("Assessment and ranking"), "trophy", roles=DESK_ROLES),
    Entry("assessments:flags", _("Rolling flags"), "flag", roles=DESK_ROLES),
]
SECTIONS.insert(-1, (_("Assessment and flags"), ("assessments:list", "assessments:flags")))
# monitoring and early warning (issue #16): the live board, alarms, statistics; points, gateways, maintenance requests
NAV += [
    Entry("monitoring:board", _("Live monitoring"), "broadcast", Perm.MONITORING_VIEW),
    Entry("monitoring:alarms", _("Monitoring alarms"), "bell", Perm.MONITORING_VIEW),
    Entry(
        "monitoring:stats",
        _("Early-warning statistics"),
        "graph-down-arrow",
        Perm.MONITORING_VIEW,
        DESK_ROLES,
    ),
    Entry("monitoring:points", _("Monitoring points"), "broadcast-pin", Perm.MONITORING_VIEW),
    Entry("monitoring:gateways", _("Data gateways"), "router", Perm.MONITORING_VIEW),
    Entry("monitoring:maintenance", _("Maintenance requests"), "tools", Perm.MONITORING_VIEW),
]
SECTIONS.insert(
    -1,
    (
        _("Monitoring and early warning"),
        (
            "monitoring:board",
            "monitoring:alarms",
            "monitoring:stats",
            "monitoring:points",
            "monitoring:gateways",
            "monitoring:maintenance",
        ),
    ),
)

# emergency readiness (issue #17, plans17): emergency plans and their filing, drills, the overdue lists
_EMERGENCY = DESK_ROLES - {Role.SYSADMIN} | {Role.ENTERPRISE_MANAGER}
NAV += [
    Entry("emergency:plans", _("Emergency plans"), "journal-check", roles=_EMERGENCY),
    Entry("emergency:drills", _("Emergency drills"), "people", roles=_EMERGENCY),
    Entry("emergency:overdue", _("Emergency readiness overview"), "clipboard-data", roles=_EMERGENCY),
]

# key-post personnel, certificates, training and coverage (issue #17 part 1, personnel17)
NAV += [
    Entry(
        "personnel:list", _("Key-post personnel"), "person-badge", roles=_DESK_AND(Role.ENTERPRISE_MANAGER)
    ),
    Entry(
        "personnel:coverage",
        _("Certificate and training coverage"),
        "person-check",
        roles=_DESK_AND(Role.ENTERPRISE_MANAGER),
    ),
]
SECTIONS.insert(-1, (_("Key-post personnel"), ("personnel:list", "personnel:coverage")))
# emergency management (issue #17, rescue17; the section holds plans17's entries above too): rescue teams, supply depots, duty rosters, the distance search, figures
NAV += [
    # an inspector on site asks "what is near here" too (the phone's position); not a grid worker or an enterprise:
    # they see only their own township's or enterprise's forces, and "nothing within 20 km" would mislead them
    Entry("rescue:search", _("Nearby rescue forces"), "geo-alt", roles=DESK_ROLES | {Role.INSPECTOR}),
    Entry("rescue:teams", _("Rescue teams"), "people"),
    Entry("rescue:depots", _("Emergency supply depots"), "box-seam"),
    Entry("rescue:rosters", _("24-hour duty rosters"), "calendar-week"),
    Entry("rescue:stats", _("Rescue forces figures"), "bar-chart", roles=DESK_ROLES),
]
SECTIONS.insert(
    -1,
    (
        _("Emergency management"),
        (
            "emergency:plans",
            "emergency:drills",
            "emergency:overdue",
            "rescue:search",
            "rescue:teams",
            "rescue:depots",
            "rescue:rosters",
            "rescue:stats",
        ),
    ),
)


def sections(items: list[dict]) -> list[dict]:
    """The user's menu items under their sections' headings, sections without an item left out."""
    by_url = {item["url"]: item for item in items}
    out = []
    for label, urls in SECTIONS:
        found = [by_url[url] for url in urls if url in by_url]
        if found:
            out.append({"label": label, "items": found})
    return out


def is_field(user: Any) -> bool:
    return getattr(user, "role", None) in FIELD_ROLES


def mine_url(user: Any) -> str:
    """The hazards this user recorded (a grid worker's reports, an inspector's findings)."""
    return reverse("hazards:ledger") + "?" + urlencode({"found_by": user.username})


def bottom_bar(user: Any) -> list[dict]:
    """The phone bottom bar of a field role: home, report, the role's own list, messages (the menu button is
    the template's)."""
    if user.role == Role.ENTERPRISE_MANAGER:
        third = {"href": reverse("checks:tasks_today"), "label": _("Checks"), "icon": "check2-square"}
    elif user.role == Role.INSPECTOR:
        third = {"href": reverse("inspections:mine"), "label": _("My inspections"), "icon": "clipboard-check"}
    else:
        third = {"href": mine_url(user), "label": _("My reports"), "icon": "list-check"}
    return [
        {"href": reverse("home"), "label": _("Home"), "icon": "house", "badge": True},
        {"href": reverse("hazards:report"), "label": _("Report"), "icon": "camera"},
        third,
        {"href": reverse("core:notifications"), "label": _("Messages"), "icon": "bell", "unread": True},
    ]


def platform() -> dict:
    """The platform's name, the unit deploying it and its support contact (settings, from the environment)."""
    return {
        "name": settings.ANQUAN_PLATFORM_NAME,
        "unit": settings.ANQUAN_DEPLOYING_UNIT,
        "support": settings.ANQUAN_SUPPORT_CONTACT,
    }


def _item(entry: Entry, user: Any) -> dict:
    item = {"url": entry.url, "href": reverse(entry.url), "label": entry.label, "icon": entry.icon}
    if entry.url == "enterprises:list" and user.enterprise_id:  # an enterprise's own users: its own page
        item.update(href=reverse("enterprises:detail", args=[user.enterprise_id]), label=_("Our enterprise"))
    return {**item, "badge": entry.badge}


def navigation(request: HttpRequest) -> dict:
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {"nav_items": [], "platform": platform()}
    items = [_item(e, user) for e in NAV if e.for_user(user)]
    from .models import Notification

    unread = Notification.objects.filter(user=user, read_at__isnull=True).count()
    # counted only when a page shows them (a partial page rendered for htmx does not)
    todo_items = SimpleLazyObject(lambda: todo.items_for(user))
    return {
        "platform": platform(),
        "nav_items": items,
        "nav_sections": sections(items),
        "unread_notifications": unread,
        "field_role": is_field(user),
        "bottom_items": bottom_bar(user) if is_field(user) else [],
        "todo_items": todo_items,
        "todo_count": SimpleLazyObject(lambda: _Count(todo.total(list(todo_items)))),
    }


class _Count(int):
    """An int a SimpleLazyObject can wrap (it needs an object with a __dict__)."""
