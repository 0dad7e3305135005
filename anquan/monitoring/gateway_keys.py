"""Issuing and revoking a gateway's key (issue #16). The key is shown once, on issue; only its SHA-256
(`Gateway.hash_key`) is stored, so a lost key is replaced by revoking the gateway and issuing a new one. Both
steps are audited (the audit snapshot leaves the hash out: `Gateway.AUDIT_EXCLUDE`).

The checks a person's request needs (who may, the code's form and uniqueness, the name) are here; issuing, replacing
and revoking themselves are `ingest/gateways.py`, which the simulator and tests call directly."""

from __future__ import annotations

import re
from typing import Any

from django.db import transaction

from anquan.core.errors import FieldError, NotPermitted, ValidationFailed
from anquan.core.scope import CHANGE, in_scope, role_may
from anquan.enterprises.models import Enterprise

from .ingest import gateways
from .models import Gateway

CODE = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_-]{1,39}$")  # part of the MQTT topic anquan/v1/<code>/readings


def topic(code: str) -> str:
    return f"anquan/v1/{code}/readings"


def _require(actor: Any, enterprise: Enterprise) -> None:
    if not (in_scope(enterprise, actor) and role_may(actor, Gateway, CHANGE)):
        raise NotPermitted("您无权为该企业登记数据网关")


@transaction.atomic
def issue(enterprise: Enterprise, *, code: str, name: str, actor: Any) -> tuple[Gateway, str]:
    """A new gateway of `enterprise` and its key (returned once, never stored), after the request's checks."""
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
    return gateways.issue(enterprise, code=code, name=name, actor=actor)


def revoke(gateway: Gateway, *, actor: Any) -> Gateway:
    """The gateway's key stops working at once (its readings are refused from now on). Revoking a revoked gateway
    changes nothing and writes nothing."""
    _require(actor, gateway.enterprise)
    return gateways.revoke(gateway, actor=actor)
