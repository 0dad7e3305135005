"""Registering and changing venues (audited, scoped), their public code and owner PIN, and their checks.

`record_check(venue, on=, ok=, source=, actor=)` is the interface the grid patrols call (grids14): it updates the
last check the public page shows. `self_check` is the owner's monthly self-check from the public page, behind the
venue's PIN (docs/adr/0032-venue-public-code-and-pin.md)."""

from __future__ import annotations

import datetime as dt
import secrets
from typing import Any

from django.conf import settings
from django.contrib.auth.hashers import check_password, make_password
from django.db import IntegrityError, transaction
from django.http import HttpRequest
from django.urls import reverse
from django.utils import timezone

from anquan.core import audit
from anquan.core.errors import FieldError, NotPermitted, ValidationFailed
from anquan.core.models import AuditAction
from anquan.core.scope import in_scope, role_may

from .checklist import items_of, version_for
from .choices import CheckSource
from .models import SmallVenue, VenueCheck
from .validation import clean

PIN_DIGITS = 6
PIN_TRIES = 5  # wrong PINs in a row before the venue's self-check is locked for PIN_LOCK
PIN_LOCK = dt.timedelta(minutes=15)
HIDDEN = ("pin_hash", "pin_failures", "pin_locked_until")  # never in an audit entry


# capitals and digits a person can read off a label and type (no 0/O, 1/I/L): 31 symbols
CODE_ALPHABET = "23456789ABCDEFGHJKMNPQRSTUVWXYZ"


def new_public_code() -> str:
    """12 symbols of `CODE_ALPHABET` (about 59 random bits): not guessable, not counted up, readable off a printed
    label, with at least one digit so that no code reads as a word (docs/adr/0032)."""
    while True:
        code = "".join(secrets.choice(CODE_ALPHABET) for _ in range(12))
        if any(c.isdigit() for c in code):
            return code


def new_pin() -> str:
    return "".join(secrets.choice("0123456789") for _ in range(PIN_DIGITS))


def public_path(venue: SmallVenue) -> str:
    return reverse("venues:public", args=[venue.public_code])


def public_base(request: HttpRequest | None = None) -> str:
    """The site's public address the QR codes point at: settings.VENUES_PUBLIC_BASE_URL (env
    ANQUAN_PUBLIC_BASE_URL) or, when unset, the address the request came to."""
    base = getattr(settings, "VENUES_PUBLIC_BASE_URL", "") or ""
    if not base and request is not None:
        base = request.build_absolute_uri("/")
    return base.rstrip("/")


def public_url(venue: SmallVenue, request: HttpRequest | None = None) -> str:
    return public_base(request) + public_path(venue)


def snapshot(venue: SmallVenue) -> dict:
    return audit.snapshot(venue, exclude=HIDDEN)


def _may_change(actor: Any) -> None:
    if not role_may(actor, SmallVenue, "change"):
        raise NotPermitted("您的角色不能登记或修改九小场所")


def create_venue(actor: Any, raw: dict[str, Any]) -> tuple[SmallVenue, str]:
    """(the new venue, its PIN in plain text — shown once, on the owner's copy)."""
    _may_change(actor)
    values, errors = clean(raw, actor)
    if errors:
        raise ValidationFailed(errors)
    pin = new_pin()
    for _attempt in range(5):
        try:
            with transaction.atomic():
                venue = SmallVenue(
                    **values,
                    public_code=new_public_code(),
                    pin_hash=make_password(pin),
                    created_by=actor if getattr(actor, "pk", None) else None,
                )
                venue.save()
                audit.record(AuditAction.CREATE, venue, actor=actor, after=snapshot(venue))
            return venue, pin
        except IntegrityError:  # the one unique column is the public code: draw another
            continue
    raise RuntimeError("no free public code after 5 draws")


def update_venue(actor: Any, venue: SmallVenue, raw: dict[str, Any], *, partial: bool = False) -> SmallVenue:
    if not in_scope(venue, actor, "change"):
        raise NotPermitted("您不能修改这个九小场所")
    values, errors = clean(raw, actor, partial=partial)
    if errors:
        raise ValidationFailed(errors)
    with transaction.atomic():
        venue = SmallVenue.objects.select_for_update().get(pk=venue.pk)
        before = snapshot(venue)
        for name, value in values.items():
            setattr(venue, name, value)
        venue.save()
        after = snapshot(venue)
        if after != before:
            audit.record(AuditAction.UPDATE, venue, actor=actor, before=before, after=after)
    return venue


def reset_pin(actor: Any, venue: SmallVenue) -> str:
    """A new owner PIN (the old one stops working); the new one is shown once, on a new owner's copy."""
    if not in_scope(venue, actor, "change"):
        raise NotPermitted("您不能重置这个九小场所的业主密码")
    pin = new_pin()
    with transaction.atomic():
        SmallVenue.objects.filter(pk=venue.pk).update(
            pin_hash=make_password(pin), pin_failures=0, pin_locked_until=None
        )
        audit.record(AuditAction.UPDATE, venue, actor=actor, comment="重置业主自查密码")
    return pin


