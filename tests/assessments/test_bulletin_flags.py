"""The flags in the bulletin (bulletins/flags_section.py): the flags held in the area at the end of the bulletin's
period, as the user who generates it sees them."""

from __future__ import annotations

import datetime as dt

import pytest

from anquan.assessments import services
from anquan.assessments.models import Flag
from anquan.bulletins import generate
from tests.bulletins.conftest import docx_text, read_docx

from .data import END, START, seed_tie, small_scheme

pytestmark = pytest.mark.django_db
TODAY = dt.date(2026, 12, 2)


def test_the_monthly_dispatch_names_the_flag_holders_and_leaves_out_passed_on_flags(world):
    seed_tie(world)
    office = world.users["city_office"]
    raw = {"period_start": START.isoformat(), "period_end": END.isoformat(), "scheme": small_scheme().pk}
    assessment = services.publish(services.compute(services.create(office, raw), actor=office), actor=office)
    Flag.objects.filter(assessment=assessment).update(awarded_on=dt.date(2026, 1, 15))  # published in January

    def text(month: int) -> str:
        bulletin = generate.generate(
            office,
            {"region": "360400", "year": 2026, "kind": "monthly_dispatch", "month": month},
            today=TODAY,
        )
        with bulletin.file.open("rb") as handle:
            return docx_text(read_docx(handle.read()))

    november = text(11)
    assert "安全生产流动红旗、黄旗" in november
    assert "截至2026年11月30日，全市持有安全生产流动红旗的有：濂溪区（2025年度）。" in november
    Flag.objects.filter(assessment=assessment).update(passed_on=dt.date(2026, 10, 1))
    assert "流动红旗" not in text(11)  # passed on before the end of November: nobody holds it then
