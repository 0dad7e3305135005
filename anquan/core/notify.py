"""Notifications: always in-app; other channels (SMS, …) plug in through settings.NOTIFICATION_SENDERS.

A sender is a dotted path to a callable `send(notification)` run after the transaction commits.

Each notification has a kind (the notifications page groups by it). One that announces a task names the task:
its `subject` (the record, ``hazard:12``) and `step` (``submitted``). The app that moves the record calls
`resolve(subject, still_open)` in the same transaction: every notification of that record whose step is no
longer waiting is marked done and read for everyone it went to, so it leaves the unread count (issue #12).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.db import transaction
from django.db.models import F
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.module_loading import import_string

from .choices import NotificationKind
from .models import Notification


def notify(
    users: Iterable[Any],
    title: str,
    *,
    body: str = "",
    url: str = "",
    key: str | None = None,
    kind: str = NotificationKind.OTHER,
    subject: str = "",
    step: str = "",
) -> list[Notification]:
    """Notify each user once per `key` (None: always). Returns the notifications created. `subject` and `step`
    name the task the notification announces, if any (cleared by `resolve`)."""
    created = []
    for user in {u.pk: u for u in users if u is not None and u.is_active}.values():
        if key is not None and Notification.objects.filter(user=user, dedupe_key=key).exists():
            continue
        created.append(
            Notification.objects.create(
                user=user,
                title=title,
                body=body,
                url=url,
                dedupe_key=key,
                kind=kind,
                subject=subject,
                step=step,
            )
        )
    _send_after_commit(created)
    return created


def resolve(subject: str, still_open: Iterable[str] = (), *, now: dt.datetime | None = None) -> int:
    """Mark done (and read) the notifications about `subject` that announce a step not in `still_open`: the
    task they announced has been done, by whoever did it. Returns how many were cleared."""
    now = now or timezone.now()
    return (
        Notification.objects.filter(subject=subject, done_at__isnull=True)
        .exclude(step="")
        .exclude(step__in=list(still_open))
        .update(done_at=now, read_at=Coalesce(F("read_at"), now))
    )


@dataclass
class Message:
    users: list
    title: str
    key: str  # required: a batch is what a periodic job sends, and it must never send twice
    body: str = ""
    url: str = ""
    kind: str = NotificationKind.OTHER
    subject: str = ""
    step: str = ""


def notify_many(messages: list[Message]) -> list[list[Notification]]:
    """`notify` for many messages at once (a periodic job's page of reminders): one query for the keys already
    sent, one insert. Returns, per message, the notifications created."""
    wanted = [
        (m, user)
        for m in messages
        for user in {u.pk: u for u in m.users if u is not None and u.is_active}.values()
    ]
    sent = (
        set(
            Notification.objects.filter(
                dedupe_key__in={m.key for m, _ in wanted}, user_id__in={u.pk for _, u in wanted}
            ).values_list("user_id", "dedupe_key")
        )
        if wanted
        else set()
    )
    made: dict[int, list[Notification]] = {id(m): [] for m in messages}
    rows = []
    for m, user in wanted:
        if (user.pk, m.key) in sent:
            continue
        sent.add((user.pk, m.key))
        row = Notification(
            user=user,
            title=m.title,
            body=m.body,
            url=m.url,
            dedupe_key=m.key,
            kind=m.kind,
            subject=m.subject,
            step=m.step,
        )
        made[id(m)].append(row)
        rows.append(row)
    Notification.objects.bulk_create(rows)
    _send_after_commit(rows)
    return [made[id(m)] for m in messages]


def _send_after_commit(created: list[Notification]) -> None:
    senders = [import_string(path) for path in getattr(settings, "NOTIFICATION_SENDERS", [])]
    if senders and created:
        transaction.on_commit(lambda: [send(n) for n in created for send in senders])
