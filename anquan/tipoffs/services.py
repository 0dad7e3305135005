"""Submitting a tip-off (the public, no account), what the public may read of it, the reporter's identity for the
roles allowed (every view audited) and the office's internal notes. The workflow's steps are in actions.py."""

from __future__ import annotations

import datetime as dt
import secrets
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from django.apps import apps
from django.conf import settings
from django.db import IntegrityError, transaction
from django.http import Http404
from django.utils import timezone

from anquan.core import audit, inputs
from anquan.core.errors import FieldError, NotPermitted, ValidationFailed
from anquan.core.models import AuditAction
from anquan.core.permissions import Perm, has_perm
from anquan.core.scope import get_in_scope
from anquan.core.uploads import store_upload
from anquan.core.workflow import actor_label
from anquan.regions.choices import RegionLevel
from anquan.regions.models import Region

from . import identity
from .choices import CLOSED, Action, Kind, Status
from .models import TipOff, TipOffNote, TipOffPhoto
from .workflow import FLOW

PUBLIC = "举报人"  # how the audit log and the events name the (anonymous) submitter
ALPHABET = "23456789ABCDEFGHJKLMNPQRSTUVWXYZ"  # no 0/O, 1/I: read aloud over the phone
MAX_PHOTOS = 6
MAX_LENGTHS = {"description": 2000, "address": 200, "reporter_name": 50, "reply": 1000, "note": 2000}
LATITUDE, LONGITUDE = (3, 54), (73, 136)  # China
PHOTOS_ONLY = "只能上传照片（JPG、PNG、WebP、HEIC）"
HOTLINE = "12350"


class Throttled(ValidationFailed):
    """Too many tip-offs from one phone or address within the window (pages 429, API 429)."""


@dataclass(frozen=True)
class Venue:
    code: str
    name: str
    address: str
    region: Region | None


def venue(code: str) -> Venue | None:
    """The small venue (九小场所) with this public code, read from the venues app when it is installed."""
    code = (code or "").strip()[:40]
    if not code:
        return None
    try:
        model = apps.get_model("venues", "SmallVenue")
    except LookupError:
        return None
    if not any(f.name == "public_code" for f in model._meta.get_fields()):
        return None
    found: Any = model._default_manager.select_related("region").filter(public_code=code).first()
    if found is None:
        return None
    return Venue(code, str(found.name)[:200], str(getattr(found, "address", "") or ""), found.region)


def _tracking_code() -> str:
    while True:
        code = "JB" + "".join(secrets.choice(ALPHABET) for _ in range(8))
        if not TipOff.objects.filter(tracking_code=code).exists():
            return code


def _region(raw: Mapping[str, Any], errors: list[FieldError]) -> Region | None:
    code = str(raw.get("region") or "").strip()
    region = Region.objects.filter(code=code).first() if code else None
    if region is None:
        errors.append(FieldError("region", "required", "请选择事发地所在的乡镇（街道）"))
        return None
    if region.level < RegionLevel.TOWNSHIP:
        errors.append(FieldError("region", "too_coarse", "请选择到乡镇（街道）一级"))
        return None
    if not region.code.startswith(settings.ANQUAN_PROVINCE[:2]):
        errors.append(FieldError("region", "out_of_province", "只受理本省范围内的举报"))
        return None
    return region


def _window_start(now: dt.datetime) -> dt.datetime:
    return now - dt.timedelta(hours=settings.TIPOFF_WINDOW_HOURS)


def _throttle(phone_hash: str, address_hash: str, now: dt.datetime) -> None:
    """Refuse politely the submission past the limits within the window (settings TIPOFF_*)."""
    since = _window_start(now)
    hours = f"{settings.TIPOFF_WINDOW_HOURS:g}"
    recent = TipOff.objects.filter(submitted_at__gte=since)
    if phone_hash and recent.filter(phone_hash=phone_hash).count() >= settings.TIPOFF_PER_PHONE:
        raise Throttled(
            [
                FieldError(
                    "reporter_phone",
                    "too_many",
                    f"感谢您的积极举报！同一手机号码{hours}小时内最多提交{settings.TIPOFF_PER_PHONE}次举报，"
                    f"请稍后再提交；情况紧急请拨打举报电话{HOTLINE}",
                )
            ]
        )
    if address_hash and recent.filter(address_hash=address_hash).count() >= settings.TIPOFF_PER_IP:
        raise Throttled(
            [
                FieldError(
                    "",
                    "too_many",
                    f"感谢您的积极举报！同一网络{hours}小时内提交的举报已达{settings.TIPOFF_PER_IP}次，"
                    f"请稍后再提交；情况紧急请拨打举报电话{HOTLINE}",
                )
            ]
        )


