"""Navigation for the UI shell: only modules that exist are shown (none are faked)."""

from django.utils.translation import gettext_lazy as _

from anquan.core.permissions import Perm, has_perm

NAV = [
    # (url name, label, icon, permission or None)
    ("home", _("Overview"), "speedometer2", None),
    ("enterprises:list", _("Enterprises"), "building", Perm.ENTERPRISE_VIEW),
    ("riskpoints:points", _("Risk control"), "bullseye", None),
    ("riskmap:map", _("Risk map"), "map", Perm.ENTERPRISE_VIEW),
    ("checks:tasks_today", _("Today's checks"), "check2-square", None),
    ("riskreports:reports", _("Risk reports"), "file-earmark-check", None),
    ("hazards:ledger", _("Hazards"), "exclamation-triangle", None),
    ("accidents:register", _("Accidents"), "activity", None),
    ("bulletins:dashboard", _("Accident dashboard"), "bar-chart-line", None),
    ("bulletins:index", _("Bulletins"), "file-earmark-text", None),
    ("regions:browse", _("Regions and grids"), "geo-alt", None),
    ("orgs:rules", _("Department duties"), "diagram-3", None),
    ("accounts:users", _("Users"), "people", Perm.USER_MANAGE),
    ("core:audit", _("Audit log"), "journal-check", Perm.AUDIT_VIEW),
]


def navigation(request):
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {"nav_items": []}
    items = [
        {"url": name, "label": label, "icon": icon}
        for name, label, icon, perm in NAV
        if perm is None or has_perm(user, perm)
    ]
    from .models import Notification

    unread = Notification.objects.filter(user=user, read_at__isnull=True).count()
    return {"nav_items": items, "unread_notifications": unread}
