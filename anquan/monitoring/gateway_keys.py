"""Issuing and revoking a gateway's key (issue #16). The key is shown once, on issue; only its SHA-256
(`Gateway.hash_key`) is stored, so a lost key is replaced by revoking the gateway and issuing a new one. Both
steps are audited (the audit snapshot leaves the hash out: `Gateway.AUDIT_EXCLUDE`).

The same two functions are written by the ingestion branch as `ingest/gateways.py`; the lead keeps one at merge."""

from __future__ import annotations

import re
import secrets
from typing import Any

from django.db import transaction
from django.utils import timezone

from anquan.core import audit
from anquan.core.errors import FieldError, NotPermitted, ValidationFailed
from anquan.core.models import AuditAction
from anquan.core.scope import CHANGE, in_scope, role_may
from anquan.enterprises.models import Enterprise

from .models import Gateway

CODE = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_-]{1,39}$")  # part of the MQTT topic anquan/v1/<code>/readings
KEY_BYTES = 32


def topic(code: str) -> str:
    return f"anquan/v1/{code}/readings"


KEY_PREFIX = "gw_"  # as ingestion's `authenticate` expects


def new_key() -> str:
    return KEY_PREFIX + secrets.token_urlsafe(KEY_BYTES)


def _require(actor: Any, enterprise: Enterprise) -> None:
    if not (in_scope(enterprise, actor) and role_may(actor, Gateway, CHANGE)):
        raise NotPermitted("您无权为该企业登记数据网关")


@transaction.atomic
def issue(enterprise: Enterprise, *, code: str, name: str, actor: Any) -> tuple[Gateway, str]:
    """A new gateway of `enterprise` and its key (returned once, never stored)."""
    _require(actor, enterprise)
    code, name = (code or "").strip(), (name or "").strip()
    errors: list[FieldError] = []
    if not CODE.match(code):
        errors.append(
            FieldError("code", "invalid", "网关编号为2至40位字母、数字、下划线或连字符，以字母或数字开头")
        )
    elif Gateway.objects.filter(code=code).exists():
        errors.append(FieldError("code", "duplicate", f"网关编号“{code}”已被使用"))
    if not name:
        errors.append(FieldError("name", "required", "网关名称不能为空"))
    elif len(name) > 100:
        errors.append(FieldError("name", "too_long", "网关名称不能超过100个字符"))
    if errors:
        raise ValidationFailed(errors)
    key = new_key()
    gateway = Gateway.objects.create(
        enterprise=enterprise, code=code, name=name, key_hash=Gateway.hash_key(key)
    )
    audit.record(
        AuditAction.CREATE, gateway, actor=actor, after=audit.snapshot(gateway), comment="签发网关密钥"
    )
    return gateway, key


@transaction.atomic
def revoke(gateway: Gateway, *, actor: Any) -> Gateway:
    """The gateway's key stops working at once (its readings are refused from now on). Revoking a revoked gateway
    changes nothing and writes nothing."""
    _require(actor, gateway.enterprise)
    if gateway.revoked_at is not None:
        return gateway
    before = audit.snapshot(gateway)
    now = timezone.now()
    if Gateway.objects.filter(pk=gateway.pk, revoked_at__isnull=True).update(revoked_at=now) != 1:
        gateway.refresh_from_db(fields=["revoked_at"])
        return gateway
    gateway.revoked_at = now
    audit.record(
        AuditAction.UPDATE,
        gateway,
        actor=actor,
        before=before,
        after=audit.snapshot(gateway),
        comment="吊销网关",
    )
    return gateway