def record_check(
    venue: SmallVenue,
    *,
    on: dt.date,
    ok: bool,
    source: str,
    actor: Any,
    items: list[dict] | None = None,
    rule_version: Any = None,
) -> None:
    """A check of `venue` (a grid patrol's visit or an owner's self-check): one row, and the venue's last check
    (what its public page shows) moved to it unless a later one is already recorded. Audited."""
    if source not in CheckSource.values:
        raise ValueError(f"unknown check source {source!r}")
    with transaction.atomic():
        check = VenueCheck.objects.create(
            venue=venue,
            on=on,
            month=on.strftime("%Y-%m"),
            source=source,
            ok=ok,
            items=items or [],
            rule_version=rule_version,
            actor=actor if getattr(actor, "pk", None) else None,
        )
        _move_last(venue, check)
        audit.record(AuditAction.CREATE, check, actor=actor or "system", after=audit.snapshot(check))


def _move_last(venue: SmallVenue, check: VenueCheck) -> None:
    locked = SmallVenue.objects.select_for_update().get(pk=venue.pk)
    if locked.last_checked_on is None or check.on >= locked.last_checked_on:
        SmallVenue.objects.filter(pk=venue.pk).update(
            last_checked_on=check.on, last_check_ok=check.ok, last_check_source=check.source
        )
        venue.last_checked_on, venue.last_check_ok, venue.last_check_source = check.on, check.ok, check.source


# ---- the owner's monthly self-check (public, behind the PIN) ---------------------------------------------------


class PinRefused(Exception):
    """A wrong PIN or a locked venue; `message` is what the page says (politely, in Chinese)."""

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


def check_pin(venue: SmallVenue, pin: str) -> None:
    """Raises PinRefused for a wrong PIN, counting it; PIN_TRIES wrong in a row lock the venue for PIN_LOCK."""
    now = timezone.now()
    with transaction.atomic():
        locked = SmallVenue.objects.select_for_update().get(pk=venue.pk)
        if locked.pin_locked_until and locked.pin_locked_until > now:
            minutes = max(1, int((locked.pin_locked_until - now).total_seconds() // 60) + 1)
            raise PinRefused(f"密码错误次数过多，请{minutes}分钟后再试；忘记密码请联系所在网格员重置")
        if pin and check_password(pin, locked.pin_hash):
            if locked.pin_failures:
                SmallVenue.objects.filter(pk=venue.pk).update(pin_failures=0, pin_locked_until=None)
            return
        failures = locked.pin_failures + 1
        until = now + PIN_LOCK if failures >= PIN_TRIES else None
        SmallVenue.objects.filter(pk=venue.pk).update(
            pin_failures=0 if until else failures, pin_locked_until=until
        )
    if until:
        raise PinRefused("密码错误次数过多，请15分钟后再试；忘记密码请联系所在网格员重置")
    raise PinRefused(f"密码不正确，请核对业主联上的6位数字密码（还可再试{PIN_TRIES - failures}次）")


def self_check(
    venue: SmallVenue, *, pin: str, answers: dict[str, str], on: dt.date
) -> tuple[VenueCheck, bool]:
    """The owner's self-check for `on`'s month: (the check, whether it replaced one already filed that month).
    `answers` maps each item's code to "yes"/"no"; every item must be answered."""
    check_pin(venue, pin)
    version = version_for(on, venue.region_code)
    items = items_of(version, venue.kind)
    errors = []
    rows = []
    for item in items:
        answer = answers.get(item.code, "")
        if answer not in ("yes", "no"):
            errors.append(FieldError(f"item_{item.code}", "required", "请选择“是”或“否”"))
            continue
        rows.append({"code": item.code, "text": item.text, "ok": answer == "yes"})
    if errors:
        raise ValidationFailed(errors)
    ok = all(r["ok"] for r in rows)
    month = on.strftime("%Y-%m")
    with transaction.atomic():
        previous = (
            VenueCheck.objects.select_for_update()
            .filter(venue=venue, month=month, source=CheckSource.SELF_CHECK)
            .first()
        )
        if previous is None:
            record_check(
                venue,
                on=on,
                ok=ok,
                source=CheckSource.SELF_CHECK,
                actor="业主自查",
                items=rows,
                rule_version=version,
            )
            check = VenueCheck.objects.get(venue=venue, month=month, source=CheckSource.SELF_CHECK)
            return check, False
        before = audit.snapshot(previous)
        previous.on, previous.ok, previous.items, previous.rule_version = on, ok, rows, version
        previous.save()
        _move_last(venue, previous)
        audit.record(
            AuditAction.UPDATE,
            previous,
            actor="业主自查",
            before=before,
            after=audit.snapshot(previous),
            comment="本月再次自查，更新本月自查结果",
        )
        return previous, True
