"""Who sees a letter: the issuing office's area and the recipient through its region and department."""

import datetime as dt

import pytest

from anquan.core.scope import restrict
from anquan.letters.choices import LetterKind
from anquan.letters.models import Letter
from anquan.orgs.models import Department
from anquan.regions.models import Region

pytestmark = pytest.mark.django_db


def test_a_letter_is_seen_by_its_issuer_and_its_recipient_only(world):
    city, lianxi = Region.objects.get(code="360400"), Region.objects.get(code="360402")
    emergency = Department.objects.get(name="应急管理局")

    def letter(**recipient):
        return Letter.objects.create(
            kind=LetterKind.REMINDER,
            issuer_region=city,
            subject="关于加快重大事故隐患整改的提示",
            body="……",
            required_actions="十日内完成整改并书面回复",
            reply_due=dt.date(2026, 12, 15),
            **recipient,
        )

    to_county, to_department = (
        letter(recipient_region=lianxi),
        letter(recipient_region=lianxi, recipient_department=emergency),
    )

    def seen(persona):
        return set(restrict(Letter, world.users[persona]))

    assert seen("city_office") == {to_county, to_department}
    assert seen("county_office") == {to_county, to_department}
    assert seen("emergency_supervisor") == {to_department}
    assert seen("housing_supervisor") == set()
    assert seen("county_office_b") == set()