def _reused() -> ValidationFailed:
    return ValidationFailed(
        [
            FieldError(
                "idempotency_key",
                "idempotency_key_reused",
                "该幂等键已用于另一份内容不同的举报；新的举报请使用新的幂等键",
            )
        ]
    )


def submit(
    raw: Mapping[str, Any],
    photos: Sequence[Any] = (),
    *,
    client_address: str | None = None,
    key: str | None = None,
    request_hash: str = "",
    strict_key: bool = True,
    now: dt.datetime | None = None,
) -> tuple[TipOff, bool]:
    """File a tip-off from the public. Returns (tip-off, created): with a `key` already used, the first tip-off
    and False (with `strict_key`, as on the API, a different request under the same key is refused: 422)."""
    if key:
        previous = TipOff.objects.filter(idempotency_key=key).first()
        if previous is not None:
            if strict_key and previous.request_hash and previous.request_hash != request_hash:
                raise _reused()
            return previous, False
    now = now or timezone.now()
    fields, name, phone = _read(raw, len(photos))
    phone_hash = identity.phone_hash(phone)
    address_hash = identity.address_hash(client_address)
    _throttle(phone_hash, address_hash, now)
    tipoff = TipOff(
        tracking_code=_tracking_code(),
        **fields,
        reporter_name_encrypted=identity.encrypt(name),
        reporter_phone_encrypted=identity.encrypt(phone),
        phone_hash=phone_hash,
        address_hash=address_hash,
        has_contact=bool(name and phone),
        submitted_at=now,
        updated_at=now,
        idempotency_key=key or None,
        request_hash=request_hash,
    )
    try:
        with transaction.atomic():
            _store(tipoff, photos, now)
    except IntegrityError:
        if key and (previous := TipOff.objects.filter(idempotency_key=key).first()) is not None:
            return previous, False  # a concurrent retry with the same key won
        raise
    return tipoff, True


def _read(raw: Mapping[str, Any], photo_count: int) -> tuple[dict[str, Any], str, str]:
    """(the tip-off's columns, the reporter's name, the normalised phone), or every field error at once."""
    errors: list[FieldError] = []
    kind = str(raw.get("kind") or "")
    if kind not in Kind.values:
        errors.append(FieldError("kind", "required", "请选择举报类型"))
    description = inputs.text(
        raw.get("description"), "description", "举报内容", errors, max_length=MAX_LENGTHS["description"]
    )
    if not description and not any(e.field == "description" for e in errors):
        errors.append(FieldError("description", "required", "请写明举报的内容"))
    place = venue(str(raw.get("venue") or ""))
    region = _region(
        {"region": raw.get("region") or (place.region.code if place and place.region else "")}, errors
    )
    address = inputs.text(raw.get("address"), "address", "地点", errors, max_length=MAX_LENGTHS["address"])
    if not address and place is not None:
        address = (f"{place.name}（{place.address}）" if place.address else place.name)[
            : MAX_LENGTHS["address"]
        ]
    if not address and not any(e.field == "address" for e in errors):
        errors.append(FieldError("address", "required", "请写明事发地点（地址或场所名称）"))
    latitude = inputs.coordinate(raw.get("latitude"), "latitude", "纬度", errors, *LATITUDE)
    longitude = inputs.coordinate(raw.get("longitude"), "longitude", "经度", errors, *LONGITUDE)
    name = inputs.text(
        raw.get("reporter_name"), "reporter_name", "姓名", errors, max_length=MAX_LENGTHS["reporter_name"]
    )
    phone = identity.normalise_phone(str(raw.get("reporter_phone") or ""))
    if phone and not identity.MOBILE.match(phone):
        errors.append(FieldError("reporter_phone", "invalid", "请填写11位手机号码，如13800000000"))
    if photo_count > MAX_PHOTOS:
        errors.append(FieldError("photos", "too_many", f"最多上传{MAX_PHOTOS}张照片"))
    if errors:
        raise ValidationFailed(errors)
    fields = {
        "kind": kind,
        "description": description,
        "address": address,
        "region": region,
        "latitude": latitude,
        "longitude": longitude,
        "venue_code": place.code if place else "",
        "venue_name": place.name if place else "",
    }
    return fields, name, phone


