"""The on-site inspection record (现场检查记录) as data: `onsite_record_context(inspection)` returns the typed
context the documents app renders (`documents.services.issue("onsite_record", unit, inspection, context, actor)`
once it is wired); until then the printable page (views.record) renders the same context."""

from __future__ import annotations

import datetime as dt
from typing import TypedDict

from django.utils import timezone

from anquan.accounts import certificates

from .choices import Kind, Result
from .models import Inspection, InspectionSignature


class UnitContext(TypedDict):
    department: str  # 应急管理局
    region: str  # 濂溪区
    name: str  # 濂溪区应急管理局


class EnterpriseContext(TypedDict):
    name: str
    uscc: str
    address: str
    legal_representative: str
    principal_name: str
    principal_phone: str


class InspectorContext(TypedDict):
    name: str
    username: str
    certificate_no: str  # 执法证号; "" when not known


class ItemContext(TypedDict):
    no: int
    text: str
    basis: str
    result: str  # compliant | noncompliant | not_applicable | "" (not checked)
    result_label: str  # 符合 / 不符合 / 不适用 / 未检查
    note: str
    free: bool  # added on site
    major: bool  # a major-hazard judgement item
    hazard_id: int | None
    hazard_number: str
    photos: int


class FindingContext(TypedDict):
    no: int
    text: str
    note: str
    basis: str
    major: bool
    hazard_id: int
    hazard_number: str


class OnsiteRecordContext(TypedDict):
    inspection_id: int
    kind: str
    kind_label: str
    status: str
    unit: UnitContext
    enterprise: EnterpriseContext
    inspectors: list[InspectorContext]
    planned_on: dt.date
    started_at: dt.datetime | None  # local time (Asia/Shanghai)
    done_at: dt.datetime | None
    template: str  # "危险化学品生产经营单位检查表（第1版）" or ""
    items: list[ItemContext]
    counts: dict[str, int]  # compliant, noncompliant, not_applicable, unchecked, total
    findings: list[FindingContext]
    signatory_name: str
    signature_id: int | None  # InspectionSignature id (its PNG: /inspections/signatures/<id>/)
    location: str  # "纬度, 经度" or ""


def _local(value: dt.datetime | None) -> dt.datetime | None:
    return timezone.localtime(value) if value is not None else None


def _inspectors(insp: Inspection) -> list[InspectorContext]:
    """The inspectors by username, each with the number of their 执法证 valid today (one query for all)."""
    inspectors = list(insp.inspectors.order_by("username"))
    numbers = certificates.numbers_on(timezone.localdate(), inspectors)
    return [
        {"name": u.full_name or u.username, "username": u.username, "certificate_no": numbers.get(u.pk, "")}
        for u in inspectors
    ]


def onsite_record_context(inspection: Inspection) -> OnsiteRecordContext:
    """Everything the 现场检查记录 states, read afresh (the caller has checked scope)."""
    insp = Inspection.objects.select_related("enterprise", "department", "region", "template").get(
        pk=inspection.pk
    )
    e = insp.enterprise
    items: list[ItemContext] = []
    findings: list[FindingContext] = []
    counts = {"compliant": 0, "noncompliant": 0, "not_applicable": 0, "unchecked": 0, "total": 0}
    rows = insp.items.select_related("hazard").prefetch_related("photos").order_by("order", "id")
    for no, item in enumerate(rows, start=1):
        counts["total"] += 1
        counts[item.result or "unchecked"] += 1
        number = (item.hazard.number or "") if item.hazard is not None else ""
        items.append(
            {
                "no": no,
                "text": item.text,
                "basis": item.basis,
                "result": item.result,
                "result_label": str(Result(item.result).label) if item.result else "未检查",
                "note": item.note,
                "free": item.free,
                "major": item.judgement_item_id is not None,
                "hazard_id": item.hazard_id,
                "hazard_number": number,
                "photos": len(item.photos.all()),
            }
        )
        if item.result == Result.NONCOMPLIANT and item.hazard_id is not None:
            findings.append(
                {
                    "no": no,
                    "text": item.text,
                    "note": item.note,
                    "basis": item.basis,
                    "major": item.judgement_item_id is not None,
                    "hazard_id": item.hazard_id,
                    "hazard_number": number,
                }
            )
    signature = InspectionSignature.objects.filter(inspection=insp).first()
    location = f"{insp.latitude}, {insp.longitude}" if insp.latitude is not None else ""
    return {
        "inspection_id": insp.pk,
        "kind": insp.kind,
        "kind_label": str(Kind(insp.kind).label),
        "status": insp.status,
        "unit": {
            "department": insp.department.name,
            "region": insp.region.name,
            "name": f"{insp.region.name}{insp.department.name}",
        },
        "enterprise": {
            "name": e.name,
            "uscc": e.uscc,
            "address": e.address,
            "legal_representative": e.legal_representative,
            "principal_name": e.principal_name,
            "principal_phone": e.principal_phone,
        },
        "inspectors": _inspectors(insp),
        "planned_on": insp.planned_on,
        "started_at": _local(insp.started_at),
        "done_at": _local(insp.done_at),
        "template": str(insp.template) if insp.template else "",
        "items": items,
        "counts": counts,
        "findings": findings,
        "signatory_name": insp.signatory_name,
        "signature_id": signature.pk if signature is not None else None,
        "location": location,
    }
