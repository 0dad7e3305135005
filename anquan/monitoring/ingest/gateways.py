"""Gateway keys: issued (shown once, only the SHA-256 stored, audited), replaced, revoked, and checked for the
HTTP door (`Authorization: Bearer <key>`). Over MQTT a gateway is known by its code, the topic's second level; the
broker's ACL (one user per gateway, allowed to publish only to its own topic) is what authenticates it there."""

from __future__ import annotations

import secrets

from django.db import transaction
from django.utils import timezone

from anquan.core import audit
from anquan.enterprises.models import Enterprise

from ..models import Gateway

KEY_PREFIX = "gw_"


def _new_key() -> str:
    return KEY_PREFIX + secrets.token_urlsafe(32)


def _state(gateway: Gateway) -> dict[str, object]:
    return audit.snapshot(gateway)


@transaction.atomic
def issue(enterprise: Enterprise, *, code: str, name: str, actor: object) -> tuple[Gateway, str]:
    """Register a gateway of `enterprise` and return it with its key (shown once: only its hash is stored).
    `code` is unique over all gateways (the caller validates its form and uniqueness for a field error; a race
    ends in IntegrityError)."""
    key = _new_key()
    gateway = Gateway.objects.create(
        enterprise=enterprise, code=code.strip(), name=name.strip(), key_hash=Gateway.hash_key(key)
    )
    audit.record(
        audit.AuditAction.CREATE,
        gateway,
        actor=actor,
        after=_state(gateway),
        comment=f"登记数据采集网关并签发密钥（{gateway.code}）",
    )
    return gateway, key


@transaction.atomic
def replace_key(gateway: Gateway, *, actor: object) -> str:
    """A new key for the gateway (the old one stops working at once, a revoked gateway is live again)."""
    before = _state(gateway)
    key = _new_key()
    gateway.key_hash = Gateway.hash_key(key)
    gateway.revoked_at = None
    gateway.save(update_fields=["key_hash", "revoked_at"])
    audit.record(
        audit.AuditAction.UPDATE,
        gateway,
        actor=actor,
        before=before,
        after=_state(gateway),
        comment=f"重新签发网关密钥（{gateway.code}）",
    )
    return key


@transaction.atomic
def revoke(gateway: Gateway, *, actor: object) -> Gateway:
    """Stop the gateway's key (revoking a revoked gateway changes nothing)."""
    if gateway.revoked_at is not None:
        return gateway
    before = _state(gateway)
    now = timezone.now()
    if not Gateway.objects.filter(pk=gateway.pk, revoked_at__isnull=True).update(revoked_at=now):
        gateway.refresh_from_db(fields=["revoked_at"])
        return gateway
    gateway.revoked_at = now
    audit.record(
        audit.AuditAction.UPDATE,
        gateway,
        actor=actor,
        before=before,
        after=_state(gateway),
        comment=f"撤销数据采集网关密钥（{gateway.code}）",
    )
    return gateway


def authenticate(key: str) -> Gateway | None:
    """The live gateway a bearer key stands for, or None (unknown or revoked)."""
    if not key.startswith(KEY_PREFIX):
        return None
    return (
        Gateway.objects.select_related("enterprise")
        .filter(key_hash=Gateway.hash_key(key), revoked_at__isnull=True)
        .first()
    )


def by_code(code: str) -> Gateway | None:
    """The live gateway with this code (the MQTT topic's second level), or None."""
    return Gateway.objects.filter(code=code, revoked_at__isnull=True).first()
