"""The demo county's two cases: one opened on 2026-01-31 (Order 15: 30 days) in execution with a late payment's
surcharge, one recent case in 调查取证 with its limit near (in the investigators' to-do)."""

from decimal import Decimal

import pytest
from django.core.management import call_command

from anquan.accounts.models import User
from anquan.cases.models import EnforcementCase
from anquan.core.todo import items_for


@pytest.mark.django_db
def test_demo_has_two_cases_at_different_stages(reference):
    call_command("demo", enterprises=20, hazards=5, accidents_per_year=2)
    old, new = EnforcementCase.objects.order_by("opened_on")
    assert (old.status, old.time_limit_days, old.rules_version.verified) == ("executing", 30, "verified")
    payment = old.payments.get()
    assert (payment.days_late, payment.surcharge_yuan) == (5, Decimal("9000.00"))  # 5 × 3 % × 60 000
    assert (new.status, new.time_limit_days, new.rules_version.verified) == ("investigating", 90, "not_found")
    inspector = User.objects.get(username="inspector")
    assert {i.kind for i in items_for(inspector)} >= {"cases.investigate", "cases.due_soon", "cases.execute"}
