"""Template helpers for the field (phone) pages: a deadline's countdown in words."""

from __future__ import annotations

import datetime as dt

from django import template
from django.utils import timezone
from django.utils.html import format_html
from django.utils.safestring import SafeString

from anquan.core import workdays

register = template.Library()


@register.simple_tag
def countdown(deadline: dt.date | None, closed: bool = False) -> SafeString | str:
    """ "剩余 N 天" / "今天到期" / "超期 N 天" (`workdays.countdown`, the dossier's words) for an open item's
    deadline (local days); nothing when it has no deadline or is closed."""
    if deadline is None or closed:
        return ""
    if isinstance(deadline, dt.datetime):
        deadline = timezone.localdate(deadline)
    today = timezone.localdate()
    words, late = workdays.countdown(deadline, today)
    pressing = late or deadline == today
    return format_html('<span class="aq-countdown{}">{}</span>', " aq-late" if pressing else "", words)


@register.filter
def other_errors(errors: dict | None, shown: str) -> list[str]:
    """The messages of `errors` ({field: message}) whose field is not one of `shown` (comma-separated): what
    a form shows on top because no field of it carries the error itself."""
    names = {n.strip() for n in shown.split(",")}
    return [message for field, message in (errors or {}).items() if field not in names]
