"""The demo's letters (anquan/demo/letters.py) are made through the services: each stage an office meets is there."""

from __future__ import annotations

import pytest

from anquan.accounts.services import create_user
from anquan.demo.letters import build_letters
from anquan.letters.models import Letter

pytestmark = pytest.mark.django_db


def test_demo_letters_cover_every_stage(reference):
    for username, role, region, department in (
        ("jiujiang", "city_office", "360400", None),
        ("lianxi", "county_office", "360402", None),
        ("lianxi_yjj", "department_supervisor", "360402", "应急管理局"),
    ):
        create_user(
            actor=None,
            username=username,
            role=role,
            password="Test-Passw0rd!",
            region_code=region,
            department_name=department,
        )
    build_letters()
    statuses = sorted(Letter.objects.values_list("status", flat=True))
    assert statuses == sorted(
        ["issued", "issued", "replied", "closed", "issued", "overdue", "issued", "issued", "draft"]
    )
    interview = Letter.objects.get(kind="interview")
    assert (
        interview.interview_place and interview.interview_at and interview.number.startswith("九安办约谈〔")
    )
    assert Letter.objects.filter(recipient_region__code="360424", status="overdue").count() == 1
