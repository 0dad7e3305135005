"""/api/v1/rules: the kinds of versioned rule data, their versions, the version in force on a day, and a new
version (system administrator, or a province office for its own province)."""

from __future__ import annotations

import datetime as dt
from typing import Any, Literal

from django.http import Http404, HttpRequest
from ninja import Field, Query, Router, Schema, Status

from anquan.core.contract import parse_date, plausible_date, responses

from . import services
from .choices import Verification
from .models import RuleVersion
from .registry import RuleKind, kind, kinds

router = Router(tags=["rules"])


class RuleVersionOut(Schema):
    id: int
    key: str
    region_code: str = Field(description='"" = national; a province\'s GB/T 2260 code for its own figures')
    effective_from: dt.date
    values: dict[str, Any]
    source: str
    verified: str = Field(description="verified | partial | not_found")
    verified_label: str
    note: str
    created_at: dt.datetime


class RuleFieldOut(Schema):
    name: str
    title: str


class RuleKindOut(Schema):
    key: str
    label: str
    description: str
    fields: list[RuleFieldOut]
    versions: list[RuleVersionOut]


class RuleVersionIn(Schema):
    effective_from: dt.date
    values: dict[str, Any]
    source: str = Field(max_length=services.SOURCE_MAX)
    verified: Literal[tuple(Verification.values)]  # type: ignore[valid-type]
    note: str = Field("", max_length=services.NOTE_MAX)
    region_code: str = Field("", max_length=12, pattern=r"^(\d{6})?$")


def version_out(v: RuleVersion) -> dict[str, Any]:
    return {
        "id": v.pk,
        "key": v.key,
        "region_code": v.region_code,
        "effective_from": v.effective_from,
        "values": v.values,
        "source": v.source,
        "verified": v.verified,
        "verified_label": str(Verification(v.verified).label),
        "note": v.note,
        "created_at": v.created_at,
    }


class InForceParams(Schema):
    on: str = Field("", max_length=10, description="YYYY-MM-DD; today when empty")
    region: str = Field("", max_length=12, description="a region code: its province's own version counts")


def _kind_or_404(key: str) -> RuleKind:
    try:
        return kind(key)
    except LookupError:
        raise Http404 from None


def kind_out(rule: RuleKind) -> dict[str, Any]:
    return {
        "key": rule.key,
        "label": rule.label,
        "description": rule.description,
        "fields": [{"name": name, "title": f.title or name} for name, f in rule.schema.model_fields.items()],
        "versions": [version_out(v) for v in services.versions(rule.key)],
    }


@router.get("", response=responses(list[RuleKindOut], 401), summary="Kinds of rule data and their versions")
def list_kinds(request: HttpRequest) -> list[dict[str, Any]]:
    return [kind_out(rule) for rule in kinds()]


@router.get("/{key}", response=responses(RuleKindOut, 401, 404), summary="One kind of rule data")
def get_kind(request: HttpRequest, key: str) -> dict[str, Any]:
    return kind_out(_kind_or_404(key))


@router.get(
    "/{key}/in-force",
    response=responses(RuleVersionOut, 401, 404, 422),
    summary="The version in force on a day",
)
def get_in_force(request: HttpRequest, key: str, filters: Query[InForceParams]) -> dict[str, Any]:
    _kind_or_404(key)
    day = parse_date(filters.on, "on") or dt.date.today()
    try:
        return version_out(services.in_force(key, day, filters.region))
    except services.RuleMissing:
        raise Http404 from None


@router.post(
    "/{key}/versions",
    response=responses({201: RuleVersionOut}, 400, 401, 403, 404, 422),
    summary="Add a version (never edits one)",
)
def add_version(request: HttpRequest, key: str, payload: RuleVersionIn) -> Status[dict[str, Any]]:
    _kind_or_404(key)
    plausible_date(payload.effective_from, "effective_from")
    version = services.add_version(
        request.user,  # an accounts.User (the API authenticates every operation)
        key,
        effective_from=payload.effective_from,
        values=payload.values,
        source=payload.source,
        verified=payload.verified,
        note=payload.note,
        region_code=payload.region_code,
    )
    return Status(201, version_out(version))
