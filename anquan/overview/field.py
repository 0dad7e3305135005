"""The phone home of a field role (grid worker, inspector, enterprise): a few large entries for the day's work,
each with the count waiting behind it, and the user's latest hazards (issue #12 item 1)."""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import QuerySet
from django.urls import reverse
from django.utils import timezone
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from anquan.accounts.models import User
from anquan.checks.choices import TaskStatus
from anquan.checks.models import CheckTask
from anquan.core.context import mine_url
from anquan.core.models import Notification
from anquan.core.permissions import Role
from anquan.core.scope import restrict
from anquan.hazards.choices import OPEN_STATUSES
from anquan.hazards.models import Hazard

StrOrPromise = str | Promise  # a label: gettext_lazy's or plain


@dataclass(frozen=True)
class Tile:
    key: str  # data-testid suffix
    label: StrOrPromise
    icon: str
    colour: str  # aq-tile-<colour>
    url: str
    count: int | None = None
    note: StrOrPromise = ""


def open_checks(user: User) -> int:
    now = timezone.now()
    return (
        restrict(CheckTask, user)
        .filter(status=TaskStatus.OPEN, period_start__lte=now, period_end__gt=now)
        .count()
    )


def recent(user: User) -> QuerySet[Hazard]:
    """The hazards the home lists: what the user recorded, or for an enterprise its own open ones."""
    hazards = restrict(Hazard, user).select_related("enterprise")
    if user.role == Role.ENTERPRISE_MANAGER:
        return hazards.filter(status__in=OPEN_STATUSES)[:5]
    return hazards.filter(found_by=user)[:5]


def tiles(user: User) -> list[Tile]:
    unread = Notification.objects.filter(user=user, read_at__isnull=True).count()
    messages = Tile("messages", _("Messages"), "bell", "amber", reverse("core:notifications"), unread)
    report = Tile(
        "report",
        _("Report a hazard"),
        "camera",
        "red",
        reverse("hazards:report"),
        note=_("Photo and location"),
    )
    if user.role == Role.ENTERPRISE_MANAGER:
        ledger = reverse("hazards:ledger") + "?status=open"
        own_open = restrict(Hazard, user).filter(status__in=OPEN_STATUSES).count()
        return [
            Tile(
                "checks",
                _("Today's checks"),
                "check2-square",
                "blue",
                reverse("checks:tasks_today"),
                open_checks(user),
            ),
            report,
            Tile("mine", _("Our hazards"), "list-check", "green", ledger, own_open, _("Not yet closed")),
            messages,
        ]
    mine_open = restrict(Hazard, user).filter(found_by=user, status__in=OPEN_STATUSES).count()
    if user.role == Role.INSPECTOR:
        return [
            report,
            Tile(
                "mine",
                _("My tasks"),
                "list-check",
                "blue",
                mine_url(user),
                mine_open,
                _("Found by me, not yet closed"),
            ),
            Tile("enterprises", _("Enterprises"), "building", "green", reverse("enterprises:list")),
            messages,
        ]
    return [
        report,
        Tile("mine", _("My reports"), "list-check", "blue", mine_url(user), mine_open, _("Not yet closed")),
        Tile("enterprises", _("Enterprises and venues"), "building", "green", reverse("enterprises:list")),
        messages,
    ]
