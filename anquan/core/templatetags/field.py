"""Template helpers for the field (phone) pages: a deadline's countdown in words."""

from __future__ import annotations

import datetime as dt

from django import template
from django.utils import timezone
from django.utils.html import format_html
from django.utils.safestring import SafeString
from django.utils.translation import gettext as _

register = template.Library()


@register.simple_tag
def countdown(deadline: dt.date | None, closed: bool = False) -> SafeString | str:
    """ "还剩 N 天" / "今天到期" / "超期 N 天" for an open item's deadline (local days); nothing when it has no
    deadline or is closed."""
    if deadline is None or closed:
        return ""
    if isinstance(deadline, dt.datetime):
        deadline = timezone.localdate(deadline)
    days = (deadline - timezone.localdate()).days
    if days < 0:
        return format_html(
            '<span class="aq-countdown aq-late">{}</span>', _("%(n)s days overdue") % {"n": -days}
        )
    if days == 0:
        return format_html('<span class="aq-countdown aq-late">{}</span>', _("Due today"))
    return format_html('<span class="aq-countdown">{}</span>', _("%(n)s days left") % {"n": days})


@register.filter
def other_errors(errors: dict | None, shown: str) -> list[str]:
    """The messages of `errors` ({field: message}) whose field is not one of `shown` (comma-separated): what
    a form shows on top because no field of it carries the error itself."""
    names = {n.strip() for n in shown.split(",")}
    return [message for field, message in (errors or {}).items() if field not in names]
