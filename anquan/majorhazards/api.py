"""Major hazard installations (/api/v1/major-hazard-installations) with their GB 18218 computation."""

from __future__ import annotations

from typing import Annotated, Any

from django.db.models import QuerySet
from ninja import Field, Query, Router, Schema, Status

from anquan.accounts.http import AuthedRequest
from anquan.core.contract import Page, PageParams, page, responses
from anquan.core.idempotency import key_from, run_once
from anquan.core.scope import get_in_scope, restrict, within
from anquan.standards.api import GB18218SubstanceIn, exposed_persons_field
from anquan.standards.schemas import (
    SUBSTANCES_MAX,
    Id,
    RegionCode,
    Uscc,
    text,
)

from . import services as installations
from .models import MajorHazardInstallation

router = Router(tags=["risk"])

IdempotencyKey = Annotated[str | None, Field(max_length=100, description="or the Idempotency-Key header")]


class InstallationSubstanceOut(Schema):
    name: str
    cas: str
    quantity_t: float
    category: list[str]


class AccountablePersonOut(Schema):
    name: str
    phone: str


class RequiredSensorOut(Schema):
    kind: str
    label: str
    basis: str


class InstallationOut(Schema):
    id: int
    enterprise: str
    enterprise_name: str
    region: str
    name: str
    unit_type: str
    exposed_persons: int | None
    substances: list[InstallationSubstanceOut]
    s: float
    is_major: bool
    alpha: float | None
    r: float | None
    grade: int | None
    computation: dict[str, Any] = Field(description="the stored GB 18218 breakdown (S, R, each line)")
    accountable_persons: dict[str, AccountablePersonOut] = Field(
        description="principal, technical, operational"
    )
    required_sensors: list[RequiredSensorOut]
    updated_at: str


def _person(field: str) -> Any:
    return text(MajorHazardInstallation, field)


class InstallationIn(Schema):
    enterprise: Uscc | None = Field(None, description="USCC; default: the caller's own enterprise")
    name: str = text(MajorHazardInstallation, "name", default=...)
    unit_type: str = Field(max_length=20, description="production | storage")
    exposed_persons: int | None = exposed_persons_field()
    substances: list[GB18218SubstanceIn] = Field(min_length=1, max_length=SUBSTANCES_MAX)
    principal_name: str | None = _person("principal_name")
    principal_phone: str | None = _person("principal_phone")
    technical_name: str | None = _person("technical_name")
    technical_phone: str | None = _person("technical_phone")
    operational_name: str | None = _person("operational_name")
    operational_phone: str | None = _person("operational_phone")
    idempotency_key: IdempotencyKey = None


class InstallationFilters(Schema):
    enterprise: Uscc | None = Field(None, description="USCC")
    region: RegionCode | None = Field(None, description="region code (its subtree)")
    grade: int | None = Field(None, ge=1, le=4, description="1–4")
    is_major: bool | None = None
    persons_incomplete: bool | None = Field(
        None, description="major installations whose 包保责任人 lack a name or phone"
    )


def _installations(request: AuthedRequest) -> QuerySet[MajorHazardInstallation]:
    return (
        restrict(MajorHazardInstallation, request.user)
        .select_related("enterprise")
        .prefetch_related("substances")
    )


def _installation_out(i: MajorHazardInstallation) -> dict[str, Any]:
    return {
        "id": i.pk,
        "enterprise": i.enterprise.uscc,
        "enterprise_name": i.enterprise.name,
        "region": i.region_code,
        "name": i.name,
        "unit_type": i.unit_type,
        "exposed_persons": i.exposed_persons,
        "substances": [
            {"name": s.name, "cas": s.cas, "quantity_t": float(s.quantity_t), "category": s.categories}
            for s in i.substances.all()
        ],
        "s": float(i.s),
        "is_major": i.is_major,
        "alpha": float(i.alpha) if i.alpha is not None else None,
        "r": float(i.r) if i.r is not None else None,
        "grade": i.grade,
        "computation": i.computation,
        "accountable_persons": {
            p: {"name": getattr(i, f"{p}_name"), "phone": getattr(i, f"{p}_phone")}
            for p in installations.PERSONS
        },
        "required_sensors": i.required_sensors,
        "updated_at": i.updated_at.isoformat(),
    }


@router.get("/major-hazard-installations", response=responses(Page[InstallationOut]))
def list_installations(
    request: AuthedRequest, filters: Query[InstallationFilters], paging: Query[PageParams]
) -> dict[str, Any]:
    qs = _installations(request)
    if filters.enterprise:
        qs = qs.filter(enterprise__uscc=filters.enterprise.upper())
    if filters.region:
        qs = qs.filter(within(filters.region))
    if filters.grade is not None:
        qs = qs.filter(grade=filters.grade)
    if filters.is_major is not None:
        qs = qs.filter(is_major=filters.is_major)
    if filters.persons_incomplete is not None:
        incomplete = installations.persons_incomplete()
        qs = qs.filter(incomplete) if filters.persons_incomplete else qs.exclude(incomplete)
    return page(qs, paging, _installation_out)


@router.post("/major-hazard-installations", response=responses({201: InstallationOut}, 400, 403, 409, 415))
def create_installation(request: AuthedRequest, payload: InstallationIn) -> Status[dict[str, Any]]:
    def create() -> tuple[int, dict[str, Any]]:
        raw = payload.dict()
        raw.pop("idempotency_key", None)
        inst = installations.create_installation(raw, actor=request.user)
        return 201, _installation_out(get_in_scope(_installations(request), request.user, pk=inst.pk))

    status, body = run_once(request, "risk.installation", key_from(request, payload.idempotency_key), create)
    return Status(status, body)


@router.get("/major-hazard-installations/{installation_id}", response=responses(InstallationOut, 404))
def get_installation(request: AuthedRequest, installation_id: Id) -> dict[str, Any]:
    return _installation_out(get_in_scope(_installations(request), request.user, pk=installation_id))
