"""Inspectors' enforcement certificates (执法证): added and changed by a department supervisor, a county office or
a system administrator for the inspectors in their scope, each change audited. Random draws (anquan.draws) take
only inspectors holding a certificate valid on the draw's date."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone

from anquan.core import audit, inputs
from anquan.core.choices import AuditAction
from anquan.core.errors import Conflict, FieldError, NotPermitted, ValidationFailed
from anquan.core.permissions import Perm, Role, has_perm
from anquan.core.scope import CHANGE, in_scope, restrict
from anquan.regions.choices import RegionLevel
from anquan.regions.models import Region

from .models import EnforcementCertificate, User

FIELDS = ("inspector", "number", "issuing_authority", "valid_from", "valid_until", "area", "home_township")
TEXT_LIMITS = {"number": ("证件编号", 40), "issuing_authority": ("发证机关", 100), "area": ("执法范围", 200)}


def valid_on(day: dt.date) -> QuerySet[EnforcementCertificate]:
    """The certificates valid on `day` (both ends included): the draws' inspector pool and the inspection
    record's 执法证号 read validity here."""
    return EnforcementCertificate.objects.filter(valid_from__lte=day, valid_until__gte=day)


def numbers_on(day: dt.date, users: list[Any]) -> dict[int, str]:
    """user id → the number of their certificate valid on `day` (the latest-ending when several), in one query."""
    rows = valid_on(day).filter(user_id__in=[u.pk for u in users]).order_by("user_id", "valid_until", "pk")
    return dict(rows.values_list("user_id", "number"))  # the last of each user's rows wins: the latest-ending


def inspectors_for(actor: User) -> list[User]:
    """The inspectors whose certificates `actor` manages: those in scope, of the actor's department if any."""
    qs = restrict(User, actor).filter(role=Role.INSPECTOR)
    if actor.department_id:
        qs = qs.filter(department_id=actor.department_id)
    return list(qs.select_related("region", "department").order_by("username"))


def _date(raw: dict[str, Any], name: str, label: str, errors: list[FieldError]) -> dt.date | None:
    """A required date (core.inputs.day: 1949-10-01 to ten years ahead)."""
    before = len(errors)
    value = inputs.day(raw.get(name), name, label, errors)
    if value is None and len(errors) == before:
        errors.append(FieldError(name, "required", f"请填写{label}（年-月-日）"))
    return value


def save_certificate(
    raw: dict[str, Any], *, actor: User, certificate: EnforcementCertificate | None = None
) -> EnforcementCertificate:
    if not has_perm(actor, Perm.CERTIFICATE_MANAGE):
        raise NotPermitted("只有行业监管部门、县级安委办或系统管理员可以管理执法证")
    errors: list[FieldError] = []
    username = str(raw.get("inspector") or "").strip()
    inspector = next((u for u in inspectors_for(actor) if u.username == username), None)
    if inspector is None:
        errors.append(FieldError("inspector", "invalid", "请选择您管辖范围内的执法人员"))
    values: dict[str, Any] = {}
    for name, (label, limit) in TEXT_LIMITS.items():
        values[name] = inputs.text(
            raw.get(name), name, label, errors, max_length=limit, required=name != "area"
        )
    start = _date(raw, "valid_from", "有效期起", errors)
    end = _date(raw, "valid_until", "有效期止", errors)
    if start and end and end < start:
        errors.append(FieldError("valid_until", "invalid", "有效期止不能早于有效期起"))
    township = None
    code = str(raw.get("home_township") or "").strip()
    if code:
        township = Region.objects.filter(code=code, level=RegionLevel.TOWNSHIP).first()
        if township is None:
            errors.append(FieldError("home_township", "invalid", "回避乡镇应为乡镇（街道）"))
    taken = EnforcementCertificate.objects.filter(number=values["number"])
    if certificate is not None:
        taken = taken.exclude(pk=certificate.pk)
    if values["number"] and taken.exists():
        errors.append(FieldError("number", "duplicate", "该证件编号已登记"))
    if errors:
        raise ValidationFailed(errors)
    with transaction.atomic():
        if certificate is None:
            certificate = EnforcementCertificate(user=inspector)
            before = None
        else:
            if not in_scope(certificate, actor, CHANGE):
                raise Conflict("not_in_scope", "该执法证不在您的管辖范围内")
            before = audit.snapshot(certificate)
            certificate.user = inspector  # type: ignore[assignment]
        certificate.number = values["number"]
        certificate.issuing_authority = values["issuing_authority"]
        certificate.area = values["area"]
        certificate.valid_from = start  # type: ignore[assignment]
        certificate.valid_until = end  # type: ignore[assignment]
        certificate.home_township = township
        certificate.updated_at = timezone.now()
        certificate.save()
        audit.record(
            AuditAction.CREATE if before is None else AuditAction.UPDATE,
            certificate,
            actor=actor,
            before=before,
            after=audit.snapshot(certificate),
        )
    return certificate
