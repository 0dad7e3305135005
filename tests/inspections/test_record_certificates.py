"""The on-site record (现场检查记录) names each inspector with the number of the enforcement certificate valid on
the day (the certificates of accounts.EnforcementCertificate, issue #13), and none when it has expired."""

import datetime as dt

import pytest
from django.utils import timezone

from anquan.accounts.models import EnforcementCertificate
from anquan.inspections.models import Inspection
from anquan.inspections.record import onsite_record_context

pytestmark = pytest.mark.django_db


def test_the_record_names_the_valid_certificate_of_each_inspector(world):
    inspector, supervisor = world.users["inspector"], world.users["emergency_supervisor"]
    today = timezone.localdate()
    EnforcementCertificate.objects.create(
        user=inspector,
        number="赣应急执字第36040201号",
        issuing_authority="九江市人民政府",
        valid_from=today - dt.timedelta(days=400),
        valid_until=today - dt.timedelta(days=1),  # expired yesterday
    )
    EnforcementCertificate.objects.create(
        user=inspector,
        number="赣应急执字第36040288号",
        issuing_authority="九江市人民政府",
        valid_from=today - dt.timedelta(days=1),
        valid_until=today + dt.timedelta(days=365),
    )
    inspection = Inspection.objects.create(
        enterprise=world.chem_t1,
        department=inspector.department,
        region=inspector.region,
        planned_on=today,
    )
    inspection.inspectors.add(inspector, supervisor)
    named = {i["username"]: i["certificate_no"] for i in onsite_record_context(inspection)["inspectors"]}
    assert named == {"inspector": "赣应急执字第36040288号", "emergency_supervisor": ""}
