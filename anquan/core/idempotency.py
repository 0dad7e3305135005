"""Replaying creating calls that carry a client key (DESIGN rule 6).

A phone on a weak network may send the same report twice; with the same key the second call
gets the first call's answer and nothing new is created.
"""

from collections.abc import Callable

from django.db import IntegrityError, transaction

from .models import IdempotencyRecord


def key_from(request, body_key: str | None = None) -> str | None:
    key = request.headers.get("Idempotency-Key") or body_key
    return key.strip()[:100] if key and key.strip() else None


def run_once(
    request, scope: str, key: str | None, create: Callable[[], tuple[int, dict]]
) -> tuple[int, dict]:
    """Run `create` unless this user already used `key` on `scope`; return (status, body)."""
    if key is None:
        return create()
    user = request.user
    previous = IdempotencyRecord.objects.filter(user=user, scope=scope, key=key).first()
    if previous is not None:
        return previous.status_code, previous.body
    status, body = create()
    if status < 300:
        try:
            with transaction.atomic():
                IdempotencyRecord.objects.create(
                    user=user, scope=scope, key=key, status_code=status, body=body
                )
        except IntegrityError:  # a concurrent retry won the race: its answer stands, ours rolls back
            previous = IdempotencyRecord.objects.get(user=user, scope=scope, key=key)
            transaction.set_rollback(True)
            return previous.status_code, previous.body
    return status, body