def _store(tipoff: TipOff, photos: Sequence[Any], now: dt.datetime) -> None:
    """Save the tip-off, its photos (checked: a refused one rolls everything back), its first event, its audit."""
    tipoff.save()
    for upload in photos:
        try:
            store_upload(
                TipOffPhoto(tipoff=tipoff),
                upload,
                actor=None,
                comment=f"{tipoff}的照片",
                images_only=PHOTOS_ONLY,
            )
        except ValidationFailed as exc:
            raise ValidationFailed([FieldError("photos", e.code, e.message) for e in exc.errors]) from None
    FLOW.record_event(
        tipoff, Action.SUBMIT, actor=PUBLIC, now=now, from_status="", data={"kind": tipoff.kind}
    )
    audit.record_create(tipoff, actor=PUBLIC, comment="公众提交举报")


# ---- what the public reads -------------------------------------------------------------------------------

PUBLIC_STEPS = (
    (Status.RECEIVED, "已收到"),
    (Status.ACCEPTED, "已受理"),
    (Status.VERIFYING, "核查中"),
    ("concluded", "已办结"),
)
_STEP_OF = {
    Status.RECEIVED: 0,
    Status.ACCEPTED: 1,
    Status.REJECTED: 3,
    Status.VERIFYING: 2,
    Status.SUBSTANTIATED: 3,
    Status.UNSUBSTANTIATED: 3,
    Status.REWARD_DECIDED: 3,
    Status.REWARD_PAID: 3,
}
_OUTCOMES = {
    Status.REJECTED: "不予受理",
    Status.SUBSTANTIATED: "经核查，举报属实",
    Status.UNSUBSTANTIATED: "经核查，举报查无实据",
    Status.REWARD_DECIDED: "经核查，举报属实；已决定给予奖励，将通过您留下的电话通知领取",
    Status.REWARD_PAID: "经核查，举报属实；奖励已发放",
}


def public_view(t: TipOff) -> dict[str, Any]:
    """What anyone holding the tracking code reads: the kind, the stage and the outcome with the office's reply to
    the reporter. Never the description, the place, the identity, internal notes, events or officials' names."""
    return {
        "tracking_code": t.tracking_code,
        "kind": t.kind,
        "kind_label": str(Kind(t.kind).label),
        "status": t.status,
        "status_label": str(Status(t.status).label),
        "step": _STEP_OF[Status(t.status)],
        "steps": [label for _, label in PUBLIC_STEPS],
        "submitted_at": t.submitted_at,
        "replied_at": t.replied_at,
        "concluded": t.status in CLOSED or t.status in (Status.SUBSTANTIATED, Status.REWARD_DECIDED),
        "outcome": _OUTCOMES.get(Status(t.status), ""),
        "reply": t.reply if t.status != Status.RECEIVED else "",
        "hotline": HOTLINE,
    }


def by_code(code: str) -> TipOff:
    found = TipOff.objects.filter(tracking_code=(code or "").strip().upper()[:16]).first()
    if found is None:
        raise Http404
    return found


# ---- the reporter's identity: the roles allowed, every view audited -------------------------------------------


def reveal_identity(tipoff_id: int, actor: Any) -> dict[str, str]:
    """The reporter's name and phone for a user allowed to read them (404 outside their scope, 403 without the
    permission); the view is written to the audit log ("查看举报人身份") in the same transaction."""
    tipoff = get_in_scope(TipOff, actor, pk=tipoff_id)
    if not has_perm(actor, Perm.TIPOFF_IDENTITY):
        raise NotPermitted("您无权查看举报人身份")
    with transaction.atomic():
        audit.record(AuditAction.VIEW, tipoff, actor=actor, comment="查看举报人身份")
    name = identity.decrypt(tipoff.reporter_name_encrypted)
    phone = identity.decrypt(tipoff.reporter_phone_encrypted)
    return {
        "name": name or "（未留姓名）",
        "phone": phone or "（未留电话）",
        "anonymous": not tipoff.has_contact,
    }


# ---- internal notes ------------------------------------------------------------------------------------------


def add_note(tipoff: TipOff, text: Any, *, actor: Any) -> TipOffNote:
    """An internal note of the office (never shown to the reporter)."""
    errors: list[FieldError] = []
    value = inputs.text(text, "text", "内部备注", errors, max_length=MAX_LENGTHS["note"], required=True)
    if errors:
        raise ValidationFailed(errors)
    if not has_perm(actor, Perm.TIPOFF_HANDLE):
        raise NotPermitted("只有安委办和行业监管部门可以填写举报的内部备注")
    with transaction.atomic():
        note = TipOffNote.objects.create(
            tipoff=tipoff, author=actor, author_label=actor_label(actor), text=value
        )
        audit.record_create(note, actor=actor, comment=f"{tipoff}的内部备注")
    return note
