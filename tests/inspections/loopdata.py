"""Inspections walked through the services (the step every loop test starts from): planned, started, items
recorded (the first `bad` non-compliant), signed and completed, which issues the 现场检查记录."""

import datetime as dt

from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from anquan.enterprises.models import Enterprise
from anquan.inspections import services
from anquan.inspections.models import Inspection

from ..live.conftest import PNG


def registered(*enterprises) -> None:
    """What a document states of its party: the address and the legal representative in the registry."""
    for e in enterprises:
        Enterprise.objects.filter(pk=e.pk).update(address=f"{e.name}厂区", legal_representative="张法人")
        e.refresh_from_db()


def walked(world, enterprise, *, bad: int = 1, complete: bool = True) -> Inspection:
    inspector = world.users["inspector"]
    insp = services.create(
        {
            "enterprise": enterprise.uscc,
            "planned_on": timezone.localdate().isoformat(),
            "inspectors": ["inspector", "emergency_supervisor"],
        },
        actor=inspector,
    )
    services.transition(insp, "start", actor=inspector)
    for n, item in enumerate(insp.items.order_by("order", "id")):
        result = {"result": "noncompliant", "note": f"问题{n + 1}"} if n < bad else {"result": "compliant"}
        services.record_result(insp, {"item": item.pk, **result}, actor=inspector)
    if complete:
        services.set_signature(insp, SimpleUploadedFile("s.png", PNG, "image/png"), actor=inspector)
        services.transition(insp, "complete", actor=inspector, signatory_name="王经理")
    return Inspection.objects.get(pk=insp.pk)


def days(n: int) -> dt.date:
    return timezone.localdate() + dt.timedelta(days=n)
