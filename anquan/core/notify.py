"""Notifications: always in-app; other channels (SMS, …) plug in through settings.NOTIFICATION_SENDERS.

A sender is a dotted path to a callable `send(notification)` run after the transaction commits.
"""

from django.conf import settings
from django.db import transaction
from django.utils.module_loading import import_string

from .models import Notification


def notify(users, title: str, *, body: str = "", url: str = "", key: str | None = None) -> list[Notification]:
    """Notify each user once per `key` (None: always). Returns the notifications created."""
    created = []
    for user in {u.pk: u for u in users if u is not None and u.is_active}.values():
        if key is not None and Notification.objects.filter(user=user, dedupe_key=key).exists():
            continue
        created.append(
            Notification.objects.create(user=user, title=title, body=body, url=url, dedupe_key=key)
        )
    senders = [import_string(path) for path in getattr(settings, "NOTIFICATION_SENDERS", [])]
    if senders and created:
        transaction.on_commit(lambda: [send(n) for n in created for send in senders])
    return created
